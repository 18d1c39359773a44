// Packet creation in a real browser (web/packet_test.go, headless
// Chromium): five-hop packets along the route in config.json, timed, and
// a few handed back to the Go test, which unwraps them. Both builders are
// timed, in alternating rounds: the page's (src/packet.js: the key chain
// with WebCrypto, the rest in the core), which the client sends with, and
// the core's alone.
import { loadCore } from '../src/core.js';
import { newPacket } from '../src/packet.js';

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
  for (let i = 0; i < 3; i++) packets.push(hex(await newPacket(core, route, payload)));
  for (let i = 0; i < 2; i++) packets.push(hex(core.newPacket(route, payload)));
  // Warm up: V8 runs WebAssembly in its baseline compiler first and
  // optimizes the hot functions in the background.
  const w = performance.now();
  while (performance.now() - w < 1000) {
    await newPacket(core, route, payload);
    core.newPacket(route, payload);
  }
  const rounds = [];
  const coreRounds = [];
  for (let r = 0; r < config.rounds; r++) {
    let t0 = performance.now();
    for (let i = 0; i < config.packets; i++) await newPacket(core, route, payload);
    rounds.push(((performance.now() - t0) * 1000) / config.packets);
    t0 = performance.now();
    for (let i = 0; i < config.packets; i++) core.newPacket(route, payload);
    coreRounds.push(((performance.now() - t0) * 1000) / config.packets);
  }
  return { packets, rounds, coreRounds };
}

run().then(
  (r) => { window.murmurResult = r; },
  (e) => { window.murmurResult = { error: e.message }; },
);
