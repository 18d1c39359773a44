// Hex for the page's byte strings: what the core, wallets and the chain
// hand over as "0x…" strings.

/** fromHex decodes hex, with or without 0x, and throws on anything else. */
export function fromHex(s) {
  const h = String(s).replace(/^0x/, '');
  if (h.length % 2 || /[^0-9a-fA-F]/.test(h)) throw new Error(`murmur: ${s} is not hex`);
  return Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
}

/** toHex encodes bytes as lowercase hex, without 0x. */
export function toHex(b) {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
