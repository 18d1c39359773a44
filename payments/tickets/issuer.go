package tickets

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sync"
	"time"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	badger "github.com/dgraph-io/badger/v4"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/payments/cheque"
)

// IssuerConfig configures an [Issuer].
type IssuerConfig struct {
	// Dir is the directory of the issuer's store: signing keys, redeemed
	// tickets, the last cheque of each payer, the total owed to each
	// provider. It is created if need be. Keep it private: it holds keys.
	Dir string
	// ChainID and Vault name the Vault whose cheques the issuer takes and
	// writes; ChainID is also bound into every ticket (see [DST]).
	ChainID uint64
	Vault   common.Address
	// Account is the issuer's Ethereum key: payee of the clients' cheques,
	// payer of the providers' cheques.
	Account *ecdsa.PrivateKey
	// TicketIssuer is the TicketIssuer contract, whose EIP-712 domain the
	// providers' redemption requests are signed in.
	TicketIssuer common.Address
	// Retain is how many key epochs before the current one stay valid for
	// selling and redemption; older keys are deleted.
	Retain uint64
	// Rand is the source of key material and batch-verification
	// coefficients. Nil means crypto/rand.Reader.
	Rand io.Reader
	// TicketFace, if not nil, makes the issuer pay redemptions in lottery
	// tickets (ADR 0010) to providers that ask for them ([PayBy]): it
	// returns the face value of the next ticket (nil or zero: pay that
	// one by cheque). The tickets are drawn on the issuer's Vault deposit,
	// and signed with Account.
	TicketFace func() *big.Int
	// TicketValidFor is how long a ticket can be claimed after it is
	// signed; 0 means 24 hours (settle.DefaultTicketValidFor).
	TicketValidFor time.Duration
	// Now is the clock of ticket expiries; nil means time.Now.
	Now func() time.Time
}

// SaleRequest is a client's order: sign Blinded with the key of Epoch,
// paid for by Payment.
type SaleRequest struct {
	Epoch uint64
	// Value is the value the client expects the tickets to have; the sale
	// is refused with [ErrWrongValue] if it is not the key's.
	Value Value
	// Payment is a cheque from the client to the issuer whose cumulative
	// amount exceeds that of the last cheque the issuer accepted from the
	// same payer by at least len(Blinded) × Value.Price. Any excess is
	// not credited: pay exactly.
	Payment cheque.Signed
	Blinded []bls.G1Affine
}

// Issuer sells tickets against cheques and redeems spent tickets for
// cheques. Its methods are safe for concurrent use.
type Issuer struct {
	db      *badger.DB
	domain  cheque.Domain
	reqs    RequestDomain
	account *ecdsa.PrivateKey
	addr    common.Address
	chainID uint64
	rand    io.Reader
	keys    *Keyring

	face     func() *big.Int
	validFor time.Duration
	now      func() time.Time

	kmu     sync.RWMutex // guards secrets; held for writing across key changes
	secrets map[uint64]*SecretKey

	mu sync.Mutex // serializes the read-modify-write of totals and the redeemed set
}

// OpenIssuer opens the issuer's store in cfg.Dir and loads its keys.
func OpenIssuer(cfg IssuerConfig) (*Issuer, error) {
	if cfg.Account == nil {
		return nil, errors.New("tickets: issuer without account key")
	}
	db, err := openDB(cfg.Dir)
	if err != nil {
		return nil, err
	}
	is := &Issuer{
		db:      db,
		domain:  cheque.NewDomain(new(big.Int).SetUint64(cfg.ChainID), cfg.Vault),
		reqs:    NewRequestDomain(new(big.Int).SetUint64(cfg.ChainID), cfg.TicketIssuer),
		account: cfg.Account,
		addr:    crypto.PubkeyToAddress(cfg.Account.PublicKey),
		chainID: cfg.ChainID,
		rand:    cfg.Rand,
		keys:    NewKeyring(cfg.ChainID, cfg.Retain),
		secrets: make(map[uint64]*SecretKey),
		face:    cfg.TicketFace, validFor: cfg.TicketValidFor, now: cfg.Now,
	}
	if is.rand == nil {
		is.rand = rand.Reader
	}
	if is.validFor <= 0 {
		is.validFor = 24 * time.Hour
	}
	if is.now == nil {
		is.now = time.Now
	}
	if err := is.loadKeys(); err != nil {
		db.Close()
		return nil, err
	}
	return is, nil
}

func (is *Issuer) loadKeys() error {
	var keys []*SecretKey
	err := is.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{prefixKey}, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			key := it.Item().Key()
			// 32+8+32: a key stored before issuers charged a fee.
			if len(key) != 9 || (len(k) != 32+8+32 && len(k) != 32+8+32+32) {
				return fmt.Errorf("tickets: corrupt key entry %x", key)
			}
			v := Value{Packets: binary.BigEndian.Uint64(k[32:40]), Price: new(big.Int).SetBytes(k[40:72])}
			if len(k) > 72 {
				v.Fee = new(big.Int).SetBytes(k[72:104])
			}
			sk, err := NewSecretKey(k[:32], is.chainID, binary.BigEndian.Uint64(key[1:9]), v)
			if err != nil {
				return fmt.Errorf("tickets: corrupt key entry %x: %w", key, err)
			}
			keys = append(keys, sk)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("tickets: loading issuer keys: %w", err)
	}
	for _, k := range keys {
		if err := is.AddKey(k); err != nil && !errors.Is(err, ErrExpiredEpoch) {
			return err
		}
	}
	return is.pruneKeys()
}

// Close closes the store.
func (is *Issuer) Close() error { return is.db.Close() }

// Address returns the issuer's Ethereum address.
func (is *Issuer) Address() common.Address { return is.addr }

// AddKey adds a signing key, which becomes current if its epoch is the
// newest, and stores it. Errors as [Keyring.Add].
func (is *Issuer) AddKey(k *SecretKey) error {
	pub := k.Public()
	if pub.ChainID != is.chainID {
		return fmt.Errorf("%w: key of chain %d, issuer of chain %d", ErrWrongChain, pub.ChainID, is.chainID)
	}
	is.kmu.Lock()
	defer is.kmu.Unlock()
	if old, err := is.keys.Key(pub.Epoch); err == nil {
		if cur := is.secrets[pub.Epoch]; cur != nil && old.Equal(pub) && cur.sk.Equal(&k.sk) {
			return nil
		}
		return fmt.Errorf("tickets: another issuer key is known for epoch %d", pub.Epoch)
	} else if !errors.Is(err, ErrUnknownEpoch) {
		return err
	}
	sk := k.Bytes()
	val := binary.BigEndian.AppendUint64(sk[:], pub.Value.Packets)
	val = append(val, amountBytes(pub.Value.Price)...)
	val = append(val, amountBytes(pub.Value.FeeWei())...)
	if err := is.db.Update(func(txn *badger.Txn) error {
		return txn.Set(epochKey(pub.Epoch), val)
	}); err != nil {
		return fmt.Errorf("tickets: storing issuer key: %w", err)
	}
	if err := is.keys.Add(pub); err != nil {
		return err
	}
	is.secrets[pub.Epoch] = k
	for e := range is.secrets {
		if _, err := is.keys.lookup(e); err != nil {
			delete(is.secrets, e)
		}
	}
	return nil
}

// pruneKeys deletes stored keys that are no longer in the window.
func (is *Issuer) pruneKeys() error {
	is.kmu.RLock()
	defer is.kmu.RUnlock()
	return is.db.Update(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{prefixKey}})
		var drop [][]byte
		for it.Rewind(); it.Valid(); it.Next() {
			key := it.Item().KeyCopy(nil)
			if _, ok := is.secrets[binary.BigEndian.Uint64(key[1:])]; !ok {
				drop = append(drop, key)
			}
		}
		it.Close()
		for _, key := range drop {
			if err := txn.Delete(key); err != nil {
				return err
			}
		}
		return nil
	})
}

// Rotate creates a key for the epoch after the current one (or epoch 0 if
// there is none) for tickets of value v, makes it current, and deletes
// the keys that fall out of the window. Publish the returned key.
func (is *Issuer) Rotate(v Value) (IssuerKey, error) {
	var epoch uint64
	if cur, ok := is.keys.Current(); ok {
		epoch = cur.Epoch + 1
	}
	k, err := GenerateIssuerKey(is.rand, is.chainID, epoch, v)
	if err != nil {
		return IssuerKey{}, err
	}
	if err := is.AddKey(k); err != nil {
		return IssuerKey{}, err
	}
	if err := is.pruneKeys(); err != nil {
		return IssuerKey{}, fmt.Errorf("tickets: deleting expired keys: %w", err)
	}
	return k.Public(), nil
}

// Keys returns the public keys of the window, oldest first.
func (is *Issuer) Keys() []IssuerKey { return is.keys.Keys() }

// Key returns the public key of epoch.
func (is *Issuer) Key(epoch uint64) (IssuerKey, error) { return is.keys.Key(epoch) }

func (is *Issuer) secret(epoch uint64) (*SecretKey, error) {
	is.kmu.RLock()
	defer is.kmu.RUnlock()
	if _, err := is.keys.lookup(epoch); err != nil {
		return nil, err
	}
	k, ok := is.secrets[epoch]
	if !ok {
		return nil, fmt.Errorf("%w: epoch %d", ErrUnknownEpoch, epoch)
	}
	return k, nil
}

// SignBlinded signs blinded tickets with the key of epoch, without payment
// (for tickets the issuer gives away). See [SecretKey.SignBlinded].
func (is *Issuer) SignBlinded(epoch uint64, blinded []bls.G1Affine) ([]bls.G1Affine, error) {
	k, err := is.secret(epoch)
	if err != nil {
		return nil, err
	}
	if len(blinded) > MaxBatch {
		return nil, fmt.Errorf("tickets: %d blinded tickets, at most %d at once", len(blinded), MaxBatch)
	}
	return k.SignBlinded(blinded)
}

// Redeem redeems a batch of spent tickets of one key epoch for the provider
// that signed req: it checks the request (the provider's EIP-712 signature,
// this issuer, the epoch and serials of exactly these tickets, and a
// cumulative amount equal to what the issuer already owes the provider plus
// the batch's value), verifies the tickets (batch verification, see
// [Keyring.VerifyBatch]), marks them redeemed, keeps req as evidence (see
// [Issuer.Evidence]), and returns a cheque from the issuer to the provider
// for everything it owes it by cheque: req.CumulativeAmount less what it
// paid in lottery tickets ([Issuer.RedeemFor]).
//
// Redemption is all or nothing: if any ticket is refused, none is
// redeemed, and the error is a *[BatchError] naming the refused tickets
// ([ErrBadSignature], [ErrUnknownEpoch], [ErrExpiredEpoch],
// [ErrDuplicateSerial], [ErrDoubleRedeem], [ErrInfinity]); the provider
// drops them and asks again for the others. A request that does not match
// fails with [ErrRequestSignature], [ErrRequestMismatch] or [ErrRequestAmount].
//
// A ticket this provider redeemed before is not refused but adds nothing:
// a provider that lost the answer (a crash, a broken stream) asks again
// for the same batch and the same amount, and gets its cheque.
func (is *Issuer) Redeem(req SignedRequest, tickets []Ticket) (cheque.Signed, error) {
	p, err := is.redeem(req, tickets, PayBy{}, false)
	if err != nil {
		return cheque.Signed{}, err
	}
	return *p.Cheque, nil
}

// RedeemFor is [Issuer.Redeem] with a choice of payment. With a
// commitment in by, and an issuer that pays in tickets, the batch is paid
// with one lottery ticket whose expected value is exactly the batch's
// value (or, for a retry of the last batch, the ticket that paid it); the
// provider acknowledges it with a receipt, in by.Receipt of its next
// request or through [Issuer.TakeReceipt]. A new batch is refused with
// [ErrReceiptMissing] while the last ticket is not acknowledged.
// Otherwise it pays a cheque, as Redeem does.
func (is *Issuer) RedeemFor(req SignedRequest, tickets []Ticket, by PayBy) (Payment, error) {
	return is.redeem(req, tickets, by, true)
}

// TakeReceipt keeps the provider's receipt r if it acknowledges more than
// the last one did. It fails if r is not the provider's, or not for this
// issuer.
func (is *Issuer) TakeReceipt(r SignedReceipt) error {
	if err := is.checkReceipt(&r, r.Provider); err != nil {
		return err
	}
	is.mu.Lock()
	defer is.mu.Unlock()
	return is.db.Update(func(txn *badger.Txn) error {
		rec, err := getPayRecord(txn, r.Provider)
		if err != nil {
			return err
		}
		if !takeReceipt(&rec, &r) {
			return nil
		}
		v, err := rec.encode()
		if err != nil {
			return err
		}
		return txn.Set(addrKey(prefixPay, r.Provider), v)
	})
}

func (is *Issuer) checkReceipt(r *SignedReceipt, provider common.Address) error {
	if r.Issuer != is.addr || r.Provider != provider {
		return fmt.Errorf("%w: a receipt of %s for %s, expected one of %s for %s", ErrReceiptSignature, r.Provider, r.Issuer, provider, is.addr)
	}
	return is.reqs.VerifyReceipt(r)
}

// takeReceipt records r in rec if it acknowledges more.
func takeReceipt(rec *payRecord, r *SignedReceipt) bool {
	if r.CumulativeValue.Cmp(rec.receipted) <= 0 {
		return false
	}
	rec.receipted = new(big.Int).Set(r.CumulativeValue)
	rec.receiptSig = r.Signature
	return true
}

func (is *Issuer) redeem(req SignedRequest, tickets []Ticket, by PayBy, lotteryOK bool) (Payment, error) {
	provider := req.Provider
	if provider == (common.Address{}) {
		return Payment{}, errors.New("tickets: redemption for the zero address")
	}
	if len(tickets) == 0 || len(tickets) > MaxBatch {
		return Payment{}, fmt.Errorf("tickets: %d tickets, want 1 to %d", len(tickets), MaxBatch)
	}
	if err := is.reqs.Verify(&req); err != nil {
		return Payment{}, err
	}
	if req.Issuer != is.addr || len(req.Serials) != len(tickets) {
		return Payment{}, ErrRequestMismatch
	}
	for i := range tickets {
		if tickets[i].KeyEpoch != req.KeyEpoch || tickets[i].Serial != req.Serials[i] {
			return Payment{}, ErrRequestMismatch
		}
	}
	if by.Receipt != nil {
		if err := is.checkReceipt(by.Receipt, provider); err != nil {
			return Payment{}, err
		}
	}
	var face *big.Int
	if lotteryOK && by.Commitment != (common.Hash{}) {
		face = is.ticketFace()
	}
	errs := make([]error, len(tickets))
	vs, err := is.keys.verifyBatch(is.rand, tickets, nil, errs)
	if err != nil {
		return Payment{}, err
	}
	evidence := encodeSignedRequest(&req)
	evidenceKey := append([]byte{prefixRequest}, crypto.Keccak256(evidence)...)

	again := make([]bool, len(tickets)) // redeemed before, by this provider
	is.mu.Lock()
	defer is.mu.Unlock()
	var out Payment
	err = is.db.Update(func(txn *badger.Txn) error {
		keys := make([][]byte, len(tickets))
		for i := range tickets {
			if errs[i] != nil {
				continue
			}
			keys[i] = ticketKey(prefixRedeemed, &tickets[i])
			prev, done, err := redemptionOf(txn, keys[i])
			if err != nil {
				return err
			}
			switch {
			case !done:
			case prev.Provider == provider:
				// A retry by the provider whose answer was lost (it
				// crashed, the stream broke): the ticket is paid for
				// already, and the provider gets its payment again.
				again[i] = true
			default:
				errs[i] = ErrDoubleRedeem
			}
		}
		if err := batchResult(errs); err != nil {
			return err
		}
		owedKey := addrKey(prefixOwed, provider)
		before, _, err := getAmount(txn, owedKey)
		if err != nil {
			return err
		}
		owed := new(big.Int).Set(before)
		for i := range tickets {
			if !again[i] {
				owed.Add(owed, vs[i].key.Value.Price)
			}
		}
		if owed.Cmp(req.CumulativeAmount) != 0 {
			return &AmountError{Asked: new(big.Int).Set(req.CumulativeAmount), Owes: owed}
		}
		rec, err := getPayRecord(txn, provider)
		if err != nil {
			return err
		}
		dirty := by.Receipt != nil && takeReceipt(&rec, by.Receipt)
		value := new(big.Int).Sub(owed, before)
		if value.Sign() > 0 && rec.latest != nil && rec.receipted.Cmp(rec.ticketOwed) < 0 {
			return fmt.Errorf("%w: %s wei paid in tickets, %s acknowledged", ErrReceiptMissing, rec.ticketOwed, rec.receipted)
		}
		switch {
		case face != nil && value.Sign() > 0:
			t, err := is.payTicket(&rec, provider, by.Commitment, value, owed, face)
			if err != nil {
				return err
			}
			out.Ticket, dirty = &t, true
		case face != nil && rec.latest != nil && rec.ticketOwed.Cmp(owed) == 0:
			t := *rec.latest // the retry of a batch paid by this ticket
			out.Ticket = &t
		default:
			c, err := is.domain.Sign(cheque.Cheque{Payer: is.addr, Payee: provider, CumulativeAmount: new(big.Int).Sub(owed, rec.byTicket)}, is.account)
			if err != nil {
				return err
			}
			out.Cheque = &c
		}
		if dirty {
			v, err := rec.encode()
			if err != nil {
				return err
			}
			if err := txn.Set(addrKey(prefixPay, provider), v); err != nil {
				return err
			}
		}
		for i := range tickets {
			if again[i] {
				continue
			}
			if err := txn.Set(keys[i], evidenceKey[1:]); err != nil {
				return err
			}
		}
		if err := txn.Set(evidenceKey, evidence); err != nil {
			return err
		}
		return txn.Set(owedKey, amountBytes(owed))
	})
	if err != nil {
		var be *BatchError
		if errors.As(err, &be) || errors.Is(err, ErrRequestAmount) || errors.Is(err, ErrReceiptMissing) {
			return Payment{}, err
		}
		return Payment{}, fmt.Errorf("tickets: redeeming: %w", err)
	}
	return out, nil
}

// Evidence returns the signed request under which the ticket (keyEpoch,
// serial) was redeemed off-chain: what TicketIssuer.proveDoubleRedemption
// takes when that provider also redeems the ticket on-chain.
func (is *Issuer) Evidence(keyEpoch uint64, serial [32]byte) (SignedRequest, bool, error) {
	t := Ticket{KeyEpoch: keyEpoch, Serial: serial}
	var out SignedRequest
	found := false
	err := is.db.View(func(txn *badger.Txn) (err error) {
		out, found, err = redemptionOf(txn, ticketKey(prefixRedeemed, &t))
		return err
	})
	return out, found, err
}

// redemptionOf returns the signed request that redeemed the ticket whose
// redeemed-set key is key, if it was redeemed.
func redemptionOf(txn *badger.Txn, key []byte) (SignedRequest, bool, error) {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return SignedRequest{}, false, nil
	}
	if err != nil {
		return SignedRequest{}, false, err
	}
	ref, err := item.ValueCopy(nil)
	if err != nil {
		return SignedRequest{}, false, err
	}
	if len(ref) == 0 {
		return SignedRequest{}, false, fmt.Errorf("tickets: redeemed ticket without its request")
	}
	item, err = txn.Get(append([]byte{prefixRequest}, ref...))
	if err != nil {
		return SignedRequest{}, false, err
	}
	b, err := item.ValueCopy(nil)
	if err != nil {
		return SignedRequest{}, false, err
	}
	out, err := decodeSignedRequest(b)
	if err != nil {
		return SignedRequest{}, false, err
	}
	return out, true, nil
}

// Owed returns a fresh cheque from the issuer to provider for everything
// redeemed so far and not paid in lottery tickets, for a provider that lost the answer to [Issuer.Redeem].
// Cheques are cumulative, so handing out the latest again is harmless.
func (is *Issuer) Owed(provider common.Address) (cheque.Signed, error) {
	p, err := is.Paid(provider)
	if err != nil {
		return cheque.Signed{}, err
	}
	return is.domain.Sign(cheque.Cheque{Payer: is.addr, Payee: provider, CumulativeAmount: p.ByCheque}, is.account)
}
