//go:build !(js && wasm)

package session

import (
	"fmt"

	"github.com/murmurnet/murmur/internal/badgerdb"
)

// Open opens (creating if need be, with fresh keys) the store in dir, its
// records in badger, each write synced.
func Open(dir string) (*Store, error) {
	r, err := badgerdb.OpenRecords(dir)
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	return New(r)
}
