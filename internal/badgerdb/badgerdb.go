// Package badgerdb opens the badger databases a relay keeps on disk (the
// settlement ledger, the issuer's and providers' ticket stores, the
// prepaid balances, the mailboxes) with one set of options: every write
// synced, caches sized for a store written per event rather than for
// badger's defaults, files in a 0700 directory, and badger's warnings and
// errors routed to log/slog.
package badgerdb

import (
	"fmt"
	"log/slog"

	"github.com/dgraph-io/badger/v4"

	"github.com/murmurnet/murmur/internal/privdir"
)

// Open opens, creating it if need be, the badger database in dir. A write
// returns once it is on disk: callers acknowledge what they stored (a
// cheque, a ticket, a delivered packet) only after that. log may be nil.
//
// Badger's defaults (a 64 MiB memtable, a 256 MiB block cache) suit one
// large database per process; a provider keeps five small ones (mailbox,
// prepaid balances, spent tickets, two ledgers), each with a memtable
// arena allocated whole. 4 MiB memtables and 2 MiB block caches took a
// soak's providers from about 255 MB to about 172 MB (docs/perf.md).
// Values over 64 KiB (none of ours) go to the value log, as a memtable
// this size takes batches of at most 600 KiB.
func Open(dir string, log *slog.Logger) (*badger.DB, error) {
	if err := privdir.Make(dir); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	opts := badger.DefaultOptions(dir).
		WithLogger(nil).
		WithSyncWrites(true).
		WithMemTableSize(4 << 20).
		WithValueThreshold(64 << 10).
		WithValueLogFileSize(64 << 20).
		WithBlockCacheSize(2 << 20).
		WithNumCompactors(2)
	if log != nil {
		opts = opts.WithLogger(logger{log})
	}
	return badger.Open(opts)
}
