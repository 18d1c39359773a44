package devnet

import (
	"math/big"
	"time"

	"github.com/murmurnet/murmur/payments/econ"
	"github.com/murmurnet/murmur/payments/settle"
)

// What messages cost, and what settling them costs on-chain.
//
// A sender pays for the packets its provider charges (cover included) at
// the ticket price, and for nothing else: that is SenderWei. The money then
// moves on — the issuer pays the provider for the spent tickets, each
// relay pays the next hop by cheque — but it is the same money, passed on;
// HopWei counts those cheques between relays, never as something a sender
// paid again.
//
// Gas is another matter: every payee claims on-chain what it is owed, so
// the money claimed is the senders' twice (the issuer from its clients,
// the providers from the issuer) plus every hop-by-hop cheque. A relay
// cashes a payer's cheque only once its unclaimed value is worth
// CashGasFactor times the gas of the cash (ADR 0009), so in the long run
// the gas of all the cashing is at most ClaimedWei / CashGasFactor,
// whatever the number of cash transactions; only a relay's exit, which
// cashes what is left whatever its size, spends more.

// Cost is what moving the money of some end-to-end messages took.
type Cost struct {
	Messages int
	// SenderPackets are the packets providers charged, cover included, and
	// SenderWei what they cost the senders at the ticket price.
	SenderPackets uint64
	SenderWei     *big.Int
	HopWei        *big.Int // hop-by-hop cheques and tickets' expected value between relays
	CashTxs       uint64   // cash transactions the relays sent
	CashGas       uint64   // their gas
	// ProvidersByLottery: the issuer pays the providers in lottery
	// tickets (the default), not by cheque.
	ProvidersByLottery bool
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
		// Lottery tickets count at their expected value, also on disk.
		for _, h := range e.Tickets {
			t.hopWei.Add(t.hopWei, h.Received)
		}
		t.charged += r.PrepaidStats().Debited
		t.txs += e.CashTxs
		t.gas += e.CashGas
	}
	return t
}

// costBetween is the cost of messages sent between two totals.
func costBetween(before, after ledgerTotals, messages int) Cost {
	charged := after.charged - before.charged
	return Cost{
		Messages:      messages,
		SenderPackets: charged,
		SenderWei:     packetsWei(charged, after.ticketWei, after.ticketPkts),
		HopWei:        new(big.Int).Sub(after.hopWei, before.hopWei),
		CashTxs:       after.txs - before.txs,
		CashGas:       after.gas - before.gas,
	}
}

// packetsWei is what n packets cost at price wei for a ticket of packets.
func packetsWei(n uint64, price *big.Int, packets uint64) *big.Int {
	v := new(big.Int).Mul(new(big.Int).SetUint64(n), price)
	return v.Quo(v, new(big.Int).SetUint64(packets))
}

func per1000(v *big.Int, messages int) float64 {
	if messages == 0 {
		return 0
	}
	f, _ := new(big.Float).SetInt(v).Float64()
	return f * 1000 / float64(messages)
}

// SenderWeiPer1000 is what the senders paid per 1,000 messages.
func (c Cost) SenderWeiPer1000() float64 { return per1000(c.SenderWei, c.Messages) }

// GasPer1000 is the gas the cash transactions took per 1,000 messages.
func (c Cost) GasPer1000() float64 {
	if c.Messages == 0 {
		return 0
	}
	return float64(c.CashGas) * 1000 / float64(c.Messages)
}

// ClaimedWeiPer1000 is what payees claim on-chain per 1,000 messages: the
// senders' money twice and every hop-by-hop payment (see above).
func (c Cost) ClaimedWeiPer1000() float64 {
	return per1000(new(big.Int).Add(c.HopWei, new(big.Int).Lsh(c.SenderWei, 1)), c.Messages)
}

// SteadyGasPer1000 bounds the gas per 1,000 messages at gasPriceWei when
// relays claim what they are paid the way they do when running on: the
// senders' money client to issuer in cheques cashed once worth factor
// times their gas (zero: settle.DefaultCashGasFactor), issuer to provider
// the same way or, with ProvidersByLottery, as the hop-by-hop money is, in
// lottery wins worth econ's GasFactor (125) times their claim's gas.
func (c Cost) SteadyGasPer1000(factor uint64, gasPriceWei float64) float64 {
	if factor == 0 {
		factor = settle.DefaultCashGasFactor
	}
	ref, _ := econ.Reference("l2")
	byCheque, byTicket := new(big.Int).Set(c.SenderWei), new(big.Int).Set(c.HopWei)
	if c.ProvidersByLottery {
		byTicket.Add(byTicket, c.SenderWei)
	} else {
		byCheque.Add(byCheque, c.SenderWei)
	}
	cheques := per1000(byCheque, c.Messages) / float64(factor)
	tickets := per1000(byTicket, c.Messages) / ref.Payments.GasFactor
	return (cheques + tickets) / gasPriceWei
}

// USD prices gas at gasPriceWei and usdPerETH.
func USD(gas, gasPriceWei, usdPerETH float64) float64 {
	return gas * gasPriceWei / 1e18 * usdPerETH
}

// WeiUSD prices an amount of wei at usdPerETH.
func WeiUSD(wei, usdPerETH float64) float64 { return wei / 1e18 * usdPerETH }

// modelSender is what the cost model (payments/econ) says one client of
// this devnet pays, online for online and sending messages messages of
// packetsPerMessage packets each, at the devnet's prices and rates.
func (o Options) modelSender(online time.Duration, messages int, packetsPerMessage float64, saturate bool) (econ.SenderCost, error) {
	hops := make([]float64, len(o.HopPricesWei))
	for i, v := range o.HopPricesWei {
		hops[i], _ = new(big.Float).SetInt(v).Float64()
	}
	ticket, _ := new(big.Float).SetInt(o.TicketPriceWei).Float64()
	s := econ.Scenario{
		Name:  "devnet",
		Shape: econ.Shape{Providers: o.Providers, Layers: o.Layers, MixesPerLayer: o.MixesPerLayer, Issuers: 1},
		Cover: econ.Cover{LambdaP: o.Cover.LambdaP, LambdaL: o.Cover.LambdaL, LambdaD: o.Cover.LambdaD, LambdaM: o.Cover.LambdaM},
		Classes: []econ.Class{{Name: "client", Clients: 1, OnlineHours: online.Hours(), MessagesPerDay: float64(messages),
			PacketsPerMessage: packetsPerMessage, Saturate: saturate, NoCover: o.NoCover}},
		Chain:    econ.L2(),
		Prices:   econ.Prices{TicketPriceWei: ticket, TicketPackets: float64(o.TicketPackets), HopWei: hops, KeyEpochDays: 1},
		Payments: econ.Payments{GasFactor: settle.DefaultCashGasFactor},
	}
	r, err := econ.Run(s)
	if err != nil {
		return econ.SenderCost{}, err
	}
	return r.Senders[0], nil
}
