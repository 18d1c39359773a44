package node

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
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
	j, err := openReplayJournal(dir, sphinx.NewReplaySet(100), 100, 7, log)
	if err != nil {
		t.Fatal(err)
	}
	j.Rotate(8) // epoch 7 is now the previous one
	var last uint64
	for i, e := range []uint64{7, 8, 8} {
		if last, err = j.CheckAndAdd(e, tag(byte(i+1)), "p"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := j.CheckAndAdd(8, tag(2), "p"); !errors.Is(err, sphinx.ErrReplay) {
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
	k, err := openReplayJournal(dir, sphinx.NewReplaySet(100), 100, 8, log)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if k.recovered != 3 {
		t.Fatalf("recovered %d tags, want 3", k.recovered)
	}
	for i, e := range []uint64{7, 8, 8} {
		if _, err := k.CheckAndAdd(e, tag(byte(i+1)), "p"); !errors.Is(err, sphinx.ErrReplay) {
			t.Fatalf("tag %d of epoch %d after a restart: %v, want a replay", i, e, err)
		}
	}
	if _, err := k.CheckAndAdd(8, tag(9), "p"); err != nil {
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

// countWarnings is a log handler that counts warnings.
type countWarnings struct{ n *int }

func (c countWarnings) Enabled(context.Context, slog.Level) bool { return true }
func (c countWarnings) Handle(_ context.Context, r slog.Record) error {
	if r.Level == slog.LevelWarn {
		*c.n++
	}
	return nil
}
func (c countWarnings) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c countWarnings) WithGroup(string) slog.Handler      { return c }

// TestReplayTableShare: a peer flooding one epoch's table is refused once
// the table is half full and it has taken more than an eighth of it,
// while the other peers' packets keep coming in; the filling is logged at
// half and at 80 %.
func TestReplayTableShare(t *testing.T) {
	var warned int
	const capacity = 400
	j, err := openReplayJournal(t.TempDir(), sphinx.NewReplaySet(capacity), capacity, 3, slog.New(countWarnings{&warned}))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	next := 0
	fresh := func() sphinx.ReplayTag {
		next++
		var x sphinx.ReplayTag
		x[0], x[1], x[2], x[31] = byte(next), byte(next>>8), 0x5a, 1
		return x
	}
	flooded := 0
	for {
		_, err := j.CheckAndAdd(3, fresh(), "flooder")
		if errors.Is(err, errReplayShare) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		flooded++
	}
	if flooded != capacity/2 {
		t.Fatalf("the flooder took %d tags before it was refused, want half the table (%d)", flooded, capacity/2)
	}
	// Others keep their packets flowing into the rest of the table.
	for i := range capacity * 4 / 10 {
		if _, err := j.CheckAndAdd(3, fresh(), fmt.Sprintf("peer-%d", i%7)); err != nil {
			t.Fatalf("packet %d of the other peers: %v", i, err)
		}
	}
	if _, err := j.CheckAndAdd(3, fresh(), "flooder"); !errors.Is(err, errReplayShare) {
		t.Fatalf("the flooder later: %v", err)
	}
	if warned != 2 {
		t.Fatalf("%d warnings as the table filled to 90 %%, want 2 (at half and 80 %%)", warned)
	}
}

// BenchmarkReplayJournalDurable is what a provider's delivery waits for:
// a tag taken and on disk, with as many goroutines waiting at once as the
// benchmark's parallelism (-cpu), sharing each group commit.
func BenchmarkReplayJournalDurable(b *testing.B) {
	capacity := 4 * (b.N + 1000) // never half full: the share does not come in
	j, err := openReplayJournal(b.TempDir(), sphinx.NewReplaySet(capacity), capacity, 1, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	var next atomic.Uint64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			var tag sphinx.ReplayTag // real tags are hash outputs
			binary.LittleEndian.PutUint64(tag[:], next.Add(1)*0x9e3779b97f4a7c15)
			tag[31] = 1
			seq, err := j.CheckAndAdd(1, tag, "p")
			if err != nil {
				b.Error(err)
				return
			}
			if err := j.WaitDurable(context.Background(), seq); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(j.commits.Load())/float64(b.N), "fsyncs/op")
}
