package node

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/sphinx"
)

// The relay's view of the network, epoch by epoch: its keys and
// descriptor, the topology, its peers' descriptors and addresses, and the
// mailbox sweep.

// routineEpoch keeps the relay's view of the epochs current: keys, topology,
// descriptor, replay set. It checks every second, and at once after a boundary.
func (n *Node) routineEpoch() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-n.ctx.Done():
			return
		case <-t.C:
			if err := n.refreshEpoch(); err != nil {
				if errors.Is(err, pki.ErrEpochNotFinal) {
					n.log.Debug("epoch refresh", "err", err)
				} else {
					n.log.Warn("epoch refresh", "err", err)
				}
			}
		}
	}
}

// refreshEpoch makes sure the current epoch's topology, keys and descriptor are in place.
func (n *Node) refreshEpoch() error {
	ctx, cancel := context.WithTimeout(n.ctx, 10*time.Second)
	defer cancel()
	e := n.cfg.Epochs.At(n.cfg.Now())
	if err := n.keys.ensure(e); err != nil {
		return err
	}
	n.journal.Rotate(e)
	if _, ok := n.dir.Topology(e); !ok {
		snap, err := n.snaps.Get(ctx, e)
		if err != nil {
			return err
		}
		t := pki.NewTopology(snap, n.cfg.Layers)
		n.dir.SetTopology(t)
		n.log.Debug("epoch topology", "epoch", e, "block", snap.Block, "relays", t.Len(), "member", t.Contains(n.nodeKey))
		n.learnAddrs(e)
		n.spawn(func() {
			n.connect(t)
			n.fetchDescriptors(e)
		})
		if err := n.publish(ctx, e); err != nil {
			return err
		}
	} else if t, _ := n.dir.Topology(e); len(n.dir.All(e)) < t.Len() && n.cfg.Now().UnixNano()-n.lastFetch.Load() >= int64(descriptorRetry) {
		// Gossip missed some (a relay that joined the mesh after they
		// were published): ask the peers again, now and then.
		n.spawn(func() { n.fetchDescriptors(e) })
	}
	n.dir.Prune()
	return nil
}

// descriptorRetry is how often a relay that lacks descriptors of the
// current epoch asks its peers for them again.
const descriptorRetry = 5 * time.Second

// fetchDescriptors runs fetchMissing, one at a time.
func (n *Node) fetchDescriptors(e uint64) {
	if !n.fetching.CompareAndSwap(false, true) {
		return
	}
	defer n.fetching.Store(false)
	n.lastFetch.Store(n.cfg.Now().UnixNano())
	n.fetchMissing(e)
}

// learnAddrs adds the registry addresses of the epoch's relays to the peerstore.
func (n *Node) learnAddrs(e uint64) {
	t, ok := n.dir.Topology(e)
	if !ok {
		return
	}
	add := func(nd pki.Node) {
		if nd.PeerID != n.host.ID() && len(nd.Multiaddrs) > 0 {
			n.host.Peerstore().AddAddrs(nd.PeerID, nd.Multiaddrs, 24*time.Hour)
		}
	}
	for _, p := range t.Providers {
		add(p)
	}
	for _, l := range t.Layers {
		for _, m := range l {
			add(m)
		}
	}
}

// gossipPeers is how many relays of a topology a relay connects to for gossip.
const gossipPeers = 16

// connect dials up to gossipPeers relays of t, chosen at random, so that the
// descriptor gossip has a mesh; mix neighbours are dialled anyway when
// packets flow.
func (n *Node) connect(t *pki.Topology) {
	var all []pki.Node
	all = append(all, t.Providers...)
	for _, l := range t.Layers {
		all = append(all, l...)
	}
	rand.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	dialled := 0
	for _, nd := range all {
		if dialled == gossipPeers || n.ctx.Err() != nil {
			return
		}
		if nd.PeerID == n.host.ID() || len(nd.Multiaddrs) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(n.ctx, 5*time.Second)
		if err := n.host.Connect(ctx, peer.AddrInfo{ID: nd.PeerID, Addrs: nd.Multiaddrs}); err != nil {
			n.log.Debug("connect", "peer", nd.PeerID, "err", err)
		} else {
			dialled++
		}
		cancel()
	}
}

// descriptorSources is how many connected relays a relay asks, at most,
// for the descriptors it lacks.
const descriptorSources = 3

// fetchMissing asks up to descriptorSources connected relays of epoch e's
// topology for the descriptors of e, and of e+1 if its topology is known,
// that the directory lacks. Descriptors travel by gossip once per epoch,
// when their relays publish them; a relay that starts (or restarts)
// mid-epoch would otherwise know none of its neighbours' prices and keys
// until the next epoch's gossip, and neither pay nor place them.
func (n *Node) fetchMissing(e uint64) {
	t, ok := n.dir.Topology(e)
	if !ok {
		return
	}
	lacking := func() []uint64 {
		var eps []uint64
		for _, ep := range []uint64{e, e + 1} {
			if tp, ok := n.dir.Topology(ep); ok && len(n.dir.All(ep)) < tp.Len() {
				eps = append(eps, ep)
			}
		}
		return eps
	}
	var relays []pki.Node
	relays = append(relays, t.Providers...)
	for _, l := range t.Layers {
		relays = append(relays, l...)
	}
	relays = append(relays, t.Issuers...)
	rand.Shuffle(len(relays), func(i, j int) { relays[i], relays[j] = relays[j], relays[i] })
	asked, added := 0, 0
	seen := map[peer.ID]bool{} // a relay of several roles is listed more than once
	for _, nd := range relays {
		eps := lacking()
		if len(eps) == 0 || asked == descriptorSources || n.ctx.Err() != nil {
			break
		}
		if seen[nd.PeerID] || nd.PeerID == n.host.ID() || n.host.Network().Connectedness(nd.PeerID) != network.Connected {
			continue
		}
		seen[nd.PeerID] = true
		asked++
		for _, ep := range eps {
			ctx, cancel := context.WithTimeout(n.ctx, 5*time.Second)
			sealed, err := pki.FetchDescriptors(ctx, n.host, nd.PeerID, ep)
			cancel()
			if err != nil {
				n.log.Debug("descriptors: fetch", "peer", nd.PeerID, "epoch", ep, "err", err)
				continue
			}
			// Refusals (a descriptor we hold a newer one of, one of a
			// relay that left) leave the rest added.
			k, _ := n.dir.AddAll(sealed)
			added += k
		}
	}
	if asked > 0 {
		n.log.Debug("descriptors: fetched the missing", "epoch", e, "asked", asked, "added", added, "still_lacking", lacking())
	}
}

// publish seals and gossips the relay's descriptor for epoch e, if the relay is in its topology.
func (n *Node) publish(ctx context.Context, e uint64) error {
	t, ok := n.dir.Topology(e)
	if !ok || !t.Contains(n.nodeKey) {
		return nil
	}
	d := &pki.Descriptor{
		NodeKey:        n.nodeKey,
		Operator:       n.cfg.Operator,
		Roles:          n.cfg.Roles,
		Epoch:          e,
		PerHopPriceWei: n.cfg.PerHopPriceWei,
		Params:         n.cfg.Params,
		IssuedAt:       n.cfg.Now().Unix(),
	}
	if n.cfg.HopPricesWei != nil {
		d.Params = maps.Clone(n.cfg.Params)
		if d.Params == nil {
			d.Params = map[string]string{}
		}
		d.Params[pki.ParamHopPricesWei] = n.cfg.HopPricesWei.String()
	}
	for _, ep := range []uint64{e, e + 1} {
		k, ok := n.keys.get(ep)
		if !ok {
			return fmt.Errorf("node: no sphinx key for epoch %d", ep)
		}
		d.SphinxKeys = append(d.SphinxKeys, pki.EpochKey{Epoch: ep, Key: k.Public()})
	}
	for _, a := range n.host.Addrs() {
		d.Multiaddrs = append(d.Multiaddrs, a.String())
	}
	sealed, err := pki.Seal(d, n.cfg.Identity)
	if err != nil {
		return err
	}
	if err := n.dir.Add(sealed); err != nil {
		return fmt.Errorf("node: own descriptor refused: %w", err)
	}
	return n.gossip.Publish(ctx, sealed)
}

// routineSweep drops expired mailbox messages now and then.
func (n *Node) routineSweep() {
	if _, err := n.mail.Sweep(); err != nil {
		n.log.Warn("mailbox sweep", "err", err)
	}
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-n.ctx.Done():
			return
		case <-t.C:
			if _, err := n.mail.Sweep(); err != nil {
				n.log.Warn("mailbox sweep", "err", err)
			}
		}
	}
}

// peerOf returns the peer of a Sphinx node ID in epoch e's topology (or the previous one's).
func (n *Node) peerOf(e uint64, id sphinx.NodeID) (peer.ID, bool) {
	for _, ep := range []uint64{e, e - 1} {
		if t, ok := n.dir.Topology(ep); ok {
			if nd, ok := t.Node(id); ok {
				return nd.PeerID, true
			}
		}
	}
	return "", false
}

// isRelay reports whether p is a relay of the current or the previous epoch.
func (n *Node) isRelay(p peer.ID) bool {
	k, ok := identity.NodeKeyOf(p)
	if !ok {
		return false
	}
	e := n.cfg.Epochs.At(n.cfg.Now())
	for _, ep := range []uint64{e, e - 1, e + 1} {
		if t, ok := n.dir.Topology(ep); ok && t.Contains(k) {
			return true
		}
	}
	return false
}
