package mixer

import (
	"sync"
	"testing"
)

func TestCountersSnapshot(t *testing.T) {
	var c Counters
	snap := c.Snapshot()
	if len(snap) != len(Reasons()) {
		t.Fatalf("snapshot has %d entries, want one per reason (%d)", len(snap), len(Reasons()))
	}
	for _, r := range Reasons() {
		v, ok := snap[r.String()]
		if !ok || v != 0 {
			t.Errorf("snapshot[%q] = %d, %v; want 0, true", r, v, ok)
		}
	}

	c.Inc(Replay)
	c.Inc(Replay)
	c.Add(QueueFull, 5)
	snap = c.Snapshot()
	if snap["replay"] != 2 || snap["queue_full"] != 5 || snap["invalid_mac"] != 0 {
		t.Errorf("snapshot = %v", snap)
	}
	if c.Get(Replay) != 2 {
		t.Errorf("Get(Replay) = %d, want 2", c.Get(Replay))
	}
}

func TestReasonNames(t *testing.T) {
	seen := make(map[string]bool)
	for _, r := range Reasons() {
		name := r.String()
		if name == "" || name == "unknown" || seen[name] {
			t.Errorf("reason %d has a missing or duplicate name %q", r, name)
		}
		seen[name] = true
	}
	if got := Reason(200).String(); got != "unknown" {
		t.Errorf("Reason(200).String() = %q, want unknown", got)
	}
	if MailboxFull.String() != "mailbox_full" || DecodeError.String() != "decode_error" {
		t.Errorf("unexpected names: %s %s", MailboxFull, DecodeError)
	}
}

func TestCountersConcurrent(t *testing.T) {
	var c Counters
	const workers, each = 8, 1000
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range each {
				c.Inc(Reason(w % int(numReasons)))
				c.Inc(RateLimited)
			}
		})
	}
	wg.Wait()
	if got := c.Get(RateLimited); got < workers*each {
		t.Errorf("RateLimited = %d, want at least %d", got, workers*each)
	}
	var total uint64
	for _, v := range c.Snapshot() {
		total += v
	}
	if total != 2*workers*each {
		t.Errorf("total = %d, want %d", total, 2*workers*each)
	}
}

func BenchmarkCountersInc(b *testing.B) {
	var c Counters
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Inc(InvalidMAC)
		}
	})
}
