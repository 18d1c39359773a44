package econ

import (
	"math"
	"strconv"
)

// Report is what a scenario comes to.
type Report struct {
	Scenario Scenario `json:"scenario"`
	// Senders has one entry per class, in the scenario's order.
	Senders []SenderCost `json:"senders"`
	// Roles are the provider, the mix of each layer and the issuer, each
	// as one operator of that role (the network's totals divided by the
	// number of its operators).
	Roles []RoleAccount `json:"roles"`
	// PacketsPerSecond is the traffic clients send into the network, cover
	// included: the packets providers charge for.
	PacketsPerSecond float64 `json:"packetsPerSecond"`
	// MixLoadPerSecond is the packets a mix receives per second.
	MixLoadPerSecond float64 `json:"mixLoadPerSecond"`
	// TxPerMonth and GasPerMonth are the whole network's on-chain traffic.
	TxPerMonth  float64 `json:"txPerMonth"`
	GasPerMonth float64 `json:"gasPerMonth"`
}

// SenderCost is what one client of a class pays.
type SenderCost struct {
	Class string `json:"class"`
	// PacketsPerDay are the packets its provider charges it for a day.
	PacketsPerDay float64 `json:"packetsPerDay"`
	// Saturated: the class wants to send more than the λP slots carry; the
	// figures assume it sends at λP.
	Saturated bool `json:"saturated,omitempty"`
	// MessagesPerDay it gets delivered.
	MessagesPerDay float64 `json:"messagesPerDay"`
	// USDPerDay is what a day costs it: its tickets and its share of a
	// Vault deposit's gas.
	USDPerDay       float64 `json:"usdPerDay"`
	TicketUSDPerDay float64 `json:"ticketUSDPerDay"`
	GasUSDPerDay    float64 `json:"gasUSDPerDay"`
	// USDPer1000Messages is USDPerDay spread over its messages; zero for
	// a client that sends none.
	USDPer1000Messages float64 `json:"usdPer1000Messages,omitempty"`
}

// RoleAccount is one operator's month. Revenue is what it is paid (gross);
// Paid what it pays the next hops; Earned = Revenue − Paid; Profit =
// Earned − Cost. Money is in USD.
type RoleAccount struct {
	Role  string `json:"role"`
	Count int    `json:"count"` // operators of the role in the network
	// PacketsPerSecond it receives (from clients and relays).
	PacketsPerSecond float64 `json:"packetsPerSecond"`
	OutTBPerMonth    float64 `json:"outTBPerMonth"`

	Revenue float64 `json:"revenue"`
	Paid    float64 `json:"paid"`
	Earned  float64 `json:"earned"`

	Server    float64 `json:"server"`
	Bandwidth float64 `json:"bandwidth"`
	Capital   float64 `json:"capital"`
	Gas       float64 `json:"gas"`
	Cost      float64 `json:"cost"`
	Profit    float64 `json:"profit"`

	// TxPerMonth and GasPerMonth are the transactions it sends.
	TxPerMonth  float64 `json:"txPerMonth"`
	GasPerMonth float64 `json:"gasPerMonth"`
	// GasShare is Gas / Revenue: what on-chain settlement takes of what
	// the role is paid.
	GasShare float64 `json:"gasShare"`
	// DaysPerClaim is the mean time between its on-chain claims. With
	// lottery tickets its income arrives in wins of FaceValueUSD, so this
	// is also how lumpy that income is.
	DaysPerClaim float64 `json:"daysPerClaim"`
	// UnclaimedDays is the most it is owed off-chain, in days of its
	// revenue: a payer's cheque just below the cashing threshold, or the
	// winning tickets of a redemption batch not yet full. Its payers can
	// withdraw their deposits from under that money after the Vault's
	// notice; it is the money at risk.
	UnclaimedDays float64 `json:"unclaimedDays"`
	// FaceValueUSD is the face value of a winning lottery ticket to it
	// (lottery payments only).
	FaceValueUSD float64 `json:"faceValueUSD,omitempty"`
}

// slot is one role's network-wide traffic, per second.
type slot struct {
	in, out   float64 // packets received, and sent (to relays or fetched by clients)
	recv, pay float64 // wei received from the previous hop, paid to the next
}

// Run computes the report of a valid scenario.
func Run(s Scenario) (Report, error) {
	if err := s.Validate(); err != nil {
		return Report{}, err
	}
	return run(s), nil
}

func run(s Scenario) Report {
	sh, pr := s.Shape, s.Prices
	L := sh.Layers
	// slots[0] are the providers, slots[l] the mixes of layer l.
	slots := make([]slot, L+1)
	price := func(to int) float64 { // handing a packet to slot to
		if to == 0 {
			return pr.HopWei[L]
		}
		return pr.HopWei[to-1]
	}
	hand := func(from, to int, rate float64) {
		slots[from].out += rate
		slots[from].pay += rate * price(to)
		slots[to].in += rate
		slots[to].recv += rate * price(to)
	}
	next := func(at int) int { return (at + 1) % (L + 1) }

	rep := Report{Scenario: s}
	var charged, fetched, clients float64
	for _, c := range s.Classes {
		sc, pkts, fetch := sender(s, c)
		rep.Senders = append(rep.Senders, sc)
		charged += float64(c.Clients) * pkts
		fetched += float64(c.Clients) * fetch
		clients += float64(c.Clients)
	}
	rep.PacketsPerSecond = charged

	// Client packets: client → provider → layer 1 … layer L → provider.
	slots[0].in += charged
	for at := 0; at <= L; at++ {
		hand(at, next(at), charged)
	}
	slots[0].out += fetched
	// Mix loops (ADR 0007): from layer l through the layers after it, a
	// provider and the layers before it, back to the mix.
	for l := 1; l <= L; l++ {
		rate := s.Cover.LambdaM * float64(sh.MixesPerLayer)
		for at := l; ; {
			to := next(at)
			hand(at, to, rate)
			if at = to; at == l {
				break
			}
		}
	}

	usdPerWei := s.Chain.USDPerETH / weiPerETH
	gasUSD := s.Chain.GasPriceGwei * 1e9 * usdPerWei
	ticketsPerSec := charged / pr.TicketPackets
	redeemed := ticketsPerSec * (pr.TicketPriceWei - pr.IssuerFeeWei)

	account := func(role string, n int, sv Server, sl slot, payers float64, extraRecv float64) RoleAccount {
		per := 1 / float64(n)
		a := RoleAccount{Role: role, Count: n, PacketsPerSecond: sl.in * per}
		a.OutTBPerMonth = sl.out * per * s.Costs.PacketBytes * SecondsPerMonth / 1e12
		a.Revenue = (sl.recv + extraRecv) * per * SecondsPerMonth * usdPerWei
		a.Paid = sl.pay * per * SecondsPerMonth * usdPerWei
		a.Earned = a.Revenue - a.Paid
		a.Server = sv.USDPerMonth
		a.Bandwidth = math.Max(0, a.OutTBPerMonth-sv.IncludedTB) * sv.USDPerTB
		a.Capital = (sv.StakeETH + sv.DepositETH) * s.Chain.USDPerETH * s.Costs.CapitalRate / 12
		a.TxPerMonth, a.GasPerMonth, a.DaysPerClaim, a.UnclaimedDays, a.FaceValueUSD = claims(s, a.Revenue/gasUSD, payers*per)
		a.Gas = a.GasPerMonth * gasUSD
		return a
	}
	finish := func(a *RoleAccount) {
		a.Cost = a.Server + a.Bandwidth + a.Capital + a.Gas
		a.Profit = a.Earned - a.Cost
		if a.Revenue > 0 {
			a.GasShare = a.Gas / a.Revenue
		}
		rep.TxPerMonth += a.TxPerMonth * float64(a.Count)
		rep.GasPerMonth += a.GasPerMonth * float64(a.Count)
	}

	// A provider is paid by the issuer for its clients' tickets and by the
	// last layer's mixes; it pays the first layer's.
	prov := account("provider", sh.Providers, s.Costs.Provider, slots[0],
		float64(sh.Providers*(sh.Issuers+sh.MixesPerLayer)), redeemed)
	finish(&prov)
	rep.Roles = append(rep.Roles, prov)
	for l := 1; l <= L; l++ {
		payers := sh.MixesPerLayer // the previous layer's mixes pay a mix …
		if l == 1 {
			payers = sh.Providers // … or the providers do
		}
		m := account(layerName(l), sh.MixesPerLayer, s.Costs.Mix, slots[l], float64(sh.MixesPerLayer*payers), 0)
		finish(&m)
		rep.Roles = append(rep.Roles, m)
	}
	// The issuer sells tickets to every client and pays the providers that
	// redeem them; it publishes a key per key epoch.
	iss := account("issuer", sh.Issuers, s.Costs.Issuer, slot{
		recv: ticketsPerSec * pr.TicketPriceWei, pay: redeemed,
	}, clients, 0)
	keys := DaysPerMonth / pr.KeyEpochDays
	iss.TxPerMonth += keys
	iss.GasPerMonth += keys * s.Chain.Gas.PublishKey
	iss.Gas = iss.GasPerMonth * gasUSD
	finish(&iss)
	rep.Roles = append(rep.Roles, iss)
	for _, c := range s.Classes {
		if c.TopUpDays > 0 {
			deposits := float64(c.Clients) * DaysPerMonth / c.TopUpDays
			rep.TxPerMonth += deposits
			rep.GasPerMonth += deposits * s.Chain.Gas.Deposit
		}
	}
	rep.MixLoadPerSecond = slots[1].in / float64(sh.MixesPerLayer)
	return rep
}

// sender is what one client of class c costs, and the packets per second
// it sends (charged) and fetches back from its mailbox, averaged over a day.
func sender(s Scenario, c Class) (sc SenderCost, charged, fetched float64) {
	sc.Class = c.Name
	ppm := c.PacketsPerMessage
	if ppm == 0 {
		ppm = 1
	}
	online := c.OnlineHours * 3600 // seconds a day
	var real float64               // real packets per online second
	if online > 0 {
		real = c.MessagesPerDay * ppm / online
	}
	cv := s.Cover
	switch {
	case c.NoCover:
		charged, fetched = real, real
	default:
		if c.Saturate || real > cv.LambdaP {
			sc.Saturated = !c.Saturate
			real = cv.LambdaP
		}
		charged = cv.LambdaP + cv.LambdaL + cv.LambdaD
		fetched = real + cv.LambdaL
	}
	day := online / SecondsPerDay
	charged, fetched = charged*day, fetched*day
	sc.PacketsPerDay = charged * SecondsPerDay
	sc.MessagesPerDay = real * online / ppm

	usdPerWei := s.Chain.USDPerETH / weiPerETH
	sc.TicketUSDPerDay = sc.PacketsPerDay * s.Prices.TicketPriceWei / s.Prices.TicketPackets * usdPerWei
	if c.TopUpDays > 0 {
		sc.GasUSDPerDay = s.Chain.Gas.Deposit * s.Chain.GasPriceGwei * 1e9 * usdPerWei / c.TopUpDays
	}
	sc.USDPerDay = sc.TicketUSDPerDay + sc.GasUSDPerDay
	if sc.MessagesPerDay > 0 {
		sc.USDPer1000Messages = sc.USDPerDay / sc.MessagesPerDay * 1000
	}
	return sc, charged, fetched
}

// claims is what claiming a month's revenue (in units of gas: revenue over
// the gas price) costs a payee with the given number of payers: the
// transactions, their gas, the days between claims, the most left
// unclaimed in days of revenue, and a winning ticket's face value in USD.
func claims(s Scenario, revenueGas, payers float64) (txs, gas, daysPerClaim, unclaimedDays, faceUSD float64) {
	if revenueGas <= 0 {
		return 0, 0, 0, 0, 0
	}
	g, f := s.Chain.Gas, s.Payments.GasFactor
	gasUSD := s.Chain.GasPriceGwei * 1e9 * s.Chain.USDPerETH / weiPerETH
	perDay := revenueGas / DaysPerMonth
	if !s.Payments.Lottery {
		// One cheque per payer, cashed once worth f × its gas: each payer
		// fills its threshold in turn.
		threshold := f * g.Cash
		txs = revenueGas / threshold
		return txs, txs * g.Cash, threshold / perDay, threshold / (perDay / payers), 0
	}
	b := float64(s.Payments.Batch)
	perWin := g.RedeemTx/b + g.RedeemWin
	face := f * perWin
	wins := revenueGas / face
	return wins / b, wins * perWin, b * face / perDay, (b - 1) * face / perDay, face * gasUSD
}

func layerName(l int) string { return "mix L" + strconv.Itoa(l) }
