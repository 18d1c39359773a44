// Package issuer is a relay's ticket issuer role (docs/design.md §6.2).
//
// A relay whose registry entry has [chain.RoleIssuer] and whose config has
// an issuer [Config] sells tickets: it keeps a [tickets.Issuer] in its data
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
package issuer

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p/core/host"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/settlement"
	"github.com/murmurnet/murmur/payments/market"
	"github.com/murmurnet/murmur/payments/tickets"
)

// Chain is where an issuer publishes its keys; *chain.Client is one.
type Chain interface {
	ChainID() *big.Int
	Contracts() chain.Contracts
	IssuerKey(ctx context.Context, issuer common.Address, keyEpoch uint64) (chain.IssuerKey, error)
	PublishKey(ctx context.Context, auth *bind.TransactOpts, keyEpoch uint64, publicKey []byte, value *big.Int, expiresAt time.Time) (*types.Receipt, error)
}

// Config configures a relay's ticket issuer.
type Config struct {
	// Chain is where keys are published.
	Chain Chain
	// Auth signs the PublishKey transactions; its From must be the
	// relay's operator, an issuer of the registry.
	Auth *bind.TransactOpts
	// Account is the operator's Ethereum key: the payee of the clients'
	// cheques, the payer of the cheques that redeem tickets. Its address
	// must be the relay's operator.
	Account *ecdsa.PrivateKey
	// PriceWei is the price of a ticket (at most 2¹²⁸−1 wei, not zero):
	// what a client pays for one.
	PriceWei *big.Int
	// FeeWei is the issuer's share of PriceWei (ADR 0010): a provider that
	// redeems a ticket is paid PriceWei − FeeWei, the key's value
	// on-chain. Nil is no fee.
	FeeWei *big.Int
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
	// (settlement.Stats.Forced). Nil: never looked at.
	Withdrawal func(ctx context.Context, payer common.Address) (chain.Withdrawal, error)
	// TicketFace, if not nil, makes the issuer pay providers' redemptions
	// in lottery tickets drawn on its vault deposit
	// ([tickets.IssuerConfig.TicketFace]): it returns the face value of
	// the next. An issuer that also relays packets (the mix or provider
	// role) pays by cheque whatever it is set to: its hop-by-hop tickets
	// and its redemption tickets to one provider would share the Vault's
	// one nonce word per payer and payee.
	TicketFace func() *big.Int
	// WithdrawalCheckEvery is how often Withdrawal is read for each
	// client; 0 means DefaultWithdrawalCheckEvery. It must stay well below
	// the Vault's withdrawal notice (two days by default), less the time a
	// cash takes to be mined.
	WithdrawalCheckEvery time.Duration
}

// DefaultWithdrawalCheckEvery is the default of
// [Config.WithdrawalCheckEvery]: far below the Vault's two-day
// withdrawal notice, so that an issuer down for a while still cashes in
// time, and one lookup per client with unclaimed value an hour.
const DefaultWithdrawalCheckEvery = time.Hour

// Options is the relay's side of its issuer.
type Options struct {
	// Operator and Roles are the relay's registry entry.
	Operator common.Address
	Roles    chain.Roles
	// Dir is the directory of the issuer's database.
	Dir    string
	Epochs pki.Epochs
	Now    func() time.Time
	Logger *slog.Logger
	// RefuseRedemptions makes the issuer refuse every redemption (a
	// fault, for tests).
	RefuseRedemptions bool
}

// Issuer is a relay's running issuer.
type Issuer struct {
	cfg     Config
	opt     Options
	log     *slog.Logger
	chainID uint64
	is      *tickets.Issuer
	srv     *market.Server
	cash    *settlement.Cashing

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu        sync.Mutex
	published map[uint64]bool // key epochs found or put on-chain
	failures  int             // publications failed in a row
}

// Status is what a relay's issuer is doing.
type Status struct {
	Address common.Address
	// KeyEpoch is the current key epoch, and Published whether its key is on-chain.
	KeyEpoch  uint64
	Published bool
	Value     tickets.Value
	// Market counts the orders sold, the redemptions paid and the requests
	// refused, by reason (uncovered cheques, forged tickets, ...).
	Market market.ServeStats
}

// Open opens the issuer's store in opt.Dir.
func Open(cfg Config, opt Options) (*Issuer, error) {
	if opt.Roles&chain.RoleIssuer == 0 {
		return nil, errors.New("issuer: Issuing needs the issuer role")
	}
	if cfg.Chain == nil || cfg.Auth == nil || cfg.Account == nil {
		return nil, errors.New("issuer: Issuing needs Chain, Auth and Account")
	}
	if a := crypto.PubkeyToAddress(cfg.Account.PublicKey); a != opt.Operator || cfg.Auth.From != opt.Operator {
		return nil, fmt.Errorf("issuer: Issuing.Account (%s) and Auth.From (%s) must be the operator %s", a, cfg.Auth.From, opt.Operator)
	}
	if cfg.PriceWei == nil || cfg.PriceWei.Sign() <= 0 || cfg.PriceWei.BitLen() > 128 || cfg.Packets == 0 {
		return nil, errors.New("issuer: Issuing needs a ticket price of 1 to 2¹²⁸−1 wei and a number of packets")
	}
	if cfg.FeeWei != nil && (cfg.FeeWei.Sign() < 0 || cfg.FeeWei.Cmp(cfg.PriceWei) >= 0) {
		return nil, fmt.Errorf("issuer: a fee of %s wei must be less than the ticket price %s: providers are paid the difference", cfg.FeeWei, cfg.PriceWei)
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
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
		cfg.Serve.Logger = opt.Logger
	}
	if opt.RefuseRedemptions {
		cfg.Serve.RefuseRedemptions = true
	}
	id := cfg.Chain.ChainID()
	if !id.IsUint64() {
		return nil, fmt.Errorf("issuer: chain id %s", id)
	}
	if cfg.TicketFace != nil && opt.Roles&(chain.RoleMix|chain.RoleProvider) != 0 {
		opt.Logger.Info("issuer: paying providers by cheque, as a relay that also carries packets (its lottery nonces to a provider are its hop-by-hop ones)")
		cfg.TicketFace = nil
	}
	addrs := cfg.Chain.Contracts()
	is, err := tickets.OpenIssuer(tickets.IssuerConfig{
		Dir: opt.Dir, ChainID: id.Uint64(), Vault: addrs.Vault,
		Account: cfg.Account, TicketIssuer: addrs.Tickets, Retain: cfg.Retain,
		TicketFace: cfg.TicketFace, Now: opt.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("issuer: issuer: %w", err)
	}
	iss := &Issuer{cfg: cfg, opt: opt, log: opt.Logger, chainID: id.Uint64(), is: is, published: map[uint64]bool{}}
	iss.ctx, iss.cancel = context.WithCancel(context.Background())
	return iss, nil
}

// Announce adds what a descriptor announces of the issuer's tickets (their
// price and value) to params, the relay's descriptor parameters, and
// returns the result; params is not modified.
func (iss *Issuer) Announce(params map[string]string) map[string]string {
	out := maps.Clone(params)
	if out == nil {
		out = map[string]string{}
	}
	out[pki.ParamTicketPriceWei] = iss.cfg.PriceWei.String()
	out[pki.ParamTicketPackets] = fmt.Sprint(iss.cfg.Packets)
	return out
}

// Tickets is the issuer's store ([tickets.Issuer]): its books, and a
// [settle.Holder] of the clients' cheques for the cashing loop.
func (iss *Issuer) Tickets() *tickets.Issuer { return iss.is }

func (iss *Issuer) value() tickets.Value {
	fee := new(big.Int)
	if iss.cfg.FeeWei != nil {
		fee.Set(iss.cfg.FeeWei)
	}
	return tickets.Value{Packets: iss.cfg.Packets, Price: new(big.Int).Sub(iss.cfg.PriceWei, fee), Fee: fee}
}

// Start serves the market on hst and runs the issuer's routines until ctx
// ends or Close: key rotation, and, with Config.Withdrawal and a cashing
// loop, cashing the cheques of withdrawing clients through cash.
func (iss *Issuer) Start(ctx context.Context, hst host.Host, cash *settlement.Cashing) {
	iss.cancel()
	iss.ctx, iss.cancel = context.WithCancel(ctx)
	iss.cash = cash
	iss.srv = market.Serve(hst, iss.is, iss.cfg.Serve)
	iss.spawn(iss.routineKeys)
	if iss.cfg.Withdrawal != nil && cash != nil {
		iss.spawn(iss.routineWithdrawals)
	}
}

func (iss *Issuer) spawn(f func()) {
	iss.wg.Add(1)
	go func() { defer iss.wg.Done(); f() }()
}

// routineWithdrawals cashes the cheques of clients that announced a vault
// withdrawal, at start (a relay that was down may have little of the
// notice left) and every WithdrawalCheckEvery.
func (iss *Issuer) routineWithdrawals() {
	t := time.NewTicker(iss.cfg.WithdrawalCheckEvery)
	defer t.Stop()
	for {
		if _, err := iss.CashWithdrawing(iss.ctx); err != nil && iss.ctx.Err() == nil {
			iss.log.Warn("issuer: cashing the cheques of withdrawing clients", "err", err)
		}
		select {
		case <-iss.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Close stops the issuer's routines and closes its store.
func (iss *Issuer) Close() error {
	iss.cancel()
	iss.wg.Wait()
	if iss.srv != nil {
		iss.srv.Close()
	}
	return iss.is.Close()
}

// keyEpochAt is the key epoch of time t.
func (iss *Issuer) keyEpochAt(t time.Time) uint64 {
	return iss.opt.Epochs.At(t) / iss.cfg.KeyEpochs
}

// routineKeys makes and publishes the key of each key epoch as it starts,
// checking every second.
func (iss *Issuer) routineKeys() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		iss.rotate(iss.ctx)
		select {
		case <-iss.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// rotate makes the current key epoch's key if there is none, and publishes
// every key of the window that is not on-chain.
func (iss *Issuer) rotate(ctx context.Context) {
	k := iss.keyEpochAt(iss.opt.Now())
	if _, err := iss.is.Key(k); err != nil {
		if !errors.Is(err, tickets.ErrUnknownEpoch) {
			iss.log.Warn("issuer: key epoch", "epoch", k, "err", err)
			return
		}
		sk, err := tickets.GenerateIssuerKey(rand.Reader, iss.chainID, k, iss.value())
		if err == nil {
			err = iss.is.AddKey(sk)
		}
		if err != nil {
			iss.log.Warn("issuer: new key", "epoch", k, "err", err)
			return
		}
		iss.log.Debug("issuer: new key", "epoch", k)
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
			iss.log.Warn("issuer: publishing the ticket key", "epoch", key.Epoch, "failures", failures, "err", err)
		default:
			iss.log.Debug("issuer: publishing the ticket key", "epoch", key.Epoch, "err", err)
		}
	}
}

// publish puts key on-chain unless it is there already.
func (iss *Issuer) publish(ctx context.Context, key tickets.IssuerKey) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	pub := tickets.EncodeG2EIP2537(&key.PublicKey)
	on, err := iss.cfg.Chain.IssuerKey(ctx, iss.opt.Operator, key.Epoch)
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
	expires := iss.opt.Epochs.Start((key.Epoch + 1 + iss.cfg.Retain) * iss.cfg.KeyEpochs)
	auth := *iss.cfg.Auth
	auth.Context = ctx
	if _, err := iss.cfg.Chain.PublishKey(ctx, &auth, key.Epoch, pub[:], key.Value.Price, expires); err != nil {
		return err
	}
	iss.log.Debug("issuer: published ticket key", "epoch", key.Epoch, "expires", expires)
	return nil
}

// CashWithdrawing is one check for withdrawals: it cashes, whatever the
// gas rule, the cheque of every client that announced a vault withdrawal
// and whose cheque is not cashed in full (see [Config.Withdrawal]), and
// returns the wei received. A client has no stake, so its cheque must be
// cashed before the withdrawal can be taken, or what the deposit no
// longer covers is lost. The chain is read before the cashing loop's lock
// is taken, so that a slow chain holds no routine round up.
func (iss *Issuer) CashWithdrawing(ctx context.Context) (*big.Int, error) {
	if iss.cash == nil || iss.cfg.Withdrawal == nil {
		return new(big.Int), nil
	}
	ws, lerr := iss.withdrawing(ctx)
	got, _, err := iss.cash.CashNow(ctx, settlement.Source{Name: "client", Holder: iss.is}, ws)
	return got, errors.Join(lerr, err)
}

// withdrawing returns the clients whose cheque is not cashed in full and
// that have announced a vault withdrawal. It reads the chain once per
// such client, and holds no lock meanwhile.
func (iss *Issuer) withdrawing(ctx context.Context) (map[common.Address]bool, error) {
	hs, err := iss.is.Holdings()
	if err != nil {
		return nil, err
	}
	out := map[common.Address]bool{}
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
			iss.log.Info("issuer: a client announced a vault withdrawal; cashing its cheque now",
				"client", h.Payer, "unclaimed", h.Pending, "withdrawal", w.Amount, "unlock_at", w.UnlockAt)
			out[h.Payer] = true
		}
	}
	return out, errors.Join(errs...)
}

// Status returns what the issuer is doing.
func (iss *Issuer) Status() Status {
	k := iss.keyEpochAt(iss.opt.Now())
	var ms market.ServeStats
	if iss.srv != nil {
		ms = iss.srv.Stats()
	}
	iss.mu.Lock()
	defer iss.mu.Unlock()
	return Status{Address: iss.opt.Operator, KeyEpoch: k, Published: iss.published[k], Value: iss.value(), Market: ms}
}
