// The wallet in a real browser (web/wallet_test.go, headless Chromium):
// bundled with esbuild and loaded as a page whose config.json says which
// step to run; each step leaves its outcome in window.murmurResult.
//
//   fill    a purchase begun and finished, one begun only, two cheques in
//           the book, two tickets spent (one handed back)
//   check   after a reload: what fill left is all there
//   corrupt after a record was overwritten: the error names it
//   signer  the EIP-1193 signer: no provider, a rejection, another
//           account, and a wallet that signs as asked
//   full    a wallet in a storage bucket with a small quota: purchases
//           are recorded until the store is full, which is an error that
//           says so, and what was kept is all still there
import { loadCore } from '../src/core.js';
import { TicketWallet, eip1193Signer, localSigner } from '../src/wallet.js';
import { restoreRequest, encodeG1, decodeG1 } from '../src/tickets.js';

const config = await (await fetch('config.json', { cache: 'no-store' })).json();
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s) => Uint8Array.from(s.replace(/^0x/, '').match(/../g), (x) => parseInt(x, 16));

// A key and tickets from the Go vectors (contracts/testdata/tickets.json).
const v = config.vectors;
const key = { chainId: BigInt(v.chainId), epoch: BigInt(v.keyEpoch), publicKey: unhex(v.publicKeyCompressed), packets: 1000n, price: 5n, fee: 1n };
const sk = BigInt(v.secretKey);
const purchase = (i) => {
  const t = v.tickets[i];
  return { issuer: '/dns4/issuer.example/tcp/1/ws/p2p/x', key, requests: [{ serial: unhex(t.serial), blindingFactor: unhex(t.blindingFactor) }],
    cheque: { payer: config.payer, payee: config.payee, cumulative: 6n * BigInt(i + 1), signature: new Uint8Array(65).fill(i + 1) } };
};
const ticketOf = (i) => {
  const t = v.tickets[i];
  const q = restoreRequest(key, unhex(t.serial), unhex(t.blindingFactor));
  return q.finish(encodeG1(decodeG1(q.blinded()).multiply(sk)));
};
const dom = { chainId: v.chainId, vault: config.vault };

async function step() {
  const core = await loadCore('murmur.wasm');
  switch (config.step) {
    case 'fill': {
      const w = await TicketWallet.open(config.store);
      const a = await w.begin(purchase(0));
      await w.finish(a, [ticketOf(0), ticketOf(1), ticketOf(2)]);
      await w.begin(purchase(3));
      const sign = localSigner(core, dom, config.payerKey);
      await w.nextCheque({ vault: config.vault, payer: config.payer, payee: config.payee, total: 6n }, sign);
      const c = await w.nextCheque({ vault: config.vault, payer: config.payer, payee: config.payee, total: 12n }, sign);
      const signer = core.chequeSigner(String(v.chainId), config.vault, c.payer, c.payee, c.cumulative.toString(), '0x' + hex(c.signature));
      // Spend two; the spender hands one back (refused for now).
      let handed;
      const spent = await w.spend(2, async (k, ts) => { handed = ts; return [ts[1]]; });
      // A spender that fails keeps them all.
      let threw = '';
      try { await w.spend(5, async () => { throw new Error('provider unreachable'); }); } catch (e) { threw = e.message; }
      w.close();
      return { cumulative: c.cumulative.toString(), signer, spent, handed: handed.length, threw };
    }
    case 'check': {
      const w = await TicketWallet.open(config.store);
      const p = await w.pending();
      const bal = await w.balance();
      const paid = await w.paid(config.vault, config.payer, config.payee);
      const all = await w.all();
      w.close();
      return {
        pending: p.length, pendingSerial: hex(p[0].purchase.requests[0].serial), pendingCumulative: p[0].purchase.cheque.cumulative.toString(),
        balance: bal.map((b) => `${b.epoch}:${b.tickets}`).join(','), paid: paid.toString(), tickets: all.map((h) => hex(h.ticket)),
      };
    }
    case 'corrupt': {
      const w = await TicketWallet.open(config.store);
      const tx = w.db.transaction('tickets', 'readwrite');
      tx.objectStore('tickets').put({ ticket: new Uint8Array(88), key: { publicKey: new Uint8Array(3) } }, 'bogus');
      await new Promise((r) => { tx.oncomplete = r; });
      const out = {};
      try { await w.balance(); out.balance = 'no error'; } catch (e) { out.balance = e.message; }
      const tx2 = w.db.transaction('tickets', 'readonly');
      out.kept = await new Promise((r) => { const q = tx2.objectStore('tickets').count(); q.onsuccess = () => r(q.result); });
      w.close();
      return out;
    }
    case 'signer': {
      const c = { payer: config.payer, payee: config.payee, cumulative: 42n };
      const out = {};
      const attempt = async (name, eth) => {
        try { out[name] = hex(await eip1193Signer(eth, core, dom)(c)); } catch (e) { out[name] = 'error: ' + e.message; }
      };
      await attempt('none', undefined);
      await attempt('rejected', { request: async () => { const e = new Error('User rejected the request.'); e.code = 4001; throw e; } });
      const other = localSigner(core, dom, config.otherKey);
      await attempt('other', { request: async () => '0x' + hex(await other({ ...c, payer: config.other })) });
      // A wallet that signs typed data as asked: here the core, with the payer's key.
      let asked;
      const mine = localSigner(core, dom, config.payerKey);
      await attempt('good', { request: async (r) => { asked = r; return '0x' + hex(await mine(c)); } });
      out.method = asked?.method;
      out.typed = asked ? JSON.parse(asked.params[1]) : null;
      return out;
    }
    case 'full': {
      const bucket = await navigator.storageBuckets.open('wallet-full', { quota: config.quota });
      const w = await TicketWallet.open(config.store, { indexedDB: bucket.indexedDB });
      const out = { kept: 0 };
      // A purchase of many tickets: a few kilobytes a record.
      const big = (i) => ({ ...purchase(0), requests: Array.from({ length: 64 }, () => purchase(0).requests[0]), cheque: { ...purchase(0).cheque, cumulative: BigInt(i + 1) } });
      for (let i = 0; i < 10000; i++) {
        try {
          await w.begin(big(i));
          out.kept++;
        } catch (e) {
          out.refusal = e.message;
          out.full = e.full === true;
          break;
        }
      }
      const p = await w.pending();
      out.pending = p.length;
      out.lastCumulative = p.length ? p[p.length - 1].purchase.cheque.cumulative.toString() : '';
      w.close();
      return out;
    }
  }
  throw new Error(`unknown step ${config.step}`);
}

step().then(
  (r) => { window.murmurResult = { ...r, step: config.step }; },
  (e) => { window.murmurResult = { error: e.message, step: config.step }; },
);
