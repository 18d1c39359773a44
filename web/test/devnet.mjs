// A client in JavaScript against a running devnet (web/devnet_test.go): it
// dials its provider over WebSockets with js-libp2p, registers, sends a
// message with a reply block through five hops (its provider, a mix per
// layer, the recipient's provider) to a Go client, and polls its mailbox
// until the Go client's answer comes back through the reply block.
//
//   node devnet.mjs murmur.wasm wasm_exec.js in.json out.json
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { WebSocket } from 'ws';
// Node.js 20 lacks what browsers (and Node.js 22) have and js-libp2p uses.
globalThis.WebSocket ??= WebSocket;
Promise.withResolvers ??= function withResolvers() {
  let resolve, reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
};
const { createClientNode, Provider } = await import('../src/provider.js');

const [, , wasmPath, wasmExec, inPath, outPath] = process.argv;
createRequire(import.meta.url)(wasmExec);
const { loadCore } = await import('../src/core.js');
const core = await loadCore(readFileSync(wasmPath));
const inp = JSON.parse(readFileSync(inPath, 'utf8'));
const hex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));
const node_ = (n) => ({ id: hex(n.id), key: hex(n.key) });

const out = {};
const t0 = performance.now();
const node = await createClientNode();
const provider = await Provider.dial(node, inp.provider);
await provider.register();
out.connectMs = performance.now() - t0;

const own = node_(inp.own);
const mixes = inp.mixes.map(node_);
const bob = { provider: node_(inp.to.provider), mailbox: hex(inp.to.mailbox), key: hex(inp.to.key) };
const mailbox = core.mailboxOf(node.peerId.toMultihash().bytes);
const relay = (n, next) => ({ id: n.id, key: n.key, relay: { next: next.id, delay: 5 } });

const back = [];
mixes.forEach((m, i) => back.push(relay(m, i + 1 < mixes.length ? mixes[i + 1] : own)));
back.push({ id: own.id, key: own.key, surbReply: { mailbox } });
const surb = core.newSURB(back, inp.epoch);

const route = [relay(own, mixes[0])];
mixes.forEach((m, i) => route.push(relay(m, i + 1 < mixes.length ? mixes[i + 1] : bob.provider)));
route.push({ id: bob.provider.id, key: bob.provider.key, deliver: { mailbox: bob.mailbox } });
for (const f of core.split(bob.key, new TextEncoder().encode(inp.message), surb.surb)) {
  await provider.send(core.frame(inp.epoch, core.newPacket(route, f)));
}
out.sentMs = performance.now() - t0;

// Our mailbox, until the answer arrives.
const deadline = Date.now() + 60_000;
while (out.reply === undefined) {
  if (Date.now() > deadline) throw new Error('no answer within a minute');
  for (const { id, entry } of await provider.fetch(16)) {
    const e = core.openEntry(core.keyPair().private, entry);
    if (e.kind === 'reply' && Buffer.from(e.id).equals(Buffer.from(surb.id))) {
      out.reply = new TextDecoder().decode(core.decryptReply(surb.keys, e.payload));
    }
    await provider.ack([id]);
  }
  if (out.reply === undefined) await new Promise((r) => setTimeout(r, 100));
}
out.replyMs = performance.now() - t0;

// A provider that is not there: a clear error, nothing sent.
try {
  await Provider.dial(node, inp.deadProvider, { signal: AbortSignal.timeout(3000) });
} catch (e) {
  out.deadError = e.message;
}
await provider.close();
await node.stop();
writeFileSync(outPath, JSON.stringify(out));
process.exit(0);
