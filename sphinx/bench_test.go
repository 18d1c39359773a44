package sphinx

import (
	"testing"
)

// BenchmarkX25519 is the floor the other benchmarks are read against: one
// X25519 shared-secret computation with the implementation the packet code
// uses (x25519Shared, circl's dh/x25519).
func BenchmarkX25519(b *testing.B) {
	rnd := newTestRand("bench x25519")
	k1, _ := GenerateKey(rnd)
	k2, _ := GenerateKey(rnd)
	pub := [32]byte(k2.Public())
	secret := [32]byte(k1.secret)
	var out [32]byte
	b.ReportAllocs()
	for b.Loop() {
		x25519Shared(&out, &secret, &pub)
	}
}

// BenchmarkUnwrap measures one relay hop of the default geometry: two
// scalar multiplications, the header stream and MAC, LIONESS over the
// payload. The packet is copied into the work buffer each time, as a relay
// copies it off the wire.
func BenchmarkUnwrap(b *testing.B) {
	g := DefaultGeometry()
	p := mustProcessor(b, g)
	rnd := newTestRand("bench unwrap")
	nodes := newTestNodes(b, rnd, g.Hops)
	pkt, err := NewPacket(rnd, g, testPath(nodes, Deliver{}), make([]byte, g.PayloadSize))
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, len(pkt))
	b.SetBytes(int64(len(pkt)))
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, pkt)
		if _, err := p.Unwrap(nodes[0].priv, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnwrapFinal measures the final hop (one scalar multiplication,
// payload check).
func BenchmarkUnwrapFinal(b *testing.B) {
	g := DefaultGeometry()
	p := mustProcessor(b, g)
	rnd := newTestRand("bench unwrap final")
	nodes := newTestNodes(b, rnd, 1)
	pkt, err := NewPacket(rnd, g, testPath(nodes, Deliver{}), make([]byte, g.PayloadSize))
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, len(pkt))
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, pkt)
		if _, err := p.Unwrap(nodes[0].priv, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewPacket measures building a 5-hop packet of the default
// geometry with a full payload.
func BenchmarkNewPacket(b *testing.B) {
	g := DefaultGeometry()
	rnd := newTestRand("bench new packet")
	nodes := newTestNodes(b, rnd, g.Hops)
	path := testPath(nodes, Deliver{})
	payload := make([]byte, g.PayloadSize)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewPacket(rnd, g, path, payload); err != nil {
			b.Fatal(err)
		}
	}
}
