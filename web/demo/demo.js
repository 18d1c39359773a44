// The demo page: reads config.json (the provider to dial, the route, the
// recipient; written by whoever serves the page: `go test ./web`, or a
// devnet), sends one message with a reply block and shows the answer. It
// leaves its outcome in window.murmurResult for tests.
import { loadCore, Session } from '../src/index.js';

const log = (s) => { document.getElementById('log').textContent += s + '\n'; };

async function main() {
  const t0 = performance.now();
  const config = await (await fetch('config.json')).json();
  const core = await loadCore('murmur.wasm');
  log(`core loaded (${Math.round(performance.now() - t0)} ms)`);
  const session = await Session.open(core, config.provider);
  log(`registered at ${config.provider} (${Math.round(performance.now() - t0)} ms)`);
  await session.sendWithReply({ ...config, message: config.message });
  const sentMs = performance.now() - t0;
  log(`sent "${config.message}" (${Math.round(sentMs)} ms)`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    for (const r of await session.receive()) {
      if (r.kind === 'reply') {
        const reply = new TextDecoder().decode(r.body);
        log(`answer: "${reply}" (${Math.round(performance.now() - t0)} ms)`);
        // Packet creation here, for the record.
        const n = 100;
        const route = [config.own, ...config.mixes].map((h, i, all) => ({
          id: fromHex(h.id), key: fromHex(h.key),
          relay: { next: fromHex((all[i + 1] ?? config.to.provider).id), delay: 0 },
        }));
        route.push({ id: fromHex(config.to.provider.id), key: fromHex(config.to.provider.key), deliver: { mailbox: fromHex(config.to.mailbox) } });
        const payload = new Uint8Array(core.payloadSize);
        const p0 = performance.now();
        for (let i = 0; i < n; i++) core.newPacket(route, payload);
        const newPacketMicros = ((performance.now() - p0) * 1000) / n;
        await session.close();
        return { reply, sentMs, replyMs: performance.now() - t0, newPacketMicros };
      }
    }
    if (Date.now() > deadline) throw new Error('no answer within a minute');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function fromHex(s) {
  return Uint8Array.from(s.match(/../g), (x) => parseInt(x, 16));
}

main().then(
  (r) => { window.murmurResult = r; },
  (e) => { log(`error: ${e.message}`); window.murmurResult = { error: e.message }; },
);
