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

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	badger "github.com/dgraph-io/badger/v4"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/settle"
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
	}
	if is.rand == nil {
		is.rand = rand.Reader
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
			if len(key) != 9 || len(k) != 32+8+32 {
				return fmt.Errorf("tickets: corrupt key entry %x", key)
			}
			v := Value{Packets: binary.BigEndian.Uint64(k[32:40]), Price: new(big.Int).SetBytes(k[40:72])}
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

// Sell signs req.Blinded once req.Payment pays for them, and returns the
// blind signatures in order. The payment is accepted (and the cheque
// stored with the order, see [Issuer.Payment]) only if everything else is
// in order. The same order paid with the same cheque again (a client that
// lost the answer) gets the same signatures and pays nothing more, across
// restarts too; the cheque cannot pay for another order.
// Errors: [ErrUnknownEpoch], [ErrExpiredEpoch], [ErrWrongValue], the point
// errors for a bad blinded ticket, [ErrBadCheque] (bad signature, or payee
// not the issuer), [ErrStaleCheque], [ErrInsufficientPayment].
func (is *Issuer) Sell(req SaleRequest) ([]bls.G1Affine, error) {
	k, err := is.secret(req.Epoch)
	if err != nil {
		return nil, err
	}
	if !k.pub.Value.Equal(req.Value) {
		return nil, fmt.Errorf("%w: epoch %d is %v, asked for %v", ErrWrongValue, req.Epoch, k.pub.Value, req.Value)
	}
	n := len(req.Blinded)
	if n == 0 || n > MaxBatch {
		return nil, fmt.Errorf("tickets: %d blinded tickets, want 1 to %d", n, MaxBatch)
	}
	if err := checkBlinded(req.Blinded); err != nil {
		return nil, err
	}
	pay := req.Payment
	if err := is.CheckPayment(pay); err != nil {
		return nil, err
	}
	price := new(big.Int).Mul(big.NewInt(int64(n)), k.pub.Value.Price)
	if err := is.acceptPayment(pay, price, req.digest()); err != nil {
		return nil, err
	}
	return k.signChecked(req.Blinded), nil
}

// CheckPayment checks that pay is payable to the issuer and signed by its
// payer, as [Issuer.Sell] does before it takes a cheque, and returns
// [ErrBadCheque] if not. A seller that looks the payer up before selling
// (its vault on-chain) checks the cheque first, so that a forged one
// costs it no lookup.
func (is *Issuer) CheckPayment(pay cheque.Signed) error {
	if pay.Payee != is.addr {
		return fmt.Errorf("%w: payee %s is not the issuer %s", ErrBadCheque, pay.Payee, is.addr)
	}
	if err := is.domain.Verify(pay); err != nil {
		return fmt.Errorf("%w: %w", ErrBadCheque, err)
	}
	return nil
}

// digest identifies an order apart from its cheque: key epoch, value and
// blinded tickets.
func (req *SaleRequest) digest() [32]byte {
	b := binary.BigEndian.AppendUint64(nil, req.Epoch)
	b = append(b, req.Value.String()...)
	for i := range req.Blinded {
		p := req.Blinded[i].Bytes()
		b = append(b, p[:]...)
	}
	return crypto.Keccak256Hash(b)
}

// acceptPayment takes pay for an order of price, and keeps it with the
// order's digest. The last cheque a payer paid with, presented again for
// the same order, is accepted without paying twice: a client that lost
// the answer (a broken stream, an issuer that restarted) retries with the
// same cheque and gets the same signatures, blind signatures being
// deterministic. The same cheque for another order is stale.
func (is *Issuer) acceptPayment(pay cheque.Signed, price *big.Int, order [32]byte) error {
	is.mu.Lock()
	defer is.mu.Unlock()
	return is.db.Update(func(txn *badger.Txn) error {
		key := addrKey(prefixCheque, pay.Payer)
		last, val, err := getAmount(txn, key)
		if err != nil {
			return fmt.Errorf("tickets: reading payer total: %w", err)
		}
		rec := paymentRecord{amount: last}
		if val != nil && len(val) == chequeEntrySize {
			rec.found = true
			copy(rec.signature[:], val[32:32+65])
			copy(rec.order[:], val[32+65:])
		}
		keep, err := decidePayment(rec, pay, price, order)
		if err != nil || !keep {
			return err
		}
		entry := append(append(amountBytes(pay.CumulativeAmount), pay.Signature[:]...), order[:]...)
		return txn.Set(key, entry)
	})
}

// paymentRecord is what the issuer keeps of a payer's last cheque.
type paymentRecord struct {
	found     bool
	amount    *big.Int // zero when none
	signature [65]byte
	order     [32]byte // digest of the order it paid for
}

// decidePayment decides whether pay pays for an order of price with
// digest order, given the payer's last accepted cheque: keep means the
// cheque is taken and recorded; no error and no keep is a retry of the
// last order with the same cheque, answered again without paying twice
// (see [Issuer.acceptPayment]). It is a pure function of its inputs; the
// scripts in testdata/payment_*.txt drive it.
func decidePayment(last paymentRecord, pay cheque.Signed, price *big.Int, order [32]byte) (keep bool, err error) {
	lastAmount := last.amount
	if lastAmount == nil {
		lastAmount = new(big.Int)
	}
	if last.found && pay.CumulativeAmount.Cmp(lastAmount) == 0 && last.signature == pay.Signature {
		if last.order == order {
			return false, nil
		}
		return false, fmt.Errorf("%w: this cheque already paid for other tickets", ErrStaleCheque)
	}
	if pay.CumulativeAmount.Cmp(lastAmount) <= 0 {
		return false, fmt.Errorf("%w: cumulative amount %v, last accepted %v", ErrStaleCheque, pay.CumulativeAmount, lastAmount)
	}
	if paid := new(big.Int).Sub(pay.CumulativeAmount, lastAmount); paid.Cmp(price) < 0 {
		return false, fmt.Errorf("%w: cheque adds %v wei, tickets cost %v", ErrInsufficientPayment, paid, price)
	}
	return true, nil
}

// chequeEntrySize is a payer's entry: cumulative amount (32) ‖ cheque
// signature (65) ‖ digest of the order it paid for (32).
const chequeEntrySize = 32 + 65 + 32

// Payment returns the last cheque the issuer accepted from payer, to cash
// at the Vault, and false if there is none.
func (is *Issuer) Payment(payer common.Address) (cheque.Signed, bool, error) {
	var s cheque.Signed
	var found bool
	err := is.db.View(func(txn *badger.Txn) error {
		amount, val, err := getAmount(txn, addrKey(prefixCheque, payer))
		if err != nil || val == nil {
			return err
		}
		if len(val) != chequeEntrySize {
			return fmt.Errorf("tickets: corrupt cheque entry for %s", payer)
		}
		s = cheque.Signed{Cheque: cheque.Cheque{Payer: payer, Payee: is.addr, CumulativeAmount: amount}}
		copy(s.Signature[:], val[32:32+65])
		found = true
		return nil
	})
	return s, found, err
}

// Payments returns the last cheque the issuer accepted from each payer,
// by payer address: what the issuer's relay cashes at the Vault.
func (is *Issuer) Payments() ([]cheque.Signed, error) {
	var out []cheque.Signed
	err := is.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{prefixCheque}, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()
			val, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			if len(k) != 1+common.AddressLength || len(val) != chequeEntrySize {
				return fmt.Errorf("tickets: corrupt cheque entry %x", k)
			}
			s := cheque.Signed{Cheque: cheque.Cheque{
				Payer: common.BytesToAddress(k[1:]), Payee: is.addr, CumulativeAmount: new(big.Int).SetBytes(val[:32]),
			}}
			copy(s.Signature[:], val[32:32+65])
			out = append(out, s)
		}
		return nil
	})
	return out, err
}

// Cashed returns what the issuer has cashed from payer's cheques in all,
// as recorded by [Issuer.MarkCashed]; zero if nothing was.
func (is *Issuer) Cashed(payer common.Address) (*big.Int, error) {
	var v *big.Int
	err := is.db.View(func(txn *badger.Txn) (err error) {
		v, _, err = getAmount(txn, addrKey(prefixCashed, payer))
		return err
	})
	return v, err
}

// Holdings lists the clients' last cheques with what was cashed of them
// (Unpaid is zero: a client pays before it is served), for the relay's
// cashing loop: an Issuer is a [settle.Holder].
func (is *Issuer) Holdings() ([]settle.Holding, error) {
	ps, err := is.Payments()
	if err != nil {
		return nil, err
	}
	out := make([]settle.Holding, 0, len(ps))
	for _, s := range ps {
		cashed, err := is.Cashed(s.Payer)
		if err != nil {
			return nil, err
		}
		out = append(out, settle.HoldingOf(s, cashed))
	}
	return out, nil
}

var _ settle.Holder = (*Issuer)(nil)

// MarkCashed records that payer's cheques to the issuer have been cashed
// for total wei in all (the Vault's cashed total). Totals only grow: a
// smaller one than recorded is ignored, so a report may be repeated.
func (is *Issuer) MarkCashed(payer common.Address, total *big.Int) error {
	if total == nil || total.Sign() < 0 || total.BitLen() > 256 {
		return fmt.Errorf("tickets: invalid cashed total %v", total)
	}
	is.mu.Lock()
	defer is.mu.Unlock()
	return is.db.Update(func(txn *badger.Txn) error {
		key := addrKey(prefixCashed, payer)
		old, _, err := getAmount(txn, key)
		if err != nil || total.Cmp(old) <= 0 {
			return err
		}
		return txn.Set(key, amountBytes(total))
	})
}

// Redeem redeems a batch of spent tickets of one key epoch for the provider
// that signed req: it checks the request (the provider's EIP-712 signature,
// this issuer, the epoch and serials of exactly these tickets, and a
// cumulative amount equal to what the issuer already owes the provider plus
// the batch's value), verifies the tickets (batch verification, see
// [Keyring.VerifyBatch]), marks them redeemed, keeps req as evidence (see
// [Issuer.Evidence]), and returns a cheque from the issuer to the provider
// for req.CumulativeAmount.
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
	provider := req.Provider
	if provider == (common.Address{}) {
		return cheque.Signed{}, errors.New("tickets: redemption for the zero address")
	}
	if len(tickets) == 0 || len(tickets) > MaxBatch {
		return cheque.Signed{}, fmt.Errorf("tickets: %d tickets, want 1 to %d", len(tickets), MaxBatch)
	}
	if err := is.reqs.Verify(&req); err != nil {
		return cheque.Signed{}, err
	}
	if req.Issuer != is.addr || len(req.Serials) != len(tickets) {
		return cheque.Signed{}, ErrRequestMismatch
	}
	for i := range tickets {
		if tickets[i].KeyEpoch != req.KeyEpoch || tickets[i].Serial != req.Serials[i] {
			return cheque.Signed{}, ErrRequestMismatch
		}
	}
	errs := make([]error, len(tickets))
	vs, err := is.keys.verifyBatch(is.rand, tickets, nil, errs)
	if err != nil {
		return cheque.Signed{}, err
	}
	evidence := encodeSignedRequest(&req)
	evidenceKey := append([]byte{prefixRequest}, crypto.Keccak256(evidence)...)

	again := make([]bool, len(tickets)) // redeemed before, by this provider
	is.mu.Lock()
	defer is.mu.Unlock()
	var out cheque.Signed
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
				// already, and the provider gets the cheque again.
				again[i] = true
			default:
				errs[i] = ErrDoubleRedeem
			}
		}
		if err := batchResult(errs); err != nil {
			return err
		}
		owedKey := addrKey(prefixOwed, provider)
		owed, _, err := getAmount(txn, owedKey)
		if err != nil {
			return err
		}
		for i := range tickets {
			if !again[i] {
				owed.Add(owed, vs[i].key.Value.Price)
			}
		}
		if owed.Cmp(req.CumulativeAmount) != 0 {
			return &AmountError{Asked: new(big.Int).Set(req.CumulativeAmount), Owes: owed}
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
		if err := txn.Set(owedKey, amountBytes(owed)); err != nil {
			return err
		}
		out, err = is.domain.Sign(cheque.Cheque{Payer: is.addr, Payee: provider, CumulativeAmount: owed}, is.account)
		return err
	})
	if err != nil {
		var be *BatchError
		if errors.As(err, &be) || errors.Is(err, ErrRequestAmount) {
			return cheque.Signed{}, err
		}
		return cheque.Signed{}, fmt.Errorf("tickets: redeeming: %w", err)
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
// redeemed so far, for a provider that lost the answer to [Issuer.Redeem].
// Cheques are cumulative, so handing out the latest again is harmless.
func (is *Issuer) Owed(provider common.Address) (cheque.Signed, error) {
	var owed *big.Int
	err := is.db.View(func(txn *badger.Txn) error {
		var err error
		owed, _, err = getAmount(txn, addrKey(prefixOwed, provider))
		return err
	})
	if err != nil {
		return cheque.Signed{}, fmt.Errorf("tickets: reading provider total: %w", err)
	}
	return is.domain.Sign(cheque.Cheque{Payer: is.addr, Payee: provider, CumulativeAmount: owed}, is.account)
}
