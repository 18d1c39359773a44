package sphinx

import (
	"bytes"
	"math/big"
	"testing"
)

var bigEll, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

func bigFromScalar(s *scalar) *big.Int {
	var b [32]byte
	for i := range s {
		for j := 0; j < 8; j++ {
			b[31-8*i-j] = byte(s[i] >> (8 * j))
		}
	}
	return new(big.Int).SetBytes(b[:])
}

func bigFromLE(b []byte) *big.Int {
	r := make([]byte, len(b))
	for i := range b {
		r[len(b)-1-i] = b[i]
	}
	return new(big.Int).SetBytes(r)
}

// fromMont leaves Montgomery form.
func fromMont(a *scalar) scalar {
	one := scalar{1}
	return montMul(a, &one)
}

func TestScalarConstants(t *testing.T) {
	if bigFromScalar(&ell).Cmp(bigEll) != 0 {
		t.Fatal("ell is wrong")
	}
	R := new(big.Int).Lsh(big.NewInt(1), 256)
	check := func(name string, got *scalar, want *big.Int) {
		t.Helper()
		if bigFromScalar(got).Cmp(want) != 0 {
			t.Errorf("%s = %x, want %x", name, bigFromScalar(got), want)
		}
	}
	check("rSquared", &rSquared, new(big.Int).Mod(new(big.Int).Mul(R, R), bigEll))
	inv8 := new(big.Int).ModInverse(big.NewInt(8), bigEll)
	check("invEightMont", &invEightMont, new(big.Int).Mod(new(big.Int).Mul(inv8, R), bigEll))
	check("twoTo254Mont", &twoTo254Mont, new(big.Int).Mod(new(big.Int).Lsh(R, 254), bigEll))
	m := new(big.Int).ModInverse(bigEll, R)
	m.Sub(R, m)
	if m.Uint64() != ellNegInv {
		t.Errorf("ellNegInv = %x, want %x", uint64(ellNegInv), m)
	}
}

func TestScalarArithmetic(t *testing.T) {
	rnd := newTestRand("scalar arithmetic")
	inputs := [][32]byte{{}, {1}, {31: 0xff}}
	for i := range inputs[2] {
		inputs[2][i] = 0xff
	}
	var lm1 [32]byte // ℓ-1, little-endian
	bigEllMinus1 := new(big.Int).Sub(bigEll, big.NewInt(1)).Bytes()
	for i := range bigEllMinus1 {
		lm1[i] = bigEllMinus1[len(bigEllMinus1)-1-i]
	}
	inputs = append(inputs, lm1)
	for range 2000 {
		var b [32]byte
		rnd.Read(b[:])
		inputs = append(inputs, b)
	}
	for i := range inputs {
		a, b := &inputs[i], &inputs[(i*7+3)%len(inputs)]
		A, B := bigFromLE(a[:]), bigFromLE(b[:])
		am, bm := scalarFromBytes(a), scalarFromBytes(b)
		if got := fromMont(&am); bigFromScalar(&got).Cmp(new(big.Int).Mod(A, bigEll)) != 0 {
			t.Fatalf("reduce(%x) = %x", A, bigFromScalar(&got))
		}
		p := montMul(&am, &bm)
		want := new(big.Int).Mod(new(big.Int).Mul(A, B), bigEll)
		if got := fromMont(&p); bigFromScalar(&got).Cmp(want) != 0 {
			t.Fatalf("%x * %x = %x, want %x", A, B, bigFromScalar(&got), want)
		}
		d := scalarSub(&am, &bm)
		want = new(big.Int).Mod(new(big.Int).Sub(A, B), bigEll)
		if got := fromMont(&d); bigFromScalar(&got).Cmp(want) != 0 {
			t.Fatalf("%x - %x = %x, want %x", A, B, bigFromScalar(&got), want)
		}
	}
}

// TestX25519Scalar checks that the encoded scalar is a fixed point of
// clamping, is congruent to ±y, and acts like y on points.
func TestX25519Scalar(t *testing.T) {
	rnd := newTestRand("x25519 scalar")
	var peer [32]byte
	rnd.Read(peer[:])
	var peerPub [32]byte
	x25519Base(&peerPub, &peer)
	for range 50 {
		var k [32]byte
		rnd.Read(k[:])
		c := k
		clamp(&c)
		y := scalarFromBytes(&c)
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
		x25519Shared(&a, &k, &peerPub)
		x25519Shared(&b, &e, &peerPub)
		if a != b {
			t.Fatalf("X25519(e, P) != X25519(k, P)")
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
		var b [32]byte
		yb := y.Bytes()
		for i := range yb {
			b[i] = yb[len(yb)-1-i]
		}
		ym := scalarFromBytes(&b)
		if _, ok := x25519Scalar(&ym); ok != tc.ok {
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
