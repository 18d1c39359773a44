package node

import (
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/settle"
)

// TestCashingThreshold: the routine's threshold follows the chain's gas
// price and the relay's measured gas of a cash (not that of a bounce, nor
// of a failure), never falls below Cashing.Above, and a round whose gas price
// is unknown cashes nothing.
func TestCashingThreshold(t *testing.T) {
	price := big.NewInt(2e9)
	var priceErr error
	results := []CashResult{}
	cc := &Cashing{
		Above: big.NewInt(1e12), GasFactor: 10,
		GasPrice: func(context.Context) (*big.Int, error) { return price, priceErr },
		Cash: func(context.Context, cheque.Signed) (CashResult, error) {
			r := results[0]
			results = results[1:]
			if r.Total == nil {
				return r, errors.New("reverted")
			}
			return r, nil
		},
	}
	c := newCashing(&Config{Cashing: cc})
	ctx := context.Background()
	want := func(stage string, w int64) {
		t.Helper()
		got, err := c.thresholdNow(ctx)
		if err != nil || got.Cmp(big.NewInt(w)) != 0 {
			t.Fatalf("%s: threshold %v (%v), want %d", stage, got, err, w)
		}
	}
	want("before any cash", 2e9*settle.DefaultCashGas*10)
	results = append(results, CashResult{Total: big.NewInt(1), Gas: 70_000})
	if _, err := c.do(ctx, cheque.Signed{}); err != nil {
		t.Fatal(err)
	}
	want("measured", 2e9*70_000*10)
	results = append(results, CashResult{Total: big.NewInt(2), Gas: 90_000, FromStake: big.NewInt(5)}, CashResult{Gas: 30_000})
	if _, err := c.do(ctx, cheque.Signed{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.do(ctx, cheque.Signed{}); err == nil {
		t.Fatal("a failed cash reported no error")
	}
	want("after a bounce and a failure", 2e9*70_000*10)
	if c.bounced.Load() != 1 || c.fromStake.Load().Int64() != 5 || c.failed.Load() != 1 || c.txs.Load() != 3 {
		t.Fatalf("counts: bounced %d from stake %s, failed %d, txs %d", c.bounced.Load(), c.fromStake.Load(), c.failed.Load(), c.txs.Load())
	}
	price = big.NewInt(1)
	want("cheap gas: the floor", 1e12)
	priceErr = errors.New("endpoint down")
	if _, err := c.thresholdNow(ctx); err == nil {
		t.Fatal("a threshold without a gas price")
	}
}
