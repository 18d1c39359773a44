// What browsers (and Node.js 22) have, js-libp2p uses, and Node.js 20
// lacks: a global WebSocket and Promise.withResolvers. Import it before
// anything that loads js-libp2p.
import { WebSocket as NodeWebSocket } from 'ws';

// QueuingWebSocket keeps the messages that arrive before anyone listens.
// A browser dispatches each message as its own task, so a listener added
// just after 'open' sees them all; ws emits a frame that came in the same
// read as the upgrade response on the next tick, before the promise that
// js-libp2p awaits for 'open' lets it add its listener, and the frame is
// lost. The first frame is the relay's multistream header, so losing it
// fails the dial with "could not negotiate /noise" whenever the machine
// is loaded enough for the two to share a read.
class QueuingWebSocket extends NodeWebSocket {
  #early = [];
  #listening = false;

  constructor(...args) {
    super(...args);
    super.addEventListener('message', (ev) => {
      if (!this.#listening) this.#early.push(ev);
    });
  }

  addEventListener(type, listener, options) {
    super.addEventListener(type, listener, options);
    if (type !== 'message' || this.#listening) return;
    this.#listening = true;
    const early = this.#early;
    this.#early = [];
    for (const ev of early) {
      if (typeof listener === 'function') listener.call(this, ev);
      else listener.handleEvent(ev);
    }
  }
}

globalThis.WebSocket ??= QueuingWebSocket;
Promise.withResolvers ??= function withResolvers() {
  let resolve, reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
};
