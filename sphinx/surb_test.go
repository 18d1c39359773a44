package sphinx

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// newTestSURB makes a SURB along n fresh nodes, ending at the receiver's
// provider with the given reply command.
func newTestSURB(t *testing.T, seed string, g Geometry, n int, reply SURBReply) ([]testNode, *SURB, *SURBKeys) {
	t.Helper()
	rnd := newTestRand(t.Name() + seed)
	nodes := newTestNodes(t, rnd, n)
	s, k, err := NewSURB(rnd, g, testPath(nodes, reply))
	if err != nil {
		t.Fatal(err)
	}
	return nodes, s, k
}

func TestSURBRoundTrip(t *testing.T) {
	g := DefaultGeometry()
	p := mustProcessor(t, g)
	reply := SURBReply{Mailbox: MailboxID{0xaa, 31: 0xbb}, ID: SURBID{0xcc, 15: 0xdd}}
	for n := 1; n <= g.Hops; n++ {
		t.Run(fmt.Sprint("hops=", n), func(t *testing.T) {
			nodes, surb, keys := newTestSURB(t, "", g, n, reply)
			if keys.ID() != reply.ID {
				t.Fatalf("keys.ID() = %x, want %x", keys.ID(), reply.ID)
			}
			// The SURB travels as bytes, and so do the keys (to storage).
			surb, keys = reencodeSURB(t, surb, keys)
			if surb.Geometry() != g {
				t.Fatalf("SURB geometry %+v", surb.Geometry())
			}
			msg := []byte("a reply that only the receiver can read")
			first, pkt, err := NewPacketFromSURB(surb, msg)
			if err != nil {
				t.Fatal(err)
			}
			if first != nodes[0].id || first != surb.FirstHop() {
				t.Fatalf("first hop %x, want %x", first, nodes[0].id)
			}
			if len(pkt) != g.PacketSize() {
				t.Fatalf("reply is %d bytes", len(pkt))
			}
			var res Result
			for i, node := range nodes {
				res, err = p.Unwrap(node.priv, pkt)
				if err != nil {
					t.Fatalf("hop %d: %v", i, err)
				}
				pkt = res.Packet
			}
			if res.Command != reply {
				t.Fatalf("final command %#v, want %#v", res.Command, reply)
			}
			if len(res.Payload) != g.PayloadSize+PayloadOverhead {
				t.Fatalf("stored payload is %d bytes", len(res.Payload))
			}
			if bytes.Contains(res.Payload, msg[:8]) {
				t.Fatal("the provider can read the reply")
			}
			stored := bytes.Clone(res.Payload)
			got, err := keys.Decrypt(stored)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, msg) {
				t.Fatalf("Decrypt = %q, want %q", got, msg)
			}
			if !bytes.Equal(stored, res.Payload) {
				t.Fatal("Decrypt changed its input")
			}

			// Tampering anywhere in the stored reply is detected.
			for _, pos := range []int{0, 40, len(stored) - 1} {
				bad := bytes.Clone(stored)
				bad[pos] ^= 1
				if _, err := keys.Decrypt(bad); err != ErrPayloadTampered {
					t.Errorf("flip at %d: error %v, want ErrPayloadTampered", pos, err)
				}
			}
			// Other keys do not open it.
			_, _, otherKeys := newTestSURB(t, "other", g, n, reply)
			if _, err := otherKeys.Decrypt(stored); err != ErrPayloadTampered {
				t.Errorf("other keys: error %v, want ErrPayloadTampered", err)
			}
			if _, err := keys.Decrypt(stored[1:]); !errors.Is(err, ErrPacketSize) {
				t.Errorf("short reply: error %v, want ErrPacketSize", err)
			}
		})
	}
}

func reencodeSURB(t *testing.T, s *SURB, k *SURBKeys) (*SURB, *SURBKeys) {
	t.Helper()
	sb, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if len(sb) != 1+geometryEncodingSize+32+32+s.g.HeaderSize() {
		t.Fatalf("SURB encoding is %d bytes", len(sb))
	}
	kb, err := k.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var s2 SURB
	var k2 SURBKeys
	if err := s2.UnmarshalBinary(sb); err != nil {
		t.Fatal(err)
	}
	if err := k2.UnmarshalBinary(kb); err != nil {
		t.Fatal(err)
	}
	sb2, _ := s2.MarshalBinary()
	kb2, _ := k2.MarshalBinary()
	if !bytes.Equal(sb, sb2) || !bytes.Equal(kb, kb2) {
		t.Fatal("encodings do not round-trip")
	}
	return &s2, &k2
}

// TestSURBHidesReceiver checks that the holder of a SURB cannot read the
// receiver's provider or mailbox from it.
func TestSURBHidesReceiver(t *testing.T) {
	g := DefaultGeometry()
	reply := SURBReply{Mailbox: MailboxID{1, 2, 3, 4, 5, 6, 7, 8}, ID: SURBID{9, 8, 7, 6, 5, 4, 3, 2}}
	nodes, surb, _ := newTestSURB(t, "", g, 3, reply)
	b, _ := surb.MarshalBinary()
	for _, secret := range [][]byte{nodes[1].id[:8], nodes[2].id[:8], reply.Mailbox[:8], reply.ID[:8]} {
		if bytes.Contains(b, secret) {
			t.Errorf("SURB contains %x", secret)
		}
	}
	if !bytes.Contains(b, nodes[0].id[:]) {
		t.Error("SURB does not name its first hop")
	}
}

// TestSURBSingleUse checks that a second reply with the same SURB carries
// the same replay tags, so relays drop it.
func TestSURBSingleUse(t *testing.T) {
	g := DefaultGeometry()
	p := mustProcessor(t, g)
	nodes, surb, _ := newTestSURB(t, "", g, 2, SURBReply{})
	set := NewReplaySet(10)
	set.Rotate(0)
	for i, msg := range []string{"first", "second"} {
		_, pkt, err := NewPacketFromSURB(surb, []byte(msg))
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.Unwrap(nodes[0].priv, pkt)
		if err != nil {
			t.Fatal(err)
		}
		err = set.CheckAndAdd(0, res.Tag)
		if i == 0 && err != nil || i == 1 && err != ErrReplay {
			t.Fatalf("use %d: %v", i+1, err)
		}
	}
}

func TestNewSURBErrors(t *testing.T) {
	g := DefaultGeometry()
	rnd := newTestRand(t.Name())
	nodes := newTestNodes(t, rnd, 2)
	if _, _, err := NewSURB(rnd, g, testPath(nodes, Deliver{})); !errors.Is(err, ErrInvalidPath) {
		t.Errorf("final Deliver: %v", err)
	}
	if _, _, err := NewSURB(rnd, g, nil); !errors.Is(err, ErrInvalidPath) {
		t.Errorf("empty path: %v", err)
	}
	if _, _, err := NewSURB(rnd, Geometry{}, nil); !errors.Is(err, ErrInvalidGeometry) {
		t.Errorf("zero geometry: %v", err)
	}
	s, _, err := NewSURB(rnd, g, testPath(nodes, SURBReply{}))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := NewPacketFromSURB(s, make([]byte, g.PayloadSize+1)); !errors.Is(err, ErrPayloadTooLarge) {
		t.Errorf("large payload: %v", err)
	}
}

func TestZeroSURB(t *testing.T) {
	if _, _, err := NewPacketFromSURB(&SURB{}, nil); !errors.Is(err, ErrInvalidSURB) {
		t.Errorf("zero SURB: %v", err)
	}
	if _, err := new(SURBKeys).Decrypt(make([]byte, PayloadOverhead)); !errors.Is(err, ErrInvalidSURB) {
		t.Errorf("zero SURBKeys: %v", err)
	}
}

func TestUnmarshalSURBErrors(t *testing.T) {
	g := DefaultGeometry()
	_, s, k := newTestSURB(t, "", g, 2, SURBReply{})
	sb, _ := s.MarshalBinary()
	kb, _ := k.MarshalBinary()
	badVersion := bytes.Clone(sb)
	badVersion[0] = 2
	badGeometry := bytes.Clone(sb)
	badGeometry[1] = 0
	zeroHops := bytes.Clone(kb)
	zeroHops[1+geometryEncodingSize+48] = 0
	manyHops := bytes.Clone(kb)
	manyHops[1+geometryEncodingSize+48] = byte(g.Hops + 1)
	for _, b := range [][]byte{nil, {1}, sb[:8], sb[:len(sb)-1], append(bytes.Clone(sb), 0), badVersion, badGeometry} {
		var x SURB
		if err := x.UnmarshalBinary(b); !errors.Is(err, ErrInvalidSURB) {
			t.Errorf("SURB %d bytes: error %v, want ErrInvalidSURB", len(b), err)
		}
	}
	for _, b := range [][]byte{nil, kb[:8], kb[:len(kb)-1], append(bytes.Clone(kb), 0), zeroHops, manyHops, sb} {
		var x SURBKeys
		if err := x.UnmarshalBinary(b); !errors.Is(err, ErrInvalidSURB) {
			t.Errorf("SURBKeys %d bytes: error %v, want ErrInvalidSURB", len(b), err)
		}
	}
}
