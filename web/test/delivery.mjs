// Exactly-once delivery between the page's core and Go's
// messaging/delivery (web/delivery_test.go), run by the Go test with node;
// the page's records go back and forth with the test between runs.
// "send": make the stores and the card, start a conversation from Bob's
// card and queue three messages; "answer": take what Bob's answers
// acknowledge and carry, and give what is due again once its time comes.
//
//   node delivery.mjs murmur.wasm wasm_exec.js send|answer in.json out.json
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [, , wasmPath, wasmExec, mode, inPath, outPath] = process.argv;
createRequire(import.meta.url)(wasmExec); // defines globalThis.Go
const { loadCore } = await import('../src/core.js');
const { Conversations, Delivery, memoryRecords } = await import('../src/conversations.js');
const core = await loadCore(readFileSync(wasmPath));
const inp = JSON.parse(readFileSync(inPath, 'utf8'));
const hex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b) => Buffer.from(b).toString('hex');
const text = (b) => new TextDecoder().decode(b);
const records = (r) => memoryRecords((r ?? []).map(([k, v]) => [k, hex(v)]));

const convRecords = records(inp.conversations);
const delRecords = records(inp.delivery);
const conv = await Conversations.open(core, convRecords);
const out = {};
let card = inp.card ? hex(inp.card) : null;
if (!card) {
  const now = Math.floor(Date.now() / 1000);
  const unsigned = await conv.card({
    chainId: inp.chainId, account: inp.account, provider: hex(inp.provider), mailbox: hex(inp.mailbox), sealKey: hex(inp.sealKey),
    issued: now - 60, expires: now + 3600,
  });
  card = core.signCard(unsigned.card, core.signCardLocal(unsigned.card, inp.accountKey));
}
out.card = toHex(card);
const d = await Delivery.open(core, delRecords, conv, card, inp.chainId);
const sent = (list) => list.map((o) => ({ ciphertext: toHex(o.ciphertext), mailbox: toHex(o.mailbox) }));
if (mode === 'send') {
  out.unknownPeer = await d.queue(inp.peer, 'no conversation').then(() => '', (e) => e.message);
  await d.start(hex(inp.peerCard));
  out.seqs = [];
  for (const m of inp.send) out.seqs.push(await d.queue(inp.peer, m));
  out.sent = sent(await d.due());
} else if (mode === 'answer') {
  out.handled = [];
  for (const b of inp.arrived) {
    const h = await d.receive(hex(b));
    out.handled.push({ conversation: h.conversation, released: h.released, ack: h.ack !== null });
  }
  out.notConversation = (await d.receive(new TextEncoder().encode('plain'))).conversation;
  out.taken = [];
  for (let m = await d.take(); m; m = await d.take()) out.taken.push({ from: m.from, text: text(m.body) });
  out.status = await Promise.all(inp.seqs.map((s) => d.status(inp.peer, s)));
  // What was not acknowledged goes out again at its timeout.
  const at = await d.nextDue();
  if (at !== null) await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now()) + 10));
  out.resent = sent(await d.due());
  out.stats = await d.stats();
}
d.close();
conv.close();
out.conversations = convRecords.entries().map(([k, v]) => [k, toHex(v)]);
out.delivery = delRecords.entries().map(([k, v]) => [k, toHex(v)]);
writeFileSync(outPath, JSON.stringify(out));
process.exit(0); // the core runs forever
