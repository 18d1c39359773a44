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
// Badger's defaults (a 64 MiB memtable, a 256 MiB block cache, 1 GiB value
// log files) suit one large database per process; a relay keeps up to four
// small ones, and with the defaults a provider's mailbox alone grew its
// RSS for the first ten minutes or more of a soak as the memtable and cache
// filled. 8 MiB each keeps a relay's footprint small and level early.
func Open(dir string, log *slog.Logger) (*badger.DB, error) {
	if err := privdir.Make(dir); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	opts := badger.DefaultOptions(dir).
		WithLogger(nil).
		WithSyncWrites(true).
		WithMemTableSize(8 << 20).
		WithValueLogFileSize(64 << 20).
		WithBlockCacheSize(8 << 20).
		WithNumCompactors(2)
	if log != nil {
		opts = opts.WithLogger(logger{log})
	}
	return badger.Open(opts)
}
