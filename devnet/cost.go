package devnet

import (
	"math/big"

	"github.com/murmurnet/murmur/payments/settle"
)

// What on-chain settlement costs per message.
//
// Every wei a message pays moves through cheques: the prepaid packets it
// takes were bought with a client's cheque to the issuer, which pays the
// provider with its own cheque when it redeems the tickets; and each relay
// pays the next hop with a hop-by-hop cheque. A cheque costs gas only when
// it is cashed, and a relay cashes a payer's cheque only once its unclaimed
// value is worth CashGasFactor times the gas of the cash (ADR 0009). So in
// the long run the gas bought with all the cashing is at most
// (hop-by-hop value + 2 × ticket value) / CashGasFactor, whatever the
// number of cash transactions; only a relay's exit, which cashes what is
// left whatever its size, spends more.

// Cost is what moving the money of some end-to-end messages took.
type Cost struct {
	Messages  int
	HopWei    *big.Int // hop-by-hop cheques signed between relays
	TicketWei *big.Int // the prepaid packets providers charged, at the ticket price
	CashTxs   uint64   // cash transactions the relays sent
	CashGas   uint64   // their gas
}

// ledgerTotals is the money state of the whole network at one moment.
type ledgerTotals struct {
	hopWei     *big.Int
	charged    uint64 // packets charged by providers
	txs, gas   uint64
	ticketWei  *big.Int
	ticketPkts uint64
}

// totals sums every relay's hop-by-hop earnings, providers' charged
// packets and cashing.
func (nw *Network) totals() ledgerTotals {
	t := ledgerTotals{hopWei: new(big.Int), ticketWei: nw.Opts.TicketPriceWei, ticketPkts: nw.Opts.TicketPackets,
		txs: nw.retired.txs, gas: nw.retired.gas}
	// Cheques are cumulative and on disk: a restarted relay's holdings
	// include what it held before; its counters started again.
	for _, r := range nw.Result.Relays {
		e := r.Node.Earnings()
		for _, h := range e.Holdings {
			if h.Latest.CumulativeAmount != nil {
				t.hopWei.Add(t.hopWei, h.Latest.CumulativeAmount)
			}
		}
		t.charged += r.PrepaidStats().Debited
		t.txs += e.CashTxs
		t.gas += e.CashGas
	}
	return t
}

// costBetween is the cost of messages sent between two totals.
func costBetween(before, after ledgerTotals, messages int) Cost {
	ticket := new(big.Int).Mul(big.NewInt(int64(after.charged-before.charged)), after.ticketWei)
	ticket.Quo(ticket, new(big.Int).SetUint64(after.ticketPkts))
	return Cost{
		Messages:  messages,
		HopWei:    new(big.Int).Sub(after.hopWei, before.hopWei),
		TicketWei: ticket,
		CashTxs:   after.txs - before.txs,
		CashGas:   after.gas - before.gas,
	}
}

// GasPer1000 is the gas the cash transactions took per 1,000 messages.
func (c Cost) GasPer1000() float64 {
	if c.Messages == 0 {
		return 0
	}
	return float64(c.CashGas) * 1000 / float64(c.Messages)
}

// ValuePer1000 is the wei moved through cheques per 1,000 messages: each
// hop-by-hop wei once, each ticket wei twice (client to issuer, issuer to
// provider).
func (c Cost) ValuePer1000() float64 {
	if c.Messages == 0 {
		return 0
	}
	v := new(big.Int).Add(c.HopWei, new(big.Int).Lsh(c.TicketWei, 1))
	f, _ := new(big.Float).SetInt(v).Float64()
	return f * 1000 / float64(c.Messages)
}

// SteadyGasPer1000 bounds the gas per 1,000 messages when relays cash only
// cheques worth factor times their gas, at gasPriceWei: value / factor,
// in gas. Zero factor means settle.DefaultCashGasFactor.
func (c Cost) SteadyGasPer1000(factor uint64, gasPriceWei float64) float64 {
	if factor == 0 {
		factor = settle.DefaultCashGasFactor
	}
	return c.ValuePer1000() / float64(factor) / gasPriceWei
}

// USD prices gas at gasPriceWei and usdPerETH.
func USD(gas, gasPriceWei, usdPerETH float64) float64 {
	return gas * gasPriceWei / 1e18 * usdPerETH
}
