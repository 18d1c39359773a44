// Conversations with forward secrecy, in the Go client's formats: contact
// cards bound to an Ethereum account (EIP-712, signed through the page's
// wallet), PQXDH handshakes and Double Ratchet messages, all made by the
// core (messaging/card, messaging/session compiled to WebAssembly). The
// page keeps the store's records (its keys and every conversation's
// ratchet state) in IndexedDB; each state is kept, in one transaction,
// before the message it made or opened is handed back.

const STORE = 'records';

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/**
 * Records kept in IndexedDB database `name` (one object store, a record a
 * key), for openConversations.
 * @param {string} name
 * @param {{indexedDB?: IDBFactory}} [options]
 */
export function indexedDBRecords(name, options = {}) {
  const idb = options.indexedDB ?? globalThis.indexedDB;
  let db = null;
  const open = async () => {
    if (db) return db;
    if (!idb) throw new Error('murmur: this page has no IndexedDB to keep conversations in');
    const r = idb.open(name, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE);
    db = await request(r).catch((e) => { throw new Error(`murmur: opening IndexedDB ${name}: ${e?.message ?? e}`); });
    return db;
  };
  return {
    async all() {
      const d = await open();
      const tx = d.transaction(STORE, 'readonly');
      const [keys, values] = await Promise.all([request(tx.objectStore(STORE).getAllKeys()), request(tx.objectStore(STORE).getAll())]);
      return keys.map((k, i) => {
        if (typeof k !== 'string' || !(values[i] instanceof Uint8Array)) {
          throw new Error(`murmur: IndexedDB ${name} holds a record this client does not write (${String(k)}); it is left as it is`);
        }
        return [k, values[i]];
      });
    },
    async write(entries) {
      const d = await open();
      const tx = d.transaction(STORE, 'readwrite', { durability: 'strict' });
      for (const [k, v] of entries) tx.objectStore(STORE).put(v, k);
      await new Promise((resolve, reject) => {
        const failed = () => {
          const full = tx.error?.name === 'QuotaExceededError';
          reject(new Error(`murmur: keeping a conversation in IndexedDB ${name}: ${full ? 'the store is full' : tx.error?.message ?? 'aborted'} (nothing was changed)`));
        };
        tx.oncomplete = resolve;
        tx.onerror = failed;
        tx.onabort = failed;
      });
    },
    close() {
      db?.close();
      db = null;
    },
  };
}

/** Records kept in memory (tests; a page that keeps nothing). */
export function memoryRecords(initial = []) {
  const m = new Map(initial.map(([k, v]) => [k, Uint8Array.from(v)]));
  return {
    async all() { return [...m.entries()]; },
    async write(entries) { for (const [k, v] of entries) m.set(k, Uint8Array.from(v)); },
    entries() { return [...m.entries()]; },
  };
}

/** A store of conversations: open with Conversations.open. */
export class Conversations {
  constructor(core, handle) {
    this.core = core;
    this.handle = handle;
  }

  /**
   * Opens the conversations kept in records (indexedDBRecords or
   * memoryRecords), making the store's keys on first use.
   */
  static async open(core, records) {
    return new Conversations(core, await core.openConversations(records));
  }

  /**
   * The store's contact card for account to sign: {typedData (the JSON
   * for eth_signTypedData_v4), digest, card (encoded, not yet signed)}.
   * provider, mailbox and sealKey (Uint8Array) are where messages reach
   * us; issued and expires are seconds since 1970.
   */
  card({ chainId, account, provider, mailbox, sealKey, issued, expires }) {
    return this.core.conversationCard(this.handle, { chainId: String(chainId), account, provider, mailbox, sealKey, issued, expires });
  }

  /**
   * Signs a card from card() through an EIP-1193 wallet
   * (eth_signTypedData_v4 by account) and returns it, signed and checked.
   */
  async signCard(ethereum, account, unsigned) {
    const signature = await ethereum.request({ method: 'eth_signTypedData_v4', params: [account, unsigned.typedData] });
    return this.core.signCard(unsigned.card, signature);
  }

  /** Starts a conversation from a peer's card (checked for chainId). */
  start(card, chainId) {
    return this.core.startConversation(this.handle, card, String(chainId));
  }

  /** The next message of conversation id, for text (or bytes). */
  seal(id, message) {
    const body = typeof message === 'string' ? new TextEncoder().encode(message) : message;
    return this.core.sealMessage(this.handle, id, body);
  }

  /** Opens a message: {id, peer, plaintext}. */
  open(message) {
    return this.core.openMessage(this.handle, message);
  }

  close() {
    this.core.closeConversations(this.handle);
  }
}
