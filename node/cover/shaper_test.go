package cover

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/murmurnet/murmur/node/mixer"
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func seeded(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// sim is the record of a simulated client run.
type sim struct {
	events   []Event[int]
	enqueued []time.Time // enqueue time of real packet i
	wasEmpty []bool      // queue was empty when packet i was enqueued
	ticks    int
}

// simulate runs a shaper from t0 for the given duration. Real packets
// arrive as a Poisson process of rate load (0: idle) drawn from
// arrivals. If jitter > 0 the owner ticks late, at random instants up to
// jitter apart, instead of exactly at Next; Tick is always called at an
// arrival before Enqueue. After the end the queue is drained.
func simulate(t *testing.T, sh *ClientShaper[int], dur time.Duration, load float64, arrivals *rand.Rand, jitter time.Duration) sim {
	t.Helper()
	var s sim
	end := t0.Add(dur)
	now, prev := t0, t0
	nextArrival := end.Add(time.Hour)
	if load > 0 {
		nextArrival = t0.Add(mixer.ExpDelay(arrivals, meanGap(load)))
	}
	var buf []Event[int]
	tick := func(now time.Time) {
		buf = sh.TickAppend(buf[:0], now)
		s.ticks++
		last := prev
		for _, ev := range buf {
			if !ev.At.After(prev) || ev.At.After(now) || ev.At.Before(last) {
				t.Fatalf("event at %v returned by Tick(%v) after Tick(%v) (previous event %v)", ev.At, now, prev, last)
			}
			last = ev.At
		}
		s.events = append(s.events, buf...)
		prev = now
	}
	for now.Before(end) || sh.Len() > 0 {
		wake := sh.Next()
		if jitter > 0 {
			wake = now.Add(time.Duration(arrivals.Int64N(int64(jitter))))
		}
		if nextArrival.Before(wake) {
			now = nextArrival
			tick(now)
			s.wasEmpty = append(s.wasEmpty, sh.Len() == 0)
			if err := sh.Enqueue(now, len(s.enqueued)); err != nil {
				t.Fatalf("Enqueue: %v", err)
			}
			s.enqueued = append(s.enqueued, now)
			nextArrival = now.Add(mixer.ExpDelay(arrivals, meanGap(load)))
			if !nextArrival.Before(end) {
				nextArrival = end.Add(100 * 365 * 24 * time.Hour)
			}
			continue
		}
		now = wake
		tick(now)
	}
	return s
}

func newShaper(t *testing.T, seed uint64, queueCap int) *ClientShaper[int] {
	t.Helper()
	sh, err := NewClientShaper[int](DefaultRates(), queueCap, seeded(seed), t0)
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

// linkTimes returns the times of every packet the client sends.
func linkTimes(events []Event[int]) []time.Time {
	ts := make([]time.Time, len(events))
	for i, ev := range events {
		ts[i] = ev.At
	}
	return ts
}

func streamTimes(events []Event[int], s Stream) []time.Time {
	var ts []time.Time
	for _, ev := range events {
		if ev.Stream == s {
			ts = append(ts, ev.At)
		}
	}
	return ts
}

// checkPoisson checks that ts, spanning dur, has rate within tol of rate
// and exponential gaps by a one-sample KS test at the 1 % level.
func checkPoisson(t *testing.T, name string, ts []time.Time, dur time.Duration, rate, tol float64) {
	t.Helper()
	got := float64(len(ts)) / dur.Seconds()
	if math.Abs(got-rate)/rate > tol {
		t.Errorf("%s: rate %.4f/s, want %.4f/s ± %.0f%%", name, got, rate, 100*tol)
	}
	g := gaps(ts)
	d, crit := ksExp(g, rate), ksC01/math.Sqrt(float64(len(g)))
	t.Logf("%s: %d events, rate %.4f/s (want %g), KS D = %.5f (crit %.5f)", name, len(ts), got, rate, d, crit)
	if d > crit {
		t.Errorf("%s: gaps not exponential: KS D = %.5f > %.5f", name, d, crit)
	}
}

func TestClientShaperRates(t *testing.T) {
	const dur = 100_000 * time.Second
	r := DefaultRates()
	// Tick coarsely: every 10 s many events are due at once.
	sh := newShaper(t, 1, 16)
	var events []Event[int]
	for now := t0; now.Before(t0.Add(dur)); {
		now = now.Add(10 * time.Second)
		events = sh.TickAppend(events, now)
	}
	for i := 1; i < len(events); i++ {
		if events[i].At.Before(events[i-1].At) {
			t.Fatalf("events out of order at %d", i)
		}
	}
	checkPoisson(t, "payload", streamTimes(events, Payload), dur, r.LambdaP, 0.02)
	checkPoisson(t, "loops", streamTimes(events, Loops), dur, r.LambdaL, 0.02)
	checkPoisson(t, "drops", streamTimes(events, Drops), dur, r.LambdaD, 0.02)
	checkPoisson(t, "link", linkTimes(events), dur, r.LambdaP+r.LambdaL+r.LambdaD, 0.02)
	for _, ev := range events {
		want := map[Stream]Kind{Payload: Drop, Loops: Loop, Drops: Drop}[ev.Stream]
		if ev.Kind != want {
			t.Fatalf("idle %v event of kind %v", ev.Stream, ev.Kind)
		}
	}
}

func TestMixLoopsRate(t *testing.T) {
	const dur = 100_000 * time.Second
	r := DefaultRates()
	m, err := NewMixLoops(r, seeded(2), t0)
	if err != nil {
		t.Fatal(err)
	}
	var ts []time.Time
	for now := t0; now.Before(t0.Add(dur)); {
		if next := m.Next(); next.After(now) {
			now = now.Add(7 * time.Second)
		}
		ts = m.TickAppend(ts, now)
		if len(ts) > 0 && ts[len(ts)-1].After(now) {
			t.Fatal("loop after now")
		}
	}
	checkPoisson(t, "mix loops", ts, dur, r.LambdaM, 0.02)
	if _, err := NewMixLoops(Rates{}, seeded(2), t0); !errors.Is(err, ErrInvalidRates) {
		t.Errorf("NewMixLoops(zero rates) = %v", err)
	}
}

// TestObserverCannotTellBusyFromIdle is the point of cover traffic: the
// times at which a client sends do not depend on whether it has anything
// to say.
func TestObserverCannotTellBusyFromIdle(t *testing.T) {
	const dur = 30_000 * time.Second
	load := 0.9 * DefaultRates().LambdaP

	idle := simulate(t, newShaper(t, 10, 100_000), dur, 0, nil, 0)
	busy := simulate(t, newShaper(t, 10, 100_000), dur, load, seeded(11), 0)

	nReal := 0
	for _, ev := range busy.events {
		if ev.Kind == Real {
			nReal++
		}
	}
	if nReal != len(busy.enqueued) || float64(nReal) < 0.85*load*dur.Seconds() {
		t.Fatalf("busy run sent %d real packets of %d enqueued, want about %.0f", nReal, len(busy.enqueued), load*dur.Seconds())
	}

	// Same generator seed: the link times are identical, not merely
	// alike, up to the end of the shorter run (the busy run drains its
	// queue past the end).
	n := min(len(idle.events), len(busy.events))
	if !slices.Equal(linkTimes(idle.events)[:n], linkTimes(busy.events)[:n]) {
		t.Fatal("same seed, different send times when busy")
	}

	// Independent seeds: a two-sample KS test on the gaps of everything
	// the client sends.
	busy2 := simulate(t, newShaper(t, 12, 100_000), dur, load, seeded(13), 0)
	a, b := gaps(linkTimes(idle.events)), gaps(linkTimes(busy2.events))
	d, crit := ks2(a, b), ks2Crit(len(a), len(b))
	t.Logf("idle vs busy (%.1f/s real): n=%d m=%d KS D = %.5f, crit(1%%) = %.5f", load, len(a), len(b), d, crit)
	if d > crit {
		t.Errorf("idle and busy links distinguishable: KS D = %.5f > %.5f", d, crit)
	}
	// Also the payload stream alone.
	a, b = gaps(streamTimes(idle.events, Payload)), gaps(streamTimes(busy2.events, Payload))
	d, crit = ks2(a, b), ks2Crit(len(a), len(b))
	t.Logf("payload stream idle vs busy: KS D = %.5f, crit(1%%) = %.5f", d, crit)
	if d > crit {
		t.Errorf("idle and busy payload streams distinguishable: KS D = %.5f > %.5f", d, crit)
	}

	// Negative control: a client that sent real packets at once, on top
	// of its cover traffic, is caught by the same test.
	leaky := append(linkTimes(busy2.events), busy2.enqueued...)
	slices.SortFunc(leaky, time.Time.Compare)
	a, b = gaps(linkTimes(idle.events)), gaps(leaky)
	d, crit = ks2(a, b), ks2Crit(len(a), len(b))
	t.Logf("negative control, idle vs leaky: KS D = %.5f, crit(1%%) = %.5f", d, crit)
	if d <= crit {
		t.Errorf("KS test failed to detect a leaky client: D = %.5f <= %.5f", d, crit)
	}
}

func TestRealPacketsFIFOAndNextSlot(t *testing.T) {
	for _, tc := range []struct {
		name   string
		load   float64
		jitter time.Duration
	}{
		{"light on time", 0.3, 0},
		{"heavy on time", 1.9, 0},
		{"light late ticks", 0.3, 3 * time.Second},
		{"heavy late ticks", 1.9, 3 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := simulate(t, newShaper(t, 20, 100_000), 5000*time.Second, tc.load, seeded(21), tc.jitter)
			var payload, drops []time.Time // all payload slots; the drop ones
			for _, ev := range s.events {
				if ev.Stream == Payload {
					payload = append(payload, ev.At)
					if ev.Kind == Drop {
						drops = append(drops, ev.At)
					}
				}
			}
			next := 0
			firstSlot := 0
			for _, ev := range s.events {
				if ev.Kind != Real {
					continue
				}
				if ev.Stream != Payload {
					t.Fatalf("real packet on stream %v", ev.Stream)
				}
				if ev.Item != next {
					t.Fatalf("real packet %d sent, want %d (FIFO)", ev.Item, next)
				}
				e := s.enqueued[ev.Item]
				if ev.At.Before(e) {
					t.Fatalf("packet %d sent at %v before its enqueue at %v", ev.Item, ev.At, e)
				}
				// No payload slot in [e, At) went out as a drop.
				lo := sort.Search(len(drops), func(i int) bool { return !drops[i].Before(e) })
				if lo < len(drops) && drops[lo].Before(ev.At) {
					t.Fatalf("packet %d enqueued at %v waited past an empty slot at %v", ev.Item, e, drops[lo])
				}
				if s.wasEmpty[ev.Item] {
					i := sort.Search(len(payload), func(i int) bool { return !payload[i].Before(e) })
					if !payload[i].Equal(ev.At) {
						t.Fatalf("packet %d enqueued to an empty queue at %v sent at %v, not in the next slot %v", ev.Item, e, ev.At, payload[i])
					}
					firstSlot++
				}
				next++
			}
			if next != len(s.enqueued) {
				t.Fatalf("%d of %d real packets sent", next, len(s.enqueued))
			}
			t.Logf("%d real packets, %d into an empty queue, %d Tick calls", next, firstSlot, s.ticks)
		})
	}
}

func TestShaperDeterministic(t *testing.T) {
	a := simulate(t, newShaper(t, 30, 1000), 2000*time.Second, 1, seeded(31), time.Second)
	b := simulate(t, newShaper(t, 30, 1000), 2000*time.Second, 1, seeded(31), time.Second)
	if !slices.Equal(a.events, b.events) {
		t.Fatal("same seeds, different events")
	}
}

func TestEnqueueQueueFull(t *testing.T) {
	sh := newShaper(t, 40, 3)
	for i := range 3 {
		if err := sh.Enqueue(t0, i); err != nil {
			t.Fatal(err)
		}
	}
	if err := sh.Enqueue(t0, 3); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("Enqueue on a full queue = %v, want ErrQueueFull", err)
	}
	// Drain exactly one real packet through the next payload slot.
	for sh.Len() == 3 {
		sh.Tick(sh.Next())
	}
	if err := sh.Enqueue(t0, 3); err != nil {
		t.Fatalf("Enqueue after a slot freed: %v", err)
	}
	if sh.Len() != 3 {
		t.Fatalf("Len() = %d, want 3", sh.Len())
	}
	var got []int
	for sh.Len() > 0 {
		for _, ev := range sh.Tick(sh.Next()) {
			if ev.Kind == Real {
				got = append(got, ev.Item)
			}
		}
	}
	if !slices.Equal(got, []int{1, 2, 3}) {
		t.Fatalf("drained %v, want [1 2 3]", got)
	}
}

func TestNewClientShaperErrors(t *testing.T) {
	if _, err := NewClientShaper[int](Rates{}, 1, seeded(1), t0); !errors.Is(err, ErrInvalidRates) {
		t.Errorf("zero rates: %v", err)
	}
	if _, err := NewClientShaper[int](DefaultRates(), 0, seeded(1), t0); err == nil {
		t.Error("zero capacity accepted")
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{Real: "real", Drop: "drop", Loop: "loop", 9: "Kind(9)"} {
		if k.String() != want {
			t.Errorf("%d.String() = %q, want %q", k, k.String(), want)
		}
	}
}
