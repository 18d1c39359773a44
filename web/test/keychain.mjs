// The page's key chain and scalar arithmetic (src/keychain.js,
// src/scalar.js) under Node.js, for web/keychain_test.go: it computes the
// key chains of the Go vectors from their ephemeral keys, and products,
// eighths and X25519 forms of the scalars it is given, for Go to check.
//
//   node keychain.mjs in.json out.json
import { readFileSync, writeFileSync } from 'node:fs';

import { keyChain } from '../src/keychain.js';
import { encodeRoute } from '../src/packet.js';
import { eighth, multiply, x25519Scalar } from '../src/scalar.js';

const [, , inPath, outPath] = process.argv;
const inp = JSON.parse(readFileSync(inPath, 'utf8'));
const hex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b) => Buffer.from(b).toString('hex');

const out = { chains: [], products: [], wide: [], eighths: [], x25519: [], errors: [] };
for (const v of inp.vectors) {
  out.chains.push(toHex(await keyChain(v.keys.map(hex), hex(v.geometryHash), hex(v.r))));
}
for (const s of inp.scalars) {
  out.products.push(toHex(multiply(hex(s.a), hex(s.b))));
  out.wide.push(toHex(multiply(hex(s.c), hex(s.b))));
  out.eighths.push(toHex(eighth(hex(s.b))));
  const { e, ok } = x25519Scalar(hex(s.a));
  out.x25519.push({ e: toHex(e), ok });
}
for (const keys of inp.badRoutes) {
  try {
    await keyChain(keys.map(hex), new Uint8Array(32));
    out.errors.push('');
  } catch (e) {
    out.errors.push(e.message);
  }
}
// Routes the client's builder must refuse before any work.
const id = new Uint8Array(32);
out.routeErrors = [
  [],
  [{ id, key: id }],
  [{ id: id.subarray(1), key: id, drop: true }],
  [{ id, key: id, relay: { next: id, delay: -1 } }],
  [{ id, key: id, surbReply: { mailbox: id } }],
].map((route) => {
  try {
    encodeRoute(route, 113);
    return '';
  } catch (e) {
    return e.message;
  }
});
out.encoded = toHex(encodeRoute([{ id, key: id, relay: { next: id, delay: 258 } }, { id, key: id, deliver: { mailbox: id } }], 113));
writeFileSync(outPath, JSON.stringify(out));
