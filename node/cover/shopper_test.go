package cover

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/murmurnet/murmur/node/mixer"
)

func node(i int) NodeID { return NodeID{byte(i + 1)} }

// shopperSim sends one loop every 500 ms through one random mix of each
// of 3 layers of 2 (mixes 0..5) and calls check after each send. A loop
// through a mix is lost with probability drop(mix), and independently
// with probability netLoss anywhere; the others return after 5
// exponential hops of 50 ms plus 100 ms. It returns the shopper.
func shopperSim(t *testing.T, loops int, rng *rand.Rand, drop func(int) float64, netLoss float64, check func(i int, s *Shopper)) *Shopper {
	t.Helper()
	r := DefaultRates()
	s := NewShopper(DefaultShopperConfig(r, 5))
	type ret struct {
		id LoopID
		at time.Time
	}
	var returns []ret
	for i := range loops {
		now := t0.Add(time.Duration(i) * 500 * time.Millisecond)
		// Deliver the returns due by now, in time order.
		slices.SortFunc(returns, func(a, b ret) int { return a.at.Compare(b.at) })
		k := 0
		for k < len(returns) && !returns[k].at.After(now) {
			if !s.Returned(returns[k].id, returns[k].at) {
				t.Fatalf("loop %d unknown on return", returns[k].id)
			}
			k++
		}
		returns = returns[k:]
		s.Expire(now)
		if check != nil {
			check(i, s)
		}
		path := []NodeID{node(rng.IntN(2)), node(2 + rng.IntN(2)), node(4 + rng.IntN(2))}
		if err := s.Sent(LoopID(i), path, now); err != nil {
			t.Fatal(err)
		}
		lost := rng.Float64() < netLoss
		for _, n := range path {
			if rng.Float64() < drop(int(n[0]-1)) {
				lost = true
			}
		}
		if !lost {
			lat := 100 * time.Millisecond
			for range 5 {
				lat += mixer.ExpDelay(rng, r.Mu)
			}
			returns = append(returns, ret{LoopID(i), now.Add(lat)})
		}
	}
	return s
}

func TestShopperFindsDroppingMix(t *testing.T) {
	const loops, bound = 2000, 400
	bad := node(2)
	identified := -1 // loops sent when Suspects became [bad] for good
	s := shopperSim(t, loops, seeded(50), func(m int) float64 {
		if m == 2 {
			return 0.5
		}
		return 0
	}, 0, func(i int, s *Shopper) {
		sus := s.Suspects()
		for _, n := range sus {
			if n != bad {
				t.Fatalf("after %d loops healthy mix %d suspected: %+v", i, n[0]-1, s.Scores()[n])
			}
		}
		switch {
		case len(sus) == 1 && identified < 0:
			identified = i
		case len(sus) == 0:
			identified = -1
		}
		for m := range 6 {
			if s.Avoid(node(m)) != (len(sus) == 1 && m == 2) {
				t.Fatalf("after %d loops Avoid(%d) disagrees with Suspects %v", i, m, sus)
			}
		}
	})
	if identified < 0 || identified > bound {
		t.Fatalf("bad mix identified after %d loops, want <= %d", identified, bound)
	}
	t.Logf("bad mix the only suspect from %d loops sent onwards (bound %d)", identified, bound)
	for m := range 6 {
		sc := s.Scores()[node(m)]
		t.Logf("mix %d: sent %d lost %d blame %.1f rate %.3f z %.1f", m, sc.Sent, sc.Lost, sc.Blame, sc.LossRate, sc.Z)
	}
	if got := s.Suspects(); !slices.Equal(got, []NodeID{bad}) {
		t.Fatalf("final suspects %v", got)
	}
}

func TestShopperHealthyNetworkNoSuspects(t *testing.T) {
	// Every mix healthy, 3 % of loops lost to the network at random.
	s := shopperSim(t, 4000, seeded(60), func(int) float64 { return 0 }, 0.03, func(i int, s *Shopper) {
		if sus := s.Suspects(); len(sus) > 0 {
			t.Fatalf("after %d loops suspects %v in a healthy network: %+v", i, sus, s.Scores()[sus[0]])
		}
	})
	maxZ := 0.0
	for _, sc := range s.Scores() {
		maxZ = max(maxZ, sc.Z)
	}
	t.Logf("healthy network: largest z after 4000 loops %.2f", maxZ)
}

func TestShopperBookkeeping(t *testing.T) {
	s := NewShopper(ShopperConfig{Timeout: time.Second, MaxPending: 3})
	a, b, c := node(0), node(1), node(2)
	if err := s.Sent(1, []NodeID{a, b, a}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.Sent(1, []NodeID{a}, t0); !errors.Is(err, ErrDuplicateLoop) {
		t.Fatalf("duplicate Sent = %v", err)
	}
	s.Sent(2, []NodeID{b, c}, t0.Add(100*time.Millisecond))
	s.Sent(3, []NodeID{c}, t0.Add(200*time.Millisecond))
	if err := s.Sent(4, []NodeID{c}, t0); !errors.Is(err, ErrTooManyLoops) {
		t.Fatalf("Sent beyond MaxPending = %v", err)
	}
	if !s.Returned(1, t0.Add(time.Second)) { // exactly at the timeout: in time
		t.Fatal("Returned(1) = false")
	}
	if s.Returned(1, t0.Add(time.Second)) || s.Returned(99, t0) {
		t.Fatal("Returned of a finished or unknown loop = true")
	}
	if n := s.Expire(t0.Add(1100 * time.Millisecond)); n != 0 {
		t.Fatalf("Expire at 1.1 s = %d, want 0", n)
	}
	if n := s.Expire(t0.Add(1150 * time.Millisecond)); n != 1 { // loop 2
		t.Fatalf("Expire at 1.15 s = %d, want 1", n)
	}
	if !s.Returned(3, t0.Add(1300*time.Millisecond)) { // late: lost
		t.Fatal("Returned(3) = false")
	}
	if s.Pending() != 0 {
		t.Fatalf("Pending() = %d", s.Pending())
	}
	got := s.Scores()
	want := map[NodeID]Score{
		a: {Sent: 1, Lost: 0, LossRate: 0},
		b: {Sent: 2, Lost: 1, Blame: 0.5, LossRate: 0.5},
		c: {Sent: 2, Lost: 2, Blame: 1.5, LossRate: 1},
	}
	for n, w := range want {
		g := got[n]
		g.Z = 0
		if g != w {
			t.Errorf("Score(%d) = %+v, want %+v", n[0]-1, g, w)
		}
	}
	// c: lost 2 of 2 against 0 of 1 elsewhere; pooled p = 2/3, so
	// z = 1/sqrt(2/9 · (1/2 + 1)) = sqrt(3).
	if z := got[c].Z; math.Abs(z-math.Sqrt(3)) > 1e-12 {
		t.Errorf("Z(c) = %v, want sqrt(3)", z)
	}
	if len(s.Suspects()) != 0 || s.Avoid(c) {
		t.Error("suspect below MinSamples")
	}
}
