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
 * key), for Conversations.open and Delivery.open: write(entries) keeps
 * them all in one transaction, an entry whose value is null deleted.
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
      for (const [k, v] of entries) {
        if (v === null) tx.objectStore(STORE).delete(k);
        else tx.objectStore(STORE).put(v, k);
      }
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
    async write(entries) {
      for (const [k, v] of entries) {
        if (v === null) m.delete(k);
        else m.set(k, Uint8Array.from(v));
      }
    },
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
   * (Promise) the store's contact card for account to sign: {typedData (the JSON
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

/**
 * Exactly-once, in-order delivery of conversation messages between
 * accounts (messaging/delivery in the core, the Go messenger's): messages
 * are numbered, acknowledged and sent again until acknowledged; the first
 * ones carry our card. It does no I/O: the page sends what due() gives
 * (each with a reply block), hands what arrives to handle(), and sends
 * back the acknowledgement handle() makes through the message's reply
 * block.
 */
export class Delivery {
  constructor(core, handle) {
    this.core = core;
    this.handle = handle;
  }

  /**
   * Opens the delivery state kept in records, over conversations
   * (Conversations.open), as the owner of card (our signed card, made by
   * conversations.card) on chain chainId.
   */
  static async open(core, records, conversations, card, chainId) {
    return new Delivery(core, await core.openDelivery(records, conversations.handle, card, String(chainId)));
  }

  /** Starts a conversation with the owner of a (verified) card, unless one exists. */
  start(card) { return this.core.deliveryStart(this.handle, card); }

  /** (Promise) whether a conversation to send on with account exists. */
  hasPeer(account) { return this.core.deliveryHasPeer(this.handle, account); }

  /** Queues text (or bytes) for account: its sequence number. */
  queue(account, message) {
    const body = typeof message === 'string' ? new TextEncoder().encode(message) : message;
    return this.core.deliveryQueue(this.handle, account, body);
  }

  /** The messages due now: [{provider, mailbox, key, ciphertext}]. */
  due() { return this.core.deliveryDue(this.handle); }

  /** (Promise) when (ms since 1970) a message is next due, or null. */
  nextDue() { return this.core.deliveryNextDue(this.handle); }

  /** Takes a message that arrived: {conversation, released, ack, …}. */
  receive(body) { return this.core.deliveryHandle(this.handle, body); }

  /** The next message released, once: {from, body} or null. */
  take() { return this.core.deliveryTake(this.handle); }

  /** (Promise) "unknown", "sent", "delivered" or "failed". */
  status(account, seq) { return this.core.deliveryStatus(this.handle, account, seq); }

  stats() { return this.core.deliveryStats(this.handle); }

  close() { this.core.closeDelivery(this.handle); }
}
