package cover

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/murmurnet/murmur/node/mixer"
)

// ErrQueueFull is returned by [ClientShaper.Enqueue] when the queue of
// real packets is at capacity. The caller holds the packet back (or
// tells the user to slow down): the payload stream cannot carry more
// than λP packets per second.
var ErrQueueFull = errors.New("cover: real-packet queue full")

// Kind is what a client sends at an [Event].
type Kind uint8

const (
	// Real is a queued real packet, sent in a payload-stream slot.
	Real Kind = iota + 1
	// Drop is a drop packet: addressed to a random provider that discards
	// it. The payload stream sends one when no real packet is queued, and
	// the drop stream sends one at each of its events.
	Drop
	// Loop is a loop packet, routed back to the sender.
	Loop
)

// String returns "real", "drop" or "loop".
func (k Kind) String() string {
	switch k {
	case Real:
		return "real"
	case Drop:
		return "drop"
	case Loop:
		return "loop"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Stream is the Poisson process an [Event] belongs to. An observer of the
// client's link cannot tell the streams apart; the client needs to know
// only to build the right packet.
type Stream uint8

const (
	// Payload is the stream at rate λP; its events are [Real] or [Drop].
	Payload Stream = iota + 1
	// Loops is the stream at rate λL; its events are [Loop].
	Loops
	// Drops is the stream at rate λD; its events are [Drop].
	Drops
)

// Event is one packet a [ClientShaper] tells its owner to send.
type Event[T any] struct {
	// At is the scheduled time of the event. It is at or before the time
	// passed to the Tick that returned it; the owner sends at once.
	At     time.Time
	Stream Stream
	Kind   Kind
	// Item is the real packet for a [Real] event and the zero T otherwise.
	Item T
}

// process is one Poisson process: the time of its next event and its
// mean gap.
type process struct {
	next time.Time
	mean time.Duration
}

func newProcess(rate float64, rng *rand.Rand, now time.Time) process {
	p := process{next: now, mean: meanGap(rate)}
	p.advance(rng)
	return p
}

func (p *process) advance(rng *rand.Rand) {
	p.next = p.next.Add(mixer.ExpDelay(rng, p.mean))
}

type queued[T any] struct {
	item T
	at   time.Time
}

// ClientShaper is a client's traffic shaper: three independent Poisson
// processes, the payload stream at λP, loops at λL and drops at λD, and a
// bounded FIFO queue of real packets that only the payload stream drains.
//
// The times of its events are drawn from its generator alone and never
// depend on what is queued: two shapers with equally seeded generators
// emit at exactly the same instants whatever their owners enqueue. That
// is the property that hides when a client is talking.
//
// A ClientShaper reads no clock and starts no goroutine; it is not safe
// for concurrent use.
type ClientShaper[T any] struct {
	rng                   *rand.Rand
	payload, loops, drops process

	q       []queued[T] // ring buffer
	head, n int
}

// NewClientShaper returns a shaper for rates r (validated; only λP, λL
// and λD are used) whose first events are drawn after now from rng, with
// room for queueCap real packets. rng must be unpredictable to an
// observer, e.g. rand.New(rand.NewChaCha8(seed)) with seed from
// crypto/rand; the shaper owns it from now on.
func NewClientShaper[T any](r Rates, queueCap int, rng *rand.Rand, now time.Time) (*ClientShaper[T], error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if queueCap <= 0 {
		return nil, fmt.Errorf("cover: queue capacity %d, want > 0", queueCap)
	}
	c := &ClientShaper[T]{rng: rng, q: make([]queued[T], queueCap)}
	// The order of these draws is part of the determinism contract.
	c.payload = newProcess(r.LambdaP, rng, now)
	c.loops = newProcess(r.LambdaL, rng, now)
	c.drops = newProcess(r.LambdaD, rng, now)
	return c, nil
}

// Enqueue queues a real packet, handed to the owner at the first payload
// event at or after now once every packet queued before it has gone. It
// returns [ErrQueueFull] if the queue is at capacity.
//
// The owner calls Tick(now) before Enqueue(now, …), so that events due
// before now are not confused with later ones; in any case a packet is
// never placed in a payload slot scheduled before its now.
func (c *ClientShaper[T]) Enqueue(now time.Time, item T) error {
	if c.n == len(c.q) {
		return ErrQueueFull
	}
	c.q[(c.head+c.n)%len(c.q)] = queued[T]{item: item, at: now}
	c.n++
	return nil
}

// Len returns the number of queued real packets.
func (c *ClientShaper[T]) Len() int { return c.n }

// Next returns the time of the next event. The owner arms its timer for
// it and calls Tick when the timer fires.
func (c *ClientShaper[T]) Next() time.Time {
	_, at := c.earliest()
	return at
}

// Tick returns every event scheduled at or before now, in time order
// (events at the same instant in the order payload, loops, drops), and
// schedules the following ones. If now has jumped far ahead it returns
// all the events missed, which the owner may send or, after a long
// suspension, decide to discard.
func (c *ClientShaper[T]) Tick(now time.Time) []Event[T] {
	return c.TickAppend(nil, now)
}

// TickAppend is [ClientShaper.Tick] appending to dst, so that an owner
// that reuses dst allocates nothing in steady state.
func (c *ClientShaper[T]) TickAppend(dst []Event[T], now time.Time) []Event[T] {
	for {
		s, at := c.earliest()
		if at.After(now) {
			return dst
		}
		ev := Event[T]{At: at, Stream: s}
		switch s {
		case Payload:
			ev.Kind = Drop
			if c.n > 0 && !c.q[c.head].at.After(at) {
				ev.Kind, ev.Item = Real, c.q[c.head].item
				c.q[c.head] = queued[T]{}
				c.head = (c.head + 1) % len(c.q)
				c.n--
			}
			c.payload.advance(c.rng)
		case Loops:
			ev.Kind = Loop
			c.loops.advance(c.rng)
		case Drops:
			ev.Kind = Drop
			c.drops.advance(c.rng)
		}
		dst = append(dst, ev)
	}
}

// earliest returns the stream with the earliest next event, ties going
// to the stream listed first.
func (c *ClientShaper[T]) earliest() (Stream, time.Time) {
	s, at := Payload, c.payload.next
	if c.loops.next.Before(at) {
		s, at = Loops, c.loops.next
	}
	if c.drops.next.Before(at) {
		s, at = Drops, c.drops.next
	}
	return s, at
}

// MixLoops is a mix's loop process: a Poisson process at λM. At each
// event the mix sends a loop packet through the network back to itself,
// which both covers its own output and lets its [Shopper] measure other
// relays.
//
// Like [ClientShaper] it reads no clock; it is not safe for concurrent
// use.
type MixLoops struct {
	rng *rand.Rand
	p   process
}

// NewMixLoops returns the loop process for rates r (validated; only λM
// is used), with its first event drawn after now from rng, which it owns
// from now on.
func NewMixLoops(r Rates, rng *rand.Rand, now time.Time) (*MixLoops, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return &MixLoops{rng: rng, p: newProcess(r.LambdaM, rng, now)}, nil
}

// Next returns the time of the next loop.
func (m *MixLoops) Next() time.Time { return m.p.next }

// Tick returns the scheduled times of every loop due at or before now,
// in order, and schedules the following ones.
func (m *MixLoops) Tick(now time.Time) []time.Time {
	return m.TickAppend(nil, now)
}

// TickAppend is [MixLoops.Tick] appending to dst.
func (m *MixLoops) TickAppend(dst []time.Time, now time.Time) []time.Time {
	for !m.p.next.After(now) {
		dst = append(dst, m.p.next)
		m.p.advance(m.rng)
	}
	return dst
}
