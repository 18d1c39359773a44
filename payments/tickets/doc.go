// Package tickets implements Murmur's packet tickets: bearer tokens that a
// client buys from an issuer without the issuer learning which tickets it
// bought, spends at its provider to prepay packets, and that the provider
// redeems with the issuer for a Vault cheque.
//
// The scheme is Boldyreva's blind BLS signature on BLS12-381: signatures in
// G1 (48 bytes), issuer keys in G2, so that a contract can check a ticket
// with the EIP-2537 precompiles. The group arithmetic is gnark-crypto's;
// this package is the protocol on top.
//
// # The flow
//
//  1. Per key epoch, the issuer has a [SecretKey] and publishes its
//     [IssuerKey]: the public key sk·G2 and the [Value] of every ticket the
//     key signs (packets, and a price in wei). The issuer cannot see what it
//     signs, so the value belongs to the key, not to the ticket.
//  2. The client starts a [TicketRequest] with [NewTicketRequest]: a random
//     32-byte serial, hashed to the point H of G1, blinded with a random
//     scalar r into B = r·H.
//  3. The client pays with a Vault cheque and sends B in a [SaleRequest];
//     [Issuer.Sell] checks the cheque and answers S = sk·B.
//  4. [TicketRequest.Finish] checks that S is sk·B and unblinds it into
//     σ = r⁻¹·S = sk·H. The [Ticket] (key epoch, serial, σ) is a bearer
//     token, worth its key's value, transferable, spendable once.
//  5. The client hands the ticket to its provider, which checks and records
//     it with [Provider.Accept] or [Provider.AcceptBatch].
//  6. The provider passes its spent tickets ([Provider.Pending]) to
//     [Issuer.Redeem], which answers with a cheque for their value, and
//     then calls [Provider.MarkRedeemed].
//
// In code, with error handling left out:
//
//	// client
//	req, _ := tickets.NewTicketRequest(rand.Reader, key)
//	blinded := []bls12381.G1Affine{req.Blinded()}
//	// issuer
//	sigs, _ := issuer.Sell(tickets.SaleRequest{Epoch: key.Epoch, Value: key.Value, Payment: cheque, Blinded: blinded})
//	// client
//	ticket, _ := req.Finish(sigs[0])
//	wire := ticket.Bytes()
//	// provider
//	t, _ := tickets.DecodeTicket(wire[:])
//	err := provider.Accept(t, key.Value) // nil, or ErrAlreadySpent, ErrBadSignature…
//	pending, _ := provider.Pending(tickets.MaxBatch)
//	// issuer
//	payout, _ := issuer.Redeem(providerAddress, pending)
//
// # What it guarantees
//
// Unforgeability: without the issuer's secret key, nobody can make more
// valid tickets than the issuer signed (one-more unforgeability of blind
// BLS, under the chosen-target CDH assumption with hash to curve as a
// random oracle). Signatures are bound to the chain and key epoch through
// the hash's domain-separation tag ([DST]).
//
// Unlinkability: B is a uniformly random point of G1 whatever the serial, so
// the issuer's view of a sale is independent of the ticket it later
// redeems. BLS signatures are unique, and [TicketRequest.Finish] checks the
// issuer's answer, so an issuer cannot mark tickets through their
// signatures.
//
// Single use: a [Provider] accepts a ticket once, across restarts (its spent
// set is in badger, written with synced commits); an [Issuer] redeems a
// ticket once. A ticket is identified by (key epoch, serial).
//
// Points from outside are checked before use: decoders refuse encodings
// off the curve, outside the prime-order subgroup, or at infinity; [Signature]
// values can only be made by those decoders and by Finish; the issuer checks
// blinded points before signing them (signing a point of small order would
// leak bits of its key).
//
// # What it does not guarantee
//
// The issuer learns who buys how many tickets of which key epoch, and when;
// the anonymity set of a ticket is the tickets sold under the same key. An
// issuer that gave each client its own key could tag every ticket: clients
// must take issuer keys from a public source all clients see (the chain),
// not from the issuer alone.
//
// The provider learns which client spends which ticket (it knows the
// client's connection anyway). Providers bear the risk of a ticket spent at
// two providers: the first to redeem it is paid, the other gets
// [ErrDoubleRedeem]. Redeem tickets promptly.
//
// An issuer may refuse to redeem valid tickets. The on-chain dispute path
// (outside this package) verifies tickets with the EIP-2537 precompiles;
// [Aggregate], [Signature.EIP2537], [Ticket.SignatureEIP2537],
// [EncodeG1EIP2537] and [EncodeG2EIP2537] give the forms it takes.
//
// # Keys and epochs
//
// A [Keyring] holds the issuer keys a verifier accepts: the newest (current)
// epoch and the Retain epochs before it. Tickets of older epochs are refused
// with [ErrExpiredEpoch], of epochs not in the keyring with
// [ErrUnknownEpoch]. [Issuer.Rotate] starts a new epoch and deletes keys
// that leave the window. A provider should retain no more epochs than the
// issuer, so that it accepts only tickets the issuer still redeems.
//
// # Verification cost
//
// Verifying one ticket costs a hash to curve and a two-pair pairing check
// (about 0.85 ms on one core). [Keyring.VerifyBatch], used by the provider
// and the issuer for batches, checks a random linear combination with one
// multi-pairing and, only if that fails, bisects to find exactly the bad
// tickets: about 0.12 ms per ticket on one core for batches of 100, most of
// it hashing to the curve. Decoding a ticket costs about 0.07 ms (a square
// root and the subgroup check).
//
// # Formats
//
// The wire form of a ticket is keyEpoch (8 bytes, big-endian) ‖ serial (32)
// ‖ σ (48, compressed G1): [TicketSize] bytes. Points use the ZCash/IETF
// compressed encodings (48 bytes in G1, 96 in G2) between Go programs, and
// the EIP-2537 forms (128 and 256 bytes) for the chain. docs/spec/tickets.md in the repository
// specifies the scheme for other implementations;
// contracts/testdata/tickets.json holds test vectors, written by
// internal/vectorgen (go generate) and checked by this package's tests.
package tickets
