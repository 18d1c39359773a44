package badgerdb

import (
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// Records is a database read whole and written in batches, as
// messaging/session and messaging/delivery keep their records: All
// returns every record, Write stores a batch in one synced transaction (a
// nil value deletes its record).
type Records struct{ DB *badger.DB }

// OpenRecords opens the database in dir as Records.
func OpenRecords(dir string) (Records, error) {
	db, err := Open(dir, nil)
	if err != nil {
		return Records{}, fmt.Errorf("open %s: %w", dir, err)
	}
	return Records{db}, nil
}

// All returns every record, keyed by name.
func (r Records) All() (map[string][]byte, error) {
	all := map[string][]byte{}
	err := r.DB.View(func(txn *badger.Txn) error {
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

// Write stores records in one transaction, deleting those whose value is
// nil.
func (r Records) Write(records map[string][]byte) error {
	return r.DB.Update(func(txn *badger.Txn) error {
		for k, v := range records {
			var err error
			if v == nil {
				err = txn.Delete([]byte(k))
			} else {
				err = txn.Set([]byte(k), v)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// Close closes the database.
func (r Records) Close() error { return r.DB.Close() }
