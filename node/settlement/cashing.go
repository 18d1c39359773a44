package settlement

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/lottery"
	"github.com/murmurnet/murmur/payments/settle"
)

// Casher cashes cheques on-chain; [chain.Cashier] is the real one.
type Casher interface {
	// Cash cashes s at the Vault (see [chain.CashResult]).
	Cash(ctx context.Context, s cheque.Signed) (chain.CashResult, error)
	// GasPrice returns the chain's gas price now.
	GasPrice(ctx context.Context) (*big.Int, error)
}

// Config is how a relay cashes the cheques it holds.
type Config struct {
	// Casher cashes a cheque on-chain; nil: cheques are only kept.
	Casher Casher
	// Above is the least unclaimed value, in wei, a cheque is cashed for,
	// whatever the gas price; nil: 0.
	Above *big.Int
	// GasFactor is how many times its gas cost a cash must bring in;
	// default settle.DefaultCashGasFactor.
	GasFactor uint64
	// Every is how often the routine cashes the cheques due; default 1
	// minute.
	Every time.Duration
}

// Redeemer redeems winning lottery tickets on-chain; [chain.Cashier] is
// one. A Casher that is not a Redeemer leaves wins unclaimed.
type Redeemer interface {
	// Redeem redeems wins, payable to the relay, in one transaction; a
	// revert naming one of them is told by [chain.RefusedTicket].
	Redeem(ctx context.Context, wins []lottery.Win) (chain.RedeemResult, error)
}

// Winner is a store of winning lottery tickets payable to the operator:
// the hop-by-hop [settle.Ledger].
type Winner interface {
	// Wins returns the wins to claim, in the order the Vault takes them.
	Wins() ([]lottery.Win, error)
	// MarkClaimed records that a win was paid; ForgetWin that the Vault
	// refused it.
	MarkClaimed(lottery.Win) error
	ForgetWin(lottery.Win) error
}

// Source is one of the relay's cheque holders, named for its logs and
// errors ("neighbour", "issuer", "client"), and its store of winning
// lottery tickets, if it takes any.
type Source struct {
	Name   string
	Holder settle.Holder
	Wins   Winner
}

// Cashing is a relay's one cashing loop over all the cheques it holds:
// its rule, its sources and its counts. A nil *Cashing cashes nothing.
type Cashing struct {
	casher  Casher
	floor   *big.Int
	factor  uint64
	every   time.Duration
	log     *slog.Logger
	sources []Source

	mu sync.Mutex // one round at a time: a payer's cheque is never cashed twice at once

	measured                                    atomic.Uint64           // gas of the last cash paid from a deposit
	threshold                                   atomic.Pointer[big.Int] // of the last routine round
	rounds, txs, gas, bounced, failed, withheld atomic.Uint64
	forced                                      atomic.Uint64
	fromStake                                   atomic.Pointer[big.Int]
	winsClaimed, winsLost                       atomic.Uint64
	claimedWei                                  atomic.Pointer[big.Int]
}

// NewCashing returns the cashing loop over sources, or nil when cfg has
// no Casher. log may be nil.
func NewCashing(cfg Config, log *slog.Logger, sources ...Source) *Cashing {
	if cfg.Casher == nil {
		return nil
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Cashing{
		casher: cfg.Casher, floor: new(big.Int), factor: settle.DefaultCashGasFactor, every: time.Minute,
		log: log, sources: sources,
	}
	if cfg.Above != nil {
		c.floor.Set(cfg.Above)
	}
	if cfg.GasFactor != 0 {
		c.factor = cfg.GasFactor
	}
	if cfg.Every != 0 {
		c.every = cfg.Every
	}
	c.fromStake.Store(new(big.Int))
	c.claimedWei.Store(new(big.Int))
	return c
}

// Every is how often the routine should call [Cashing.Round].
func (c *Cashing) Every() time.Duration { return c.every }

// gasPerCash is the gas a cash is reckoned to cost: the last measured
// one, settle.DefaultCashGas until there is one.
func (c *Cashing) gasPerCash() uint64 {
	if g := c.measured.Load(); g != 0 {
		return g
	}
	return settle.DefaultCashGas
}

// Threshold is the unclaimed value above which a cheque is worth cashing
// at the current gas price.
func (c *Cashing) Threshold(ctx context.Context) (*big.Int, error) {
	price, err := c.casher.GasPrice(ctx)
	if err != nil {
		return nil, fmt.Errorf("gas price: %w", err)
	}
	return settle.CashThreshold(c.floor, price, c.gasPerCash(), c.factor), nil
}

// Round is one round of the routine: it cashes every cheque whose
// unclaimed value passes the gas-aware threshold (or its payer's
// half-cover mark), and returns the wei received. A round whose gas price
// is unknown cashes nothing.
func (c *Cashing) Round(ctx context.Context) (*big.Int, error) {
	if c == nil {
		return new(big.Int), nil
	}
	above, err := c.Threshold(ctx)
	if err != nil {
		c.failed.Add(1)
		return new(big.Int), fmt.Errorf("settlement: not cashing: %w", err)
	}
	c.threshold.Store(above)
	defer c.rounds.Add(1)
	return c.CashAbove(ctx, above)
}

// CashAbove cashes every cheque whose unclaimed value exceeds above (nil:
// any), and returns the wei received. A relay calls it with nil before it
// exits.
func (c *Cashing) CashAbove(ctx context.Context, above *big.Int) (*big.Int, error) {
	got := new(big.Int)
	if c == nil {
		return got, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, src := range c.sources {
		hs, err := holdings(src.Holder)
		if err != nil {
			errs = append(errs, fmt.Errorf("settlement: %s cheques: %w", src.Name, err))
			continue
		}
		for _, h := range hs {
			switch settle.DecideCash(h, above) {
			case settle.Keep:
			case settle.Withhold:
				c.withheld.Add(1)
				c.log.Warn("cashing: withholding a cheque that reaches its payer's cash limit",
					"from", src.Name, "payer", h.Payer, "cheque", h.Latest.CumulativeAmount, "cash_limit", h.Limit)
			case settle.Cash:
				g, err := c.cash(ctx, src, h)
				got.Add(got, g)
				errs = append(errs, err)
			}
		}
		if src.Wins != nil {
			g, err := c.redeem(ctx, src)
			got.Add(got, g)
			errs = append(errs, err)
		}
	}
	return got, errors.Join(errs...)
}

// redeem claims every win src holds, in one transaction: each win's face
// value was set from the gas price to be worth its claim many times over
// (econ.FaceValueWei), so none is kept waiting, and batching only saves
// gas. A win the Vault refuses is dropped and the rest tried again.
func (c *Cashing) redeem(ctx context.Context, src Source) (*big.Int, error) {
	got := new(big.Int)
	red, ok := c.casher.(Redeemer)
	if !ok {
		return got, nil
	}
	ws, err := src.Wins.Wins()
	if err != nil {
		c.failed.Add(1)
		return got, fmt.Errorf("settlement: %s wins: %w", src.Name, err)
	}
	for len(ws) > 0 {
		r, err := red.Redeem(ctx, ws)
		if r.Gas > 0 {
			c.txs.Add(1)
			c.gas.Add(r.Gas)
		}
		if i, ok := chain.RefusedTicket(err); ok && i >= 0 && i < len(ws) {
			c.winsLost.Add(1)
			c.log.Warn("cashing: the vault refused a winning ticket; dropping it", "from", src.Name,
				"payer", ws[i].Ticket.Payer, "nonce", ws[i].Ticket.Nonce, "err", err)
			if err := src.Wins.ForgetWin(ws[i]); err != nil {
				return got, err
			}
			ws = append(ws[:i:i], ws[i+1:]...)
			continue
		}
		if err == nil && r.Paid == nil {
			err = errors.New("the redeemer reported no amount")
		}
		if err != nil {
			c.failed.Add(1)
			return got, fmt.Errorf("redeeming %d %s wins: %w", len(ws), src.Name, err)
		}
		var errs []error
		for _, w := range ws {
			errs = append(errs, src.Wins.MarkClaimed(w))
		}
		c.winsClaimed.Add(uint64(len(ws)))
		for {
			old := c.claimedWei.Load()
			if c.claimedWei.CompareAndSwap(old, new(big.Int).Add(old, r.Paid)) {
				break
			}
		}
		got.Add(got, r.Paid)
		return got, errors.Join(errs...)
	}
	return got, nil
}

// CashNow cashes, whatever the gas rule, the cheques of payers held by
// src that are not cashed in full, and returns the wei received and how
// many it cashed. An issuer calls it for the clients that announced a
// vault withdrawal: a client has no stake, so a cheque still uncashed
// when the withdrawal is taken bounces for good. A cheque at its payer's
// cash limit is still withheld.
func (c *Cashing) CashNow(ctx context.Context, src Source, payers map[common.Address]bool) (*big.Int, int, error) {
	got := new(big.Int)
	if c == nil || len(payers) == 0 {
		return got, 0, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// Read under the lock: a routine round may have cashed some.
	hs, err := holdings(src.Holder)
	if err != nil {
		return got, 0, fmt.Errorf("settlement: %s cheques: %w", src.Name, err)
	}
	var errs []error
	n := 0
	for _, h := range hs {
		if !payers[h.Payer] || settle.DecideCash(h, nil) != settle.Cash {
			continue
		}
		g, err := c.cash(ctx, src, h)
		got.Add(got, g)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
		c.forced.Add(1)
	}
	return got, n, errors.Join(errs...)
}

// holdings flushes a holder that keeps counters in memory (the ledger)
// before reading it, so that what is cashed is also on disk.
func holdings(h settle.Holder) ([]settle.Holding, error) {
	if f, ok := h.(interface{ Flush() error }); ok {
		if err := f.Flush(); err != nil {
			return nil, err
		}
	}
	return h.Holdings()
}

// cash cashes h's cheque, counts it, and records the Vault's total in
// src; it returns the wei received.
func (c *Cashing) cash(ctx context.Context, src Source, h settle.Holding) (*big.Int, error) {
	r, err := c.casher.Cash(ctx, h.Latest)
	if r.Gas > 0 {
		c.txs.Add(1)
		c.gas.Add(r.Gas)
	}
	if err == nil && r.Total == nil {
		err = errors.New("the casher reported no total")
	}
	if err != nil {
		c.failed.Add(1)
		return new(big.Int), fmt.Errorf("cashing %s %s's cheque: %w", src.Name, h.Payer, err)
	}
	if r.FromStake != nil && r.FromStake.Sign() > 0 {
		c.bounced.Add(1)
		for {
			old := c.fromStake.Load()
			if c.fromStake.CompareAndSwap(old, new(big.Int).Add(old, r.FromStake)) {
				break
			}
		}
		c.log.Warn("cashing: the cheque bounced; the vault paid from the payer's stake and jailed it",
			"from", src.Name, "payer", h.Payer, "from_stake", r.FromStake, "cashed_total", r.Total)
	} else if r.Gas > 0 {
		c.measured.Store(r.Gas)
	}
	if r.Total.Cmp(h.Cashed) <= 0 {
		return new(big.Int), nil
	}
	if err := src.Holder.MarkCashed(h.Payer, r.Total); err != nil {
		return new(big.Int), fmt.Errorf("recording %s %s's cashed total: %w", src.Name, h.Payer, err)
	}
	return new(big.Int).Sub(r.Total, h.Cashed), nil
}

// Stats are the cashing loop's counts since it started.
type Stats struct {
	// Txs and Gas count the cash transactions and their gas.
	Txs, Gas uint64
	// Rounds counts the routine's rounds; Threshold is the unclaimed
	// value above which the last one cashed (nil before the first), and
	// GasPerTx the gas of a cash it reckons with.
	Rounds    uint64
	Threshold *big.Int
	GasPerTx  uint64
	// Bounced counts cheques that bounced when cashed, and FromStake is
	// what the Vault paid for them from their payers' stakes.
	Bounced   uint64
	FromStake *big.Int
	// Failures counts cashes and rounds that failed (retried next round).
	Failures uint64
	// Withheld counts cheques not cashed because they reach their payer's
	// cash limit (see [settle.Holding.Limit]).
	Withheld uint64
	// Forced counts the cheques cashed whatever the gas rule by
	// [Cashing.CashNow].
	Forced uint64
	// WinsClaimed counts the winning lottery tickets redeemed, ClaimedWei
	// what the Vault paid for them; WinsLost the wins it refused.
	WinsClaimed, WinsLost uint64
	ClaimedWei            *big.Int
}

// Stats returns the loop's counts; zero for a nil loop.
func (c *Cashing) Stats() Stats {
	if c == nil {
		return Stats{}
	}
	s := Stats{
		Txs: c.txs.Load(), Gas: c.gas.Load(), Rounds: c.rounds.Load(), GasPerTx: c.gasPerCash(),
		Bounced: c.bounced.Load(), FromStake: new(big.Int).Set(c.fromStake.Load()),
		Failures: c.failed.Load(), Withheld: c.withheld.Load(), Forced: c.forced.Load(),
		WinsClaimed: c.winsClaimed.Load(), WinsLost: c.winsLost.Load(), ClaimedWei: new(big.Int).Set(c.claimedWei.Load()),
	}
	if t := c.threshold.Load(); t != nil {
		s.Threshold = new(big.Int).Set(t)
	}
	return s
}
