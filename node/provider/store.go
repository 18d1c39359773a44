package provider

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"sync"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/internal/badgerdb"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/tickets"
)

// store is a provider's book of prepaid packets: per client (libp2p
// peer ID), how many packets it has paid for with tickets and not yet sent.
// It also keeps what the provider learnt about issuer keys and the latest
// cheque each issuer paid it with, in the same badger store.
//
// A packet costs one decrement in memory. The balance on disk, the floor,
// is never more than the balance in memory: a credit writes floor + n
// before it adds n in memory, and a debit that would take the balance
// below the floor first writes a floor reserveChunk packets lower. A crash
// therefore loses at most reserveChunk packets of a client's balance and
// never gives back packets that were sent, and the store is written once
// per reserveChunk packets per client rather than once per packet. Close
// writes the exact balances.
//
// Key layout (integers big-endian):
//
//	'b' ‖ peer ID            → floor (8)
//	'k' ‖ issuer key (96)    → issuer (20) ‖ key epoch (8) ‖ packets (8) ‖ expires (8, unix s) ‖ price (32)
//	'c' ‖ issuer (20)        → cumulative amount (32) ‖ signature (65)
//	'x' ‖ issuer (20)        → cashed from the issuer in all (32)
//	'l' ‖ issuer (20)        → cash limit (32): no cheque of the issuer at or above it is cashed
//	'o' ‖ issuer (20) ‖ key epoch (8)              → (empty): the key epoch is redeemed on-chain only
//	'u' ‖ issuer (20) ‖ key epoch (8) ‖ serial (32) → exposure (32): least amount of a request the issuer may hold for the ticket
//
// (see "Redemption on-chain" in the package documentation).
type store struct {
	db    *badger.DB
	chunk uint64

	mu       sync.RWMutex
	accounts map[peer.ID]*balanceAccount
}

type balanceAccount struct {
	mu      sync.Mutex
	balance uint64 // exact
	floor   uint64 // on disk; floor ≤ balance
	// used is set by every use and cleared by a sweep; an account a sweep
	// finds unused is written out and evicted, so that memory holds only
	// the clients of the last sweep interval. evicted tells a holder of
	// the old pointer to look the account up again.
	used, evicted bool
}

const (
	prefixBalance = 'b'
	prefixKey     = 'k'
	prefixCheque  = 'c'
	prefixCashed  = 'x'
	prefixLimit   = 'l'
	prefixOnChain = 'o'
	prefixExpose  = 'u'
)

// errPrepaidOverflow: a credit would take a balance past 2⁶⁴−1 packets.
var errPrepaidOverflow = errors.New("provider: prepaid balance would overflow")

func openStore(dir string, chunk uint64) (*store, error) {
	db, err := badgerdb.Open(dir, nil)
	if err != nil {
		return nil, fmt.Errorf("provider: opening the prepaid store: %w", err)
	}
	return &store{db: db, chunk: max(chunk, 1), accounts: map[peer.ID]*balanceAccount{}}, nil
}

func balanceKey(p peer.ID) []byte { return append([]byte{prefixBalance}, p...) }

// account returns p's account, reading it from disk the first time.
func (s *store) account(p peer.ID) (*balanceAccount, error) {
	s.mu.RLock()
	a := s.accounts[p]
	s.mu.RUnlock()
	if a != nil {
		return a, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if a = s.accounts[p]; a != nil {
		return a, nil
	}
	var floor uint64
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(balanceKey(p))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			if len(v) != 8 {
				return fmt.Errorf("provider: corrupt prepaid balance of %s", p)
			}
			floor = binary.BigEndian.Uint64(v)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	a = &balanceAccount{balance: floor, floor: floor}
	s.accounts[p] = a
	return a, nil
}

// lock returns p's account, locked, and marked used.
func (s *store) lock(p peer.ID) (*balanceAccount, error) {
	for {
		a, err := s.account(p)
		if err != nil {
			return nil, err
		}
		a.mu.Lock()
		if !a.evicted {
			a.used = true
			return a, nil
		}
		a.mu.Unlock() // a sweep wrote it out meanwhile: read it again
	}
}

// sweep writes out and forgets the accounts unused since the last sweep,
// and returns how many it evicted. A client's balance is on disk either
// way; only its in-memory handle goes.
func (s *store) sweep() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var idle []peer.ID
	var held []*balanceAccount
	defer func() {
		for _, a := range held {
			a.mu.Unlock()
		}
	}()
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	for p, a := range s.accounts {
		if !a.mu.TryLock() {
			continue // in use right now
		}
		if a.used {
			a.used = false
			a.mu.Unlock()
			continue
		}
		held = append(held, a)
		idle = append(idle, p)
		if a.floor != a.balance {
			if err := wb.Set(balanceKey(p), binary.BigEndian.AppendUint64(nil, a.balance)); err != nil {
				return 0, err
			}
		}
	}
	if err := wb.Flush(); err != nil {
		return 0, err
	}
	for i, a := range held {
		a.floor, a.evicted = a.balance, true
		delete(s.accounts, idle[i])
	}
	return len(idle), nil
}

// accountsHeld is how many client accounts are in memory.
func (s *store) accountsHeld() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.accounts)
}

func (s *store) writeFloor(p peer.ID, floor uint64) error {
	return s.db.Update(func(txn *badger.Txn) error {
		return txn.Set(balanceKey(p), binary.BigEndian.AppendUint64(nil, floor))
	})
}

// debit takes one packet from p's balance; false if there is none.
func (s *store) debit(p peer.ID) (bool, error) {
	a, err := s.lock(p)
	if err != nil {
		return false, err
	}
	defer a.mu.Unlock()
	if a.balance == 0 {
		return false, nil
	}
	if a.balance-1 < a.floor {
		floor := a.balance - 1 - min(a.balance-1, s.chunk)
		if err := s.writeFloor(p, floor); err != nil {
			return false, err
		}
		a.floor = floor
	}
	a.balance--
	return true, nil
}

// refund gives back a packet debited for a request that was then refused.
// It stays in memory: the floor is below the balance anyway.
func (s *store) refund(p peer.ID) {
	if a, err := s.lock(p); err == nil {
		a.balance++
		a.mu.Unlock()
	}
}

// credit adds n packets to p's balance, on disk before in memory, and
// returns the new balance.
func (s *store) credit(p peer.ID, n uint64) (uint64, error) {
	a, err := s.lock(p)
	if err != nil {
		return 0, err
	}
	defer a.mu.Unlock()
	if n > math.MaxUint64-a.balance {
		return a.balance, errPrepaidOverflow
	}
	if n == 0 {
		return a.balance, nil
	}
	if err := s.writeFloor(p, a.floor+n); err != nil {
		return a.balance, err
	}
	a.floor += n
	a.balance += n
	return a.balance, nil
}

// balance returns p's balance.
func (s *store) balance(p peer.ID) (uint64, error) {
	a, err := s.lock(p)
	if err != nil {
		return 0, err
	}
	defer a.mu.Unlock()
	return a.balance, nil
}

// flush writes the exact balance of every account whose floor is below it.
// It holds those accounts while it writes, so that no debit takes a balance
// below what goes to disk.
func (s *store) flush() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	var held []*balanceAccount
	defer func() {
		for _, a := range held {
			a.mu.Unlock()
		}
	}()
	for p, a := range s.accounts {
		a.mu.Lock()
		if a.floor == a.balance {
			a.mu.Unlock()
			continue
		}
		held = append(held, a)
		if err := wb.Set(balanceKey(p), binary.BigEndian.AppendUint64(nil, a.balance)); err != nil {
			return err
		}
	}
	if err := wb.Flush(); err != nil {
		return err
	}
	for _, a := range held {
		a.floor = a.balance
	}
	return nil
}

// close writes the exact balances and closes the store.
func (s *store) close() error {
	return errors.Join(s.flush(), s.db.Close())
}

// --- issuer keys and cheques -------------------------------------------------

// knownKey is an issuer key the provider has checked against the chain.
type knownKey struct {
	issuer  common.Address
	epoch   uint64
	packets uint64
	price   *big.Int
	expires time.Time
}

func keyRecordKey(pub [96]byte) []byte { return append([]byte{prefixKey}, pub[:]...) }

func (s *store) putKey(pub [96]byte, k knownKey) error {
	v := make([]byte, 0, 20+8+8+8+32)
	v = append(v, k.issuer[:]...)
	v = binary.BigEndian.AppendUint64(v, k.epoch)
	v = binary.BigEndian.AppendUint64(v, k.packets)
	v = binary.BigEndian.AppendUint64(v, uint64(k.expires.Unix()))
	v = append(v, k.price.FillBytes(make([]byte, 32))...)
	return s.db.Update(func(txn *badger.Txn) error { return txn.Set(keyRecordKey(pub), v) })
}

// keys returns every stored issuer key.
func (s *store) keys() (map[[96]byte]knownKey, error) {
	out := map[[96]byte]knownKey{}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{prefixKey}, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			key := it.Item().Key()
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			if len(key) != 1+96 || len(v) != 20+8+8+8+32 {
				return fmt.Errorf("provider: corrupt issuer key record %x", key)
			}
			var pub [96]byte
			copy(pub[:], key[1:])
			out[pub] = knownKey{
				issuer:  common.BytesToAddress(v[:20]),
				epoch:   binary.BigEndian.Uint64(v[20:]),
				packets: binary.BigEndian.Uint64(v[28:]),
				expires: time.Unix(int64(binary.BigEndian.Uint64(v[36:])), 0),
				price:   new(big.Int).SetBytes(v[44:76]),
			}
		}
		return nil
	})
	return out, err
}

func (s *store) deleteKey(pub [96]byte) error {
	return s.db.Update(func(txn *badger.Txn) error { return txn.Delete(keyRecordKey(pub)) })
}

func chequeRecordKey(issuer common.Address) []byte { return append([]byte{prefixCheque}, issuer[:]...) }

// putCheque stores c as the latest cheque from its payer, an issuer.
func (s *store) putCheque(c cheque.Signed) error {
	v := append(c.CumulativeAmount.FillBytes(make([]byte, 32)), c.Signature[:]...)
	return s.db.Update(func(txn *badger.Txn) error { return txn.Set(chequeRecordKey(c.Payer), v) })
}

// cheques returns the latest cheque of every issuer, to payee.
func (s *store) cheques(payee common.Address) ([]cheque.Signed, error) {
	var out []cheque.Signed
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{prefixCheque}, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			key := it.Item().Key()
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			if len(key) != 1+20 || len(v) != 32+65 {
				return fmt.Errorf("provider: corrupt cheque record %x", key)
			}
			c := cheque.Signed{Cheque: cheque.Cheque{Payer: common.BytesToAddress(key[1:]), Payee: payee, CumulativeAmount: new(big.Int).SetBytes(v[:32])}}
			copy(c.Signature[:], v[32:])
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// --- cashing and on-chain redemption -------------------------------------------

func issuerRecordKey(prefix byte, issuer common.Address) []byte {
	return append([]byte{prefix}, issuer[:]...)
}

func epochRecordKey(prefix byte, issuer common.Address, epoch uint64) []byte {
	return binary.BigEndian.AppendUint64(issuerRecordKey(prefix, issuer), epoch)
}

func exposeKey(issuer common.Address, t *tickets.Ticket) []byte {
	return append(epochRecordKey(prefixExpose, issuer, t.KeyEpoch), t.Serial[:]...)
}

// amount reads a 32-byte amount; nil when there is none.
func getAmount(txn *badger.Txn, key []byte) (*big.Int, error) {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var v *big.Int
	err = item.Value(func(b []byte) error {
		if len(b) != 32 {
			return fmt.Errorf("provider: corrupt amount record %x", key)
		}
		v = new(big.Int).SetBytes(b)
		return nil
	})
	return v, err
}

func (s *store) readAmount(key []byte) (v *big.Int, err error) {
	err = s.db.View(func(txn *badger.Txn) error {
		v, err = getAmount(txn, key)
		return err
	})
	return v, err
}

// cashed returns what the provider has cashed from issuer in all.
func (s *store) cashed(issuer common.Address) (*big.Int, error) {
	v, err := s.readAmount(issuerRecordKey(prefixCashed, issuer))
	if v == nil && err == nil {
		v = new(big.Int)
	}
	return v, err
}

func (s *store) putCashed(issuer common.Address, total *big.Int) error {
	return s.db.Update(func(txn *badger.Txn) error {
		return txn.Set(issuerRecordKey(prefixCashed, issuer), total.FillBytes(make([]byte, 32)))
	})
}

// cashLimit returns the amount at or above which no cheque of issuer may
// be cashed; nil when there is none.
func (s *store) cashLimit(issuer common.Address) (*big.Int, error) {
	return s.readAmount(issuerRecordKey(prefixLimit, issuer))
}

// lowerCashLimit makes issuer's cash limit at most a, and reports whether
// it changed.
func (s *store) lowerCashLimit(issuer common.Address, a *big.Int) (lowered bool, err error) {
	err = s.db.Update(func(txn *badger.Txn) error {
		key := issuerRecordKey(prefixLimit, issuer)
		cur, err := getAmount(txn, key)
		if err != nil || (cur != nil && cur.Cmp(a) <= 0) {
			return err
		}
		lowered = true
		return txn.Set(key, a.FillBytes(make([]byte, 32)))
	})
	return lowered, err
}

// onChainOnly reports whether issuer's key epoch is redeemed on-chain only.
func (s *store) onChainOnly(issuer common.Address, epoch uint64) (bool, error) {
	found := false
	err := s.db.View(func(txn *badger.Txn) error {
		_, err := txn.Get(epochRecordKey(prefixOnChain, issuer, epoch))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		found = err == nil
		return err
	})
	return found, err
}

func (s *store) setOnChainOnly(issuer common.Address, epoch uint64) error {
	return s.db.Update(func(txn *badger.Txn) error { return txn.Set(epochRecordKey(prefixOnChain, issuer, epoch), nil) })
}

// exposureRecord is a ticket's exposure before a change; nil amount: none.
type exposureRecord struct {
	key    []byte
	amount *big.Int
}

// expose records that the issuer may come to hold a request of amount for
// ts, keeping each ticket's least amount, and returns the records as they
// were, for restoreExposure.
func (s *store) expose(issuer common.Address, ts []tickets.Ticket, amount *big.Int) ([]exposureRecord, error) {
	var prev []exposureRecord
	err := s.update(len(ts), func(txn *badger.Txn, i int) error {
		key := exposeKey(issuer, &ts[i])
		cur, err := getAmount(txn, key)
		if err != nil {
			return err
		}
		prev = append(prev, exposureRecord{key: key, amount: cur})
		if cur != nil && cur.Cmp(amount) <= 0 {
			return nil
		}
		return txn.Set(key, amount.FillBytes(make([]byte, 32)))
	})
	return prev, err
}

// restoreExposure puts records back as expose found them.
func (s *store) restoreExposure(prev []exposureRecord) error {
	return s.update(len(prev), func(txn *badger.Txn, i int) error {
		if prev[i].amount == nil {
			return txn.Delete(prev[i].key)
		}
		return txn.Set(prev[i].key, prev[i].amount.FillBytes(make([]byte, 32)))
	})
}

// exposure returns the least exposure of ts; nil when none is exposed.
func (s *store) exposure(issuer common.Address, ts []tickets.Ticket) (*big.Int, error) {
	var least *big.Int
	err := s.db.View(func(txn *badger.Txn) error {
		for i := range ts {
			v, err := getAmount(txn, exposeKey(issuer, &ts[i]))
			if err != nil {
				return err
			}
			if v != nil && (least == nil || v.Cmp(least) < 0) {
				least = v
			}
		}
		return nil
	})
	return least, err
}

// unexpose forgets the exposure of tickets settled for good.
func (s *store) unexpose(issuer common.Address, ts []tickets.Ticket) error {
	return s.update(len(ts), func(txn *badger.Txn, i int) error { return txn.Delete(exposeKey(issuer, &ts[i])) })
}

// update runs f for 0..n-1 in transactions of at most a few hundred writes.
func (s *store) update(n int, f func(txn *badger.Txn, i int) error) error {
	const per = 256
	for start := 0; start < n; start += per {
		err := s.db.Update(func(txn *badger.Txn) error {
			for i := start; i < min(n, start+per); i++ {
				if err := f(txn, i); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
