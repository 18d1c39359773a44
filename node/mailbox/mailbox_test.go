package mailbox

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// fakeClock is an injected clock that moves only when told to.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *fakeClock {
	return &fakeClock{now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// open opens a store in dir and closes it at the end of the test unless
// the test closed it itself.
func open(t testing.TB, dir string, opts Options) *Store {
	t.Helper()
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !s.db.IsClosed() {
			s.Close()
		}
	})
	return s
}

func mbox(b byte) [32]byte {
	var m [32]byte
	m[0], m[31] = b, b
	return m
}

func put(t testing.TB, s *Store, mb [32]byte, payload string) uint64 {
	t.Helper()
	id, err := s.Put(mb, []byte(payload))
	if err != nil {
		t.Fatalf("Put(%q): %v", payload, err)
	}
	return id
}

// fetch returns the ids and payloads of the first limit messages.
func fetch(t testing.TB, s *Store, mb [32]byte, limit int) ([]uint64, []string) {
	t.Helper()
	msgs, err := s.Fetch(mb, limit)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	var ids []uint64
	var payloads []string
	for _, m := range msgs {
		ids = append(ids, m.ID)
		payloads = append(payloads, string(m.Payload))
	}
	return ids, payloads
}

func ack(t testing.TB, s *Store, mb [32]byte, ids ...uint64) {
	t.Helper()
	if err := s.Ack(mb, ids); err != nil {
		t.Fatalf("Ack(%v): %v", ids, err)
	}
}

func wantStats(t testing.TB, s *Store, mb [32]byte, count int, bytes int64) {
	t.Helper()
	c, b, err := s.Stats(mb)
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	if c != count || b != bytes {
		t.Fatalf("Stats = %d messages, %d bytes; want %d, %d", c, b, count, bytes)
	}
}

func TestPutFetchAck(t *testing.T) {
	clk := newClock()
	s := open(t, t.TempDir(), Options{Now: clk.Now})
	mb := mbox(1)

	t0 := clk.Now()
	if id := put(t, s, mb, "one"); id != 1 {
		t.Fatalf("first id = %d, want 1", id)
	}
	clk.Advance(time.Second)
	put(t, s, mb, "two")
	put(t, s, mb, "three")
	wantStats(t, s, mb, 3, 11)

	msgs, err := s.Fetch(mb, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 3 {
		t.Fatalf("fetched %d messages, want 3", len(msgs))
	}
	if !msgs[0].Received.Equal(t0) || !msgs[1].Received.Equal(t0.Add(time.Second)) {
		t.Errorf("received times %v, %v; want %v, %v", msgs[0].Received, msgs[1].Received, t0, t0.Add(time.Second))
	}

	// Fetching deletes nothing.
	ids, payloads := fetch(t, s, mb, 10)
	if !slices.Equal(ids, []uint64{1, 2, 3}) || !slices.Equal(payloads, []string{"one", "two", "three"}) {
		t.Fatalf("fetch = %v %q", ids, payloads)
	}

	ack(t, s, mb, 1, 3)
	ids, payloads = fetch(t, s, mb, 10)
	if !slices.Equal(ids, []uint64{2}) || payloads[0] != "two" {
		t.Fatalf("after ack: %v %q", ids, payloads)
	}
	wantStats(t, s, mb, 1, 3)

	ack(t, s, mb, 2)
	if ids, _ := fetch(t, s, mb, 10); len(ids) != 0 {
		t.Fatalf("after acking all: %v", ids)
	}
	wantStats(t, s, mb, 0, 0)
	// Ids keep increasing after the mailbox empties.
	if id := put(t, s, mb, "four"); id != 4 {
		t.Fatalf("next id = %d, want 4", id)
	}
}

func TestFetchOrderAndLimit(t *testing.T) {
	s := open(t, t.TempDir(), Options{Now: newClock().Now})
	mb := mbox(2)
	// Enough messages that ids cross a byte boundary: big-endian keys keep
	// id 256 after id 255.
	for i := range 300 {
		put(t, s, mb, fmt.Sprint(i))
	}
	ids, _ := fetch(t, s, mb, 4)
	if !slices.Equal(ids, []uint64{1, 2, 3, 4}) {
		t.Fatalf("fetch 4 = %v", ids)
	}
	ack(t, s, mb, ids...)
	ids, _ = fetch(t, s, mb, 4)
	if !slices.Equal(ids, []uint64{5, 6, 7, 8}) {
		t.Fatalf("fetch 4 after ack = %v", ids)
	}
	ids, payloads := fetch(t, s, mb, 1000)
	if len(ids) != 296 || !slices.IsSorted(ids) || payloads[len(payloads)-1] != "299" {
		t.Fatalf("fetch all: %d ids, sorted %v, last %q", len(ids), slices.IsSorted(ids), payloads[len(payloads)-1])
	}
}

func TestMailboxesAreSeparate(t *testing.T) {
	s := open(t, t.TempDir(), Options{Now: newClock().Now})
	a, b := mbox(1), mbox(2)
	put(t, s, a, "for a")
	if id := put(t, s, b, "for b"); id != 1 {
		t.Fatalf("b's first id = %d, want 1: ids are per mailbox", id)
	}
	// Acking id 1 of b leaves a's message 1 alone.
	ack(t, s, b, 1)
	if ids, payloads := fetch(t, s, a, 10); !slices.Equal(ids, []uint64{1}) || payloads[0] != "for a" {
		t.Fatalf("a after acking b: %v %q", ids, payloads)
	}
	wantStats(t, s, a, 1, 5)
	wantStats(t, s, b, 0, 0)
}

func TestRestartKeepsMessagesQuotaAndIDs(t *testing.T) {
	dir := t.TempDir()
	clk := newClock()
	opts := Options{Now: clk.Now, QuotaBytes: 100}
	mb := mbox(3)

	s := open(t, dir, opts)
	for _, p := range []string{"aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc", strings.Repeat("d", 60)} {
		put(t, s, mb, p)
	}
	ack(t, s, mb, 2)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, dir, opts)
	ids, payloads := fetch(t, s, mb, 10)
	if !slices.Equal(ids, []uint64{1, 3, 4}) || payloads[0] != "aaaaaaaaaa" {
		t.Fatalf("after restart: %v %q", ids, payloads)
	}
	wantStats(t, s, mb, 3, 80)
	// The quota remembers the 80 bytes held: 21 more do not fit, 20 do.
	if _, err := s.Put(mb, make([]byte, 21)); !errors.Is(err, ErrQuotaExceeded) {
		t.Fatalf("Put over quota after restart: %v, want ErrQuotaExceeded", err)
	}
	if id := put(t, s, mb, strings.Repeat("e", 20)); id != 5 {
		t.Fatalf("id after restart = %d, want 5", id)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// An empty mailbox keeps counting from where it was.
	s = open(t, dir, opts)
	ack(t, s, mb, 1, 3, 4, 5)
	wantStats(t, s, mb, 0, 0)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir, opts)
	if id := put(t, s, mb, "f"); id != 6 {
		t.Fatalf("id after emptying and restarting = %d, want 6", id)
	}
}

func TestExpiry(t *testing.T) {
	clk := newClock()
	s := open(t, t.TempDir(), Options{Now: clk.Now, TTL: time.Hour})
	mb := mbox(4)

	put(t, s, mb, "old")
	clk.Advance(30 * time.Minute)
	put(t, s, mb, "new")
	clk.Advance(30 * time.Minute) // "old" expires exactly now

	ids, _ := fetch(t, s, mb, 10)
	if !slices.Equal(ids, []uint64{2}) {
		t.Fatalf("fetch at old's expiry = %v, want [2]", ids)
	}
	// Until Sweep, the expired message is still accounted.
	wantStats(t, s, mb, 2, 6)
	n, err := s.Sweep()
	if err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want 1, nil", n, err)
	}
	wantStats(t, s, mb, 1, 3)

	clk.Advance(29*time.Minute + 59*time.Second)
	if ids, _ := fetch(t, s, mb, 10); !slices.Equal(ids, []uint64{2}) {
		t.Fatalf("fetch just before new's expiry = %v", ids)
	}
	clk.Advance(time.Second)
	if ids, _ := fetch(t, s, mb, 10); len(ids) != 0 {
		t.Fatalf("fetch after all expired = %v", ids)
	}
	// Acking an expired message that Sweep has not reached yet is fine.
	ack(t, s, mb, 2)
	wantStats(t, s, mb, 0, 0)
	if n, err := s.Sweep(); err != nil || n != 0 {
		t.Fatalf("second Sweep = %d, %v; want 0, nil", n, err)
	}
}

func TestQuota(t *testing.T) {
	s := open(t, t.TempDir(), Options{Now: newClock().Now, QuotaBytes: 100})
	mb := mbox(5)
	put(t, s, mb, strings.Repeat("a", 60))
	if _, err := s.Put(mb, make([]byte, 50)); !errors.Is(err, ErrQuotaExceeded) {
		t.Fatalf("Put 50 onto 60 of 100: %v, want ErrQuotaExceeded", err)
	}
	put(t, s, mb, strings.Repeat("b", 40)) // exactly full
	if _, err := s.Put(mb, []byte{1}); !errors.Is(err, ErrQuotaExceeded) {
		t.Fatalf("Put 1 onto a full mailbox: %v, want ErrQuotaExceeded", err)
	}
	wantStats(t, s, mb, 2, 100)
	// Another mailbox has its own quota.
	put(t, s, mbox(6), strings.Repeat("c", 100))

	// Acknowledging makes room again; a refused Put used no id.
	ack(t, s, mb, 1)
	if id := put(t, s, mb, strings.Repeat("d", 60)); id != 3 {
		t.Fatalf("id after refusals = %d, want 3", id)
	}
	wantStats(t, s, mb, 2, 100)
}

func TestQuotaReclaimsExpired(t *testing.T) {
	clk := newClock()
	s := open(t, t.TempDir(), Options{Now: clk.Now, QuotaBytes: 100, TTL: time.Hour})
	mb := mbox(7)
	put(t, s, mb, strings.Repeat("a", 50))
	put(t, s, mb, strings.Repeat("b", 30))
	clk.Advance(time.Hour)
	put(t, s, mb, strings.Repeat("c", 10))
	// 90 bytes accounted, 10 of them live: a Put of 80 makes room by
	// deleting the expired messages, without a Sweep.
	if _, err := s.Put(mb, make([]byte, 80)); err != nil {
		t.Fatalf("Put with expired messages in the way: %v", err)
	}
	wantStats(t, s, mb, 2, 90)
	if ids, _ := fetch(t, s, mb, 10); !slices.Equal(ids, []uint64{3, 4}) {
		t.Fatalf("fetch = %v, want [3 4]", ids)
	}
	// With nothing expired, the quota holds.
	if _, err := s.Put(mb, make([]byte, 11)); !errors.Is(err, ErrQuotaExceeded) {
		t.Fatalf("Put over quota: %v, want ErrQuotaExceeded", err)
	}
}

func TestTooLarge(t *testing.T) {
	s := open(t, t.TempDir(), Options{Now: newClock().Now, MaxMessageBytes: 10})
	mb := mbox(8)
	if _, err := s.Put(mb, make([]byte, 11)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Put 11 bytes: %v, want ErrTooLarge", err)
	}
	if id := put(t, s, mb, "0123456789"); id != 1 {
		t.Fatalf("id = %d, want 1: a refused message uses no id", id)
	}
	// The default limit.
	s2 := open(t, t.TempDir(), Options{})
	if _, err := s2.Put(mb, make([]byte, DefaultMaxMessageBytes+1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Put over the default limit: %v, want ErrTooLarge", err)
	}
}

func TestEmptyAndUnknownMailbox(t *testing.T) {
	s := open(t, t.TempDir(), Options{Now: newClock().Now})
	mb := mbox(9)
	if msgs, err := s.Fetch(mb, 10); err != nil || len(msgs) != 0 {
		t.Fatalf("Fetch of unknown mailbox = %v, %v", msgs, err)
	}
	wantStats(t, s, mb, 0, 0)
	ack(t, s, mb, 1, 2, 3)
	ack(t, s, mb)
	put(t, s, mb, "x")
	if msgs, err := s.Fetch(mb, 0); err != nil || msgs != nil {
		t.Fatalf("Fetch with limit 0 = %v, %v", msgs, err)
	}
	if msgs, err := s.Fetch(mb, -1); err != nil || msgs != nil {
		t.Fatalf("Fetch with limit -1 = %v, %v", msgs, err)
	}
	// An empty payload is a message too.
	if _, err := s.Put(mb, nil); err != nil {
		t.Fatal(err)
	}
	if ids, payloads := fetch(t, s, mb, 10); !slices.Equal(ids, []uint64{1, 2}) || payloads[1] != "" {
		t.Fatalf("fetch = %v %q", ids, payloads)
	}
}

func TestAckIdempotent(t *testing.T) {
	s := open(t, t.TempDir(), Options{Now: newClock().Now})
	mb := mbox(10)
	put(t, s, mb, "aaaa")
	put(t, s, mb, "bb")
	// Unknown ids, duplicates and repeats change nothing beyond the
	// first delete.
	ack(t, s, mb, 1, 1, 99, 0)
	wantStats(t, s, mb, 1, 2)
	ack(t, s, mb, 1)
	wantStats(t, s, mb, 1, 2)
	if ids, _ := fetch(t, s, mb, 10); !slices.Equal(ids, []uint64{2}) {
		t.Fatalf("fetch = %v", ids)
	}
}

func TestAckManyIDs(t *testing.T) {
	s := open(t, t.TempDir(), Options{Now: newClock().Now})
	mb := mbox(11)
	const n = txnChunk + 200
	var ids []uint64
	for range n {
		ids = append(ids, put(t, s, mb, "m"))
	}
	// More ids than one transaction takes, including ones that never
	// existed.
	ids = append(ids, n+1, n+2)
	ack(t, s, mb, ids[:n-1]...)
	wantStats(t, s, mb, 1, 1)
	ack(t, s, mb, ids...)
	wantStats(t, s, mb, 0, 0)
}

func TestPayloadIsCopied(t *testing.T) {
	s := open(t, t.TempDir(), Options{Now: newClock().Now})
	mb := mbox(12)
	p := []byte("hello")
	if _, err := s.Put(mb, p); err != nil {
		t.Fatal(err)
	}
	p[0] = 'J'
	msgs, _ := s.Fetch(mb, 1)
	if string(msgs[0].Payload) != "hello" {
		t.Fatalf("stored payload changed with the caller's slice: %q", msgs[0].Payload)
	}
	msgs[0].Payload[0] = 'Y'
	if _, payloads := fetch(t, s, mb, 1); payloads[0] != "hello" {
		t.Fatalf("stored payload changed with the fetched slice: %q", payloads[0])
	}
}

func TestConcurrentPuts(t *testing.T) {
	clk := newClock()
	s := open(t, t.TempDir(), Options{Now: clk.Now})
	const goroutines, each, mailboxes = 16, 40, 4
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				mb := mbox(byte((g + i) % mailboxes))
				if _, err := s.Put(mb, fmt.Appendf(nil, "g%d-%d", g, i)); err != nil {
					errs <- err
					return
				}
				if i%10 == 0 {
					if _, err := s.Fetch(mb, 5); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	// Acks and Sweep run alongside the puts.
	wg.Go(func() {
		for range 20 {
			if err := s.Ack(mbox(0), []uint64{1, 2}); err != nil {
				errs <- err
				return
			}
			if _, err := s.Sweep(); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	total := 0
	for m := range mailboxes {
		mb := mbox(byte(m))
		msgs, err := s.Fetch(mb, goroutines*each)
		if err != nil {
			t.Fatal(err)
		}
		count, bytes, _ := s.Stats(mb)
		var sum int64
		seen := make(map[string]bool)
		for i, msg := range msgs {
			if i > 0 && msg.ID <= msgs[i-1].ID {
				t.Fatalf("mailbox %d: ids not increasing: %d then %d", m, msgs[i-1].ID, msg.ID)
			}
			if seen[string(msg.Payload)] {
				t.Fatalf("mailbox %d: payload %q twice", m, msg.Payload)
			}
			seen[string(msg.Payload)] = true
			sum += int64(len(msg.Payload))
		}
		if count != len(msgs) || bytes != sum {
			t.Fatalf("mailbox %d: Stats %d, %d; messages %d, %d", m, count, bytes, len(msgs), sum)
		}
		// The next id is one past every id handed out (acks included).
		if m != 0 && msgs[len(msgs)-1].ID != uint64(len(msgs)) {
			t.Fatalf("mailbox %d: last id %d, want %d", m, msgs[len(msgs)-1].ID, len(msgs))
		}
		total += len(msgs)
	}
	acked := goroutines*each - total
	if acked < 0 || acked > 2 {
		t.Fatalf("%d messages missing, at most 2 were acknowledged", acked)
	}
}

// TestSweepRepairsCounters makes the counters disagree with the messages,
// as they would after badger's TTL backstop dropped messages, and checks
// that Sweep recounts and says so.
func TestSweepRepairsCounters(t *testing.T) {
	var logs bytes.Buffer
	clk := newClock()
	s := open(t, t.TempDir(), Options{
		Now:    clk.Now,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	mb := mbox(13)
	put(t, s, mb, "12345")
	put(t, s, mb, "678")
	if err := s.db.Update(func(txn *badger.Txn) error {
		return putCounters(txn, &mb, counters{next: 3, count: 7, bytes: 1000})
	}); err != nil {
		t.Fatal(err)
	}
	wantStats(t, s, mb, 7, 1000)
	if n, err := s.Sweep(); err != nil || n != 0 {
		t.Fatalf("Sweep = %d, %v", n, err)
	}
	wantStats(t, s, mb, 2, 8)
	if !strings.Contains(logs.String(), "mailbox counters repaired") {
		t.Errorf("no warning logged; logs: %q", logs.String())
	}
	// The next id was kept.
	if id := put(t, s, mb, "x"); id != 3 {
		t.Fatalf("id after repair = %d, want 3", id)
	}
}

// TestSweepManyMailboxes covers Sweep's paging over mailboxes.
func TestSweepManyMailboxes(t *testing.T) {
	clk := newClock()
	s := open(t, t.TempDir(), Options{Now: clk.Now, TTL: time.Hour})
	const n = txnChunk + 100
	for i := range n {
		var mb [32]byte
		mb[0], mb[1] = byte(i>>8), byte(i)
		put(t, s, mb, "old")
	}
	clk.Advance(time.Hour)
	var keep [32]byte
	keep[0] = 0xff
	put(t, s, keep, "fresh")
	removed, err := s.Sweep()
	if err != nil || removed != n {
		t.Fatalf("Sweep = %d, %v; want %d, nil", removed, err, n)
	}
	wantStats(t, s, keep, 1, 5)
	var last [32]byte
	last[0], last[1] = byte((n-1)>>8), byte((n-1)&0xff)
	wantStats(t, s, last, 0, 0)
}

func TestOptions(t *testing.T) {
	for _, o := range []Options{{TTL: -1}, {QuotaBytes: -1}, {MaxMessageBytes: -1}} {
		if _, err := Open(t.TempDir(), o); err == nil {
			t.Errorf("Open(%+v) accepted", o)
		}
	}
	s := open(t, t.TempDir(), Options{})
	if s.ttl != DefaultTTL || s.quota != DefaultQuotaBytes || s.maxBytes != DefaultMaxMessageBytes {
		t.Errorf("defaults: ttl %v, quota %d, max %d", s.ttl, s.quota, s.maxBytes)
	}
	// The directory is locked while open.
	dir := t.TempDir()
	open(t, dir, Options{})
	if s2, err := Open(dir, Options{}); err == nil {
		s2.Close()
		t.Error("opened the same directory twice")
	}
}

func TestSchemaVersionChecked(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{})
	if err := s.db.Update(func(txn *badger.Txn) error {
		return txn.Set(schemaKey, []byte{0, 0, 0, 2})
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s2, err := Open(dir, Options{}); err == nil {
		s2.Close()
		t.Fatal("opened a database of another schema version")
	}
}

func TestClosedStore(t *testing.T) {
	s := open(t, t.TempDir(), Options{})
	s.Close()
	if _, err := s.Put(mbox(1), []byte("x")); err == nil {
		t.Error("Put after Close succeeded")
	}
	if _, err := s.Fetch(mbox(1), 1); err == nil {
		t.Error("Fetch after Close succeeded")
	}
}

// BenchmarkPut stores 2 KiB payloads, the size of a Sphinx payload,
// spread over many mailboxes.
func BenchmarkPut(b *testing.B) {
	s := open(b, b.TempDir(), Options{})
	payload := make([]byte, 2048)
	var mb [32]byte
	i := 0
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		mb[0], mb[1] = byte(i), byte(i>>8)
		i++
		if _, err := s.Put(mb, payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutConcurrent is Put as a provider's deliveries call it: many
// at once, each waiting for its write to be on disk, sharing the syncs.
func BenchmarkPutConcurrent(b *testing.B) {
	s := open(b, b.TempDir(), Options{})
	payload := make([]byte, 2048)
	var next atomic.Uint64
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	b.SetParallelism(32)
	b.RunParallel(func(pb *testing.PB) {
		var mb [32]byte
		for pb.Next() {
			i := next.Add(1)
			mb[0], mb[1] = byte(i), byte(i>>8)
			if _, err := s.Put(mb, payload); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// TestWritesAreSynced checks that the store syncs each write before it
// returns: a message a provider counted as delivered must survive a crash
// of the machine, which no test here can cause.
func TestWritesAreSynced(t *testing.T) {
	s := open(t, t.TempDir(), Options{})
	if !s.db.Opts().SyncWrites {
		t.Fatal("the mailbox database does not sync its writes")
	}
}
