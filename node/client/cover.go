package client

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/murmurnet/murmur/node/client/envelope"
	"github.com/murmurnet/murmur/node/cover"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/sphinx"
)

// ErrClosed is returned by calls on a closed client, and by a Send whose
// packets were still queued when the client closed.
var ErrClosed = errors.New("client: closed")

// ErrSendQueueFull is returned by Send when the client has more real packets
// queued than it can send in the next while at its payload rate λP.
var ErrSendQueueFull = errors.New("client: send queue full: sending faster than the payload rate allows")

// coverSlack is how late a cover event may be sent. After the process was
// suspended for longer, the missed loops and drops are skipped rather than
// sent in a burst that would mark the moment it woke up; real packets are
// always sent.
const coverSlack = 2 * time.Second

// maxInbox bounds the messages fetched but not yet taken by Receive; the
// background fetch pauses beyond it and the rest stays at the provider.
const maxInbox = 4096

// outgoing is a real packet waiting for its payload slot.
type outgoing struct {
	typ  wire.Type
	body []byte
	done chan error // buffered; receives the provider's answer
}

// TrafficStats counts what a client put on its link to the provider.
type TrafficStats struct {
	Real, Drops, Loops uint64 // packets sent, by kind
	LoopsReturned      uint64 // loops that came back to the mailbox
	CoverFailed        uint64 // cover packets that could not be built or sent
	Bytes              uint64 // frame bytes sent to the provider
}

type trafficCounters struct {
	real, drops, loops, returned, failed, bytes atomic.Uint64
}

// startCover picks the rates and starts the shaper's routine and the
// background fetch. Rates come from Config.Cover, else from the parameters
// in the provider's descriptor, so that clients agree with the network,
// else from cover.DefaultRates.
func (c *Client) startCover(ctx context.Context) error {
	r := c.cfg.Cover
	if r == (cover.Rates{}) {
		r = c.announcedRates(ctx)
	}
	if err := r.Validate(); err != nil {
		return fmt.Errorf("client: cover rates: %w", err)
	}
	c.rates = r
	if c.cfg.MeanDelay == 0 {
		c.cfg.MeanDelay = r.Mu
	}
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		return err
	}
	sh, err := cover.NewClientShaper[*outgoing](r, c.queueCap(), newRand(seed), c.cfg.Now())
	if err != nil {
		return err
	}
	c.shaper = sh
	c.shopper = cover.NewShopper(cover.DefaultShopperConfig(r, c.cfg.Layers+2))
	c.spawn(c.routineCover)
	c.spawn(c.routineFetch)
	return nil
}

// announcedRates reads the cover parameters from the provider's descriptor
// of the current epoch; cover.DefaultRates if there are none.
func (c *Client) announcedRates(ctx context.Context) cover.Rates {
	r := cover.DefaultRates()
	if c.cfg.MeanDelay != 0 {
		r.Mu = c.cfg.MeanDelay
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, e, err := c.currentView(ctx)
	if err != nil {
		c.cfg.Logger.Debug("no descriptor to read the cover rates from; using defaults", "err", err)
		return r
	}
	for _, ep := range []uint64{e, e - 1} {
		if d, ok := c.dir.Get(ep, c.cfg.Provider.NodeKey); ok && len(d.Params) > 0 {
			a, err := cover.ParseParams(d.Params)
			if err != nil {
				c.cfg.Logger.Warn("provider announces bad cover rates; using defaults", "err", err)
				return r
			}
			return a
		}
	}
	return r
}

func (c *Client) spawn(f func()) {
	c.wg.Add(1)
	go func() { defer c.wg.Done(); f() }()
}

// submit sends one request carrying a real packet: at once without cover,
// otherwise in the packet's payload slot. It returns the provider's answer.
func (c *Client) submit(ctx context.Context, typ wire.Type, body []byte) error {
	outs, err := c.enqueue(ctx, typ, [][]byte{body})
	if err != nil {
		return err
	}
	return c.await(ctx, outs)
}

// enqueue queues real packets in order; with cover off it sends them at once.
func (c *Client) enqueue(ctx context.Context, typ wire.Type, bodies [][]byte) ([]*outgoing, error) {
	outs := make([]*outgoing, len(bodies))
	for i, b := range bodies {
		outs[i] = &outgoing{typ: typ, body: b, done: make(chan error, 1)}
	}
	if c.shaper == nil {
		for _, o := range outs {
			o.done <- c.sendNow(ctx, o)
		}
		return outs, nil
	}
	c.coverMu.Lock()
	defer c.coverMu.Unlock()
	if c.shaper.Len()+len(outs) > c.queueCap() {
		return nil, fmt.Errorf("%w (%d packets queued)", ErrSendQueueFull, c.shaper.Len())
	}
	now := c.cfg.Now()
	for _, o := range outs {
		if err := c.shaper.Enqueue(now, o); err != nil {
			return nil, err // cannot happen: room was checked
		}
	}
	return outs, nil
}

// queueCap is about a minute of payload slots: beyond that a caller learns
// it is sending faster than λP instead of waiting ever longer.
func (c *Client) queueCap() int { return max(64, int(60*c.rates.LambdaP)) }

// await waits for the provider's answers to queued packets.
func (c *Client) await(ctx context.Context, outs []*outgoing) error {
	for _, o := range outs {
		select {
		case err := <-o.done:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		case <-c.ctx.Done():
			return ErrClosed
		}
	}
	return nil
}

func (c *Client) sendNow(ctx context.Context, o *outgoing) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	err := c.status(ctx, o.typ, o.body)
	if err == nil {
		c.traffic.real.Add(1)
		c.traffic.bytes.Add(uint64(len(o.body)))
	}
	return err
}

// routineCover runs the shaper: at each event it sends the real packet, drop
// or loop the shaper names. Event times depend only on the shaper's own
// randomness, never on what is queued.
func (c *Client) routineCover() {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var evs []cover.Event[*outgoing]
	for {
		c.coverMu.Lock()
		next := c.shaper.Next()
		c.coverMu.Unlock()
		timer.Reset(max(next.Sub(c.cfg.Now()), 0))
		select {
		case <-c.ctx.Done():
			return
		case <-timer.C:
		}
		now := c.cfg.Now()
		c.coverMu.Lock()
		evs = c.shaper.TickAppend(evs[:0], now)
		c.shopper.Expire(now)
		c.coverMu.Unlock()
		for i, ev := range evs {
			switch {
			case ev.Kind == cover.Real:
				ev.Item.done <- c.sendNow(c.ctx, ev.Item)
			case now.Sub(ev.At) > coverSlack:
				// Suspended for a while: skip the missed cover.
			default:
				if err := c.sendCover(ev.Kind, now); err != nil {
					c.traffic.failed.Add(1)
					c.cfg.Logger.Debug("cover packet not sent", "kind", ev.Kind, "err", err)
				}
			}
			evs[i] = cover.Event[*outgoing]{}
		}
	}
}

// sendCover builds and sends one drop or loop packet.
func (c *Client) sendCover(kind cover.Kind, now time.Time) error {
	ctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
	defer cancel()
	t, e, err := c.currentView(ctx)
	if err != nil {
		return err
	}
	own, ok := c.dir.SphinxKey(e, c.cfg.Provider.NodeKey)
	if !ok {
		return fmt.Errorf("client: no descriptor for our provider in epoch %d", e)
	}
	mixes, err := c.pickMixes(t, e)
	if err != nil {
		return err
	}
	path := c.mixPath(own, mixes)
	var payload []byte
	var loop cover.LoopID
	switch kind {
	case cover.Drop:
		dest, key, err := c.randomProvider(t, e)
		if err != nil {
			return err
		}
		path[len(path)-1].Command = sphinx.Relay{Next: dest, Delay: c.delay()}
		path = append(path, sphinx.Hop{ID: dest, PublicKey: key, Command: sphinx.Drop{}})
	case cover.Loop:
		var id [16]byte
		if _, err := crand.Read(id[:]); err != nil {
			return err
		}
		loop = cover.LoopID(binary.BigEndian.Uint64(id[:8]))
		if payload, err = envelope.Seal(crand.Reader, c.cfg.Key.PublicKey(), envelope.Fragment{Flags: envelope.FlagLoop, ID: id, Total: 1}); err != nil {
			return err
		}
		path[len(path)-1].Command = sphinx.Relay{Next: c.cfg.Provider.NodeKey, Delay: c.delay()}
		path = append(path, sphinx.Hop{ID: c.cfg.Provider.NodeKey, PublicKey: own, Command: sphinx.Deliver{Mailbox: c.mailbox}})
	default:
		return fmt.Errorf("client: no cover packet of kind %v", kind)
	}
	pkt, err := sphinx.NewPacket(crand.Reader, c.cfg.Geometry, path, payload)
	if err != nil {
		return err
	}
	body := frameOf(e, pkt)
	if kind == cover.Loop {
		ids := make([]sphinx.NodeID, 0, len(path))
		for _, h := range path[:len(path)-1] {
			ids = append(ids, h.ID)
		}
		c.coverMu.Lock()
		err := c.shopper.Sent(loop, ids, now)
		c.coverMu.Unlock()
		if err != nil {
			return err
		}
	}
	if err := c.status(ctx, wire.TypeSend, body); err != nil {
		return err
	}
	if kind == cover.Loop {
		c.traffic.loops.Add(1)
	} else {
		c.traffic.drops.Add(1)
	}
	c.traffic.bytes.Add(uint64(len(body)))
	return nil
}

// mixPath is the route through the own provider and mixes; the last mix's
// command is left for the caller to fill in.
func (c *Client) mixPath(own sphinx.PublicKey, mixes []hop) []sphinx.Hop {
	path := []sphinx.Hop{{ID: c.cfg.Provider.NodeKey, PublicKey: own, Command: sphinx.Relay{Next: mixes[0].id, Delay: c.delay()}}}
	for i, m := range mixes {
		var cmd sphinx.Command
		if i+1 < len(mixes) {
			cmd = sphinx.Relay{Next: mixes[i+1].id, Delay: c.delay()}
		}
		path = append(path, sphinx.Hop{ID: m.id, PublicKey: m.key, Command: cmd})
	}
	return path
}

// randomProvider picks a provider of the topology whose descriptor is known.
func (c *Client) randomProvider(t *pki.Topology, e uint64) (sphinx.NodeID, sphinx.PublicKey, error) {
	var ids []sphinx.NodeID
	var keys []sphinx.PublicKey
	for _, p := range t.Providers {
		if k, ok := c.dir.SphinxKey(e, p.NodeKey); ok {
			ids, keys = append(ids, p.NodeKey), append(keys, k)
		}
	}
	if len(ids) == 0 {
		return sphinx.NodeID{}, sphinx.PublicKey{}, fmt.Errorf("client: no usable provider in epoch %d", e)
	}
	c.rngMu.Lock()
	i := c.rng.IntN(len(ids))
	c.rngMu.Unlock()
	return ids[i], keys[i], nil
}

// loopReturned records a loop that came back.
func (c *Client) loopReturned(f envelope.Fragment, now time.Time) {
	if c.shopper == nil {
		return
	}
	id := cover.LoopID(binary.BigEndian.Uint64(f.ID[:8]))
	c.coverMu.Lock()
	ok := c.shopper.Returned(id, now)
	c.coverMu.Unlock()
	if ok {
		c.traffic.returned.Add(1)
	}
}

// avoid reports whether the secret shopper advises against routing through id.
func (c *Client) avoid(id sphinx.NodeID) bool {
	if c.shopper == nil {
		return false
	}
	c.coverMu.Lock()
	defer c.coverMu.Unlock()
	return c.shopper.Avoid(id)
}

// routineFetch takes mail in the background, so that loops come back while
// nobody calls Receive.
func (c *Client) routineFetch() {
	t := time.NewTicker(c.cfg.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-t.C:
		}
		c.mu.Lock()
		full := len(c.inbox) >= maxInbox
		c.mu.Unlock()
		if full {
			continue
		}
		ctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
		err := c.fetch(ctx)
		cancel()
		if err != nil && c.ctx.Err() == nil {
			c.cfg.Logger.Debug("mailbox fetch", "err", err)
		}
	}
}

// Traffic returns what the client has sent so far.
func (c *Client) Traffic() TrafficStats {
	return TrafficStats{
		Real:          c.traffic.real.Load(),
		Drops:         c.traffic.drops.Load(),
		Loops:         c.traffic.loops.Load(),
		LoopsReturned: c.traffic.returned.Load(),
		CoverFailed:   c.traffic.failed.Load(),
		Bytes:         c.traffic.bytes.Load(),
	}
}

// Rates returns the cover-traffic rates in use (zero with cover off).
func (c *Client) Rates() cover.Rates { return c.rates }

// Scores returns the secret shopper's score of every relay its loops went
// through (nil with cover off).
func (c *Client) Scores() map[sphinx.NodeID]cover.Score {
	if c.shopper == nil {
		return nil
	}
	c.coverMu.Lock()
	defer c.coverMu.Unlock()
	return c.shopper.Scores()
}

// Suspects returns the relays the secret shopper found losing significantly
// more loops than the rest; routes avoid them.
func (c *Client) Suspects() []sphinx.NodeID {
	if c.shopper == nil {
		return nil
	}
	c.coverMu.Lock()
	defer c.coverMu.Unlock()
	return c.shopper.Suspects()
}
