// Package badgerdb opens the badger databases a relay keeps on disk (the
// settlement ledger, the issuer's and providers' ticket stores, the
// prepaid balances, the mailboxes) with one set of options: every write
// synced, memtables sized for a store written per event rather than for
// badger's defaults, no compression and no block cache, files in a 0700
// directory, and badger's warnings and errors routed to log/slog.
package badgerdb

import (
	"fmt"
	"log/slog"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"github.com/murmurnet/murmur/internal/privdir"
)

// Open opens, creating it if need be, the badger database in dir. A write
// returns once it is on disk: callers acknowledge what they stored (a
// cheque, a ticket, a delivered packet) only after that. log may be nil.
//
// Badger's defaults (a 64 MiB memtable, a 256 MiB block cache) suit one
// large database per process; a provider keeps six small ones (mailbox,
// prepaid balances, spent tickets, two ledgers, contact cards), each with
// a memtable arena allocated whole. 4 MiB memtables took a soak's
// providers from about 255 MB to about 172 MB (docs/perf.md).
//
// No compression: what we store is mostly ciphertext (Sphinx payloads),
// which does not compress, and with Snappy (badger's default) every read
// of a block not in the cache allocated a decompressed copy of it: 4.2 GB
// in 20 minutes at a soak's provider, whose Go heap then swung and kept
// its high-water mark. Uncompressed blocks are read in place from the
// mapped table, so there is no block cache either. Tables written
// compressed before stay readable (the manifest records each table's
// compression) until compaction rewrites them.
//
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
		WithCompression(options.None).
		WithBlockCacheSize(0).
		WithNumCompactors(2)
	if log != nil {
		opts = opts.WithLogger(logger{log})
	}
	return badger.Open(opts)
}
