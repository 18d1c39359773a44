// Does a WebSocket keep a frame that arrives with the upgrade response?
// For each WebSocket (ws as it is, and the one node-globals.mjs installs),
// it connects to the URL given, waits for 'open' the way js-libp2p does,
// only then listens for messages, and prints how many it got.
//
//   node early-frame.mjs ws://127.0.0.1:port/
import { WebSocket as Plain } from 'ws';
import './node-globals.mjs';

async function framesSeen(WS, url) {
  const ws = new WS(url);
  ws.binaryType = 'arraybuffer';
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', reject, { once: true });
  });
  let n = 0;
  ws.addEventListener('message', () => { n++; });
  await new Promise((r) => setTimeout(r, 300));
  ws.terminate(); // the test server does not answer a close
  return n;
}

const url = process.argv[2];
console.log(JSON.stringify({
  plain: await framesSeen(Plain, url),
  queuing: await framesSeen(globalThis.WebSocket, url),
}));
