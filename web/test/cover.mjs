// Cover traffic from a JavaScript client against a running devnet
// (web/cover_test.go): the Session reads the network from the chain,
// starts Loopix cover at the rates its provider announces, sends one
// message to a Go client in a payload slot, and polls its mailbox for the
// answer and for its loops, for a few seconds. It reports the rates and
// what it put on its link.
//
//   node cover.mjs murmur.wasm wasm_exec.js in.json out.json
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import './node-globals.mjs';
const { Session } = await import('../src/session.js');

const [, , wasmPath, wasmExec, inPath, outPath] = process.argv;
createRequire(import.meta.url)(wasmExec);
const { loadCore } = await import('../src/core.js');
const core = await loadCore(readFileSync(wasmPath));
const inp = JSON.parse(readFileSync(inPath, 'utf8'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const out = {};
const net = await core.openNetwork(inp.rpc, JSON.stringify(inp.network), inp.layers);
const session = await Session.open(core, inp.provider);
const t0 = Date.now();
await session.startCover(net);
out.rates = session.cover.rates;

// Already-queued real packets wait for a payload slot; a full queue says so.
await sleep(1000);
const sent = session.sendTo(net, inp.to, inp.message);
const poll = async () => {
  for (const r of await session.receive()) {
    if (r.kind === 'reply') out.reply = new TextDecoder().decode(r.body);
  }
};
await sent;
out.sentAfterMs = Date.now() - t0;
while (Date.now() - t0 < inp.seconds * 1000) {
  await poll();
  await sleep(200);
}
out.seconds = (Date.now() - t0) / 1000;
out.traffic = session.traffic();
// The last loops are still on their way: a few more polls, counting only
// those sent before the snapshot.
const sentLoops = out.traffic.loops;
session.stopCover(); // no more events; the loops that come back still count
const end = Date.now() + 3000;
while (Date.now() < end && session.traffic().loopsReturned < sentLoops) {
  await poll();
  await sleep(200);
}
out.loopsReturned = session.traffic().loopsReturned;
await session.close();
writeFileSync(outPath, JSON.stringify(out));
process.exit(0);
