// Buying and spending tickets from JavaScript against a running devnet
// (web/devnet_test.go, TestJSBuysAndSpendsTickets): asks the issuer for
// its keys over /murmur/tickets/2, buys tickets with a cheque signed by a
// local key (the core's signCheque), finishes a purchase again as a
// client that lost the answer would, is refused an underpaying and a
// forged cheque with clear errors, and spends tickets at its provider.
//
//   node buy.mjs murmur.wasm wasm_exec.js in.json out.json
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import './node-globals.mjs';
const { createClientNode, Provider, SpendCode } = await import('../src/provider.js');
const { issuerKeys, buyTickets, resumePurchase } = await import('../src/market.js');
const { verifyTicket } = await import('../src/tickets.js');

const [, , wasmPath, wasmExec, inPath, outPath] = process.argv;
createRequire(import.meta.url)(wasmExec);
const { loadCore } = await import('../src/core.js');
const core = await loadCore(readFileSync(wasmPath));
const inp = JSON.parse(readFileSync(inPath, 'utf8'));
const hex = (b) => '0x' + Buffer.from(b).toString('hex');

const out = { errors: {} };
const node = await createClientNode();
out.peerId = node.peerId.toString();

const cat = await issuerKeys(node, inp.issuer);
if (cat.issuer.toLowerCase() !== inp.payee.toLowerCase()) throw new Error(`the issuer answers as ${cat.issuer}, the registry says ${inp.payee}`);
const key = cat.keys[cat.keys.length - 1];
if (key.chainId !== BigInt(inp.chainId)) throw new Error(`the issuer's key is for chain ${key.chainId}`);
out.keyEpoch = Number(key.epoch);
out.packets = Number(key.packets);

// The cheque book: cumulative cheques to the issuer, signed locally.
let paid = 0n;
const cheque = (amount) => ({
  payer: inp.payer, payee: inp.payee, cumulative: amount,
  signature: core.signCheque(String(inp.chainId), inp.vault, inp.payer, inp.payee, amount.toString(), inp.payerKey),
});
const pay = async (total) => {
  paid += total;
  const c = cheque(paid);
  if (core.chequeSigner(String(inp.chainId), inp.vault, inp.payer, inp.payee, paid.toString(), c.signature).toLowerCase() !== inp.payer.toLowerCase()) {
    throw new Error('the cheque is not signed by the payer');
  }
  return c;
};
const pending = new Map();
let nextId = 1;
const journal = {
  begin: async (p) => { const id = nextId++; pending.set(id, p); return id; },
  finish: async (id) => { pending.delete(id); },
};

const tickets = await buyTickets(node, inp.issuer, key, 3, pay, journal);
out.tickets = tickets.map(hex);
out.verified = tickets.every((t) => verifyTicket(key, t));

// A client that lost the answer sends the same order again and gets the same tickets.
const again = await buyTickets(node, inp.issuer, key, 1, pay, { begin: journal.begin, finish: async () => {} });
const lost = [...pending.entries()].at(-1);
const resumed = await resumePurchase(node, lost[1], journal, lost[0]);
out.resumedSame = hex(resumed[0]) === hex(again[0]);
out.pendingLeft = pending.size;

// Cheques the issuer must refuse: one wei short, and a forged signature.
const tryOrder = async (name, payFn) => {
  try {
    await buyTickets(node, inp.issuer, key, 1, payFn, journal);
    out.errors[name] = 'no error';
  } catch (e) {
    out.errors[name] = e.message;
  }
};
await tryOrder('underpaid', async (total) => cheque(paid + total - 1n));
await tryOrder('forged', async (total) => ({ ...cheque(paid + total), signature: new Uint8Array(65).fill(7) }));
out.paid = paid.toString();

// Spend two at the provider; spending them again is refused as spent.
const prov = await Provider.dial(node, inp.provider);
await prov.register();
const spent = await prov.spend(key.publicKey, tickets.slice(0, 2));
out.credited = Number(spent.credited);
out.balance = Number(spent.balance);
const twice = await prov.spend(key.publicKey, tickets.slice(0, 2));
out.twiceRefused = twice.refused.filter((r) => r.code === SpendCode.AlreadySpent).length;
out.twiceCredited = Number(twice.credited);
await prov.close();
await node.stop();
writeFileSync(outPath, JSON.stringify(out));
process.exit(0);
