// The page's ticket wallet, in IndexedDB: the tickets it holds, the
// purchases it has paid for and not finished (their blinding factors and
// cheque: the only way to turn a lost answer into tickets), and its cheque
// book (the cumulative amount promised each issuer). Every change is one
// transaction, awaited to completion, so a tab closed at any point leaves
// either the old state or the new one: a purchase is recorded before its
// order leaves, and its tickets replace it in one step; tickets taken to
// spend leave the store only once the caller says they were spent.
//
// A record this code did not write is an error that names it, never
// dropped or replaced; a store that is full fails the change with a clear
// error and loses nothing already kept.
//
// Cheques are signed by the caller's signer: eip1193Signer for a wallet
// in the page (eth_signTypedData_v4, the Vault's EIP-712 domain), or
// localSigner for tests and tools.
import { fromHex, toHex } from './hex.js';
import { TICKET_SIZE, decodeTicket, SERIAL_SIZE, SCALAR_SIZE, G2_SIZE } from './tickets.js';

const DB_VERSION = 1;
const TICKETS = 'tickets';
const PENDING = 'pending';
const BOOK = 'book';

export class WalletError extends Error {
  constructor(message, fields = {}) {
    super(message);
    this.name = 'WalletError';
    Object.assign(this, fields);
  }
}

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx, what, name) {
  return new Promise((resolve, reject) => {
    const fail = () => {
      const e = tx.error;
      const full = e?.name === 'QuotaExceededError';
      reject(new WalletError(`murmur: ${what} in IndexedDB ${name}: ${full ? 'the store is full (nothing was changed)' : (e?.message ?? 'aborted')}`, { full }));
    };
    tx.oncomplete = () => resolve();
    tx.onerror = fail;
    tx.onabort = fail;
  });
}

/** TicketWallet is a wallet kept in IndexedDB under a name. */
export class TicketWallet {
  /**
   * Opens (or creates) the wallet called name.
   * @param {string} [name]
   * @param {{indexedDB?: IDBFactory}} [options] where to keep it: the
   *   page's IndexedDB by default, or a storage bucket's
   *   (navigator.storageBuckets), which has a quota of its own
   */
  static async open(name = 'murmur-wallet', options = {}) {
    const idb = options.indexedDB ?? globalThis.indexedDB;
    if (idb === undefined) throw new WalletError('murmur: this page has no IndexedDB to keep tickets in');
    const r = idb.open(name, DB_VERSION);
    r.onupgradeneeded = () => {
      const db = r.result;
      db.createObjectStore(TICKETS);
      db.createObjectStore(PENDING, { autoIncrement: true });
      db.createObjectStore(BOOK);
    };
    let db;
    try {
      db = await request(r);
    } catch (e) {
      throw new WalletError(`murmur: opening IndexedDB ${name}: ${e?.message ?? e}`);
    }
    return new TicketWallet(db, name);
  }

  constructor(db, name) {
    this.db = db;
    this.name = name;
  }

  close() {
    this.db.close();
  }

  corrupt(store, key, why) {
    return new WalletError(`murmur: record ${String(key)} of ${store} in IndexedDB ${this.name} is corrupt (${why}); it is left as it is`, { corrupt: true });
  }

  // --- the journal of purchases (market.js) ---------------------------------

  /** begin keeps a purchase before its order is sent, and returns its id. */
  async begin(purchase) {
    const tx = this.db.transaction(PENDING, 'readwrite');
    const id = request(tx.objectStore(PENDING).add(encodePurchase(purchase)));
    await done(tx, 'recording a purchase', this.name);
    return id;
  }

  /** finish replaces the purchase id by its tickets, in one transaction. */
  async finish(id, tickets) {
    const tx = this.db.transaction([PENDING, TICKETS], 'readwrite');
    const p = tx.objectStore(PENDING);
    const kept = await request(p.get(id));
    if (kept === undefined) {
      tx.abort();
      throw new WalletError(`murmur: no pending purchase ${id} in IndexedDB ${this.name}`);
    }
    const key = decodePurchase(kept, (why) => this.corrupt(PENDING, id, why)).key;
    for (const t of tickets) tx.objectStore(TICKETS).put({ ticket: t, key: encodeKey(key) }, toHex(t));
    p.delete(id);
    await done(tx, 'storing bought tickets', this.name);
  }

  /** pending lists the purchases paid for and not finished: [{id, purchase}]. */
  async pending() {
    const tx = this.db.transaction(PENDING, 'readonly');
    const store = tx.objectStore(PENDING);
    const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
    return keys.map((id, i) => ({ id, purchase: decodePurchase(values[i], (why) => this.corrupt(PENDING, id, why)) }));
  }

  // --- tickets ------------------------------------------------------------------

  /** balance counts the tickets held by key epoch: [{epoch, tickets}]. */
  async balance() {
    const all = await this.all();
    const by = new Map();
    for (const { key } of all) by.set(key.epoch, (by.get(key.epoch) ?? 0) + 1);
    return [...by].map(([epoch, tickets]) => ({ epoch, tickets })).sort((a, b) => (a.epoch < b.epoch ? -1 : 1));
  }

  async all() {
    const tx = this.db.transaction(TICKETS, 'readonly');
    const store = tx.objectStore(TICKETS);
    const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
    return values.map((v, i) => decodeHeld(v, (why) => this.corrupt(TICKETS, keys[i], why)));
  }

  /**
   * spend hands up to n tickets of one key, oldest epoch first, to use(key,
   * tickets), which spends them and returns the tickets that were not
   * spent (refused for a reason that may pass). The others leave the
   * wallet once use returns; if use throws, they all stay.
   */
  async spend(n, use) {
    const all = await this.all();
    if (all.length === 0) throw new WalletError('murmur: the wallet holds no tickets', { empty: true });
    all.sort((a, b) => (a.key.epoch < b.key.epoch ? -1 : a.key.epoch > b.key.epoch ? 1 : 0));
    const epoch = all[0].key.epoch;
    const batch = all.filter((h) => h.key.epoch === epoch).slice(0, n);
    const kept = await use(batch[0].key, batch.map((h) => h.ticket));
    const back = new Set((kept ?? []).map(toHex));
    const tx = this.db.transaction(TICKETS, 'readwrite');
    for (const h of batch) if (!back.has(toHex(h.ticket))) tx.objectStore(TICKETS).delete(toHex(h.ticket));
    await done(tx, 'removing spent tickets', this.name);
    return batch.length - back.size;
  }

  // --- the cheque book ------------------------------------------------------------

  /**
   * nextCheque returns a cheque to payee for total wei more than the last,
   * signed by sign(cheque) → 65-byte signature, after recording its
   * cumulative amount: once signed it counts as paid, whether or not the
   * order goes through, as the issuer may hold it. A signature refused or
   * failed leaves the book as it was.
   */
  async nextCheque({ vault, payer, payee, total }, sign) {
    const id = `${vault.toLowerCase()}:${payer.toLowerCase()}:${payee.toLowerCase()}`;
    const last = await this.paid(vault, payer, payee);
    const cheque = { payer, payee, cumulative: last + BigInt(total) };
    const signature = await sign(cheque);
    const tx = this.db.transaction(BOOK, 'readwrite');
    tx.objectStore(BOOK).put(cheque.cumulative.toString(), id);
    await done(tx, 'recording a cheque (it was not sent)', this.name);
    return { ...cheque, signature };
  }

  /** paid is the cumulative amount promised payee so far. */
  async paid(vault, payer, payee) {
    const id = `${vault.toLowerCase()}:${payer.toLowerCase()}:${payee.toLowerCase()}`;
    const tx = this.db.transaction(BOOK, 'readonly');
    const v = await request(tx.objectStore(BOOK).get(id));
    if (v === undefined) return 0n;
    if (typeof v !== 'string' || !/^[0-9]+$/.test(v)) throw this.corrupt(BOOK, id, 'not an amount');
    return BigInt(v);
  }
}

function encodeKey(k) {
  return { chainId: String(k.chainId), epoch: String(k.epoch), publicKey: k.publicKey, packets: String(k.packets), price: String(k.price), fee: String(k.fee) };
}

function decodeKey(k, bad) {
  const num = (v, what) => {
    if (typeof v !== 'string' || !/^[0-9]+$/.test(v)) throw bad(`its key's ${what}`);
    return BigInt(v);
  };
  if (!k || !(k.publicKey instanceof Uint8Array) || k.publicKey.length !== G2_SIZE) throw bad("its key's public key");
  return { chainId: num(k.chainId, 'chain'), epoch: num(k.epoch, 'epoch'), publicKey: k.publicKey, packets: num(k.packets, 'packets'), price: num(k.price, 'price'), fee: num(k.fee, 'fee') };
}

function decodeHeld(v, bad) {
  if (!v || !(v.ticket instanceof Uint8Array) || v.ticket.length !== TICKET_SIZE) throw bad('not a ticket');
  const key = decodeKey(v.key, bad);
  try {
    if (decodeTicket(v.ticket).epoch !== key.epoch) throw new Error('of another epoch than its key');
  } catch (e) {
    throw bad(e.message);
  }
  return { ticket: v.ticket, key };
}

function encodePurchase(p) {
  return {
    issuer: p.issuer, key: encodeKey(p.key),
    requests: p.requests.map((r) => ({ serial: r.serial, blindingFactor: r.blindingFactor })),
    cheque: { payer: p.cheque.payer, payee: p.cheque.payee, cumulative: String(p.cheque.cumulative), signature: p.cheque.signature instanceof Uint8Array ? p.cheque.signature : fromHex(p.cheque.signature) },
  };
}

function decodePurchase(v, bad) {
  if (!v || typeof v.issuer !== 'string' || !Array.isArray(v.requests) || !v.cheque) throw bad('not a purchase');
  for (const r of v.requests) {
    if (!(r.serial instanceof Uint8Array) || r.serial.length !== SERIAL_SIZE || !(r.blindingFactor instanceof Uint8Array) || r.blindingFactor.length !== SCALAR_SIZE) throw bad('a ticket request');
  }
  const c = v.cheque;
  if (typeof c.payer !== 'string' || typeof c.payee !== 'string' || !/^[0-9]+$/.test(c.cumulative) || !(c.signature instanceof Uint8Array) || c.signature.length !== 65) throw bad('its cheque');
  return { issuer: v.issuer, key: decodeKey(v.key, bad), requests: v.requests, cheque: { ...c, cumulative: BigInt(c.cumulative) } };
}

/**
 * eip1193Signer signs cheques with the account payer of an EIP-1193
 * provider (window.ethereum, or one from a wallet library), as EIP-712
 * typed data in the Vault's domain, and checks the answer with the core
 * before it is used. It throws a WalletError saying why: no provider, the
 * user rejected the request (code 4001; rejected is set), or the signature
 * is not the payer's on this cheque (another account was selected).
 */
export function eip1193Signer(ethereum, core, { chainId, vault }) {
  return async (c) => {
    if (!ethereum || typeof ethereum.request !== 'function') {
      throw new WalletError('murmur: this page has no Ethereum wallet (EIP-1193 provider) to sign the cheque with; nothing was paid', { noProvider: true });
    }
    const typed = {
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' }, { name: 'version', type: 'string' },
          { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' },
        ],
        Cheque: [{ name: 'payer', type: 'address' }, { name: 'payee', type: 'address' }, { name: 'cumulativeAmount', type: 'uint256' }],
      },
      primaryType: 'Cheque',
      domain: { name: 'Murmur Vault', version: '1', chainId: Number(chainId), verifyingContract: vault },
      message: { payer: c.payer, payee: c.payee, cumulativeAmount: c.cumulative.toString() },
    };
    let sig;
    try {
      sig = await ethereum.request({ method: 'eth_signTypedData_v4', params: [c.payer, JSON.stringify(typed)] });
    } catch (e) {
      if (e?.code === 4001) throw new WalletError('murmur: the cheque was not signed: the request was rejected in the wallet; nothing was paid', { rejected: true });
      throw new WalletError(`murmur: the wallet could not sign the cheque: ${e?.message ?? e}; nothing was paid`);
    }
    try {
      core.chequeSigner(String(chainId), vault, c.payer, c.payee, c.cumulative.toString(), sig);
    } catch (e) {
      throw new WalletError(`murmur: the wallet's signature is not ${c.payer}'s on this cheque (${e.message}): another account, or another cheque; nothing was paid`);
    }
    return fromHex(sig);
  };
}

/** localSigner signs cheques with a private key (hex), through the core: for tests and tools. */
export function localSigner(core, { chainId, vault }, privateKeyHex) {
  return async (c) => fromHex(core.signCheque(String(chainId), vault, c.payer, c.payee, c.cumulative.toString(), privateKeyHex));
}
