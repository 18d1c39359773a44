package node

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/murmurnet/murmur/sphinx"
)

// TestReplayJournal: tags taken are on disk once WaitDurable returns; a
// new set opened on the same journal (a restart) refuses them, for the
// current and the previous epoch; a torn last record is cut off; older
// epochs' journals are deleted, at start and on rotation.
func TestReplayJournal(t *testing.T) {
	dir := t.TempDir()
	log := slog.New(slog.DiscardHandler)
	tag := func(b byte) sphinx.ReplayTag { var x sphinx.ReplayTag; x[0], x[31] = b, b; return x }
	j, err := openReplayJournal(dir, sphinx.NewReplaySet(100), 7, log)
	if err != nil {
		t.Fatal(err)
	}
	j.Rotate(8) // epoch 7 is now the previous one
	var last uint64
	for i, e := range []uint64{7, 8, 8} {
		if last, err = j.CheckAndAdd(e, tag(byte(i+1))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := j.CheckAndAdd(8, tag(2)); !errors.Is(err, sphinx.ErrReplay) {
		t.Fatalf("a replay within the run: %v", err)
	}
	if err := j.WaitDurable(context.Background(), last); err != nil {
		t.Fatal(err)
	}
	// An old epoch's journal, and a torn record after the last whole tag.
	if err := os.WriteFile(filepath.Join(dir, journalName(5)), make([]byte, 32), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, journalName(8)), os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{1, 2, 3})
	f.Close()
	// A restart, without Close: what was durable is all there is.
	k, err := openReplayJournal(dir, sphinx.NewReplaySet(100), 8, log)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if k.recovered != 3 {
		t.Fatalf("recovered %d tags, want 3", k.recovered)
	}
	for i, e := range []uint64{7, 8, 8} {
		if _, err := k.CheckAndAdd(e, tag(byte(i+1))); !errors.Is(err, sphinx.ErrReplay) {
			t.Fatalf("tag %d of epoch %d after a restart: %v, want a replay", i, e, err)
		}
	}
	if _, err := k.CheckAndAdd(8, tag(9)); err != nil {
		t.Fatalf("a fresh tag after a restart: %v", err)
	}
	if st, err := os.Stat(filepath.Join(dir, journalName(8))); err != nil || st.Size()%32 != 0 {
		t.Fatalf("the torn record was not cut: %v, %v", st, err)
	}
	if _, err := os.Stat(filepath.Join(dir, journalName(5))); !os.IsNotExist(err) {
		t.Fatalf("epoch 5's journal survived the start: %v", err)
	}
	k.Rotate(10)
	if _, err := os.Stat(filepath.Join(dir, journalName(7))); !os.IsNotExist(err) {
		t.Fatalf("epoch 7's journal survived the rotation to 10: %v", err)
	}
	j.Close()
}
