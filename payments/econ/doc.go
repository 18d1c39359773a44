// Package econ is Murmur's cost model: given a network's shape, its load,
// what each role pays to run, the chain's gas and ETH prices, the prices
// relays charge and how payments settle, it works out what every kind of
// sender pays and what every role earns, spends and keeps in a month. It is
// pure arithmetic: deterministic, no I/O, no clock.
//
// The model follows the money along the packets (docs/design.md §6):
//
//   - a client buys tickets from an issuer and spends them at its provider,
//     one packet per ticket packet, cover included (providers cannot tell
//     cover from real packets, so they price them alike);
//   - the provider redeems the spent tickets with the issuer, which pays it
//     the ticket price less the issuer's fee;
//   - every relay pays the next hop, per packet it hands on, the price that
//     hop announces ([Prices.HopWei], by position): provider → layer 1 →
//     … → layer L → provider;
//   - mixes send loops through the layers after theirs, a provider and the
//     layers before, back to themselves (ADR 0007), paying and being paid
//     at every hop like any other packet;
//   - claims go on-chain as cheques cashed once worth [Payments.GasFactor]
//     times their gas, or as winning lottery tickets whose face value is
//     that factor times the gas of a win.
//
// Traffic is spread evenly over the relays of a role. Each role's month is
// a [RoleAccount]: Revenue (paid to it) − Paid (by it to the next hops) =
// Earned; Earned − Cost (server, traffic beyond what the server includes,
// the return its locked ETH forgoes, gas) = Profit.
//
// Use:
//
//	s, _ := econ.Reference("l2")      // the documented reference network
//	r, _ := econ.Run(s)
//	fmt.Print(r.Table())
//
//	s.Prices, _ = econ.CostPrices(s) // prices from costs, after changing s
//
// [CostPrices] derives prices from costs: each hop charges its own fee plus
// what it pays onward, so a hop's price depends on the hops left after it.
// docs/economics.md explains the model with a worked example and the
// source of every figure of the [Reference] networks.
package econ
