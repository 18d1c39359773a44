package mailbox

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// reclaimExpired deletes the expired messages at the head of mailbox mb,
// oldest first, stopping at the first one that has not expired, and
// returns how many it deleted. Messages expire in id order unless the
// clock went backwards, so this finds them all at the cost of the
// expired ones plus one; Sweep catches any out-of-order stragglers.
// The caller holds the mailbox's lock.
func (s *Store) reclaimExpired(mb *[32]byte, now time.Time) (int, error) {
	total := 0
	for {
		var sc scan
		err := s.db.View(func(txn *badger.Txn) error {
			var err error
			sc, err = scanMailbox(txn, mb, now, txnChunk, true)
			return err
		})
		if err == nil && len(sc.expired) > 0 {
			err = s.db.Update(func(txn *badger.Txn) error {
				return s.deleteMessages(txn, mb, sc.expired)
			})
		}
		if err != nil {
			return total, fmt.Errorf("mailbox: reclaim: %w", err)
		}
		total += len(sc.expired)
		if len(sc.expired) < txnChunk {
			return total, nil
		}
	}
}

// scan is what scanMailbox found.
type scan struct {
	expired   [][]byte // keys of expired messages, oldest first
	live      uint64   // unexpired messages seen
	liveBytes uint64   // and their payload bytes
}

// scanMailbox reads mailbox mb's messages oldest first, collecting the
// keys of up to limit expired ones (limit < 0: all) and counting the
// unexpired ones. With headOnly it stops at the first unexpired message.
func scanMailbox(txn *badger.Txn, mb *[32]byte, now time.Time, limit int, headOnly bool) (scan, error) {
	var sc scan
	nowNs := now.UnixNano()
	prefix := mailboxPrefix(mb)
	io := badger.DefaultIteratorOptions
	io.Prefix = prefix
	if headOnly {
		io.PrefetchValues = false // usually only one or a few are read
	}
	it := txn.NewIterator(io)
	defer it.Close()
	for it.Seek(prefix); it.Valid(); it.Next() {
		item := it.Item()
		var expired bool
		var size int
		if err := item.Value(func(v []byte) error {
			if len(v) < messageHdrLen {
				return fmt.Errorf("message %x: corrupt value of %d bytes", item.Key(), len(v))
			}
			expired = int64(binary.BigEndian.Uint64(v[8:16])) <= nowNs
			size = len(v) - messageHdrLen
			return nil
		}); err != nil {
			return sc, err
		}
		if !expired {
			sc.live++
			sc.liveBytes += uint64(size)
			if headOnly {
				break
			}
			continue
		}
		if limit >= 0 && len(sc.expired) >= limit {
			break
		}
		sc.expired = append(sc.expired, item.KeyCopy(nil))
	}
	return sc, nil
}

// Sweep deletes every expired message of every mailbox and recounts each
// mailbox's messages and bytes from what it holds, repairing counters that
// drifted (see the package documentation). It returns the number of
// messages deleted. The node calls it once after Open and then
// periodically; it reads every message, so not on the packet path.
//
// Sweep takes each mailbox's lock in turn, so it runs alongside the other
// methods.
func (s *Store) Sweep() (int, error) {
	now := s.now()
	removed := 0
	var after []byte // the last counters key handled
	for {
		// Take the mailboxes a page at a time, so that a store with
		// millions of them is not listed into memory at once.
		var page [][32]byte
		err := s.db.View(func(txn *badger.Txn) error {
			io := badger.DefaultIteratorOptions
			io.Prefix = []byte{prefixCounters}
			io.PrefetchValues = false
			it := txn.NewIterator(io)
			defer it.Close()
			if after == nil {
				it.Seek(io.Prefix)
			} else {
				it.Seek(after)
				if it.Valid() && bytes.Equal(it.Item().Key(), after) {
					it.Next()
				}
			}
			for ; it.Valid() && len(page) < txnChunk; it.Next() {
				k := it.Item().Key()
				if len(k) != counterKeyLen {
					continue
				}
				page = append(page, [32]byte(k[1:]))
			}
			return nil
		})
		if err != nil {
			return removed, fmt.Errorf("mailbox: sweep: %w", err)
		}
		for i := range page {
			n, err := s.sweepMailbox(&page[i], now)
			removed += n
			if err != nil {
				return removed, err
			}
		}
		if len(page) < txnChunk {
			break
		}
		after = counterKey(&page[len(page)-1])
	}
	// Values larger than badger's value threshold live in the value log,
	// which compaction does not shrink; give it a chance to.
	if err := s.db.RunValueLogGC(0.5); err != nil &&
		!errors.Is(err, badger.ErrNoRewrite) && !errors.Is(err, badger.ErrRejected) {
		return removed, fmt.Errorf("mailbox: sweep: value log GC: %w", err)
	}
	return removed, nil
}

// sweepMailbox deletes the expired messages of mb and recounts it.
func (s *Store) sweepMailbox(mb *[32]byte, now time.Time) (int, error) {
	mu := s.lock(mb)
	mu.Lock()
	defer mu.Unlock()

	var sc scan
	if err := s.db.View(func(txn *badger.Txn) error {
		var err error
		sc, err = scanMailbox(txn, mb, now, -1, false)
		return err
	}); err != nil {
		return 0, fmt.Errorf("mailbox: sweep %x: %w", mb[:4], err)
	}
	// Delete in chunks, then set the counters to the recount. We hold the
	// lock, so nothing else changes the mailbox in between; a crash part
	// way leaves counters too high, which the next Sweep repairs.
	keys := sc.expired
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), txnChunk)]
		keys = keys[len(chunk):]
		if err := s.db.Update(func(txn *badger.Txn) error {
			for _, k := range chunk {
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return 0, fmt.Errorf("mailbox: sweep %x: %w", mb[:4], err)
		}
	}
	err := s.db.Update(func(txn *badger.Txn) error {
		c, err := getCounters(txn, mb)
		if err != nil {
			return err
		}
		if c.count == sc.live && c.bytes == sc.liveBytes {
			return nil
		}
		if len(sc.expired) == 0 {
			s.log.Warn("mailbox counters repaired", "mailbox", fmt.Sprintf("%x", mb[:4]),
				"count", c.count, "actual_count", sc.live, "bytes", c.bytes, "actual_bytes", sc.liveBytes)
		}
		c.count, c.bytes = sc.live, sc.liveBytes
		return putCounters(txn, mb, c)
	})
	if err != nil {
		return 0, fmt.Errorf("mailbox: sweep %x: %w", mb[:4], err)
	}
	return len(sc.expired), nil
}
