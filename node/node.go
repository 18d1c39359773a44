// Package node is the Murmur relay engine: one process per relay, with the
// provider and mix roles switched on by its registry entry. It holds the
// mix pipeline; each role's money sits in a package of its own, called
// through narrow interfaces and never importing node: node/provider (the
// client protocol, prepaid packets, ticket spend and redemption),
// node/issuer (ticket sale), node/settlement (hop-by-hop cheques and the
// one loop that cashes every cheque the relay holds). docs/architecture.md
// draws the packet and money paths through them.
//
// The packet path of a relay:
//
//  1. RoutineReadMix (one per inbound mix stream) reads fixed-size frames,
//     epoch ‖ Sphinx packet, into pooled buffers. It serves only peers of
//     the current topology and applies a per-peer rate limit. At a
//     provider, the client protocol's Send does the same for registered
//     clients, and charges each packet to the client's prepaid balance if
//     the provider charges (package provider).
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
	"math/big"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
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
	// ListenAddrs are multiaddrs to listen on; default TCP and QUIC on
	// 127.0.0.1, any port, and for a provider or an issuer WebSocket too
	// (for browsers).
	ListenAddrs []string
	// Chain is where registry snapshots come from (pki.FromClient of a chain.Client).
	Chain pki.Chain
	// ChainID is the chain's id. A provider with it keeps a share of the
	// contact-card directory (package cards), whose cards are bound to
	// accounts of this chain; zero: it keeps none.
	ChainID uint64
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
	// PerHopPriceWei is announced in the descriptor: what a neighbour pays
	// per packet it hands us, unless HopPricesWei sets prices by position.
	PerHopPriceWei string
	// HopPricesWei are per-hop prices by position (ADR 0010), one per
	// layer and one for when the relay is a provider, announced in the
	// descriptor (pki.ParamHopPricesWei); a packet of epoch e costs the
	// price of the relay's position in e's topology. Nil: PerHopPriceWei
	// at every position.
	HopPricesWei pki.HopPrices
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
	// Cashing cashes the cheques the relay holds (package settlement); nil:
	// they are only kept.
	Cashing *Cashing

	// --- Tickets: clients pay providers, issuers sell (packages provider, issuer) ---

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
	if c.Prepaid != nil && c.Issuing != nil {
		// The provider redeems the tickets it takes with their issuer, over
		// libp2p and for a cheque: with itself, neither works.
		return errors.New("node: a provider that charges cannot also sell tickets: it would redeem them with itself; run the issuer as a relay of its own")
	}
	if c.Issuing != nil && c.Settlement != nil && c.Settlement.Tickets == nil && c.Roles&(chain.RoleMix|chain.RoleProvider) != 0 {
		// Its cheques for redeemed tickets and its hop-by-hop cheques to a
		// provider would be two cumulative series on one Vault account
		// pair, and the provider could cash only the larger.
		return errors.New("node: an issuer that carries packets pays its neighbours with lottery tickets, not cheques: its cheques to a provider for redeemed tickets would share their Vault account with its hop-by-hop ones")
	}
	if c.Geometry == (sphinx.Geometry{}) {
		c.Geometry = sphinx.DefaultGeometry()
	}
	if err := c.Geometry.Validate(); err != nil {
		return fmt.Errorf("node: %w", err)
	}
	if len(c.ListenAddrs) == 0 {
		c.ListenAddrs = []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}
		if c.Roles&(chain.RoleProvider|chain.RoleIssuer) != 0 {
			// Browsers (web/) reach their provider, and the issuers they
			// buy tickets from, over WebSockets.
			c.ListenAddrs = append(c.ListenAddrs, "/ip4/127.0.0.1/tcp/0/ws")
		}
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
	if v, ok := new(big.Int).SetString(c.PerHopPriceWei, 10); !ok || v.Sign() < 0 {
		return fmt.Errorf("node: per-hop price %q is not a wei amount", c.PerHopPriceWei)
	}
	if c.HopPricesWei != nil {
		if len(c.HopPricesWei) != c.Layers+1 {
			return fmt.Errorf("node: %d per-hop prices for %d layers, want one per layer and one for providers", len(c.HopPricesWei), c.Layers)
		}
		for _, v := range c.HopPricesWei {
			if v == nil || v.Sign() < 0 {
				return fmt.Errorf("node: per-hop prices %v: each must be a wei amount", c.HopPricesWei)
			}
		}
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
	fetching   atomic.Bool
	lastFetch  atomic.Int64
	host       host.Host
	nodeKey    [32]byte
	keys       *epochKeys
	proc       *sphinx.Processor
	replays    *sphinx.ReplaySet
	journal    *replayJournal // replays, on disk
	snaps      *pki.Snapshots
	dir        *pki.Directory
	gossip     *pki.Gossip
	mail       *mailbox.Store       // nil unless a provider
	cards      *directory           // nil unless a provider with Config.ChainID
	deliveries chan delivery        // to the mailboxes; nil unless a provider
	loops      *loops               // nil unless a mix with cover on
	settle     *settlement.HopByHop // nil unless Config.Settlement is set
	prepaid    *provider.Provider   // nil unless Config.Prepaid is set
	issuing    *issuer.Issuer       // nil unless Config.Issuing is set
	cash       *settlement.Cashing  // nil unless the relay has a way to cash cheques
	limiter    *mixer.RateLimiter

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
	seq     uint64 // its replay tag's in the journal: it leaves once that is on disk
	from    string // the peer it came from (its replay-table share)
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
	if n.journal, err = openReplayJournal(filepath.Join(cfg.DataDir, "replay"), n.replays, cfg.ReplayCapacity, cfg.Epochs.At(cfg.Now()), n.log); err != nil {
		return nil, err
	}
	if n.journal.recovered > 0 {
		n.log.Info("replay tags of the live epochs read back from the journal", "tags", n.journal.recovered)
	}
	if cfg.Roles&chain.RoleProvider != 0 {
		mo := cfg.Mailbox
		if mo.Logger == nil {
			mo.Logger = n.log
		}
		n.deliveries = make(chan delivery, deliveryQueue)
		if n.mail, err = mailbox.Open(filepath.Join(cfg.DataDir, "mailboxes"), mo); err != nil {
			n.closeStores()
			return nil, err
		}
	}
	if err = n.openDirectory(); err != nil {
		n.closeStores()
		return nil, err
	}
	if cfg.Settlement != nil {
		if n.settle, err = settlement.OpenHopByHop(*cfg.Settlement, settlement.HopByHopOptions{
			Self: cfg.Operator, Dir: filepath.Join(cfg.DataDir, "settlement"),
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
	rm, err := resourceManager()
	if err != nil {
		n.closeStores()
		return nil, fmt.Errorf("node: libp2p resource manager: %w", err)
	}
	n.host, err = libp2p.New(libp2p.Identity(cfg.Identity), libp2p.ListenAddrStrings(cfg.ListenAddrs...), libp2p.ResourceManager(rm))
	if err != nil {
		_ = rm.Close()
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
		for range deliverers {
			n.spawn(n.routineDeliver)
		}
	}
	if n.loops != nil {
		n.spawn(n.routineLoops)
	}
	n.startDirectory()
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
	if n.journal != nil {
		errs = append(errs, n.journal.Close())
	}
	if n.mail != nil {
		errs = append(errs, n.mail.Close())
	}
	if n.cards != nil {
		errs = append(errs, n.cards.store.Close())
	}
	if n.settle != nil {
		errs = append(errs, n.settle.Close())
	}
	errs = append(errs, n.closePayments())
	return errors.Join(errs...)
}
