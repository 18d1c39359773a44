// Buying tickets in the page: the client's side of /murmur/tickets/2
// (payments/market), one request and one answer per stream, each framed
// as type (1) ‖ body length (4, big-endian) ‖ body; the client closes its
// side for writing after its request. The ticket cryptography is
// tickets.js'.
//
// A purchase goes: ask the issuer for its keys (issuerKeys), make blinded
// requests, have the caller sign a cheque for their price, record the
// purchase (requests and cheque) with the caller's journal, send the
// order, finish the answers into tickets. A purchase whose answer was lost
// is finished by sending the identical order again (resumePurchase): the
// issuer answers a repeated order with the same signatures, and refuses
// the same cheque with other tickets.
import { multiaddr } from '@multiformats/multiaddr';
import { fromHex, toHex } from './hex.js';
import { requestOnce } from './stream.js';
import { newRequest, restoreRequest, decodeG2, g2FromEIP2537, bigToBytes, bytesToBig, G1_SIZE, G2_SIZE } from './tickets.js';

export const MARKET_PROTOCOL = '/murmur/tickets/2';

const T = Object.freeze({ Keys: 0x01, Order: 0x02, Catalog: 0x81, Signatures: 0x82, Refusal: 0xff });
const MAX_ANSWER = 1 << 20;
/** MAX_BATCH bounds the tickets of one order (tickets.MaxBatch). */
export const MAX_BATCH = 100;
const KEY_SIZE = 8 + 8 + G2_SIZE + 8 + 32 + 32;
const CHEQUE_SIZE = 20 + 20 + 32 + 65;

/**
 * MarketError is a failed exchange with an issuer. unreachable: nothing
 * was sent, so nothing was paid; noAnswer: the order may have been taken,
 * so the purchase stays pending; code: the issuer's refusal code
 * (payments/market Code), with want and have (wei) where it gave them.
 */
export class MarketError extends Error {
  constructor(message, fields = {}) {
    super(message);
    this.name = 'MarketError';
    Object.assign(this, fields);
  }
}

async function exchange(node, addr, what, type, body, options = {}) {
  let stream;
  try {
    stream = await node.dialProtocol(multiaddr(addr), MARKET_PROTOCOL, { signal: options.signal ?? AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new MarketError(`murmur: cannot reach the issuer at ${addr} (${what}): ${e.message}`, { unreachable: true });
  }
  const m = new Uint8Array(5 + body.length);
  m[0] = type;
  new DataView(m.buffer).setUint32(1, body.length);
  m.set(body, 5);
  const b = await requestOnce(stream, m, {
    limit: 5 + MAX_ANSWER,
    timeoutMs: options.timeout ?? 30_000,
    fail: (kind, detail) => ({
      write: new MarketError(`murmur: the issuer at ${addr} broke off the ${what}: ${detail}`, { noAnswer: true }),
      timeout: new MarketError(`murmur: the issuer at ${addr} did not answer the ${what} in time`, { noAnswer: true }),
      tooLong: new MarketError(`murmur: the issuer's answer to the ${what} is over ${MAX_ANSWER} bytes`, { protocol: true }),
    })[kind],
  });
  if (b.length < 5) throw new MarketError(`murmur: the issuer at ${addr} sent no answer to the ${what}`, { noAnswer: true });
  const n = new DataView(b.buffer, b.byteOffset).getUint32(1);
  if (b.length !== 5 + n) throw new MarketError(`murmur: the issuer's answer to the ${what} is ${b.length - 5} bytes, it says ${n}`, { protocol: true });
  const answer = { type: b[0], body: b.subarray(5) };
  if (answer.type === T.Refusal) throw refusalOf(answer.body, what);
  return answer;
}

function refusalOf(b, what) {
  if (b.length < 4) return new MarketError(`murmur: a malformed refusal of the ${what}`, { protocol: true });
  const code = b[0];
  let off = 2;
  let want, have;
  if (b[1] === 1) {
    if (b.length < 2 + 64 + 2) return new MarketError(`murmur: a malformed refusal of the ${what}`, { protocol: true });
    want = bytesToBig(b.subarray(2, 34));
    have = bytesToBig(b.subarray(34, 66));
    off = 66;
  }
  const n = new DataView(b.buffer, b.byteOffset + off).getUint16(0);
  off += 2 + 3 * n;
  if (off > b.length) return new MarketError(`murmur: a malformed refusal of the ${what}`, { protocol: true });
  const reason = new TextDecoder().decode(b.subarray(off));
  const amounts = want !== undefined ? ` (want ${want} wei, have ${have})` : '';
  return new MarketError(`murmur: the issuer refused the ${what} (code ${code}): ${reason}${amounts}`, { code, want, have, reason });
}

/**
 * issuerKeys asks the issuer at addr (a multiaddr ending in /p2p/<peer
 * id>) for its address and keys, oldest first: {issuer, keys: [{chainId,
 * epoch, publicKey, packets, price, fee}]} (amounts in wei, bigint). The
 * last key is the one on sale.
 */
export async function issuerKeys(node, addr, options = {}) {
  const { type, body } = await exchange(node, addr, 'key query', T.Keys, new Uint8Array(0), options);
  if (type !== T.Catalog || body.length < 22) throw new MarketError(`murmur: answer of type ${type} to a key query`, { protocol: true });
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const n = v.getUint16(20);
  if (body.length !== 22 + n * KEY_SIZE) throw new MarketError(`murmur: a catalog of ${n} keys in ${body.length} bytes`, { protocol: true });
  const keys = [];
  for (let i = 0, off = 22; i < n; i++, off += KEY_SIZE) {
    const publicKey = body.slice(off + 16, off + 16 + G2_SIZE);
    decodeG2(publicKey, `issuer key ${i}`);
    const p = off + 16 + G2_SIZE;
    keys.push({
      chainId: v.getBigUint64(off), epoch: v.getBigUint64(off + 8), publicKey,
      packets: v.getBigUint64(p), price: bytesToBig(body.subarray(p + 8, p + 40)), fee: bytesToBig(body.subarray(p + 40, p + 72)),
    });
  }
  return { issuer: '0x' + toHex(body.subarray(0, 20)), keys };
}

/**
 * buyTickets buys n tickets (1 to MAX_BATCH) of key from the issuer at
 * addr. pay(totalWei) returns the cheque that pays it: {payer, payee,
 * cumulative (bigint), signature (65 bytes)}. journal.begin(purchase) must
 * keep the purchase durably before it is sent (it holds the paid cheque
 * and the only way to turn the answer into tickets) and journal.finish(id,
 * tickets) must store the tickets and drop it. Returns the tickets, 88
 * wire bytes each.
 */
export async function buyTickets(node, addr, key, n, pay, journal, options = {}) {
  if (!Number.isInteger(n) || n < 1 || n > MAX_BATCH) throw new MarketError(`murmur: an order of ${n} tickets, want 1 to ${MAX_BATCH}`);
  const reqs = Array.from({ length: n }, () => newRequest(key));
  const total = BigInt(n) * (key.price + key.fee);
  const cheque = await pay(total);
  const purchase = {
    issuer: addr, key,
    requests: reqs.map((q) => ({ serial: q.serial, blindingFactor: q.blindingFactor() })),
    cheque,
  };
  const id = await journal.begin(purchase);
  return finishOrder(node, addr, key, reqs, cheque, journal, id, options);
}

/** resumePurchase sends a pending purchase's order again and finishes it. */
export async function resumePurchase(node, purchase, journal, id, options = {}) {
  const reqs = purchase.requests.map((r) => restoreRequest(purchase.key, r.serial, r.blindingFactor));
  return finishOrder(node, purchase.issuer, purchase.key, reqs, purchase.cheque, journal, id, options);
}

async function finishOrder(node, addr, key, reqs, cheque, journal, id, options) {
  const body = new Uint8Array(8 + 8 + 32 + 32 + CHEQUE_SIZE + 2 + G1_SIZE * reqs.length);
  const v = new DataView(body.buffer);
  v.setBigUint64(0, BigInt(key.epoch));
  v.setBigUint64(8, BigInt(key.packets));
  body.set(bigToBytes(key.price, 32), 16);
  body.set(bigToBytes(key.fee, 32), 48);
  body.set(encodeCheque(cheque), 80);
  v.setUint16(80 + CHEQUE_SIZE, reqs.length);
  reqs.forEach((q, i) => body.set(q.blinded(), 82 + CHEQUE_SIZE + G1_SIZE * i));
  const { type, body: a } = await exchange(node, addr, 'order', T.Order, body, options);
  if (type !== T.Signatures || a.length < 2) throw new MarketError(`murmur: answer of type ${type} to an order`, { protocol: true, noAnswer: true });
  const m = new DataView(a.buffer, a.byteOffset).getUint16(0);
  if (m !== reqs.length || a.length !== 2 + G1_SIZE * m) {
    throw new MarketError(`murmur: ${m} signatures in ${a.length} bytes for ${reqs.length} tickets`, { protocol: true, noAnswer: true });
  }
  let tickets;
  try {
    tickets = reqs.map((q, i) => q.finish(a.slice(2 + G1_SIZE * i, 2 + G1_SIZE * (i + 1))));
  } catch (e) {
    // Paid, and the answer is wrong: the purchase stays pending, its
    // cheque the evidence.
    throw new MarketError(`murmur: the issuer's answer does not give valid tickets: ${e.message}`, { protocol: true, noAnswer: true });
  }
  await journal.finish(id, tickets);
  return tickets;
}

/** encodeCheque is a cheque's wire form: payer (20) ‖ payee (20) ‖ cumulative (32) ‖ signature (65). */
export function encodeCheque(c) {
  const out = new Uint8Array(CHEQUE_SIZE);
  out.set(addressBytes(c.payer), 0);
  out.set(addressBytes(c.payee), 20);
  out.set(bigToBytes(BigInt(c.cumulative), 32), 40);
  const sig = c.signature instanceof Uint8Array ? c.signature : hexBytes(c.signature);
  if (sig.length !== 65) throw new MarketError(`murmur: a cheque signature of ${sig.length} bytes, want 65`);
  out.set(sig, 72);
  return out;
}

function addressBytes(a) {
  const b = hexBytes(a);
  if (b.length !== 20) throw new MarketError(`murmur: ${a} is not an address`);
  return b;
}

function hexBytes(s) {
  try {
    return fromHex(s);
  } catch (e) {
    throw new MarketError(e.message);
  }
}


/**
 * checkPublished checks an issuer's key against the one the TicketIssuer
 * contract holds (core.issuerKey on the network net): an issuer that
 * showed each client its own key could tell whose tickets it redeems, so
 * a client buys only with a key every client sees. It throws a
 * MarketError saying what differs.
 */
export async function checkPublished(core, net, issuer, key) {
  const on = await core.issuerKey(net, issuer, Number(key.epoch));
  if (on.value === '0') throw new MarketError(`murmur: issuer ${issuer} has not published its key of epoch ${key.epoch} on-chain (yet)`, { unpublished: true });
  if (BigInt(on.value) !== key.price || !g2FromEIP2537(on.publicKey).equals(decodeG2(key.publicKey))) {
    throw new MarketError(`murmur: issuer ${issuer} offers a key of epoch ${key.epoch} that differs from the one it published on-chain`, { mismatch: true });
  }
}
