package node

import (
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"
)

// TestPrepaidCrashNeverGivesPacketsBack: after a crash (the store closed
// without writing the balances in memory) a client's balance is at most
// what it really was, and at most a reserve chunk less; after a clean
// close it is exact.
func TestPrepaidCrashNeverGivesPacketsBack(t *testing.T) {
	const chunk = 16
	dir := t.TempDir()
	alice, bob := peer.ID("alice"), peer.ID("bob")
	s, err := openPrepaidStore(dir, chunk)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.debit(alice); ok || err != nil {
		t.Fatalf("debit of an empty balance: %v, %v", ok, err)
	}
	if _, err := s.credit(alice, 1000); err != nil {
		t.Fatal(err)
	}
	if _, err := s.credit(bob, 10); err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		if ok, err := s.debit(alice); !ok || err != nil {
			t.Fatalf("debit %d: %v, %v", i, ok, err)
		}
	}
	s.refund(alice) // a packet refused after it was charged
	for range 10 {
		s.debit(bob)
	}
	if ok, _ := s.debit(bob); ok {
		t.Fatal("bob sent an 11th packet on 10")
	}
	s.db.Close() // crash: no flush

	s, err = openPrepaidStore(dir, chunk)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.balance(alice)
	if err != nil {
		t.Fatal(err)
	}
	// 701 in memory, of which the refund was never written: a crash may
	// cost up to a chunk below 700.
	if got > 701 || got < 700-chunk {
		t.Fatalf("alice has %d after a crash, had 701 (chunk %d)", got, chunk)
	}
	if b, _ := s.balance(bob); b != 0 {
		t.Fatalf("bob has %d after a crash, had 0", b)
	}
	// Credits are on disk before they count.
	if _, err := s.credit(alice, 5); err != nil {
		t.Fatal(err)
	}
	s.debit(alice)
	want := got + 4
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	s, err = openPrepaidStore(dir, chunk)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	if b, _ := s.balance(alice); b != want {
		t.Fatalf("alice has %d after a clean close, had %d", b, want)
	}
}
