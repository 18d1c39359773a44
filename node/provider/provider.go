package provider

import (
	"bytes"
	"cmp"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node/mixer"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/settle"
	"github.com/murmurnet/murmur/payments/tickets"
)

// Chain is what a provider needs of the chain; a *chain.Client has it.
type Chain interface {
	ChainID() *big.Int
	Contracts() chain.Contracts
	// ChequeDomain is the Vault's EIP-712 domain, in which issuers pay.
	ChequeDomain() cheque.Domain
	IssuerKey(ctx context.Context, issuer common.Address, keyEpoch uint64) (chain.IssuerKey, error)
}

// Config makes a provider charge its clients for packets (see the package
// documentation).
type Config struct {
	// Chain is where issuer keys are read.
	Chain Chain
	// Account is the operator's Ethereum key; its address must be the
	// relay's operator. It signs redemption requests, and the issuers'
	// cheques are payable to it.
	Account *ecdsa.PrivateKey
	// RedeemEvery is how often spent tickets are redeemed; default 1 minute.
	RedeemEvery time.Duration
	// RedeemBatch is how many tickets of an issuer may wait for redemption
	// before it is redeemed early; default 100.
	RedeemBatch int
	// ReserveChunk bounds what a crash can cost a client, and how often a
	// client's balance is written (once per ReserveChunk packets); default 256.
	ReserveChunk uint64
	// Retain is how many key epochs of an issuer before its newest the
	// provider keeps in memory; default 4. Whether a key's tickets are
	// still good is the chain's expiry; Retain only bounds memory.
	Retain uint64
	// RedeemGrace is how long an issuer may refuse valid tickets (a
	// refusal that is not about the tickets) or be unreachable before the
	// provider redeems them on-chain itself, against the issuer's stake;
	// default 10 minutes. On-chain redemption needs a Chain that is a
	// [TicketRedeemer] (a *chain.Client is); with another, tickets wait.
	RedeemGrace time.Duration
	// TicketCover, if not nil, makes the provider ask issuers to pay in
	// lottery tickets (see "Issuers' lottery tickets"): it tells what backs
	// an issuer's tickets, its Vault deposit plus its stake.
	TicketCover settle.Cover
}

// TicketRedeemer redeems tickets on-chain, against the issuer's stake; a
// *chain.Client is one.
type TicketRedeemer interface {
	RedeemTickets(ctx context.Context, auth *bind.TransactOpts, issuer common.Address, keyEpoch uint64, expectedValue *big.Int, serials [][32]byte, aggregateSignature []byte) (*big.Int, *types.Receipt, error)
}

// reasonUnpaid is what a client hears when it sends with no prepaid packets left.
const reasonUnpaid = "no prepaid packets left: spend tickets"

// keyLookupBackoff is how long a provider waits before asking the chain
// again about an issuer key it did not find.
const keyLookupBackoff = 2 * time.Second

// maxMissingKeys bounds the keys a provider remembers not finding.
const maxMissingKeys = 4096

// Options is the relay's side of its provider.
type Options struct {
	// Operator and Roles are the relay's registry entry.
	Operator common.Address
	Roles    chain.Roles
	// DataDir is where the provider keeps its stores.
	DataDir string
	Epochs  pki.Epochs
	Now     func() time.Time
	Logger  *slog.Logger
	// Directory is the relay's descriptor directory: where the issuers of
	// the topology are found.
	Directory *pki.Directory
	// Counters counts the packets refused for want of prepaid packets
	// (mixer.ClientUnpaid); nil: not counted there.
	Counters *mixer.Counters
}

// Provider is a provider's side of prepaid packets: its clients'
// balances, the tickets they spent, and their redemption.
type Provider struct {
	opt     Options
	log     *slog.Logger
	cfg     Config
	chainID uint64
	vault   cheque.Domain
	reqs    tickets.RequestDomain
	store   *store
	dir     string // of the per-issuer spent sets

	mu      sync.Mutex
	keys    map[[96]byte]knownKey
	books   map[common.Address]*ticketBook
	missing map[[96]byte]time.Time // key → no lookup before

	// lookups lets one chain lookup of an unknown key run at a time, so
	// that a client spending made-up keys cannot flood the endpoint.
	lookups chan struct{}

	wake  chan struct{}
	stats counters

	auth *bind.TransactOpts // the operator's, for on-chain redemption

	lottery *settle.Ledger // the issuers' lottery tickets; nil: paid by cheque

	host   host.Host // set by Start
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// ticketBook is what a provider keeps of one issuer's tickets.
type ticketBook struct {
	issuer   common.Address
	keys     *tickets.Keyring
	spent    *tickets.Provider
	pending  atomic.Int64 // accepted, not yet redeemed (an estimate)
	redeemMu sync.Mutex
	route    route // guarded by redeemMu
}

type counters struct {
	debited, unpaid, tickets, credited, redeemed atomic.Uint64
	refused                                      [16]atomic.Uint64 // by wire.SpendCode

	issuerFailures, issuerDropped, onChain, onChainTxs, onChainGas atomic.Uint64
	ticketPayments, receiptsSent, receiptsWithheld                 atomic.Uint64

	mu            sync.Mutex
	onChainPaid   big.Int
	onChainDrops  map[string]uint64
	issuerRefusal map[string]uint64
}

// Stats counts a provider's prepaid packets and tickets.
type Stats struct {
	Debited        uint64            // packets charged
	Unpaid         uint64            // packets refused for want of prepaid packets
	Tickets        uint64            // tickets accepted
	Credited       uint64            // packets credited for them
	Redeemed       uint64            // tickets redeemed with their issuers, off-chain
	RefusedTickets map[string]uint64 // tickets refused, by wire.SpendCode name

	// IssuerFailures counts redemption attempts an issuer refused for a
	// reason other than the tickets, or that could not reach it; by
	// reason in IssuerFailureReasons ("unreachable", "no answer", "busy",
	// "wrong cumulative amount", ...).
	IssuerFailures       uint64
	IssuerFailureReasons map[string]uint64
	// IssuerDropped counts tickets an issuer refused as bad (already
	// redeemed, forged, expired), dropped from the pending list.
	IssuerDropped uint64
	// RedeemedOnChain counts tickets redeemed on-chain against their
	// issuer's stake, in OnChainTxs transactions using OnChainGas gas, for
	// OnChainPaidWei wei.
	RedeemedOnChain, OnChainTxs, OnChainGas uint64
	OnChainPaidWei                          *big.Int
	// RefusedOnChain counts tickets the TicketIssuer contract refused, by
	// its error's name, dropped from the pending list.
	RefusedOnChain map[string]uint64
	// WithheldCheques counts issuer cheques not cashed because cashing
	// them would prove a double redemption against the provider (see
	// "Redemption on-chain").
	WithheldCheques uint64
	// TicketPayments counts redemptions an issuer paid with a lottery
	// ticket; ReceiptsSent the receipts delivered on their own, and
	// ReceiptsWithheld those not signed because they would have reached
	// the cash limit.
	TicketPayments, ReceiptsSent, ReceiptsWithheld uint64
}

// Open opens the provider's stores in opt.DataDir.
func Open(cfg Config, opt Options) (*Provider, error) {
	if opt.Roles&chain.RoleProvider == 0 {
		return nil, errors.New("provider: the relay needs the provider role")
	}
	if cfg.Chain == nil || cfg.Account == nil {
		return nil, errors.New("provider: needs Chain and Account")
	}
	if a := crypto.PubkeyToAddress(cfg.Account.PublicKey); a != opt.Operator {
		return nil, fmt.Errorf("provider: Account is %s, the operator is %s", a, opt.Operator)
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if cfg.RedeemEvery == 0 {
		cfg.RedeemEvery = time.Minute
	}
	if cfg.RedeemBatch == 0 {
		cfg.RedeemBatch = 100
	}
	if cfg.ReserveChunk == 0 {
		cfg.ReserveChunk = 256
	}
	if cfg.Retain == 0 {
		cfg.Retain = 4
	}
	if cfg.RedeemGrace == 0 {
		cfg.RedeemGrace = 10 * time.Minute
	}
	id := cfg.Chain.ChainID()
	if !id.IsUint64() {
		return nil, fmt.Errorf("provider: chain id %s", id)
	}
	pp := &Provider{
		opt: opt, log: opt.Logger, cfg: cfg, chainID: id.Uint64(),
		auth:  bind.NewKeyedTransactor(cfg.Account, id),
		vault: cfg.Chain.ChequeDomain(),
		reqs:  tickets.NewRequestDomain(id, cfg.Chain.Contracts().Tickets),
		dir:   filepath.Join(opt.DataDir, "tickets"),
		keys:  map[[96]byte]knownKey{}, books: map[common.Address]*ticketBook{},
		missing: map[[96]byte]time.Time{},
		lookups: make(chan struct{}, 1),
		wake:    make(chan struct{}, 1),
	}
	var err error
	if pp.store, err = openStore(filepath.Join(opt.DataDir, "prepaid"), cfg.ReserveChunk); err != nil {
		return nil, err
	}
	if err := pp.load(); err != nil {
		pp.closeStores()
		return nil, err
	}
	if err := pp.openLottery(); err != nil {
		pp.closeStores()
		return nil, err
	}
	pp.ctx, pp.cancel = context.WithCancel(context.Background())
	return pp, nil
}

// Start redeems the spent tickets through hst, every RedeemEvery, until
// ctx ends or Close.
func (pp *Provider) Start(ctx context.Context, hst host.Host) {
	pp.cancel()
	pp.ctx, pp.cancel = context.WithCancel(ctx)
	pp.host = hst
	pp.wg.Add(1)
	go func() { defer pp.wg.Done(); pp.routineRedeem() }()
}

// Close stops the redemption routine and closes the stores.
func (pp *Provider) Close() error {
	pp.cancel()
	pp.wg.Wait()
	return pp.closeStores()
}

// load reopens the spent sets of the issuers the provider has taken
// tickets of, and the keys it knows.
func (pp *Provider) load() error {
	keys, err := pp.store.keys()
	if err != nil {
		return err
	}
	ents, err := os.ReadDir(pp.dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for _, e := range ents {
		if e.IsDir() && common.IsHexAddress(e.Name()) {
			if _, err := pp.book(common.HexToAddress(e.Name())); err != nil {
				return err
			}
		}
	}
	// Oldest first, so that each keyring ends with its newest key current.
	pubs := make([][96]byte, 0, len(keys))
	for pub := range keys {
		pubs = append(pubs, pub)
	}
	slices.SortFunc(pubs, func(a, b [96]byte) int {
		ka, kb := keys[a], keys[b]
		if c := bytes.Compare(ka.issuer[:], kb.issuer[:]); c != 0 {
			return c
		}
		return cmp.Compare(ka.epoch, kb.epoch)
	})
	for _, pub := range pubs {
		k := keys[pub]
		pp.keys[pub] = k
		if err := pp.addToKeyring(pub, k); err != nil && !errors.Is(err, tickets.ErrExpiredEpoch) {
			pp.log.Warn("prepaid: stored issuer key unusable", "issuer", k.issuer, "epoch", k.epoch, "err", err)
		}
	}
	return nil
}

// book returns the ticket book of issuer, opening its spent set.
func (pp *Provider) book(issuer common.Address) (*ticketBook, error) {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	return pp.bookLocked(issuer)
}

func (pp *Provider) bookLocked(issuer common.Address) (*ticketBook, error) {
	if b := pp.books[issuer]; b != nil {
		return b, nil
	}
	b := &ticketBook{issuer: issuer, keys: tickets.NewKeyring(pp.chainID, pp.cfg.Retain)}
	var err error
	b.spent, err = tickets.OpenProvider(tickets.ProviderConfig{Dir: filepath.Join(pp.dir, issuer.Hex()), Keys: b.keys})
	if err != nil {
		return nil, fmt.Errorf("provider: spent tickets of issuer %s: %w", issuer, err)
	}
	if ts, err := b.spent.Pending(pp.cfg.RedeemBatch); err == nil {
		b.pending.Store(int64(len(ts)))
	}
	pp.books[issuer] = b
	return b, nil
}

func (pp *Provider) addToKeyring(pub [96]byte, k knownKey) error {
	b, err := pp.book(k.issuer)
	if err != nil {
		return err
	}
	ik, err := issuerKeyOf(pp.chainID, pub, k)
	if err != nil {
		return err
	}
	return b.keys.Add(ik)
}

func issuerKeyOf(chainID uint64, pub [96]byte, k knownKey) (tickets.IssuerKey, error) {
	g2, err := tickets.DecodeG2(pub[:])
	if err != nil {
		return tickets.IssuerKey{}, err
	}
	return tickets.IssuerKey{ChainID: chainID, Epoch: k.epoch, PublicKey: g2, Value: tickets.Value{Packets: k.packets, Price: k.price}}, nil
}

func (pp *Provider) closeStores() error {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	var errs []error
	for _, b := range pp.books {
		errs = append(errs, b.spent.Close())
	}
	pp.books = map[common.Address]*ticketBook{}
	if pp.lottery != nil {
		errs = append(errs, pp.lottery.Close())
		pp.lottery = nil
	}
	return errors.Join(append(errs, pp.store.close())...)
}

// Balance returns the prepaid packets client p has at this provider.
func (pp *Provider) Balance(p peer.ID) (uint64, error) {
	return pp.store.balance(p)
}

// Stats returns the provider's counts of prepaid packets and tickets;
// WithheldCheques is the cashing loop's to fill in.
func (pp *Provider) Stats() Stats {
	s := Stats{RefusedTickets: map[string]uint64{}}
	c := &pp.stats
	s.Debited, s.Unpaid, s.Tickets, s.Credited, s.Redeemed = c.debited.Load(), c.unpaid.Load(), c.tickets.Load(), c.credited.Load(), c.redeemed.Load()
	for _, code := range wire.SpendCodes() {
		s.RefusedTickets[code.String()] = c.refused[code].Load()
	}
	s.IssuerFailures, s.IssuerDropped = c.issuerFailures.Load(), c.issuerDropped.Load()
	s.RedeemedOnChain, s.OnChainTxs, s.OnChainGas = c.onChain.Load(), c.onChainTxs.Load(), c.onChainGas.Load()
	s.TicketPayments, s.ReceiptsSent, s.ReceiptsWithheld = c.ticketPayments.Load(), c.receiptsSent.Load(), c.receiptsWithheld.Load()
	c.mu.Lock()
	s.OnChainPaidWei = new(big.Int).Set(&c.onChainPaid)
	s.RefusedOnChain = maps.Clone(c.onChainDrops)
	s.IssuerFailureReasons = maps.Clone(c.issuerRefusal)
	c.mu.Unlock()
	if s.RefusedOnChain == nil {
		s.RefusedOnChain = map[string]uint64{}
	}
	if s.IssuerFailureReasons == nil {
		s.IssuerFailureReasons = map[string]uint64{}
	}
	return s
}

// IssuerCheques returns the latest cheque of each issuer the provider
// redeemed tickets with, to cash at the Vault.
func (pp *Provider) IssuerCheques() ([]cheque.Signed, error) {
	return pp.store.cheques(pp.opt.Operator)
}
