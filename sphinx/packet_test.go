package sphinx

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	geometries := []Geometry{
		DefaultGeometry(),
		{Hops: 1, PayloadSize: MinPayloadSize, RoutingInfoSize: MinRoutingInfoSize},
		{Hops: 8, PayloadSize: 100, RoutingInfoSize: 128},
	}
	finals := []Command{
		Deliver{Mailbox: MailboxID{1, 2, 3}},
		Drop{},
	}
	for _, g := range geometries {
		p := mustProcessor(t, g)
		rnd := newTestRand(fmt.Sprint("round trip", g))
		nodes := newTestNodes(t, rnd, g.Hops)
		for n := 1; n <= g.Hops; n++ {
			for _, final := range finals {
				t.Run(fmt.Sprintf("%d-%d-%d/hops=%d/%T", g.Hops, g.PayloadSize, g.RoutingInfoSize, n, final), func(t *testing.T) {
					path := testPath(nodes[:n], final)
					payload := make([]byte, n*7%g.PayloadSize+1)
					rnd.Read(payload)
					pkt, err := NewPacket(rnd, g, path, payload)
					if err != nil {
						t.Fatal(err)
					}
					if len(pkt) != g.PacketSize() {
						t.Fatalf("packet is %d bytes, want %d", len(pkt), g.PacketSize())
					}
					got := unwrapPath(t, p, nodes[:n], path, pkt)
					if !bytes.Equal(got, payload) {
						t.Fatalf("payload = %x, want %x", got, payload)
					}
				})
			}
		}
	}
}

// unwrapPath unwraps pkt at every node of the path, checks each command
// and returns the final payload.
func unwrapPath(t *testing.T, p *Processor, nodes []testNode, path []Hop, pkt []byte) []byte {
	t.Helper()
	for i, node := range nodes {
		res, err := p.Unwrap(node.priv, pkt)
		if err != nil {
			t.Fatalf("hop %d: %v", i, err)
		}
		if res.Command != path[i].Command {
			t.Fatalf("hop %d: command %#v, want %#v", i, res.Command, path[i].Command)
		}
		if i < len(nodes)-1 {
			if res.Packet == nil || res.Payload != nil {
				t.Fatalf("hop %d: relay result without packet", i)
			}
			pkt = res.Packet
			continue
		}
		if res.Packet != nil {
			t.Fatalf("final hop returned a packet")
		}
		return res.Payload
	}
	return nil
}

// newTestPacket makes a packet of g along n fresh nodes.
func newTestPacket(t *testing.T, g Geometry, n int, final Command, payload []byte) ([]testNode, []Hop, []byte) {
	t.Helper()
	rnd := newTestRand(t.Name())
	nodes := newTestNodes(t, rnd, n)
	path := testPath(nodes, final)
	pkt, err := NewPacket(rnd, g, path, payload)
	if err != nil {
		t.Fatal(err)
	}
	return nodes, path, pkt
}

// TestTamper flips one bit in each region of a packet and checks the
// error each hop reports.
func TestTamper(t *testing.T) {
	g := DefaultGeometry()
	p := mustProcessor(t, g)
	B := g.routingSize()
	regions := []struct {
		name string
		off  int
		want error
	}{
		{"alpha", 5, ErrInvalidMAC},
		{"routing info start", GroupElementSize, ErrInvalidMAC},
		{"routing info end", GroupElementSize + B - 1, ErrInvalidMAC},
		{"mac", GroupElementSize + B + 3, ErrInvalidMAC},
		{"payload start", g.HeaderSize(), ErrPayloadTampered},
		{"payload end", g.PacketSize() - 1, ErrPayloadTampered},
	}
	for _, hops := range []int{1, 3} {
		for _, r := range regions {
			t.Run(fmt.Sprintf("%d-hops/%s", hops, r.name), func(t *testing.T) {
				nodes, _, pkt := newTestPacket(t, g, hops, Deliver{}, []byte("tamper me"))
				pkt[r.off] ^= 0x04
				var err error
				for i, node := range nodes {
					before := bytes.Clone(pkt)
					var res Result
					res, err = p.Unwrap(node.priv, pkt)
					if err != nil {
						if err == ErrInvalidMAC && !bytes.Equal(before, pkt) {
							t.Errorf("hop %d changed a packet it rejected", i)
						}
						if r.want == ErrInvalidMAC && i != 0 {
							t.Errorf("header tampering detected at hop %d, not the first", i)
						}
						break
					}
					pkt = res.Packet
				}
				if err != r.want {
					t.Fatalf("error %v, want %v", err, r.want)
				}
			})
		}
	}
}

func TestUnwrapWrongKey(t *testing.T) {
	g := DefaultGeometry()
	nodes, _, pkt := newTestPacket(t, g, 2, Deliver{}, []byte("x"))
	p := mustProcessor(t, g)
	before := bytes.Clone(pkt)
	if _, err := p.Unwrap(nodes[1].priv, pkt); err != ErrInvalidMAC {
		t.Fatalf("second hop's key: error %v, want ErrInvalidMAC", err)
	}
	if !bytes.Equal(before, pkt) {
		t.Fatal("rejected packet was changed")
	}
	if _, err := p.Unwrap(nodes[0].priv, pkt); err != nil {
		t.Fatalf("right key after wrong one: %v", err)
	}
}

func TestUnwrapWrongGeometry(t *testing.T) {
	g := DefaultGeometry()
	// Same packet size as the default geometry, other layout.
	other := Geometry{Hops: 4, PayloadSize: 2048, RoutingInfoSize: 100}
	if other.PacketSize() != g.PacketSize() {
		t.Fatal("test geometries differ in size")
	}
	nodes, _, pkt := newTestPacket(t, g, 1, Deliver{}, []byte("x"))
	if _, err := mustProcessor(t, other).Unwrap(nodes[0].priv, pkt); err != ErrInvalidMAC {
		t.Fatalf("error %v, want ErrInvalidMAC", err)
	}
	small := Geometry{Hops: 5, PayloadSize: 1024, RoutingInfoSize: 80}
	if _, err := mustProcessor(t, small).Unwrap(nodes[0].priv, pkt); err != ErrPacketSize {
		t.Fatalf("error %v, want ErrPacketSize", err)
	}
}

func TestUnwrapSize(t *testing.T) {
	g := DefaultGeometry()
	nodes, _, pkt := newTestPacket(t, g, 1, Deliver{}, []byte("x"))
	p := mustProcessor(t, g)
	for _, b := range [][]byte{nil, {}, pkt[:1], pkt[:g.HeaderSize()], pkt[:len(pkt)-1], append(bytes.Clone(pkt), 0)} {
		before := bytes.Clone(b)
		if _, err := p.Unwrap(nodes[0].priv, b); err != ErrPacketSize {
			t.Errorf("%d bytes: error %v, want ErrPacketSize", len(b), err)
		}
		if !bytes.Equal(before, b) {
			t.Errorf("%d bytes: rejected packet changed", len(b))
		}
	}
}

func TestUnwrapLowOrderAlpha(t *testing.T) {
	g := DefaultGeometry()
	nodes, _, pkt := newTestPacket(t, g, 1, Deliver{}, []byte("x"))
	p := mustProcessor(t, g)
	// With α = 0 the shared secret is zero and known to anyone, who could
	// then compute a valid MAC. Forge exactly that.
	clear(pkt[:32])
	var zero, alpha [32]byte
	var keys hopKeys
	gh := g.Hash()
	deriveHopKeys(&keys, &gh, &alpha, &zero)
	mac := headerMAC(&keys.mac, pkt[:GroupElementSize+g.routingSize()])
	copy(pkt[GroupElementSize+g.routingSize():], mac[:])
	if _, err := p.Unwrap(nodes[0].priv, pkt); err != ErrInvalidMAC {
		t.Fatalf("error %v, want ErrInvalidMAC", err)
	}
}

// unknownCommand is a command type this version does not know.
type unknownCommand struct{}

func (unknownCommand) Type() CommandType { return 0x7f }
func (unknownCommand) encodedLen() int   { return 1 }
func (unknownCommand) put(b []byte)      { b[0] = 0x7f }

// TestUnwrapUnknownCommand checks that an authentic header with a command
// this version does not know is rejected after the MAC check.
func TestUnwrapUnknownCommand(t *testing.T) {
	g := DefaultGeometry()
	rnd := newTestRand(t.Name())
	nodes := newTestNodes(t, rnd, 1)
	path := []Hop{{ID: nodes[0].id, PublicKey: nodes[0].priv.Public(), Command: unknownCommand{}}}
	if _, err := NewPacket(rnd, g, path, nil); !errors.Is(err, ErrInvalidPath) {
		t.Fatalf("NewPacket with unknown final command: %v", err)
	}
	pkt := make([]byte, g.PacketSize())
	if _, err := buildHeader(rnd, g, path, pkt[:g.HeaderSize()]); err != nil {
		t.Fatal(err)
	}
	if _, err := mustProcessor(t, g).Unwrap(nodes[0].priv, pkt); err != ErrUnknownCommand {
		t.Fatalf("error %v, want ErrUnknownCommand", err)
	}
}

func TestReplayDetected(t *testing.T) {
	g := DefaultGeometry()
	nodes, _, pkt := newTestPacket(t, g, 2, Drop{}, nil)
	p := mustProcessor(t, g)
	set := NewReplaySet(100)
	set.Rotate(1)
	first := bytes.Clone(pkt)
	res, err := p.Unwrap(nodes[0].priv, pkt)
	if err != nil {
		t.Fatal(err)
	}
	if err := set.CheckAndAdd(1, res.Tag); err != nil {
		t.Fatal(err)
	}
	res2, err := p.Unwrap(nodes[0].priv, first)
	if err != nil {
		t.Fatal(err)
	}
	if res2.Tag != res.Tag {
		t.Fatal("same packet, different tags")
	}
	if err := set.CheckAndAdd(1, res2.Tag); err != ErrReplay {
		t.Fatalf("replay: error %v, want ErrReplay", err)
	}
	// The next hop sees another tag.
	res3, err := p.Unwrap(nodes[1].priv, res.Packet)
	if err != nil {
		t.Fatal(err)
	}
	if res3.Tag == res.Tag {
		t.Fatal("two hops share a tag")
	}
}

// TestFinalHopCannotTellPathLength checks what the final hop sees for
// every path length: the same sizes and, after its own command, routing
// information indistinguishable from random (random padding, not zeros).
func TestFinalHopCannotTellPathLength(t *testing.T) {
	g := DefaultGeometry()
	p := mustProcessor(t, g)
	rnd := newTestRand(t.Name())
	nodes := newTestNodes(t, rnd, g.Hops)
	final := nodes[len(nodes)-1]
	S, B := g.RoutingInfoSize, g.routingSize()
	for n := 1; n <= g.Hops; n++ {
		hopNodes := append(append([]testNode(nil), nodes[:n-1]...), final)
		path := testPath(hopNodes, Deliver{Mailbox: MailboxID{7}})
		pkt, err := NewPacket(rnd, g, path, []byte("same"))
		if err != nil {
			t.Fatal(err)
		}
		for i, node := range hopNodes[:n-1] {
			res, err := p.Unwrap(node.priv, pkt)
			if err != nil {
				t.Fatalf("n=%d hop %d: %v", n, i, err)
			}
			pkt = res.Packet
		}
		if len(pkt) != g.PacketSize() {
			t.Fatalf("n=%d: final hop gets %d bytes", n, len(pkt))
		}
		res, err := p.Unwrap(final.priv, pkt)
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if len(res.Payload) != 4 || res.Command != (Deliver{Mailbox: MailboxID{7}}) {
			t.Fatalf("n=%d: result %+v", n, res)
		}
		// Unwrap left the decrypted routing information after the final
		// slot in place: pkt[32 : 32+B-S]. It must look random.
		rest := pkt[GroupElementSize : GroupElementSize+B-S]
		if zeros := bytes.Count(rest, []byte{0}); zeros > len(rest)/50 {
			t.Errorf("n=%d: %d of %d bytes after the final command are zero", n, zeros, len(rest))
		}
		for off := 0; off+S <= len(rest); off += S {
			if bytes.Equal(rest[off:off+S], make([]byte, S)) {
				t.Errorf("n=%d: slot %d after the final one is all zero", n, off/S)
			}
		}
	}
}

func TestNewPacketErrors(t *testing.T) {
	g := DefaultGeometry()
	rnd := newTestRand(t.Name())
	nodes := newTestNodes(t, rnd, g.Hops+1)
	good := testPath(nodes[:2], Deliver{})
	lowOrder := testPath(nodes[:2], Deliver{})
	lowOrder[1].PublicKey = PublicKey{1}
	noCommand := testPath(nodes[:2], Deliver{})
	noCommand[0].Command = nil
	wrongNext := testPath(nodes[:2], Deliver{})
	wrongNext[0].Command = Relay{Next: nodes[3].id}
	notRelay := testPath(nodes[:2], Deliver{})
	notRelay[0].Command = Drop{}
	for _, tc := range []struct {
		name    string
		path    []Hop
		payload []byte
		want    error
	}{
		{"empty path", nil, nil, ErrInvalidPath},
		{"too long", testPath(nodes, Deliver{}), nil, ErrInvalidPath},
		{"relay at end", testPath(nodes[:2], Relay{}), nil, ErrInvalidPath},
		{"no command", noCommand, nil, ErrInvalidPath},
		{"wrong next", wrongNext, nil, ErrInvalidPath},
		{"final command in the middle", notRelay, nil, ErrInvalidPath},
		{"low-order key", lowOrder, nil, ErrInvalidPath},
		{"payload too large", good, make([]byte, g.PayloadSize+1), ErrPayloadTooLarge},
	} {
		if _, err := NewPacket(rnd, g, tc.path, tc.payload); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := NewPacket(bytes.NewReader(nil), g, good, nil); err == nil {
		t.Error("NewPacket with empty randomness succeeded")
	}
	if _, err := NewPacket(rnd, g, good, make([]byte, g.PayloadSize)); err != nil {
		t.Errorf("full payload: %v", err)
	}
}

func TestNewPacketDeterministic(t *testing.T) {
	g := DefaultGeometry()
	nodes := newTestNodes(t, newTestRand("nodes"), 3)
	path := testPath(nodes, Deliver{})
	a, _ := NewPacket(newTestRand("a"), g, path, []byte("m"))
	b, _ := NewPacket(newTestRand("a"), g, path, []byte("m"))
	c, _ := NewPacket(newTestRand("c"), g, path, []byte("m"))
	if !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Fatal("packets do not depend on exactly the randomness")
	}
}

func TestUnwrapAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	g := DefaultGeometry()
	nodes, _, pkt := newTestPacket(t, g, 2, Deliver{}, []byte("x"))
	p := mustProcessor(t, g)
	buf := make([]byte, len(pkt))
	allocs := testing.AllocsPerRun(20, func() {
		copy(buf, pkt)
		if _, err := p.Unwrap(nodes[0].priv, buf); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("Unwrap allocates %v times per packet, want at most 1 (the command)", allocs)
	}
	allocs = testing.AllocsPerRun(20, func() {
		copy(buf, pkt)
		buf[100] ^= 1
		if _, err := p.Unwrap(nodes[0].priv, buf); err != ErrInvalidMAC {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("rejecting a packet allocates %v times, want 0", allocs)
	}
}
