package client

import (
	"context"
	"fmt"
	"time"

	"github.com/murmurnet/murmur/node/client/envelope"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/sphinx"
)

// Receive returns the next whole message, fetching from the provider until
// one arrives or ctx ends. Replies to this client's SURBs come back with
// IsReply set.
func (c *Client) Receive(ctx context.Context) (*Message, error) {
	for {
		c.mu.Lock()
		if len(c.inbox) > 0 {
			in := c.inbox[0]
			c.inbox = c.inbox[1:]
			c.mu.Unlock()
			if c.disk != nil {
				// Gone from disk before it is handed over: never returned twice.
				if err := c.disk.drop(in.seqs...); err != nil {
					c.cfg.Logger.Warn("inbox: a received message's files stay; it may be received again after a restart", "err", err)
				}
			}
			return in.m, nil
		}
		c.mu.Unlock()
		if c.shaper != nil {
			// The background fetch takes the mail in.
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-c.ctx.Done():
				return nil, ErrClosed
			case <-c.arrived:
			}
			continue
		}
		if err := c.fetch(ctx); err != nil {
			return nil, err
		}
		c.mu.Lock()
		n := len(c.inbox)
		c.mu.Unlock()
		if n > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(c.cfg.PollInterval):
		}
	}
}

// testHookBeforeAck, set by tests, runs when fetch has kept what it took
// and is about to acknowledge it: where a crash test kills the process.
var testHookBeforeAck func()

// fetch takes what is in the mailbox, opens it, and acknowledges it: a
// message is removed from the provider only after it was taken in here.
func (c *Client) fetch(ctx context.Context) error {
	c.mu.Lock()
	reack := c.reack
	c.mu.Unlock()
	if len(reack) > 0 {
		// Entries kept before a restart whose ack may not have reached
		// the provider: acknowledged first, so that they do not come twice.
		// Nothing is fetched until that ack succeeds.
		if err := c.status(ctx, wire.TypeAck, wire.EncodeAck(reack)); err != nil {
			return err
		}
		c.mu.Lock()
		c.reack = nil
		c.mu.Unlock()
	}
	rt, rb, err := c.request(ctx, wire.TypeFetch, wire.EncodeFetch(64))
	if err != nil {
		return err
	}
	if rt == wire.TypeStatus {
		st, _ := wire.DecodeStatus(rb)
		return st.Err()
	}
	msgs, err := wire.DecodeMessages(rb)
	if err != nil {
		return err
	}
	if len(msgs) == 0 {
		return nil
	}
	ids := make([]uint64, 0, len(msgs))
	now := c.cfg.Now()
	c.mu.Lock()
	for _, m := range msgs {
		if c.fetched[m.ID] {
			ids = append(ids, m.ID)
			continue
		}
		var seq uint64
		if c.disk != nil {
			// On disk before the provider hears it may delete it.
			s, err := c.disk.keep(m.Payload, m.ID)
			if err != nil {
				c.mu.Unlock()
				return err
			}
			seq = s
		}
		ids = append(ids, m.ID)
		c.fetched[m.ID] = true
		c.take(m.Payload, seq, now)
	}
	c.mu.Unlock()
	if testHookBeforeAck != nil {
		testHookBeforeAck()
	}
	if err := c.status(ctx, wire.TypeAck, wire.EncodeAck(ids)); err != nil {
		return err
	}
	// Acknowledged entries never come back; only unacknowledged ones need remembering.
	c.mu.Lock()
	for _, id := range ids {
		delete(c.fetched, id)
	}
	c.mu.Unlock()
	return nil
}

// inboxed is a whole message waiting for Receive, and its entry files.
type inboxed struct {
	m    *Message
	seqs []uint64
}

// take opens a mailbox entry (kept on disk as seq, if the inbox is) into
// the inbox once its message is whole; an entry that is of no use leaves
// the disk at once. c.mu must be held.
func (c *Client) take(entry []byte, seq uint64, now time.Time) {
	m, id, err := c.open(entry, now)
	switch {
	case err != nil:
		c.cfg.Logger.Debug("dropping mailbox entry", "err", err)
		c.dropFiles(seq)
	case id == nil && m == nil: // a cover loop back home
		c.dropFiles(seq)
	case id == nil: // a reply through one of our reply blocks
		c.push(m, []uint64{seq})
	default:
		c.parts[*id] = append(c.parts[*id], seq)
		if m != nil {
			seqs := c.parts[*id]
			delete(c.parts, *id)
			c.push(m, seqs)
		}
	}
}

func (c *Client) push(m *Message, seqs []uint64) {
	if c.disk == nil {
		seqs = nil
	}
	c.inbox = append(c.inbox, inboxed{m: m, seqs: seqs})
	select {
	case c.arrived <- struct{}{}:
	default:
	}
}

func (c *Client) dropFiles(seqs ...uint64) {
	if c.disk == nil {
		return
	}
	if err := c.disk.drop(seqs...); err != nil {
		c.cfg.Logger.Warn("inbox", "err", err)
	}
}

// open turns a mailbox entry into a message, or nil while its message is
// incomplete; id is the message's fragment id (nil for a reply through a
// reply block, and for a cover loop, which returns no message either).
func (c *Client) open(entry []byte, now time.Time) (m *Message, id *[16]byte, err error) {
	if len(entry) < 1 {
		return nil, nil, ErrBadFragment
	}
	switch entry[0] {
	case wire.EntryDeliver:
		f, err := envelope.Open(c.cfg.Key, entry[1:])
		if err != nil {
			return nil, nil, err
		}
		if f.Flags&envelope.FlagLoop != 0 {
			c.loopReturned(f, now)
			return nil, nil, nil
		}
		m, err := c.reasm.Add(f, now)
		return m, &f.ID, err
	case wire.EntrySURBReply:
		if len(entry) < 1+16 {
			return nil, nil, ErrBadFragment
		}
		var id sphinx.SURBID
		copy(id[:], entry[1:17])
		keys, ok := c.surbs[id]
		if !ok {
			return nil, nil, fmt.Errorf("client: reply to an unknown reply block")
		}
		delete(c.surbs, id) // single use
		body, err := keys.Decrypt(entry[17:])
		if err != nil {
			return nil, nil, err
		}
		if ch, ok := c.lookups[id]; ok {
			// The answer to a card lookup, for LookupCard, not the inbox.
			delete(c.lookups, id)
			select {
			case ch <- body:
			default:
			}
			return nil, nil, nil
		}
		return &Message{Body: body, IsReply: true, Received: now}, nil, nil
	}
	return nil, nil, fmt.Errorf("client: unknown mailbox entry kind %d", entry[0])
}
