package client

import (
	"context"
	"crypto/ecdh"
	crand "crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/murmurnet/murmur/node/client/envelope"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/sphinx"
)

// SendOptions shape a Send.
type SendOptions struct {
	// WithReply attaches a single-use reply block so the recipient can answer
	// without learning this client's provider.
	WithReply bool
}

// Send seals payload for to, splits it into packets, and sends each through
// a fresh route: own provider → one mix per layer → to's provider.
//
// With cover traffic on, the packets wait for their slots in the payload
// stream, and Send returns once the provider has taken the last of them.
func (c *Client) Send(ctx context.Context, to Address, payload []byte, opts SendOptions) error {
	if c.ctx.Err() != nil {
		return ErrClosed
	}
	t, e, err := c.currentView(ctx)
	if err != nil {
		return err
	}
	own, ok1 := c.dir.SphinxKey(e, c.cfg.Provider.NodeKey)
	dest, ok2 := c.dir.SphinxKey(e, to.Provider)
	if !ok1 || !ok2 {
		return fmt.Errorf("client: no descriptor for the sender's or the recipient's provider in epoch %d", e)
	}
	recipient, err := ecdh.X25519().NewPublicKey(to.Key[:])
	if err != nil {
		return fmt.Errorf("client: recipient key: %w", err)
	}
	var surb []byte
	if opts.WithReply {
		if surb, _, err = c.newSURB(t, e, own); err != nil {
			return err
		}
	}
	frags, err := envelope.Split(crand.Reader, recipient, c.cfg.Geometry.PayloadSize, payload, surb)
	if err != nil {
		return err
	}
	bodies := make([][]byte, 0, len(frags))
	for _, frag := range frags {
		mixes, err := c.pickMixes(t, e)
		if err != nil {
			return err
		}
		path := c.mixPath(own, mixes)
		path[len(path)-1].Command = sphinx.Relay{Next: to.Provider, Delay: c.delay()}
		path = append(path, sphinx.Hop{ID: to.Provider, PublicKey: dest, Command: sphinx.Deliver{Mailbox: to.Mailbox}})
		pkt, err := sphinx.NewPacket(crand.Reader, c.cfg.Geometry, path, frag)
		if err != nil {
			return err
		}
		bodies = append(bodies, frameOf(e, pkt))
	}
	outs, err := c.enqueue(ctx, wire.TypeSend, bodies)
	if err != nil {
		return err
	}
	return c.await(ctx, outs)
}

// currentView returns the topology to route on now and the epoch whose keys
// to wrap for.
func (c *Client) currentView(ctx context.Context) (*pki.Topology, uint64, error) {
	e := c.cfg.Epochs.At(c.cfg.Now())
	t, err := c.view(ctx, e)
	if errors.Is(err, pki.ErrEpochNotFinal) && e > 0 {
		// Just after a boundary the chain may not have a block of the new
		// epoch yet: route on the previous topology (the relays change only
		// with the registry), still wrapping for the new epoch's keys, which
		// the previous descriptors carry.
		t, err = c.view(ctx, e-1)
	}
	return t, e, err
}

func frameOf(e uint64, pkt []byte) []byte {
	f := make([]byte, wire.EpochSize+len(pkt))
	wire.PutFrameEpoch(f, e)
	copy(f[wire.EpochSize:], pkt)
	return f
}

// newSURB builds a reply block through one mix per layer to this client's
// mailbox at its provider, and keeps its keys; id names it.
func (c *Client) newSURB(t *pki.Topology, e uint64, own sphinx.PublicKey) (_ []byte, id sphinx.SURBID, err error) {
	mixes, err := c.pickMixes(t, e)
	if err != nil {
		return nil, id, err
	}
	if _, err := crand.Read(id[:]); err != nil {
		return nil, id, err
	}
	path := make([]sphinx.Hop, 0, len(mixes)+1)
	for i, m := range mixes {
		next := c.cfg.Provider.NodeKey
		if i+1 < len(mixes) {
			next = mixes[i+1].id
		}
		path = append(path, sphinx.Hop{ID: m.id, PublicKey: m.key, Command: sphinx.Relay{Next: next, Delay: c.delay()}})
	}
	path = append(path, sphinx.Hop{ID: c.cfg.Provider.NodeKey, PublicKey: own, Command: sphinx.SURBReply{Mailbox: c.mailbox, ID: id}})
	s, keys, err := sphinx.NewSURB(crand.Reader, c.cfg.Geometry, path)
	if err != nil {
		return nil, id, err
	}
	b, err := s.MarshalBinary()
	if err != nil {
		return nil, id, err
	}
	c.mu.Lock()
	c.surbs[keys.ID()] = keys
	c.mu.Unlock()
	// The epoch travels with the SURB: its header is wrapped for that epoch's keys.
	return binary.BigEndian.AppendUint64(b, e), id, nil
}

// Reply answers m through the reply block it carried. The answer must fit in
// one packet's payload.
func (c *Client) Reply(ctx context.Context, m *Message, payload []byte) error {
	if len(m.ReplySURB) < 8 {
		return errors.New("client: the message carries no reply block")
	}
	b := m.ReplySURB
	e := binary.BigEndian.Uint64(b[len(b)-8:])
	var s sphinx.SURB
	if err := s.UnmarshalBinary(b[:len(b)-8]); err != nil {
		return fmt.Errorf("client: reply block: %w", err)
	}
	first, pkt, err := sphinx.NewPacketFromSURB(&s, payload)
	if err != nil {
		return fmt.Errorf("client: reply: %w", err)
	}
	body := append(append([]byte{}, first[:]...), frameOf(e, pkt)...)
	return c.submit(ctx, wire.TypeForward, body)
}
