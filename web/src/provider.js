// A client's connection to its provider: js-libp2p over WebSockets (the
// transport browsers have; providers listen on /ws), Noise and yamux as
// go-libp2p speaks them, and Murmur's client protocol on one stream
// (/murmur/client/1, node/wire): typed messages, type (1) ‖ body length
// (4, big-endian) ‖ body; one request, then its one response.
import { createLibp2p } from 'libp2p';
import { webSockets } from '@libp2p/websockets';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { multiaddr } from '@multiformats/multiaddr';
import { peerIdFromString } from '@libp2p/peer-id';
import { toHex } from './hex.js';
import { requestOnce } from './stream.js';

export const CLIENT_PROTOCOL = '/murmur/client/1';

// Message types and status codes of node/wire.
export const Type = Object.freeze({
  Register: 0x01, Send: 0x02, Fetch: 0x03, Ack: 0x04, Forward: 0x05, Spend: 0x06, PublishCard: 0x07,
  Status: 0x80, Messages: 0x81, Spent: 0x82,
});

/** Why a provider refused a ticket (node/wire SpendCode). */
export const SpendCode = Object.freeze({
  Malformed: 1, BadSignature: 2, AlreadySpent: 3, Duplicate: 4, Expired: 5, UnknownKey: 6, Unavailable: 7,
});
const MAX_SPEND = 64; // node/wire.MaxSpend
export const Code = Object.freeze({ OK: 0 });

// MAX_BODY bounds what we read (node/wire.MaxBody).
const MAX_BODY = 4 << 20;

/** A refusal or failure from the provider, with its status code. */
export class ProviderError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'ProviderError';
    this.code = code;
  }
}

/**
 * Starts a libp2p node that can dial providers over WebSockets.
 * @param {object} [options] {privateKey} to keep a libp2p identity
 */
export async function createClientNode(options = {}) {
  return createLibp2p({
    ...(options.privateKey ? { privateKey: options.privateKey } : {}),
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // A provider on a private address (a devnet on 127.0.0.1) is still a provider.
    connectionGater: { denyDialMultiaddr: async () => false },
  });
}

/** Provider is an open client-protocol stream to a provider. */
export class Provider {
  /**
   * Dials the provider at addr (a multiaddr ending in /p2p/<peer id>).
   * @param {import('libp2p').Libp2p} node
   * @param {string} addr
   * @param {{signal?: AbortSignal}} [options]
   */
  static async dial(node, addr, options = {}) {
    let ma;
    try {
      ma = multiaddr(addr);
    } catch (e) {
      throw new ProviderError(`murmur: ${addr} is not a multiaddr: ${e.message}`);
    }
    if (!ma.getComponents().some((c) => c.name === 'p2p')) {
      throw new ProviderError(`murmur: ${addr} does not name the provider's peer ID (/p2p/...)`);
    }
    let stream;
    try {
      stream = await node.dialProtocol(ma, CLIENT_PROTOCOL, { signal: options.signal ?? AbortSignal.timeout(10_000) });
    } catch (e) {
      throw new ProviderError(`murmur: cannot reach the provider at ${addr}: ${e.message}`);
    }
    return new Provider(stream);
  }

  constructor(stream) {
    this.stream = stream;
    this.buf = new Uint8Array(0);
    this.waiters = [];
    this.ended = null;
    this.queue = Promise.resolve();
    stream.addEventListener('message', (e) => {
      const chunk = e.data.subarray ? e.data.subarray() : e.data;
      const b = new Uint8Array(this.buf.length + chunk.length);
      b.set(this.buf);
      b.set(chunk, this.buf.length);
      this.buf = b;
      this.wake();
    });
    const end = (why) => () => { this.ended ??= why; this.wake(); };
    stream.addEventListener('remoteCloseWrite', end('the provider closed the stream'));
    stream.addEventListener('close', end('the stream closed'));
  }

  wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  async readMsg() {
    for (;;) {
      if (this.buf.length >= 5) {
        const n = new DataView(this.buf.buffer, this.buf.byteOffset).getUint32(1);
        if (n > MAX_BODY) {
          throw new ProviderError(`murmur: the provider sent a message of ${n} bytes`);
        }
        if (this.buf.length >= 5 + n) {
          const type = this.buf[0];
          const body = this.buf.slice(5, 5 + n);
          this.buf = this.buf.slice(5 + n);
          return { type, body };
        }
      }
      if (this.ended) {
        throw new ProviderError(`murmur: ${this.ended} before answering`);
      }
      await new Promise((resolve) => this.waiters.push(resolve));
    }
  }

  /** Sends one request and returns its response {type, body}; requests run one at a time. */
  request(type, body = new Uint8Array(0)) {
    const run = async () => {
      const m = new Uint8Array(5 + body.length);
      m[0] = type;
      new DataView(m.buffer).setUint32(1, body.length);
      m.set(body, 5);
      if (!this.stream.send(m)) {
        await this.stream.onDrain();
      }
      return this.readMsg();
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => {});
    return p;
  }

  /** Sends a request whose answer is a status, and throws if it is not OK. */
  async expectOK(type, body) {
    const { type: t, body: b } = await this.request(type, body);
    if (t !== Type.Status) {
      throw new ProviderError(`murmur: answer of type ${t} where a status was due`);
    }
    if (b.length < 1) {
      throw new ProviderError('murmur: an empty status');
    }
    if (b[0] !== Code.OK) {
      throw new ProviderError(`murmur: the provider refused (code ${b[0]}): ${new TextDecoder().decode(b.subarray(1))}`, b[0]);
    }
  }

  register() { return this.expectOK(Type.Register); }

  /** Sends a mix frame (core.frame) into the network. */
  send(frame) { return this.expectOK(Type.Send, frame); }

  /**
   * Publishes a signed contact card (core.signCard's) naming this provider
   * and our mailbox in its directory; one prepaid packet where it charges.
   */
  publishCard(card) { return this.expectOK(Type.PublishCard, card); }

  /** Forwards a reply packet (core.replyBody). */
  forward(body) { return this.expectOK(Type.Forward, body); }

  /** Fetches up to max mailbox entries: [{id (bigint), entry}]. */
  async fetch(max = 64) {
    const req = new Uint8Array(2);
    new DataView(req.buffer).setUint16(0, max);
    const { type, body } = await this.request(Type.Fetch, req);
    if (type === Type.Status) {
      throw new ProviderError(`murmur: fetch refused (code ${body[0]}): ${new TextDecoder().decode(body.subarray(1))}`, body[0]);
    }
    if (type !== Type.Messages || body.length < 2) {
      throw new ProviderError(`murmur: answer of type ${type} to a fetch`);
    }
    const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const n = v.getUint16(0);
    const out = [];
    let off = 2;
    for (let i = 0; i < n; i++) {
      if (off + 12 > body.length) throw new ProviderError('murmur: a truncated mailbox answer');
      const id = v.getBigUint64(off);
      const len = v.getUint32(off + 8);
      off += 12;
      if (off + len > body.length) throw new ProviderError('murmur: a truncated mailbox answer');
      out.push({ id, entry: body.slice(off, off + len) });
      off += len;
    }
    return out;
  }

  /** Acknowledges fetched entries, which the provider then deletes. */
  ack(ids) {
    const b = new Uint8Array(2 + 8 * ids.length);
    const v = new DataView(b.buffer);
    v.setUint16(0, ids.length);
    ids.forEach((id, i) => v.setBigUint64(2 + 8 * i, id));
    return this.expectOK(Type.Ack, b);
  }

  /**
   * Spends tickets (88 wire bytes each, 1 to 64) of one issuer key (its 96
   * bytes, compressed G2) for prepaid packets: {balance, credited, refused:
   * [{index, code}], reason}. A refused ticket with code Unavailable or
   * UnknownKey may be spent again later; the others are gone for good.
   */
  async spend(issuerKey, tickets) {
    if (tickets.length < 1 || tickets.length > MAX_SPEND) {
      throw new ProviderError(`murmur: a spend of ${tickets.length} tickets, want 1 to ${MAX_SPEND}`);
    }
    const b = new Uint8Array(96 + 2 + 88 * tickets.length);
    b.set(issuerKey, 0);
    new DataView(b.buffer).setUint16(96, tickets.length);
    tickets.forEach((t, i) => {
      if (t.length !== 88) throw new ProviderError(`murmur: ticket ${i} of ${t.length} bytes, want 88`);
      b.set(t, 98 + 88 * i);
    });
    const { type, body } = await this.request(Type.Spend, b);
    if (type === Type.Status) {
      throw new ProviderError(`murmur: spend refused (code ${body[0]}): ${new TextDecoder().decode(body.subarray(1))}`, body[0]);
    }
    if (type !== Type.Spent || body.length < 18) {
      throw new ProviderError(`murmur: answer of type ${type} to a spend`);
    }
    const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const n = v.getUint16(16);
    if (18 + 3 * n > body.length) throw new ProviderError('murmur: a truncated spend answer');
    const refused = [];
    for (let i = 0; i < n; i++) refused.push({ index: v.getUint16(18 + 3 * i), code: body[20 + 3 * i] });
    return { balance: v.getBigUint64(0), credited: v.getBigUint64(8), refused, reason: new TextDecoder().decode(body.subarray(18 + 3 * n)) };
  }

  close() { return this.stream.close(); }
}

export const PKI_PROTOCOL = '/murmur/pki/1';
const MAX_DESCRIPTORS = 4096; // node/pki.MaxFetchCount
const MAX_DESCRIPTOR = 8 << 10; // node/pki.MaxDescriptorSize

/**
 * Fetches the relays' signed descriptors of epoch from the provider at
 * addr (/murmur/pki/1: the epoch, 8 bytes big-endian; the answer, a count
 * and length-prefixed descriptors). They are returned unchecked: the core
 * verifies each (addDescriptors).
 */
export async function fetchDescriptors(node, addr, epoch, options = {}) {
  let stream;
  try {
    stream = await node.dialProtocol(multiaddr(addr), PKI_PROTOCOL, { signal: options.signal ?? AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new ProviderError(`murmur: cannot fetch descriptors from ${addr}: ${e.message}`);
  }
  const req = new Uint8Array(8);
  new DataView(req.buffer).setBigUint64(0, BigInt(epoch));
  const b = await requestOnce(stream, req, {
    limit: 4 + MAX_DESCRIPTORS * (4 + MAX_DESCRIPTOR),
    timeoutMs: 10_000,
    fail: (kind, detail) => new ProviderError({
      write: `murmur: asking ${addr} for descriptors: ${detail}`,
      timeout: 'murmur: the provider did not send the descriptors in time',
      tooLong: `murmur: the provider sent more than ${MAX_DESCRIPTORS} descriptors' worth`,
    }[kind]),
  });
  const v = new DataView(b.buffer);
  if (b.length < 4) throw new ProviderError('murmur: a truncated descriptor answer');
  const n = v.getUint32(0);
  if (n > MAX_DESCRIPTORS) throw new ProviderError(`murmur: ${n} descriptors, at most ${MAX_DESCRIPTORS}`);
  const out = [];
  let off = 4;
  for (let i = 0; i < n; i++) {
    if (off + 4 > b.length) throw new ProviderError('murmur: a truncated descriptor answer');
    const l = v.getUint32(off);
    off += 4;
    if (l === 0 || l > MAX_DESCRIPTOR || off + l > b.length) throw new ProviderError(`murmur: descriptor ${i} of ${l} bytes`);
    out.push(b.slice(off, off + l));
    off += l;
  }
  if (off !== b.length) throw new ProviderError('murmur: trailing bytes after the descriptors');
  return out;
}

/** The node key (the Ed25519 public key, hex) of the peer an address names. */
export function nodeKeyOf(addr) {
  const p2p = multiaddr(addr).getComponents().find((c) => c.name === 'p2p');
  if (!p2p) throw new ProviderError(`murmur: ${addr} does not name the provider's peer ID (/p2p/...)`);
  const key = peerIdFromString(p2p.value).publicKey;
  if (!key || key.type !== 'Ed25519') throw new ProviderError(`murmur: ${p2p.value} is not an Ed25519 peer ID`);
  return toHex(key.raw);
}
