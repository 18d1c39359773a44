// A client in JavaScript against a running devnet (web/devnet_test.go): a
// Session (js-libp2p over WebSockets) sends a message with a reply block
// through five hops (its provider, a mix per layer, the recipient's
// provider) to a Go client, and polls its mailbox until the Go client's
// answer comes back through the reply block.
//
//   node devnet.mjs murmur.wasm wasm_exec.js in.json out.json
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import './node-globals.mjs';
const { Provider } = await import('../src/provider.js');
const { Session } = await import('../src/session.js');

const [, , wasmPath, wasmExec, inPath, outPath] = process.argv;
createRequire(import.meta.url)(wasmExec);
const { loadCore } = await import('../src/core.js');
const core = await loadCore(readFileSync(wasmPath));
const inp = JSON.parse(readFileSync(inPath, 'utf8'));

const out = {};
const t0 = performance.now();
const session = await Session.open(core, inp.provider);
out.connectMs = performance.now() - t0;
// The route this test hands us: own provider, a mix per layer, the recipient's.
const surbId = await session.sendWithReply({ own: inp.own, mixes: inp.mixes, to: inp.to, epoch: inp.epoch, message: inp.message });
out.sentMs = performance.now() - t0;

// Our mailbox, until the answer arrives.
const deadline = Date.now() + 60_000;
while (out.reply === undefined) {
  if (Date.now() > deadline) throw new Error('no answer within a minute');
  for (const r of await session.receive()) {
    if (r.kind === 'reply' && r.surbId === surbId) out.reply = new TextDecoder().decode(r.body);
  }
  if (out.reply === undefined) await new Promise((r) => setTimeout(r, 100));
}
out.replyMs = performance.now() - t0;

// A provider that is not there: a clear error, nothing sent.
try {
  await Provider.dial(session.node, inp.deadProvider, { signal: AbortSignal.timeout(3000) });
} catch (e) {
  out.deadError = e.message;
}
await session.close();
writeFileSync(outPath, JSON.stringify(out));
process.exit(0);
