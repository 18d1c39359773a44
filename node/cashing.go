package node

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/settle"
)

// Cashing cheques (DESIGN §6.1, ADR 0009).
//
// A relay holds three kinds of cheques: those of the neighbours that hand
// it packets (hop-by-hop settlement, package settle); at a provider, the
// latest cheque of each issuer it redeemed tickets with; and at an issuer,
// the latest cheque of each client that bought tickets. All are cashed by
// one routine ([Config.Cashing]), by one rule: every Cashing.Every, each
// cheque whose unclaimed value (cumulative amount minus what was already
// cashed from that payer) exceeds max(Cashing.Above, gas price × gas of a
// cash × Cashing.GasFactor) is cashed, so that gas takes at most 1/GasFactor of
// what cashing brings in. The gas of a cash is the relay's own last
// measured one, settle.DefaultCashGas until it has one. A neighbour's
// cheque is also cashed once its unclaimed value reaches half the
// neighbour's cover (vault deposit plus stake, as last looked up), whatever
// the gas rule says: a cheque is accepted only while the cover backs all
// of its unclaimed value, so waiting longer would refuse an honest
// neighbour's next cheque, and then its packets (see settle.Ledger.CashDue).
// At an issuer, a client's cheque is also cashed at once when the client
// announces a vault withdrawal ([TicketIssuing.Withdrawal], checked every
// WithdrawalCheckEvery): a client has no stake, so a cheque still
// uncashed when the withdrawal is taken bounces for good.
// Before it exits, a relay cashes everything it holds whatever its size
// ([Node.Exit]).
//
// A cheque that bounces (the payer's deposit is short) is paid by the
// Vault from the payer's stake, and the payer is jailed; the relay needs
// to do nothing more than cash, and counts it. What the stake could not
// cover stays unclaimed on the same cheque and is claimed at a later round.

// CashResult is what cashing one cheque did on-chain.
type CashResult struct {
	// Total is what the payee has cashed from the payer in all, afterwards.
	Total *big.Int
	// Gas is the gas the transaction used (also when it failed on-chain).
	Gas uint64
	// FromStake is what the Vault took from the payer's stake because its
	// deposit was short (the cheque bounced, and the payer was jailed); nil
	// when the deposit paid it all.
	FromStake *big.Int
}

// cashing is a relay's cashing routine: its rule and its counts.
type cashing struct {
	cash     func(ctx context.Context, s cheque.Signed) (CashResult, error)
	gasPrice func(ctx context.Context) (*big.Int, error)
	floor    *big.Int
	factor   uint64
	every    time.Duration

	mu sync.Mutex // one round at a time: a payer's cheque is never cashed twice at once

	measured                          atomic.Uint64           // gas of the last cash paid from a deposit
	threshold                         atomic.Pointer[big.Int] // of the last routine round
	rounds, txs, gas, bounced, failed atomic.Uint64
	forWithdrawal                     atomic.Uint64 // clients' cheques cashed because of a withdrawal
	fromStake                         atomic.Pointer[big.Int]
}

// Cashing is how a relay cashes the cheques it holds: neighbours' (hop by
// hop), issuers' (a provider), clients' (an issuer). All are payable to the
// operator, so one routine and one rule cash them all.
type Cashing struct {
	// Cash cashes a cheque on-chain (see [CashResult]).
	Cash func(ctx context.Context, s cheque.Signed) (CashResult, error)
	// GasPrice returns the chain's gas price now; with it, a cheque is
	// cashed only once its unclaimed value pays for the gas of cashing it
	// GasFactor times over (see [settle.CashThreshold]). Nil: Above alone
	// decides.
	GasPrice func(ctx context.Context) (*big.Int, error)
	// Above is the least unclaimed value, in wei, a cheque is cashed for,
	// whatever the gas price; nil: 0.
	Above *big.Int
	// GasFactor is how many times its gas cost a cash must bring in;
	// default settle.DefaultCashGasFactor (5,000: gas takes at most 0.02%).
	GasFactor uint64
	// Every is how often cheques due are cashed; default 1 minute.
	Every time.Duration
}

// newCashing returns the relay's cashing routine, or nil when
// Config.Cashing does not cash: the cheques are then only kept.
func newCashing(cfg *Config) *cashing {
	c := &cashing{every: time.Minute, factor: settle.DefaultCashGasFactor, floor: new(big.Int)}
	switch cc := cfg.Cashing; {
	case cc != nil && cc.Cash != nil:
		c.cash, c.gasPrice = cc.Cash, cc.GasPrice
		if cc.Above != nil {
			c.floor = new(big.Int).Set(cc.Above)
		}
		if cc.GasFactor != 0 {
			c.factor = cc.GasFactor
		}
		if cc.Every != 0 {
			c.every = cc.Every
		}
	default:
		return nil
	}
	c.fromStake.Store(new(big.Int))
	return c
}

// gasPerCash is the gas a cash is reckoned to cost.
func (c *cashing) gasPerCash() uint64 {
	if g := c.measured.Load(); g != 0 {
		return g
	}
	return settle.DefaultCashGas
}

// thresholdNow is the unclaimed value above which a cheque is worth
// cashing at the current gas price.
func (c *cashing) thresholdNow(ctx context.Context) (*big.Int, error) {
	var price *big.Int
	if c.gasPrice != nil {
		var err error
		if price, err = c.gasPrice(ctx); err != nil {
			return nil, fmt.Errorf("gas price: %w", err)
		}
	}
	return settle.CashThreshold(c.floor, price, c.gasPerCash(), c.factor), nil
}

// do cashes s and counts it.
func (c *cashing) do(ctx context.Context, s cheque.Signed) (CashResult, error) {
	r, err := c.cash(ctx, s)
	if r.Gas > 0 {
		c.txs.Add(1)
		c.gas.Add(r.Gas)
	}
	if err != nil {
		c.failed.Add(1)
		return r, err
	}
	if r.FromStake != nil && r.FromStake.Sign() > 0 {
		c.bounced.Add(1)
		for {
			old := c.fromStake.Load()
			if c.fromStake.CompareAndSwap(old, new(big.Int).Add(old, r.FromStake)) {
				break
			}
		}
	} else if r.Gas > 0 {
		c.measured.Store(r.Gas)
	}
	if r.Total == nil {
		return r, errors.New("node: cashing reported no total")
	}
	return r, nil
}

// routineSettle flushes the ledger's counters every few seconds and
// cashes what is due every Cashing.Every.
func (n *Node) routineSettle() {
	every := time.Hour
	if n.cash != nil {
		every = n.cash.every
	}
	t := time.NewTicker(min(every, 5*time.Second))
	defer t.Stop()
	last := n.cfg.Now()
	for {
		select {
		case <-n.ctx.Done():
			return
		case <-t.C:
		}
		if n.settle != nil {
			if err := n.settle.ledger.Flush(); err != nil {
				n.log.Warn("settlement: flush", "err", err)
			}
		}
		if n.cash != nil && n.cfg.Now().Sub(last) >= n.cash.every {
			last = n.cfg.Now()
			if _, err := n.CashChequesDue(n.ctx); err != nil && n.ctx.Err() == nil {
				n.log.Warn("cashing", "err", err)
			}
		}
	}
}

// CashChequesDue is one round of the cashing routine: it cashes every
// cheque, from neighbours, issuers and clients, whose unclaimed value passes
// the gas-aware threshold (see "Cashing cheques" above), and returns the
// wei received. The threshold it used is in [Earnings.CashThreshold].
func (n *Node) CashChequesDue(ctx context.Context) (*big.Int, error) {
	if n.cash == nil {
		return new(big.Int), nil
	}
	above, err := n.cash.thresholdNow(ctx)
	if err != nil {
		n.cash.failed.Add(1)
		return new(big.Int), fmt.Errorf("node: not cashing: %w", err)
	}
	n.cash.threshold.Store(above)
	defer n.cash.rounds.Add(1)
	return n.CashCheques(ctx, above)
}

// CashCheques cashes every cheque, from neighbours, issuers and clients, whose
// unclaimed value exceeds above (nil: any), and returns the wei received.
// The routine calls it with the gas-aware threshold ([Node.CashChequesDue]),
// and a relay on exit with nil ([Node.Exit]).
func (n *Node) CashCheques(ctx context.Context, above *big.Int) (*big.Int, error) {
	got := new(big.Int)
	if n.cash == nil {
		return got, nil
	}
	if above == nil {
		above = new(big.Int)
	}
	n.cash.mu.Lock()
	defer n.cash.mu.Unlock()
	var errs []error
	if n.settle != nil {
		if err := n.settle.ledger.Flush(); err != nil {
			return got, err
		}
		for _, s := range n.settle.ledger.CashDue(above) {
			before := n.holding(s.Payer)
			r, err := n.cash.do(ctx, s)
			if err != nil {
				errs = append(errs, fmt.Errorf("cashing %s's cheque: %w", s.Payer, err))
				continue
			}
			n.logBounce(s, r)
			if err := n.settle.ledger.MarkCashed(s.Payer, r.Total); err != nil {
				errs = append(errs, err)
				continue
			}
			got.Add(got, new(big.Int).Sub(r.Total, before))
		}
	}
	if n.prepaid != nil {
		g, err := n.prepaid.cashIssuers(ctx, above, n.cash)
		got.Add(got, g)
		errs = append(errs, err)
	}
	if n.issuing != nil {
		g, err := n.issuing.cashSales(ctx, above, n.cash)
		got.Add(got, g)
		errs = append(errs, err)
	}
	return got, errors.Join(errs...)
}

// cashWithdrawing is one check for withdrawals: it cashes, whatever the
// gas rule, the cheque of every client of the relay's issuer that
// announced a vault withdrawal and whose cheque is not cashed in full (see
// [TicketIssuing.Withdrawal]), and returns the wei received. A client has
// no stake, so its cheque must be cashed before the withdrawal can be
// taken, or what the deposit no longer covers is lost. The chain is read
// before the cashing lock is taken, so that a slow chain holds no routine
// round up.
func (n *Node) cashWithdrawing(ctx context.Context) (*big.Int, error) {
	if n.cash == nil || n.issuing == nil || n.issuing.cfg.Withdrawal == nil {
		return new(big.Int), nil
	}
	ws, lerr := n.issuing.withdrawing(ctx)
	if lerr != nil {
		n.cash.failed.Add(1)
	}
	n.cash.mu.Lock()
	defer n.cash.mu.Unlock()
	got, err := n.issuing.cashWithdrawals(ctx, ws, n.cash)
	return got, errors.Join(lerr, err)
}

func (n *Node) logBounce(s cheque.Signed, r CashResult) {
	if r.FromStake != nil && r.FromStake.Sign() > 0 {
		n.log.Warn("cashing: the cheque bounced; the vault paid from the payer's stake and jailed it",
			"payer", s.Payer, "from_stake", r.FromStake, "cashed_total", r.Total)
	}
}

func (n *Node) holding(payer common.Address) *big.Int {
	for _, h := range n.settle.ledger.Holdings() {
		if h.Payer == payer && h.Cashed != nil {
			return h.Cashed
		}
	}
	return new(big.Int)
}

// Exit is what a relay does before it stops: it signs and delivers a
// cheque for everything it owes its neighbours ([Node.SettleUp]), redeems
// the spent tickets it holds with their issuers (a provider), and cashes
// every cheque it holds whatever its size. It returns the wei received.
func (n *Node) Exit(ctx context.Context) (*big.Int, error) {
	var errs []error
	errs = append(errs, n.SettleUp(ctx))
	if n.prepaid != nil {
		errs = append(errs, n.prepaid.redeemAll(ctx))
	}
	got, err := n.CashCheques(ctx, nil)
	return got, errors.Join(append(errs, err)...)
}

// Earnings are a relay's accounts: the cheques it holds from the
// neighbours that sent it packets and those it signed to the neighbours it
// sent packets to (hop-by-hop settlement), the cheques of the issuers it
// redeemed tickets with (a provider), those of the clients that bought
// its tickets (an issuer), and its cashing.
type Earnings struct {
	// Holdings and Debts are the hop-by-hop accounts; nil when settlement
	// is off.
	Holdings []settle.Holding
	Debts    []settle.Liability
	Stats    settle.Stats
	// Issuers are the latest cheques of the issuers the provider redeemed
	// tickets with, as holdings (Payer is the issuer; Unpaid is zero);
	// nil unless the relay charges for packets.
	Issuers []settle.Holding
	// Sales are the latest cheques of the clients that bought tickets
	// from the relay's issuer, as holdings (Payer is the client; Unpaid
	// is zero); nil unless the relay issues tickets.
	Sales []settle.Holding
	// CashTxs and CashGas count the relay's cash transactions and their gas.
	CashTxs, CashGas uint64
	// CashRounds counts the routine's cashing rounds; CashThreshold is the
	// unclaimed value above which the last one cashed (nil before the
	// first), and CashGasPerTx the gas of a cash it reckoned with.
	CashRounds    uint64
	CashThreshold *big.Int
	CashGasPerTx  uint64
	// Bounced counts cheques that bounced when cashed, and BouncedFromStake
	// is what the Vault paid for them from their payers' stakes.
	Bounced          uint64
	BouncedFromStake *big.Int
	// CashFailures counts cashes and rounds that failed (retried next round).
	CashFailures uint64
	// CashedForWithdrawal counts the clients' cheques the issuer cashed at
	// once, whatever the gas rule, because the client had announced a
	// vault withdrawal (see [TicketIssuing.Withdrawal]).
	CashedForWithdrawal uint64
}

// Earnings returns the relay's accounts; zero when it neither settles
// nor charges.
func (n *Node) Earnings() Earnings {
	var e Earnings
	if n.settle != nil {
		e.Holdings, e.Debts, e.Stats = n.settle.ledger.Holdings(), n.settle.ledger.Debts(), n.settle.ledger.Stats()
	}
	if n.prepaid != nil {
		var err error
		if e.Issuers, err = n.prepaid.holdings(); err != nil {
			n.log.Warn("prepaid: issuer cheques unreadable", "err", err)
		}
	}
	if n.issuing != nil {
		var err error
		if e.Sales, err = n.issuing.holdings(); err != nil {
			n.log.Warn("issuer: client cheques unreadable", "err", err)
		}
	}
	if c := n.cash; c != nil {
		e.CashTxs, e.CashGas, e.CashRounds = c.txs.Load(), c.gas.Load(), c.rounds.Load()
		if t := c.threshold.Load(); t != nil {
			e.CashThreshold = new(big.Int).Set(t)
		}
		e.CashGasPerTx = c.gasPerCash()
		e.Bounced, e.BouncedFromStake, e.CashFailures = c.bounced.Load(), new(big.Int).Set(c.fromStake.Load()), c.failed.Load()
		e.CashedForWithdrawal = c.forWithdrawal.Load()
	}
	return e
}
