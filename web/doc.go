// Package web is Murmur's browser client: the Go core compiled to
// WebAssembly (web/wasm, everything whose bytes must match the Go client:
// Sphinx packets and reply blocks, end-to-end sealing, frames, cheques)
// and the JavaScript around it (web/src). This Go package holds only the
// tests that run the WebAssembly core under Node.js against the Go side.
package web
