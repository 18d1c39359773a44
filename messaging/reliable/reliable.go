// Package reliable is the deterministic core of exactly-once, in-order
// delivery over the mixnet's best effort: per-conversation sequence
// numbers, acknowledgements (cumulative plus a bitmap of the 64 after),
// retransmission with an adaptive timeout and backoff until a message is
// acknowledged or expires, duplicate suppression and in-order release to
// the application, and a delivery status the application can read.
//
// Like node/mixer and node/cover it does no I/O and reads no clock: the
// caller passes the time in, sends the frames it is given (each one an
// ordinary packet, inside the cover stream, so that a retransmission
// looks like any other packet) and feeds back what arrives. Frames are
// the plaintext of the conversation's ratchet messages.
package reliable

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Frame kinds.
const (
	kindData = 1 // a message, with the sender's latest acknowledgement
	kindAck  = 2 // an acknowledgement alone
)

// AckWindow is how far past the cumulative acknowledgement a receiver
// acknowledges (the bitmap's width) and buffers messages that arrived
// early.
const AckWindow = 64

// Ack says which messages a receiver has: every one up to Through, and
// those at Through+1+i for each bit i set in Bits.
type Ack struct {
	Through uint64
	Bits    uint64
}

// Has reports whether the acknowledgement covers seq.
func (a Ack) Has(seq uint64) bool {
	if seq <= a.Through {
		return true
	}
	d := seq - a.Through - 1
	return d < AckWindow && a.Bits&(1<<d) != 0
}

// Frame is what travels in one ratchet message.
type Frame struct {
	Ack  Ack
	Seq  uint64 // 0 for an acknowledgement alone
	Body []byte
}

const headerSize = 1 + 8 + 8 + 8

// Overhead is how many bytes a frame adds to its body.
const Overhead = headerSize

// ErrMalformed reports a frame that does not decode.
var ErrMalformed = errors.New("reliable: malformed frame")

// MarshalBinary encodes f.
func (f Frame) MarshalBinary() ([]byte, error) {
	kind := byte(kindData)
	if f.Seq == 0 {
		if len(f.Body) != 0 {
			return nil, errors.New("reliable: an acknowledgement carries no body")
		}
		kind = kindAck
	}
	b := make([]byte, headerSize, headerSize+len(f.Body))
	b[0] = kind
	binary.BigEndian.PutUint64(b[1:], f.Ack.Through)
	binary.BigEndian.PutUint64(b[9:], f.Ack.Bits)
	binary.BigEndian.PutUint64(b[17:], f.Seq)
	return append(b, f.Body...), nil
}

// UnmarshalBinary decodes a frame.
func (f *Frame) UnmarshalBinary(b []byte) error {
	if len(b) < headerSize {
		return fmt.Errorf("%w: %d bytes", ErrMalformed, len(b))
	}
	seq := binary.BigEndian.Uint64(b[17:])
	switch {
	case b[0] == kindData && seq != 0:
	case b[0] == kindAck && seq == 0 && len(b) == headerSize:
	default:
		return fmt.Errorf("%w: kind %d, sequence number %d, %d bytes", ErrMalformed, b[0], seq, len(b))
	}
	*f = Frame{Ack: Ack{Through: binary.BigEndian.Uint64(b[1:]), Bits: binary.BigEndian.Uint64(b[9:])}, Seq: seq,
		Body: append([]byte(nil), b[headerSize:]...)}
	return nil
}

// Status is where a message stands.
type Status int

const (
	Unknown   Status = iota // no such message
	Sent                    // sent, not acknowledged yet
	Delivered               // acknowledged by the receiver
	Failed                  // expired unacknowledged
)

func (s Status) String() string {
	return [...]string{"unknown", "sent", "delivered", "failed"}[s]
}

// Timing bounds the retransmission timeout. The zero value takes the
// defaults.
type Timing struct {
	// InitialRTO is the timeout before the first round trip is measured.
	InitialRTO time.Duration
	// MinRTO and MaxRTO bound the timeout, backoff included.
	MinRTO, MaxRTO time.Duration
	// Expiry is how long a message is retried before it fails.
	Expiry time.Duration
}

// Defaults: a round trip through the mixnet (message out, acknowledgement
// back through a SURB) is a few hundred milliseconds of mixing delay
// plus the wait for cover slots; the timeout learns the rest.
const (
	DefaultInitialRTO = 1500 * time.Millisecond
	DefaultMinRTO     = 400 * time.Millisecond
	DefaultMaxRTO     = 30 * time.Second
	DefaultExpiry     = 10 * time.Minute
)

func (t Timing) withDefaults() Timing {
	if t.InitialRTO <= 0 {
		t.InitialRTO = DefaultInitialRTO
	}
	if t.MinRTO <= 0 {
		t.MinRTO = DefaultMinRTO
	}
	if t.MaxRTO <= 0 {
		t.MaxRTO = DefaultMaxRTO
	}
	if t.Expiry <= 0 {
		t.Expiry = DefaultExpiry
	}
	return t
}

type outMessage struct {
	body      []byte
	firstSent time.Time
	nextAt    time.Time
	attempts  int
	deadline  time.Time
}

// Outbox is a conversation's sending side. It is not safe for concurrent
// use.
type Outbox struct {
	timing       Timing
	next         uint64
	pending      map[uint64]*outMessage
	done         map[uint64]Status // settled messages (delivered or failed), until Forget
	srtt, rttvar time.Duration
	rto          time.Duration
}

// NewOutbox returns an empty outbox.
func NewOutbox(t Timing) *Outbox {
	t = t.withDefaults()
	return &Outbox{timing: t, next: 1, pending: map[uint64]*outMessage{}, done: map[uint64]Status{}, rto: t.InitialRTO}
}

// Add queues body and returns its sequence number; the next Due sends it.
func (o *Outbox) Add(body []byte, now time.Time) uint64 {
	seq := o.next
	o.next++
	o.pending[seq] = &outMessage{body: append([]byte(nil), body...), nextAt: now, deadline: now.Add(o.timing.Expiry)}
	return seq
}

// Due returns the messages to send now, first transmissions and
// retransmissions, oldest first, and fails those past their expiry.
// Each retransmission doubles that message's timeout (up to MaxRTO).
func (o *Outbox) Due(now time.Time) (send []Frame, failed []uint64) {
	for seq := uint64(1); seq < o.next; seq++ {
		m, ok := o.pending[seq]
		if !ok {
			continue
		}
		if !now.Before(m.deadline) {
			delete(o.pending, seq)
			o.done[seq] = Failed
			failed = append(failed, seq)
			continue
		}
		if now.Before(m.nextAt) {
			continue
		}
		if m.attempts == 0 {
			m.firstSent = now
		}
		backoff := o.rto << min(m.attempts, 16)
		m.attempts++
		m.nextAt = now.Add(min(max(backoff, o.timing.MinRTO), o.timing.MaxRTO))
		send = append(send, Frame{Seq: seq, Body: m.body})
	}
	return send, failed
}

// NextDue returns when Due next has something to do; ok is false when
// nothing is pending.
func (o *Outbox) NextDue() (at time.Time, ok bool) {
	for _, m := range o.pending {
		t := m.nextAt
		if m.deadline.Before(t) {
			t = m.deadline
		}
		if !ok || t.Before(at) {
			at, ok = t, true
		}
	}
	return at, ok
}

// OnAck settles the messages a acknowledges and returns them. A round
// trip is measured only from a message sent once (Karn's rule), and the
// timeout follows RFC 6298's estimator.
func (o *Outbox) OnAck(a Ack, now time.Time) (delivered []uint64) {
	for seq, m := range o.pending {
		if !a.Has(seq) {
			continue
		}
		if m.attempts == 1 {
			o.sample(now.Sub(m.firstSent))
		}
		delete(o.pending, seq)
		o.done[seq] = Delivered
		delivered = append(delivered, seq)
	}
	return delivered
}

func (o *Outbox) sample(rtt time.Duration) {
	if o.srtt == 0 {
		o.srtt, o.rttvar = rtt, rtt/2
	} else {
		d := o.srtt - rtt
		if d < 0 {
			d = -d
		}
		o.rttvar = (3*o.rttvar + d) / 4
		o.srtt = (7*o.srtt + rtt) / 8
	}
	o.rto = min(max(o.srtt+4*o.rttvar, o.timing.MinRTO), o.timing.MaxRTO)
}

// RTO returns the current retransmission timeout.
func (o *Outbox) RTO() time.Duration { return o.rto }

// Status returns where message seq stands.
func (o *Outbox) Status(seq uint64) Status {
	if _, ok := o.pending[seq]; ok {
		return Sent
	}
	return o.done[seq]
}

// Queued returns the sequence number of the last message added (0 for
// none).
func (o *Outbox) Queued() uint64 { return o.next - 1 }

// Pending returns how many messages await acknowledgement.
func (o *Outbox) Pending() int { return len(o.pending) }

// Inbox is a conversation's receiving side. It is not safe for concurrent
// use.
type Inbox struct {
	through uint64            // every message up to here was released
	early   map[uint64][]byte // arrived ahead of a gap, within AckWindow
	ackDue  bool
}

// NewInbox returns an inbox that has received nothing.
func NewInbox() *Inbox { return &Inbox{early: map[uint64][]byte{}} }

// Receive takes data frame seq and returns the bodies now released to
// the application, in order: none for a duplicate, or for a message
// that arrived ahead of a gap (kept until the gap fills), or for one too
// far ahead to keep (the sender retransmits it).
func (in *Inbox) Receive(seq uint64, body []byte) (release [][]byte, duplicate bool) {
	in.ackDue = true // a duplicate, too: its sender missed our acknowledgement
	if seq == 0 {
		return nil, false
	}
	if seq <= in.through {
		return nil, true
	}
	if _, ok := in.early[seq]; ok {
		return nil, true
	}
	if seq-in.through > AckWindow {
		return nil, false
	}
	in.early[seq] = append([]byte(nil), body...)
	for {
		b, ok := in.early[in.through+1]
		if !ok {
			break
		}
		delete(in.early, in.through+1)
		in.through++
		release = append(release, b)
	}
	return release, false
}

// Ack returns the acknowledgement of what arrived, and clears AckDue.
func (in *Inbox) Ack() Ack {
	in.ackDue = false
	a := Ack{Through: in.through}
	for seq := range in.early {
		a.Bits |= 1 << (seq - in.through - 1)
	}
	return a
}

// AckDue reports whether something arrived since the last Ack: the
// caller then sends an acknowledgement, alone or with its next message.
func (in *Inbox) AckDue() bool { return in.ackDue }
