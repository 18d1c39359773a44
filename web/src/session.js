// Session is a client's life at its provider: it registers, sends messages
// with a reply block through a route of one mix per layer, and reads what
// comes back. sendTo routes on the network the core reads (the registry
// over JSON-RPC, descriptors fetched from the provider and verified);
// sendWithReply takes a route given to it.
import { createClientNode, Provider, fetchDescriptors, nodeKeyOf } from './provider.js';
import { publicKeyFromRaw } from '@libp2p/crypto/keys';
import { peerIdFromPublicKey } from '@libp2p/peer-id';

/** fromHex decodes a hex string, refusing what is not one. */
export const fromHex = (s) => {
  if (typeof s !== 'string' || s.length % 2 !== 0 || /[^0-9a-fA-F]/.test(s)) {
    throw new Error(`murmur: ${JSON.stringify(s)} is not hex`);
  }
  const b = new Uint8Array(s.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(s.substr(2 * i, 2), 16);
  return b;
};
const relayOf = (n) => ({ id: fromHex(n.id), key: fromHex(n.key) });
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

export class Session {
  /**
   * Connects to the provider at providerAddr (a /ws multiaddr with /p2p/),
   * as identity (openIdentity's; null for a fresh one each time).
   * @param {object} core loadCore's result
   * @param {string} providerAddr
   * @param {object|null} [identity]
   */
  static async open(core, providerAddr, identity = null) {
    const own = nodeKeyOf(providerAddr);
    const node = await createClientNode(identity ? { privateKey: identity.privateKey } : {});
    try {
      const provider = await Provider.dial(node, providerAddr);
      await provider.register();
      const s = new Session(core, node, provider, providerAddr, own);
      if (identity) s.key = identity.x25519;
      return s;
    } catch (e) {
      await node.stop();
      throw e;
    }
  }

  constructor(core, node, provider, providerAddr, ownNodeKey) {
    this.core = core;
    this.node = node;
    this.provider = provider;
    this.providerAddr = providerAddr;
    this.ownNodeKey = ownNodeKey;
    this.fetched = new Set(); // epochs whose descriptors we have
    this.mailbox = core.mailboxOf(node.peerId.toMultihash().bytes);
    this.key = core.keyPair();
    this.replies = new Map(); // hex SURB id → keys
    this.reasm = core.newReassembler();
  }

  /**
   * Sends text (or bytes) to a recipient {provider: {id, key}, mailbox, key}
   * (hex) through own → mixes → recipient's provider, with a reply block
   * back through the same mixes, in epoch's keys.
   * @returns {Promise<string>} the reply block's id, which receive() names
   */
  async sendWithReply({ own, mixes, to, epoch, message, delayMs = 5 }) {
    const c = this.core;
    const me = relayOf(own);
    const ms = mixes.map(relayOf);
    const dest = { provider: relayOf(to.provider), mailbox: fromHex(to.mailbox), key: fromHex(to.key) };
    const relay = (n, next) => ({ id: n.id, key: n.key, relay: { next: next.id, delay: delayMs } });
    const back = ms.map((m, i) => relay(m, i + 1 < ms.length ? ms[i + 1] : me));
    back.push({ id: me.id, key: me.key, surbReply: { mailbox: this.mailbox } });
    const surb = c.newSURB(back, epoch);
    const route = [relay(me, ms[0]), ...ms.map((m, i) => relay(m, i + 1 < ms.length ? ms[i + 1] : dest.provider))];
    route.push({ id: dest.provider.id, key: dest.provider.key, deliver: { mailbox: dest.mailbox } });
    const body = typeof message === 'string' ? new TextEncoder().encode(message) : message;
    const frames = c.split(dest.key, body, surb.surb).map((f) => c.frame(epoch, c.newPacket(route, f)));
    for (const f of frames) await this.provider.send(f); // built first: nothing half-sent on a bad route
    const id = Array.from(surb.id, (x) => x.toString(16).padStart(2, '0')).join('');
    this.replies.set(id, surb);
    return id;
  }

  /** The address others write to us at (base58, as the Go client's). */
  address() {
    return this.core.formatAddress(fromHex(this.ownNodeKey), this.mailbox, this.key.public);
  }

  /**
   * Sends message to a Murmur address (as Client.Address prints it) with a
   * reply block, on the network net (core.openNetwork): the epoch's
   * topology from the registry, a mix per layer at random, the relays'
   * keys from their descriptors.
   * @returns {Promise<string>} the reply block's id
   */
  async sendTo(net, address, message) {
    const c = this.core;
    const to = c.parseAddress(address);
    const epoch = await this.directory(net);
    const r = await c.route(net, epoch, this.ownNodeKey, to.provider);
    return this.sendWithReply({ own: r.own, mixes: r.mixes, epoch, message, to: { provider: r.to, mailbox: to.mailbox, key: to.key } });
  }

  /** directory reads the epoch's topology and its descriptors, once an epoch, and returns the epoch. */
  async directory(net) {
    const c = this.core;
    const epoch = c.epochNow(net);
    await c.topology(net, epoch);
    if (!this.fetched.has(epoch)) {
      c.addDescriptors(net, await fetchDescriptors(this.node, this.providerAddr, epoch));
      this.fetched.add(epoch);
    }
    return epoch;
  }

  /**
   * The ticket issuers of the network now: [{operator, addr, priceWei,
   * packets}], addr a WebSocket multiaddr with /p2p/ (issuers without one
   * are left out: the page cannot reach them).
   */
  async issuers(net) {
    const epoch = await this.directory(net);
    const out = [];
    for (const i of await this.core.issuers(net, epoch)) {
      const ws = i.addrs.find((a) => /\/wss?(\/|$)/.test(a));
      if (!ws) continue;
      const id = peerIdFromPublicKey(publicKeyFromRaw(fromHex(i.nodeKey))).toString();
      out.push({ operator: i.operator, addr: `${ws}/p2p/${id}`, priceWei: i.priceWei, packets: i.packets });
    }
    return out;
  }

  /**
   * Fetches the mailbox once: answers through our reply blocks and whole
   * messages sealed for our key, [{kind: 'reply', surbId, body} | {kind: 'message', body, replySURB}].
   */
  async receive() {
    const out = [];
    const acked = [];
    for (const { id, entry } of await this.provider.fetch(32)) {
      let e;
      try {
        e = this.core.openEntry(this.key.private, entry);
      } catch {
        acked.push(id); // not for us, or malformed: nothing to keep
        continue;
      }
      if (e.kind === 'reply') {
        for (const [sid, surb] of this.replies) {
          if (equal(surb.id, e.id)) {
            out.push({ kind: 'reply', surbId: sid, body: this.core.decryptReply(surb.keys, e.payload) });
            this.replies.delete(sid);
          }
        }
      } else {
        const m = this.core.reassemble(this.reasm, e.fragment);
        if (m) out.push({ kind: 'message', body: m.body, replySURB: m.replySURB });
      }
      acked.push(id);
    }
    if (acked.length) await this.provider.ack(acked);
    return out;
  }

  async close() {
    try {
      await this.provider.close();
    } finally {
      await this.node.stop();
    }
  }
}
