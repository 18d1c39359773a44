package sphinx

import (
	"bytes"
	"math/big"
	"testing"

	"filippo.io/edwards25519"
)

var bigEll, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

// clamp clamps an X25519 scalar as RFC 7748 does: the reference for
// setClamped.
func clamp(k *[32]byte) {
	k[0] &= 248
	k[31] = (k[31] & 127) | 64
}

func bigFromScalar(s *edwards25519.Scalar) *big.Int {
	return bigFromLE(s.Bytes())
}

func bigFromLE(b []byte) *big.Int {
	r := make([]byte, len(b))
	for i := range b {
		r[len(b)-1-i] = b[i]
	}
	return new(big.Int).SetBytes(r)
}

// leFromBig returns x, which must be below 2^256, as 32 bytes little-endian.
func leFromBig(x *big.Int) [32]byte {
	var b [32]byte
	x.FillBytes(b[:])
	for i := range 16 {
		b[i], b[31-i] = b[31-i], b[i]
	}
	return b
}

func TestScalarConstants(t *testing.T) {
	// The library's order is ℓ: ℓ-1 is canonical, ℓ is not.
	lm1 := leFromBig(new(big.Int).Sub(bigEll, big.NewInt(1)))
	if _, err := edwards25519.NewScalar().SetCanonicalBytes(lm1[:]); err != nil {
		t.Errorf("ℓ-1 rejected: %v", err)
	}
	l := leFromBig(bigEll)
	if _, err := edwards25519.NewScalar().SetCanonicalBytes(l[:]); err == nil {
		t.Error("ℓ accepted")
	}
	check := func(name string, got *edwards25519.Scalar, want *big.Int) {
		t.Helper()
		if bigFromScalar(got).Cmp(want) != 0 {
			t.Errorf("%s = %x, want %x", name, bigFromScalar(got), want)
		}
	}
	check("invEight", invEight, new(big.Int).ModInverse(big.NewInt(8), bigEll))
	check("twoTo254", twoTo254, new(big.Int).Exp(big.NewInt(2), big.NewInt(254), bigEll))
}

// TestScalarArithmetic checks the two operations deriveSenderKeys does mod ℓ,
// reducing a clamped string and multiplying, against math/big.
func TestScalarArithmetic(t *testing.T) {
	rnd := newTestRand("scalar arithmetic")
	inputs := [][32]byte{{}, {1}, {31: 0xff}, leFromBig(new(big.Int).Sub(bigEll, big.NewInt(1)))}
	for i := range inputs[2] {
		inputs[2][i] = 0xff
	}
	for range 2000 {
		var b [32]byte
		rnd.Read(b[:])
		inputs = append(inputs, b)
	}
	var p edwards25519.Scalar
	P := big.NewInt(1)
	for i := range inputs {
		a, b := inputs[i], inputs[(i*7+3)%len(inputs)]
		var am, bm edwards25519.Scalar
		setClamped(&am, &a)
		setClamped(&bm, &b)
		if a != inputs[i] {
			t.Fatal("setClamped modified its input")
		}
		clamp(&a)
		clamp(&b)
		A, B := bigFromLE(a[:]), bigFromLE(b[:])
		if got, want := bigFromScalar(&am), new(big.Int).Mod(A, bigEll); got.Cmp(want) != 0 {
			t.Fatalf("clamp(%x) mod ℓ = %x, want %x", inputs[i], got, want)
		}
		var m edwards25519.Scalar
		m.Multiply(&am, &bm)
		want := new(big.Int).Mod(new(big.Int).Mul(A, B), bigEll)
		if got := bigFromScalar(&m); got.Cmp(want) != 0 {
			t.Fatalf("%x * %x = %x, want %x", A, B, got, want)
		}
		// The running product, as deriveSenderKeys keeps it.
		if i == 0 {
			p.Set(&am)
		} else {
			p.Multiply(&p, &am)
		}
		P.Mod(P.Mul(P, A), bigEll)
		if got := bigFromScalar(&p); got.Cmp(P) != 0 {
			t.Fatalf("running product %d = %x, want %x", i, got, P)
		}
	}
}

// TestX25519Scalar checks that the encoded scalar is a fixed point of
// clamping, is congruent to ±y, and acts like y on points, both for a
// clamped y (as y_0) and for a product (as y_1 = y_0·clamp(b_0), checked
// against a relay's X25519(b_0, α_0)).
func TestX25519Scalar(t *testing.T) {
	rnd := newTestRand("x25519 scalar")
	var peer [32]byte
	rnd.Read(peer[:])
	var peerPub [32]byte
	x25519Base(&peerPub, &peer)
	for range 50 {
		var k, k2 [32]byte
		rnd.Read(k[:])
		rnd.Read(k2[:])
		c := k
		clamp(&c)
		var y edwards25519.Scalar
		setClamped(&y, &k)
		e, ok := x25519Scalar(&y)
		if !ok {
			t.Fatal("x25519Scalar failed")
		}
		ce := e
		clamp(&ce)
		if ce != e {
			t.Fatalf("e = %x is not clamped", e)
		}
		E, Y := bigFromLE(e[:]), bigFromLE(c[:])
		E.Mod(E, bigEll)
		Y.Mod(Y, bigEll)
		if E.Cmp(Y) != 0 && new(big.Int).Add(E, Y).Cmp(bigEll) != 0 {
			t.Fatalf("e ≢ ±y")
		}
		var a, b [32]byte
		x25519Base(&a, &k)
		x25519Base(&b, &e)
		if a != b {
			t.Fatalf("X25519(e, 9) != X25519(k, 9)")
		}
		var s1, s2 [32]byte
		x25519Shared(&s1, &k, &peerPub)
		x25519Shared(&s2, &e, &peerPub)
		if s1 != s2 {
			t.Fatalf("X25519(e, P) != X25519(k, P)")
		}

		var y2 edwards25519.Scalar
		y.Multiply(&y, setClamped(&y2, &k2))
		e, ok = x25519Scalar(&y)
		if !ok {
			t.Fatal("x25519Scalar failed on a product")
		}
		var relay [32]byte
		x25519Shared(&relay, &k2, &a)
		x25519Base(&b, &e)
		if relay != b {
			t.Fatalf("X25519(E(y·clamp(k2)), 9) != X25519(k2, X25519(k, 9))")
		}
	}
}

// TestX25519ScalarFailure checks the rare case where neither sign gives a
// usable encoding: z1 = (y - 2^254)/8 in [2^251, 2^251 + 2δ], δ = ℓ - 2^252.
func TestX25519ScalarFailure(t *testing.T) {
	two251 := new(big.Int).Lsh(big.NewInt(1), 251)
	delta := new(big.Int).Sub(bigEll, new(big.Int).Lsh(big.NewInt(1), 252))
	for _, tc := range []struct {
		z1 *big.Int
		ok bool
	}{
		{new(big.Int).Sub(two251, big.NewInt(1)), true},
		{two251, false},
		{new(big.Int).Add(two251, delta), false},
		{new(big.Int).Add(two251, new(big.Int).Lsh(delta, 1)), false},
		{new(big.Int).Add(new(big.Int).Add(two251, new(big.Int).Lsh(delta, 1)), big.NewInt(1)), true},
	} {
		// y = 8·z1 + 2^254 mod ℓ
		y := new(big.Int).Lsh(tc.z1, 3)
		y.Add(y, new(big.Int).Lsh(big.NewInt(1), 254))
		y.Mod(y, bigEll)
		b := leFromBig(y)
		ym, err := edwards25519.NewScalar().SetCanonicalBytes(b[:])
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := x25519Scalar(ym); ok != tc.ok {
			t.Errorf("z1 = 2^251 + %v: ok = %v, want %v", new(big.Int).Sub(tc.z1, two251), ok, tc.ok)
		}
	}
}

func TestLowOrderRejected(t *testing.T) {
	var k [32]byte
	k[0] = 0x40
	var out [32]byte
	for _, p := range [][32]byte{{}, {1}} {
		if x25519Shared(&out, &k, &p) {
			t.Errorf("point %x accepted", p)
		}
	}
	if !bytes.Equal(out[:], make([]byte, 32)) {
		t.Errorf("low-order result not zero")
	}
}
