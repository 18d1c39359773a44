package tickets_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/big"
	"testing"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fp"

	"github.com/murmurnet/murmur/payments/tickets"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	if len(s) >= 2 && s[:2] == "0x" {
		s = s[2:]
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestHashToCurveRFC9380 checks gnark-crypto's hash_to_curve against the
// known-answer tests of RFC 9380 Appendix J.9.1
// (BLS12381G1_XMD:SHA-256_SSWU_RO_), copied from the RFC.
func TestHashToCurveRFC9380(t *testing.T) {
	const dst = "QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_"
	for _, c := range rfc9380Vectors {
		p, err := bls.HashToG1([]byte(c.msg), []byte(dst))
		if err != nil {
			t.Fatal(err)
		}
		x, y := p.X.Bytes(), p.Y.Bytes()
		if hex.EncodeToString(x[:]) != c.x || hex.EncodeToString(y[:]) != c.y {
			t.Errorf("msg %q: got (%x, %x), RFC 9380 says (%s, %s)", c.msg, x, y, c.x, c.y)
		}
	}
}

// rfc9380Vectors are from RFC 9380 Appendix J.9.1.
var rfc9380Vectors = []struct{ msg, x, y string }{
	{
		msg: "",
		x:   "052926add2207b76ca4fa57a8734416c8dc95e24501772c814278700eed6d1e4e8cf62d9c09db0fac349612b759e79a1",
		y:   "08ba738453bfed09cb546dbb0783dbb3a5f1f566ed67bb6be0e8c67e2e81a4cc68ee29813bb7994998f3eae0c9c6a265",
	},
	{
		msg: "abc",
		x:   "03567bc5ef9c690c2ab2ecdf6a96ef1c139cc0b2f284dca0a9a7943388a49a3aee664ba5379a7655d3c68900be2f6903",
		y:   "0b9c15f3fe6e5cf4211f346271d7b01c8f3b28be689c8429c85b67af215533311f0b8dfaaa154fa6b88176c229f2885d",
	},
	{
		msg: "abcdef0123456789",
		x:   "11e0b079dea29a68f0383ee94fed1b940995272407e3bb916bbf268c263ddd57a6a27200a784cbc248e84f357ce82d98",
		y:   "03a87ae2caf14e8ee52e51fa2ed8eefe80f02457004ba4d486d6aa1f517c0889501dc7413753f9599b099ebcbbd2d709",
	},
}

func TestDST(t *testing.T) {
	const want = "MURMUR-V1-TICKET-CHAIN-31337-EPOCH-7_BLS12381G1_XMD:SHA-256_SSWU_RO_"
	if got := tickets.DST(31337, 7); got != want {
		t.Fatalf("DST = %q, want %q", got, want)
	}
}

// TestEIP2537Generators checks the encodings against the generators as
// EIP-2537 and the BLS12-381 specification write them, which fixes the
// order of the Fp2 components (c0 first).
func TestEIP2537Generators(t *testing.T) {
	_, _, g1, g2 := bls.Generators()
	const (
		g1x  = "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"
		g1y  = "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1"
		g2x0 = "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"
		g2x1 = "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"
		g2y0 = "0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801"
		g2y1 = "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be"
	)
	pad := "00000000000000000000000000000000"
	e1 := tickets.EncodeG1EIP2537(&g1)
	if got, want := hex.EncodeToString(e1[:]), pad+g1x+pad+g1y; got != want {
		t.Errorf("G1 generator:\n got %s\nwant %s", got, want)
	}
	e2 := tickets.EncodeG2EIP2537(&g2)
	if got, want := hex.EncodeToString(e2[:]), pad+g2x0+pad+g2x1+pad+g2y0+pad+g2y1; got != want {
		t.Errorf("G2 generator:\n got %s\nwant %s", got, want)
	}
	if d, err := tickets.DecodeG1EIP2537(e1[:]); err != nil || !d.Equal(&g1) {
		t.Errorf("DecodeG1EIP2537(G1) = %v, %v", d, err)
	}
	if d, err := tickets.DecodeG2EIP2537(e2[:]); err != nil || !d.Equal(&g2) {
		t.Errorf("DecodeG2EIP2537(G2) = %v, %v", d, err)
	}
	var inf1 bls.G1Affine
	var inf2 bls.G2Affine
	if e := tickets.EncodeG1EIP2537(&inf1); e != [128]byte{} {
		t.Error("G1 infinity is not 128 zero bytes")
	}
	if e := tickets.EncodeG2EIP2537(&inf2); e != [256]byte{} {
		t.Error("G2 infinity is not 256 zero bytes")
	}
}

// badPoints returns points to decode: compressed encodings of a point off
// the curve and of a point on the curve outside G1, and EIP-2537 forms.
func notOnCurveX() fp.Element {
	var x, rhs fp.Element
	for i := uint64(1); ; i++ {
		x.SetUint64(i)
		rhs.Square(&x).Mul(&rhs, &x)
		rhs.Add(&rhs, new(fp.Element).SetUint64(4))
		if rhs.Legendre() == -1 {
			return x
		}
	}
}

func notInG1() bls.G1Affine {
	var f fp.Element
	f.SetUint64(42)
	j := bls.GeneratePointNotInG1(f)
	var p bls.G1Affine
	p.FromJacobian(&j)
	return p
}

func TestDecodeG1(t *testing.T) {
	_, _, g1, _ := bls.Generators()
	good := g1.Bytes()
	if p, err := tickets.DecodeG1(good[:]); err != nil || !p.Equal(&g1) {
		t.Fatalf("DecodeG1(G1 generator) = %v, %v", p, err)
	}
	x := notOnCurveX()
	offCurve := x.Bytes()
	offCurve[0] |= 0x80
	outside := notInG1()
	if !outside.IsOnCurve() || outside.IsInSubGroup() {
		t.Fatal("test point not on curve outside G1")
	}
	notSub := outside.Bytes()
	pBytes := fp.Modulus().FillBytes(make([]byte, 48))
	pBytes[0] |= 0x80
	infinity := make([]byte, 48)
	infinity[0] = 0xc0
	infSort := bytes.Clone(infinity)
	infSort[0] = 0xe0
	infJunk := bytes.Clone(infinity)
	infJunk[47] = 1
	uncompressed := g1.RawBytes()

	cases := map[string]struct {
		b    []byte
		want error
	}{
		"empty":              {nil, tickets.ErrMalformed},
		"short":              {good[:47], tickets.ErrMalformed},
		"long":               {append(good[:], 0), tickets.ErrMalformed},
		"uncompressed":       {uncompressed[:], tickets.ErrMalformed},
		"no compressed flag": {flip(good[:], 0, 0x80), tickets.ErrMalformed},
		"x = p":              {pBytes, tickets.ErrMalformed},
		"infinity":           {infinity, tickets.ErrInfinity},
		"infinity sort bit":  {infSort, tickets.ErrMalformed},
		"infinity nonzero":   {infJunk, tickets.ErrMalformed},
		"not on curve":       {offCurve[:], tickets.ErrNotOnCurve},
		"not in subgroup":    {notSub[:], tickets.ErrNotInSubgroup},
	}
	for name, c := range cases {
		if _, err := tickets.DecodeG1(c.b); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}

	// The same through the ticket decoder, and the EIP-2537 decoder.
	for name, c := range cases {
		if len(c.b) != 48 {
			continue
		}
		wire := append(make([]byte, 40), c.b...)
		if _, err := tickets.DecodeTicket(wire); !errors.Is(err, c.want) {
			t.Errorf("ticket with %s signature: %v, want %v", name, err, c.want)
		}
	}
	eip := func(x, y fp.Element) []byte {
		p := bls.G1Affine{X: x, Y: y}
		e := tickets.EncodeG1EIP2537(&p)
		return e[:]
	}
	var y fp.Element
	y.SetUint64(2)
	eipGood := tickets.EncodeG1EIP2537(&g1)
	eipCases := map[string]struct {
		b    []byte
		want error
	}{
		"short":           {eipGood[:127], tickets.ErrMalformed},
		"padding":         {flip(eipGood[:], 3, 1), tickets.ErrMalformed},
		"y padding":       {flip(eipGood[:], 64, 1), tickets.ErrMalformed},
		"x = p":           {append(append(make([]byte, 16), pBytes[:]...), eipGood[64:]...), tickets.ErrMalformed},
		"infinity":        {make([]byte, 128), tickets.ErrInfinity},
		"not on curve":    {eip(x, y), tickets.ErrNotOnCurve},
		"not in subgroup": {eip(outside.X, outside.Y), tickets.ErrNotInSubgroup},
	}
	eipCases["x = p"].b[16] &^= 0x80
	for name, c := range eipCases {
		if _, err := tickets.DecodeG1EIP2537(c.b); !errors.Is(err, c.want) {
			t.Errorf("EIP-2537 %s: %v, want %v", name, err, c.want)
		}
	}
}

func TestDecodeG2(t *testing.T) {
	_, _, _, g2 := bls.Generators()
	good := g2.Bytes()
	if p, err := tickets.DecodeG2(good[:]); err != nil || !p.Equal(&g2) {
		t.Fatalf("DecodeG2(G2 generator) = %v, %v", p, err)
	}
	// Small x coordinates give points off the curve and points on the
	// curve outside G2 (almost all of E'(Fp2) is outside G2).
	seen := map[error]bool{}
	for i := uint64(1); i <= 50; i++ {
		var p bls.G2Affine
		p.X.A0.SetUint64(i)
		b := p.Bytes()
		_, err := tickets.DecodeG2(b[:])
		if !errors.Is(err, tickets.ErrNotOnCurve) && !errors.Is(err, tickets.ErrNotInSubgroup) {
			t.Fatalf("x = %d: %v, want a point off the curve or outside G2", i, err)
		}
		seen[err] = true
	}
	if !seen[tickets.ErrNotOnCurve] || !seen[tickets.ErrNotInSubgroup] {
		t.Fatalf("small x gave only %v", seen)
	}
	infinity := make([]byte, 96)
	infinity[0] = 0xc0
	if _, err := tickets.DecodeG2(infinity); !errors.Is(err, tickets.ErrInfinity) {
		t.Errorf("G2 infinity: %v", err)
	}
	if _, err := tickets.DecodeG2(good[:95]); !errors.Is(err, tickets.ErrMalformed) {
		t.Errorf("short G2: %v", err)
	}
	if _, err := tickets.DecodeG2EIP2537(make([]byte, 256)); !errors.Is(err, tickets.ErrInfinity) {
		t.Errorf("G2 EIP-2537 infinity: %v", err)
	}
	// An issuer key must be in G2.
	k := tickets.IssuerKey{ChainID: 1, Epoch: 1, Value: tickets.Value{Packets: 1, Price: big.NewInt(1)}}
	if err := k.Check(); !errors.Is(err, tickets.ErrInfinity) {
		t.Errorf("key at infinity: %v", err)
	}
}

func flip(b []byte, i int, mask byte) []byte {
	c := bytes.Clone(b)
	c[i] ^= mask
	return c
}
