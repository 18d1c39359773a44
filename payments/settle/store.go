package settle

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"

	"github.com/dgraph-io/badger/v4"
	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/payments/cheque"
)

// Key prefixes and record sizes; see "Storage layout" in the package
// documentation.
const (
	schemaVersion = 1

	prefixOut = 'o'
	prefixIn  = 'i'

	amountLen = 32
	sigLen    = 65
	outLen    = amountLen + sigLen + amountLen + amountLen
	inLen     = amountLen + sigLen + amountLen + 1 + amountLen
)

var (
	schemaKey = []byte("v")
	dirtyKey  = []byte("d")
)

func recordKey(prefix byte, a common.Address) []byte {
	return append([]byte{prefix}, a[:]...)
}

// errTooWide: an amount needs more than 256 bits. A cheque cannot carry
// it, so nothing that large is ever written.
var errTooWide = errors.New("settle: amount wider than 256 bits")

// putAmount writes the non-negative x (nil is zero) into b[:32].
func putAmount(b []byte, x *big.Int) error {
	if x == nil {
		clear(b[:amountLen])
		return nil
	}
	if x.Sign() < 0 || x.BitLen() > 256 {
		return errTooWide
	}
	x.FillBytes(b[:amountLen])
	return nil
}

func getAmount(b []byte) *big.Int { return new(big.Int).SetBytes(b[:amountLen]) }

// outRecord is what a [Debt] keeps on disk.
type outRecord struct {
	latest   cheque.Signed // CumulativeAmount nil or zero: none signed yet
	unbilled *big.Int      // wei owed beyond latest
	price    *big.Int      // wei per packet when written
}

func (r *outRecord) encode() ([]byte, error) {
	v := make([]byte, outLen)
	if err := putAmount(v[0:], r.latest.CumulativeAmount); err != nil {
		return nil, err
	}
	copy(v[amountLen:], r.latest.Signature[:])
	if err := putAmount(v[amountLen+sigLen:], r.unbilled); err != nil {
		return nil, err
	}
	if err := putAmount(v[2*amountLen+sigLen:], r.price); err != nil {
		return nil, err
	}
	return v, nil
}

func decodeOut(self, payee common.Address, v []byte) (outRecord, error) {
	if len(v) != outLen {
		return outRecord{}, fmt.Errorf("settle: corrupt record for payee %s (%d bytes)", payee, len(v))
	}
	r := outRecord{
		latest:   cheque.Signed{Cheque: cheque.Cheque{Payer: self, Payee: payee, CumulativeAmount: getAmount(v)}},
		unbilled: getAmount(v[amountLen+sigLen:]),
		price:    getAmount(v[2*amountLen+sigLen:]),
	}
	copy(r.latest.Signature[:], v[amountLen:])
	return r, nil
}

// inRecord is what a [Credit] keeps on disk.
type inRecord struct {
	latest cheque.Signed // CumulativeAmount zero: none accepted yet
	cashed *big.Int      // total cashed from the payer, as told by MarkCashed
	unpaid *big.Int      // wei owed beyond latest; negative is credit
}

func (r *inRecord) encode() ([]byte, error) {
	v := make([]byte, inLen)
	if err := putAmount(v[0:], r.latest.CumulativeAmount); err != nil {
		return nil, err
	}
	copy(v[amountLen:], r.latest.Signature[:])
	if err := putAmount(v[amountLen+sigLen:], r.cashed); err != nil {
		return nil, err
	}
	off := 2*amountLen + sigLen
	if r.unpaid.Sign() < 0 {
		v[off] = 1
	}
	if err := putAmount(v[off+1:], new(big.Int).Abs(r.unpaid)); err != nil {
		return nil, err
	}
	return v, nil
}

func decodeIn(self, payer common.Address, v []byte) (inRecord, error) {
	off := 2*amountLen + sigLen
	if len(v) != inLen || v[off] > 1 {
		return inRecord{}, fmt.Errorf("settle: corrupt record for payer %s", payer)
	}
	r := inRecord{
		latest: cheque.Signed{Cheque: cheque.Cheque{Payer: payer, Payee: self, CumulativeAmount: getAmount(v)}},
		cashed: getAmount(v[amountLen+sigLen:]),
		unpaid: getAmount(v[off+1:]),
	}
	copy(r.latest.Signature[:], v[amountLen:])
	if v[off] == 1 {
		r.unpaid.Neg(r.unpaid)
	}
	return r, nil
}

// checkSchema writes the schema version into a new database and refuses
// one written by an incompatible version.
func checkSchema(db *badger.DB) error {
	return db.Update(func(txn *badger.Txn) error {
		item, err := txn.Get(schemaKey)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return txn.Set(schemaKey, binary.BigEndian.AppendUint32(nil, schemaVersion))
		}
		if err != nil {
			return fmt.Errorf("settle: read schema version: %w", err)
		}
		return item.Value(func(v []byte) error {
			if len(v) != 4 || binary.BigEndian.Uint32(v) != schemaVersion {
				return fmt.Errorf("settle: database has schema %x, this version reads %d", v, schemaVersion)
			}
			return nil
		})
	})
}

// scan calls fn for every record under prefix, with the counterparty's
// address and the value (valid during the call only).
func scan(db *badger.DB, prefix byte, fn func(common.Address, []byte) error) error {
	return db.View(func(txn *badger.Txn) error {
		io := badger.DefaultIteratorOptions
		io.Prefix = []byte{prefix}
		it := txn.NewIterator(io)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			k := item.Key()
			if len(k) != 1+common.AddressLength {
				return fmt.Errorf("settle: corrupt key %x", k)
			}
			addr := common.BytesToAddress(k[1:])
			if err := item.Value(func(v []byte) error { return fn(addr, v) }); err != nil {
				return err
			}
		}
		return nil
	})
}

// copySigned returns s with its own copy of the amount, so that neither the
// caller nor the ledger can change the other's.
func copySigned(s cheque.Signed) cheque.Signed {
	s.CumulativeAmount = amountOf(s)
	return s
}

// amountOf returns a copy of s's cumulative amount, zero if nil.
func amountOf(s cheque.Signed) *big.Int {
	if s.CumulativeAmount == nil {
		return new(big.Int)
	}
	return new(big.Int).Set(s.CumulativeAmount)
}
