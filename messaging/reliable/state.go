package reliable

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// The state encodings' first bytes.
const (
	outboxVersion = 1
	inboxVersion  = 1
)

// keepSettled bounds how many settled messages' statuses an encoded
// outbox keeps (the newest): a status is for the application to read
// soon after it changes, not forever.
const keepSettled = 1024

var errState = errors.New("reliable: malformed state")

// MarshalBinary encodes the outbox, to be stored before what it sends
// leaves, so that a restart neither forgets a message nor reuses a
// sequence number.
func (o *Outbox) MarshalBinary() ([]byte, error) {
	b := []byte{outboxVersion}
	b = binary.BigEndian.AppendUint64(b, o.next)
	for _, d := range []time.Duration{o.srtt, o.rttvar, o.rto} {
		b = binary.BigEndian.AppendUint64(b, uint64(d))
	}
	seqs := slices.Sorted(maps.Keys(o.pending))
	b = binary.BigEndian.AppendUint32(b, uint32(len(seqs)))
	for _, seq := range seqs {
		m := o.pending[seq]
		b = binary.BigEndian.AppendUint64(b, seq)
		for _, t := range []time.Time{m.firstSent, m.nextAt, m.deadline} {
			b = binary.BigEndian.AppendUint64(b, uint64(unixNano(t)))
		}
		b = binary.BigEndian.AppendUint32(b, uint32(m.attempts))
		b = binary.BigEndian.AppendUint32(b, uint32(len(m.body)))
		b = append(b, m.body...)
	}
	done := slices.Sorted(maps.Keys(o.done))
	if len(done) > keepSettled {
		done = done[len(done)-keepSettled:]
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(done)))
	for _, seq := range done {
		b = append(binary.BigEndian.AppendUint64(b, seq), byte(o.done[seq]))
	}
	return b, nil
}

// UnmarshalBinary restores an outbox encoded by MarshalBinary, with the
// outbox's own timing (NewOutbox's); nothing changes on error.
func (o *Outbox) UnmarshalBinary(b []byte) error {
	r := reader{b: b}
	if r.byte() != outboxVersion {
		return fmt.Errorf("%w: outbox version", errState)
	}
	n := NewOutbox(o.timing)
	n.next = r.u64()
	n.srtt, n.rttvar, n.rto = time.Duration(r.u64()), time.Duration(r.u64()), time.Duration(r.u64())
	var prev uint64
	for range r.count(8 + 24 + 8) {
		seq := r.u64()
		r.ascending(&prev, seq)
		m := &outMessage{firstSent: fromNano(r.u64()), nextAt: fromNano(r.u64()), deadline: fromNano(r.u64())}
		m.attempts = int(r.u32())
		m.body = append([]byte(nil), r.bytes(int(r.u32()))...)
		if seq == 0 || seq >= n.next {
			r.err = true
		}
		n.pending[seq] = m
	}
	prev = 0
	for range r.count(9) {
		seq, st := r.u64(), Status(r.byte())
		r.ascending(&prev, seq)
		if st != Delivered && st != Failed {
			r.err = true
		}
		n.done[seq] = st
	}
	if r.err || len(r.b) != 0 || n.next == 0 || n.rto <= 0 {
		return errState
	}
	*o = *n
	return nil
}

// MarshalBinary encodes the inbox, to be stored before what it released
// is handed on and before its acknowledgement leaves.
func (in *Inbox) MarshalBinary() ([]byte, error) {
	b := append([]byte{inboxVersion}, 0)
	if in.ackDue {
		b[1] = 1
	}
	b = binary.BigEndian.AppendUint64(b, in.through)
	seqs := slices.Sorted(maps.Keys(in.early))
	b = binary.BigEndian.AppendUint32(b, uint32(len(seqs)))
	for _, seq := range seqs {
		b = binary.BigEndian.AppendUint64(b, seq)
		b = binary.BigEndian.AppendUint32(b, uint32(len(in.early[seq])))
		b = append(b, in.early[seq]...)
	}
	return b, nil
}

// UnmarshalBinary restores an inbox encoded by MarshalBinary; nothing
// changes on error.
func (in *Inbox) UnmarshalBinary(b []byte) error {
	r := reader{b: b}
	if r.byte() != inboxVersion {
		return fmt.Errorf("%w: inbox version", errState)
	}
	n := NewInbox()
	ack := r.byte()
	n.ackDue = ack == 1
	n.through = r.u64()
	var prev uint64
	for range r.count(12) {
		seq := r.u64()
		r.ascending(&prev, seq)
		body := append([]byte(nil), r.bytes(int(r.u32()))...)
		if seq <= n.through || seq-n.through > AckWindow {
			r.err = true
		}
		n.early[seq] = body
	}
	if r.err || len(r.b) != 0 || ack > 1 {
		return errState
	}
	*in = *n
	return nil
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNano(v uint64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(v))
}

// reader takes fields off b; a short read sets err and yields zeros.
type reader struct {
	b   []byte
	err bool
}

func (r *reader) bytes(n int) []byte {
	if n < 0 || len(r.b) < n {
		r.err, r.b = true, nil
		return make([]byte, 8) // enough for any fixed field; the caller sees err

	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func (r *reader) byte() byte  { return r.bytes(1)[0] }
func (r *reader) u32() uint32 { return binary.BigEndian.Uint32(r.bytes(4)) }
func (r *reader) u64() uint64 { return binary.BigEndian.Uint64(r.bytes(8)) }

// ascending refuses a sequence number not above the one before it: an
// encoding lists each once, in order.
func (r *reader) ascending(prev *uint64, seq uint64) {
	if seq <= *prev {
		r.err = true
	}
	*prev = seq
}

// count reads an item count, refused if the rest cannot hold that many
// items of at least min bytes each.
func (r *reader) count(min int) int {
	n := int(r.u32())
	if n*min > len(r.b) {
		r.err = true
		return 0
	}
	return n
}
