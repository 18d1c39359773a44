// Session is a client's life at its provider: it registers, sends messages
// with a reply block through a route of one mix per layer, and reads what
// comes back. sendTo routes on the network the core reads (the registry
// over JSON-RPC, descriptors fetched from the provider and verified);
// sendWithReply takes a route given to it.
import { createClientNode, Provider, fetchDescriptors, nodeKeyOf } from './provider.js';
import { publicKeyFromRaw } from '@libp2p/crypto/keys';
import { peerIdFromPublicKey } from '@libp2p/peer-id';
import { fromHex, toHex } from './hex.js';
import { newPacket } from './packet.js';

const relayOf = (n) => ({ id: fromHex(n.id), key: fromHex(n.key) });
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

// COVER_SLACK_MS is how late a cover event may be sent (the Go client's
// coverSlack): after the page was throttled or asleep for longer, the
// missed loops and drops are skipped rather than sent in a burst that
// would mark the moment it woke; real packets are always sent.
const COVER_SLACK_MS = 2000;

// Card lookups (node/cards/wire.go): the question, to a provider's
// lookup mailbox, is 1 ‖ account (20 bytes) ‖ the reply block's length (2
// bytes) ‖ the reply block; the answer is 1 ‖ the card, or 2 for none.
const LOOKUP_VERSION = 1;
const ANSWER_FOUND = 1;
const ANSWER_NONE = 2;
// LOOKUP_RETRY_MS is the Go client's LookupRetry: two trips through the
// mixnet take about a second in the devnet; asking again costs a packet.
const LOOKUP_RETRY_MS = 3000;
const LOOKUP_POLL_MS = 200;
// A relay's descriptor of a new epoch reaches our provider within a
// gossip round of the epoch's start (a second or two in the devnet).
const ROUTE_RETRIES = 10;
const ROUTE_RETRY_MS = 500;

let lookupMailboxBytes = null;

// lookupMailbox is SHA-256("murmur card lookup v1"), cards.LookupMailbox.
async function lookupMailbox() {
  lookupMailboxBytes ??= new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('murmur card lookup v1')));
  return lookupMailboxBytes;
}

/** encodeLookup is the payload of a card lookup (cards.EncodeLookup). */
export function encodeLookup(account, surb) {
  const b = new Uint8Array(1 + 20 + 2 + surb.length);
  b[0] = LOOKUP_VERSION;
  b.set(fromHex(account.slice(2)), 1);
  new DataView(b.buffer).setUint16(21, surb.length);
  b.set(surb, 23);
  return b;
}

/**
 * expDelay draws a mixing delay of mean meanMs from an exponential
 * distribution (Loopix: the sender picks each hop's delay), with
 * crypto.getRandomValues as the source.
 */
export function expDelay(meanMs) {
  const u = crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32; // [0, 1)
  return Math.round(-meanMs * Math.log(1 - u));
}

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
    this.lookups = new Map(); // hex SURB id of a card lookup → its answer's resolver
    this.held = []; // what a lookup's polling received for receive() to give
    this.lookupsSent = 0; // card lookup questions sent, each one packet
    this.reasm = core.newReassembler();
    this.cover = null; // startCover's state
    this.meanDelayMs = 50; // per hop, the cover rates' 1/μ once known
  }

  /**
   * Starts Loopix cover traffic, as the Go client sends it: a payload
   * stream at λP whose slots carry the real packets queued (sendTo,
   * sendWithReply) or else drops, loops back to our own mailbox at λL,
   * and drops to a random provider at λD, all three Poisson processes run
   * by the core (node/cover). The rates are the ones our provider's
   * descriptor announces (core.coverRates), unless given; each hop's
   * mixing delay is then drawn with mean 1/μ. An observer of the page's
   * link sees the same packet rate whether it writes or not.
   *
   * Timers in a background tab are throttled: events later than
   * COVER_SLACK_MS are skipped, and real packets wait for the next slot.
   * @param {object} net core.openNetwork's handle
   * @param {{rates?: object}} [options]
   */
  async startCover(net, options = {}) {
    if (this.cover && !this.cover.stopped) throw new Error('murmur: cover traffic already runs');
    const c = this.core;
    const epoch = await this.directory(net);
    const rates = options.rates ?? c.coverRates(net, epoch, this.ownNodeKey);
    const cap = Math.max(64, Math.floor(60 * rates.lambdaP)); // about a minute of slots
    this.cover = {
      net, rates, shaper: c.newShaper(rates, cap, Date.now()), pending: new Map(), nextItem: 1,
      loops: new Set(), timer: null, stopped: false,
      stats: { real: 0, drops: 0, loops: 0, loopsReturned: 0, failed: 0, skipped: 0 },
    };
    this.meanDelayMs = rates.muMs;
    this.armCover();
  }

  armCover() {
    const cv = this.cover;
    if (!cv || cv.stopped) return;
    const wait = Math.max(0, this.core.shaperNext(cv.shaper) - Date.now());
    cv.timer = setTimeout(() => { this.coverTick().finally(() => this.armCover()); }, wait);
  }

  async coverTick() {
    const cv = this.cover;
    const now = Date.now();
    for (const ev of this.core.shaperTick(cv.shaper, now)) {
      if (cv.stopped) return;
      const p = ev.kind === 'real' ? cv.pending.get(ev.item) : null;
      cv.pending.delete(ev.item);
      if (p) {
        try {
          await (p.forward ? this.provider.forward(p.frame) : this.provider.send(p.frame));
          cv.stats.real++;
          p.resolve();
        } catch (e) {
          p.reject(e);
        }
      } else if (now - ev.atMs > COVER_SLACK_MS) {
        cv.stats.skipped++;
      } else {
        try {
          await this.sendCover(ev.kind === 'loop' ? 'loop' : 'drop'); // a real slot whose packet was withdrawn: a drop
        } catch {
          cv.stats.failed++; // the next event tries again: cover is best effort
        }
      }
    }
  }

  // sendCover builds and sends one drop (to a random provider) or loop
  // (to our own mailbox) through a mix per layer.
  async sendCover(kind) {
    const c = this.core;
    const cv = this.cover;
    const epoch = await this.directory(cv.net);
    let dest = this.ownNodeKey;
    if (kind === 'drop') {
      const { providers } = await c.topology(cv.net, epoch);
      dest = providers[crypto.getRandomValues(new Uint32Array(1))[0] % providers.length];
    }
    const r = await this.route(cv.net, epoch, dest);
    const hops = [r.own, ...r.mixes, r.to].map(relayOf);
    const route = hops.slice(0, -1).map((h, i) => ({ ...h, relay: { next: hops[i + 1].id, delay: expDelay(this.meanDelayMs) } }));
    const last = hops[hops.length - 1];
    let payload = new Uint8Array(0);
    let id = null;
    if (kind === 'loop') {
      const lp = c.loopPayload(this.key.public);
      payload = lp.payload;
      id = toHex(lp.id);
      route.push({ ...last, deliver: { mailbox: this.mailbox } });
    } else {
      route.push({ ...last, drop: true });
    }
    const frame = c.frame(epoch, await newPacket(c, route, payload));
    if (id) cv.loops.add(id);
    try {
      await this.provider.send(frame);
    } catch (e) {
      if (id) cv.loops.delete(id);
      throw e;
    }
    if (kind === 'loop') cv.stats.loops++;
    else cv.stats.drops++;
  }

  /**
   * What the page put on its link since startCover: {real, drops, loops,
   * loopsReturned, failed, skipped}; null if cover never ran.
   */
  traffic() {
    return this.cover ? { ...this.cover.stats } : null;
  }

  /**
   * Stops cover traffic; real packets still queued fail, and later ones go
   * out at once. traffic() goes on counting the loops that come back.
   */
  stopCover() {
    const cv = this.cover;
    if (!cv || cv.stopped) return;
    cv.stopped = true;
    clearTimeout(cv.timer);
    for (const p of cv.pending.values()) p.reject(new Error('murmur: cover stopped before the packet was sent'));
    cv.pending.clear();
    this.core.shaperClose(cv.shaper);
  }

  // transmit sends frames to the provider: at once, or with cover in the
  // payload slots the shaper gives them, in order. With forward, the
  // frames are replies through reply blocks (core.replyBody's).
  async transmit(frames, { forward = false } = {}) {
    const cv = this.cover;
    if (!cv || cv.stopped) {
      for (const f of frames) await (forward ? this.provider.forward(f) : this.provider.send(f));
      return;
    }
    const items = [];
    const done = [];
    try {
      for (const frame of frames) {
        const item = cv.nextItem++;
        this.core.shaperEnqueue(cv.shaper, Date.now(), item); // throws when the queue is full
        items.push(item);
        done.push(new Promise((resolve, reject) => cv.pending.set(item, { frame, forward, resolve, reject })));
      }
    } catch (e) {
      // Nothing of this message goes out: the slots already taken carry drops.
      for (const item of items) cv.pending.delete(item);
      throw e;
    }
    await Promise.all(done);
  }

  /**
   * Sends text (or bytes) to a recipient {provider: {id, key}, mailbox, key}
   * (hex) through own → mixes → recipient's provider, with a reply block
   * back through the same mixes, in epoch's keys.
   * @returns {Promise<string>} the reply block's id, which receive() names
   */
  async sendWithReply({ own, mixes, to, epoch, message, delayMs }) {
    const c = this.core;
    const me = relayOf(own);
    const ms = mixes.map(relayOf);
    const dest = { provider: relayOf(to.provider), mailbox: fromHex(to.mailbox), key: fromHex(to.key) };
    const delay = () => delayMs ?? expDelay(this.meanDelayMs);
    const relay = (n, next) => ({ id: n.id, key: n.key, relay: { next: next.id, delay: delay() } });
    const back = ms.map((m, i) => relay(m, i + 1 < ms.length ? ms[i + 1] : me));
    back.push({ id: me.id, key: me.key, surbReply: { mailbox: this.mailbox } });
    const surb = c.newSURB(back, epoch);
    const route = [relay(me, ms[0]), ...ms.map((m, i) => relay(m, i + 1 < ms.length ? ms[i + 1] : dest.provider))];
    route.push({ id: dest.provider.id, key: dest.provider.key, deliver: { mailbox: dest.mailbox } });
    const body = typeof message === 'string' ? new TextEncoder().encode(message) : message;
    const frames = [];
    for (const f of c.split(dest.key, body, surb.surb)) frames.push(c.frame(epoch, await newPacket(c, route, f)));
    const id = toHex(surb.id);
    this.replies.set(id, surb);
    await this.transmit(frames); // built first: nothing half-sent on a bad route
    return id;
  }

  /**
   * Answers through a reply block a message carried (receive()'s
   * replySURB): body goes back without our address, in a payload slot of
   * the cover stream like any packet.
   */
  async reply(replySURB, body) {
    await this.transmit([this.core.replyBody(replySURB, body)], { forward: true });
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
    const r = await this.route(net, epoch, to.provider);
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

  // route draws a route in epoch from our provider to dest (core.route).
  // Asked just as an epoch begins, our provider may not hold every
  // relay's descriptor of it yet: then they are fetched again, for up to
  // ROUTE_RETRIES × ROUTE_RETRY_MS.
  async route(net, epoch, dest) {
    for (let i = 0; ; i++) {
      try {
        return await this.core.route(net, epoch, this.ownNodeKey, dest);
      } catch (e) {
        if (i >= ROUTE_RETRIES || !/no descriptor/.test(e.message)) throw e;
      }
      await new Promise((r) => setTimeout(r, ROUTE_RETRY_MS));
      this.core.addDescriptors(net, await fetchDescriptors(this.node, this.providerAddr, epoch));
    }
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
    const out = this.held.splice(0);
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
            const body = this.core.decryptReply(surb.keys, e.payload);
            this.replies.delete(sid);
            const answer = this.lookups.get(sid);
            if (answer) answer(body);
            else out.push({ kind: 'reply', surbId: sid, body });
          }
        }
      } else if (e.fragment.flags & this.core.flagLoop) {
        if (this.cover?.loops.delete(toHex(e.fragment.id))) this.cover.stats.loopsReturned++;
      } else {
        const m = this.core.reassemble(this.reasm, e.fragment);
        if (m) out.push({ kind: 'message', body: m.body, replySURB: m.replySURB });
      }
      acked.push(id);
    }
    if (acked.length) await this.provider.ack(acked);
    return out;
  }

  /**
   * Publishes our contact card (Conversations.card, signed) at our
   * provider, which keeps it in its directory and passes it on to the
   * other providers. The card must name our provider, mailbox and key.
   */
  publishCard(card) {
    return this.provider.publishCard(card);
  }

  /**
   * Looks up the contact card of an Ethereum account through the mixnet,
   * as the Go client does: the question goes to a provider drawn at random
   * with a reply block for the answer, so that provider learns that
   * someone asked, not who, and ours learns nothing. An unanswered
   * question is asked again (of a provider drawn again) after retryMs,
   * until timeoutMs. The card is verified for chainId before it is given:
   * {card, account, provider, mailbox, sealKey, issued, expires}.
   */
  async lookupCard(net, account, chainId, { retryMs = LOOKUP_RETRY_MS, timeoutMs = 60000 } = {}) {
    const c = this.core;
    if (!/^0x[0-9a-fA-F]{40}$/.test(account)) throw new Error(`murmur: ${account} is not an account`);
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const epoch = await this.directory(net);
      const { providers } = await c.topology(net, epoch);
      const dest = providers[crypto.getRandomValues(new Uint32Array(1))[0] % providers.length];
      const r = await this.route(net, epoch, dest);
      const me = relayOf(r.own);
      const ms = r.mixes.map(relayOf);
      const to = relayOf(r.to);
      const relay = (n, next) => ({ id: n.id, key: n.key, relay: { next: next.id, delay: expDelay(this.meanDelayMs) } });
      const back = ms.map((m, i) => relay(m, i + 1 < ms.length ? ms[i + 1] : me));
      back.push({ id: me.id, key: me.key, surbReply: { mailbox: this.mailbox } });
      const surb = c.newSURB(back, epoch);
      const route = [relay(me, ms[0]), ...ms.map((m, i) => relay(m, i + 1 < ms.length ? ms[i + 1] : to))];
      route.push({ id: to.id, key: to.key, deliver: { mailbox: await lookupMailbox() } });
      const frame = c.frame(epoch, await newPacket(c, route, encodeLookup(account, surb.surb)));
      const sid = toHex(surb.id);
      let answered;
      const answer = new Promise((resolve) => { answered = resolve; });
      this.replies.set(sid, surb);
      this.lookups.set(sid, answered);
      try {
        await this.transmit([frame]);
        this.lookupsSent++;
        const body = await Promise.race([answer, this.pollFor(answer, Math.min(retryMs, end - Date.now()))]);
        if (body) return this.cardOf(body, account, chainId);
      } finally {
        this.lookups.delete(sid);
        this.replies.delete(sid);
      }
    }
    throw new Error(`murmur: no answer to the lookup of ${account}'s card in ${timeoutMs} ms`);
  }

  // pollFor fetches the mailbox (keeping what it finds for receive) until
  // answer settles or ms pass; it resolves to null when time is up.
  async pollFor(answer, ms) {
    let done = false;
    answer.then(() => { done = true; });
    const end = Date.now() + ms;
    while (!done && Date.now() < end) {
      this.held.push(...(await this.receive()));
      if (!done) await new Promise((r) => setTimeout(r, LOOKUP_POLL_MS));
    }
    return null;
  }

  // cardOf reads a lookup's answer: the card, verified, or an error.
  cardOf(body, account, chainId) {
    if (body.length >= 1 && body[0] === ANSWER_NONE) throw new Error(`murmur: the directory has no card for ${account}`);
    if (body.length < 1 + this.core.cardSize || body[0] !== ANSWER_FOUND) throw new Error('murmur: a malformed answer to a card lookup');
    const card = body.slice(1, 1 + this.core.cardSize);
    const v = this.core.verifyCard(card, String(chainId));
    if (v.account.toLowerCase() !== account.toLowerCase()) throw new Error(`murmur: asked for the card of ${account}, got ${v.account}'s`);
    return { card, ...v };
  }

  async close() {
    this.stopCover();
    try {
      await this.provider.close();
    } finally {
      await this.node.stop();
    }
  }
}
