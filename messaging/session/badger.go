//go:build !(js && wasm)

package session

import (
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"github.com/murmurnet/murmur/internal/badgerdb"
)

// Open opens (creating if need be, with fresh keys) the store in dir, its
// records in badger, each write synced.
func Open(dir string) (*Store, error) {
	db, err := badgerdb.Open(dir, nil)
	if err != nil {
		return nil, fmt.Errorf("session: open %s: %w", dir, err)
	}
	return New(badgerRecords{db})
}

type badgerRecords struct{ db *badger.DB }

func (r badgerRecords) All() (map[string][]byte, error) {
	all := map[string][]byte{}
	err := r.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			all[string(it.Item().KeyCopy(nil))] = v
		}
		return nil
	})
	return all, err
}

func (r badgerRecords) Write(records map[string][]byte) error {
	return r.db.Update(func(txn *badger.Txn) error {
		for k, v := range records {
			if err := txn.Set([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	})
}

func (r badgerRecords) Close() error { return r.db.Close() }
