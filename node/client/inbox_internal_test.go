package client

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/murmurnet/murmur/node/client/envelope"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/sphinx"
)

// offline is a client with no network, only its end-to-end key and inbox:
// what fetch hands the entries it took from the provider to.
func offline(t *testing.T, key *ecdh.PrivateKey, dir string) (*Client, [][]byte, []uint64) {
	t.Helper()
	d, ks, err := openDiskInbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	var kept [][]byte
	var seqs []uint64
	for _, k := range ks {
		kept, seqs = append(kept, k.entry), append(seqs, k.seq)
	}
	c := &Client{cfg: Config{Key: key, Now: time.Now, Logger: slog.New(slog.DiscardHandler)},
		reasm: envelope.NewReassembler(16, time.Hour), parts: map[[16]byte][]uint64{}, surbs: map[sphinx.SURBID]*sphinx.SURBKeys{},
		arrived: make(chan struct{}, 1), disk: d}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	t.Cleanup(c.cancel)
	return c, kept, seqs
}

// TestInboxSurvivesACrash: entries kept on disk (as fetch keeps them
// before it acknowledges them) come back after a restart, a message of
// several fragments whole again; once Receive returned a message its
// files are gone, so it is not received twice; entries of no use (not
// for us) leave the disk at once.
func TestInboxSurvivesACrash(t *testing.T) {
	key, _ := ecdh.X25519().GenerateKey(rand.Reader)
	dir := t.TempDir()
	c, _, _ := offline(t, key, dir)
	long := bytes.Repeat([]byte("several fragments "), 300)
	frags, err := envelope.Split(rand.Reader, key.PublicKey(), 2048, long, nil)
	if err != nil || len(frags) < 2 {
		t.Fatalf("%d fragments, %v", len(frags), err)
	}
	short, _ := envelope.Split(rand.Reader, key.PublicKey(), 2048, []byte("short"), nil)
	stranger, _ := ecdh.X25519().GenerateKey(rand.Reader)
	notOurs, _ := envelope.Split(rand.Reader, stranger.PublicKey(), 2048, []byte("not ours"), nil)
	entries := [][]byte{}
	for _, f := range append(append(append([][]byte{}, frags...), short...), notOurs...) {
		entries = append(entries, append([]byte{wire.EntryDeliver}, f...))
	}
	// What fetch does: keep each entry, then take it in (then ack).
	for i, e := range entries {
		seq, err := c.disk.keep(e, uint64(100+i))
		if err != nil {
			t.Fatal(err)
		}
		c.mu.Lock()
		c.take(e, seq, time.Now())
		c.mu.Unlock()
	}
	if len(c.inbox) != 2 {
		t.Fatalf("%d messages in the inbox, want 2", len(c.inbox))
	}
	files, _ := os.ReadDir(dir)
	if len(files) != len(entries)-1 {
		t.Fatalf("%d entry files, want %d: the stranger's leaves at once", len(files), len(entries)-1)
	}

	// A crash: a new client on the same inbox gets both messages back.
	c2, kept, seqs := offline(t, key, dir)
	c2.mu.Lock()
	for i, e := range kept {
		c2.take(e, seqs[i], time.Now())
	}
	c2.mu.Unlock()
	m, err := c2.Receive(context.Background())
	if err != nil || !bytes.Equal(m.Body, long) {
		t.Fatalf("after a restart: %v, %v", m, err)
	}
	// Received: its files are gone; the other message's stay.
	c3, kept, seqs := offline(t, key, dir)
	if len(kept) != 1 {
		t.Fatalf("%d entry files after one message was received, want 1", len(kept))
	}
	c3.mu.Lock()
	c3.take(kept[0], seqs[0], time.Now())
	c3.mu.Unlock()
	if m, err := c3.Receive(context.Background()); err != nil || string(m.Body) != "short" {
		t.Fatalf("the other message: %v, %v", m, err)
	}
}

// TestEntryNames: an entry file's name carries its sequence and the
// provider's id of the entry; files written before ids were kept (no id)
// still read back, and other files are not entries.
func TestEntryNames(t *testing.T) {
	for _, c := range []struct {
		name      string
		seq, id   uint64
		hasID, ok bool
	}{
		{"7-1234.entry", 7, 1234, true, true},
		{"12.entry", 12, 0, false, true},
		{"x-1.entry", 0, 0, false, false},
		{"3-y.entry", 0, 0, false, false},
		{"3-4.tmp", 0, 0, false, false},
	} {
		seq, id, hasID, ok := parseEntryName(c.name)
		if seq != c.seq || id != c.id || hasID != c.hasID || ok != c.ok {
			t.Errorf("%s: seq %d id %d hasID %v ok %v", c.name, seq, id, hasID, ok)
		}
	}
}
