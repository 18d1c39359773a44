package settle

import (
	"math/big"
	"testing"
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
