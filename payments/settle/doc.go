// Package settle is the accounting core of hop-by-hop settlement (docs/design.md
// §6.3). A relay that hands packets to a neighbouring relay owes it the
// per-hop price announced in that neighbour's descriptor. Each pair of
// neighbours keeps a running balance and settles it with a cumulative Vault
// cheque ([cheque.Signed]) every [Options.ChequeEvery] packets. A neighbour
// that stops paying is refused once it owes more than [Options.RefuseAbove]
// packets (tit-for-tat).
//
// A [Ledger] holds both directions for one relay, each keyed by the
// counterparty's operator (Ethereum) address:
//
//   - [Debt] is what we owe a neighbour we send packets to ([Ledger.Out]).
//     [Debt.Sent] counts a packet; [Debt.Cheque] signs the next cheque.
//   - [Credit] is what a neighbour that sends us packets owes us
//     ([Ledger.In]). [Credit.Received] counts a packet and says whether to
//     take it; [Credit.Accept] checks and records a cheque.
//
// # Using a ledger
//
//	l, err := settle.Open(dir, settle.Options{
//		Self:   operator,
//		Domain: client.ChequeDomain(),
//		Signer: settle.KeySigner(client.ChequeDomain(), key),
//		Cover:  cover, // vault balance + stake, from chain.Client
//	})
//	defer l.Close()
//
//	// sending side, per outgoing neighbour (price from its descriptor)
//	debt, err := l.Out(next, price)
//	if debt.Sent() { // packet path: one atomic add
//		wake <- debt // a cheque is due; sign it off the packet path
//	}
//	s, err := debt.Cheque() // persisted before it is returned; send it to next
//
//	// receiving side, per incoming neighbour (our own announced price)
//	credit, err := l.In(prev, ourPrice)
//	if !credit.Received() { // packet path: one compare-and-swap
//		drop() // prev owes more than RefuseAbove packets
//	}
//	err = credit.Accept(ctx, s) // when prev's cheque arrives
//
//	// periodically, and for `murmur relay earnings`
//	l.Flush()
//	for _, s := range l.CashDue(gasWorth) { chain.Cash(...); l.MarkCashed(s.Payer, total) }
//
// # Accepting a cheque
//
// [Credit.Accept] takes a cheque if, in this order: the payee is
// [Options.Self] ([ErrWrongPayee]); the payer is the neighbour of the
// Credit ([ErrWrongPayer]); the signature is the payer's in
// [Options.Domain] ([ErrBadSignature]); the cumulative amount exceeds the
// last one accepted ([ErrStale]); and the payer's [Cover] (vault deposit
// plus stake) is at least the cheque's cumulative amount minus what we have
// already cashed from that payer ([ErrUncovered], [ErrCoverUnknown]). Each
// refusal is counted in [Stats]. Receiving the last accepted cheque again
// (a retransmission) is not an error and changes nothing.
//
// A cheque may pay for more packets than we counted: packets lost between
// the two relays, a crash of our own that lost counts, a price change seen
// at slightly different moments, or a cheque overtaking the packets it pays
// for on another stream. Refusing such a cheque would deadlock two honest
// relays forever, since every later cheque carries the same surplus. So an
// overpaying cheque is accepted (its money is ours to cash), but the surplus
// becomes credit for future packets only up to [Options.Slack] packets; the
// rest is not credited ([Stats.Overpaid] counts those cheques). An
// overpayment therefore never buys a neighbour more than Slack free packets.
//
// # Cover
//
// A cheque is a promise, not money. The Vault pays it from the payer's
// deposit and, if that is short, from its stake (and jails the payer). So a
// cheque is worth taking only if deposit plus stake cover what we have not
// cashed yet. [Cover] is asked at most every [Options.CoverTTL] per payer,
// and once more when a cached value falls short (the payer may just have
// deposited). When the lookup fails (the chain endpoint is down) the last
// value is used if it is younger than [Options.CoverMaxStale]: deposits
// leave the Vault only after a withdrawal notice, so a recent value is a
// fair bound. With no such value the cheque is refused with
// [ErrCoverUnknown]: neither blind acceptance nor a crash. The sender's next
// cheque is cumulative, so nothing is lost by refusing one; it only delays
// payment. The check cannot see the payer's cheques to other payees, which
// draw on the same deposit; the stake, slashed for any bounce, is what
// makes over-promising costly.
//
// # Persistence and crashes
//
// The ledger lives in a badger database with synced writes. A cheque is on
// disk before [Debt.Cheque] returns it, and before [Credit.Accept] returns
// nil, so an acknowledged cheque survives any crash, and we never sign a
// cumulative amount lower than one we signed before.
//
// The packet counters are in memory. They are written to disk by
// [Debt.Cheque], [Credit.Accept], [Ledger.Flush] (call it every few
// seconds) and [Ledger.Close]. A crash therefore loses the packets counted
// since the last write; what that costs depends on the side:
//
//   - Receiving side: we forget packets a neighbour owes us. Its own count
//     drives its cheques, and overpaying cheques are accepted, so an honest
//     neighbour still pays for them. A dishonest one gains at most the
//     packets since the last write, and is refused at the same threshold.
//   - Sending side: we would forget packets we owe, and the neighbour would
//     hold that unpaid balance against us forever, a little closer to
//     refusing us after every crash. So [Open] notices an unclean shutdown
//     (a marker written at Open, removed by Close) and adds one cheque
//     interval ([Options.ChequeEvery] packets at the last price) to what
//     we owe each payee. Since a cheque is signed every ChequeEvery packets,
//     that covers what was lost, and the surplus is within the payee's
//     Slack, so it comes back to us as credit: an honest relay neither
//     cheats nor is cheated by a crash, as long as it signs cheques when
//     [Debt.Sent] says they are due.
//
// # Cost on the packet path
//
// [Debt.Sent] is one atomic add and a remainder; [Credit.Received] is two
// atomic loads and a compare-and-swap. Neither locks, allocates, logs or
// touches the disk. Prices, big integers,
// signatures and badger are only touched once per cheque, on price changes
// and in Flush. All methods are safe for concurrent use.
//
// # Lottery tickets
//
// A ledger opened with [Options.Tickets] can pay by lottery ticket instead
// of cheque (ADR 0010): [Debt.Ticket] signs one ticket whose expected
// value is exactly what the packets since the last payment cost, at a face
// value the caller picks from the gas price (a win must be worth claiming).
// The payee credits [Credit.AcceptTicket] that expected value as it
// credits a cheque's new amount, so both books agree to the wei, and keeps
// the winners for the cashing loop ([Ledger.Wins], [Ledger.MarkClaimed]).
// Each payer gets the payee's commitment first ([Credit.Commitment] on the
// payee's side, [Debt.Commit] on the payer's). Every ledger takes tickets;
// only one with a signer pays with them.
//
// A ticket is not cumulative: one that is lost in transit is money the
// payee never sees, and the difference would stay on its books. So the
// payer delivers its last ticket again until it is acknowledged (the
// payee takes a retransmission of the last ticket it took without effect)
// and only then signs the next. The payee takes a ticket only while the
// payer's cover backs the face value of all its wins not yet claimed plus
// this one's: a payee never holds more wins than the stake would pay.
//
// # One writer per payer and payee
//
// The Vault keeps one cumulative counter per (payer, payee) pair. The
// Ledger must be the only signer of cheques from [Options.Self] to the
// payees it pays: another component signing its own cumulative cheques to
// the same payee under the same account (for instance an issuer paying
// redeemed tickets to a provider it also forwards packets to) would make
// the two sequences overwrite each other on-chain.
//
// # Storage layout
//
// Amounts are 32-byte big-endian unsigned integers, as in the Vault.
//
//	"v"                → schema version (uint32, currently 1)
//	"d"                → present while the ledger is open (unclean shutdown marker)
//	'o' ‖ payee(20)    → latest signed cumulative(32) ‖ signature(65) ‖ unbilled wei(32) ‖ price(32)
//	'i' ‖ payer(20)    → latest accepted cumulative(32) ‖ signature(65) ‖ cashed(32) ‖ unpaid sign(1) ‖ |unpaid| wei(32)
//
//	'l' ‖ payee(20)    → next nonce(8) ‖ expected value paid in tickets(32) [‖ last ticket (lottery.EncodedLen)]
//	'L' ‖ payer(20)    → last ticket's digest(32) ‖ expected value taken(32) ‖ face value claimed(32) ‖
//	                     current commitment(32) ‖ accepted(8) ‖ next(8) ‖ n(2) ‖ n unrevealed secrets(32 each)
//	'w' ‖ digest(32)   → a win not yet claimed: ticket ‖ secret(32)
//
// A zero cumulative amount means no cheque yet. Unpaid is what the payer
// owed us beyond its latest cheque at the last write; negative is credit.
package settle
