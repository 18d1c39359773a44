// Package node is the Murmur relay engine: one process per relay, with the
// provider and mix roles switched on by its registry entry.
//
// The packet path of a relay:
//
//  1. RoutineReadMix (one per inbound mix stream) reads fixed-size frames,
//     epoch ‖ Sphinx packet, into pooled buffers. It serves only peers of
//     the current topology and applies a per-peer rate limit. At a
//     provider, the client protocol's Send does the same for registered
//     clients, and charges each packet to the client's prepaid balance if
//     the provider charges (payments_provider.go).
//  2. RoutineUnwrap (one per core) picks the Sphinx key of the epoch the
//     frame names (current, previous or next), unwraps the packet in place,
//     and checks its replay tag.
//  3. A Relay command goes to the delay scheduler, to be released at
//     arrival + the delay the sender chose; Deliver and SURBReply commands go
//     to the mailbox store (providers only); Drop ends there.
//  4. RoutineSchedule releases packets when their time comes into the next
//     hop's bounded outbound queue.
//  5. RoutineWriteMix (one per neighbour) keeps a stream to the neighbour and
//     writes the frames.
//
// Every refusal is counted by reason (see [mixer.Reason]); nothing on the
// path logs or formats per packet, and nothing waits for the chain.
package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/node/cover"
	"github.com/murmurnet/murmur/node/issuer"
	"github.com/murmurnet/murmur/node/mailbox"
	"github.com/murmurnet/murmur/node/mixer"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/provider"
	"github.com/murmurnet/murmur/node/settlement"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/sphinx"
)

// Config configures a relay.
type Config struct {
	// DataDir holds the relay's state: Sphinx keys, mailboxes, snapshots.
	DataDir string
	// Identity is the libp2p Ed25519 key; its public key is the registry's nodeKey.
	Identity crypto.PrivKey
	// Operator and Roles are the relay's registry entry.
	Operator common.Address
	Roles    chain.Roles
	// ListenAddrs are multiaddrs to listen on; default TCP and QUIC on 127.0.0.1, any port.
	ListenAddrs []string
	// Chain is where registry snapshots come from (pki.FromClient of a chain.Client).
	Chain pki.Chain
	// Epochs is the registry's epoch clock.
	Epochs pki.Epochs
	// Geometry of the network's packets; default sphinx.DefaultGeometry().
	Geometry sphinx.Geometry
	// Layers is the number of mix layers; default pki.DefaultLayers.
	Layers int
	// Workers unwrap packets; default runtime.NumCPU().
	Workers int
	// QueueSize bounds the unwrap queue, the delay queue and each outbound queue; default 8192.
	QueueSize int
	// ReplayCapacity is the number of replay tags kept per epoch; default 1,000,000.
	ReplayCapacity int
	// RateLimit per inbound peer; default 20,000 packets/s, burst 4,000.
	RateLimit mixer.RateLimitConfig
	// Mailbox options (providers).
	Mailbox mailbox.Options
	// PerHopPriceWei is announced in the descriptor.
	PerHopPriceWei string
	// Params are network parameters announced in the descriptor; default
	// Cover.Params(), so that clients use the network's cover rates.
	Params map[string]string
	// Cover are the Loopix rates; a mix sends its own loops at
	// Cover.LambdaM. Zero: cover.DefaultRates().
	Cover cover.Rates
	// NoCover turns the mix's loops off.
	NoCover bool
	// Republish is how often the relay gossips its descriptors again, for
	// relays that joined since; default a quarter of the epoch. A relay
	// that starts mid-epoch does not wait for it: it fetches what it lacks
	// from its peers.
	Republish time.Duration
	// Faults make the relay misbehave, for tests of the secret shopper
	// and of payments.
	Faults Faults
	// Settlement turns on hop-by-hop payment between relays; nil: off.
	Settlement *Settlement
	// Cashing cashes the cheques the relay holds (cashing.go); nil: they
	// are only kept.
	Cashing *Cashing

	// --- Tickets: clients pay providers, issuers sell (payments_*.go) ---

	// Prepaid makes a provider charge its clients one prepaid packet per
	// packet, bought with tickets; nil: packets are free.
	Prepaid *Prepaid
	// Issuing sells tickets, on a relay with the issuer role; nil: none.
	Issuing *TicketIssuing
	// --- end of tickets ---

	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger; default slog.Default().
	Logger *slog.Logger
}

// Faults are deliberate misbehaviour, for tests: a relay the secret shopper
// must find and the network must route around, or that its neighbours,
// providers and the chain must hold to account.
type Faults struct {
	// DropRelayed is the fraction of the packets the relay should pass on
	// that it silently discards instead.
	DropRelayed float64
	// NoCheques: the relay never pays its neighbours (it signs no
	// cheques, also not on exit), so that they refuse it once it owes
	// them more than RefuseAbove packets.
	NoCheques bool
	// RefuseRedemptions: the relay's issuer refuses every redemption as
	// busy, valid tickets too, so that providers take them on-chain.
	RefuseRedemptions bool
}

func (c *Config) defaults() error {
	if c.Identity == nil || c.Chain == nil || c.DataDir == "" || c.Epochs.Length <= 0 {
		return errors.New("node: Identity, Chain, DataDir and Epochs are required")
	}
	if c.Geometry == (sphinx.Geometry{}) {
		c.Geometry = sphinx.DefaultGeometry()
	}
	if err := c.Geometry.Validate(); err != nil {
		return fmt.Errorf("node: %w", err)
	}
	if len(c.ListenAddrs) == 0 {
		c.ListenAddrs = []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}
	}
	if c.Layers == 0 {
		c.Layers = pki.DefaultLayers
	}
	if c.Workers == 0 {
		c.Workers = runtime.NumCPU()
	}
	if c.QueueSize == 0 {
		c.QueueSize = 8192
	}
	if c.ReplayCapacity == 0 {
		c.ReplayCapacity = 1_000_000
	}
	if c.RateLimit.Rate == 0 {
		c.RateLimit = mixer.RateLimitConfig{Rate: 20_000, Burst: 4_000}
	}
	if c.Cover == (cover.Rates{}) {
		c.Cover = cover.DefaultRates()
	}
	if err := c.Cover.Validate(); err != nil {
		return fmt.Errorf("node: %w", err)
	}
	if c.Params == nil {
		c.Params = c.Cover.Params()
	}
	if c.PerHopPriceWei == "" {
		c.PerHopPriceWei = "0"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return nil
}

// Node is a running relay.
type Node struct {
	cfg Config
	log *slog.Logger
	// fetching is set while the relay asks its peers for descriptors it
	// lacks; lastFetch is when it last began (unix ns).
	fetching  atomic.Bool
	lastFetch atomic.Int64
	host      host.Host
	nodeKey   [32]byte
	keys      *epochKeys
	proc      *sphinx.Processor
	replays   *sphinx.ReplaySet
	snaps     *pki.Snapshots
	dir       *pki.Directory
	gossip    *pki.Gossip
	mail      *mailbox.Store       // nil unless a provider
	loops     *loops               // nil unless a mix with cover on
	settle    *settlement.HopByHop // nil unless Config.Settlement is set
	prepaid   *provider.Provider   // nil unless Config.Prepaid is set
	issuing   *issuer.Issuer       // nil unless Config.Issuing is set
	cash      *settlement.Cashing  // nil unless the relay has a way to cash cheques
	limiter   *mixer.RateLimiter

	// Counters are the drops by reason, and the packets handled.
	Counters mixer.Counters
	stats    stats

	frameSize int
	frames    sync.Pool
	unwrapQ   chan *frame

	schedMu   sync.Mutex
	sched     *mixer.Scheduler[*frame]
	schedWake chan struct{}

	outMu sync.Mutex
	out   map[peer.ID]*outbound

	clients *provider.Clients // a provider's client protocol; set by Start

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// frame is one mix frame in flight: epoch ‖ packet, in a pooled buffer.
type frame struct {
	buf     []byte
	arrival time.Time
	next    peer.ID
}

// New opens the relay's state and starts listening; Start starts it relaying.
func New(cfg Config) (*Node, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	n := &Node{
		cfg:       cfg,
		log:       cfg.Logger,
		frameSize: wire.EpochSize + cfg.Geometry.PacketSize(),
		out:       map[peer.ID]*outbound{},
		schedWake: make(chan struct{}, 1),
	}
	n.frames.New = func() any { return &frame{buf: make([]byte, n.frameSize)} }
	var err error
	if n.nodeKey, err = identity.NodeKey(cfg.Identity); err != nil {
		return nil, err
	}
	if n.proc, err = sphinx.NewProcessor(cfg.Geometry); err != nil {
		return nil, err
	}
	if n.keys, err = openEpochKeys(filepath.Join(cfg.DataDir, "sphinx-keys")); err != nil {
		return nil, fmt.Errorf("node: sphinx keys: %w", err)
	}
	if n.limiter, err = mixer.NewRateLimiter(cfg.RateLimit); err != nil {
		return nil, err
	}
	n.replays = sphinx.NewReplaySet(cfg.ReplayCapacity)
	n.sched = mixer.NewScheduler[*frame](cfg.QueueSize)
	n.unwrapQ = make(chan *frame, cfg.QueueSize)
	if n.snaps, err = pki.NewSnapshots(cfg.Chain, cfg.Epochs, pki.SnapshotOptions{Dir: filepath.Join(cfg.DataDir, "snapshots"), Logger: n.log}); err != nil {
		return nil, err
	}
	n.dir = pki.NewDirectory(cfg.Epochs, cfg.Now)
	if cfg.Roles&chain.RoleMix != 0 && !cfg.NoCover {
		if n.loops, err = newLoops(cfg.Cover, cfg.Layers, cfg.Now()); err != nil {
			return nil, err
		}
	}
	if cfg.Roles&chain.RoleProvider != 0 {
		mo := cfg.Mailbox
		if mo.Logger == nil {
			mo.Logger = n.log
		}
		if n.mail, err = mailbox.Open(filepath.Join(cfg.DataDir, "mailboxes"), mo); err != nil {
			return nil, err
		}
	}
	if cfg.Settlement != nil {
		if n.settle, err = settlement.OpenHopByHop(*cfg.Settlement, settlement.HopByHopOptions{
			Self: cfg.Operator, Dir: filepath.Join(cfg.DataDir, "settlement"), PerHopPriceWei: cfg.PerHopPriceWei,
			Neighbours: neighbours{n}, Now: cfg.Now, Logger: n.log, NoCheques: cfg.Faults.NoCheques,
		}); err != nil {
			n.closeStores()
			return nil, err
		}
	}
	if err = n.openPayments(); err != nil {
		n.closeStores()
		return nil, err
	}
	n.cash = newCashing(n)
	n.host, err = libp2p.New(libp2p.Identity(cfg.Identity), libp2p.ListenAddrStrings(cfg.ListenAddrs...))
	if err != nil {
		n.closeStores()
		return nil, fmt.Errorf("node: libp2p host: %w", err)
	}
	return n, nil
}

// Config returns the relay's configuration (with defaults filled in).
func (n *Node) Config() Config { return n.cfg }

// Host returns the relay's libp2p host.
func (n *Node) Host() host.Host { return n.host }

// NodeKey returns the relay's Ed25519 public key (registry nodeKey, Sphinx node ID).
func (n *Node) NodeKey() [32]byte { return n.nodeKey }

// Addrs returns the addresses the relay listens on.
func (n *Node) Addrs() []ma.Multiaddr { return n.host.Addrs() }

// MailboxStats returns how many messages, and how many bytes, wait in
// mailbox mb at this provider.
func (n *Node) MailboxStats(mb [32]byte) (count int, bytes int64, err error) {
	if n.mail == nil {
		return 0, 0, errors.New("node: not a provider")
	}
	return n.mail.Stats(mb)
}

// Directory returns the relay's descriptor directory.
func (n *Node) Directory() *pki.Directory { return n.dir }

// Start starts the relay's routines; they stop when ctx ends or Close is called.
func (n *Node) Start(ctx context.Context) error {
	n.ctx, n.cancel = context.WithCancel(ctx)
	var err error
	if n.gossip, err = pki.NewGossip(n.host, n.dir, pki.GossipOptions{Republish: n.cfg.Republish, Logger: n.log}); err != nil {
		return err
	}
	n.host.SetStreamHandler(wire.MixProtocol, n.handleMix)
	if n.mail != nil {
		n.clients = provider.NewClients(n.ctx, n.mail, clientPackets{n}, n.prepaid, n.frameSize, n.log)
		n.host.SetStreamHandler(wire.ClientProtocol, n.clients.Handle)
	}
	if err := n.refreshEpoch(); err != nil {
		n.log.Warn("first epoch refresh", "err", err)
	}
	n.spawn(n.routineEpoch)
	n.spawn(n.routineSchedule)
	for range n.cfg.Workers {
		n.spawn(n.routineUnwrap)
	}
	if n.mail != nil {
		n.spawn(n.routineSweep)
	}
	if n.loops != nil {
		n.spawn(n.routineLoops)
	}
	if n.settle != nil {
		n.settle.Start(n.ctx, n.host)
	}
	if n.settle != nil || n.cash != nil {
		n.spawn(n.routineSettle)
	}
	n.startPayments()
	return nil
}

func (n *Node) spawn(f func()) {
	n.wg.Add(1)
	go func() { defer n.wg.Done(); f() }()
}

// Close stops the relay and closes its state.
func (n *Node) Close() error {
	if n.cancel != nil {
		n.cancel()
	}
	var errs []error
	if n.gossip != nil {
		errs = append(errs, n.gossip.Close())
	}
	errs = append(errs, n.host.Close())
	n.wg.Wait()
	errs = append(errs, n.closeStores())
	return errors.Join(errs...)
}

func (n *Node) closeStores() error {
	var errs []error
	if n.mail != nil {
		errs = append(errs, n.mail.Close())
	}
	if n.settle != nil {
		errs = append(errs, n.settle.Close())
	}
	errs = append(errs, n.closePayments())
	return errors.Join(errs...)
}

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
	n.replays.Rotate(e)
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
