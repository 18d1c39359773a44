// Package market is the libp2p protocol between a ticket issuer and its
// customers, /murmur/tickets/2: clients ask for the issuer's keys and buy
// tickets with Vault cheques; providers redeem spent tickets for cheques or
// lottery tickets.
// The cryptography and the issuer's books are package tickets'; this
// package carries them over the network.
//
// # Using it
//
// An issuer serves the protocol next to its [tickets.Issuer]:
//
//	srv := market.Serve(h, issuer, market.ServeOptions{})
//	defer srv.Close() // before issuer.Close
//
// An issuer that can read its clients' Vault accounts sets
// [ServeOptions.Cover]: an order whose cheque would leave it holding more
// unclaimed value than the payer's deposit (minus any announced
// withdrawal) can pay is refused with CodeUncovered ([ErrUncovered]), for
// such a cheque bounces once cashed and the tickets would be given away.
//
// A client buys tickets into its wallet ([wallet.Wallet]), paying with a
// cheque it signs for the price it is told:
//
//	ts, err := market.Buy(ctx, h, issuerPeer, key, 10, func(price *big.Int) (cheque.Signed, error) {
//		// the caller's cheque book: a cheque for the last cumulative amount + price
//		return book.Pay(issuerAddress, price)
//	}, w)
//
// A provider redeems what its clients spent (by cheque, or with
// [RedeemFor] in a lottery ticket, see below):
//
//	pending, _ := provider.Pending(tickets.MaxBatch)      // of one key epoch
//	req, _ := tickets.NewRequestDomain(chainID, ticketIssuer).Sign(tickets.RedemptionRequest{…}, providerKey)
//	payout, err := market.Redeem(ctx, h, issuerPeer, req, pending)
//	if err == nil { provider.MarkRedeemed(pending) }
//
// Errors say what happened: [ErrUnreachable] (nothing was sent),
// [ErrNoAnswer] (sent, the outcome is unknown), [ErrProtocol] (the issuer
// answered nonsense), or a *[RefusalError] with a [Code] and, where it
// helps, amounts ("underpaid by 1 wei (the tickets cost …, the cheque adds
// …)"); a RefusalError also matches the corresponding sentinel of package
// tickets.
//
// # Lost answers
//
// [tickets.Issuer.Sell] takes a cheque once: the same cheque again is
// stale. A client that paid and then lost the answer (a crash, a reset
// stream) keeps the purchase pending in its wallet, with the cheque and
// blinding factors, and sends the same order again with [Resume]. The
// server remembers, per payer, the last cheque it sold for and a digest of
// the order it paid for, and answers the identical order again with the
// same signatures (blind BLS signatures are deterministic, so this gives
// nothing that was not paid for); the same cheque with other blinded
// tickets is refused as stale. This memory is not persistent: after an
// issuer restart a lost answer cannot be recovered through the protocol.
//
// # Payment in lottery tickets
//
// An issuer whose [tickets.IssuerConfig.TicketFace] is set pays a lottery
// redemption (0x04, [RedeemFor]) with one lottery ticket (package lottery,
// ADR 0010) whose expected value is the batch's value, under the
// commitment the provider sent; an issuer that pays by cheque answers it
// with a cheque. A ticket leaves nothing on-chain to show that the batch
// was paid, so the provider acknowledges each ticket it takes with a
// signed receipt (0x05, [SendReceipt], or the receipt fields of its next
// lottery redemption; all zero for none), which the issuer keeps as
// evidence for TicketIssuer.proveDoubleRedemptionWithReceipt. The issuer
// refuses a new batch with [CodeReceiptMissing] while its last ticket is
// not acknowledged, so a provider that never signs gains at most one
// batch. The lottery ticket is encoded as [lottery.Signed.MarshalBinary].
//
// # Wire format
//
// One request and one answer per stream. Each is a message in the framing
// of package internal/framing: type (1 byte) ‖ body length (4 bytes, big-endian) ‖
// body. The client writes its request and closes its side for writing;
// the issuer writes its answer and closes the stream. Both sides bound
// what they read before reading it, and deadlines bound every exchange
// (30 s by default). Integers are big-endian; amounts are 32-byte unsigned
// integers in wei.
//
//	request           body                                                   answer
//	0x01 key query    empty                                                  0x81 catalog
//	0x02 order        epoch (8) ‖ packets (8) ‖ price (32) ‖ fee (32) ‖      0x82 signatures: n (2) ‖ n × G1 (48)
//	                  cheque ‖ n (2) ‖ n × blinded ticket (48)
//	0x03 redemption   issuer (20) ‖ provider (20) ‖ key epoch (8) ‖           0x83 cheque
//	                  cumulative amount (32) ‖ signature (65) ‖
//	                  n (2) ‖ n × ticket (88)
//	0x04 lottery      commitment (32) ‖ receipt value (32) ‖                  0x84 lottery ticket (217),
//	     redemption   receipt signature (65) ‖ redemption (as 0x03)             or 0x83 cheque
//	0x05 receipt      issuer (20) ‖ provider (20) ‖ cumulative value (32) ‖    0x85 empty
//	                  signature (65)
//	any                                                                      0xFF refusal
//
//	cheque   payer (20) ‖ payee (20) ‖ cumulative amount (32) ‖ signature (65)
//	catalog  issuer address (20) ‖ n (2) ‖ n × key, oldest epoch first, at most MaxKeys
//	key      chain ID (8) ‖ epoch (8) ‖ public key (96, compressed G2) ‖ packets (8) ‖ price (32) ‖ fee (32)
//	refusal  code (1) ‖ flags (1) ‖ [want (32) ‖ have (32), if flags = 1] ‖
//	         n (2) ‖ n × (ticket index (2) ‖ code (1)) ‖ reason (UTF-8, the rest, at most MaxReason bytes)
//
// Points use the compressed ZCash/IETF encodings and are checked (in the
// group, not infinity) on decoding. n is 1 to [tickets.MaxBatch] in orders,
// signatures and redemptions. A key's price is what the issuer pays a
// provider for a ticket (its value on-chain) and its fee the issuer's
// share: an order pays n × (price + fee). The serials of a redemption request (what
// the provider signed) are those of its tickets, in order. The order's
// epoch and value are the [tickets.SaleRequest]'s; the answer holds one
// signature per blinded ticket, in order. The codes are the [Code]
// constants; a client treats an unknown code as a refusal it cannot act
// on.
package market
