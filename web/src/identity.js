// A client's identity, kept in the browser's IndexedDB: its libp2p key
// (its peer ID, and so its mailbox at its provider) and the X25519 key the
// messages to it are sealed for. Losing either loses the messages written
// to the old address, so a store that cannot be read is an error, never
// silently replaced.
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';

const DB_VERSION = 1;
const STORE = 'identity';
const KEY = 'self';

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function openDB(name) {
  if (typeof indexedDB === 'undefined') {
    return Promise.reject(new Error('murmur: this page has no IndexedDB to keep an identity in'));
  }
  const r = indexedDB.open(name, DB_VERSION);
  r.onupgradeneeded = () => r.result.createObjectStore(STORE);
  return request(r).catch((e) => { throw new Error(`murmur: opening IndexedDB ${name}: ${e?.message ?? e}`); });
}

/**
 * Loads the identity kept under name, or makes and keeps a new one.
 * @param {object} core loadCore's result
 * @returns {Promise<{privateKey: object, x25519: {private: Uint8Array, public: Uint8Array}, fresh: boolean}>}
 */
export async function openIdentity(core, name = 'murmur') {
  const db = await openDB(name);
  try {
    const tx = db.transaction(STORE, 'readonly');
    const kept = await request(tx.objectStore(STORE).get(KEY));
    if (kept !== undefined) {
      return { ...decode(core, kept, name), fresh: false };
    }
    const privateKey = await generateKeyPair('Ed25519');
    const x25519 = core.keyPair();
    const w = db.transaction(STORE, 'readwrite');
    w.objectStore(STORE).put({ libp2p: privateKeyToProtobuf(privateKey), x25519: x25519.private }, KEY);
    await new Promise((resolve, reject) => {
      w.oncomplete = resolve;
      w.onerror = () => reject(new Error(`murmur: keeping the identity in IndexedDB ${name}: ${w.error?.message}`));
      w.onabort = () => reject(new Error(`murmur: keeping the identity in IndexedDB ${name}: ${w.error?.message ?? 'aborted (storage full?)'}`));
    });
    return { privateKey, x25519, fresh: true };
  } finally {
    db.close();
  }
}

function decode(core, kept, name) {
  const bad = (why) => new Error(`murmur: the identity in IndexedDB ${name} is corrupt (${why}); it is left as it is: resetIdentity() starts a new one, at a new address`);
  if (!kept || !(kept.libp2p instanceof Uint8Array) || !(kept.x25519 instanceof Uint8Array) || kept.x25519.length !== 32) {
    throw bad('not the record this client writes');
  }
  let privateKey;
  try {
    privateKey = privateKeyFromProtobuf(kept.libp2p);
  } catch (e) {
    throw bad(`its libp2p key: ${e.message}`);
  }
  if (privateKey.type !== 'Ed25519') throw bad(`a ${privateKey.type} libp2p key`);
  let x25519;
  try {
    x25519 = { private: kept.x25519, public: core.x25519Public(kept.x25519) };
  } catch (e) {
    throw bad(`its X25519 key: ${e.message}`);
  }
  return { privateKey, x25519 };
}

/** Forgets the identity kept under name: the next openIdentity makes a new one. */
export async function resetIdentity(name = 'murmur') {
  const db = await openDB(name);
  try {
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(KEY);
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
  } finally {
    db.close();
  }
}
