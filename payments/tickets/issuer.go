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
