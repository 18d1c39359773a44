package settle

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/payments/cheque"
)

// TestDecideCash: the cashing rule on one holding, case by case.
func TestDecideCash(t *testing.T) {
	n := func(v int64) *big.Int { return big.NewInt(v) }
	held := func(amount, cashed int64) Holding {
		return HoldingOf(cheque.Signed{Cheque: cheque.Cheque{Payer: common.Address{1}, CumulativeAmount: n(amount)}}, n(cashed))
	}
	withCover := func(h Holding, cover int64) Holding { h.Cover = n(cover); return h }
	withLimit := func(h Holding, limit int64) Holding { h.Limit = n(limit); return h }
	for _, c := range []struct {
		name  string
		h     Holding
		above *big.Int
		want  CashDecision
	}{
		{"nothing pending", held(100, 100), nil, Keep},
		{"cashed beyond the cheque", held(100, 150), nil, Keep},
		{"anything pending, no threshold", held(101, 100), nil, Cash},
		{"pending at the threshold", held(150, 100), n(50), Keep},
		{"pending above the threshold", held(151, 100), n(50), Cash},
		{"negative threshold is zero", held(101, 100), n(-5), Cash},
		{"half the cover overrides the threshold", withCover(held(50, 0), 100), n(1000), Cash},
		{"below half the cover", withCover(held(49, 0), 100), n(1000), Keep},
		{"a zero cover is never reached", withCover(held(49, 0), 0), n(1000), Keep},
		{"below the limit", withLimit(held(399, 0), 400), nil, Cash},
		{"at the limit", withLimit(held(400, 0), 400), nil, Withhold},
		{"over the limit but too small to cash", withLimit(held(500, 450), 400), n(100), Keep},
	} {
		if got := DecideCash(c.h, c.above); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if h := HoldingOf(cheque.Signed{}, nil); h.Pending.Sign() != 0 || h.Cashed.Sign() != 0 || DecideCash(h, nil) != Keep {
		t.Errorf("empty holding %+v", h)
	}
}
