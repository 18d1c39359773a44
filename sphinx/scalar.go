package sphinx

import (
	"encoding/binary"
	"math/bits"
)

// This file holds the little arithmetic modulo the order ℓ of the prime-order
// subgroup of Curve25519 that the sender needs to keep the running product of
// blinding factors, so that building a packet costs two scalar
// multiplications per hop instead of 1+2+…+n. Relays never use it: they only
// call X25519.
//
// Values are four little-endian 64-bit limbs. Every function runs in time
// independent of the values (no secret-dependent branches or indices).

// scalar is an integer modulo ℓ = 2^252 + 27742317777372353535851937790883648493,
// kept in Montgomery form (a·2^256 mod ℓ) unless a comment says otherwise.
type scalar [4]uint64

var (
	// ell is ℓ.
	ell = scalar{0x5812631a5cf5d3ed, 0x14def9dea2f79cd6, 0, 0x1000000000000000}
	// rSquared is 2^512 mod ℓ, to enter Montgomery form.
	rSquared = scalar{0xa40611e3449c0f01, 0xd00e1ba768859347, 0xceec73d217f5be65, 0x0399411b7c309a3d}
	// invEightMont is 8^-1 mod ℓ in Montgomery form.
	invEightMont = scalar{0xa7ed9ce5a30a2c13, 0xeb2106215d086329, 0xffffffffffffffff, 0x0fffffffffffffff}
	// twoTo254Mont is 2^254 mod ℓ in Montgomery form.
	twoTo254Mont = scalar{0xab0f4ecc96df62b2, 0x83aac250d45b1a72, 0x73bb1cf485fd6f99, 0x0ce65046df0c268f}
)

// ellNegInv is -ℓ^-1 mod 2^64.
const ellNegInv = 0xd2b51da312547e1b

// montMul returns a·b·2^-256 mod ℓ. It requires a·b < ℓ·2^256, which holds
// when one input is below ℓ and the other below 2^256.
func montMul(a, b *scalar) scalar {
	var t [6]uint64
	for i := 0; i < 4; i++ {
		// t += a·b[i]
		var c, cc uint64
		for j := 0; j < 4; j++ {
			hi, lo := bits.Mul64(a[j], b[i])
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, c, 0)
			hi += cc
			t[j], c = lo, hi
		}
		t[4], cc = bits.Add64(t[4], c, 0)
		t[5] = cc
		// t = (t + m·ℓ) / 2^64, with m chosen so that the low limb vanishes.
		m := t[0] * ellNegInv
		hi, lo := bits.Mul64(m, ell[0])
		_, cc = bits.Add64(lo, t[0], 0)
		c = hi + cc
		for j := 1; j < 4; j++ {
			hi, lo = bits.Mul64(m, ell[j])
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, c, 0)
			hi += cc
			t[j-1], c = lo, hi
		}
		t[3], cc = bits.Add64(t[4], c, 0)
		t[4] = t[5] + cc
		t[5] = 0
	}
	// Here t < 2ℓ: subtract ℓ once if t ≥ ℓ.
	var r scalar
	var b0 uint64
	r[0], b0 = bits.Sub64(t[0], ell[0], 0)
	r[1], b0 = bits.Sub64(t[1], ell[1], b0)
	r[2], b0 = bits.Sub64(t[2], ell[2], b0)
	r[3], b0 = bits.Sub64(t[3], ell[3], b0)
	_, b0 = bits.Sub64(t[4], 0, b0)
	// b0 == 1 means t < ℓ: keep t.
	mask := -b0
	for i := range r {
		r[i] = (t[i] & mask) | (r[i] &^ mask)
	}
	return r
}

// scalarSub returns a - b mod ℓ for a, b < ℓ.
func scalarSub(a, b *scalar) scalar {
	var r scalar
	var borrow uint64
	r[0], borrow = bits.Sub64(a[0], b[0], 0)
	r[1], borrow = bits.Sub64(a[1], b[1], borrow)
	r[2], borrow = bits.Sub64(a[2], b[2], borrow)
	r[3], borrow = bits.Sub64(a[3], b[3], borrow)
	// Add ℓ back when the subtraction borrowed.
	mask := -borrow
	var c uint64
	r[0], c = bits.Add64(r[0], ell[0]&mask, 0)
	r[1], c = bits.Add64(r[1], ell[1]&mask, c)
	r[2], c = bits.Add64(r[2], ell[2]&mask, c)
	r[3], _ = bits.Add64(r[3], ell[3]&mask, c)
	return r
}

// scalarFromBytes reads a 32-byte little-endian integer (any value below
// 2^256) and returns it reduced modulo ℓ, in Montgomery form.
func scalarFromBytes(b *[32]byte) scalar {
	var a scalar
	for i := range a {
		a[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return montMul(&a, &rSquared)
}

// x25519Scalar returns 32 bytes e such that X25519(e, u(P)) = u([y]P) for
// every point P of the prime-order subgroup, where y is the scalar in
// Montgomery form. X25519 clamps its scalar, so e must already be of the form
// 2^254 + 8z with 0 ≤ z < 2^251. Because u([k]P) = u([-k]P), it suffices that
// e ≡ ±y (mod ℓ): with z = (±y - 2^254)/8 mod ℓ, one sign gives z < 2^251
// except when y lies in a set of density about 2^-126. ok reports whether
// such a z was found; the caller then picks a new ephemeral key.
func x25519Scalar(y *scalar) (e [32]byte, ok bool) {
	var zero scalar
	negY := scalarSub(&zero, y)
	t1 := scalarSub(y, &twoTo254Mont)
	t2 := scalarSub(&negY, &twoTo254Mont)
	one := scalar{1}
	z1m := montMul(&t1, &invEightMont)
	z2m := montMul(&t2, &invEightMont)
	z1 := montMul(&z1m, &one) // leave Montgomery form
	z2 := montMul(&z2m, &one)
	// fits is 1 when z < 2^251, that is when bits 251..255 are clear.
	fits1 := isZero64(z1[3] >> 59)
	fits2 := isZero64(z2[3] >> 59)
	mask := -fits1
	var z scalar
	for i := range z {
		z[i] = (z1[i] & mask) | (z2[i] &^ mask)
	}
	// e = 8z + 2^254.
	z[3] = z[3]<<3 | z[2]>>61 | 1<<62
	z[2] = z[2]<<3 | z[1]>>61
	z[1] = z[1]<<3 | z[0]>>61
	z[0] <<= 3
	for i := range z {
		binary.LittleEndian.PutUint64(e[8*i:], z[i])
	}
	return e, (fits1 | fits2) == 1
}

// isZero64 returns 1 if x == 0 and 0 otherwise, in constant time.
func isZero64(x uint64) uint64 {
	return 1 ^ ((x | -x) >> 63)
}
