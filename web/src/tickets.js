// Tickets in the page: the client's half of the blind BLS signatures of
// package payments/tickets, on @noble/curves' BLS12-381, with the Go
// side's encodings (held to contracts/testdata/tickets.json by
// test/tickets.test.mjs).
//
// A ticket is born as a request: a fresh serial, hashed to H in G1 under
// the key's domain (chain ID and key epoch), blinded with a random r as
// B = r·H. The issuer sees only B and answers S = sk·B; finishing checks
// e(S, G2) = e(B, pk) and unblinds σ = r⁻¹·S = sk·H, which with the serial
// is the ticket. Keep a request (its serial and r) until it is finished:
// it is the only way to turn a paid answer into a ticket.
//
// The Go runtime with gnark's curve would weigh 946 KB gzipped in the
// WebAssembly core; this weighs tens of kilobytes (docs/perf.md).

import { bls12_381 as bls } from '@noble/curves/bls12-381.js';

const G1 = bls.G1.Point;
const G2 = bls.G2.Point;
const Fr = bls.fields.Fr;
const Fp12 = bls.fields.Fp12;

/** Sizes on the wire, as in payments/tickets. */
export const SERIAL_SIZE = 32;
export const SCALAR_SIZE = 32;
export const G1_SIZE = 48;
export const G2_SIZE = 96;
export const TICKET_SIZE = 8 + SERIAL_SIZE + G1_SIZE;

/** dst is the hash-to-curve domain of a key: tickets.DST. */
export function dst(chainId, keyEpoch) {
  return `MURMUR-V1-TICKET-CHAIN-${BigInt(chainId)}-EPOCH-${BigInt(keyEpoch)}_BLS12381G1_XMD:SHA-256_SSWU_RO_`;
}

/** hashSerial maps a serial to G1 under a key's domain: tickets.HashSerial. */
export function hashSerial(chainId, keyEpoch, serial) {
  checkBytes('serial', serial, SERIAL_SIZE);
  return bls.G1.hashToCurve(serial, { DST: dst(chainId, keyEpoch) });
}

/**
 * decodeG1 reads a compressed G1 point (48 bytes, ZCash encoding) and
 * checks that it is in the group and not the identity, as the Go side
 * does; it throws otherwise.
 */
export function decodeG1(b, what = 'G1 point') {
  checkBytes(what, b, G1_SIZE);
  let p;
  try {
    p = G1.fromBytes(b);
    p.assertValidity();
  } catch (e) {
    throw new Error(`tickets: ${what} is not a point of G1: ${e.message}`);
  }
  if (p.is0()) throw new Error(`tickets: ${what} is the identity`);
  return p;
}

/** decodeG2 reads a compressed G2 point (96 bytes), checked likewise. */
export function decodeG2(b, what = 'G2 point') {
  checkBytes(what, b, G2_SIZE);
  let p;
  try {
    p = G2.fromBytes(b);
    p.assertValidity();
  } catch (e) {
    throw new Error(`tickets: ${what} is not a point of G2: ${e.message}`);
  }
  if (p.is0()) throw new Error(`tickets: ${what} is the identity`);
  return p;
}

/** g2FromEIP2537 reads a G2 point as EIP-2537 (and the TicketIssuer contract) encode it: 256 bytes. */
export function g2FromEIP2537(b) {
  checkBytes('EIP-2537 G2 point', b, 256);
  const fp = (i) => bytesToBig(b.subarray(64 * i + 16, 64 * (i + 1)));
  const Fp2 = bls.fields.Fp2;
  try {
    const p = G2.fromAffine({ x: Fp2.fromBigTuple([fp(0), fp(1)]), y: Fp2.fromBigTuple([fp(2), fp(3)]) });
    p.assertValidity();
    return p;
  } catch (e) {
    throw new Error(`tickets: not a point of G2: ${e.message}`);
  }
}

/** encodeG1 is a point's compressed encoding. */
export function encodeG1(p) {
  return p.toBytes(true);
}

/**
 * A request for one ticket of an issuer key ({chainId, epoch, publicKey:
 * 96-byte compressed G2}). newRequest draws its serial and blinding factor
 * from crypto.getRandomValues; restoreRequest rebuilds one from saved
 * values.
 */
export class TicketRequest {
  constructor(key, serial, r) {
    this.key = key;
    this.pk = decodeG2(key.publicKey, 'issuer public key');
    this.serial = Uint8Array.from(serial);
    this.r = r;
    this.h = hashSerial(key.chainId, key.epoch, this.serial);
    this.blindedPoint = this.h.multiply(r);
  }

  /** The blinded ticket to send the issuer, 48 bytes. */
  blinded() {
    return encodeG1(this.blindedPoint);
  }

  /** r, 32 bytes big-endian: store it as privately as the ticket. */
  blindingFactor() {
    return bigToBytes(this.r, SCALAR_SIZE);
  }

  /**
   * finish checks the issuer's answer S (48 bytes) against the key and
   * returns the ticket's 88 wire bytes: key epoch (8) ‖ serial (32) ‖ σ (48).
   * A wrong answer throws and leaves the request as it was.
   */
  finish(answer) {
    const s = decodeG1(answer, "issuer's blind signature");
    // e(S, G2) = e(B, pk): S = sk·B for the key's sk.
    const lhs = bls.pairing(s, G2.BASE);
    const rhs = bls.pairing(this.blindedPoint, this.pk);
    if (!Fp12.eql(lhs, rhs)) {
      throw new Error("tickets: the issuer's blind signature does not verify under its key");
    }
    const sigma = s.multiply(Fr.inv(this.r));
    return encodeTicket(this.key.epoch, this.serial, encodeG1(sigma));
  }
}

export function newRequest(key) {
  const serial = crypto.getRandomValues(new Uint8Array(SERIAL_SIZE));
  return new TicketRequest(key, serial, randomScalar());
}

export function restoreRequest(key, serial, blindingFactor) {
  checkBytes('blinding factor', blindingFactor, SCALAR_SIZE);
  const r = bytesToBig(blindingFactor);
  if (r === 0n || r >= Fr.ORDER) throw new Error('tickets: malformed blinding factor');
  return new TicketRequest(key, serial, r);
}

/** encodeTicket is a ticket's wire form (88 bytes). */
export function encodeTicket(keyEpoch, serial, signature) {
  checkBytes('serial', serial, SERIAL_SIZE);
  checkBytes('signature', signature, G1_SIZE);
  const out = new Uint8Array(TICKET_SIZE);
  new DataView(out.buffer).setBigUint64(0, BigInt(keyEpoch));
  out.set(serial, 8);
  out.set(signature, 8 + SERIAL_SIZE);
  return out;
}

/** decodeTicket splits a ticket's wire form; the signature is checked as a point. */
export function decodeTicket(b) {
  checkBytes('ticket', b, TICKET_SIZE);
  const epoch = new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(0);
  const serial = b.slice(8, 8 + SERIAL_SIZE);
  const signature = b.slice(8 + SERIAL_SIZE);
  decodeG1(signature, 'ticket signature');
  return { epoch, serial, signature };
}

/** verifyTicket checks σ = sk·H(serial): e(σ, G2) = e(H, pk). */
export function verifyTicket(key, ticket) {
  const t = decodeTicket(ticket);
  if (t.epoch !== BigInt(key.epoch)) return false;
  const sigma = decodeG1(t.signature, 'ticket signature');
  const h = hashSerial(key.chainId, key.epoch, t.serial);
  return Fp12.eql(bls.pairing(sigma, G2.BASE), bls.pairing(h, decodeG2(key.publicKey, 'issuer public key')));
}

function randomScalar() {
  // 48 bytes reduced mod r: a bias below 2⁻¹²⁸, as hash_to_field does.
  for (;;) {
    const x = bytesToBig(crypto.getRandomValues(new Uint8Array(48))) % Fr.ORDER;
    if (x !== 0n) return x;
  }
}

function checkBytes(what, b, n) {
  if (!(b instanceof Uint8Array)) throw new Error(`tickets: ${what} must be a Uint8Array`);
  if (b.length !== n) throw new Error(`tickets: ${what} of ${b.length} bytes, want ${n}`);
}

export function bytesToBig(b) {
  let x = 0n;
  for (const v of b) x = (x << 8n) | BigInt(v);
  return x;
}

export function bigToBytes(x, n) {
  const out = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  if (x !== 0n) throw new Error(`tickets: ${n}-byte integer overflows`);
  return out;
}
