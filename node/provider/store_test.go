package provider

import (
	"fmt"
	"math/big"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/payments/tickets"
)

// TestPrepaidCrashNeverGivesPacketsBack: after a crash (the store closed
// without writing the balances in memory) a client's balance is at most
// what it really was, and at most a reserve chunk less; after a clean
// close it is exact.
func TestPrepaidCrashNeverGivesPacketsBack(t *testing.T) {
	const chunk = 16
	dir := t.TempDir()
	alice, bob := peer.ID("alice"), peer.ID("bob")
	s, err := openStore(dir, chunk)
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

	s, err = openStore(dir, chunk)
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
	s, err = openStore(dir, chunk)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	if b, _ := s.balance(alice); b != want {
		t.Fatalf("alice has %d after a clean close, had %d", b, want)
	}
}

// TestExposureAndCashLimit: a ticket's exposure is the least amount of the
// requests sent for it, forgotten when it is settled, put back when a
// request could not be sent; the cash limit only ever falls; all survive
// a reopening of the store.
func TestExposureAndCashLimit(t *testing.T) {
	dir := t.TempDir()
	s, err := openStore(dir, 16)
	if err != nil {
		t.Fatal(err)
	}
	issuer := common.HexToAddress("0x1551")
	ts := make([]tickets.Ticket, 3)
	for i := range ts {
		ts[i].KeyEpoch, ts[i].Serial[0] = 7, byte(i+1)
	}
	least := func(ts []tickets.Ticket) *big.Int {
		t.Helper()
		v, err := s.exposure(issuer, ts)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := least(ts); v != nil {
		t.Fatalf("exposure %s before any request", v)
	}
	if _, err := s.expose(issuer, ts[:2], big.NewInt(500)); err != nil {
		t.Fatal(err)
	}
	// A later request for more asks more; the least amount stays.
	prev, err := s.expose(issuer, ts, big.NewInt(800))
	if err != nil {
		t.Fatal(err)
	}
	if v := least(ts[1:]); v == nil || v.Int64() != 500 {
		t.Fatalf("least exposure %v, want 500", v)
	}
	if v := least(ts[2:]); v == nil || v.Int64() != 800 {
		t.Fatalf("exposure of the third %v, want 800", v)
	}
	// That request could not be sent: as before it.
	if err := s.restoreExposure(prev); err != nil {
		t.Fatal(err)
	}
	if v := least(ts[2:]); v != nil {
		t.Fatalf("exposure %v after the unsent request was undone", v)
	}
	if err := s.unexpose(issuer, ts[:1]); err != nil {
		t.Fatal(err)
	}
	if v := least(ts[:1]); v != nil {
		t.Fatalf("a settled ticket exposed at %v", v)
	}

	for _, c := range []struct {
		a       int64
		lowered bool
		want    int64
	}{{900, true, 900}, {1000, false, 900}, {400, true, 400}} {
		lowered, err := s.lowerCashLimit(issuer, big.NewInt(c.a))
		if err != nil || lowered != c.lowered {
			t.Fatalf("lowering to %d: %v, %v", c.a, lowered, err)
		}
		if l, _ := s.cashLimit(issuer); l == nil || l.Int64() != c.want {
			t.Fatalf("limit %v, want %d", l, c.want)
		}
	}
	if err := s.setOnChainOnly(issuer, 7); err != nil {
		t.Fatal(err)
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	if s, err = openStore(dir, 16); err != nil {
		t.Fatal(err)
	}
	defer s.close()
	if v := least(ts); v == nil || v.Int64() != 500 {
		t.Fatalf("exposure after reopening %v, want 500", v)
	}
	if l, _ := s.cashLimit(issuer); l == nil || l.Int64() != 400 {
		t.Fatalf("limit after reopening %v", l)
	}
	for e, want := range map[uint64]bool{7: true, 8: false} {
		if on, err := s.onChainOnly(issuer, e); err != nil || on != want {
			t.Fatalf("key epoch %d on-chain only: %v (%v)", e, on, err)
		}
	}
}

// TestIdleAccountsLeaveMemory: a sweep writes out and forgets the accounts
// unused since the last one; their balances are exact when they come back,
// also when debits race the sweeps.
func TestIdleAccountsLeaveMemory(t *testing.T) {
	s, err := openStore(t.TempDir(), 16)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	const clients = 200
	ids := make([]peer.ID, clients)
	for i := range ids {
		ids[i] = peer.ID(fmt.Sprintf("client-%d", i))
		if _, err := s.credit(ids[i], 100); err != nil {
			t.Fatal(err)
		}
		for range 7 {
			if ok, err := s.debit(ids[i]); !ok || err != nil {
				t.Fatalf("debit: %v %v", ok, err)
			}
		}
	}
	// The first sweep only marks them (they were used since none).
	if n, err := s.sweep(); err != nil || n != 0 || s.accountsHeld() != clients {
		t.Fatalf("first sweep evicted %d (%v), %d held", n, err, s.accountsHeld())
	}
	// One client stays busy; the others are idle for a whole interval.
	if ok, _ := s.debit(ids[0]); !ok {
		t.Fatal("debit")
	}
	if n, err := s.sweep(); err != nil || n != clients-1 || s.accountsHeld() != 1 {
		t.Fatalf("second sweep evicted %d (%v), %d held", n, err, s.accountsHeld())
	}
	for i, p := range ids {
		want := uint64(93)
		if i == 0 {
			want = 92
		}
		if b, err := s.balance(p); err != nil || b != want {
			t.Fatalf("client %d: balance %d (%v) after eviction, want %d", i, b, err, want)
		}
	}

	// Debits racing sweeps: every debit counts exactly once.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
				if _, err := s.sweep(); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	for _, p := range ids[:20] {
		wg.Add(1)
		go func(p peer.ID) {
			defer wg.Done()
			for range 50 {
				if ok, err := s.debit(p); !ok || err != nil {
					t.Errorf("debit %s: %v %v", p, ok, err)
					return
				}
			}
		}(p)
	}
	wg.Wait()
	close(stop)
	for i, p := range ids[:20] {
		want := uint64(93 - 50)
		if i == 0 {
			want = 92 - 50
		}
		if b, _ := s.balance(p); b != want {
			t.Fatalf("client %d: balance %d after racing sweeps, want %d", i, b, want)
		}
	}
}
