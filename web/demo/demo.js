// The demo page: reads config.json (the chain's JSON-RPC URL, the network
// file, the provider to dial, and the Murmur address to write to; written
// by whoever serves the page: `murmur devnet --web`), reads the
// topology from the registry, sends one message with a reply block through
// five hops and shows the answer. It leaves its outcome in
// window.murmurResult for tests.
import {
  loadCore, Session, openIdentity, fromHex, toHex, TicketWallet, eip1193Signer, localSigner, issuerKeys, buyTickets, resumePurchase, checkPublished, SpendCode, newPacket,
  Conversations, indexedDBRecords, Messenger,
} from '../src/index.js';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';

const log = (s) => { document.getElementById('log').textContent += s + '\n'; };

async function main() {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  const res = await fetch('config.json');
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  const config = await res.json();
  const core = await loadCore('murmur.wasm');
  log(`core loaded (${ms()} ms)`);
  const identity = await openIdentity(core, config.store ?? 'murmur');
  const peerId = peerIdFromPrivateKey(identity.privateKey).toString();
  log(`${identity.fresh ? 'a new identity, kept in IndexedDB' : 'our identity, from IndexedDB'}: ${peerId}`);
  if (config.identityOnly) {
    return { peerId, x25519: toHex(identity.x25519.public), fresh: identity.fresh };
  }
  const net = await core.openNetwork(config.rpc, JSON.stringify(config.network), config.layers);
  log(`network of chain ${config.network.chain_id} read from ${config.rpc} (${ms()} ms)`);
  const session = await Session.open(core, config.provider, identity);
  log(`registered at ${config.provider} (${ms()} ms); our address: ${session.address()}`);
  let bought;
  if (config.buy) {
    bought = await buyAndSpend(core, session, net, config, log);
    log(`bought ${bought.tickets} tickets, spent them for ${bought.credited} packets (${ms()} ms)`);
  }
  if (config.cover) {
    await session.startCover(net);
    const r = session.cover.rates;
    log(`cover traffic at the provider's rates: λP ${r.lambdaP}/s, λL ${r.lambdaL}/s, λD ${r.lambdaD}/s, mean delay ${r.muMs} ms a hop`);
  }
  await session.sendTo(net, config.to, config.message);
  const sentMs = performance.now() - t0;
  log(`sent "${config.message}" to ${config.to} (${Math.round(sentMs)} ms)`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    for (const r of await session.receive()) {
      if (r.kind === 'reply') {
        const reply = new TextDecoder().decode(r.body);
        log(`answer: "${reply}" (${ms()} ms)`);
        const replyMs = performance.now() - t0;
        const cards = config.cards && config.buy ? await publishAndLookUp(core, net, session, config, log, ms) : null;
        const traffic = session.traffic();
        if (traffic) log(`on our link: ${traffic.real} real, ${traffic.drops} drops, ${traffic.loops} loops (${traffic.loopsReturned} back)`);
        session.stopCover();
        const newPacketMicros = await packetSpeed(core, net, session, config);
        await session.close();
        return { reply, sentMs, replyMs, newPacketMicros, traffic, cards, ...(bought ?? {}) };
      }
    }
    if (Date.now() > deadline) throw new Error('no answer within a minute');
    await new Promise((r) => setTimeout(r, 100));
  }
}

// publishAndLookUp makes the page's contact card (its keys kept in
// IndexedDB), has the account of config.buy sign it (the stand-in wallet
// with the devnet's test key, as for cheques), publishes it at our
// provider, and looks up through the mixnet the echo client's card by its
// account, then our own (which our provider has passed on to the others).
async function publishAndLookUp(core, net, session, config, log, ms) {
  const chainId = config.cards.chainId;
  const account = config.buy.payer;
  const conv = await Conversations.open(core, indexedDBRecords(`${config.store ?? 'murmur'}-conversations`));
  try {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = await conv.card({
      chainId, account, provider: fromHex(session.ownNodeKey), mailbox: session.mailbox, sealKey: session.key.public,
      issued: now - 60, expires: now + 7 * 24 * 3600,
    });
    const ethereum = config.buy.testKey ? { request: async () => core.signCardLocal(unsigned.card, config.buy.testKey) } : window.ethereum;
    const card = await conv.signCard(ethereum, account, unsigned);
    await session.publishCard(card);
    log(`published our contact card for ${account} at our provider (${ms()} ms)`);
    const t = performance.now();
    const echo = await session.lookupCard(net, config.cards.echo, chainId);
    const echoLookupMs = performance.now() - t;
    log(`looked up ${echo.account}'s card through the mixnet in ${Math.round(echoLookupMs)} ms: its mailbox ${toHex(echo.mailbox).slice(0, 16)}…`);
    // Our card reaches the other providers a moment after ours took it:
    // a provider asked before then has none yet.
    let own;
    for (let i = 0; ; i++) {
      try {
        own = await session.lookupCard(net, account, chainId);
        break;
      } catch (e) {
        if (i >= 4 || !/no card/.test(e.message)) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    log(`looked up our own card through the mixnet (${ms()} ms)`);
    const lookups = session.lookupsSent;
    const conversation = await converse(core, net, session, conv, card, config, echo.account, log);
    return {
      echo: echo.account, echoMailbox: toHex(echo.mailbox), echoLookupMs,
      own: own.account, ownMailbox: toHex(own.mailbox), mailbox: toHex(session.mailbox), lookups, conversation,
    };
  } finally {
    conv.close();
  }
}

// converse writes to the echo client by its account, in a conversation
// with forward secrecy delivered exactly once (Messenger, the Go
// messenger's formats), and waits for its answer, which comes the same
// way.
async function converse(core, net, session, conv, card, config, account, log) {
  const m = await Messenger.open(core, session, net, {
    conversations: conv, records: indexedDBRecords(`${config.store ?? 'murmur'}-delivery`), card, chainId: config.cards.chainId,
  });
  try {
    const text = 'hello by account';
    const t = performance.now();
    const id = await m.send(account, text);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const got = await m.poll();
      const answer = got.find((x) => x.from === account);
      if (answer) {
        const ms = performance.now() - t;
        const body = new TextDecoder().decode(answer.body);
        const status = await m.status(id);
        log(`${account} answered "${body}" in our conversation (${Math.round(ms)} ms); ours is ${status}`);
        return { sent: text, answer: body, ms, status, stats: await m.stats() };
      }
      if (Date.now() > deadline) throw new Error(`no answer from ${account} within a minute (ours is ${await m.status(id)})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await m.close();
  }
}

// buyAndSpend buys tickets from the network's first issuer the page can
// reach (read from the topology and the issuers' descriptors), paying with a
// cheque signed by the page's Ethereum wallet (window.ethereum; with
// config.buy.testKey, a stand-in that signs with that key),
// keeps them in IndexedDB, and spends them at our provider for prepaid
// packets. A purchase left unfinished by an earlier load is finished first.
async function buyAndSpend(core, session, net, config, log) {
  const b = { ...config.buy };
  const found = await session.issuers(net);
  if (found.length === 0) throw new Error('the network has no ticket issuer the page can reach over WebSockets');
  b.issuer = found[0].addr;
  b.payee = found[0].operator;
  log(`issuer ${b.payee} at ${b.issuer}, selling tickets of ${found[0].packets} packets for ${found[0].priceWei} wei`);
  const wallet = await TicketWallet.open(`${config.store ?? 'murmur'}-wallet`);
  try {
    for (const { id, purchase } of await wallet.pending()) {
      await resumePurchase(session.node, purchase, wallet, id);
      log('finished a purchase an earlier visit had paid for');
    }
    const cat = await issuerKeys(session.node, b.issuer);
    if (cat.issuer.toLowerCase() !== b.payee.toLowerCase()) throw new Error(`the issuer answers as ${cat.issuer}, the network says ${b.payee}`);
    const key = cat.keys[cat.keys.length - 1];
    if (key.chainId !== BigInt(config.network.chain_id)) throw new Error(`the issuer's key is for chain ${key.chainId}`);
    await checkPublished(core, net, cat.issuer, key);
    log(`the issuer's key of epoch ${key.epoch} is the one it published on-chain`);
    const dom = { chainId: config.network.chain_id, vault: b.vault };
    // The payer is the account config.buy names: with a test key (a
    // devnet's throwaway account), a stand-in wallet signs with it, as a
    // browser wallet would for its own account.
    let ethereum = window.ethereum;
    if (b.testKey) {
      log("a stand-in for the browser's wallet signs with the devnet's test key");
      const sign = localSigner(core, dom, b.testKey);
      ethereum = { request: async ({ params }) => {
        const m = JSON.parse(params[1]).message;
        return '0x' + toHex(await sign({ payer: m.payer, payee: m.payee, cumulative: BigInt(m.cumulativeAmount) }));
      } };
    }
    const signer = eip1193Signer(ethereum, core, dom);
    const tickets = await buyTickets(session.node, b.issuer, key, b.tickets,
      (total) => wallet.nextCheque({ vault: b.vault, payer: b.payer, payee: b.payee, total }, signer), wallet);
    log(`bought ${tickets.length} tickets of ${key.packets} packets from ${cat.issuer}`);
    let credited = 0n;
    await wallet.spend(tickets.length, async (k, ts) => {
      const r = await session.provider.spend(k.publicKey, ts);
      credited += r.credited;
      return r.refused.filter((x) => x.code === SpendCode.Unavailable || x.code === SpendCode.UnknownKey).map((x) => ts[x.index]);
    });
    return { tickets: tickets.length, credited: Number(credited), ticketPackets: Number(key.packets) };
  } finally {
    wallet.close();
  }
}

// packetSpeed times packet creation here: a five-hop route of the network.
async function packetSpeed(core, net, session, config) {
  const to = core.parseAddress(config.to);
  const epoch = core.epochNow(net);
  const r = await core.route(net, epoch, session.ownNodeKey, to.provider);
  const hops = [r.own, ...r.mixes, r.to].map((h) => ({ id: fromHex(h.id), key: fromHex(h.key) }));
  const route = hops.map((h, i) => (i + 1 < hops.length
    ? { ...h, relay: { next: hops[i + 1].id, delay: 0 } }
    : { ...h, deliver: { mailbox: fromHex(to.mailbox) } }));
  const payload = new Uint8Array(core.payloadSize);
  const n = 100;
  const p0 = performance.now();
  for (let i = 0; i < n; i++) await newPacket(core, route, payload);
  return ((performance.now() - p0) * 1000) / n;
}

main().then(
  (r) => { window.murmurResult = r; },
  (e) => { log(`error: ${e.message}`); window.murmurResult = { error: e.message }; },
);
