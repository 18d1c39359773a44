// The sender's Sphinx key chain (docs/spec/sphinx.md, "Sender") in the
// page, with WebCrypto's X25519: the core (Go compiled to WebAssembly) has
// no 64×64→128-bit multiplication and spends 240 µs on an X25519 that
// Chromium's native code does in about 45, and it can only wait for
// WebCrypto's promises at 68 µs each (docs/perf.md). So the chain runs
// here and the core builds the header and payload from it in one call
// (newPacketFromChain, Go's sphinx.NewPacketFromSecrets).
//
// For hop i, with y_0 = clamp(r) and y_(i+1) = y_i·clamp(b_i) mod ℓ (kept
// divided by 8, which the product carries along):
// α_i = [y_i]G, s_i = [y_i]P_i, and the blinding key b_i is bytes 32 to 64
// of BLAKE2b-512("murmur/sphinx/v1 hop" ‖ 1 ‖ geometry hash ‖ α_i ‖ s_i).
import { blake2b } from '@noble/hashes/blake2.js';

import { clamp, eighth, multiply, x25519Scalar } from './scalar.js';

const X25519 = { name: 'X25519' };
const HOP_LABEL = new TextEncoder().encode('murmur/sphinx/v1 hop');
// A PKCS #8 X25519 private key is this prefix and the 32-byte scalar
// (RFC 8410): WebCrypto imports no raw private keys.
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);
// At most 2^-125 per hop to need another ephemeral key; reaching this
// bound means a broken random source.
const MAX_ATTEMPTS = 4;

const peers = new Map(); // hex public key → CryptoKey, the relays of recent routes
const PEERS_KEPT = 4096;

const hexOf = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function fromBase64url(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function peerKey(pub) {
  const h = hexOf(pub);
  let k = peers.get(h);
  if (!k) {
    k = await crypto.subtle.importKey('raw', pub, X25519, false, []);
    if (peers.size >= PEERS_KEPT) peers.clear();
    peers.set(h, k);
  }
  return k;
}

/**
 * Computes the key chain of a packet for relays whose X25519 public keys
 * are publicKeys (32 bytes each), in a geometry whose hash is
 * geometryHash.
 * @param {Uint8Array[]} publicKeys
 * @param {Uint8Array} geometryHash
 * @param {Uint8Array} [ephemeral] 32 bytes r (tests give the Go vectors');
 *   drawn with crypto.getRandomValues otherwise
 * @returns {Promise<Uint8Array>} α_i ‖ s_i for each hop, 64 bytes a hop
 */
export async function keyChain(publicKeys, geometryHash, ephemeral) {
  const peersOf = await Promise.all(publicKeys.map((p, i) => {
    if (!(p instanceof Uint8Array) || p.length !== 32) throw new Error(`murmur: hop ${i}: a public key must be 32 bytes`);
    return peerKey(p);
  }));
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const r = attempt === 0 && ephemeral ? ephemeral : crypto.getRandomValues(new Uint8Array(32));
    const chain = await tryChain(peersOf, geometryHash, r);
    if (chain) return chain;
  }
  throw new Error('murmur: no usable ephemeral key in four attempts: the random source is broken');
}

// tryChain returns the chain from ephemeral key r, or null when a scalar
// has no X25519 form (draw another r).
async function tryChain(peersOf, geometryHash, r) {
  const chain = new Uint8Array(64 * peersOf.length);
  const input = new Uint8Array(HOP_LABEL.length + 1 + 96);
  input.set(HOP_LABEL);
  input[HOP_LABEL.length] = 1;
  input.set(geometryHash, HOP_LABEL.length + 1);
  const pkcs8 = new Uint8Array(48);
  pkcs8.set(PKCS8_PREFIX);
  let y = eighth(clamp(r)); // y_0/8: see x25519Scalar
  try {
    for (let i = 0; i < peersOf.length; i++) {
      const { e, ok } = x25519Scalar(y);
      if (!ok) return null;
      pkcs8.set(e, 16);
      e.fill(0);
      const k = await crypto.subtle.importKey('pkcs8', pkcs8, X25519, true, ['deriveBits']);
      // The public key comes with the exported private key: cheaper than
      // a second agreement with the base point.
      let jwk;
      let secret;
      try {
        [jwk, secret] = await Promise.all([
          crypto.subtle.exportKey('jwk', k),
          crypto.subtle.deriveBits({ name: 'X25519', public: peersOf[i] }, k, 256),
        ]);
      } catch (err) {
        throw new Error(`murmur: hop ${i}: no shared secret with its public key (${err.message}): a low-order key?`);
      }
      const alpha = fromBase64url(jwk.x);
      const s = new Uint8Array(secret);
      chain.set(alpha, 64 * i);
      chain.set(s, 64 * i + 32);
      input.set(alpha, HOP_LABEL.length + 33);
      input.set(s, HOP_LABEL.length + 65);
      const out = blake2b(input);
      const next = multiply(y, clamp(out.subarray(32, 64)));
      y.fill(0);
      y = next;
      out.fill(0);
      s.fill(0);
    }
    return chain;
  } finally {
    y.fill(0);
    input.fill(0);
    pkcs8.fill(0);
  }
}
