// Package settlement is how a relay gets its money in: the one loop that
// cashes every cheque the relay holds (docs/design.md §6.1, ADR 0009).
//
// A relay holds three kinds of cheques, all payable to its operator:
// those of the neighbours that hand it packets (hop-by-hop settlement,
// [settle.Ledger]); at a provider, the latest cheque of each issuer it
// redeemed tickets with; and at an issuer, the latest cheque of each
// client that bought tickets ([tickets.Issuer]). Each store is a
// [settle.Holder], and one [Cashing] loop cashes them all through a
// [Casher] ([chain.Cashier] on a real chain), by one rule
// ([settle.DecideCash]): every [Config.Every], each cheque whose unclaimed
// value (cumulative amount minus what was already cashed from that payer)
// exceeds max(Config.Above, gas price × gas of a cash × Config.GasFactor)
// is cashed, so that gas takes at most 1/GasFactor of what cashing brings
// in. The gas of a cash is the loop's own last measured one,
// settle.DefaultCashGas until it has one. A neighbour's cheque is also
// cashed once its unclaimed value reaches half the neighbour's cover
// (vault deposit plus stake, as last looked up), whatever the gas rule
// says: a cheque is accepted only while the cover backs all of its
// unclaimed value, so waiting longer would refuse an honest neighbour's
// next cheque, and then its packets. A cheque that reaches its payer's
// cash limit ([settle.Holding.Limit]) is withheld and counted.
//
// At an issuer, a client's cheque is also cashed at once when the client
// announces a vault withdrawal ([Cashing.CashNow]): a client has no
// stake, so a cheque still uncashed when the withdrawal is taken bounces
// for good. Before it exits, a relay cashes everything it holds whatever
// its size ([Cashing.CashAbove] with nil).
//
// A cheque that bounces (the payer's deposit is short) is paid by the
// Vault from the payer's stake, and the payer is jailed; the loop needs to
// do nothing more than cash, and counts it. What the stake could not cover
// stays unclaimed on the same cheque and is claimed at a later round.
//
// Neighbours may pay with lottery tickets instead of cheques (ADR 0010,
// [Settlement.Tickets]); the ledger keeps their wins ([Winner]), and each
// round, and before the relay exits, the loop claims every win it holds in
// one transaction through a Casher that is also a [Redeemer]. A win is
// worth 125 times its claim's gas by construction (econ.FaceValueWei), so
// no gas rule holds it back; a win the Vault refuses ([chain.RefusedTicket])
// is dropped and the rest claimed again.
//
// The loop decides and counts; it has no clock and no chain of its own,
// so its tests (testdata/cashing_*.txt) drive it with fake holders and a
// fake casher.
package settlement
