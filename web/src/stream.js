// One request and its answer on a libp2p stream, as Murmur's fetch-style
// protocols (/murmur/pki/1, /murmur/tickets/2) speak them: the client
// writes its request and closes its side; the answer is everything the
// other side sends until it closes, held to a size and a time.

/**
 * requestOnce sends req on stream and returns the answer's bytes. A
 * failure throws what fail(kind, detail) returns, kind being 'write' (the
 * request could not be sent), 'timeout' (no end within timeoutMs) or
 * 'tooLong' (more than limit bytes: the rest is not kept).
 * @param {object} stream a js-libp2p stream
 * @param {Uint8Array} req
 * @param {{limit: number, timeoutMs: number, fail: (kind: string, detail?: string) => Error}} options
 * @returns {Promise<Uint8Array>}
 */
export async function requestOnce(stream, req, { limit, timeoutMs, fail }) {
  const chunks = [];
  let size = 0;
  const ended = new Promise((resolve) => {
    stream.addEventListener('remoteCloseWrite', resolve);
    stream.addEventListener('close', resolve);
  });
  stream.addEventListener('message', (e) => {
    const c = e.data.subarray ? e.data.subarray() : e.data;
    size += c.length;
    if (size <= limit) chunks.push(c);
  });
  try {
    if (!stream.send(req)) await stream.onDrain();
    await stream.close();
  } catch (e) {
    throw fail('write', e.message);
  }
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(fail('timeout')), timeoutMs);
  });
  try {
    await Promise.race([ended, late]);
  } finally {
    clearTimeout(timer);
  }
  if (size > limit) throw fail('tooLong');
  return concat(chunks);
}

/** concat joins byte chunks into one array. */
export function concat(chunks) {
  const b = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    b.set(c, off);
    off += c.length;
  }
  return b;
}
