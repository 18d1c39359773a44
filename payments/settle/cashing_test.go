package settle

import (
	"context"
	"math/big"
	"testing"
	"time"
)

func TestCashThreshold(t *testing.T) {
	gwei := big.NewInt(1e9)
	for _, tc := range []struct {
		name            string
		floor, gasPrice *big.Int
		gas, factor     uint64
		want            *big.Int
	}{
		{"gas decides", big.NewInt(1000), gwei, 66_600, 20, big.NewInt(1e9 * 66_600 * 20)},
		{"floor decides", big.NewInt(2e15), gwei, 66_600, 20, big.NewInt(2e15)},
		{"defaults", nil, gwei, 0, 0, big.NewInt(1e9 * DefaultCashGas * DefaultCashGasFactor)},
		{"measured gas", nil, gwei, 70_000, 10, big.NewInt(1e9 * 70_000 * 10)},
		{"no gas price", big.NewInt(5), nil, 66_600, 20, big.NewInt(5)},
		{"nothing", nil, nil, 0, 0, new(big.Int)},
	} {
		if got := CashThreshold(tc.floor, tc.gasPrice, tc.gas, tc.factor); got.Cmp(tc.want) != 0 {
			t.Errorf("%s: threshold %s, want %s", tc.name, got, tc.want)
		}
	}
	// The result is a new value: the caller may keep it while the floor changes.
	floor := big.NewInt(7)
	got := CashThreshold(floor, nil, 0, 0)
	floor.SetInt64(8)
	if got.Int64() != 7 {
		t.Errorf("threshold aliases the floor")
	}
}

// TestCashDueAtThreshold: a cheque is due only when its unclaimed value
// exceeds the threshold, cashed amounts deducted.
func TestCashDueAtThreshold(t *testing.T) {
	k := newLink(t)
	k.send(10)
	k.pay(t)                                         // 10 packets
	above := CashThreshold(nil, big.NewInt(1), 1, 1) // 1 wei
	if due := k.b.CashDue(wei(10, testPrice)); len(due) != 0 {
		t.Fatalf("a cheque of exactly the threshold is due")
	}
	if due := k.b.CashDue(wei(9, testPrice)); len(due) != 1 {
		t.Fatalf("a cheque above the threshold is not due")
	}
	if err := k.b.MarkCashed(k.alice.addr, wei(10, testPrice)); err != nil {
		t.Fatal(err)
	}
	if due := k.b.CashDue(above); len(due) != 0 {
		t.Fatalf("a cashed cheque is due again")
	}
	k.send(5)
	k.pay(t) // 15 packets, 5 unclaimed
	if due := k.b.CashDue(wei(6, testPrice)); len(due) != 0 {
		t.Fatalf("5 packets unclaimed are due above 6")
	}
	if due := k.b.CashDue(wei(4, testPrice)); len(due) != 1 {
		t.Fatalf("5 packets unclaimed are not due above 4")
	}
}

// TestCashDueNearCover: whatever the gas threshold, a payer's cheque is
// due once its unclaimed value reaches half the payer's cover as last
// looked up, so that the payer's next cheque is not refused as uncovered;
// what was cashed is deducted, and a cover of zero never makes one due.
func TestCashDueNearCover(t *testing.T) {
	k := newLink(t)
	k.cover.set(k.alice.addr, wei(41, testPrice)) // half: 20.5 packets
	high := wei(1000, testPrice)                  // gas is dear: the gas rule waits
	k.send(20)
	k.pay(t) // 20 packets unclaimed: below half the cover
	if h, _ := k.b.Holdings(); len(h) != 1 || h[0].Cover == nil || h[0].Cover.Cmp(wei(41, testPrice)) != 0 {
		t.Fatalf("holdings %+v: want the cover looked up at the cheque", h)
	}
	if due := k.b.CashDue(high); len(due) != 0 {
		t.Fatalf("20 packets unclaimed of a cover of 41 are due")
	}
	k.send(1)
	s := k.pay(t) // 21 packets: at half the cover
	due := k.b.CashDue(high)
	if len(due) != 1 || due[0].CumulativeAmount.Cmp(s.CumulativeAmount) != 0 {
		t.Fatalf("21 packets unclaimed of a cover of 41 are not due: %v", due)
	}
	// Without cashing, the payer's cheques would soon be refused: 42
	// packets need more than the cover.
	if err := k.b.MarkCashed(k.alice.addr, wei(21, testPrice)); err != nil {
		t.Fatal(err)
	}
	if due := k.b.CashDue(high); len(due) != 0 {
		t.Fatalf("due again after cashing: %v", due)
	}
	k.send(21)
	k.pay(t) // 42 packets in all, 21 unclaimed: accepted, and due again
	if due := k.b.CashDue(high); len(due) != 1 {
		t.Fatalf("21 more packets unclaimed are not due")
	}

	// A payer whose cover fell to nothing: its cheque waits for the gas
	// rule (a cash would fail).
	k.clock.Advance(time.Hour) // the cached cover is stale: looked up again
	k.cover.set(k.alice.addr, new(big.Int))
	k.send(1)
	if err := k.credit.Accept(context.Background(), mustCheque(t, k.debt)); err == nil {
		t.Fatal("a cheque beyond a cover of zero was accepted")
	}
	if due := k.b.CashDue(high); len(due) != 0 {
		t.Fatalf("due with a cover of zero: %v", due)
	}
	if due := k.b.CashDue(nil); len(due) != 1 {
		t.Fatalf("not due at any value")
	}
}
