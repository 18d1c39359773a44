package cover

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/murmurnet/murmur/sphinx"
)

// NodeID names a relay, as in Sphinx routing.
type NodeID = sphinx.NodeID

// LoopID identifies one loop packet to its sender's [Shopper]. The sender
// chooses it (a counter, or bits of a random tag it carries in the
// loop's payload) and must not reuse it while the loop is pending.
type LoopID uint64

// Errors of [Shopper.Sent].
var (
	// ErrDuplicateLoop: a loop with this id is already pending.
	ErrDuplicateLoop = errors.New("cover: loop id already pending")
	// ErrTooManyLoops: MaxPending loops are pending; the loop is not
	// recorded.
	ErrTooManyLoops = errors.New("cover: too many pending loops")
)

// ShopperConfig tunes a [Shopper]. The zero value of a field means its
// default from [DefaultShopperConfig].
type ShopperConfig struct {
	// Timeout is how long a loop may take before it counts as lost.
	Timeout time.Duration
	// MinSamples is the number of finished loops (returned or lost)
	// through a relay before it can be suspected.
	MinSamples int
	// Threshold is the z-score above which a relay's loss rate is
	// significantly higher than that of the loops that avoided it.
	Threshold float64
	// MinExcess is the smallest difference between those two loss rates,
	// as a fraction, that makes a relay a suspect: a large enough sample
	// makes any difference significant, and a relay losing 1 % more than
	// the rest is congested, not malicious.
	MinExcess float64
	// MaxPending bounds the number of loops awaiting return.
	MaxPending int
}

// DefaultShopperConfig returns a configuration for loops of the given
// number of mixing hops under rates r: a timeout of 10 times the
// expected latency ([Rates.ExpectedLatency]) but at least 2 s so that
// link latency does not masquerade as loss, 20 samples, z > 3, an excess
// of 5 percentage points and 10 000 pending loops.
func DefaultShopperConfig(r Rates, hops int) ShopperConfig {
	return ShopperConfig{
		Timeout:    max(10*r.ExpectedLatency(hops), 2*time.Second),
		MinSamples: 20,
		Threshold:  3,
		MinExcess:  0.05,
		MaxPending: 10_000,
	}
}

// Score is what a [Shopper] knows about one relay.
type Score struct {
	// Sent is the number of finished loops (returned or lost) whose path
	// included the relay.
	Sent int
	// Lost is how many of those were lost.
	Lost int
	// Blame is the relay's share of the losses: each lost loop adds
	// 1/len(path) to each relay on its path, since it was lost by one of
	// them.
	Blame float64
	// LossRate is Lost/Sent.
	LossRate float64
	// Z is the two-proportion z-score of LossRate against the loss rate
	// of the finished loops that did not include the relay (0 when either
	// group is empty or no loop was lost).
	Z float64
}

type pendingLoop struct {
	path []NodeID
	sent time.Time
}

type tally struct {
	sent, lost int
	blame      float64
}

// Shopper is the "secret shopper": it watches the sender's own loops,
// counts for each relay how many loops through it came back, and flags
// relays that lose significantly more than the rest of the network.
//
// The owner calls [Shopper.Sent] for each loop it sends, [Shopper.Returned]
// when one comes back and [Shopper.Expire] now and then (at least every
// Timeout) to turn overdue loops into losses. Route selection asks
// [Shopper.Avoid]; metrics read [Shopper.Scores].
//
// The test for relay R compares two groups of finished loops: those
// whose path went through R and those whose path did not. Under the null
// hypothesis (R loses no more than the network does) both have the same
// loss rate p, estimated from the pooled counts, and
//
//	z = (p_R - p_other) / sqrt(p·(1-p)·(1/n_R + 1/n_other))
//
// is about standard normal. R is suspected when it has at least
// MinSamples finished loops, z > Threshold and p_R - p_other ≥
// MinExcess. Comparing with the loops that avoided R, rather than with
// the network-wide rate that includes R's own losses, makes the test
// sharper and keeps a bad relay from raising the bar for itself. Relays
// that share many paths with a bad one see their loss rate rise too, but
// so do the loops they are compared with, so only the relay whose loops
// fail most stands out.
//
// Counts are kept since creation; an owner that wants a sliding window
// replaces the Shopper periodically. A Shopper reads no clock and is not
// safe for concurrent use.
type Shopper struct {
	cfg     ShopperConfig
	pending map[LoopID]pendingLoop
	order   []LoopID // pending ids in Sent order; may hold returned ids
	relays  map[NodeID]*tally
	sent    int // finished loops
	lost    int // lost loops
}

// NewShopper returns an empty Shopper; zero fields of cfg take the
// defaults of [DefaultShopperConfig] with [DefaultRates] and 5 hops.
func NewShopper(cfg ShopperConfig) *Shopper {
	d := DefaultShopperConfig(DefaultRates(), 5)
	if cfg.Timeout <= 0 {
		cfg.Timeout = d.Timeout
	}
	if cfg.MinSamples <= 0 {
		cfg.MinSamples = d.MinSamples
	}
	if cfg.Threshold <= 0 {
		cfg.Threshold = d.Threshold
	}
	if cfg.MinExcess <= 0 {
		cfg.MinExcess = d.MinExcess
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = d.MaxPending
	}
	return &Shopper{
		cfg:     cfg,
		pending: make(map[LoopID]pendingLoop),
		relays:  make(map[NodeID]*tally),
	}
}

// Config returns the configuration in use, defaults filled in.
func (s *Shopper) Config() ShopperConfig { return s.cfg }

// Sent records a loop sent at time at through the relays of path (the
// path is copied; a relay listed twice counts once).
func (s *Shopper) Sent(id LoopID, path []NodeID, at time.Time) error {
	if _, ok := s.pending[id]; ok {
		return fmt.Errorf("%w: %d", ErrDuplicateLoop, id)
	}
	if len(s.pending) >= s.cfg.MaxPending {
		return ErrTooManyLoops
	}
	p := make([]NodeID, 0, len(path))
	for _, n := range path {
		if !slices.Contains(p, n) {
			p = append(p, n)
		}
	}
	s.pending[id] = pendingLoop{path: p, sent: at}
	s.order = append(s.order, id)
	return nil
}

// Returned records that loop id came back at time at. It reports whether
// the loop was pending. A loop that comes back after Timeout counts as
// lost, as it would have if Expire had run first.
func (s *Shopper) Returned(id LoopID, at time.Time) bool {
	l, ok := s.pending[id]
	if !ok {
		return false
	}
	delete(s.pending, id)
	s.finish(l, at.Sub(l.sent) > s.cfg.Timeout)
	return true
}

// Expire counts every pending loop sent more than Timeout before now as
// lost, and returns how many it counted.
func (s *Shopper) Expire(now time.Time) int {
	n, i := 0, 0
	for ; i < len(s.order); i++ {
		id := s.order[i]
		l, ok := s.pending[id]
		if !ok {
			continue // returned already
		}
		if now.Sub(l.sent) <= s.cfg.Timeout {
			break
		}
		delete(s.pending, id)
		s.finish(l, true)
		n++
	}
	s.order = s.order[i:]
	if cap(s.order) > 64 && len(s.order) < cap(s.order)/4 {
		s.order = slices.Clone(s.order)
	}
	return n
}

// Pending returns the number of loops awaiting return.
func (s *Shopper) Pending() int { return len(s.pending) }

func (s *Shopper) finish(l pendingLoop, lost bool) {
	s.sent++
	if lost {
		s.lost++
	}
	for _, n := range l.path {
		t := s.relays[n]
		if t == nil {
			t = new(tally)
			s.relays[n] = t
		}
		t.sent++
		if lost {
			t.lost++
			t.blame += 1 / float64(len(l.path))
		}
	}
}

// score computes the Score of a relay with tally t.
func (s *Shopper) score(t *tally) Score {
	sc := Score{Sent: t.sent, Lost: t.lost, Blame: t.blame}
	if t.sent > 0 {
		sc.LossRate = float64(t.lost) / float64(t.sent)
	}
	sc.Z = s.z(t)
	return sc
}

func (s *Shopper) z(t *tally) float64 {
	nR, nO := float64(t.sent), float64(s.sent-t.sent)
	if nR == 0 || nO == 0 {
		return 0
	}
	p := float64(s.lost) / float64(s.sent)
	v := p * (1 - p) * (1/nR + 1/nO)
	if v <= 0 {
		return 0
	}
	pR, pO := float64(t.lost)/nR, float64(s.lost-t.lost)/nO
	return (pR - pO) / math.Sqrt(v)
}

func (s *Shopper) suspect(t *tally) bool {
	if t == nil || t.sent < s.cfg.MinSamples || t.sent == s.sent {
		return false
	}
	pR := float64(t.lost) / float64(t.sent)
	pO := float64(s.lost-t.lost) / float64(s.sent-t.sent)
	return pR-pO >= s.cfg.MinExcess && s.z(t) > s.cfg.Threshold
}

// Scores returns the Score of every relay that has appeared on a
// finished loop.
func (s *Shopper) Scores() map[NodeID]Score {
	m := make(map[NodeID]Score, len(s.relays))
	for n, t := range s.relays {
		m[n] = s.score(t)
	}
	return m
}

// Suspects returns the relays that currently lose significantly more
// loops than the rest of the network, in byte order of their ids.
func (s *Shopper) Suspects() []NodeID {
	var out []NodeID
	for n, t := range s.relays {
		if s.suspect(t) {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b NodeID) int { return bytes.Compare(a[:], b[:]) })
	return out
}

// Avoid reports whether route selection should leave out relay id: it
// is one of [Shopper.Suspects].
func (s *Shopper) Avoid(id NodeID) bool {
	return s.suspect(s.relays[id])
}
