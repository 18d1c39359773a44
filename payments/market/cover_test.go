package market_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/market"
	"github.com/murmurnet/murmur/payments/tickets"
)

// fakeCover is a payer's vault as ServeOptions.Cover sees it.
type fakeCover struct {
	mu    sync.Mutex
	cover *big.Int
	err   error
	calls int
}

func (f *fakeCover) lookup(_ context.Context, _ common.Address) (*big.Int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	return new(big.Int).Set(f.cover), nil
}

func (f *fakeCover) set(cover *big.Int, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cover, f.err = cover, err
}

func (f *fakeCover) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// newCoveredWorld is a world whose server checks the client's cover with
// the returned fake, which starts at cover.
func newCoveredWorld(t *testing.T, cover *big.Int) (*world, *fakeCover) {
	t.Helper()
	w := newWorld(t)
	f := &fakeCover{cover: cover}
	w.server.Close()
	srv := market.Serve(w.issuerH, w.issuer, market.ServeOptions{Cover: f.lookup})
	w.server = srv
	t.Cleanup(func() { srv.Close() })
	return w, f
}

func (w *world) price(n int) *big.Int {
	return new(big.Int).Mul(big.NewInt(int64(n)), w.key.Value.SalePrice())
}

// TestBuyUncovered: an order whose cheque leaves more unclaimed than the
// payer's vault can pay is refused with CodeUncovered, naming both
// amounts; nothing is bought or stored. An order within the cover (to
// the wei) sells, and what the issuer cashed no longer counts.
func TestBuyUncovered(t *testing.T) {
	w, cover := newCoveredWorld(t, new(big.Int))
	_, err := market.Buy(ctx(t), w.client, w.issuerH.ID(), w.key, 2, w.pay, w.wallet)
	var re *market.RefusalError
	if !errors.As(err, &re) || re.Code != market.CodeUncovered {
		t.Fatalf("order from an empty vault: %v, want a RefusalError with CodeUncovered", err)
	}
	if !errors.Is(err, market.ErrUncovered) || !errors.Is(err, market.ErrRefused) {
		t.Fatalf("%v does not match ErrUncovered and ErrRefused", err)
	}
	if re.Want == nil || re.Want.Cmp(w.price(2)) != 0 || re.Have == nil || re.Have.Sign() != 0 {
		t.Fatalf("refusal says unclaimed %v, cover %v; want %v and 0", re.Want, re.Have, w.price(2))
	}
	if msg := err.Error(); !strings.Contains(msg, w.price(2).String()+" wei unclaimed") || !strings.Contains(msg, "can pay 0") ||
		!strings.Contains(msg, "nothing bought") {
		t.Fatalf("error %q does not name both amounts and the outcome", msg)
	}
	if w.balance() != 0 || len(w.wallet.Pending()) != 0 || w.lastPayment().Sign() != 0 {
		t.Fatal("an uncovered purchase left tickets, a pending entry or a payment")
	}

	// The refused cheque was never accepted, so the client's cheque book
	// starts again from zero. A cover one wei short of a ticket is
	// refused; exactly enough sells.
	w.paid.SetInt64(0)
	cover.set(new(big.Int).Sub(w.price(1), big.NewInt(1)), nil)
	if _, err := market.Buy(ctx(t), w.client, w.issuerH.ID(), w.key, 1, w.pay, w.wallet); !errors.Is(err, market.ErrUncovered) {
		t.Fatalf("order one wei beyond the cover: %v, want ErrUncovered", err)
	}
	w.paid.SetInt64(0)
	cover.set(w.price(1), nil)
	w.buy(1)
	if w.balance() != 1 || w.lastPayment().Cmp(w.price(1)) != 0 {
		t.Fatalf("after a covered order: %d tickets, issuer took %v", w.balance(), w.lastPayment())
	}

	// With the cover unchanged, one more ticket would leave 2 prices
	// unclaimed: refused, until the issuer has cashed the first.
	before := w.paid.String()
	if _, err := market.Buy(ctx(t), w.client, w.issuerH.ID(), w.key, 1, w.pay, w.wallet); !errors.Is(err, market.ErrUncovered) {
		t.Fatalf("order leaving 2 prices unclaimed on a cover of 1: %v, want ErrUncovered", err)
	}
	w.paid.SetString(before, 10)
	if err := w.issuer.MarkCashed(w.payer(), w.price(1)); err != nil {
		t.Fatal(err)
	}
	w.buy(1)
	if w.balance() != 2 || w.lastPayment().Cmp(w.price(2)) != 0 {
		t.Fatalf("after cashing and buying again: %d tickets, issuer took %v", w.balance(), w.lastPayment())
	}
	// The server counted what it did: three refusals for want of cover,
	// two sales.
	if st := w.server.Stats(); st.Refused[market.CodeUncovered.String()] != 3 || st.Sold != 2 || len(st.Refused) != 1 {
		t.Fatalf("server counts %+v, want 3 uncovered refusals and 2 sales", st)
	}
}

// TestBuyCoverUnreadable: a cover that cannot be read refuses the order
// as busy, not a sale on credit; the purchase stays pending and Resume
// finishes it once the vault can be read.
func TestBuyCoverUnreadable(t *testing.T) {
	w, cover := newCoveredWorld(t, nil)
	cover.set(nil, errors.New("chain down"))
	_, err := market.Buy(ctx(t), w.client, w.issuerH.ID(), w.key, 2, w.pay, w.wallet)
	var re *market.RefusalError
	if !errors.As(err, &re) || re.Code != market.CodeBusy {
		t.Fatalf("order with the vault unreadable: %v, want CodeBusy", err)
	}
	if strings.Contains(err.Error(), "chain down") {
		t.Fatalf("the issuer's internal error leaked to the client: %v", err)
	}
	pending := w.wallet.Pending()
	if len(pending) != 1 || w.lastPayment().Sign() != 0 {
		t.Fatalf("after a busy refusal: %d pending, issuer took %v", len(pending), w.lastPayment())
	}
	cover.set(w.price(2), nil)
	ts, err := market.Resume(ctx(t), w.client, w.wallet, pending[0].ID)
	if err != nil || len(ts) != 2 || len(w.wallet.Pending()) != 0 {
		t.Fatalf("Resume once the vault reads: %d tickets, %v", len(ts), err)
	}
}

// TestResumeAfterCoverFell: a cheque accepted when covered buys its
// tickets on a retried order even after the cover fell (the client
// paid), without a lookup; an uncovered refusal only ever means that a
// cheque was not taken.
func TestResumeAfterCoverFell(t *testing.T) {
	w, cover := newCoveredWorld(t, nil)
	cover.set(w.price(2), nil)
	pay, _ := w.pay(w.price(2))
	p := w.begin(2, pay)
	if err := market.SendOrder(ctx(t), w.client, w.issuerH.ID(), p); err != nil {
		t.Fatal(err)
	}
	if w.lastPayment().Cmp(w.paid) != 0 {
		t.Fatal("the issuer did not sell a covered order")
	}
	calls := cover.count()
	cover.set(new(big.Int), nil) // the client announced a withdrawal of everything
	ts, err := market.Resume(ctx(t), w.client, w.wallet, p.ID)
	if err != nil || len(ts) != 2 {
		t.Fatalf("Resume of a paid order after the cover fell: %d tickets, %v", len(ts), err)
	}
	if cover.count() != calls {
		t.Fatal("a retried order looked the cover up")
	}
	// The same cheque for other tickets is stale, not uncovered: the
	// purchase stays pending as evidence.
	q := w.begin(1, pay)
	if _, err := market.Resume(ctx(t), w.client, w.wallet, q.ID); !errors.Is(err, tickets.ErrStaleCheque) {
		t.Fatalf("a paid cheque reused after the cover fell: %v, want ErrStaleCheque", err)
	}
	if _, ok := w.wallet.Purchase(q.ID); !ok {
		t.Fatal("a resumed purchase refused as stale was dropped")
	}
}

// TestUncoveredForgedCheque: a cheque that does not verify is refused as
// bad before the payer's vault is looked up.
func TestUncoveredForgedCheque(t *testing.T) {
	w, cover := newCoveredWorld(t, new(big.Int))
	forged := func(price *big.Int) (cheque.Signed, error) {
		s := w.cheque(price)
		s.Signature[10] ^= 1
		return s, nil
	}
	if _, err := market.Buy(ctx(t), w.client, w.issuerH.ID(), w.key, 1, forged, w.wallet); !errors.Is(err, tickets.ErrBadCheque) {
		t.Fatalf("forged cheque: %v, want ErrBadCheque", err)
	}
	if cover.count() != 0 {
		t.Fatalf("a forged cheque cost %d vault lookups", cover.count())
	}
}
