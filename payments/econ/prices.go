package econ

import (
	"errors"
	"fmt"
	"math"
)

// CostPrices returns prices derived from the scenario's costs and load, so
// that every role earns its cost plus Costs.Margin:
//
//   - a mix of layer l charges the hop before it HopWei[l−1] = f_l +
//     HopWei[l], its own fee f_l plus what it pays the next hop, where f_l
//     is its cost × (1 + margin) over the packets it receives. Money thus
//     flows with the packet and each hop keeps its fee: the price of a hop
//     depends on the hops left after it;
//   - a provider's fee f_p is its cost × (1 + margin) over all the packets
//     it handles; it charges the last mixes f_p (HopWei[Layers]) and is
//     paid f_p + HopWei[0] per client packet by the issuer, plus the
//     mix loops it carries from the last layer back to the first, for
//     which it pays HopWei[0] and is paid only f_p;
//   - the issuer keeps a fee per ticket of its cost × (1 + margin) over
//     the tickets sold, and the ticket price is what the provider is paid
//     for TicketPackets packets plus that fee.
//
// Gas depends on the money claimed, which depends on the prices, so the
// prices are found by iteration; every wei amount is rounded up, which only
// adds to each role's profit. KeyEpochDays and TicketPackets are kept from
// s.Prices.
func CostPrices(s Scenario) (Prices, error) {
	p := s.Prices
	p.HopWei = make([]float64, s.Shape.Layers+1)
	p.TicketPriceWei, p.IssuerFeeWei = 0, 0
	s.Prices = p
	if err := s.Validate(); err != nil {
		return Prices{}, err
	}
	if run(s).PacketsPerSecond == 0 {
		return Prices{}, errors.New("econ: no traffic to spread the costs over")
	}
	L, m := s.Shape.Layers, 1+s.Costs.Margin
	weiPerUSD := weiPerETH / s.Chain.USDPerETH
	perPacket := func(usdPerMonth, packetsPerSecond float64) float64 {
		return math.Ceil(usdPerMonth * m * weiPerUSD / (packetsPerSecond * SecondsPerMonth))
	}
	for range 50 {
		r := run(s)
		next := Prices{TicketPackets: p.TicketPackets, KeyEpochDays: p.KeyEpochDays, HopWei: make([]float64, L+1)}
		prov := r.Roles[0]
		fp := perPacket(prov.Cost, prov.PacketsPerSecond)
		next.HopWei[L] = fp
		for l := L; l >= 1; l-- {
			mix := r.Roles[l]
			next.HopWei[l-1] = perPacket(mix.Cost, mix.PacketsPerSecond) + next.HopWei[l]
		}
		// Per provider: client packets in, and mix loops passed from the
		// last layer to the first.
		ingress := r.PacketsPerSecond / float64(s.Shape.Providers)
		loops := s.Cover.LambdaM * float64(s.Shape.MixesPerLayer*L) / float64(s.Shape.Providers)
		redeem := math.Ceil((fp + next.HopWei[0]*(1+loops/ingress)) * p.TicketPackets)
		tickets := r.PacketsPerSecond / p.TicketPackets * SecondsPerMonth / float64(s.Shape.Issuers)
		next.IssuerFeeWei = math.Ceil(r.Roles[L+1].Cost * m * weiPerUSD / tickets)
		next.TicketPriceWei = redeem + next.IssuerFeeWei
		if equalPrices(next, s.Prices) {
			return next, nil
		}
		s.Prices = next
	}
	return Prices{}, fmt.Errorf("econ: prices did not settle for %q", s.Name)
}

func equalPrices(a, b Prices) bool {
	if a.TicketPriceWei != b.TicketPriceWei || a.IssuerFeeWei != b.IssuerFeeWei || len(a.HopWei) != len(b.HopWei) {
		return false
	}
	for i := range a.HopWei {
		if a.HopWei[i] != b.HopWei[i] {
			return false
		}
	}
	return true
}
