package tickets

import (
	"bytes"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fp"
)

// Sizes of the point encodings.
const (
	// G1CompressedSize is the size of a compressed G1 point (ZCash/IETF format).
	G1CompressedSize = bls.SizeOfG1AffineCompressed
	// G2CompressedSize is the size of a compressed G2 point (ZCash/IETF format).
	G2CompressedSize = bls.SizeOfG2AffineCompressed
	// G1EIP2537Size is the size of a G1 point as the EIP-2537 precompiles take it.
	G1EIP2537Size = 128
	// G2EIP2537Size is the size of a G2 point as the EIP-2537 precompiles take it.
	G2EIP2537Size = 256
)

// Flag bits of the first byte of a compressed point.
const (
	flagCompressed = 0x80
	flagInfinity   = 0x40
	flagSort       = 0x20
)

// EncodeG1EIP2537 returns p in the EIP-2537 form: x and y, each as 16 zero
// bytes followed by the 48-byte big-endian coordinate. The point at infinity
// is 128 zero bytes.
func EncodeG1EIP2537(p *bls.G1Affine) [G1EIP2537Size]byte {
	var out [G1EIP2537Size]byte
	if p.IsInfinity() {
		return out
	}
	putFp(out[0:64], &p.X)
	putFp(out[64:128], &p.Y)
	return out
}

// EncodeG2EIP2537 returns p in the EIP-2537 form: x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1,
// each 64 bytes as in [EncodeG1EIP2537], where a coordinate of Fp2 is
// c0 + c1·u. The point at infinity is 256 zero bytes.
func EncodeG2EIP2537(p *bls.G2Affine) [G2EIP2537Size]byte {
	var out [G2EIP2537Size]byte
	if p.IsInfinity() {
		return out
	}
	putFp(out[0:64], &p.X.A0)
	putFp(out[64:128], &p.X.A1)
	putFp(out[128:192], &p.Y.A0)
	putFp(out[192:256], &p.Y.A1)
	return out
}

func putFp(dst []byte, e *fp.Element) {
	b := e.Bytes()
	copy(dst[64-fp.Bytes:], b[:])
}

// getFp reads a 64-byte EIP-2537 field element: 16 zero bytes, then a
// canonical 48-byte big-endian value.
func getFp(e *fp.Element, src []byte) error {
	for _, b := range src[:64-fp.Bytes] {
		if b != 0 {
			return ErrMalformed
		}
	}
	if e.SetBytesCanonical(src[64-fp.Bytes:64]) != nil {
		return ErrMalformed
	}
	return nil
}

// DecodeG1EIP2537 parses a G1 point in the EIP-2537 form and checks, as the
// precompiles do for pairings, that it is on the curve and in G1. The point
// at infinity is refused with [ErrInfinity].
func DecodeG1EIP2537(b []byte) (bls.G1Affine, error) {
	var p bls.G1Affine
	if len(b) != G1EIP2537Size {
		return p, ErrMalformed
	}
	if err := getFp(&p.X, b[0:64]); err != nil {
		return p, err
	}
	if err := getFp(&p.Y, b[64:128]); err != nil {
		return p, err
	}
	return p, checkG1(&p)
}

// DecodeG2EIP2537 parses a G2 point in the EIP-2537 form with the checks of
// [DecodeG1EIP2537].
func DecodeG2EIP2537(b []byte) (bls.G2Affine, error) {
	var p bls.G2Affine
	if len(b) != G2EIP2537Size {
		return p, ErrMalformed
	}
	for i, e := range []*fp.Element{&p.X.A0, &p.X.A1, &p.Y.A0, &p.Y.A1} {
		if err := getFp(e, b[64*i:64*i+64]); err != nil {
			return p, err
		}
	}
	return p, checkG2(&p)
}

// checkG1 refuses the point at infinity, points off the curve and points
// outside G1.
func checkG1(p *bls.G1Affine) error {
	switch {
	case p.IsInfinity():
		return ErrInfinity
	case !p.IsOnCurve():
		return ErrNotOnCurve
	case !p.IsInSubGroup():
		return ErrNotInSubgroup
	}
	return nil
}

func checkG2(p *bls.G2Affine) error {
	switch {
	case p.IsInfinity():
		return ErrInfinity
	case !p.IsOnCurve():
		return ErrNotOnCurve
	case !p.IsInSubGroup():
		return ErrNotInSubgroup
	}
	return nil
}

// checkFlags validates the flag bits of a compressed point of size n and
// that its x coordinate is canonical. fpLen is the number of field
// elements in x (1 for G1, 2 for G2).
func checkFlags(b []byte, n, fpLen int) error {
	if len(b) != n {
		return ErrMalformed
	}
	if b[0]&flagCompressed == 0 {
		return ErrMalformed
	}
	if b[0]&flagInfinity != 0 {
		if b[0] != flagCompressed|flagInfinity {
			return ErrMalformed
		}
		for _, c := range b[1:] {
			if c != 0 {
				return ErrMalformed
			}
		}
		return ErrInfinity
	}
	var x [fp.Bytes]byte
	var e fp.Element
	for i := range fpLen {
		copy(x[:], b[i*fp.Bytes:(i+1)*fp.Bytes])
		if i == 0 {
			x[0] &^= flagCompressed | flagSort
		}
		if e.SetBytesCanonical(x[:]) != nil {
			return ErrMalformed
		}
	}
	return nil
}

// DecodeG1 parses a compressed G1 point (48 bytes, the ZCash/IETF format of
// [bls.G1Affine.Bytes]) and checks that it is in G1 and not the point at
// infinity. Errors: [ErrMalformed], [ErrNotOnCurve], [ErrNotInSubgroup],
// [ErrInfinity].
func DecodeG1(b []byte) (bls.G1Affine, error) {
	var p bls.G1Affine
	if err := checkFlags(b, G1CompressedSize, 1); err != nil {
		return p, err
	}
	if _, err := p.SetBytes(b); err == nil {
		return p, nil
	}
	// Slow path, errors only: tell a point off the curve from one outside G1.
	if bls.NewDecoder(bytes.NewReader(b), bls.NoSubgroupChecks()).Decode(&p) != nil {
		return bls.G1Affine{}, ErrNotOnCurve
	}
	return bls.G1Affine{}, ErrNotInSubgroup
}

// DecodeG2 parses a compressed G2 point (96 bytes, the format of
// [bls.G2Affine.Bytes]) with the checks of [DecodeG1].
func DecodeG2(b []byte) (bls.G2Affine, error) {
	var p bls.G2Affine
	if err := checkFlags(b, G2CompressedSize, 2); err != nil {
		return p, err
	}
	if _, err := p.SetBytes(b); err == nil {
		return p, nil
	}
	if bls.NewDecoder(bytes.NewReader(b), bls.NoSubgroupChecks()).Decode(&p) != nil {
		return bls.G2Affine{}, ErrNotOnCurve
	}
	return bls.G2Affine{}, ErrNotInSubgroup
}
