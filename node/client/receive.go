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
			m := c.inbox[0]
			c.inbox = c.inbox[1:]
			c.mu.Unlock()
			return m, nil
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

// fetch takes what is in the mailbox, opens it, and acknowledges it: a
// message is removed from the provider only after it was taken in here.
func (c *Client) fetch(ctx context.Context) error {
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
		ids = append(ids, m.ID)
		if c.fetched[m.ID] {
			continue
		}
		c.fetched[m.ID] = true
		if msg, err := c.open(m.Payload, now); err != nil {
			c.cfg.Logger.Debug("dropping mailbox entry", "id", m.ID, "err", err)
		} else if msg != nil {
			c.inbox = append(c.inbox, msg)
			select {
			case c.arrived <- struct{}{}:
			default:
			}
		}
	}
	c.mu.Unlock()
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

// open turns a mailbox entry into a message, or nil while its message is incomplete.
func (c *Client) open(entry []byte, now time.Time) (*Message, error) {
	if len(entry) < 1 {
		return nil, ErrBadFragment
	}
	switch entry[0] {
	case wire.EntryDeliver:
		f, err := envelope.Open(c.cfg.Key, entry[1:])
		if err != nil {
			return nil, err
		}
		if f.Flags&envelope.FlagLoop != 0 {
			c.loopReturned(f, now)
			return nil, nil
		}
		return c.reasm.Add(f, now)
	case wire.EntrySURBReply:
		if len(entry) < 1+16 {
			return nil, ErrBadFragment
		}
		var id sphinx.SURBID
		copy(id[:], entry[1:17])
		keys, ok := c.surbs[id]
		if !ok {
			return nil, fmt.Errorf("client: reply to an unknown reply block")
		}
		delete(c.surbs, id) // single use
		body, err := keys.Decrypt(entry[17:])
		if err != nil {
			return nil, err
		}
		return &Message{Body: body, IsReply: true, Received: now}, nil
	}
	return nil, fmt.Errorf("client: unknown mailbox entry kind %d", entry[0])
}
