package node

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/bindings"
	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node/mixer"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/market"
	"github.com/murmurnet/murmur/payments/settle"
	"github.com/murmurnet/murmur/payments/tickets"
)

// Prepaid packets at a provider (DESIGN §6.2).
//
// A provider with [Config.Prepaid] charges every packet a client hands it,
// Send or Forward, cover or real alike, one prepaid packet. Clients buy
// prepaid packets with tickets: a Spend request (package wire) carries
// tickets of one issuer key, which the provider verifies locally (batch
// verification against the key the issuer published on-chain, and its
// spent set on disk, package tickets) and credits at the packet value
// the issuer announces in its descriptor. With nothing left, Send and
// Forward are answered [wire.CodeUnpaid] and the packet goes nowhere.
//
// A Spend is not all or nothing: [tickets.Provider.AcceptBatch] records
// the good tickets of a batch as spent whatever the others are, so the
// provider credits the good ones and names the refused ones with a reason
// (forged, already spent, expired, ...). Refusing the whole batch would
// spend a client's good tickets for nothing.
//
// Where issuer keys come from: a ticket names only its key epoch, so a
// Spend names the issuer key too. The provider looks for it among the
// issuers of the topology (relays with [chain.RoleIssuer]) on-chain
// ([TicketChain.IssuerKey]) the first time it sees it, and keeps it (in a
// [tickets.Keyring] per issuer, and on disk), so that a known key needs
// no chain access: a provider keeps taking tickets while the chain is
// down. The chain's key has the price and the expiry; the number of
// packets a ticket is worth is the issuer's descriptor parameter
// [pki.ParamTicketPackets] when the provider first sees the key.
//
// Every RedeemEvery, or sooner once RedeemBatch tickets of an issuer wait,
// the provider redeems its spent tickets with their issuer over package
// market and keeps the issuer's latest cheque, to cash at the Vault
// ([Node.IssuerCheques]).
//
// What a crash costs: a Spend records the tickets as spent (synced) and
// then credits the balance (synced); a crash in between loses that credit
// for the client, never the other way round. A packet costs a decrement in
// memory, and the balance on disk is kept up to ReserveChunk packets below
// it (see prepaidStore), so a crash can cost a client up to ReserveChunk
// packets, and never gives back packets that were sent.

// TicketChain is what tickets need of the chain; a *chain.Client has it.
type TicketChain interface {
	ChainID() *big.Int
	Contracts() chain.Contracts
	// ChequeDomain is the Vault's EIP-712 domain, in which issuers pay.
	ChequeDomain() cheque.Domain
	IssuerKey(ctx context.Context, issuer common.Address, keyEpoch uint64) (chain.IssuerKey, error)
	PublishKey(ctx context.Context, auth *bind.TransactOpts, keyEpoch uint64, publicKey []byte, value *big.Int, expiresAt time.Time) (*types.Receipt, error)
}

// Prepaid makes a provider charge its clients for packets (see above).
type Prepaid struct {
	// Chain is where issuer keys are read.
	Chain TicketChain
	// Account is the operator's Ethereum key; its address must be
	// Config.Operator. It signs redemption requests, and the issuers'
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

// prepaid is a provider's side of prepaid packets.
type prepaid struct {
	n       *Node
	cfg     Prepaid
	chainID uint64
	vault   cheque.Domain
	reqs    tickets.RequestDomain
	store   *prepaidStore
	dir     string // of the per-issuer spent sets

	mu      sync.Mutex
	keys    map[[96]byte]knownKey
	books   map[common.Address]*ticketBook
	missing map[[96]byte]time.Time // key → no lookup before

	// lookups lets one chain lookup of an unknown key run at a time, so
	// that a client spending made-up keys cannot flood the endpoint.
	lookups chan struct{}

	wake  chan struct{}
	stats prepaidCounters

	auth *bind.TransactOpts // the operator's, for on-chain redemption
}

// ticketBook is what a provider keeps of one issuer's tickets.
type ticketBook struct {
	issuer   common.Address
	keys     *tickets.Keyring
	spent    *tickets.Provider
	pending  atomic.Int64 // accepted, not yet redeemed (an estimate)
	redeemMu sync.Mutex
	// stuckSince is when the issuer first refused valid tickets, or could
	// not be reached, since its last redemption; zero when it redeemed the
	// last batch. Guarded by redeemMu.
	stuckSince time.Time
}

type prepaidCounters struct {
	debited, unpaid, tickets, credited, redeemed atomic.Uint64
	refused                                      [16]atomic.Uint64 // by wire.SpendCode

	issuerFailures, issuerDropped, onChain, onChainTxs, onChainGas, withheld atomic.Uint64

	mu            sync.Mutex
	onChainPaid   big.Int
	onChainDrops  map[string]uint64
	issuerRefusal map[string]uint64
}

// PrepaidStats counts a provider's prepaid packets and tickets.
type PrepaidStats struct {
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
}

func newPrepaid(n *Node) (*prepaid, error) {
	cfg := *n.cfg.Prepaid
	if n.cfg.Roles&chain.RoleProvider == 0 {
		return nil, errors.New("node: Prepaid needs the provider role")
	}
	if cfg.Chain == nil || cfg.Account == nil {
		return nil, errors.New("node: Prepaid needs Chain and Account")
	}
	if a := crypto.PubkeyToAddress(cfg.Account.PublicKey); a != n.cfg.Operator {
		return nil, fmt.Errorf("node: Prepaid.Account is %s, the operator is %s", a, n.cfg.Operator)
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
		return nil, fmt.Errorf("node: chain id %s", id)
	}
	pp := &prepaid{
		n: n, cfg: cfg, chainID: id.Uint64(),
		auth:  bind.NewKeyedTransactor(cfg.Account, id),
		vault: cfg.Chain.ChequeDomain(),
		reqs:  tickets.NewRequestDomain(id, cfg.Chain.Contracts().Tickets),
		dir:   filepath.Join(n.cfg.DataDir, "tickets"),
		keys:  map[[96]byte]knownKey{}, books: map[common.Address]*ticketBook{},
		missing: map[[96]byte]time.Time{},
		lookups: make(chan struct{}, 1),
		wake:    make(chan struct{}, 1),
	}
	var err error
	if pp.store, err = openPrepaidStore(filepath.Join(n.cfg.DataDir, "prepaid"), cfg.ReserveChunk); err != nil {
		return nil, err
	}
	if err := pp.load(); err != nil {
		pp.close()
		return nil, err
	}
	return pp, nil
}

// load reopens the spent sets of the issuers the provider has taken
// tickets of, and the keys it knows.
func (pp *prepaid) load() error {
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
		return cmpUint(ka.epoch, kb.epoch)
	})
	for _, pub := range pubs {
		k := keys[pub]
		pp.keys[pub] = k
		if err := pp.addToKeyring(pub, k); err != nil && !errors.Is(err, tickets.ErrExpiredEpoch) {
			pp.n.log.Warn("prepaid: stored issuer key unusable", "issuer", k.issuer, "epoch", k.epoch, "err", err)
		}
	}
	return nil
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// book returns the ticket book of issuer, opening its spent set.
func (pp *prepaid) book(issuer common.Address) (*ticketBook, error) {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	return pp.bookLocked(issuer)
}

func (pp *prepaid) bookLocked(issuer common.Address) (*ticketBook, error) {
	if b := pp.books[issuer]; b != nil {
		return b, nil
	}
	b := &ticketBook{issuer: issuer, keys: tickets.NewKeyring(pp.chainID, pp.cfg.Retain)}
	var err error
	b.spent, err = tickets.OpenProvider(tickets.ProviderConfig{Dir: filepath.Join(pp.dir, issuer.Hex()), Keys: b.keys})
	if err != nil {
		return nil, fmt.Errorf("node: spent tickets of issuer %s: %w", issuer, err)
	}
	if ts, err := b.spent.Pending(pp.cfg.RedeemBatch); err == nil {
		b.pending.Store(int64(len(ts)))
	}
	pp.books[issuer] = b
	return b, nil
}

func (pp *prepaid) addToKeyring(pub [96]byte, k knownKey) error {
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

func (pp *prepaid) close() error {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	var errs []error
	for _, b := range pp.books {
		errs = append(errs, b.spent.Close())
	}
	pp.books = map[common.Address]*ticketBook{}
	return errors.Join(append(errs, pp.store.close())...)
}

// --- the packet path -----------------------------------------------------------

// charge takes one prepaid packet from client p for a packet it hands us.
// It returns false and the status to answer if p has none.
func (pp *prepaid) charge(p peer.ID) (wire.Status, bool) {
	ok, err := pp.store.debit(p)
	switch {
	case err != nil:
		pp.n.log.Warn("prepaid: balance unavailable", "peer", p, "err", err)
		return wire.Status{Code: wire.CodeInternal, Reason: "prepaid balance unavailable"}, false
	case !ok:
		pp.stats.unpaid.Add(1)
		pp.n.Counters.Inc(mixer.ClientUnpaid)
		return wire.Status{Code: wire.CodeUnpaid, Reason: reasonUnpaid}, false
	}
	pp.stats.debited.Add(1)
	return wire.Status{}, true
}

// refund gives back the packet charged for a request that was then refused.
func (pp *prepaid) refund(p peer.ID) {
	pp.store.refund(p)
	pp.stats.debited.Add(^uint64(0))
}

// --- spending tickets ----------------------------------------------------------

// spend answers a Spend request of client p: a balance query, or tickets
// to credit.
func (pp *prepaid) spend(ctx context.Context, p peer.ID, body []byte) (wire.Type, []byte) {
	status := func(c wire.Code, reason string) (wire.Type, []byte) {
		return wire.TypeStatus, wire.EncodeStatus(wire.Status{Code: c, Reason: reason})
	}
	req, ok, err := wire.DecodeSpend(body)
	if err != nil {
		return status(wire.CodeMalformed, err.Error())
	}
	bal, err := pp.store.balance(p)
	if err != nil {
		pp.n.log.Warn("prepaid: balance unavailable", "peer", p, "err", err)
		return status(wire.CodeInternal, "prepaid balance unavailable")
	}
	if !ok {
		return wire.TypeSpent, wire.EncodeSpent(wire.Spent{Balance: bal})
	}
	out := wire.Spent{Balance: bal}
	refuse := func(i int, c wire.SpendCode) {
		out.Refused = append(out.Refused, wire.Refusal{Index: i, Code: c})
		pp.stats.refused[c].Add(1)
	}
	// Decode; the first good ticket names the key epoch.
	ts := make([]tickets.Ticket, len(req.Tickets))
	bad := make([]bool, len(ts))
	epoch, haveEpoch := uint64(0), false
	for i, b := range req.Tickets {
		if ts[i], err = tickets.DecodeTicket(b); err != nil {
			bad[i] = true
		} else if !haveEpoch {
			epoch, haveEpoch = ts[i].KeyEpoch, true
		}
	}
	var reasons []string
	var key knownKey
	var book *ticketBook
	keyCode := wire.SpendCode(0)
	if haveEpoch {
		key, book, err = pp.keyFor(ctx, req.IssuerKey, epoch)
		switch {
		case errors.Is(err, tickets.ErrExpiredEpoch):
			keyCode = wire.SpendExpired
			reasons = append(reasons, err.Error())
		case err != nil:
			keyCode = wire.SpendUnknownKey
			reasons = append(reasons, err.Error())
		case !pp.n.cfg.Now().Before(key.expires):
			keyCode = wire.SpendExpired
			reasons = append(reasons, fmt.Sprintf("issuer %s's key of epoch %d expired at %s", key.issuer, key.epoch, key.expires.UTC().Format(time.RFC3339)))
		}
	}
	var batch []tickets.Ticket
	var idx []int
	for i := range ts {
		switch {
		case bad[i]:
			refuse(i, wire.SpendMalformed)
		case keyCode != 0:
			refuse(i, keyCode)
		case ts[i].KeyEpoch != key.epoch:
			refuse(i, wire.SpendMalformed)
		default:
			batch = append(batch, ts[i])
			idx = append(idx, i)
		}
	}
	if len(out.Refused) > 0 && len(reasons) == 0 {
		reasons = append(reasons, "tickets that do not decode, or not of the named key's epoch")
	}
	accepted := 0
	if len(batch) > 0 {
		err := book.spent.AcceptBatch(batch, tickets.Value{Packets: key.packets, Price: key.price})
		var be *tickets.BatchError
		switch {
		case err == nil:
			accepted = len(batch)
		case errors.As(err, &be):
			for j, e := range be.Errs {
				if e == nil {
					accepted++
					continue
				}
				refuse(idx[j], spendCodeOf(e))
			}
			reasons = append(reasons, be.Error())
		default:
			pp.n.log.Warn("prepaid: recording tickets", "peer", p, "err", err)
			for _, i := range idx {
				refuse(i, wire.SpendUnavailable)
			}
			reasons = append(reasons, "the provider could not record the tickets; nothing was spent")
		}
	}
	slices.SortFunc(out.Refused, func(a, b wire.Refusal) int { return a.Index - b.Index })
	if accepted > 0 {
		pp.stats.tickets.Add(uint64(accepted))
		book.pending.Add(int64(accepted))
		n := uint64(accepted) * key.packets
		if out.Balance, err = pp.store.credit(p, n); err != nil {
			// The tickets are spent and the credit is lost: the case the
			// order of the two writes accepts, so that a crash never
			// credits twice.
			pp.n.log.Error("prepaid: tickets accepted but not credited", "peer", p, "tickets", accepted, "err", err)
			return status(wire.CodeInternal, "tickets recorded but the credit failed")
		}
		out.Credited = n
		pp.stats.credited.Add(n)
		if book.pending.Load() >= int64(pp.cfg.RedeemBatch) {
			select {
			case pp.wake <- struct{}{}:
			default:
			}
		}
	}
	for i, r := range reasons {
		if i > 0 {
			out.Reason += "; "
		}
		out.Reason += r
	}
	return wire.TypeSpent, wire.EncodeSpent(out)
}

// spendCodeOf maps a ticket refusal of package tickets to its code.
func spendCodeOf(err error) wire.SpendCode {
	switch {
	case errors.Is(err, tickets.ErrAlreadySpent):
		return wire.SpendAlreadySpent
	case errors.Is(err, tickets.ErrDuplicateSerial):
		return wire.SpendDuplicate
	case errors.Is(err, tickets.ErrExpiredEpoch):
		return wire.SpendExpired
	case errors.Is(err, tickets.ErrUnknownEpoch):
		return wire.SpendUnknownKey
	case errors.Is(err, tickets.ErrBadSignature), errors.Is(err, tickets.ErrInfinity):
		return wire.SpendBadSignature
	}
	return wire.SpendMalformed
}

// keyFor returns the issuer key pub of key epoch epoch and its issuer's
// ticket book, asking the chain about the topology's issuers the first
// time.
func (pp *prepaid) keyFor(ctx context.Context, pub [96]byte, epoch uint64) (knownKey, *ticketBook, error) {
	pp.mu.Lock()
	k, known := pp.keys[pub]
	retry := pp.missing[pub]
	pp.mu.Unlock()
	if known {
		if k.epoch != epoch {
			return k, nil, fmt.Errorf("issuer %s's key is of epoch %d, the tickets of epoch %d", k.issuer, k.epoch, epoch)
		}
		b, err := pp.book(k.issuer)
		return k, b, err
	}
	now := pp.n.cfg.Now()
	if now.Before(retry) {
		return k, nil, fmt.Errorf("unknown issuer key for epoch %d (asked the chain %s ago)", epoch, keyLookupBackoff-retry.Sub(now).Round(time.Millisecond))
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	select {
	case pp.lookups <- struct{}{}:
	case <-ctx.Done():
		return k, nil, fmt.Errorf("unknown issuer key for epoch %d (the provider is busy looking up others)", epoch)
	}
	k, err := pp.lookupKey(ctx, pub, epoch)
	<-pp.lookups
	if err != nil {
		pp.mu.Lock()
		if len(pp.missing) >= maxMissingKeys {
			clear(pp.missing)
		}
		pp.missing[pub] = now.Add(keyLookupBackoff)
		pp.mu.Unlock()
		return k, nil, err
	}
	if err := pp.store.putKey(pub, k); err != nil {
		return k, nil, fmt.Errorf("storing the issuer key: %w", err)
	}
	pp.mu.Lock()
	pp.keys[pub] = k
	delete(pp.missing, pub)
	pp.mu.Unlock()
	if err := pp.addToKeyring(pub, k); err != nil {
		return k, nil, err
	}
	pp.n.log.Debug("prepaid: learnt an issuer key", "issuer", k.issuer, "epoch", k.epoch, "packets", k.packets, "price", k.price)
	b, err := pp.book(k.issuer)
	return k, b, err
}

// issuers returns the issuers of the current and previous topology.
func (pp *prepaid) issuers() []pki.Node {
	e := pp.n.cfg.Epochs.At(pp.n.cfg.Now())
	var out []pki.Node
	for _, ep := range []uint64{e, e - 1} {
		t, ok := pp.n.dir.Topology(ep)
		if !ok {
			continue
		}
		for _, nd := range t.Issuers {
			if !slices.ContainsFunc(out, func(o pki.Node) bool { return o.NodeKey == nd.NodeKey }) {
				out = append(out, nd)
			}
		}
	}
	return out
}

// lookupKey asks the chain for the key of epoch of each issuer of the
// topology until one is pub, and reads its packet value from the issuer's
// descriptor.
func (pp *prepaid) lookupKey(ctx context.Context, pub [96]byte, epoch uint64) (knownKey, error) {
	iss := pp.issuers()
	if len(iss) == 0 {
		return knownKey{}, errors.New("no issuer in the topology")
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var errs []error
	for _, nd := range iss {
		ck, err := pp.cfg.Chain.IssuerKey(ctx, nd.Operator, epoch)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ck.Value == nil || ck.Value.Sign() == 0 {
			continue
		}
		g2, err := tickets.DecodeG2EIP2537(ck.PublicKey)
		if err != nil {
			continue
		}
		if g2.Bytes() != pub {
			continue
		}
		packets, err := pp.ticketPackets(ctx, nd)
		if err != nil {
			return knownKey{}, err
		}
		return knownKey{issuer: nd.Operator, epoch: epoch, packets: packets, price: ck.Value, expires: ck.ExpiresAt}, nil
	}
	if len(errs) > 0 {
		return knownKey{}, fmt.Errorf("issuer key of epoch %d: %w", epoch, errors.Join(errs...))
	}
	return knownKey{}, fmt.Errorf("no issuer of the network published this key for epoch %d", epoch)
}

// ticketPackets reads what a ticket of issuer nd is worth from its
// descriptor, fetching it from the issuer if the gossip has not brought it.
func (pp *prepaid) ticketPackets(ctx context.Context, nd pki.Node) (uint64, error) {
	e := pp.n.cfg.Epochs.At(pp.n.cfg.Now())
	find := func() (*pki.Descriptor, bool) {
		for _, ep := range []uint64{e, e - 1} {
			if d, ok := pp.n.dir.Get(ep, nd.NodeKey); ok {
				return d, true
			}
		}
		return nil, false
	}
	d, ok := find()
	if !ok {
		if len(nd.Multiaddrs) > 0 {
			pp.n.host.Peerstore().AddAddrs(nd.PeerID, nd.Multiaddrs, time.Hour)
		}
		if sealed, err := pki.FetchDescriptors(ctx, pp.n.host, nd.PeerID, e); err == nil {
			pp.n.dir.AddAll(sealed)
		}
		if d, ok = find(); !ok {
			return 0, fmt.Errorf("no descriptor of issuer %s: its ticket value is unknown", nd.Operator)
		}
	}
	v, err := strconv.ParseUint(d.Params[pki.ParamTicketPackets], 10, 64)
	if err != nil || v == 0 {
		return 0, fmt.Errorf("issuer %s announces no ticket value (%s %q)", nd.Operator, pki.ParamTicketPackets, d.Params[pki.ParamTicketPackets])
	}
	return v, nil
}

// --- redemption ----------------------------------------------------------------

// Redemption on-chain.
//
// An issuer that refuses valid tickets, or cannot be reached, is taken to
// the TicketIssuer contract: once its failures have lasted RedeemGrace
// (counted from the first failure since its last redemption; a refusal
// that names bad tickets is not a failure, those tickets are dropped),
// the provider redeems the waiting tickets itself, per key epoch, at most
// maxOnChainBatch per transaction with their aggregate signature, and the
// contract pays it from the issuer's stake. A key epoch that went on-chain
// stays on-chain (recorded before the first transaction), so that a
// ticket redeemed on-chain is never also sent to the issuer, even after a
// crash between the transaction and the record of it.
//
// One more trap. The contract lets an issuer prove a double redemption
// against a provider with the provider's signed redemption request: a
// ticket of the request was redeemed on-chain by the provider, and the
// provider has cashed at least the request's amount from the issuer. The
// contract cannot tell whether the issuer paid that request, so an issuer
// that received a request and did not pay it (refused it, or never
// answered) could later pay others honestly and then prove. The provider
// therefore remembers, per ticket, the smallest amount of a request it
// signed for it that may have reached the issuer (its exposure), forgets
// it once the ticket is settled off-chain, and before it redeems a ticket
// on-chain lowers the issuer's cash limit to that amount: it never cashes a
// cheque of that issuer at or above the limit (WithheldCheques), and sends
// the issuer no request at or above it (those tickets go on-chain). A
// request that could not be sent (market.ErrUnreachable) exposes nothing.

// maxOnChainBatch is the most tickets the TicketIssuer contract redeems in
// one call (its MAX_BATCH).
const maxOnChainBatch = 256

// issuerFault is a redemption that failed for a reason other than the
// tickets: the issuer refused the request (busy, wrong amount, ...),
// broke the protocol, sent a bad cheque, could not be reached, or left
// the topology.
type issuerFault struct {
	reason string
	err    error
}

func (e *issuerFault) Error() string { return e.err.Error() }
func (e *issuerFault) Unwrap() error { return e.err }

// errOverLimit: the request would ask for a cheque the provider must not cash.
var errOverLimit = errors.New("the request's amount reaches the issuer's cash limit")

func faultOf(err error) *issuerFault {
	var re *market.RefusalError
	reason := "other"
	switch {
	case errors.As(err, &re):
		reason = re.Code.String()
	case errors.Is(err, market.ErrUnreachable):
		reason = "unreachable"
	case errors.Is(err, market.ErrNoAnswer):
		reason = "no answer"
	case errors.Is(err, market.ErrProtocol):
		reason = "protocol error"
	}
	return &issuerFault{reason: reason, err: err}
}

// routineRedeem redeems spent tickets every RedeemEvery, and when a book
// has RedeemBatch tickets waiting.
func (pp *prepaid) routineRedeem() {
	t := time.NewTicker(pp.cfg.RedeemEvery)
	defer t.Stop()
	for {
		select {
		case <-pp.n.ctx.Done():
			return
		case <-t.C:
		case <-pp.wake:
		}
		err := pp.redeemAll(pp.n.ctx)
		var f *issuerFault
		switch {
		case err == nil || pp.n.ctx.Err() != nil:
		case errors.As(err, &f):
			// The issuer is away or busy; the tickets wait for the next
			// round, or go on-chain after the grace.
			pp.n.log.Debug("prepaid: redemption", "err", err)
		default:
			pp.n.log.Warn("prepaid: redemption", "err", err)
		}
	}
}

// redeemAll redeems what waits in every book.
func (pp *prepaid) redeemAll(ctx context.Context) error {
	pp.mu.Lock()
	books := make([]*ticketBook, 0, len(pp.books))
	for _, b := range pp.books {
		books = append(books, b)
	}
	pp.mu.Unlock()
	var errs []error
	for _, b := range books {
		if err := pp.redeem(ctx, b); err != nil {
			errs = append(errs, fmt.Errorf("issuer %s: %w", b.issuer, err))
		}
	}
	return errors.Join(errs...)
}

// maxRedeemRounds bounds the batches one redemption of a book sends.
const maxRedeemRounds = 16

// redeem redeems b's spent tickets, one key epoch per batch: with the
// issuer, or on-chain once the issuer has failed for RedeemGrace, or when
// the key epoch already went on-chain (see "Redemption on-chain").
func (pp *prepaid) redeem(ctx context.Context, b *ticketBook) error {
	b.redeemMu.Lock()
	defer b.redeemMu.Unlock()
	for range maxRedeemRounds {
		ts, err := b.spent.Pending(tickets.MaxBatch)
		if err != nil {
			return err
		}
		if len(ts) == 0 {
			b.pending.Store(0)
			return nil
		}
		n := 1
		for n < len(ts) && ts[n].KeyEpoch == ts[0].KeyEpoch {
			n++
		}
		batch := ts[:n]
		epoch := batch[0].KeyEpoch
		onChain, err := pp.store.onChainOnly(b.issuer, epoch)
		if err != nil {
			return err
		}
		if !onChain {
			err := pp.redeemBatch(ctx, b, batch)
			var f *issuerFault
			if err == nil {
				b.stuckSince = time.Time{}
				continue
			}
			if !errors.As(err, &f) {
				return err
			}
			pp.countIssuerFailure(f.reason)
			now := pp.n.cfg.Now()
			if b.stuckSince.IsZero() {
				b.stuckSince = now
			}
			if _, ok := pp.cfg.Chain.(TicketRedeemer); !ok {
				return err
			}
			if !errors.Is(err, errOverLimit) && now.Sub(b.stuckSince) < pp.cfg.RedeemGrace {
				return err
			}
			pp.n.log.Warn("prepaid: redeeming tickets on-chain against the issuer's stake",
				"issuer", b.issuer, "key_epoch", epoch, "tickets", len(batch), "failing_for", now.Sub(b.stuckSince).Round(time.Second), "err", err)
			if err := pp.store.setOnChainOnly(b.issuer, epoch); err != nil {
				return err
			}
		}
		if err := pp.redeemOnChain(ctx, b, batch); err != nil {
			return err
		}
	}
	return nil
}

func (pp *prepaid) countIssuerFailure(reason string) {
	pp.stats.issuerFailures.Add(1)
	pp.stats.mu.Lock()
	if pp.stats.issuerRefusal == nil {
		pp.stats.issuerRefusal = map[string]uint64{}
	}
	pp.stats.issuerRefusal[reason]++
	pp.stats.mu.Unlock()
}

// redeemBatch redeems spent tickets of one key epoch of b's issuer with
// the issuer. A failure that is not about the tickets is an *issuerFault.
func (pp *prepaid) redeemBatch(ctx context.Context, b *ticketBook, ts []tickets.Ticket) error {
	price, err := pp.priceOf(b.issuer, ts[0].KeyEpoch)
	if err != nil {
		return err
	}
	last, err := pp.lastCheque(b.issuer)
	if err != nil {
		return err
	}
	limit, err := pp.store.cashLimit(b.issuer)
	if err != nil {
		return err
	}
	value := new(big.Int).Mul(big.NewInt(int64(len(ts))), price)
	want := new(big.Int).Add(last, value)
	if limit != nil && want.Cmp(limit) >= 0 {
		return &issuerFault{reason: "cash limit", err: errOverLimit}
	}
	to, err := pp.issuerPeer(b.issuer)
	if err != nil {
		return &issuerFault{reason: "not in the topology", err: err}
	}
	out, err := pp.redeemRequest(ctx, to, b, ts, want)
	var re *market.RefusalError
	if errors.As(err, &re) && re.Code == market.CodeWrongAmount && re.Want != nil && re.Want.Cmp(value) >= 0 &&
		(limit == nil || re.Want.Cmp(limit) < 0) {
		// Our record of what the issuer owes is behind (a lost answer, a
		// restored store): ask for what it says it owes.
		pp.n.log.Debug("prepaid: redemption amount corrected by the issuer", "issuer", b.issuer, "asked", want, "owed", re.Want)
		out, err = pp.redeemRequest(ctx, to, b, ts, re.Want)
	}
	var be *tickets.BatchError
	switch {
	case err == nil:
	case errors.As(err, &be):
		// Tickets the issuer will never redeem (already redeemed,
		// forged, expired) leave the pending list; the rest go next.
		var drop []tickets.Ticket
		for i, e := range be.Errs {
			if e != nil {
				drop = append(drop, ts[i])
			}
		}
		pp.n.log.Warn("prepaid: the issuer refused tickets", "issuer", b.issuer, "refused", len(drop), "of", len(ts), "err", err)
		if err := pp.settled(b, drop); err != nil {
			return err
		}
		pp.stats.issuerDropped.Add(uint64(len(drop)))
		return nil
	default:
		return faultOf(err)
	}
	if err := pp.vault.Verify(out); err != nil || out.Payee != pp.n.cfg.Operator {
		return &issuerFault{reason: "bad cheque", err: fmt.Errorf("the issuer's cheque does not verify: %v", err)}
	}
	if out.CumulativeAmount.Cmp(last) > 0 {
		if err := pp.store.putCheque(out); err != nil {
			return err
		}
	}
	if err := pp.settled(b, ts); err != nil {
		return err
	}
	pp.stats.redeemed.Add(uint64(len(ts)))
	pp.n.log.Debug("prepaid: redeemed tickets", "issuer", b.issuer, "tickets", len(ts), "cheque", out.CumulativeAmount)
	return nil
}

// settled takes tickets settled for good (redeemed, or refused for good)
// off the pending list, and forgets their exposure.
func (pp *prepaid) settled(b *ticketBook, ts []tickets.Ticket) error {
	if len(ts) == 0 {
		return nil
	}
	if err := b.spent.MarkRedeemed(ts); err != nil {
		return err
	}
	b.pending.Add(-int64(len(ts)))
	return pp.store.unexpose(b.issuer, ts)
}

// redeemRequest signs a redemption request of ts for amount and sends it
// to the issuer, recording first that the issuer may come to hold it
// (see "Redemption on-chain"); a request that could not be sent leaves
// the record as it was.
func (pp *prepaid) redeemRequest(ctx context.Context, to peer.ID, b *ticketBook, ts []tickets.Ticket, amount *big.Int) (cheque.Signed, error) {
	r := tickets.RedemptionRequest{Issuer: b.issuer, Provider: pp.n.cfg.Operator, KeyEpoch: ts[0].KeyEpoch, CumulativeAmount: amount}
	for i := range ts {
		r.Serials = append(r.Serials, ts[i].Serial)
	}
	signed, err := pp.reqs.Sign(r, pp.cfg.Account)
	if err != nil {
		return cheque.Signed{}, err
	}
	prev, err := pp.store.expose(b.issuer, ts, amount)
	if err != nil {
		return cheque.Signed{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, err := market.Redeem(ctx, pp.n.host, to, signed, ts)
	if errors.Is(err, market.ErrUnreachable) {
		if rerr := pp.store.restoreExposure(prev); rerr != nil {
			return out, errors.Join(err, rerr)
		}
	}
	return out, err
}

// redeemOnChain redeems tickets of one key epoch of b's issuer with the
// TicketIssuer contract, against the issuer's stake.
func (pp *prepaid) redeemOnChain(ctx context.Context, b *ticketBook, ts []tickets.Ticket) error {
	red, ok := pp.cfg.Chain.(TicketRedeemer)
	if !ok {
		return errors.New("node: the chain cannot redeem tickets on-chain")
	}
	epoch := ts[0].KeyEpoch
	price, err := pp.priceOf(b.issuer, epoch)
	if err != nil {
		return err
	}
	exp, err := pp.store.exposure(b.issuer, ts)
	if err != nil {
		return err
	}
	if exp != nil {
		lowered, err := pp.store.lowerCashLimit(b.issuer, exp)
		if err != nil {
			return err
		}
		if lowered {
			pp.n.log.Warn("prepaid: the issuer holds requests for tickets redeemed on-chain; its cheques of this amount or more will not be cashed",
				"issuer", b.issuer, "cash_limit", exp)
		}
	}
	for len(ts) > 0 {
		k := min(len(ts), maxOnChainBatch)
		if err := pp.redeemChunk(ctx, red, b, price, ts[:k]); err != nil {
			return err
		}
		ts = ts[k:]
	}
	return nil
}

// redeemChunk redeems up to maxOnChainBatch tickets in one transaction;
// tickets the contract refuses are dropped and the rest tried again.
func (pp *prepaid) redeemChunk(ctx context.Context, red TicketRedeemer, b *ticketBook, price *big.Int, ts []tickets.Ticket) error {
	epoch := ts[0].KeyEpoch
	for attempt := 0; len(ts) > 0; attempt++ {
		if attempt == 8 {
			return fmt.Errorf("node: on-chain redemption of %d tickets still refused after %d attempts", len(ts), attempt)
		}
		agg, err := tickets.Aggregate(ts)
		if err != nil {
			if err := pp.dropOnChain(b, ts, "aggregate signature", err); err != nil {
				return err
			}
			return nil
		}
		sig := agg.EIP2537()
		serials := make([][32]byte, len(ts))
		for i := range ts {
			serials[i] = ts[i].Serial
		}
		tctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		paid, rcpt, err := red.RedeemTickets(tctx, pp.auth, b.issuer, epoch, price, serials, sig[:])
		cancel()
		if rcpt != nil {
			pp.stats.onChainTxs.Add(1)
			pp.stats.onChainGas.Add(rcpt.GasUsed)
		}
		if err == nil {
			if err := pp.settled(b, ts); err != nil {
				return err
			}
			pp.stats.onChain.Add(uint64(len(ts)))
			pp.stats.mu.Lock()
			pp.stats.onChainPaid.Add(&pp.stats.onChainPaid, paid)
			pp.stats.mu.Unlock()
			var gas uint64
			if rcpt != nil {
				gas = rcpt.GasUsed
			}
			pp.n.log.Info("prepaid: redeemed tickets on-chain", "issuer", b.issuer, "key_epoch", epoch, "tickets", len(ts), "paid", paid, "gas", gas)
			return nil
		}
		var re *chain.RevertError
		if !errors.As(err, &re) {
			return fmt.Errorf("node: on-chain redemption: %w", err) // the chain is away: the tickets wait
		}
		drop, done, keep := pp.refusedOnChain(b, re, ts)
		if len(done) > 0 {
			// Redeemed by us already: a crash after the transaction.
			if err := pp.settled(b, done); err != nil {
				return err
			}
			pp.stats.onChain.Add(uint64(len(done)))
		}
		if len(drop) > 0 {
			if err := pp.dropOnChain(b, drop, re.Name, re); err != nil {
				return err
			}
		}
		if len(drop) == 0 && len(done) == 0 && len(keep) == len(ts) {
			return fmt.Errorf("node: on-chain redemption: %w", err) // nothing to leave out: the tickets wait
		}
		ts = keep
	}
	return nil
}

// refusedOnChain sorts ts after the contract's refusal re: tickets to
// drop, tickets we redeemed on-chain already, and tickets to try again.
func (pp *prepaid) refusedOnChain(b *ticketBook, re *chain.RevertError, ts []tickets.Ticket) (drop, done, keep []tickets.Ticket) {
	without := func(serial [32]byte) (out, rest []tickets.Ticket) {
		for _, t := range ts {
			if t.Serial == serial {
				out = append(out, t)
			} else {
				rest = append(rest, t)
			}
		}
		return out, rest
	}
	switch v := re.Value.(type) {
	case *bindings.TicketIssuerAlreadyRedeemed:
		out, rest := without(v.Serial)
		if v.Redeemer == pp.n.cfg.Operator {
			return nil, out, rest
		}
		return out, nil, rest
	case *bindings.TicketIssuerDuplicateSerial:
		out, rest := without(v.Serial)
		return out, nil, rest
	case *bindings.TicketIssuerIssuerStakeInsufficient:
		// The stake pays for fewer: redeem those now; the rest wait, for a
		// stake that may not come back (creditors are paid in turn).
		if per := new(big.Int).Div(v.Owed, big.NewInt(int64(len(ts)))); per.Sign() > 0 {
			if n := new(big.Int).Div(v.Stake, per); n.Sign() > 0 && n.Cmp(big.NewInt(int64(len(ts)))) < 0 {
				return nil, nil, ts[:n.Int64()]
			}
		}
		return nil, nil, ts
	}
	switch re.Name {
	case "InvalidSignature", "SignatureAtInfinity", "PointNotOnCurve", "PointNotInSubgroup", "InvalidPointEncoding":
		// The aggregate does not verify: leave out the tickets that do not
		// verify alone; if none can be told, all of them.
		for _, t := range ts {
			if b.spent.Verify(t) != nil {
				drop = append(drop, t)
			} else {
				keep = append(keep, t)
			}
		}
		if len(drop) == 0 {
			return ts, nil, nil
		}
		return drop, nil, keep
	}
	// UnknownKeyEpoch, KeyEpochExpired (past the on-chain grace),
	// WrongValue, and anything else: the contract will never pay these.
	return ts, nil, nil
}

// dropOnChain drops tickets the contract refused, counted by reason.
func (pp *prepaid) dropOnChain(b *ticketBook, ts []tickets.Ticket, reason string, err error) error {
	pp.n.log.Warn("prepaid: the TicketIssuer contract refused tickets; dropped", "issuer", b.issuer, "tickets", len(ts), "reason", reason, "err", err)
	pp.stats.mu.Lock()
	if pp.stats.onChainDrops == nil {
		pp.stats.onChainDrops = map[string]uint64{}
	}
	pp.stats.onChainDrops[reason] += uint64(len(ts))
	pp.stats.mu.Unlock()
	return pp.settled(b, ts)
}

// cashIssuers cashes the issuers' cheques whose unclaimed value exceeds
// above, except those at or above an issuer's cash limit.
func (pp *prepaid) cashIssuers(ctx context.Context, above *big.Int, c *cashing) (*big.Int, error) {
	got := new(big.Int)
	cs, err := pp.store.cheques(pp.n.cfg.Operator)
	if err != nil {
		return got, err
	}
	var errs []error
	for _, s := range cs {
		cashed, err := pp.store.cashed(s.Payer)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if new(big.Int).Sub(s.CumulativeAmount, cashed).Cmp(above) <= 0 {
			continue
		}
		limit, err := pp.store.cashLimit(s.Payer)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if limit != nil && s.CumulativeAmount.Cmp(limit) >= 0 {
			pp.stats.withheld.Add(1)
			pp.n.log.Warn("prepaid: not cashing the issuer's cheque: it would prove a double redemption against us",
				"issuer", s.Payer, "cheque", s.CumulativeAmount, "cash_limit", limit)
			continue
		}
		r, err := c.do(ctx, s)
		if err != nil {
			errs = append(errs, fmt.Errorf("cashing issuer %s's cheque: %w", s.Payer, err))
			continue
		}
		pp.n.logBounce(s, r)
		if r.Total.Cmp(cashed) > 0 {
			if err := pp.store.putCashed(s.Payer, r.Total); err != nil {
				errs = append(errs, err)
				continue
			}
			got.Add(got, new(big.Int).Sub(r.Total, cashed))
		}
	}
	return got, errors.Join(errs...)
}

// holdings lists the issuers' cheques with what was cashed of them.
func (pp *prepaid) holdings() ([]settle.Holding, error) {
	cs, err := pp.store.cheques(pp.n.cfg.Operator)
	if err != nil {
		return nil, err
	}
	out := make([]settle.Holding, 0, len(cs))
	for _, s := range cs {
		cashed, err := pp.store.cashed(s.Payer)
		if err != nil {
			return nil, err
		}
		pending := new(big.Int).Sub(s.CumulativeAmount, cashed)
		if pending.Sign() < 0 {
			pending.SetInt64(0)
		}
		out = append(out, settle.Holding{Payer: s.Payer, Latest: s, Cashed: cashed, Pending: pending, Unpaid: new(big.Int)})
	}
	return out, nil
}

// priceOf returns what a ticket of issuer's key epoch is worth in wei.
func (pp *prepaid) priceOf(issuer common.Address, epoch uint64) (*big.Int, error) {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	for _, k := range pp.keys {
		if k.issuer == issuer && k.epoch == epoch {
			return k.price, nil
		}
	}
	return nil, fmt.Errorf("no key of epoch %d known", epoch)
}

// issuerPeer finds issuer in the topology and adds its addresses to the
// peerstore.
func (pp *prepaid) issuerPeer(issuer common.Address) (peer.ID, error) {
	for _, nd := range pp.issuers() {
		if nd.Operator == issuer {
			if len(nd.Multiaddrs) > 0 {
				pp.n.host.Peerstore().AddAddrs(nd.PeerID, nd.Multiaddrs, time.Hour)
			}
			return nd.PeerID, nil
		}
	}
	return "", errors.New("not an issuer of the topology")
}

func (pp *prepaid) lastCheque(issuer common.Address) (*big.Int, error) {
	cs, err := pp.store.cheques(pp.n.cfg.Operator)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Payer == issuer {
			return c.CumulativeAmount, nil
		}
	}
	return new(big.Int), nil
}

// --- Node API ------------------------------------------------------------------

// PrepaidBalance returns the prepaid packets client p has at this provider.
func (n *Node) PrepaidBalance(p peer.ID) (uint64, error) {
	if n.prepaid == nil {
		return 0, errors.New("node: the relay does not charge for packets")
	}
	return n.prepaid.store.balance(p)
}

// PrepaidStats returns the provider's counts of prepaid packets and
// tickets (zero if it does not charge).
func (n *Node) PrepaidStats() PrepaidStats {
	s := PrepaidStats{RefusedTickets: map[string]uint64{}}
	if n.prepaid == nil {
		return s
	}
	c := &n.prepaid.stats
	s.Debited, s.Unpaid, s.Tickets, s.Credited, s.Redeemed = c.debited.Load(), c.unpaid.Load(), c.tickets.Load(), c.credited.Load(), c.redeemed.Load()
	for _, code := range wire.SpendCodes() {
		s.RefusedTickets[code.String()] = c.refused[code].Load()
	}
	s.IssuerFailures, s.IssuerDropped, s.WithheldCheques = c.issuerFailures.Load(), c.issuerDropped.Load(), c.withheld.Load()
	s.RedeemedOnChain, s.OnChainTxs, s.OnChainGas = c.onChain.Load(), c.onChainTxs.Load(), c.onChainGas.Load()
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

// RedeemTickets redeems the spent tickets waiting for redemption now,
// rather than at the next RedeemEvery.
func (n *Node) RedeemTickets(ctx context.Context) error {
	if n.prepaid == nil {
		return errors.New("node: the relay does not charge for packets")
	}
	return n.prepaid.redeemAll(ctx)
}

// IssuerCheques returns the latest cheque of each issuer the provider
// redeemed tickets with, to cash at the Vault.
func (n *Node) IssuerCheques() ([]cheque.Signed, error) {
	if n.prepaid == nil {
		return nil, nil
	}
	return n.prepaid.store.cheques(n.cfg.Operator)
}

// --- wiring into the relay -------------------------------------------------------

// openPayments opens the stores of the payment roles the config asks for.
func (n *Node) openPayments() error {
	var err error
	if n.cfg.Prepaid != nil {
		if n.prepaid, err = newPrepaid(n); err != nil {
			return err
		}
	}
	if n.cfg.Issuing != nil {
		if n.issuing, err = newIssuing(n); err != nil {
			return err
		}
	}
	return nil
}

// startPayments starts the payment roles' routines and protocols.
func (n *Node) startPayments() {
	if n.prepaid != nil {
		n.spawn(n.prepaid.routineRedeem)
	}
	if n.issuing != nil {
		n.issuing.start()
	}
}

// closePayments closes what openPayments opened.
func (n *Node) closePayments() error {
	var errs []error
	if n.issuing != nil {
		errs = append(errs, n.issuing.close())
	}
	if n.prepaid != nil {
		errs = append(errs, n.prepaid.close())
	}
	return errors.Join(errs...)
}

// clientSpend answers a client's Spend request.
func (n *Node) clientSpend(p peer.ID, body []byte) (wire.Type, []byte) {
	n.clientsMu.RLock()
	registered := n.clients[p]
	n.clientsMu.RUnlock()
	switch {
	case !registered:
		return wire.TypeStatus, wire.EncodeStatus(wire.Status{Code: wire.CodeNotRegistered, Reason: "register first"})
	case n.prepaid == nil:
		return wire.TypeStatus, wire.EncodeStatus(wire.Status{Code: wire.CodeRejected, Reason: "this provider does not charge for packets"})
	}
	return n.prepaid.spend(n.ctx, p, body)
}
