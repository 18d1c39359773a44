package tickets

import (
	"encoding/binary"
	"fmt"
	"math/big"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	badger "github.com/dgraph-io/badger/v4"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/settle"
)

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
	price := new(big.Int).Mul(big.NewInt(int64(n)), k.pub.Value.SalePrice())
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
