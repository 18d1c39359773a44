package sphinx

import (
	"testing"

	"filippo.io/edwards25519"
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

// BenchmarkNewPacketFromSecrets measures what NewPacket does besides the
// key chain's ten X25519 computations (header, payload, key derivation):
// the browser client's core does only this, its chain running in
// WebCrypto.
func BenchmarkNewPacketFromSecrets(b *testing.B) {
	g := DefaultGeometry()
	rnd := newTestRand("bench new packet from secrets")
	nodes := newTestNodes(b, rnd, g.Hops)
	path := testPath(nodes, Deliver{})
	chain := testChain(b, g, path, rnd)
	payload := make([]byte, g.PayloadSize)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewPacketFromSecrets(rnd, g, path, chain, payload); err != nil {
			b.Fatal(err)
		}
	}
}

// testChain runs the sender's key chain for path as deriveSenderKeys does
// and returns what each hop shares with the sender.
func testChain(t testing.TB, g Geometry, path []Hop, rnd *testRand) []HopSecret {
	t.Helper()
	gh := g.Hash()
	var r [32]byte
	rnd.Read(r[:])
	var y, bl edwards25519.Scalar
	setClamped(&y, &r)
	chain := make([]HopSecret, len(path))
	for i := range path {
		e, ok := x25519Scalar(&y)
		if !ok {
			t.Fatal("an unlucky scalar")
		}
		x25519Base(&chain[i].Alpha, &e)
		pub := [32]byte(path[i].PublicKey)
		if !x25519Shared(&chain[i].Secret, &e, &pub) {
			t.Fatal("a low-order key")
		}
		var k hopKeys
		deriveHopKeys(&k, &gh, &chain[i].Alpha, &chain[i].Secret)
		y.Multiply(&y, setClamped(&bl, &k.blind))
	}
	return chain
}
