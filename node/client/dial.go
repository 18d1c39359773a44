package client

import (
	"context"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/internal/atomicfile"
	"github.com/murmurnet/murmur/internal/dirlock"
	"github.com/murmurnet/murmur/node/cover"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/payments/chequebook"
	"github.com/murmurnet/murmur/payments/wallet"
)

// A client's data directory holds everything it keeps:
//
//	identity.key    its libp2p identity (identity.LoadOrCreate)
//	e2e.key         its X25519 key, which messages to it are sealed for
//	tickets.wallet  its ticket wallet, sealed with a secret derived from e2e.key
//	tickets.lock    held while a process uses the directory
//	cheques.json    the cheque book of its Ethereum account (package chequebook)
//	provider        the provider it chose from the registry, if none was given (ProviderFile)
//	inbox/          what it fetched from its mailbox and not yet received (Config.InboxDir)
const (
	IdentityFile = "identity.key"
	KeyFile      = "e2e.key"
	WalletFile   = "tickets.wallet"
	LockFile     = "tickets.lock"
	InboxDir     = "inbox"
)

// Options are what [Dial] needs to connect a client: where the chain is,
// which deployment, which provider, and where the client keeps its keys,
// tickets and cheque book.
type Options struct {
	// RPC is an Ethereum JSON-RPC endpoint of the deployment's chain; or
	// Backend, a connection to it (an in-process chain, tests).
	RPC     string
	Backend chain.Backend
	// Network is the deployment (a network file, chain.ReadNetworkFile);
	// or NetworkFile, its path.
	Network     *chain.Network
	NetworkFile string
	// Chain, instead of all of the above, is a deployment the caller has
	// dialled already (and closes itself).
	Chain *chain.Client
	// Provider is the provider's multiaddr, ending in /p2p/<peer id>;
	// empty, the client keeps the one it chose before or draws one from
	// the registry's active providers ([ChooseProvider]).
	Provider string
	// DataDir holds the client's identity, keys, wallet and cheque book;
	// created if missing. One process at a time may use it.
	DataDir string
	// Account is the Ethereum account that pays issuers for tickets (its
	// Vault deposit backs the cheques); nil for a client that spends only
	// tickets it was given.
	Account *ecdsa.PrivateKey
	// Layers, MeanDelay, Cover and NoCover are as in [Config]; zero
	// values take the provider's (or the defaults).
	Layers    int
	MeanDelay time.Duration
	Cover     cover.Rates
	NoCover   bool
}

// Dial connects a client with everything handled inside: it reads the
// network, dials the chain, loads (or creates) the client's identity and
// keys in DataDir, locks and opens its ticket wallet, and connects to the
// provider. With an Account, [Client.Buy] buys tickets with cheques from
// its Vault deposit. Close the client to release all of it.
func Dial(ctx context.Context, o Options) (*Client, error) {
	n := o.Network
	if n == nil && o.Chain == nil {
		if o.NetworkFile == "" {
			return nil, errors.New("client: Options.Network or NetworkFile is required")
		}
		nf, err := chain.ReadNetworkFile(o.NetworkFile)
		if err != nil {
			return nil, err
		}
		n = &nf
	}
	if o.DataDir == "" {
		return nil, errors.New("client: Options.DataDir is required")
	}
	var prov Provider
	if o.Provider != "" {
		var err error
		if prov, err = ParseProvider(o.Provider); err != nil {
			return nil, err
		}
	}
	unlock, err := dirlock.Lock(filepath.Join(o.DataDir, LockFile))
	if err != nil {
		return nil, err
	}
	var closers []func()
	fail := func(err error) (*Client, error) {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
		unlock()
		return nil, err
	}
	ch := o.Chain
	if ch == nil {
		b := o.Backend
		if b == nil {
			ec, err := ethclient.DialContext(ctx, o.RPC)
			if err != nil {
				return fail(fmt.Errorf("client: rpc %s: %w", o.RPC, err))
			}
			closers = append(closers, ec.Close)
			b = ec
		}
		if ch, err = chain.DialNetwork(ctx, b, *n); err != nil {
			return fail(fmt.Errorf("client: rpc %s: %w", o.RPC, err))
		}
	}
	if o.Provider == "" {
		if prov, _, err = ChooseProvider(ctx, ch, o.DataDir); err != nil {
			return fail(err)
		}
	}
	id, err := identity.LoadOrCreate(filepath.Join(o.DataDir, IdentityFile))
	if err != nil {
		return fail(err)
	}
	key, err := LoadKey(o.DataDir)
	if err != nil {
		return fail(err)
	}
	w, err := OpenWallet(o.DataDir, key)
	if err != nil {
		return fail(err)
	}
	if cid, ok := w.ChainID(); ok && ch.ChainID().Cmp(new(big.Int).SetUint64(cid)) != 0 {
		return fail(fmt.Errorf("client: the wallet in %s holds tickets of chain %d, the rpc endpoint is chain %s", o.DataDir, cid, ch.ChainID()))
	}
	epochs, err := pki.EpochsFrom(ctx, ch)
	if err != nil {
		return fail(err)
	}
	cfg := Config{Identity: id, Key: key, Provider: prov, Chain: pki.FromClient(ch), Epochs: epochs, ChainID: ch.ChainID().Uint64(),
		Layers: o.Layers, MeanDelay: o.MeanDelay, Cover: o.Cover, NoCover: o.NoCover, Wallet: w, IssuerKeys: ch,
		InboxDir: filepath.Join(o.DataDir, InboxDir)}
	var payer *chequebook.Payer
	if o.Account != nil {
		if payer, err = chequebook.NewPayer(context.WithoutCancel(ctx), ch, o.Account, o.DataDir); err != nil {
			return fail(err)
		}
	}
	c, err := New(ctx, cfg)
	if err != nil {
		return fail(err)
	}
	c.chain, c.payer = ch, payer
	c.closers = append(closers, unlock)
	return c, nil
}

// ErrNoAccount: the client was dialled without an Account to pay with.
var ErrNoAccount = errors.New("client: no Ethereum account to pay issuers with (Options.Account)")

// Buy buys n tickets from the first issuer of the topology, paying with
// cheques from the client's Account, and returns how many it bought. A
// deposit that cannot back the cheques is refused before anything is
// signed ([chequebook.ErrVaultShort]).
func (c *Client) Buy(ctx context.Context, n int) (int, error) {
	if c.payer == nil {
		return 0, ErrNoAccount
	}
	iss, err := c.Issuers(ctx)
	if err != nil {
		return 0, err
	}
	if len(iss) == 0 {
		return 0, errors.New("client: no ticket issuer in the topology")
	}
	bought := 0
	for bought < n {
		ts, err := c.BuyTickets(ctx, iss[0], min(n-bought, 1024), c.payer.Pay)
		bought += len(ts)
		if err != nil {
			return bought, err
		}
	}
	return bought, nil
}

// Chain is the deployment a dialled client reads; nil for one made by New.
func (c *Client) Chain() *chain.Client { return c.chain }

// Wallet is the client's ticket wallet; nil for one made by New without one.
func (c *Client) Wallet() *wallet.Wallet { return c.cfg.Wallet }

// LoadKey loads the client's X25519 key from dir, creating it on first use.
func LoadKey(dir string) (*ecdh.PrivateKey, error) {
	path := filepath.Join(dir, KeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		k, err := ecdh.X25519().GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		if err := atomicfile.Write(path, k.Bytes()); err != nil {
			return nil, err
		}
		return k, nil
	}
	if err != nil {
		return nil, err
	}
	return ecdh.X25519().NewPrivateKey(b)
}

// OpenWallet opens the ticket wallet of dir, sealed for key, creating it
// if there is none.
func OpenWallet(dir string, key *ecdh.PrivateKey) (*wallet.Wallet, error) {
	secret, err := WalletSecret(key)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, WalletFile)
	w, err := wallet.Open(path, secret)
	if err != nil {
		return nil, fmt.Errorf("client: ticket wallet %s: %w", path, err)
	}
	return w, nil
}

// ParseProvider parses a provider's multiaddr, which must end in
// /p2p/<peer id> of an Ed25519 libp2p key (a relay's node key).
func ParseProvider(s string) (Provider, error) {
	a, err := ma.NewMultiaddr(s)
	if err != nil {
		return Provider{}, fmt.Errorf("provider %q: %w", s, err)
	}
	info, err := peer.AddrInfoFromP2pAddr(a)
	if err != nil {
		return Provider{}, fmt.Errorf("provider %q must end in /p2p/<peer id>: %w", s, err)
	}
	pub, err := info.ID.ExtractPublicKey()
	if err != nil {
		return Provider{}, fmt.Errorf("provider %q: %w", s, err)
	}
	raw, err := pub.Raw()
	if err != nil || len(raw) != 32 {
		return Provider{}, fmt.Errorf("provider %q: not an Ed25519 peer ID", s)
	}
	var p Provider
	copy(p.NodeKey[:], raw)
	p.Addrs = info.Addrs
	return p, nil
}
