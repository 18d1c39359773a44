// Packet creation in a real browser (web/packet_test.go, headless
// Chromium): five-hop packets along the route in config.json, timed, and
// a few handed back to the Go test, which unwraps them.
import { loadCore } from '../src/core.js';

const config = await (await fetch('config.json', { cache: 'no-store' })).json();
const unhex = (s) => Uint8Array.from(s.match(/../g), (x) => parseInt(x, 16));
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

async function run() {
  const core = await loadCore('murmur.wasm');
  const hops = config.relays.map((r) => ({ id: unhex(r.id), key: unhex(r.key) }));
  const route = hops.map((h, i) => (i + 1 < hops.length
    ? { ...h, relay: { next: hops[i + 1].id, delay: 0 } }
    : { ...h, deliver: { mailbox: unhex(config.mailbox) } }));
  const payload = new TextEncoder().encode(config.message);
  const packets = [];
  for (let i = 0; i < 3; i++) packets.push(hex(core.newPacket(route, payload)));
  // Warm up: V8 runs WebAssembly in its baseline compiler first and
  // optimizes the hot functions in the background.
  const w = performance.now();
  while (performance.now() - w < 500) core.newPacket(route, payload);
  const t0 = performance.now();
  for (let i = 0; i < config.packets; i++) core.newPacket(route, payload);
  return { packets, micros: ((performance.now() - t0) * 1000) / config.packets };
}

run().then(
  (r) => { window.murmurResult = r; },
  (e) => { window.murmurResult = { error: e.message }; },
);
