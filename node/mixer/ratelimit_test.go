package mixer

import (
	"fmt"
	"math"
	"sync"
	"testing"
	"time"
)

// fakeClock is the time the tests pass to the limiter; it moves only when
// told to.
type fakeClock struct{ now time.Time }

func (c *fakeClock) advance(d time.Duration) time.Time {
	c.now = c.now.Add(d)
	return c.now
}

func newClock() *fakeClock {
	return &fakeClock{now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func mustLimiter(t testing.TB, cfg RateLimitConfig) *RateLimiter {
	t.Helper()
	l, err := NewRateLimiter(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// allowN calls Allow n times at the same instant and returns how many
// were allowed.
func allowN(l *RateLimiter, peer string, now time.Time, n int) int {
	ok := 0
	for range n {
		if l.Allow(peer, now) {
			ok++
		}
	}
	return ok
}

func TestRateLimiterBurstAndRefill(t *testing.T) {
	clk := newClock()
	l := mustLimiter(t, RateLimitConfig{Rate: 10, Burst: 5})

	// A new peer has a full bucket.
	if got := allowN(l, "p", clk.now, 8); got != 5 {
		t.Fatalf("burst: allowed %d, want 5", got)
	}
	// 10/s is one token per 100ms; 99ms is not enough.
	if l.Allow("p", clk.advance(99*time.Millisecond)) {
		t.Fatal("allowed before a token refilled")
	}
	if !l.Allow("p", clk.advance(time.Millisecond)) {
		t.Fatal("denied after a token refilled")
	}
	// Fractions of a token accumulate across calls.
	for range 3 {
		if l.Allow("p", clk.advance(50*time.Millisecond)) {
			// At most one of each two 50ms steps may pass.
			if l.Allow("p", clk.now) {
				t.Fatal("two packets allowed from half-token steps")
			}
		}
	}
	// A long idle period refills only up to the burst.
	if got := allowN(l, "p", clk.advance(time.Hour), 10); got != 5 {
		t.Fatalf("after idle: allowed %d, want 5", got)
	}
	// Sustained: over 10s at 10/s, about 100 pass.
	got := 0
	for range 1000 {
		if l.Allow("p", clk.advance(10*time.Millisecond)) {
			got++
		}
	}
	if got < 99 || got > 101 {
		t.Fatalf("sustained: allowed %d in 10s, want 100", got)
	}
}

func TestRateLimiterPeersIndependent(t *testing.T) {
	clk := newClock()
	l := mustLimiter(t, RateLimitConfig{Rate: 1, Burst: 2})
	if got := allowN(l, "a", clk.now, 3); got != 2 {
		t.Fatalf("a: allowed %d, want 2", got)
	}
	if got := allowN(l, "b", clk.now, 3); got != 2 {
		t.Fatalf("b is limited by a's traffic: allowed %d, want 2", got)
	}
}

func TestRateLimiterClockBackwards(t *testing.T) {
	clk := newClock()
	l := mustLimiter(t, RateLimitConfig{Rate: 1, Burst: 1})
	if !l.Allow("p", clk.now) {
		t.Fatal("first packet denied")
	}
	// Stepping back creates no tokens...
	if l.Allow("p", clk.advance(-time.Hour)) {
		t.Fatal("allowed after the clock went back")
	}
	// ...and neither does returning to where the clock was.
	if l.Allow("p", clk.advance(time.Hour)) {
		t.Fatal("allowed after the clock returned")
	}
	// Refill counts from the latest time seen.
	if l.Allow("p", clk.advance(999*time.Millisecond)) {
		t.Fatal("allowed before a full second passed")
	}
	if !l.Allow("p", clk.advance(time.Millisecond)) {
		t.Fatal("denied a second after the last packet")
	}
}

func TestRateLimiterMaxPeers(t *testing.T) {
	clk := newClock()
	l := mustLimiter(t, RateLimitConfig{Rate: 1, Burst: 1, MaxPeers: 3})
	for i := range 10 {
		if !l.Allow(fmt.Sprint("p", i), clk.now) {
			t.Fatalf("new peer p%d denied", i)
		}
		if l.Len() > 3 {
			t.Fatalf("tracking %d peers, max 3", l.Len())
		}
	}
	// p9, p8, p7 are tracked (empty buckets); p0 was forgotten.
	if l.Allow("p9", clk.now) {
		t.Fatal("p9 allowed twice in a burst of 1")
	}
	// Seeing p0 again evicts the least recently seen, p7 (p9 was just
	// seen, then p8 is older than p9 but newer than p7).
	if !l.Allow("p0", clk.now) {
		t.Fatal("forgotten peer p0 denied")
	}
	if l.Allow("p8", clk.now) {
		t.Fatal("p8 should still be tracked with an empty bucket")
	}
	if !l.Allow("p7", clk.now) {
		t.Fatal("p7 should have been forgotten and start full")
	}
}

func TestRateLimiterForgetsIdlePeers(t *testing.T) {
	clk := newClock()
	l := mustLimiter(t, RateLimitConfig{Rate: 10, Burst: 10})
	for i := range 100 {
		l.Allow(fmt.Sprint("p", i), clk.now)
	}
	if l.Len() != 100 {
		t.Fatalf("Len = %d, want 100", l.Len())
	}
	// After a second every bucket is full again; one active peer's traffic
	// drains the idle ones from the table.
	clk.advance(time.Second)
	for range 60 {
		l.Allow("active", clk.advance(time.Millisecond))
	}
	if l.Len() != 1 {
		t.Fatalf("Len = %d after the others went idle, want 1", l.Len())
	}
	// A peer whose bucket is not yet full is remembered.
	l2 := mustLimiter(t, RateLimitConfig{Rate: 1, Burst: 10})
	allowN(l2, "drained", clk.now, 10)
	for range 10 {
		l2.Allow("other", clk.advance(100*time.Millisecond))
	}
	if l2.Allow("drained", clk.now) != true || l2.Len() != 2 {
		t.Fatalf("drained peer forgotten too early (Len %d)", l2.Len())
	}
	if got := allowN(l2, "drained", clk.now, 10); got != 0 {
		t.Fatalf("drained peer got a fresh bucket: allowed %d", got)
	}
}

func TestRateLimiterConfig(t *testing.T) {
	for _, cfg := range []RateLimitConfig{
		{Rate: 0, Burst: 1},
		{Rate: -1, Burst: 1},
		{Rate: math.NaN(), Burst: 1},
		{Rate: math.Inf(1), Burst: 1},
		{Rate: 1, Burst: 0},
		{Rate: 1, Burst: 1, MaxPeers: -1},
	} {
		if _, err := NewRateLimiter(cfg); err == nil {
			t.Errorf("NewRateLimiter(%+v) accepted", cfg)
		}
	}
	l := mustLimiter(t, RateLimitConfig{Rate: 1, Burst: 1})
	if l.max != DefaultMaxPeers {
		t.Errorf("default MaxPeers = %d, want %d", l.max, DefaultMaxPeers)
	}
}

func TestRateLimiterNoAllocsForKnownPeer(t *testing.T) {
	clk := newClock()
	l := mustLimiter(t, RateLimitConfig{Rate: 1000, Burst: 10})
	peer := "12D3KooWpeer"
	l.Allow(peer, clk.now)
	allocs := testing.AllocsPerRun(1000, func() {
		l.Allow(peer, clk.advance(time.Millisecond))
	})
	if allocs != 0 {
		t.Fatalf("Allow allocates %.1f times per call for a known peer", allocs)
	}
}

func TestRateLimiterConcurrent(t *testing.T) {
	l := mustLimiter(t, RateLimitConfig{Rate: 1, Burst: 50, MaxPeers: 16})
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := make(map[string]int)
	for w := range 8 {
		wg.Go(func() {
			peer := fmt.Sprint("p", w%4)
			n := allowN(l, peer, t0, 100)
			mu.Lock()
			allowed[peer] += n
			mu.Unlock()
		})
	}
	wg.Wait()
	// Two goroutines share each peer; at one instant the peer gets its
	// burst and no more.
	for p, n := range allowed {
		if n != 50 {
			t.Errorf("%s allowed %d, want 50", p, n)
		}
	}
}

func BenchmarkRateLimiterAllow(b *testing.B) {
	l := mustLimiter(b, RateLimitConfig{Rate: 1e6, Burst: 100})
	peers := make([]string, 64)
	for i := range peers {
		peers[i] = fmt.Sprint("12D3KooWpeer", i)
	}
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(time.Microsecond)
		l.Allow(peers[i%len(peers)], now)
		i++
	}
}
