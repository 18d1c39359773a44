package reliable

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

var t0 = time.Unix(1_800_000_000, 0)

// link is one direction of a lossy network with random delays.
type link struct {
	rnd      *rand.Rand
	loss     float64
	mean     time.Duration
	inFlight []flight
	sent     int
}

type flight struct {
	at time.Time
	f  []byte
}

func (l *link) send(f Frame, now time.Time) {
	l.sent++
	if l.rnd.Float64() < l.loss {
		return
	}
	b, _ := f.MarshalBinary()
	d := time.Duration(l.rnd.ExpFloat64() * float64(l.mean))
	l.inFlight = append(l.inFlight, flight{now.Add(d), b})
}

func (l *link) arrived(now time.Time) (out [][]byte) {
	keep := l.inFlight[:0]
	for _, fl := range l.inFlight {
		if now.Before(fl.at) {
			keep = append(keep, fl)
		} else {
			out = append(out, fl.f)
		}
	}
	l.inFlight = keep
	return out
}

// peer is one end: an outbox, an inbox, what the application got.
type peer struct {
	out     *Outbox
	in      *Inbox
	got     []string
	sentAt  map[string]time.Time // by body, at the sender
	latency []time.Duration      // from Add at the sender to release here
}

// TestLossyConversation: 50 messages each way over links that lose 10 %
// of frames (acknowledgements included) and delay them exponentially
// (mean 300 ms, so they overtake each other): each side's application
// gets every message of the other exactly once, in order, and every
// message ends Delivered.
func TestLossyConversation(t *testing.T) {
	for seed := range uint64(5) {
		rnd := rand.New(rand.NewPCG(seed, 99))
		ab := &link{rnd: rnd, loss: 0.1, mean: 300 * time.Millisecond}
		ba := &link{rnd: rnd, loss: 0.1, mean: 300 * time.Millisecond}
		a := &peer{out: NewOutbox(Timing{}), in: NewInbox(), sentAt: map[string]time.Time{}}
		b := &peer{out: NewOutbox(Timing{}), in: NewInbox(), sentAt: map[string]time.Time{}}
		const n = 50
		now := t0
		var sentA, sentB int
		step := func(p, q *peer, l, back *link, who string) {
			for _, raw := range back.arrived(now) {
				var f Frame
				if err := f.UnmarshalBinary(raw); err != nil {
					t.Fatal(err)
				}
				p.out.OnAck(f.Ack, now)
				rel, _ := p.in.Receive(f.Seq, f.Body)
				for _, r := range rel {
					p.got = append(p.got, string(r))
					p.latency = append(p.latency, now.Sub(q.sentAt[string(r)]))
				}
			}
			send, failed := p.out.Due(now)
			if len(failed) > 0 {
				t.Fatalf("seed %d: %s: %v failed", seed, who, failed)
			}
			for _, f := range send {
				f.Ack = p.in.Ack()
				l.send(f, now)
			}
			if len(send) == 0 && p.in.AckDue() {
				l.send(Frame{Ack: p.in.Ack()}, now)
			}
		}
		for i := 0; now.Before(t0.Add(10 * time.Minute)); i++ {
			if i%20 == 0 && sentA < n { // a message every 200 ms each way
				body := fmt.Sprint("a", sentA)
				a.out.Add([]byte(body), now)
				a.sentAt[body] = now
				sentA++
			}
			if i%20 == 10 && sentB < n {
				body := fmt.Sprint("b", sentB)
				b.out.Add([]byte(body), now)
				b.sentAt[body] = now
				sentB++
			}
			step(a, b, ab, ba, "alice")
			step(b, a, ba, ab, "bob")
			if sentA == n && sentB == n && a.out.Pending() == 0 && b.out.Pending() == 0 {
				break
			}
			now = now.Add(10 * time.Millisecond)
		}
		for who, p := range map[string]*peer{"alice": a, "bob": b} {
			other := map[string]string{"alice": "b", "bob": "a"}[who]
			want := make([]string, n)
			for i := range want {
				want[i] = fmt.Sprint(other, i)
			}
			if !slices.Equal(p.got, want) {
				t.Fatalf("seed %d: %s got %v", seed, who, p.got)
			}
			for seq := uint64(1); seq <= n; seq++ {
				if st := p.out.Status(seq); st != Delivered {
					t.Fatalf("seed %d: %s's message %d is %s", seed, who, seq, st)
				}
			}
		}
		lat := append(append([]time.Duration(nil), a.latency...), b.latency...)
		slices.Sort(lat)
		t.Logf("seed %d: done after %s; %d frames alice→bob, %d back; delivery p50 %s, p99 %s; RTO %s and %s",
			seed, now.Sub(t0), ab.sent, ba.sent, lat[len(lat)/2], lat[len(lat)*99/100], a.out.RTO().Round(time.Millisecond), b.out.RTO().Round(time.Millisecond))
	}
}

func TestInboxOrderAndDuplicates(t *testing.T) {
	in := NewInbox()
	if rel, dup := in.Receive(2, []byte("2")); rel != nil || dup {
		t.Fatalf("early message: %q %v", rel, dup)
	}
	if a := in.Ack(); a.Through != 0 || a.Bits != 0b10 || !a.Has(2) || a.Has(1) || a.Has(3) {
		t.Fatalf("ack %+v", a)
	}
	if _, dup := in.Receive(2, []byte("2")); !dup {
		t.Fatal("a duplicate of an early message")
	}
	rel, _ := in.Receive(1, []byte("1"))
	if len(rel) != 2 || string(rel[0]) != "1" || string(rel[1]) != "2" {
		t.Fatalf("released %q", rel)
	}
	if _, dup := in.Receive(1, []byte("1")); !dup || !in.AckDue() {
		t.Fatal("a duplicate of a released message: not flagged, or no acknowledgement due")
	}
	if rel, dup := in.Receive(2+AckWindow+1, []byte("far")); rel != nil || dup {
		t.Fatal("a message past the window was taken")
	}
	if a := in.Ack(); a.Through != 2 || a.Bits != 0 || in.AckDue() {
		t.Fatalf("ack %+v, due %v", a, in.AckDue())
	}
}

func TestOutboxTimeouts(t *testing.T) {
	o := NewOutbox(Timing{Expiry: time.Minute})
	seq := o.Add([]byte("x"), t0)
	if send, _ := o.Due(t0); len(send) != 1 || send[0].Seq != seq || o.Status(seq) != Sent {
		t.Fatalf("first send %v", send)
	}
	if send, _ := o.Due(t0.Add(DefaultInitialRTO - time.Millisecond)); len(send) != 0 {
		t.Fatal("retransmitted before the timeout")
	}
	at := t0.Add(DefaultInitialRTO)
	if send, _ := o.Due(at); len(send) != 1 {
		t.Fatal("not retransmitted at the timeout")
	}
	// Backoff: the next retry waits twice as long.
	if next, ok := o.NextDue(); !ok || next.Sub(at) != 2*DefaultInitialRTO {
		t.Fatalf("next retry in %s, want %s", next.Sub(at), 2*DefaultInitialRTO)
	}
	// Acknowledged after a retransmission: no round-trip sample (Karn).
	o.OnAck(Ack{Through: seq}, at.Add(100*time.Millisecond))
	if o.Status(seq) != Delivered || o.RTO() != DefaultInitialRTO {
		t.Fatalf("status %s, RTO %s", o.Status(seq), o.RTO())
	}
	// A message sent once and acknowledged in 200 ms brings the timeout down.
	s2 := o.Add([]byte("y"), at)
	o.Due(at)
	o.OnAck(Ack{Through: s2}, at.Add(200*time.Millisecond))
	if rto := o.RTO(); rto != 600*time.Millisecond {
		t.Fatalf("RTO after a 200 ms round trip: %s, want 600ms (RFC 6298: SRTT + 4 RTTVAR, RTTVAR = RTT/2)", rto)
	}
	// Never acknowledged: it fails at its expiry.
	s3 := o.Add([]byte("z"), at)
	_, failed := o.Due(at.Add(time.Minute))
	if !slices.Equal(failed, []uint64{s3}) || o.Status(s3) != Failed || o.Pending() != 0 {
		t.Fatalf("failed %v, status %s", failed, o.Status(s3))
	}
	if o.Status(99) != Unknown {
		t.Fatal("a message never added has a status")
	}
}

func TestFrameEncoding(t *testing.T) {
	for _, f := range []Frame{{Ack: Ack{3, 5}, Seq: 7, Body: []byte("body")}, {Ack: Ack{9, 0}}} {
		b, err := f.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var g Frame
		if err := g.UnmarshalBinary(b); err != nil || g.Ack != f.Ack || g.Seq != f.Seq || !bytes.Equal(g.Body, f.Body) {
			t.Fatalf("%+v decoded as %+v (%v)", f, g, err)
		}
	}
	if _, err := (Frame{Body: []byte("x")}).MarshalBinary(); err == nil {
		t.Error("an acknowledgement with a body encoded")
	}
	ack, _ := Frame{Ack: Ack{1, 1}}.MarshalBinary()
	data, _ := Frame{Seq: 1, Body: []byte("x")}.MarshalBinary()
	for name, b := range map[string][]byte{
		"short":          ack[:headerSize-1],
		"kind":           append([]byte{7}, ack[1:]...),
		"ack with body":  append(bytes.Clone(ack), 1),
		"data of seq 0":  append([]byte{kindData}, ack[1:]...),
		"ack with a seq": append([]byte{kindAck}, data[1:headerSize]...),
	} {
		var f Frame
		if err := f.UnmarshalBinary(b); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
}

// FuzzFrame: a frame that decodes encodes to the same bytes.
func FuzzFrame(f *testing.F) {
	b, _ := Frame{Ack: Ack{3, 5}, Seq: 7, Body: []byte("body")}.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		var fr Frame
		if fr.UnmarshalBinary(b) != nil {
			return
		}
		again, err := fr.MarshalBinary()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("decoded and encoded again: %x (%v), was %x", again, err, b)
		}
	})
}
