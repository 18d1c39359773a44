// Conversations in a real browser's IndexedDB (web/conversations_test.go,
// headless Chromium, one step a load): "start" makes the store, has its
// card signed through an EIP-1193 wallet (a stand-in signing with a local
// key), starts a conversation from the Go user's card and writes two
// messages; "resume" opens the store again, reads the Go user's answer
// and writes back; "full" starts conversations in a storage bucket with a
// small quota until one is refused, then goes on with the last one kept.
import { loadCore } from '../src/core.js';
import { Conversations, indexedDBRecords } from '../src/conversations.js';

const config = await (await fetch('config.json', { cache: 'no-store' })).json();
const unhex = (s) => Uint8Array.from(s.match(/../g), (x) => parseInt(x, 16));
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const text = (b) => new TextDecoder().decode(b);

async function step() {
  const core = await loadCore('murmur.wasm');
  switch (config.step) {
    case 'start': {
      const conv = await Conversations.open(core, indexedDBRecords(config.store));
      const now = Math.floor(Date.now() / 1000);
      const unsigned = await conv.card({
        chainId: config.chainId, account: config.account, provider: unhex(config.provider), mailbox: unhex(config.mailbox),
        sealKey: unhex(config.sealKey), issued: now - 60, expires: now + 3600,
      });
      let asked = null;
      const wallet = { request: async (r) => { asked = r; return core.signCardLocal(unsigned.card, config.accountKey); } };
      const card = await conv.signCard(wallet, config.account, unsigned);
      const id = await conv.start(unhex(config.peerCard), config.chainId);
      const messages = [];
      for (const m of ['one', 'two']) messages.push(hex(await conv.seal(id, m)));
      conv.close();
      return { card: hex(card), id: hex(id), messages, method: asked.method, account: asked.params[0], typed: JSON.parse(asked.params[1]) };
    }
    case 'resume': {
      const conv = await Conversations.open(core, indexedDBRecords(config.store));
      const o = await conv.open(unhex(config.reply));
      const m = await conv.seal(o.id, 'four');
      conv.close();
      return { id: hex(o.id), text: text(o.plaintext), message: hex(m) };
    }
    case 'full': {
      const bucket = await navigator.storageBuckets.open('conversations-full', { quota: config.quota });
      const conv = await Conversations.open(core, indexedDBRecords(config.store, { indexedDB: bucket.indexedDB }));
      const out = { kept: 0 };
      let last = null;
      for (let i = 0; i < 10000; i++) {
        try {
          last = await conv.start(unhex(config.peerCard), config.chainId);
          out.kept++;
        } catch (e) {
          out.refusal = e.message;
          break;
        }
      }
      conv.close();
      // Opened again: every conversation kept is there (records named
      // "c/" and its ID), the refused one is not; the last one kept goes
      // on, or is refused as the store is still full.
      const records = indexedDBRecords(config.store, { indexedDB: bucket.indexedDB });
      out.stored = (await records.all()).filter(([k]) => k.startsWith('632f')).length;
      const again = await Conversations.open(core, records);
      try {
        out.after = hex(await again.seal(last, 'after'));
      } catch (e) {
        out.afterRefusal = e.message;
      }
      again.close();
      return out;
    }
  }
  throw new Error(`unknown step ${config.step}`);
}

step().then(
  (r) => { window.murmurResult = { ...r, step: config.step }; },
  (e) => { window.murmurResult = { error: e.message, step: config.step }; },
);
