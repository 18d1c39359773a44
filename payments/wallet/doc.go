// Package wallet keeps a client's packet tickets on disk: the tickets it
// holds, and the purchases it has paid for but not yet finished.
//
// A [Wallet] is one file, encrypted and authenticated with a key derived
// from a 32-byte secret the caller supplies (say, the client's Ethereum
// private key): open it with [Open], which creates it if it does not
// exist. Every change is written to a new file that replaces the old one
// atomically before the change takes effect in memory, so after a crash
// the file holds the state before or after the last change, never a mix.
//
// # Using it
//
//	w, err := wallet.Open(path, secret)          // ErrWrongSecret, ErrCorrupt
//	_, err = w.Add(key, ts)                      // tickets of issuer key key
//	ts, err = w.Take(10)                         // to spend at the provider
//	for _, b := range w.Balance() { … }          // tickets and packets per key epoch
//	bundle, err := w.Export(5)                   // "murmur-tickets:…", for someone else
//	n, err := other.Import(bundle, keyring)      // verified against the issuer's keys
//	gone, err := w.DropExpired(keyring)          // tickets the issuer no longer honours
//
// # Purchases and crash recovery
//
// Buying tickets is three steps: blind fresh serials ([tickets.NewTicketRequest]),
// pay the issuer, and unblind its answer ([tickets.TicketRequest.Finish]).
// The blinding factors are the only way to turn the issuer's answer into
// tickets, so a client that loses them after paying has paid for nothing.
// [Wallet.Begin] therefore records the requests (serials and blinding
// factors) and the payment cheque before the order is sent; [Wallet.Finish]
// takes the issuer's answer, checks and unblinds every signature, and in one
// write adds the tickets and removes the purchase. A purchase the process
// did not finish stays in [Wallet.Pending] across restarts, and can be
// finished with the issuer's answer, whenever the caller obtains it.
//
// That recovery works because [tickets.Issuer.Sell] is idempotent for the
// last order of each payer: it keeps the order with the cheque that paid
// for it, on disk, and the same order with the same cheque gets the same
// signatures again without paying twice, across issuer restarts too. The
// cheque cannot pay for another order ([tickets.ErrStaleCheque]).
// A pending purchase whose order never reached the issuer can always be
// sent again as it is. Either way the pending record keeps the evidence of
// the payment: the signed cheque and the blinded points it paid for.
//
// Cheques are cumulative, and an issuer credits a payer only what a cheque
// adds to the last one it accepted. A new purchase paid with a newer cheque
// therefore makes the cheque of an unsent pending purchase stale: finish or
// abandon ([Wallet.Abandon]) pending purchases before paying for new ones.
//
// # What it protects
//
// Tickets are bearer tokens and blinding factors link a ticket to its
// purchase, so the file is sealed with XChaCha20-Poly1305 under a key
// derived with HKDF-SHA256 from the secret and a per-wallet random salt.
// A wrong secret is told apart from a damaged file by a key-check value
// derived from the same secret (a damaged key-check value reads as a wrong
// secret). Opening never writes to an existing file, so a wallet that does
// not open is left as it was for the caller to inspect.
//
// An exported bundle is not encrypted: whoever reads it can spend its
// tickets. Hand it over on a private channel.
//
// A Wallet is safe for concurrent use within one process. Two processes
// must not use one wallet file at the same time: each would overwrite the
// other's changes.
//
// # Why one file
//
// A wallet holds at most some thousands of tickets (88 bytes each), so
// rewriting the whole file on each change (a few hundred kilobytes and one
// fsync) costs little, and a single sealed file authenticates the wallet as
// a whole: nobody can drop, replay or reorder single entries without the
// secret, and the file shows nothing of its contents but its size. A
// key-value store such as badger would write less per change, but would
// need its own encryption of each value, keeps several files and background
// goroutines, and leaves the number of entries visible.
//
// # Formats
//
// The file is
//
//	"murmur-wallet" ‖ version (1 byte, 1) ‖ salt (16) ‖ check (16) ‖ nonce (24) ‖ sealed state
//
// where key ‖ check come from HKDF-SHA256(secret, salt) with the info
// strings "murmur-wallet-v1 key" (32 bytes) and "murmur-wallet-v1 check"
// (16 bytes), and the state is sealed with XChaCha20-Poly1305 under key,
// with everything before the nonce as additional data. A fresh random
// nonce is drawn for every write.
//
// A bundle is the text "murmur-tickets:" followed by the unpadded base64url
// encoding of
//
//	version (1 byte, 1) ‖ chainID (8) ‖ count (2) ‖ count × ticket (88) ‖ SHA-256(all before)[:4]
//
// with tickets in their wire form ([tickets.Ticket.Bytes]) and integers
// big-endian.
package wallet
