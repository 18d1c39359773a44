package tickets

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/internal/badgerdb"
)

// Key layout of the badger stores (all integers big-endian):
//
//	provider
//	  's' ‖ epoch(8) ‖ serial(32) → ""                   ticket accepted (spent)
//	  'p' ‖ epoch(8) ‖ serial(32) → signature(48)        spent, not yet redeemed
//	issuer
//	  'k' ‖ epoch(8)  → sk(32) ‖ packets(8) ‖ price(32) ‖ fee(32)  signing key (no fee: stored before fees)
//	  'r' ‖ epoch(8) ‖ serial(32) → request hash(32)     ticket redeemed under that request
//	  'q' ‖ request hash(32) → signed request            evidence for proveDoubleRedemption
//	  'c' ‖ payer(20) → amount(32) ‖ signature(65)       last cheque accepted from payer
//	  'o' ‖ provider(20) → amount(32)                    cumulative amount owed to provider
//	  'x' ‖ payer(20) → amount(32)                       cashed from payer's cheques in all
//	  't' ‖ provider(20) → lottery account (payRecord)   tickets paid to provider, its receipt
const (
	prefixSpent    = 's'
	prefixPending  = 'p'
	prefixKey      = 'k'
	prefixRedeemed = 'r'
	prefixCheque   = 'c'
	prefixOwed     = 'o'
	prefixRequest  = 'q'
	prefixCashed   = 'x'
	prefixPay      = 't'
)

// MaxBatch is the largest batch of tickets that [Provider.AcceptBatch],
// [Issuer.Redeem] and [Issuer.Sell] take at once.
const MaxBatch = 1024

// openDB opens (creating if need be) the badger store in dir. Writes are
// synced: a ticket accepted or redeemed stays so after a crash.
func openDB(dir string) (*badger.DB, error) {
	if dir == "" {
		return nil, errors.New("tickets: no store directory")
	}
	db, err := badgerdb.Open(dir, nil)
	if err != nil {
		return nil, fmt.Errorf("tickets: opening store: %w", err)
	}
	return db, nil
}

func ticketKey(prefix byte, t *Ticket) []byte {
	id := t.ID()
	return append([]byte{prefix}, id[:]...)
}

func epochKey(epoch uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{prefixKey}, epoch)
}

func addrKey(prefix byte, a common.Address) []byte {
	return append([]byte{prefix}, a[:]...)
}

// getAmount reads a 32-byte amount stored at the start of key's value, or
// zero if key is absent.
func getAmount(txn *badger.Txn, key []byte) (*big.Int, []byte, error) {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return new(big.Int), nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	val, err := item.ValueCopy(nil)
	if err != nil {
		return nil, nil, err
	}
	if len(val) < 32 {
		return nil, nil, fmt.Errorf("tickets: corrupt store entry %x", key)
	}
	return new(big.Int).SetBytes(val[:32]), val, nil
}

func amountBytes(x *big.Int) []byte {
	return x.FillBytes(make([]byte, 32))
}

func exists(txn *badger.Txn, key []byte) (bool, error) {
	_, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	return err == nil, err
}
