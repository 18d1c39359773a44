// Conversations between the page's core and Go (web/conversations_test.go):
// run by the Go test with node. "start": make a store, sign its card with
// a local key, check the Go user's card, start a conversation and write
// three messages; "resume": open the store again from its records, read
// the Go user's answers (a tampered one refused), and answer once more.
//
//   node conversations.mjs murmur.wasm wasm_exec.js start|resume in.json out.json
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [, , wasmPath, wasmExec, mode, inPath, outPath] = process.argv;
createRequire(import.meta.url)(wasmExec); // defines globalThis.Go
const { loadCore } = await import('../src/core.js');
const { Conversations, memoryRecords } = await import('../src/conversations.js');
const core = await loadCore(readFileSync(wasmPath));
const inp = JSON.parse(readFileSync(inPath, 'utf8'));
const hex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b) => Buffer.from(b).toString('hex');
const text = (b) => new TextDecoder().decode(b);
const refusal = async (f) => {
  try {
    await f();
    return '';
  } catch (e) {
    return e.message;
  }
};

const out = {};
const records = memoryRecords((inp.records ?? []).map(([k, v]) => [k, hex(v)]));
const conv = await Conversations.open(core, records);
if (mode === 'start') {
  const now = Math.floor(Date.now() / 1000);
  const unsigned = await conv.card({
    chainId: inp.chainId, account: inp.account, provider: hex(inp.provider), mailbox: hex(inp.mailbox), sealKey: hex(inp.sealKey),
    issued: now - 60, expires: now + 3600,
  });
  out.typedData = unsigned.typedData;
  out.digest = unsigned.digest;
  const sig = core.signCardLocal(unsigned.card, inp.accountKey);
  out.card = toHex(core.signCard(unsigned.card, sig));
  out.badSignature = await refusal(() => core.signCard(unsigned.card, sig.slice(0, -2) + (sig.endsWith('1b') ? '1c' : '1b')));
  out.otherChain = await refusal(() => conv.start(hex(inp.peerCard), '1'));
  const seen = core.verifyCard(hex(inp.peerCard), String(inp.chainId));
  out.peerAccount = seen.account;
  const id = await conv.start(hex(inp.peerCard), inp.chainId);
  out.id = toHex(id);
  out.messages = [];
  for (const m of inp.send) out.messages.push(toHex(await conv.seal(id, m)));
} else if (mode === 'resume') {
  out.tampered = await refusal(async () => {
    const m = hex(inp.replies[0]);
    m[m.length - 1] ^= 1;
    await conv.open(m);
  });
  out.received = [];
  for (const r of inp.replies) {
    const o = await conv.open(hex(r));
    out.received.push({ id: toHex(o.id), peer: toHex(o.peer), text: text(o.plaintext) });
  }
  out.replayed = await refusal(() => conv.open(hex(inp.replies[0])));
  out.messages = [toHex(await conv.seal(hex(inp.id), inp.send[0]))];
} else {
  throw new Error(`unknown mode ${mode}`);
}
conv.close();
out.records = records.entries().map(([k, v]) => [k, toHex(v)]);
writeFileSync(outPath, JSON.stringify(out));
process.exit(0); // the core runs forever
