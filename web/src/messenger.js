// Conversations by Ethereum account in the page, as the Go client's
// messenger (node/client/messenger) has them: a peer's card is looked up
// through the mixnet, and every message is sealed by its conversation's
// ratchet and delivered exactly once, in order (Delivery, the core's
// messaging/delivery). This drives Delivery over a Session: what is due
// goes out with a reply block (in the cover stream's payload slots), the
// acknowledgement comes back through it, and a message not acknowledged
// in time goes out again.
import { Delivery } from './conversations.js';

export class Messenger {
  /**
   * @param {object} core loadCore's functions
   * @param {object} session a Session, registered at its provider
   * @param {object} net core.openNetwork's handle
   * @param {{conversations: object, records: object, card: Uint8Array, chainId: string|number}} options
   *   the Conversations the card (ours, signed) was made from, and where the
   *   delivery state is kept (indexedDBRecords or memoryRecords)
   */
  static async open(core, session, net, { conversations, records, card, chainId }) {
    const d = await Delivery.open(core, records, conversations, card, chainId);
    return new Messenger(core, session, net, d, String(chainId));
  }

  constructor(core, session, net, delivery, chainId) {
    this.core = core;
    this.session = session;
    this.net = net;
    this.delivery = delivery;
    this.chainId = chainId;
    this.other = []; // plain messages, not conversations'
    this.timer = null;
    this.flushing = null;
    this.closed = false;
  }

  /**
   * Queues text (or bytes) for the owner of account, finding its card
   * first if there is no conversation with it yet: {account, seq}, whose
   * status() says when it is delivered.
   */
  async send(account, message) {
    if (!(await this.delivery.hasPeer(account))) {
      const c = await this.session.lookupCard(this.net, account, this.chainId);
      await this.delivery.start(c.card);
    }
    const seq = await this.delivery.queue(account, message);
    this.flushSoon(0);
    return { account, seq };
  }

  /** (Promise) "sent", "delivered" or "failed". */
  status({ account, seq }) {
    return this.delivery.status(account, seq);
  }

  // flushSoon sends what is due in ms, then arms the next timeout.
  flushSoon(ms) {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.flushing = this.flush().catch(() => {}).finally(() => {
        this.flushing = null;
        this.arm();
      });
    }, ms);
  }

  // arm sets the timer for the next message due.
  async arm() {
    const at = await this.delivery.nextDue();
    if (at !== null) this.flushSoon(Math.max(0, at - Date.now()));
  }

  // flush sends each message due to its recipient's address, with a reply
  // block for the acknowledgement; one not sent goes out at its next
  // timeout.
  async flush() {
    for (const o of await this.delivery.due()) {
      try {
        await this.session.sendTo(this.net, this.core.formatAddress(o.provider, o.mailbox, o.key), o.ciphertext);
      } catch {
        // Sent again at its next timeout: the state says it went.
      }
    }
  }

  /**
   * Fetches the mailbox once and takes what came: conversations' messages
   * and acknowledgements (answered through their reply blocks), and the
   * rest, kept for others(). Returns the messages released in order,
   * [{from, body}], each once.
   */
  async poll() {
    for (const r of await this.session.receive()) {
      let h;
      try {
        h = await this.delivery.receive(r.body);
      } catch {
        continue; // refused and counted (stats()): the peer sends it again
      }
      if (!h.conversation) {
        this.other.push(r);
        continue;
      }
      if (h.ack) {
        try {
          if (r.replySURB) await this.session.reply(r.replySURB, h.ack);
          else await this.session.sendTo(this.net, this.core.formatAddress(h.provider, h.mailbox, h.key), h.ack);
        } catch {
          // The peer sends the message again, and we acknowledge then.
        }
      }
    }
    await this.arm(); // an acknowledgement may have settled what was due
    const out = [];
    for (let m = await this.delivery.take(); m; m = await this.delivery.take()) out.push(m);
    return out;
  }

  /** What arrived that was no conversation's (receive()'s items). */
  others() {
    return this.other.splice(0);
  }

  /** (Promise) the counts of messages.delivery's Stats. */
  stats() {
    return this.delivery.stats();
  }

  async close() {
    this.closed = true;
    clearTimeout(this.timer);
    await this.flushing;
    this.delivery.close();
  }
}
