package node

import (
	crand "crypto/rand"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/murmurnet/murmur/node/cover"
	"github.com/murmurnet/murmur/node/mixer"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/sphinx"
)

// loops is a mix's own cover: loop packets sent at λM through the rest of
// the network back to the mix, which double as the secret shopper's
// measurements of the relays they pass.
type loops struct {
	mu      sync.Mutex
	gen     *cover.MixLoops
	shopper *cover.Shopper
	rng     *rand.Rand
	// box is the mailbox ID a returning loop is delivered to. It is random
	// per process and never leaves it, so no other node can address the
	// mix's loops, and the mix recognises them before any mailbox check.
	box sphinx.MailboxID

	sent, returned, failed atomic.Uint64
}

func newLoops(r cover.Rates, layers int, now time.Time) (*loops, error) {
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewChaCha8(seed))
	gen, err := cover.NewMixLoops(r, rng, now)
	if err != nil {
		return nil, fmt.Errorf("node: cover rates: %w", err)
	}
	l := &loops{gen: gen, rng: rng, shopper: cover.NewShopper(cover.DefaultShopperConfig(r, layers+1))}
	if _, err := crand.Read(l.box[:]); err != nil {
		return nil, err
	}
	return l, nil
}

// routineLoops sends the mix's loops at the times the MixLoops process draws.
func (n *Node) routineLoops() {
	l := n.loops
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var due []time.Time
	for {
		l.mu.Lock()
		next := l.gen.Next()
		l.mu.Unlock()
		timer.Reset(max(next.Sub(n.cfg.Now()), 0))
		select {
		case <-n.ctx.Done():
			return
		case <-timer.C:
		}
		now := n.cfg.Now()
		l.mu.Lock()
		due = l.gen.TickAppend(due[:0], now)
		l.shopper.Expire(now)
		l.mu.Unlock()
		for _, at := range due {
			if now.Sub(at) > 2*time.Second {
				continue // missed while suspended; a burst would stand out
			}
			if err := n.sendLoop(now); err != nil {
				l.failed.Add(1)
				n.log.Debug("mix loop not sent", "err", err)
			}
		}
	}
}

// sendLoop builds a loop from this mix through the layers after its own, a
// provider and the layers before it, back to itself, and sends it to its
// first hop.
func (n *Node) sendLoop(now time.Time) error {
	e := n.cfg.Epochs.At(now)
	t, ok := n.dir.Topology(e)
	if !ok {
		if t, ok = n.dir.Topology(e - 1); !ok {
			return fmt.Errorf("node: no topology for epoch %d", e)
		}
	}
	layer := -1
	for i, ms := range t.Layers {
		for _, m := range ms {
			if m.NodeKey == n.nodeKey {
				layer = i
			}
		}
	}
	if layer < 0 {
		return fmt.Errorf("node: not a mix of epoch %d", e)
	}
	own, ok := n.keys.get(e)
	if !ok {
		return fmt.Errorf("node: no sphinx key for epoch %d", e)
	}
	// Layers after this one, a provider, the layers before it. While a
	// network grows, an epoch's topology can leave a layer (or the
	// providers) empty: then there is no loop to send.
	var groups [][]pki.Node
	groups = append(groups, t.Layers[layer+1:]...)
	groups = append(groups, t.Providers)
	groups = append(groups, t.Layers[:layer]...)
	route := make([]pki.Node, 0, len(groups))
	for _, g := range groups {
		r, ok := n.pickRelay(g)
		if !ok {
			return fmt.Errorf("node: no loop route in epoch %d: a layer or the providers are empty", e)
		}
		route = append(route, r)
	}
	path := make([]sphinx.Hop, 0, len(route)+1)
	ids := make([]sphinx.NodeID, 0, len(route))
	for i, r := range route {
		k, ok := n.dir.SphinxKey(e, r.NodeKey)
		if !ok {
			return fmt.Errorf("node: no descriptor of %x in epoch %d", r.NodeKey[:4], e)
		}
		next := n.nodeKey
		if i+1 < len(route) {
			next = route[i+1].NodeKey
		}
		path = append(path, sphinx.Hop{ID: r.NodeKey, PublicKey: k, Command: sphinx.Relay{Next: next, Delay: n.loopDelay()}})
		ids = append(ids, r.NodeKey)
	}
	path = append(path, sphinx.Hop{ID: n.nodeKey, PublicKey: own.Public(), Command: sphinx.Deliver{Mailbox: n.loops.box}})
	var payload [8]byte
	if _, err := crand.Read(payload[:]); err != nil {
		return err
	}
	id := cover.LoopID(binary.BigEndian.Uint64(payload[:]))
	pkt, err := sphinx.NewPacket(crand.Reader, n.cfg.Geometry, path, payload[:])
	if err != nil {
		return err
	}
	next, ok := n.peerOf(e, path[0].ID)
	if !ok {
		return fmt.Errorf("node: first hop of the loop unknown")
	}
	n.loops.mu.Lock()
	err = n.loops.shopper.Sent(id, ids, now)
	n.loops.mu.Unlock()
	if err != nil {
		return err
	}
	f := n.getFrame()
	wire.PutFrameEpoch(f.buf, e)
	copy(f.buf[wire.EpochSize:], pkt)
	f.next = next
	n.send(f)
	n.loops.sent.Add(1)
	return nil
}

// pickRelay chooses a relay of a layer at random, leaving out those the
// secret shopper found losing loops unless that leaves none; ok is false
// if the layer is empty.
func (n *Node) pickRelay(layer []pki.Node) (_ pki.Node, ok bool) {
	l := n.loops
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(layer) == 0 {
		return pki.Node{}, false
	}
	var good []pki.Node
	for _, r := range layer {
		if !l.shopper.Avoid(r.NodeKey) {
			good = append(good, r)
		}
	}
	if len(good) == 0 {
		good = layer
	}
	return good[l.rng.IntN(len(good))], true
}

func (n *Node) loopDelay() uint32 {
	n.loops.mu.Lock()
	defer n.loops.mu.Unlock()
	return mixer.Millis(mixer.ExpDelay(n.loops.rng, n.cfg.Cover.Mu))
}

// loopReturned records one of the mix's loops coming back.
func (n *Node) loopReturned(f *frame, payload []byte) {
	defer n.putFrame(f)
	if len(payload) < 8 {
		n.Counters.Inc(mixer.DecodeError)
		return
	}
	id := cover.LoopID(binary.BigEndian.Uint64(payload))
	n.loops.mu.Lock()
	ok := n.loops.shopper.Returned(id, n.cfg.Now())
	n.loops.mu.Unlock()
	if ok {
		n.loops.returned.Add(1)
	}
}

// LoopStats are a mix's loop counts.
type LoopStats struct {
	Sent, Returned, Failed uint64
	Pending                int
}

// Loops returns the mix's loop counts; zero when it sends none.
func (n *Node) Loops() LoopStats {
	if n.loops == nil {
		return LoopStats{}
	}
	n.loops.mu.Lock()
	pending := n.loops.shopper.Pending()
	n.loops.mu.Unlock()
	return LoopStats{Sent: n.loops.sent.Load(), Returned: n.loops.returned.Load(), Failed: n.loops.failed.Load(), Pending: pending}
}

// Scores returns the secret shopper's score of every relay the mix's loops
// went through; nil when it sends none.
func (n *Node) Scores() map[sphinx.NodeID]cover.Score {
	if n.loops == nil {
		return nil
	}
	n.loops.mu.Lock()
	defer n.loops.mu.Unlock()
	return n.loops.shopper.Scores()
}

// Suspects returns the relays the mix's loops found losing significantly
// more than the rest.
func (n *Node) Suspects() []sphinx.NodeID {
	if n.loops == nil {
		return nil
	}
	n.loops.mu.Lock()
	defer n.loops.mu.Unlock()
	return n.loops.shopper.Suspects()
}
