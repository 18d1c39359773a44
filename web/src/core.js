// The core of Murmur's browser client: murmur.wasm, the Go code that must
// match the Go client byte for byte (Sphinx packets and reply blocks,
// end-to-end sealing and fragments, frames, Vault cheques), compiled to
// WebAssembly (web/wasm). This module loads it and wraps its functions so
// that a failure throws an Error.
//
// Load wasm_exec.js from the Go release that built murmur.wasm first: it
// defines globalThis.Go.

/**
 * Loads the core.
 * @param {BufferSource|string|URL} source murmur.wasm's bytes, or its URL
 * @returns {Promise<object>} the core's functions (see web/README.md)
 */
export async function loadCore(source) {
  if (typeof globalThis.Go !== 'function') {
    throw new Error('murmur: load wasm_exec.js (from the Go release that built murmur.wasm) before the core');
  }
  if (globalThis.murmurCore) {
    return wrap(globalThis.murmurCore);
  }
  const go = new globalThis.Go();
  const ready = new Promise((resolve) => { globalThis.murmurCoreReady = resolve; });
  let instance;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    ({ instance } = await WebAssembly.instantiate(source, go.importObject));
  } else {
    const res = await fetch(source);
    if (!res.ok) {
      throw new Error(`murmur: fetching the core from ${source}: HTTP ${res.status}`);
    }
    if (WebAssembly.instantiateStreaming && res.headers.get('content-type') === 'application/wasm') {
      // Compiled while it downloads.
      ({ instance } = await WebAssembly.instantiateStreaming(res, go.importObject));
    } else {
      ({ instance } = await WebAssembly.instantiate(await res.arrayBuffer(), go.importObject));
    }
  }
  go.run(instance); // runs as long as the page: the core's functions live in it
  await ready;
  return wrap(globalThis.murmurCore);
}

// wrap turns the core's {error} answers into exceptions.
function wrap(core) {
  const out = {};
  for (const [name, v] of Object.entries(core)) {
    if (typeof v !== 'function') {
      out[name] = v;
      continue;
    }
    out[name] = (...args) => {
      const r = v(...args);
      if (r !== null && typeof r === 'object' && typeof r.error === 'string' && Object.keys(r).length === 1) {
        throw new Error(r.error);
      }
      return r;
    };
  }
  return out;
}
