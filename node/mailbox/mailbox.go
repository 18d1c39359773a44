// Package mailbox stores the messages a provider holds for its clients
// until they collect them: one queue per client, on disk (badger), with a
// time to live and a byte quota per mailbox. A message is removed only
// when the client acknowledges it or when it expires, so a client that
// loses its connection mid-fetch loses nothing.
//
// # Using a store
//
//	st, err := mailbox.Open(dir, mailbox.Options{Logger: logger})
//	defer st.Close()
//
//	// the final hop of a Sphinx packet: Deliver{Mailbox: mb}
//	id, err := st.Put(mb, payload) // ErrQuotaExceeded: drop, count MailboxFull
//
//	// the client asks for its messages...
//	msgs, err := st.Fetch(mb, 64)
//	// ...and, once it has them, acknowledges them
//	err = st.Ack(mb, ids)
//
// The node calls [Store.Sweep] once after [Open] and then periodically
// (say hourly), to delete expired messages and bring the quota accounting
// up to date.
//
// # Guarantees
//
//   - Messages of a mailbox get increasing ids (1, 2, 3, ...) that are
//     never reused, across restarts too, so an acknowledgement can only
//     ever remove the message it names.
//   - [Store.Fetch] returns the oldest messages first and deletes nothing;
//     fetching twice without acknowledging returns the same messages.
//   - A message is never returned after it expired (Received + TTL, by the
//     injected clock [Options.Now]).
//   - The quota counts the payload bytes of the messages a mailbox holds
//     that are neither acknowledged nor expired. A [Store.Put] beyond the
//     quota first deletes the mailbox's expired messages, so expired
//     messages never keep a mailbox full.
//   - The counters and the messages are updated in the same badger
//     transaction, so they agree after a restart or a crash.
//   - Every write is on disk (fsynced) before its method returns, so a
//     message [Store.Put] took survives a crash of the machine too, not
//     only of the process. Writes that wait at the same time share one
//     sync (badger's write batching), so a provider delivers from many
//     goroutines at once to keep the disk from setting its pace.
//
// Every method is safe for concurrent use. Writers to one mailbox are
// serialized by a lock chosen by the mailbox id, so transactions never
// conflict; readers ([Store.Fetch], [Store.Stats]) read a snapshot and
// take no lock.
//
// # Storage layout
//
// All integers are big-endian, so that badger's key order is the numeric
// order and iterating a mailbox's prefix yields its messages oldest first.
//
//	"v"                        → schema version (uint32, currently 1)
//	"c" ‖ mailbox[32]          → counters: next id (uint64) ‖ message count (uint64) ‖ payload bytes (uint64)
//	"m" ‖ mailbox[32] ‖ id(u64) → message: received (int64, Unix ns) ‖ expires (int64, Unix ns) ‖ payload
//
// The counters of a mailbox stay when it empties, so ids keep
// increasing; they take about 60 bytes per mailbox ever used.
//
// Expiry is decided by the injected clock, but badger only knows the
// machine's clock, so each message also carries a badger TTL of twice
// [Options.TTL] from the moment it was written: a backstop that reclaims
// the disk space of expired messages even if Sweep is never called, late
// enough that in production Sweep has long accounted for them. If badger
// drops a message first (the store was closed for longer than the TTL),
// the counters overstate the mailbox until the next Sweep, which recounts
// each mailbox from its messages.
package mailbox

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/murmurnet/murmur/internal/badgerdb"
)

// Defaults for the zero fields of [Options].
const (
	DefaultTTL             = 7 * 24 * time.Hour
	DefaultQuotaBytes      = 64 << 20
	DefaultMaxMessageBytes = 64 << 10
)

// Errors a caller can act on; test with [errors.Is].
var (
	// ErrQuotaExceeded is returned by [Store.Put] when the message does not
	// fit in the mailbox's quota. The node drops the message.
	ErrQuotaExceeded = errors.New("mailbox: quota exceeded")

	// ErrTooLarge is returned by [Store.Put] for a payload longer than
	// [Options.MaxMessageBytes].
	ErrTooLarge = errors.New("mailbox: message too large")
)

// Options configure a [Store]. The zero value gives the defaults.
type Options struct {
	// TTL is how long a message is kept unless acknowledged; 0 means
	// [DefaultTTL].
	TTL time.Duration
	// QuotaBytes bounds the payload bytes held per mailbox; 0 means
	// [DefaultQuotaBytes].
	QuotaBytes int64
	// MaxMessageBytes bounds the payload of one message; 0 means
	// [DefaultMaxMessageBytes].
	MaxMessageBytes int
	// Now is the clock that stamps and expires messages; nil means
	// time.Now. Tests pass a fake clock.
	Now func() time.Time
	// Logger receives badger's warnings and errors (its info and debug
	// chatter is dropped); nil discards them.
	Logger *slog.Logger
}

// Message is a message held in a mailbox.
type Message struct {
	ID       uint64    // increasing within the mailbox; pass it to [Store.Ack]
	Payload  []byte    // owned by the caller
	Received time.Time // when [Store.Put] stored it, by [Options.Now]
}

// Store is a set of mailboxes in one badger database. Open it with
// [Open].
type Store struct {
	db       *badger.DB
	ttl      time.Duration
	quota    int64
	maxBytes int
	now      func() time.Time
	log      *slog.Logger

	// locks serialize the writers of a mailbox, chosen by its id.
	locks [lockStripes]sync.Mutex
}

const lockStripes = 64

// Key prefixes and encodings; see the package documentation.
const (
	schemaVersion = 1

	prefixCounters = 'c'
	prefixMessage  = 'm'

	counterKeyLen = 1 + 32
	messageKeyLen = 1 + 32 + 8
	counterValLen = 3 * 8
	messageHdrLen = 2 * 8

	// txnChunk bounds the writes of one transaction in Ack, Sweep and
	// reclaim, well below badger's transaction size limit.
	txnChunk = 1000
)

var schemaKey = []byte("v")

// Open opens the store in dir, creating it if needed. Only one Store may
// have dir open at a time.
func Open(dir string, opts Options) (*Store, error) {
	if opts.TTL < 0 || opts.QuotaBytes < 0 || opts.MaxMessageBytes < 0 {
		return nil, errors.New("mailbox: negative TTL, QuotaBytes or MaxMessageBytes")
	}
	s := &Store{
		ttl:      cmp.Or(opts.TTL, DefaultTTL),
		quota:    cmp.Or(opts.QuotaBytes, DefaultQuotaBytes),
		maxBytes: cmp.Or(opts.MaxMessageBytes, DefaultMaxMessageBytes),
		now:      opts.Now,
		log:      opts.Logger,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}

	db, err := badgerdb.Open(dir, s.log)
	if err != nil {
		return nil, fmt.Errorf("mailbox: open %s: %w", dir, err)
	}
	s.db = db
	if err := s.checkSchema(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// checkSchema writes the schema version into a new database and refuses
// one written by an incompatible version.
func (s *Store) checkSchema() error {
	return s.db.Update(func(txn *badger.Txn) error {
		item, err := txn.Get(schemaKey)
		if errors.Is(err, badger.ErrKeyNotFound) {
			var v [4]byte
			binary.BigEndian.PutUint32(v[:], schemaVersion)
			return txn.Set(schemaKey, v[:])
		}
		if err != nil {
			return fmt.Errorf("mailbox: read schema version: %w", err)
		}
		return item.Value(func(v []byte) error {
			if len(v) != 4 || binary.BigEndian.Uint32(v) != schemaVersion {
				return fmt.Errorf("mailbox: database has schema %x, this version reads %d", v, schemaVersion)
			}
			return nil
		})
	})
}

// Close closes the database. Calls made after Close fail; calls made
// concurrently with it are not allowed.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("mailbox: close: %w", err)
	}
	return nil
}

// lock returns the lock of mailbox mb. Mailbox ids are SHA-256 outputs, so
// their first bytes spread them evenly over the stripes.
func (s *Store) lock(mb *[32]byte) *sync.Mutex {
	return &s.locks[binary.LittleEndian.Uint64(mb[:8])%lockStripes]
}

// Put stores payload in mailbox mb and returns its id. It returns
// [ErrTooLarge] for a payload over the size limit and [ErrQuotaExceeded]
// if the mailbox has no room for it even after its expired messages are
// deleted. The payload is copied. It returns once the message is on
// disk.
func (s *Store) Put(mb [32]byte, payload []byte) (uint64, error) {
	if len(payload) > s.maxBytes {
		return 0, ErrTooLarge
	}
	mu := s.lock(&mb)
	mu.Lock()
	defer mu.Unlock()

	now := s.now()
	id, err := s.put(&mb, payload, now)
	if errors.Is(err, ErrQuotaExceeded) {
		// Expired messages do not count against the quota, but they are
		// only deleted lazily: delete this mailbox's now, and try again if
		// that made room.
		n, rerr := s.reclaimExpired(&mb, now)
		if rerr != nil {
			return 0, rerr
		}
		if n > 0 {
			id, err = s.put(&mb, payload, now)
		}
	}
	return id, err
}

func (s *Store) put(mb *[32]byte, payload []byte, now time.Time) (uint64, error) {
	var id uint64
	err := s.db.Update(func(txn *badger.Txn) error {
		c, err := getCounters(txn, mb)
		if err != nil {
			return err
		}
		if int64(c.bytes)+int64(len(payload)) > s.quota {
			// The bare sentinel: a full mailbox is refused once per packet,
			// and the packet path does not format strings.
			return ErrQuotaExceeded
		}
		id = c.next
		c.next++
		c.count++
		c.bytes += uint64(len(payload))

		val := make([]byte, messageHdrLen+len(payload))
		binary.BigEndian.PutUint64(val[0:8], uint64(now.UnixNano()))
		binary.BigEndian.PutUint64(val[8:16], uint64(now.Add(s.ttl).UnixNano()))
		copy(val[messageHdrLen:], payload)
		// The badger TTL is a backstop on the machine's clock; see the
		// package documentation.
		e := badger.NewEntry(messageKey(mb, id), val)
		if s.ttl <= math.MaxInt64/2 {
			e = e.WithTTL(2 * s.ttl)
		}
		if err := txn.SetEntry(e); err != nil {
			return err
		}
		return putCounters(txn, mb, c)
	})
	if err != nil {
		if errors.Is(err, ErrQuotaExceeded) {
			return 0, err
		}
		return 0, fmt.Errorf("mailbox: put: %w", err)
	}
	return id, nil
}

// Fetch returns up to limit of the oldest unexpired messages of mailbox
// mb, oldest first, without deleting them. An unknown or empty mailbox, or
// a limit that is not positive, gives no messages and no error.
func (s *Store) Fetch(mb [32]byte, limit int) ([]Message, error) {
	if limit <= 0 {
		return nil, nil
	}
	now := s.now().UnixNano()
	var msgs []Message
	err := s.db.View(func(txn *badger.Txn) error {
		prefix := mailboxPrefix(&mb)
		io := badger.DefaultIteratorOptions
		io.Prefix = prefix
		io.PrefetchSize = min(limit, io.PrefetchSize)
		it := txn.NewIterator(io)
		defer it.Close()
		for it.Seek(prefix); it.Valid() && len(msgs) < limit; it.Next() {
			item := it.Item()
			id := binary.BigEndian.Uint64(item.Key()[1+32:])
			err := item.Value(func(v []byte) error {
				if len(v) < messageHdrLen {
					return fmt.Errorf("message %d: corrupt value of %d bytes", id, len(v))
				}
				if int64(binary.BigEndian.Uint64(v[8:16])) <= now {
					return nil // expired, waiting for Sweep
				}
				msgs = append(msgs, Message{
					ID:       id,
					Payload:  append([]byte(nil), v[messageHdrLen:]...),
					Received: time.Unix(0, int64(binary.BigEndian.Uint64(v[0:8]))),
				})
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mailbox: fetch: %w", err)
	}
	return msgs, nil
}

// Ack deletes the messages ids from mailbox mb. Ids that are unknown or
// already deleted are ignored, so a client may repeat an acknowledgement
// it is unsure arrived.
func (s *Store) Ack(mb [32]byte, ids []uint64) error {
	mu := s.lock(&mb)
	mu.Lock()
	defer mu.Unlock()

	for len(ids) > 0 {
		chunk := ids[:min(len(ids), txnChunk)]
		ids = ids[len(chunk):]
		err := s.db.Update(func(txn *badger.Txn) error {
			keys := make([][]byte, len(chunk))
			for i, id := range chunk {
				keys[i] = messageKey(&mb, id)
			}
			return s.deleteMessages(txn, &mb, keys)
		})
		if err != nil {
			return fmt.Errorf("mailbox: ack: %w", err)
		}
	}
	return nil
}

// deleteMessages deletes the messages at keys that exist (a txn sees its
// own deletes, so a key listed twice is deleted once) and takes them off
// the mailbox's counters.
func (s *Store) deleteMessages(txn *badger.Txn, mb *[32]byte, keys [][]byte) error {
	c, err := getCounters(txn, mb)
	if err != nil {
		return err
	}
	changed := false
	for _, k := range keys {
		item, err := txn.Get(k)
		if errors.Is(err, badger.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		var size int
		if err := item.Value(func(v []byte) error {
			size = max(len(v)-messageHdrLen, 0)
			return nil
		}); err != nil {
			return err
		}
		if err := txn.Delete(k); err != nil {
			return err
		}
		c.count = subFloor(c.count, 1)
		c.bytes = subFloor(c.bytes, uint64(size))
		changed = true
	}
	if !changed {
		return nil
	}
	return putCounters(txn, mb, c)
}

// subFloor returns a-b, or 0 if b > a. Drift only ever leaves counters
// too high (see the package documentation), so this is a guard against a
// database altered by hand, not a path taken in operation; a wrapped
// counter would lock the mailbox, a floored one is repaired by Sweep.
func subFloor(a, b uint64) uint64 {
	if b > a {
		return 0
	}
	return a - b
}

// Stats returns how many messages mailbox mb holds and their payload
// bytes, as the quota counts them. Messages that expired since the last
// [Store.Sweep] are still included. An unknown mailbox has zero of both.
func (s *Store) Stats(mb [32]byte) (count int, bytes int64, err error) {
	var c counters
	err = s.db.View(func(txn *badger.Txn) error {
		var err error
		c, err = getCounters(txn, &mb)
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("mailbox: stats: %w", err)
	}
	return int(c.count), int64(c.bytes), nil
}

// counters is the per-mailbox record.
type counters struct {
	next  uint64 // id of the next message; ids start at 1
	count uint64
	bytes uint64
}

func getCounters(txn *badger.Txn, mb *[32]byte) (counters, error) {
	item, err := txn.Get(counterKey(mb))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return counters{next: 1}, nil
	}
	if err != nil {
		return counters{}, err
	}
	var c counters
	err = item.Value(func(v []byte) error {
		if len(v) != counterValLen {
			return fmt.Errorf("mailbox %x: corrupt counters of %d bytes", mb[:4], len(v))
		}
		c.next = binary.BigEndian.Uint64(v[0:8])
		c.count = binary.BigEndian.Uint64(v[8:16])
		c.bytes = binary.BigEndian.Uint64(v[16:24])
		return nil
	})
	return c, err
}

func putCounters(txn *badger.Txn, mb *[32]byte, c counters) error {
	v := make([]byte, counterValLen)
	binary.BigEndian.PutUint64(v[0:8], c.next)
	binary.BigEndian.PutUint64(v[8:16], c.count)
	binary.BigEndian.PutUint64(v[16:24], c.bytes)
	return txn.Set(counterKey(mb), v)
}

func counterKey(mb *[32]byte) []byte {
	k := make([]byte, counterKeyLen)
	k[0] = prefixCounters
	copy(k[1:], mb[:])
	return k
}

func mailboxPrefix(mb *[32]byte) []byte {
	k := make([]byte, 1+32)
	k[0] = prefixMessage
	copy(k[1:], mb[:])
	return k
}

func messageKey(mb *[32]byte, id uint64) []byte {
	k := make([]byte, messageKeyLen)
	k[0] = prefixMessage
	copy(k[1:], mb[:])
	binary.BigEndian.PutUint64(k[1+32:], id)
	return k
}
