// Interop with the Go side (web/interop_test.go): run by the Go test with
// node, it loads murmur.wasm and, in "send" mode, makes what a browser
// client sends (a message with a reply block, in Sphinx packets through
// five hops), opens a message the Go side sealed for it, and signs and
// checks Vault cheques; in "reply" mode it opens the answer that came back
// through its reply block.
//
//   node interop.mjs murmur.wasm wasm_exec.js send|reply in.json out.json
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [, , wasmPath, wasmExec, mode, inPath, outPath] = process.argv;
createRequire(import.meta.url)(wasmExec); // defines globalThis.Go
const { loadCore } = await import('../src/core.js');
const { newPacket } = await import('../src/packet.js');
const core = await loadCore(readFileSync(wasmPath));
const inp = JSON.parse(readFileSync(inPath, 'utf8'));
const hex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b) => Buffer.from(b).toString('hex');
const utf8 = (s) => new TextEncoder().encode(s);
const text = (b) => new TextDecoder().decode(b);

const out = {};
if (mode === 'send') {
  const [p0, m1, m2, m3, p1] = inp.relays.map((r) => ({ id: hex(r.id), key: hex(r.key) }));
  const hop = (r, next) => ({ id: r.id, key: r.key, relay: { next: next.id, delay: 0 } });
  // A reply block back to our mailbox at our provider, as the Go client builds one.
  const surb = core.newSURB([hop(m1, m2), hop(m2, m3), hop(m3, p0), { id: p0.id, key: p0.key, surbReply: { mailbox: hex(inp.jsMailbox) } }], inp.epoch);
  const frags = core.split(hex(inp.goKey), utf8(inp.message), surb.surb);
  const route = [hop(p0, m1), hop(m1, m2), hop(m2, m3), hop(m3, p1), { id: p1.id, key: p1.key, deliver: { mailbox: hex(inp.goMailbox) } }];
  // Built as the client builds them: the key chain in JavaScript with
  // WebCrypto, the rest in the core.
  out.frames = [];
  for (const f of frags) out.frames.push(toHex(core.frame(inp.epoch, await newPacket(core, route, f))));
  out.keys = toHex(surb.keys);
  out.surbId = toHex(surb.id);

  // What the Go side sealed for us.
  const r = core.newReassembler();
  let m = null;
  for (const e of inp.goEntries) {
    const opened = core.openEntry(hex(inp.jsPrivate), hex(e));
    if (opened.kind !== 'fragment') throw new Error(`entry of kind ${opened.kind}`);
    m = core.reassemble(r, opened.fragment) ?? m;
  }
  out.goMessage = m ? text(m.body) : null;
  // A fragment for someone else is refused with a reason.
  try {
    core.openEntry(core.keyPair().private, hex(inp.goEntries[0]));
    out.strangerOpened = true;
  } catch (e) {
    out.strangerError = e.message;
  }

  const c = inp.cheque;
  out.chequeSignature = core.signCheque(c.chainId, c.vault, c.payer, c.payee, c.amount, c.key);
  out.chequeDigest = core.chequeDigest(c.chainId, c.vault, c.payer, c.payee, c.amount);
  const g = inp.goCheque;
  out.goChequeSigner = core.chequeSigner(g.chainId, g.vault, g.payer, g.payee, g.amount, g.signature);
  try {
    core.chequeSigner(g.chainId, g.vault, g.payer, g.payee, '1', g.signature);
    out.forgedChequeAccepted = true;
  } catch (e) {
    out.forgedChequeError = e.message;
  }

  // Packet creation speed: the same five-hop route, fresh keys each time.
  const payload = new Uint8Array(core.payloadSize);
  const n = 200;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await newPacket(core, route, payload);
  out.newPacketMicros = ((performance.now() - t0) * 1000) / n;
} else if (mode === 'reply') {
  out.body = text(core.decryptReply(hex(inp.keys), hex(inp.payload)));
} else {
  throw new Error(`unknown mode ${mode}`);
}
writeFileSync(outPath, JSON.stringify(out));
process.exit(0); // the core runs forever; we are done with it
