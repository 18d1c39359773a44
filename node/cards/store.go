// Package cards is the providers' directory of contact cards
// (messaging/card), by which a user is found from an Ethereum account
// alone (ADR 0013).
//
// A user publishes its card at its own provider, which keeps it and
// pushes it to every other provider on the card protocol (Protocol); a
// provider that was away pulls, from each provider, the cards of that
// provider's users. A lookup travels through the mixnet to a provider
// chosen at random, addressed to LookupMailbox, with a reply block: the
// provider answers through the mixnet too, so it learns that someone
// asked for an account but never who. Every card is verified on the way
// in (EIP-712 binding to its account, this chain, validity) and again by
// whoever looks it up, so a provider can withhold a card or serve an
// older one, never forge one.
package cards

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/internal/badgerdb"
	"github.com/murmurnet/murmur/messaging/card"
)

// ErrNotFound: no valid card is known for the account.
var ErrNotFound = errors.New("cards: no card for this account")

// ErrOlder: the card is not newer than the one kept for its account.
var ErrOlder = errors.New("cards: not newer than the card already kept")

// Store is a provider's cards on disk, one per account (the newest), each
// kept until it expires.
type Store struct {
	db      *badger.DB
	chainID uint64
	now     func() time.Time
}

// Open opens the store in dir, for cards of chain chainID; now is the
// clock cards are checked against (time.Now if nil).
func Open(dir string, chainID uint64, now func() time.Time, log *slog.Logger) (*Store, error) {
	if chainID == 0 {
		return nil, errors.New("cards: a chain id is required")
	}
	if now == nil {
		now = time.Now
	}
	db, err := badgerdb.Open(dir, log)
	if err != nil {
		return nil, fmt.Errorf("cards: %w", err)
	}
	return &Store{db: db, chainID: chainID, now: now}, nil
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

func accountKey(a common.Address) []byte { return append([]byte("a/"), a[:]...) }

// Put verifies a card and keeps it if it is newer (by its issue time)
// than the one kept for its account: ErrOlder otherwise, and a card
// error from Verify if it is not valid. Nothing kept changes on error.
func (s *Store) Put(c *card.Signed) error {
	now := s.now()
	if err := c.Verify(s.chainID, now); err != nil {
		return err
	}
	b, err := c.MarshalBinary()
	if err != nil {
		return err
	}
	return s.db.Update(func(txn *badger.Txn) error {
		key := accountKey(c.Account)
		if old, err := get(txn, key); err == nil && !c.Issued.After(old.Issued) {
			return ErrOlder
		} else if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		// Badger forgets it at expiry; Get checks validity again anyway.
		return txn.SetEntry(badger.NewEntry(key, b).WithTTL(c.Expires.Sub(now)))
	})
}

// Get returns the card kept for an account, verified now.
func (s *Store) Get(a common.Address) (*card.Signed, error) {
	var c *card.Signed
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		c, err = get(txn, accountKey(a))
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := c.Verify(s.chainID, s.now()); err != nil {
		return nil, ErrNotFound
	}
	return c, nil
}

func get(txn *badger.Txn, key []byte) (*card.Signed, error) {
	it, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var c card.Signed
	err = it.Value(func(v []byte) error { return c.UnmarshalBinary(v) })
	if err != nil {
		return nil, fmt.Errorf("cards: a stored card does not decode: %w", err)
	}
	return &c, nil
}

// Homed calls f with each valid card naming provider as its user's
// provider: what a provider hands another that syncs from it. It stops
// at f's first error.
func (s *Store) Homed(provider [32]byte, f func(*card.Signed) error) error {
	now := s.now()
	return s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("a/"), PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var c card.Signed
			if err := it.Item().Value(func(v []byte) error { return c.UnmarshalBinary(v) }); err != nil {
				continue
			}
			if c.Provider != provider || c.Verify(s.chainID, now) != nil {
				continue
			}
			if err := f(&c); err != nil {
				return err
			}
		}
		return nil
	})
}

// Count returns how many cards are kept (expired ones that badger has not
// dropped yet included).
func (s *Store) Count() (int, error) {
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("a/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	return n, err
}
