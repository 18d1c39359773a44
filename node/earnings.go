package node

import (
	"context"
	"errors"
	"math/big"
	"time"

	"github.com/murmurnet/murmur/node/settlement"
	"github.com/murmurnet/murmur/payments/lottery"
	"github.com/murmurnet/murmur/payments/settle"
)

// Cashing is how a relay cashes the cheques it holds: neighbours' (hop by
// hop), issuers' (a provider), clients' (an issuer). All are payable to the
// operator, so one loop and one rule cash them all (package settlement,
// docs/design.md §6.1, ADR 0009); [ChainCashing] is the configuration against a
// deployment.
type Cashing = settlement.Config

// newCashing returns the relay's cashing loop over every cheque holder it
// has, or nil when Config.Cashing does not cash: the cheques are then only
// kept. It runs after the stores are open.
func newCashing(n *Node) *settlement.Cashing {
	if n.cfg.Cashing == nil {
		return nil
	}
	var sources []settlement.Source
	if n.settle != nil {
		sources = append(sources, settlement.Source{Name: "neighbour", Holder: n.settle.Ledger(), Wins: n.settle.Ledger()})
	}
	if n.prepaid != nil {
		sources = append(sources, settlement.Source{Name: "issuer", Holder: n.prepaid, Wins: n.prepaid})
	}
	if n.issuing != nil {
		sources = append(sources, settlement.Source{Name: "client", Holder: n.issuing.Tickets()})
	}
	return settlement.NewCashing(*n.cfg.Cashing, n.log, sources...)
}

// routineSettle flushes the ledger's counters every few seconds and
// cashes what is due every Cashing.Every.
func (n *Node) routineSettle() {
	every := time.Hour
	if n.cash != nil {
		every = n.cash.Every()
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
			if err := n.settle.Ledger().Flush(); err != nil {
				n.log.Warn("settlement: flush", "err", err)
			}
		}
		if n.cash != nil && n.cfg.Now().Sub(last) >= n.cash.Every() {
			last = n.cfg.Now()
			if _, err := n.CashChequesDue(n.ctx); err != nil && n.ctx.Err() == nil {
				n.log.Warn("cashing", "err", err)
			}
		}
	}
}

// CashChequesDue is one round of the cashing routine: it cashes every
// cheque, from neighbours, issuers and clients, whose unclaimed value passes
// the gas-aware threshold (see package settlement), and returns the wei
// received. The threshold it used is in [Earnings.CashThreshold].
func (n *Node) CashChequesDue(ctx context.Context) (*big.Int, error) {
	return n.cash.Round(ctx)
}

// CashCheques cashes every cheque, from neighbours, issuers and clients, whose
// unclaimed value exceeds above (nil: any), and returns the wei received.
// The routine calls it with the gas-aware threshold ([Node.CashChequesDue]),
// and a relay on exit with nil ([Node.Exit]).
func (n *Node) CashCheques(ctx context.Context, above *big.Int) (*big.Int, error) {
	return n.cash.CashAbove(ctx, above)
}

// Exit is what a relay does before it stops: it signs and delivers a
// cheque for everything it owes its neighbours ([Node.SettleUp]), redeems
// the spent tickets it holds with their issuers (a provider), and cashes
// every cheque it holds whatever its size. It returns the wei received.
func (n *Node) Exit(ctx context.Context) (*big.Int, error) {
	var errs []error
	errs = append(errs, n.SettleUp(ctx))
	if n.prepaid != nil {
		errs = append(errs, n.prepaid.RedeemAll(ctx))
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
	// Tickets are what neighbours paid in lottery tickets: the expected
	// value held, and the winning tickets pending a claim; TicketStats
	// the lottery's counts since the relay started.
	Tickets     []settle.TicketHolding
	TicketStats lottery.PayeeStats
	// WinsClaimed counts the winning tickets redeemed, ClaimedWei what the
	// Vault paid for them, WinsLost the wins it refused.
	WinsClaimed, WinsLost uint64
	ClaimedWei            *big.Int
	// Issuers are the latest cheques of the issuers the provider redeemed
	// tickets with, as holdings (Payer is the issuer; Unpaid is zero);
	// nil unless the relay charges for packets.
	Issuers []settle.Holding
	// IssuerTickets are what issuers paid the provider in lottery tickets
	// for its redemptions: the expected value taken, the wins pending.
	IssuerTickets []settle.TicketHolding
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
		e.Holdings, _ = n.settle.Ledger().Holdings()
		e.Debts, e.Stats = n.settle.Ledger().Debts(), n.settle.Ledger().Stats()
		e.Tickets, e.TicketStats = n.settle.Ledger().TicketHoldings(), n.settle.Ledger().TicketStats()
	}
	if n.prepaid != nil {
		var err error
		if e.Issuers, err = n.prepaid.Holdings(); err != nil {
			n.log.Warn("prepaid: issuer cheques unreadable", "err", err)
		}
		e.IssuerTickets = n.prepaid.TicketHoldings()
	}
	if n.issuing != nil {
		var err error
		if e.Sales, err = n.issuing.Tickets().Holdings(); err != nil {
			n.log.Warn("issuer: client cheques unreadable", "err", err)
		}
	}
	if n.cash != nil {
		s := n.cash.Stats()
		e.CashTxs, e.CashGas, e.CashRounds, e.CashThreshold, e.CashGasPerTx = s.Txs, s.Gas, s.Rounds, s.Threshold, s.GasPerTx
		e.Bounced, e.BouncedFromStake, e.CashFailures = s.Bounced, s.FromStake, s.Failures
		e.CashedForWithdrawal = s.Forced
		e.WinsClaimed, e.WinsLost, e.ClaimedWei = s.WinsClaimed, s.WinsLost, s.ClaimedWei
	}
	return e
}
