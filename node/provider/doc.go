// Package provider is a relay's provider role (docs/design.md §6.2): it
// serves its clients (register, send, fetch and acknowledge mailbox
// messages, spend tickets), charges each packet a client hands it one
// prepaid packet, and redeems the tickets clients paid with.
//
// Prepaid packets.
//
// A provider with a [Config] charges every packet a client hands it,
// Send or Forward, cover or real alike, one prepaid packet. Clients buy
// prepaid packets with tickets: a Spend request (package wire) carries
// tickets of one issuer key, which the provider verifies locally (batch
// verification against the key the issuer published on-chain, and its
// spent set on disk, package tickets) and credits at the packet value
// the issuer announces in its descriptor. With nothing left, Send and
// Forward are answered [wire.CodeUnpaid] and the packet goes nowhere.
//
// A Spend is not all or nothing: [tickets.Provider.AcceptBatch] records
// the good tickets of a batch as spent whatever the others are, so the
// provider credits the good ones and names the refused ones with a reason
// (forged, already spent, expired, ...). Refusing the whole batch would
// spend a client's good tickets for nothing.
//
// Where issuer keys come from: a ticket names only its key epoch, so a
// Spend names the issuer key too. The provider looks for it among the
// issuers of the topology (relays with [chain.RoleIssuer]) on-chain
// ([Chain.IssuerKey]) the first time it sees it, and keeps it (in a
// [tickets.Keyring] per issuer, and on disk), so that a known key needs
// no chain access: a provider keeps taking tickets while the chain is
// down. The chain's key has the price and the expiry; the number of
// packets a ticket is worth is the issuer's descriptor parameter
// [pki.ParamTicketPackets] when the provider first sees the key.
//
// Every RedeemEvery, or sooner once RedeemBatch tickets of an issuer wait,
// the provider redeems its spent tickets with their issuer over package
// market and keeps the issuer's latest cheque, to cash at the Vault
// ([Provider.IssuerCheques]).
//
// What a crash costs: a Spend records the tickets as spent (synced) and
// then credits the balance (synced); a crash in between loses that credit
// for the client, never the other way round. A packet costs a decrement in
// memory, and the balance on disk is kept up to ReserveChunk packets below
// it (see store), so a crash can cost a client up to ReserveChunk
// packets, and never gives back packets that were sent.
//
// Redemption on-chain.
//
// An issuer that refuses valid tickets, or cannot be reached, is taken to
// the TicketIssuer contract: once its failures have lasted RedeemGrace
// (counted from the first failure since its last redemption; a refusal
// that names bad tickets is not a failure, those tickets are dropped),
// the provider redeems the waiting tickets itself, per key epoch, at most
package provider
