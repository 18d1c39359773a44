package node

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"path/filepath"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/payments/market"
	"github.com/murmurnet/murmur/payments/settle"
	"github.com/murmurnet/murmur/payments/tickets"
)

// The ticket issuer role (DESIGN §6.2).
//
// A relay whose registry entry has [chain.RoleIssuer] and whose config has
// [Config.Issuing] sells tickets: it keeps a [tickets.Issuer] in its data
// directory, serves /murmur/tickets/1 (package market) on its libp2p host,
// and announces the price and value of a ticket in its descriptor
// ([pki.ParamTicketPriceWei], [pki.ParamTicketPackets]).
//
// Key epochs are spans of KeyEpochs registry epochs: key epoch k covers
// registry epochs [k·KeyEpochs, (k+1)·KeyEpochs). When k starts, the issuer
// makes a key for it and publishes it on the TicketIssuer contract, with
// an expiry at the start of key epoch k+1+Retain, when its keyring drops
// the key. Keys are stored before they are published, and every key of the
// window not on-chain yet is published again, so a crash between the two
// loses nothing. Clients should buy only with keys they find on-chain, and
// providers take only those: a key that is stored but not yet published
// sells tickets that providers refuse until it is (they keep them).

// TicketIssuing configures a relay's ticket issuer.
type TicketIssuing struct {
	// Chain is where keys are published.
	Chain TicketChain
	// Auth signs the PublishKey transactions; its From must be
	// Config.Operator, an issuer of the registry.
	Auth *bind.TransactOpts
	// Account is the operator's Ethereum key: the payee of the clients'
	// cheques, the payer of the cheques that redeem tickets. Its address
	// must be Config.Operator.
	Account *ecdsa.PrivateKey
	// PriceWei is the price of a ticket (at most 2¹²⁸−1 wei, not zero).
	PriceWei *big.Int
	// Packets is what a ticket pays for.
	Packets uint64
	// KeyEpochs is the length of a key epoch in registry epochs; default 72
	// (a day of 20-minute epochs).
	KeyEpochs uint64
	// Retain is how many key epochs before the current one stay valid;
	// default 1.
	Retain uint64
	// Serve configures the market protocol; its Logger defaults to the relay's.
	Serve market.ServeOptions
	// Withdrawal reads a client's announced vault withdrawal. A client has
	// no stake, so a cheque its deposit cannot pay bounces for good; and
	// the gas rule can leave a client's cheque uncashed for longer than the
	// Vault's withdrawal notice. With Withdrawal (and a way to cash), every
	// WithdrawalCheckEvery the issuer reads it for each client whose
	// cheque it has not cashed in full, and cashes the cheque of one that
	// announced a withdrawal at once, whatever the gas rule, so that it is
	// paid before the withdrawal can be taken
	// ([Earnings.CashedForWithdrawal]). Nil: never looked at.
	Withdrawal func(ctx context.Context, payer common.Address) (chain.Withdrawal, error)
	// WithdrawalCheckEvery is how often Withdrawal is read for each
	// client; 0 means DefaultWithdrawalCheckEvery. It must stay well below
	// the Vault's withdrawal notice (two days by default), less the time a
	// cash takes to be mined.
	WithdrawalCheckEvery time.Duration
}

// DefaultWithdrawalCheckEvery is the default of
// [TicketIssuing.WithdrawalCheckEvery]: far below the Vault's two-day
// withdrawal notice, so that an issuer down for a while still cashes in
// time, and one lookup per client with unclaimed value an hour.
const DefaultWithdrawalCheckEvery = time.Hour

// issuing is a relay's running issuer.
type issuing struct {
	n       *Node
	cfg     TicketIssuing
	chainID uint64
	is      *tickets.Issuer
	srv     *market.Server

	mu        sync.Mutex
	published map[uint64]bool // key epochs found or put on-chain
	failures  int             // publications failed in a row
}

// IssuerStatus is what a relay's issuer is doing.
type IssuerStatus struct {
	Address common.Address
	// KeyEpoch is the current key epoch, and Published whether its key is on-chain.
	KeyEpoch  uint64
	Published bool
	Value     tickets.Value
	// Market counts the orders sold, the redemptions paid and the requests
	// refused, by reason (uncovered cheques, forged tickets, ...).
	Market market.ServeStats
}

func newIssuing(n *Node) (*issuing, error) {
	cfg := *n.cfg.Issuing
	if n.cfg.Roles&chain.RoleIssuer == 0 {
		return nil, errors.New("node: Issuing needs the issuer role")
	}
	if cfg.Chain == nil || cfg.Auth == nil || cfg.Account == nil {
		return nil, errors.New("node: Issuing needs Chain, Auth and Account")
	}
	if a := crypto.PubkeyToAddress(cfg.Account.PublicKey); a != n.cfg.Operator || cfg.Auth.From != n.cfg.Operator {
		return nil, fmt.Errorf("node: Issuing.Account (%s) and Auth.From (%s) must be the operator %s", a, cfg.Auth.From, n.cfg.Operator)
	}
	if cfg.PriceWei == nil || cfg.PriceWei.Sign() <= 0 || cfg.PriceWei.BitLen() > 128 || cfg.Packets == 0 {
		return nil, errors.New("node: Issuing needs a ticket price of 1 to 2¹²⁸−1 wei and a number of packets")
	}
	if cfg.KeyEpochs == 0 {
		cfg.KeyEpochs = 72
	}
	if cfg.Retain == 0 {
		cfg.Retain = 1
	}
	if cfg.WithdrawalCheckEvery <= 0 {
		cfg.WithdrawalCheckEvery = DefaultWithdrawalCheckEvery
	}
	if cfg.Serve.Logger == nil {
		cfg.Serve.Logger = n.log
	}
	if n.cfg.Faults.RefuseRedemptions {
		cfg.Serve.RefuseRedemptions = true
	}
	id := cfg.Chain.ChainID()
	if !id.IsUint64() {
		return nil, fmt.Errorf("node: chain id %s", id)
	}
	addrs := cfg.Chain.Contracts()
	is, err := tickets.OpenIssuer(tickets.IssuerConfig{
		Dir: filepath.Join(n.cfg.DataDir, "issuer"), ChainID: id.Uint64(), Vault: addrs.Vault,
		Account: cfg.Account, TicketIssuer: addrs.Tickets, Retain: cfg.Retain,
	})
	if err != nil {
		return nil, fmt.Errorf("node: issuer: %w", err)
	}
	// Announce the ticket in the descriptor, next to the network parameters.
	params := maps.Clone(n.cfg.Params)
	if params == nil {
		params = map[string]string{}
	}
	params[pki.ParamTicketPriceWei] = cfg.PriceWei.String()
	params[pki.ParamTicketPackets] = fmt.Sprint(cfg.Packets)
	n.cfg.Params = params
	return &issuing{n: n, cfg: cfg, chainID: id.Uint64(), is: is, published: map[uint64]bool{}}, nil
}

func (iss *issuing) value() tickets.Value {
	return tickets.Value{Packets: iss.cfg.Packets, Price: new(big.Int).Set(iss.cfg.PriceWei)}
}

func (iss *issuing) start() {
	iss.srv = market.Serve(iss.n.host, iss.is, iss.cfg.Serve)
	iss.n.spawn(iss.routineKeys)
	if iss.cfg.Withdrawal != nil && iss.n.cash != nil {
		iss.n.spawn(iss.routineWithdrawals)
	}
}

// routineWithdrawals cashes the cheques of clients that announced a vault
// withdrawal, at start (a relay that was down may have little of the
// notice left) and every WithdrawalCheckEvery.
func (iss *issuing) routineWithdrawals() {
	t := time.NewTicker(iss.cfg.WithdrawalCheckEvery)
	defer t.Stop()
	for {
		if _, err := iss.n.cashWithdrawing(iss.n.ctx); err != nil && iss.n.ctx.Err() == nil {
			iss.n.log.Warn("issuer: cashing the cheques of withdrawing clients", "err", err)
		}
		select {
		case <-iss.n.ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (iss *issuing) close() error {
	if iss.srv != nil {
		iss.srv.Close()
	}
	return iss.is.Close()
}

// keyEpochAt is the key epoch of time t.
func (iss *issuing) keyEpochAt(t time.Time) uint64 {
	return iss.n.cfg.Epochs.At(t) / iss.cfg.KeyEpochs
}

// routineKeys makes and publishes the key of each key epoch as it starts,
// checking every second.
func (iss *issuing) routineKeys() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		iss.rotate(iss.n.ctx)
		select {
		case <-iss.n.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// rotate makes the current key epoch's key if there is none, and publishes
// every key of the window that is not on-chain.
func (iss *issuing) rotate(ctx context.Context) {
	k := iss.keyEpochAt(iss.n.cfg.Now())
	if _, err := iss.is.Key(k); err != nil {
		if !errors.Is(err, tickets.ErrUnknownEpoch) {
			iss.n.log.Warn("issuer: key epoch", "epoch", k, "err", err)
			return
		}
		sk, err := tickets.GenerateIssuerKey(rand.Reader, iss.chainID, k, iss.value())
		if err == nil {
			err = iss.is.AddKey(sk)
		}
		if err != nil {
			iss.n.log.Warn("issuer: new key", "epoch", k, "err", err)
			return
		}
		iss.n.log.Debug("issuer: new key", "epoch", k)
	}
	for _, key := range iss.is.Keys() {
		iss.mu.Lock()
		done := iss.published[key.Epoch]
		iss.mu.Unlock()
		if done {
			continue
		}
		err := iss.publish(ctx, key)
		iss.mu.Lock()
		if err == nil {
			iss.published[key.Epoch] = true
			iss.failures = 0
		} else {
			iss.failures++
		}
		failures := iss.failures
		iss.mu.Unlock()
		switch {
		case err == nil || ctx.Err() != nil:
		case failures%10 == 3:
			// A transaction can fail once (a nonce race); repeated failures are the operator's business.
			iss.n.log.Warn("issuer: publishing the ticket key", "epoch", key.Epoch, "failures", failures, "err", err)
		default:
			iss.n.log.Debug("issuer: publishing the ticket key", "epoch", key.Epoch, "err", err)
		}
	}
}

// publish puts key on-chain unless it is there already.
func (iss *issuing) publish(ctx context.Context, key tickets.IssuerKey) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	pub := tickets.EncodeG2EIP2537(&key.PublicKey)
	on, err := iss.cfg.Chain.IssuerKey(ctx, iss.n.cfg.Operator, key.Epoch)
	if err != nil {
		return err
	}
	if on.Value != nil && on.Value.Sign() != 0 {
		if string(on.PublicKey) != string(pub[:]) {
			// Never replaced on-chain: this epoch's tickets cannot be spent.
			return fmt.Errorf("another key is published for key epoch %d (a lost issuer store?); its tickets will be refused", key.Epoch)
		}
		return nil
	}
	expires := iss.n.cfg.Epochs.Start((key.Epoch + 1 + iss.cfg.Retain) * iss.cfg.KeyEpochs)
	auth := *iss.cfg.Auth
	auth.Context = ctx
	if _, err := iss.cfg.Chain.PublishKey(ctx, &auth, key.Epoch, pub[:], key.Value.Price, expires); err != nil {
		return err
	}
	iss.n.log.Debug("issuer: published ticket key", "epoch", key.Epoch, "expires", expires)
	return nil
}

// cashSales cashes the clients' cheques whose unclaimed value exceeds
// above, and records what the Vault paid in the issuer's store.
func (iss *issuing) cashSales(ctx context.Context, above *big.Int, c *cashing) (*big.Int, error) {
	got := new(big.Int)
	hs, err := iss.holdings()
	if err != nil {
		return got, err
	}
	var errs []error
	for _, h := range hs {
		if h.Pending.Cmp(above) <= 0 {
			continue
		}
		g, err := iss.cashHolding(ctx, h, c)
		got.Add(got, g)
		errs = append(errs, err)
	}
	return got, errors.Join(errs...)
}

// cashHolding cashes a client's cheque and records what the Vault paid
// in the issuer's store; it returns the wei received.
func (iss *issuing) cashHolding(ctx context.Context, h settle.Holding, c *cashing) (*big.Int, error) {
	r, err := c.do(ctx, h.Latest)
	if err != nil {
		return new(big.Int), fmt.Errorf("cashing client %s's cheque: %w", h.Payer, err)
	}
	iss.n.logBounce(h.Latest, r)
	if r.Total.Cmp(h.Cashed) <= 0 {
		return new(big.Int), nil
	}
	if err := iss.is.MarkCashed(h.Payer, r.Total); err != nil {
		return new(big.Int), err
	}
	return new(big.Int).Sub(r.Total, h.Cashed), nil
}

// withdrawing returns the clients whose cheque is not cashed in full and
// that have announced a vault withdrawal. It reads the chain once per
// such client, and holds no lock meanwhile.
func (iss *issuing) withdrawing(ctx context.Context) (map[common.Address]chain.Withdrawal, error) {
	hs, err := iss.holdings()
	if err != nil {
		return nil, err
	}
	out := map[common.Address]chain.Withdrawal{}
	var errs []error
	for _, h := range hs {
		if h.Pending.Sign() <= 0 {
			continue
		}
		w, err := iss.cfg.Withdrawal(ctx, h.Payer)
		if err != nil {
			errs = append(errs, fmt.Errorf("reading client %s's withdrawal: %w", h.Payer, err))
			continue
		}
		if w.Amount != nil && w.Amount.Sign() > 0 {
			out[h.Payer] = w
		}
	}
	return out, errors.Join(errs...)
}

// cashWithdrawals cashes, whatever the gas rule, the cheques of the
// clients in ws (see [issuing.withdrawing]) that are still not cashed in
// full, and returns the wei received. The caller holds c.mu.
func (iss *issuing) cashWithdrawals(ctx context.Context, ws map[common.Address]chain.Withdrawal, c *cashing) (*big.Int, error) {
	got := new(big.Int)
	if len(ws) == 0 {
		return got, nil
	}
	// Read again under the lock: a routine round may have cashed some.
	hs, err := iss.holdings()
	if err != nil {
		return got, err
	}
	var errs []error
	for _, h := range hs {
		w, ok := ws[h.Payer]
		if !ok || h.Pending.Sign() <= 0 {
			continue
		}
		iss.n.log.Info("issuer: a client announced a vault withdrawal; cashing its cheque now",
			"client", h.Payer, "unclaimed", h.Pending, "withdrawal", w.Amount, "unlock_at", w.UnlockAt)
		g, err := iss.cashHolding(ctx, h, c)
		got.Add(got, g)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		c.forWithdrawal.Add(1)
	}
	return got, errors.Join(errs...)
}

// holdings lists the clients' last cheques with what was cashed of them
// (Unpaid is zero: a client pays before it is served).
func (iss *issuing) holdings() ([]settle.Holding, error) {
	ps, err := iss.is.Payments()
	if err != nil {
		return nil, err
	}
	out := make([]settle.Holding, 0, len(ps))
	for _, s := range ps {
		cashed, err := iss.is.Cashed(s.Payer)
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

// Issuer returns the relay's ticket issuer (nil unless it issues), for its
// books: what each client paid ([tickets.Issuer.Payment]), what it owes
// each provider ([tickets.Issuer.Owed]).
func (n *Node) Issuer() *tickets.Issuer {
	if n.issuing == nil {
		return nil
	}
	return n.issuing.is
}

// IssuerStatus returns what the relay's issuer is doing (zero unless it issues).
func (n *Node) IssuerStatus() IssuerStatus {
	if n.issuing == nil {
		return IssuerStatus{}
	}
	iss := n.issuing
	k := iss.keyEpochAt(n.cfg.Now())
	var ms market.ServeStats
	if iss.srv != nil {
		ms = iss.srv.Stats()
	}
	iss.mu.Lock()
	defer iss.mu.Unlock()
	return IssuerStatus{Address: n.cfg.Operator, KeyEpoch: k, Published: iss.published[k], Value: iss.value(), Market: ms}
}
