package badgerdb

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// A store written with the options of earlier releases (Snappy tables, a
// block cache) opens with today's and reads back everything.
func TestOpensStoresWrittenCompressed(t *testing.T) {
	dir := t.TempDir()
	old, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil).WithCompression(options.Snappy).
		WithMemTableSize(4 << 20).WithValueThreshold(64 << 10).WithBlockCacheSize(2 << 20))
	if err != nil {
		t.Fatal(err)
	}
	value := bytes.Repeat([]byte("compressible "), 40)
	for i := range 3000 {
		if err := old.Update(func(txn *badger.Txn) error { return txn.Set(fmt.Appendf(nil, "k%05d", i), value) }); err != nil {
			t.Fatal(err)
		}
	}
	if err := old.Flatten(1); err != nil { // tables on disk, not only a memtable
		t.Fatal(err)
	}
	old.Close()

	db, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Opts().Compression != options.None || db.Opts().BlockCacheSize != 0 {
		t.Fatalf("options: compression %v, block cache %d", db.Opts().Compression, db.Opts().BlockCacheSize)
	}
	n := 0
	err = db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			if !bytes.Equal(v, value) {
				return fmt.Errorf("%s: a different value", it.Item().Key())
			}
			n++
		}
		return nil
	})
	if err != nil || n != 3000 {
		t.Fatalf("read back %d of 3000: %v", n, err)
	}
	if len(db.Tables()) == 0 {
		t.Fatal("the old store had no tables on disk: the test reads only its value log")
	}
}
