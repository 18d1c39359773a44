//go:build !js

package pki

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// The libp2p names of the PKI (ADR 0006).
const (
	// DescriptorTopic is the GossipSub topic descriptors spread on.
	DescriptorTopic = "/murmur/descriptors/1"
	// FetchProtocol is the stream protocol for fetching an epoch's
	// descriptors from a relay.
	FetchProtocol protocol.ID = "/murmur/pki/1"
)

// MaxFetchCount bounds the number of descriptors in one /murmur/pki/1
// response, so a response is at most MaxFetchCount·[MaxDescriptorSize]
// bytes (8 MiB) plus framing.
const MaxFetchCount = 1024

// fetchTimeout bounds a /murmur/pki/1 exchange whose context has no
// deadline, and every exchange on the serving side.
const fetchTimeout = 30 * time.Second

// GossipOptions configure [NewGossip].
type GossipOptions struct {
	// PubSub is the node's pubsub service, if it has one already (a host
	// should run only one); create it with pubsub.WithFloodPublish(true)
	// (see below). Nil: NewGossip starts GossipSub on the host, with flood
	// publishing, and stops it on Close.
	//
	// Without flood publishing (the default of go-libp2p-pubsub v0.15),
	// a node publishes only to its mesh, and a descriptor published
	// before the mesh has formed, a heartbeat after joining, reaches
	// nobody until it is republished.
	PubSub *pubsub.PubSub
	// Republish is how often our descriptors are published again, for
	// peers that joined since; 0 means a quarter of the epoch.
	Republish time.Duration
	// Ticks, if not nil, drives republishing instead of a Republish
	// ticker (tests send on it).
	Ticks <-chan time.Time
	// OnValidate, if not nil, is called after each descriptor received
	// from another peer has been validated, with the result of
	// [Directory.Add] (nil if accepted). It must not block.
	OnValidate func(from peer.ID, err error)
	// Logger is for debug and warning messages; nil for none.
	Logger *slog.Logger
}

// Gossip spreads descriptors over GossipSub and serves them over
// /murmur/pki/1. Every incoming message goes through [Directory.Add] as a
// topic validator before GossipSub delivers or forwards it, so only
// descriptors this node accepts travel on through it: invalid ones, of
// unknown relays, or with bad signatures are rejected (which counts
// against the sender in peer scoring); untracked epochs and stale
// descriptors are ignored.
type Gossip struct {
	h     host.Host
	dir   *Directory
	opts  GossipOptions
	log   *slog.Logger
	ps    *pubsub.PubSub
	topic *pubsub.Topic
	sub   *pubsub.Subscription

	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once

	mu  sync.Mutex
	own map[uint64][]byte // our sealed descriptors by epoch
}

// NewGossip joins [DescriptorTopic] on h with dir as the validator and
// serves [FetchProtocol] from dir. Call Close to leave.
func NewGossip(h host.Host, dir *Directory, opts GossipOptions) (*Gossip, error) {
	if opts.Republish <= 0 {
		opts.Republish = dir.Epochs().Length / 4
	}
	g := &Gossip{h: h, dir: dir, opts: opts, log: opts.Logger, own: map[uint64][]byte{}}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	g.cancel = cancel
	g.ps = opts.PubSub
	if g.ps == nil {
		ps, err := pubsub.NewGossipSub(ctx, h, pubsub.WithFloodPublish(true))
		if err != nil {
			cancel()
			return nil, fmt.Errorf("pki: starting GossipSub: %w", err)
		}
		g.ps = ps
	}
	if err := g.ps.RegisterTopicValidator(DescriptorTopic, g.validate); err != nil {
		cancel()
		return nil, fmt.Errorf("pki: descriptor validator: %w", err)
	}
	topic, err := g.ps.Join(DescriptorTopic)
	if err != nil {
		_ = g.ps.UnregisterTopicValidator(DescriptorTopic)
		cancel()
		return nil, fmt.Errorf("pki: joining %s: %w", DescriptorTopic, err)
	}
	sub, err := topic.Subscribe()
	if err != nil {
		_ = topic.Close()
		_ = g.ps.UnregisterTopicValidator(DescriptorTopic)
		cancel()
		return nil, fmt.Errorf("pki: subscribing to %s: %w", DescriptorTopic, err)
	}
	g.topic, g.sub = topic, sub
	h.SetStreamHandler(FetchProtocol, g.serveFetch)

	g.wg.Add(2)
	go g.routineReceive(ctx)
	go g.routineRepublish(ctx)
	return g, nil
}

// Topic returns the joined descriptor topic (to list its peers, say).
func (g *Gossip) Topic() *pubsub.Topic { return g.topic }

// Publish adds our sealed descriptor to the directory, publishes it, and
// republishes it until its epoch leaves the directory's window. A later
// descriptor of the same epoch replaces it.
func (g *Gossip) Publish(ctx context.Context, sealed []byte) error {
	d, err := Open(sealed)
	if err != nil {
		return err
	}
	if err := g.dir.Add(sealed); err != nil {
		return fmt.Errorf("pki: publish: %w", err)
	}
	g.mu.Lock()
	g.own[d.Epoch] = sealed
	g.mu.Unlock()
	if err := g.topic.Publish(ctx, sealed); err != nil {
		return fmt.Errorf("pki: publish: %w", err)
	}
	return nil
}

// Close leaves the topic, stops serving [FetchProtocol] and stops
// GossipSub if NewGossip started it.
func (g *Gossip) Close() error {
	var err error
	g.once.Do(func() {
		g.h.RemoveStreamHandler(FetchProtocol)
		g.sub.Cancel()
		err = errors.Join(g.topic.Close(), g.ps.UnregisterTopicValidator(DescriptorTopic))
		g.cancel()
		g.wg.Wait()
	})
	return err
}

// validate is the topic validator.
func (g *Gossip) validate(_ context.Context, from peer.ID, msg *pubsub.Message) pubsub.ValidationResult {
	err := g.dir.Add(msg.Data)
	if from != g.h.ID() && g.opts.OnValidate != nil {
		g.opts.OnValidate(from, err)
	}
	switch {
	case err == nil:
		return pubsub.ValidationAccept
	case errors.Is(err, ErrInvalidDescriptor), errors.Is(err, ErrNotInTopology):
		g.log.Debug("pki: rejected descriptor", "from", from, "err", err)
		return pubsub.ValidationReject
	default: // wrong epoch, no topology yet, stale: may be a matter of timing
		g.log.Debug("pki: ignored descriptor", "from", from, "err", err)
		return pubsub.ValidationIgnore
	}
}

// routineReceive drains the subscription: the validator has already put
// every delivered descriptor in the directory.
func (g *Gossip) routineReceive(ctx context.Context) {
	defer g.wg.Done()
	for {
		if _, err := g.sub.Next(ctx); err != nil {
			return
		}
	}
}

func (g *Gossip) routineRepublish(ctx context.Context) {
	defer g.wg.Done()
	ticks := g.opts.Ticks
	if ticks == nil {
		t := time.NewTicker(g.opts.Republish)
		defer t.Stop()
		ticks = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			g.republish(ctx)
		}
	}
}

func (g *Gossip) republish(ctx context.Context) {
	cur := g.dir.Epoch()
	g.mu.Lock()
	var out [][]byte
	for e, b := range g.own {
		if !tracks(cur, e) {
			delete(g.own, e)
			continue
		}
		out = append(out, b)
	}
	g.mu.Unlock()
	for _, b := range out {
		if err := g.topic.Publish(ctx, b); err != nil && ctx.Err() == nil {
			g.log.Warn("pki: republishing descriptor", "err", err)
		}
	}
}

// --- /murmur/pki/1 -----------------------------------------------------------
//
// request:  epoch (uint64, big-endian)
// response: count (uint32, big-endian, at most MaxFetchCount), then count
//           times: length (uint32, big-endian, 1..MaxDescriptorSize) ‖
//           sealed descriptor
//
// The server closes the stream after the response.

func (g *Gossip) serveFetch(s network.Stream) {
	_ = s.SetDeadline(time.Now().Add(fetchTimeout))
	var req [8]byte
	if _, err := io.ReadFull(s, req[:]); err != nil {
		_ = s.Reset()
		return
	}
	list := g.dir.Sealed(binary.BigEndian.Uint64(req[:]))
	if len(list) > MaxFetchCount {
		list = list[:MaxFetchCount]
	}
	w := bufio.NewWriter(s)
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(list)))
	_, err := w.Write(hdr[:])
	for _, b := range list {
		if err != nil {
			break
		}
		binary.BigEndian.PutUint32(hdr[:], uint32(len(b)))
		if _, err = w.Write(hdr[:]); err == nil {
			_, err = w.Write(b)
		}
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		_ = s.Reset()
		return
	}
	_ = s.Close()
}

// FetchDescriptors asks peer p, over [FetchProtocol], for the descriptors
// it holds for epoch. It returns them sealed, unchecked: add them to a
// [Directory] (e.g. with [Directory.AddAll]), which verifies each one.
// Clients, which do not gossip, fetch from their provider this way.
func FetchDescriptors(ctx context.Context, h host.Host, p peer.ID, epoch uint64) ([][]byte, error) {
	s, err := h.NewStream(ctx, p, FetchProtocol)
	if err != nil {
		return nil, fmt.Errorf("pki: fetch from %s: %w", p, err)
	}
	stop := context.AfterFunc(ctx, func() { _ = s.Reset() })
	defer stop()
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(fetchTimeout)
	}
	_ = s.SetDeadline(deadline)

	out, err := fetch(s, epoch)
	if err != nil {
		_ = s.Reset()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, fmt.Errorf("pki: fetch epoch %d from %s: %w", epoch, p, err)
	}
	_ = s.Close()
	return out, nil
}

func fetch(s network.Stream, epoch uint64) ([][]byte, error) {
	var req [8]byte
	binary.BigEndian.PutUint64(req[:], epoch)
	if _, err := s.Write(req[:]); err != nil {
		return nil, err
	}
	if err := s.CloseWrite(); err != nil {
		return nil, err
	}
	r := bufio.NewReader(s)
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, fmt.Errorf("%w: count: %w", ErrFetch, err)
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > MaxFetchCount {
		return nil, fmt.Errorf("%w: %d descriptors, at most %d", ErrFetch, n, MaxFetchCount)
	}
	out := make([][]byte, 0, n)
	for i := uint32(0); i < n; i++ {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return nil, fmt.Errorf("%w: length %d: %w", ErrFetch, i, err)
		}
		l := binary.BigEndian.Uint32(hdr[:])
		if l == 0 || l > MaxDescriptorSize {
			return nil, fmt.Errorf("%w: descriptor %d is %d bytes, want 1..%d", ErrFetch, i, l, MaxDescriptorSize)
		}
		b := make([]byte, l)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, fmt.Errorf("%w: descriptor %d: %w", ErrFetch, i, err)
		}
		out = append(out, b)
	}
	switch _, err := r.ReadByte(); {
	case err == nil:
		return nil, fmt.Errorf("%w: trailing data after %d descriptors", ErrFetch, n)
	case err != io.EOF:
		return nil, err
	}
	return out, nil
}
