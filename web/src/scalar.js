// Arithmetic modulo ℓ = 2^252 + 27742317777372353535851937790883648493,
// the order of Curve25519's prime-order subgroup, for the sender's Sphinx
// key chain (keychain.js): the Go sender's sphinx/scalar.go, in
// JavaScript.
//
// The scalars are secret (their product is the packet's ephemeral key), so
// nothing here branches on them or uses BigInt, whose time depends on the
// values. A scalar is 32 bytes little-endian. A product is taken in 16-bit
// limbs (exact in doubles: each column is below 2^37), carried into 64
// bytes, and reduced with TweetNaCl's modL (Bernstein et al., public
// domain), whose loop bounds are fixed; from bytes its limbs stay within
// 32-bit integers.

const L = Int32Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
]);

// modL sets r (32 bytes) to x mod ℓ, x being 64 limbs of a byte (one more
// for the last carry); x is destroyed.
function modL(r, x) {
  let carry;
  for (let i = 63; i >= 32; --i) {
    carry = 0;
    let j = i - 32;
    for (const k = i - 12; j < k; ++j) {
      x[j] += carry - 16 * x[i] * L[j - (i - 32)];
      carry = (x[j] + 128) >> 8;
      x[j] -= carry * 256;
    }
    x[j] += carry;
    x[i] = 0;
  }
  carry = 0;
  for (let j = 0; j < 32; j++) {
    x[j] += carry - (x[31] >> 4) * L[j];
    carry = x[j] >> 8;
    x[j] &= 255;
  }
  for (let j = 0; j < 32; j++) x[j] -= carry * L[j];
  for (let i = 0; i < 32; i++) {
    x[i + 1] += x[i] >> 8;
    r[i] = x[i] & 255;
  }
}

// Work buffers, cleared after each use: the page builds one packet at a
// time on its single thread.
const wa = new Float64Array(16);
const wb = new Float64Array(16);
const wp = new Float64Array(32);
const wx = new Int32Array(65);

/** multiply returns a·b mod ℓ for a and b of 32 bytes (any values). */
export function multiply(a, b) {
  for (let i = 0; i < 16; i++) {
    wa[i] = a[2 * i] | (a[2 * i + 1] << 8);
    wb[i] = b[2 * i] | (b[2 * i + 1] << 8);
  }
  wp.fill(0);
  for (let i = 0; i < 16; i++) {
    const ai = wa[i];
    for (let j = 0; j < 16; j++) wp[i + j] += ai * wb[j];
  }
  let c = 0;
  for (let i = 0; i < 32; i++) {
    c += wp[i];
    const lo = c % 65536;
    c = (c - lo) / 65536;
    wx[2 * i] = lo & 255;
    wx[2 * i + 1] = lo >> 8;
  }
  wx[64] = 0;
  const r = new Uint8Array(32);
  modL(r, wx);
  wa.fill(0);
  wb.fill(0);
  wp.fill(0);
  wx.fill(0);
  return r;
}

/** clamp returns k clamped as RFC 7748 says (k is not modified). */
export function clamp(k) {
  const c = Uint8Array.from(k);
  c[0] &= 248;
  c[31] &= 127;
  c[31] |= 64;
  return c;
}


// Constants, public, so BigInt is fine for them: ℓ, 8^-1 mod ℓ and
// d = (-2^254)·8^-1 mod ℓ.
const ELL = 2n ** 252n + 27742317777372353535851937790883648493n;
const mod = (v) => ((v % ELL) + ELL) % ELL;
const pow = (b, e) => {
  let r = 1n;
  for (let x = mod(b), k = e; k > 0n; k >>= 1n, x = (x * x) % ELL) if (k & 1n) r = (r * x) % ELL;
  return r;
};
const leBytes = (v) => {
  const b = new Uint8Array(32);
  for (let i = 0; i < 32; i++, v >>= 8n) b[i] = Number(v & 255n);
  return b;
};
const INV8 = pow(8n, ELL - 2n);
const INV8_BYTES = leBytes(INV8);
const D = leBytes(mod(-(2n ** 254n) * INV8));
const ELL_BYTES = leBytes(ELL);

/** eighth returns k·8^-1 mod ℓ for k of 32 bytes (any value below 2^256). */
export function eighth(k) {
  return multiply(k, INV8_BYTES);
}

// addMod returns a + b mod ℓ, subMod a - b mod ℓ, for a and b below ℓ:
// one pass with carries, then ℓ taken off (or added) under a mask.
function addMod(a, b) {
  const s = new Uint8Array(32);
  let c = 0;
  for (let i = 0; i < 32; i++) {
    c += a[i] + b[i];
    s[i] = c & 0xff;
    c >>= 8;
  }
  return conditionalSubtract(s);
}

function subMod(a, b) {
  const s = new Uint8Array(32);
  let borrow = 0;
  for (let i = 0; i < 32; i++) {
    const v = a[i] - b[i] - borrow;
    s[i] = v & 0xff;
    borrow = (v >> 8) & 1;
  }
  const mask = -borrow & 0xff; // all ones when a < b: add ℓ
  let c = 0;
  for (let i = 0; i < 32; i++) {
    c += s[i] + (ELL_BYTES[i] & mask);
    s[i] = c & 0xff;
    c >>= 8;
  }
  return s;
}

// conditionalSubtract returns s - ℓ if s ≥ ℓ, else s, for s < 2ℓ.
function conditionalSubtract(s) {
  const t = new Uint8Array(32);
  let borrow = 0;
  for (let i = 0; i < 32; i++) {
    const v = s[i] - ELL_BYTES[i] - borrow;
    t[i] = v & 0xff;
    borrow = (v >> 8) & 1;
  }
  const keep = -borrow & 0xff; // all ones when s < ℓ
  for (let i = 0; i < 32; i++) t[i] ^= keep & (t[i] ^ s[i]);
  s.fill(0);
  return t;
}

/**
 * x25519Scalar returns {e, ok}: 32 bytes e with X25519(e, u(P)) = u([y]P)
 * for every point P of the prime-order subgroup, given u = y·8^-1 mod ℓ
 * (the key chain keeps y divided by 8, so that this costs no
 * multiplication). As in sphinx/scalar.go: e = 2^254 + 8z with
 * z = (±y - 2^254)/8 = d ± u mod ℓ, z < 2^251, so that X25519's clamping
 * leaves e alone. ok is false (probability about 2^-126) when neither sign
 * gives such a z: draw a new ephemeral key. It runs in time independent of
 * u.
 */
export function x25519Scalar(u) {
  const z1 = addMod(D, u);
  const z = subMod(D, u);
  // fits is 1 when z < 2^251: bits 251 to 255 clear.
  const fits1 = ((z1[31] >> 3) - 1) >>> 31; // 1 when z1[31] >> 3 is 0
  const fits2 = ((z[31] >> 3) - 1) >>> 31;
  const take = -fits1 & 0xff; // all ones when z1 fits
  for (let i = 0; i < 32; i++) z[i] ^= take & (z[i] ^ z1[i]);
  const e = new Uint8Array(32);
  let carry = 0;
  for (let i = 0; i < 32; i++) {
    e[i] = ((z[i] << 3) | carry) & 0xff;
    carry = z[i] >> 5;
  }
  e[31] |= 1 << 6;
  z1.fill(0);
  z.fill(0);
  return { e, ok: (fits1 | fits2) === 1 };
}
