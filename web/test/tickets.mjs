// Holds src/tickets.js to the Go side's ticket vectors
// (contracts/testdata/tickets.json, written by
// payments/tickets/internal/vectorgen): usage `node test/tickets.mjs <vectors.json>`.
// Prints one line per check and exits non-zero on the first failure.

import { readFileSync } from 'node:fs';
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';
import * as tk from '../src/tickets.js';

const f = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const hex = (s) => Uint8Array.from(Buffer.from(s.replace(/^0x/, ''), 'hex'));
const toHex = (b) => '0x' + Buffer.from(b).toString('hex');
let checks = 0;
function check(cond, what) {
  if (!cond) {
    console.error('FAIL', what);
    process.exit(1);
  }
  checks++;
}
function throws(f, what) {
  try {
    f();
  } catch {
    checks++;
    return;
  }
  console.error('FAIL (no error)', what);
  process.exit(1);
}

// EIP-2537 encodes a G1 point as x ‖ y, each 16 zero bytes ‖ 48 bytes.
function eip2537G1(b) {
  const x = tk.bytesToBig(b.slice(16, 64));
  const y = tk.bytesToBig(b.slice(80, 128));
  return bls.G1.Point.fromAffine({ x, y });
}

check(tk.dst(f.chainId, f.keyEpoch) === f.dst, 'the DST');
for (const v of f.hashToCurve) {
  const p = bls.G1.hashToCurve(hex(v.msg), { DST: v.dst });
  check(p.equals(eip2537G1(hex(v.point))), `hash to curve of ${v.msg} under ${v.dst}`);
}

const key = { chainId: f.chainId, epoch: f.keyEpoch, publicKey: hex(f.publicKeyCompressed) };
const sk = tk.bytesToBig(hex(f.secretKey));
check(tk.decodeG2(key.publicKey).equals(bls.G2.Point.BASE.multiply(sk)), 'the public key is sk·G2');
check(tk.g2FromEIP2537(hex(f.publicKey)).equals(tk.decodeG2(key.publicKey)), 'the public key as EIP-2537 (the contract) encodes it');
const offCurve = hex(f.publicKey);
offCurve[255] ^= 1;
throws(() => tk.g2FromEIP2537(offCurve), 'an EIP-2537 G2 point off the curve');

for (const [i, v] of f.tickets.entries()) {
  const q = tk.restoreRequest(key, hex(v.serial), hex(v.blindingFactor));
  check(q.h.equals(eip2537G1(hex(v.hashPoint))), `ticket ${i}: H(serial)`);
  check(q.blindedPoint.equals(eip2537G1(hex(v.blinded))), `ticket ${i}: the blinded ticket`);
  check(toHex(q.blindingFactor()) === v.blindingFactor, `ticket ${i}: the blinding factor back`);
  const answer = tk.encodeG1(eip2537G1(hex(v.blindSignature)));
  const ticket = q.finish(answer);
  check(toHex(ticket) === v.wire, `ticket ${i}: finished into the Go wire form`);
  check(toHex(tk.decodeTicket(ticket).signature) === v.signatureCompressed, `ticket ${i}: its signature`);
  check(tk.verifyTicket(key, ticket), `ticket ${i}: verifies`);

  // An answer signed with another key, or not a point, is refused.
  const wrong = tk.encodeG1(q.blindedPoint.multiply(sk + 1n));
  throws(() => q.finish(wrong), `ticket ${i}: an answer under another key`);
  const junk = answer.slice();
  junk[47] ^= 1;
  throws(() => q.finish(junk), `ticket ${i}: a corrupted answer`);
  throws(() => q.finish(answer.slice(0, 47)), `ticket ${i}: a short answer`);
  // A ticket with another serial does not verify.
  const forged = ticket.slice();
  forged[8] ^= 1;
  check(!tk.verifyTicket(key, forged), `ticket ${i}: another serial does not verify`);
}

// A fresh request finishes with the issuer's answer, made here with sk.
const q = tk.newRequest(key);
const ticket = q.finish(tk.encodeG1(tk.decodeG1(q.blinded()).multiply(sk)));
check(tk.verifyTicket(key, ticket), 'a fresh ticket verifies');
const again = tk.restoreRequest(key, q.serial, q.blindingFactor());
check(toHex(again.blinded()) === toHex(q.blinded()), 'a restored request blinds the same');
throws(() => tk.restoreRequest(key, q.serial, new Uint8Array(32)), 'a zero blinding factor');
throws(() => tk.decodeG1(new Uint8Array(48)), 'a G1 point of zeros');
console.log(`ok: ${checks} checks against ${f.tickets.length} ticket vectors`);
