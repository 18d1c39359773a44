package client

import (
	"context"
	"crypto/ecdh"
	crand "crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/mr-tron/base58"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node/client/envelope"
	"github.com/murmurnet/murmur/node/cover"
	"github.com/murmurnet/murmur/node/mixer"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/chequebook"
	"github.com/murmurnet/murmur/payments/wallet"
	"github.com/murmurnet/murmur/sphinx"
)

// Message is a whole message received ([envelope.Message]).
type Message = envelope.Message

// Errors of the end-to-end layer (package envelope).
var (
	ErrNotForUs       = envelope.ErrNotForUs
	ErrBadFragment    = envelope.ErrBadFragment
	ErrMessageTooLong = envelope.ErrMessageTooLong
)

// FragmentOverhead is what each Sphinx payload spends on framing and sealing.
const FragmentOverhead = envelope.FragmentOverhead

// Address is where a client can be written to: its provider, its mailbox
// there, and the X25519 key its messages are sealed for.
type Address struct {
	Provider [32]byte // the provider's node key
	Mailbox  [32]byte
	Key      [32]byte
}

// String encodes the address in base58.
func (a Address) String() string {
	b := make([]byte, 0, 96)
	b = append(append(append(b, a.Provider[:]...), a.Mailbox[:]...), a.Key[:]...)
	return base58.Encode(b)
}

// ParseAddress decodes an address written by String.
func ParseAddress(s string) (Address, error) {
	b, err := base58.Decode(s)
	if err != nil || len(b) != 96 {
		return Address{}, fmt.Errorf("client: %q is not a Murmur address", s)
	}
	var a Address
	copy(a.Provider[:], b[0:32])
	copy(a.Mailbox[:], b[32:64])
	copy(a.Key[:], b[64:96])
	return a, nil
}

// Provider says how to reach a provider.
type Provider struct {
	NodeKey [32]byte
	Addrs   []ma.Multiaddr
}

// Config configures a client.
type Config struct {
	// Identity is the client's libp2p key; nil for a fresh one.
	Identity crypto.PrivKey
	// Key is the X25519 key messages to this client are sealed for; nil for a fresh one.
	Key *ecdh.PrivateKey
	// Provider is the client's provider.
	Provider Provider
	// Chain and Epochs give the registry snapshots the topology is computed from.
	Chain  pki.Chain
	Epochs pki.Epochs
	// ChainID is the chain's id, which contact cards are verified against
	// (LookupCard); Dial sets it.
	ChainID uint64
	// Geometry of the network; default sphinx.DefaultGeometry().
	Geometry sphinx.Geometry
	// Layers of mixes; default pki.DefaultLayers.
	Layers int
	// MeanDelay is the mean per-hop delay (Loopix mu); default Cover.Mu.
	MeanDelay time.Duration
	// Cover are the rates of the client's Poisson processes: real packets
	// leave only in slots of the payload stream (λP), which sends a drop
	// when nothing is queued, and loops (λL) and drops (λD) go out on
	// their own. Zero: the rates its provider announces in its descriptor,
	// else cover.DefaultRates.
	Cover cover.Rates
	// NoCover sends real packets at once and no cover at all. An observer
	// of the link then sees exactly when the client talks; it is for tools
	// and measurements, not for users who need anonymity.
	NoCover bool
	// PollInterval is how often Receive asks the provider for mail; default 100 ms.
	PollInterval time.Duration
	// Wallet holds the tickets that pay the provider for packets (see
	// payments.go); nil for a provider that does not charge.
	Wallet *wallet.Wallet
	// TicketBatch is how many tickets a top-up spends; default
	// DefaultTicketBatch. TopUpBelow is the balance below which the
	// client tops up before a packet; default DefaultTopUpBelow packets.
	TicketBatch int
	TopUpBelow  uint64
	// IssuerKeys, if set, is where BuyTickets checks that an issuer's key
	// is the one it published on-chain (a *chain.Client).
	IssuerKeys IssuerKeys
	// InboxDir, if set, keeps what the client fetched from its mailbox on
	// disk until Receive returns it (see inbox.go): a crash after the
	// client acknowledged an entry to its provider loses nothing. Dial
	// sets it in the data directory.
	InboxDir string
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger; default slog.Default().
	Logger *slog.Logger
}

// Client is a connection to the mix network through one provider.
type Client struct {
	cfg      Config
	host     host.Host
	provider peer.ID
	snaps    *pki.Snapshots
	dir      *pki.Directory
	proc     *sphinx.Processor
	rng      *rand.Rand
	rngMu    sync.Mutex
	mailbox  [32]byte

	streamMu sync.Mutex
	stream   network.Stream

	// Set by Dial: the deployment, the payer of tickets, and what Close
	// releases after the client stops.
	chain   *chain.Client
	payer   *chequebook.Payer
	closers []func()

	mu      sync.Mutex
	surbs   map[sphinx.SURBID]*sphinx.SURBKeys
	lookups map[sphinx.SURBID]chan []byte // card lookups waiting for their answer, by reply block
	reasm   *envelope.Reassembler
	inbox   []inboxed
	disk    *diskInbox            // nil: the inbox is in memory only
	parts   map[[16]byte][]uint64 // entry files of the messages not yet whole
	fetched map[uint64]bool       // ids taken in but whose ack has not succeeded yet
	reack   []uint64              // ids kept on disk before a restart, to acknowledge again
	arrived chan struct{}         // signalled when the inbox grows

	// Cover traffic; shaper and shopper are nil with NoCover.
	rates   cover.Rates
	coverMu sync.Mutex
	shaper  *cover.ClientShaper[*outgoing]
	shopper *cover.Shopper
	traffic trafficCounters

	pay payState

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New connects to the provider and registers with it.
func New(ctx context.Context, cfg Config) (*Client, error) {
	if cfg.Chain == nil || cfg.Epochs.Length <= 0 || len(cfg.Provider.Addrs) == 0 {
		return nil, errors.New("client: Chain, Epochs and the provider's addresses are required")
	}
	if cfg.Geometry == (sphinx.Geometry{}) {
		cfg.Geometry = sphinx.DefaultGeometry()
	}
	if cfg.Layers == 0 {
		cfg.Layers = pki.DefaultLayers
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 100 * time.Millisecond
	}
	if cfg.TicketBatch <= 0 {
		cfg.TicketBatch = DefaultTicketBatch
	}
	if cfg.TopUpBelow == 0 {
		cfg.TopUpBelow = DefaultTopUpBelow
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	var err error
	if cfg.Identity == nil {
		if cfg.Identity, _, err = crypto.GenerateEd25519Key(crand.Reader); err != nil {
			return nil, err
		}
	}
	if cfg.Key == nil {
		if cfg.Key, err = ecdh.X25519().GenerateKey(crand.Reader); err != nil {
			return nil, err
		}
	}
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		return nil, err
	}
	c := &Client{
		cfg:     cfg,
		rng:     newRand(seed),
		surbs:   map[sphinx.SURBID]*sphinx.SURBKeys{},
		lookups: map[sphinx.SURBID]chan []byte{},
		reasm:   envelope.NewReassembler(256, 10*time.Minute),
		fetched: map[uint64]bool{},
		arrived: make(chan struct{}, 1),
		parts:   map[[16]byte][]uint64{},
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.pay.known.Store(-1)
	var kept []keptEntry
	if cfg.InboxDir != "" {
		if c.disk, kept, err = openDiskInbox(cfg.InboxDir); err != nil {
			return nil, err
		}
	}
	if c.proc, err = sphinx.NewProcessor(cfg.Geometry); err != nil {
		return nil, err
	}
	if c.snaps, err = pki.NewSnapshots(cfg.Chain, cfg.Epochs, pki.SnapshotOptions{}); err != nil {
		return nil, err
	}
	c.dir = pki.NewDirectory(cfg.Epochs, cfg.Now)
	if c.host, err = libp2p.New(libp2p.Identity(cfg.Identity), libp2p.NoListenAddrs); err != nil {
		return nil, fmt.Errorf("client: libp2p host: %w", err)
	}
	c.provider = pki.PeerID(cfg.Provider.NodeKey)
	c.mailbox = wire.MailboxOf([]byte(c.host.ID()))
	// What was fetched before a restart and not yet received.
	c.mu.Lock()
	for _, k := range kept {
		if k.hasID {
			// Perhaps never acknowledged: fetch acknowledges it first.
			c.reack = append(c.reack, k.id)
		}
		c.take(k.entry, k.seq, cfg.Now())
	}
	c.mu.Unlock()
	c.host.Peerstore().AddAddrs(c.provider, cfg.Provider.Addrs, time.Hour)
	if err := c.register(ctx); err != nil {
		c.host.Close()
		return nil, err
	}
	if cfg.Wallet != nil {
		// Learn the balance, so that top-ups start ahead of need; a
		// provider that does not charge refuses the question.
		if _, err := c.PrepaidBalance(ctx); err != nil {
			c.cfg.Logger.Debug("no prepaid balance at the provider", "err", err)
		}
	}
	if cfg.NoCover {
		if c.cfg.MeanDelay == 0 {
			c.cfg.MeanDelay = cover.DefaultRates().Mu
		}
	} else if err := c.startCover(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func newRand(seed [32]byte) *rand.Rand { return rand.New(rand.NewChaCha8(seed)) }

// Close stops the cover traffic and disconnects. Real packets still queued
// are not sent; their Send returns ErrClosed.
func (c *Client) Close() error {
	c.cancel()
	c.wg.Wait()
	c.streamMu.Lock()
	if c.stream != nil {
		c.stream.Close()
	}
	c.streamMu.Unlock()
	err := c.host.Close()
	for i := len(c.closers) - 1; i >= 0; i-- {
		c.closers[i]()
	}
	c.closers = nil
	return err
}

// Address returns where others write to this client.
func (c *Client) Address() Address {
	return AddressOf(c.cfg.Provider.NodeKey, c.host.ID(), c.cfg.Key.PublicKey())
}

// AddressOf is the address of the client with libp2p identity id and key
// key at the provider with node key provider, without connecting.
func AddressOf(provider [32]byte, id peer.ID, key *ecdh.PublicKey) Address {
	a := Address{Provider: provider, Mailbox: wire.MailboxOf([]byte(id))}
	copy(a.Key[:], key.Bytes())
	return a
}

// request sends one request on the client stream and reads the answer,
// reopening the stream once if it broke.
func (c *Client) request(ctx context.Context, typ wire.Type, body []byte) (wire.Type, []byte, error) {
	c.streamMu.Lock()
	defer c.streamMu.Unlock()
	for attempt := 0; ; attempt++ {
		if c.stream == nil {
			s, err := c.host.NewStream(ctx, c.provider, wire.ClientProtocol)
			if err != nil {
				return 0, nil, fmt.Errorf("client: connecting to provider %s: %w", c.provider, err)
			}
			c.stream = s
			if typ != wire.TypeRegister {
				// A new stream may reach a restarted provider: register again first.
				if err := wire.WriteMsg(s, wire.TypeRegister, nil); err == nil {
					_, _, err = wire.ReadMsg(s, wire.MaxBody)
				}
			}
		}
		if dl, ok := ctx.Deadline(); ok {
			c.stream.SetDeadline(dl)
		} else {
			c.stream.SetDeadline(time.Now().Add(30 * time.Second))
		}
		err := wire.WriteMsg(c.stream, typ, body)
		var rt wire.Type
		var rb []byte
		if err == nil {
			rt, rb, err = wire.ReadMsg(c.stream, wire.MaxBody)
		}
		if err == nil {
			return rt, rb, nil
		}
		c.stream.Reset()
		c.stream = nil
		if attempt == 1 || ctx.Err() != nil {
			return 0, nil, fmt.Errorf("client: provider request: %w", err)
		}
	}
}

// status sends a request and reads the provider's status; packets are
// paid for (see sendPaid).
func (c *Client) status(ctx context.Context, typ wire.Type, body []byte) error {
	if isPacket(typ) {
		return c.sendPaid(ctx, typ, body)
	}
	return c.plainStatus(ctx, typ, body)
}

func (c *Client) plainStatus(ctx context.Context, typ wire.Type, body []byte) error {
	rt, rb, err := c.request(ctx, typ, body)
	if err != nil {
		return err
	}
	if rt != wire.TypeStatus {
		return fmt.Errorf("client: provider answered type %d, want a status", rt)
	}
	st, err := wire.DecodeStatus(rb)
	if err != nil {
		return err
	}
	return st.Err()
}

func (c *Client) register(ctx context.Context) error { return c.status(ctx, wire.TypeRegister, nil) }

// view returns the topology of epoch e with descriptors fetched from the
// provider. Right after a boundary the provider may not have every
// descriptor of e yet; the previous epoch's descriptors, which carry each
// relay's key for e as well, are fetched too, so that routes can be built.
func (c *Client) view(ctx context.Context, e uint64) (*pki.Topology, error) {
	t, err := c.topology(ctx, e)
	if err != nil {
		return nil, err
	}
	if len(c.dir.All(e)) < t.Len() {
		if err := c.fetchDescriptors(ctx, e); err != nil {
			return nil, err
		}
		if len(c.dir.All(e)) < t.Len() && e > 0 {
			if _, err := c.topology(ctx, e-1); err == nil {
				if err := c.fetchDescriptors(ctx, e-1); err != nil {
					return nil, err
				}
			}
		}
	}
	return t, nil
}

func (c *Client) topology(ctx context.Context, e uint64) (*pki.Topology, error) {
	if t, ok := c.dir.Topology(e); ok {
		return t, nil
	}
	snap, err := c.snaps.Get(ctx, e)
	if err != nil {
		return nil, err
	}
	t := pki.NewTopology(snap, c.cfg.Layers)
	c.dir.SetTopology(t)
	return t, nil
}

func (c *Client) fetchDescriptors(ctx context.Context, e uint64) error {
	sealed, err := pki.FetchDescriptors(ctx, c.host, c.provider, e)
	if err != nil {
		return fmt.Errorf("client: descriptors for epoch %d: %w", e, err)
	}
	c.dir.AddAll(sealed)
	return nil
}

// hop is a node with its Sphinx key for the epoch.
type hop struct {
	id  sphinx.NodeID
	key sphinx.PublicKey
}

// pickMixes chooses one mix per layer whose descriptor is known, leaving
// out the relays the secret shopper found losing packets, unless that
// would leave a layer empty.
func (c *Client) pickMixes(t *pki.Topology, e uint64) ([]hop, error) {
	out := make([]hop, 0, len(t.Layers))
	for i, layer := range t.Layers {
		var candidates, avoided []hop
		for _, m := range layer {
			if k, ok := c.dir.SphinxKey(e, m.NodeKey); ok {
				if c.avoid(m.NodeKey) {
					avoided = append(avoided, hop{id: m.NodeKey, key: k})
				} else {
					candidates = append(candidates, hop{id: m.NodeKey, key: k})
				}
			}
		}
		if len(candidates) == 0 {
			candidates = avoided
		}
		if len(candidates) == 0 {
			return nil, fmt.Errorf("client: no usable mix in layer %d of epoch %d", i+1, e)
		}
		c.rngMu.Lock()
		out = append(out, candidates[c.rng.IntN(len(candidates))])
		c.rngMu.Unlock()
	}
	return out, nil
}

func (c *Client) delay() uint32 {
	c.rngMu.Lock()
	defer c.rngMu.Unlock()
	return mixer.Millis(mixer.ExpDelay(c.rng, c.cfg.MeanDelay))
}
