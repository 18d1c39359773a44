package settle

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/murmurnet/murmur/payments/cheque"
)

func TestHoldingsArithmetic(t *testing.T) {
	k := newLink(t)
	k.send(10)
	k.pay(t)
	k.send(15)
	last := k.pay(t) // 25 packets
	k.send(3)        // unpaid

	check := func(l *Ledger, stage string) {
		t.Helper()
		h := holdingOf(t, l, k.alice.addr)
		wantAmount(t, stage+": latest", h.Latest.CumulativeAmount, wei(25, testPrice))
		if h.Latest.Signature != last.Signature {
			t.Errorf("%s: latest has another signature", stage)
		}
		wantAmount(t, stage+": cashed", h.Cashed, wei(10, testPrice))
		wantAmount(t, stage+": pending", h.Pending, wei(15, testPrice))
		wantAmount(t, stage+": unpaid", h.Unpaid, wei(3, testPrice))
	}

	if err := k.b.MarkCashed(k.alice.addr, wei(10, testPrice)); err != nil {
		t.Fatal(err)
	}
	// A smaller total is an old report: ignored.
	if err := k.b.MarkCashed(k.alice.addr, wei(4, testPrice)); err != nil {
		t.Fatal(err)
	}
	check(k.b, "live")

	// CashDue wants the pending amount to exceed the threshold.
	pending := wei(15, testPrice)
	below := new(big.Int).Sub(pending, big.NewInt(1))
	if due := k.b.CashDue(below); len(due) != 1 || due[0].CumulativeAmount.Cmp(wei(25, testPrice)) != 0 || testDomain.Verify(due[0]) != nil {
		t.Errorf("CashDue(pending−1 wei) = %v, want the latest cheque", due)
	}
	if due := k.b.CashDue(pending); len(due) != 0 {
		t.Errorf("CashDue(pending) = %v, want none", due)
	}

	if err := k.b.MarkCashed(newParty(t).addr, big.NewInt(1)); err == nil {
		t.Error("MarkCashed for a payer we never heard of succeeded")
	}

	if err := k.b.Close(); err != nil {
		t.Fatal(err)
	}
	b := openClosing(t, k.bobDir, k.bobOptions())
	check(b, "after reopen")

	// Cashing everything leaves nothing due.
	if err := b.MarkCashed(k.alice.addr, wei(25, testPrice)); err != nil {
		t.Fatal(err)
	}
	wantAmount(t, "pending after cashing all", holdingOf(t, b, k.alice.addr).Pending, new(big.Int))
	if due := b.CashDue(nil); len(due) != 0 {
		t.Errorf("CashDue after cashing all = %v", due)
	}
}

func TestListingsAreSortedAndComplete(t *testing.T) {
	me := newParty(t)
	l := openClosing(t, t.TempDir(), options(me, newFakeCover()))
	for range 5 {
		p := newParty(t)
		mustOut(t, l, p.addr, testPrice)
		mustIn(t, l, p.addr, testPrice)
	}
	hs, _ := l.Holdings()
	ds := l.Debts()
	if len(hs) != 5 || len(ds) != 5 {
		t.Fatalf("%d holdings, %d debts, want 5 each", len(hs), len(ds))
	}
	for i := 1; i < 5; i++ {
		if bytes.Compare(hs[i-1].Payer[:], hs[i].Payer[:]) >= 0 || bytes.Compare(ds[i-1].Payee[:], ds[i].Payee[:]) >= 0 {
			t.Fatal("listings not sorted by address")
		}
	}
}

func TestOpenChecksOptions(t *testing.T) {
	me := newParty(t)
	good := options(me, newFakeCover())
	for name, mod := range map[string]func(*Options){
		"no self":               func(o *Options) { o.Self = [20]byte{} },
		"no signer":             func(o *Options) { o.Signer = nil },
		"no cover":              func(o *Options) { o.Cover = nil },
		"no domain":             func(o *Options) { o.Domain = cheque.Domain{} },
		"refuse below interval": func(o *Options) { o.RefuseAbove = o.ChequeEvery },
	} {
		o := good
		mod(&o)
		if l, err := Open(t.TempDir(), o); err == nil {
			l.Close()
			t.Errorf("%s: Open succeeded", name)
		}
	}
}

func TestClosedLedger(t *testing.T) {
	k := newLink(t)
	k.send(10)
	s := mustCheque(t, k.debt)
	k.send(10)
	if err := k.a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := k.b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := k.debt.Cheque(); !errors.Is(err, ErrClosed) {
		t.Errorf("Cheque after Close: %v", err)
	}
	if err := k.credit.Accept(context.Background(), s); !errors.Is(err, ErrClosed) {
		t.Errorf("Accept after Close: %v", err)
	}
	if err := k.a.Flush(); !errors.Is(err, ErrClosed) {
		t.Errorf("Flush after Close: %v", err)
	}
	if _, err := k.a.Out(k.bob.addr, testPrice); !errors.Is(err, ErrClosed) {
		t.Errorf("Out after Close: %v", err)
	}
}

// Many goroutines send and receive on one link while cheques are signed,
// accepted, flushed and reported concurrently; in the end every packet is
// paid for to the wei. Run with -race.
func TestConcurrentLink(t *testing.T) {
	// Workers race ahead of the cheques; bob must not refuse any packet
	// here, so that the totals can be checked exactly.
	k := newLinkWith(t, func(o *Options) { o.RefuseAbove = 1 << 40 })
	ctx := context.Background()
	const workers, perWorker = 8, 5000

	// Cheques are signed by the workers that see them due and accepted in
	// whatever order they arrive, as over a network: a cheque overtaken by
	// a later one is stale, and that is fine.
	var taken, stale atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range perWorker {
				due := k.debt.Sent()
				if k.credit.Received() {
					taken.Add(1)
				}
				if !due {
					continue
				}
				s, err := k.debt.Cheque()
				if errors.Is(err, ErrNothingOwed) {
					continue // another worker billed these packets already
				}
				if err != nil {
					t.Error(err)
					return
				}
				switch err := k.credit.Accept(ctx, s); {
				case errors.Is(err, ErrStale):
					stale.Add(1)
				case err != nil:
					t.Error(err)
					return
				}
			}
		})
	}
	stop := make(chan struct{})
	var bg sync.WaitGroup
	bg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := k.a.Flush(); err != nil {
				t.Error(err)
			}
			if err := k.b.Flush(); err != nil {
				t.Error(err)
			}
			k.a.Debts()
			k.b.Holdings()
		}
	})
	wg.Wait()
	close(stop)
	bg.Wait()

	if taken.Load() != workers*perWorker {
		t.Fatalf("bob took %d of %d packets", taken.Load(), workers*perWorker)
	}
	if s, err := k.debt.Cheque(); err == nil {
		if err := k.credit.Accept(ctx, s); err != nil {
			t.Fatal(err)
		}
	} else if !errors.Is(err, ErrNothingOwed) {
		t.Fatal(err)
	}
	total := wei(workers*perWorker, testPrice)
	h := holdingOf(t, k.b, k.alice.addr)
	wantAmount(t, "bob's latest", h.Latest.CumulativeAmount, total)
	wantAmount(t, "bob's unpaid", h.Unpaid, new(big.Int))
	d := debtTo(t, k.a, k.bob.addr)
	wantAmount(t, "alice's latest", d.Latest.CumulativeAmount, total)
	wantAmount(t, "alice's unbilled", d.Unbilled, new(big.Int))
	t.Logf("%d cheques signed, %d accepted, %d overtaken", k.a.Stats().ChequesSigned, k.b.Stats().ChequesAccepted, stale.Load())
}

// Concurrent receivers at the threshold take exactly RefuseAbove packets.
func TestConcurrentRefusalIsExact(t *testing.T) {
	k := newLink(t)
	var taken atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { taken.Add(int64(receiveN(k.credit, 100))) })
	}
	wg.Wait()
	if taken.Load() != 30 {
		t.Fatalf("took %d packets, want exactly 30", taken.Load())
	}
	wantAmount(t, "unpaid", holdingOf(t, k.b, k.alice.addr).Unpaid, wei(30, testPrice))
	if st := k.b.Stats(); st.RefusedPackets != 800-30 {
		t.Errorf("RefusedPackets = %d, want 770", st.RefusedPackets)
	}
}

// The ledger's books are the operator's alone: its directory is 0700, also
// when it existed before with a wider mode.
func TestLedgerDirIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ledger")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	openClosing(t, dir, options(newParty(t), newFakeCover()))
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("ledger directory mode %v, %v", fi.Mode(), err)
	}
}
