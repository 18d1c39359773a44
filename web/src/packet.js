// Sphinx packets built in the page: the key chain with WebCrypto's native
// X25519 (keychain.js), the header and payload by the core in one call.
// The packets are the Go sender's, byte for byte given the same randomness
// (web/interop_test.go checks them against sphinx/testdata/vectors.json).
import { keyChain } from './keychain.js';

// Command type bytes and sizes (sphinx/command.go).
const RELAY = 0x01;
const DELIVER = 0x02;
const SURB_REPLY = 0x03;
const DROP = 0x04;

function bytes32(v, what) {
  if (!(v instanceof Uint8Array) || v.length !== 32) throw new Error(`murmur: ${what}: want 32 bytes`);
  return v;
}

/**
 * Encodes route (core.newPacket's: [{id, key, relay: {next, delay} |
 * deliver: {mailbox} | surbReply: {mailbox, id} | drop: true}], byte
 * fields as Uint8Arrays) for the core: per hop its id, its key and its
 * command zero-padded to hopSize bytes.
 */
export function encodeRoute(route, hopSize) {
  if (!Array.isArray(route) || route.length === 0) throw new Error('murmur: route: want an array of hops');
  const out = new Uint8Array(hopSize * route.length);
  route.forEach((h, i) => {
    const b = out.subarray(i * hopSize, (i + 1) * hopSize);
    b.set(bytes32(h.id, `hop ${i} id`));
    b.set(bytes32(h.key, `hop ${i} key`), 32);
    const c = b.subarray(64);
    if (h.relay) {
      const d = h.relay.delay ?? 0;
      if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) throw new Error(`murmur: hop ${i} delay: want milliseconds, 0 to 2^32-1`);
      c[0] = RELAY;
      c.set(bytes32(h.relay.next, `hop ${i} next`), 1);
      new DataView(c.buffer, c.byteOffset).setUint32(33, d);
    } else if (h.deliver) {
      c[0] = DELIVER;
      c.set(bytes32(h.deliver.mailbox, `hop ${i} mailbox`), 1);
    } else if (h.surbReply) {
      c[0] = SURB_REPLY;
      c.set(bytes32(h.surbReply.mailbox, `hop ${i} mailbox`), 1);
      if (!(h.surbReply.id instanceof Uint8Array) || h.surbReply.id.length !== 16) throw new Error(`murmur: hop ${i} SURB id: want 16 bytes`);
      c.set(h.surbReply.id, 33);
    } else if (h.drop) {
      c[0] = DROP;
    } else {
      throw new Error(`murmur: hop ${i}: no command (relay, deliver, surbReply or drop)`);
    }
  });
  return out;
}

/**
 * Builds a packet along route (see encodeRoute) carrying payload.
 * @param {object} core loadCore's functions
 * @returns {Promise<Uint8Array>} the packet, for route[0]
 */
export async function newPacket(core, route, payload) {
  if (!(payload instanceof Uint8Array)) throw new Error('murmur: payload: want a Uint8Array');
  const hops = encodeRoute(route, core.hopSize);
  const chain = await keyChain(route.map((h) => h.key), core.geometryHash);
  // One buffer for the core: the route, the chain, the payload.
  const input = new Uint8Array(hops.length + chain.length + payload.length);
  input.set(hops);
  input.set(chain, hops.length);
  input.set(payload, hops.length + chain.length);
  chain.fill(0);
  try {
    return core.newPacketFromChain(input, route.length);
  } finally {
    input.fill(0);
  }
}
