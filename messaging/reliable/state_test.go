package reliable

import (
	"bytes"
	"testing"
	"time"
)

// An outbox and an inbox restored from their encodings carry on exactly
// where they were: the same frames due at the same times, the same
// statuses, the same acknowledgement, the same releases.
func TestStateRoundTrip(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	o := NewOutbox(Timing{})
	for i := range 5 {
		o.Add([]byte{byte(i), 'x'}, now)
	}
	o.Due(now)
	o.OnAck(Ack{Through: 2}, now.Add(700*time.Millisecond)) // 1, 2 delivered; a round trip measured
	o.Due(now.Add(time.Hour))                               // 3–5 fail
	o.Add([]byte("late"), now.Add(time.Hour))               // 6 pending, never sent
	b, err := o.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	r := NewOutbox(Timing{})
	if err := r.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	for seq := uint64(1); seq <= 7; seq++ {
		if r.Status(seq) != o.Status(seq) {
			t.Errorf("message %d: %v after restoring, %v before", seq, r.Status(seq), o.Status(seq))
		}
	}
	if r.RTO() != o.RTO() || r.Pending() != 1 {
		t.Fatalf("rto %v/%v, pending %d", r.RTO(), o.RTO(), r.Pending())
	}
	at := now.Add(time.Hour)
	a, _ := o.Due(at)
	c, _ := r.Due(at)
	if len(a) != 1 || len(c) != 1 || a[0].Seq != 6 || c[0].Seq != 6 || !bytes.Equal(c[0].Body, []byte("late")) {
		t.Fatalf("due after restoring: %+v, before: %+v", c, a)
	}
	if got := r.Add(nil, at); got != 7 {
		t.Fatalf("the next sequence number after restoring is %d, want 7", got)
	}

	in := NewInbox()
	in.Receive(1, []byte("one"))
	in.Receive(3, []byte("three"))
	b, _ = in.MarshalBinary()
	ri := NewInbox()
	if err := ri.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if ri.Ack() != in.Ack() {
		t.Fatalf("ack %+v after restoring, %+v before", ri.Ack(), in.Ack())
	}
	if rel, dup := ri.Receive(1, []byte("one")); len(rel) != 0 || !dup {
		t.Fatal("a released message is new again after restoring")
	}
	if rel, _ := ri.Receive(2, []byte("two")); len(rel) != 2 || string(rel[1]) != "three" {
		t.Fatalf("released %q", rel)
	}
}

// sampleStates encodes an outbox with one message pending and an inbox
// with one message early.
func sampleStates(now time.Time) (outbox, inbox []byte) {
	o := NewOutbox(Timing{})
	o.Add([]byte("body"), now)
	ob, _ := o.MarshalBinary()
	in := NewInbox()
	in.Receive(2, []byte("early"))
	ib, _ := in.MarshalBinary()
	return ob, ib
}

// Truncated or altered encodings are refused and leave the state as it was.
func TestStateRefusesBadEncodings(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	ob, ib := sampleStates(now)
	for cut := range len(ob) {
		r := NewOutbox(Timing{})
		r.Add([]byte("keep"), now)
		if err := r.UnmarshalBinary(ob[:cut]); err == nil {
			t.Fatalf("outbox cut at %d decoded", cut)
		}
		if r.Pending() != 1 || r.Status(1) != Sent {
			t.Fatal("a refused encoding changed the outbox")
		}
	}
	for cut := range len(ib) {
		if err := NewInbox().UnmarshalBinary(ib[:cut]); err == nil {
			t.Fatalf("inbox cut at %d decoded", cut)
		}
	}
	bad := bytes.Clone(ib)
	bad[2+7] = 100 // through = 100: the early message is now behind it
	if err := NewInbox().UnmarshalBinary(bad); err == nil {
		t.Fatal("an inbox with an early message behind its cumulative point decoded")
	}
	if err := NewOutbox(Timing{}).UnmarshalBinary(append(ob, 0)); err == nil {
		t.Fatal("trailing bytes decoded")
	}
}

func FuzzState(f *testing.F) {
	ob, ib := sampleStates(time.Unix(1_800_000_000, 0))
	f.Add(ob)
	f.Add(ib)
	f.Fuzz(func(t *testing.T, b []byte) {
		o := NewOutbox(Timing{})
		if o.UnmarshalBinary(b) == nil {
			again, _ := o.MarshalBinary()
			r := NewOutbox(Timing{})
			if err := r.UnmarshalBinary(again); err != nil {
				t.Fatalf("a decoded outbox does not re-decode: %v", err)
			}
		}
		in := NewInbox()
		if in.UnmarshalBinary(b) == nil {
			again, _ := in.MarshalBinary()
			if !bytes.Equal(again, b) {
				t.Fatal("a decoded inbox re-encodes differently")
			}
		}
	})
}
