package pki

import (
	"math/big"
	"strings"
	"testing"

	"github.com/murmurnet/murmur/chain"
)

func TestHopPricesParse(t *testing.T) {
	p, err := ParseHopPrices("3016171,2148681,1289519,438605")
	if err != nil {
		t.Fatal(err)
	}
	if len(p) != 4 || p[0].Int64() != 3016171 || p[3].Int64() != 438605 || p.String() != "3016171,2148681,1289519,438605" {
		t.Fatalf("parsed %v", p)
	}
	for _, bad := range []string{"", "5", "1,-2", "1,,2", "1, 2", "01,2", "1,0x2", strings.Repeat("9", 79) + ",1", strings.Repeat("1,", 33) + "1"} {
		if _, err := ParseHopPrices(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// A relay's price follows its position in each epoch's topology; both
// ends read it from the same descriptor and topology.
func TestHopPriceByPosition(t *testing.T) {
	n := newTestNet(t, chain.RoleProvider, chain.RoleMix, chain.RoleMix, chain.RoleMix, chain.RoleIssuer)
	prices := HopPrices{big.NewInt(300), big.NewInt(200), big.NewInt(100), big.NewInt(40)}
	seen := map[int64]bool{}
	for e := uint64(1); e <= 20; e++ {
		top := NewTopology(n.snapshot(e), 3)
		for i := range n.ids {
			d := n.descriptor(i, e)
			d.PerHopPriceWei = "7"
			d.Params = map[string]string{ParamHopPricesWei: prices.String()}
			got := HopPrice(d, top)
			want := int64(7) // the issuer is neither a mix nor a provider: its flat price
			if l, ok := top.Layer(d.NodeKey); ok {
				want = prices[l].Int64()
			} else if top.IsProvider(d.NodeKey) {
				want = 40
			}
			if got.Int64() != want {
				t.Fatalf("epoch %d, relay %d: price %v, want %d", e, i, got, want)
			}
			seen[want] = true
		}
	}
	if !seen[300] || !seen[200] || !seen[100] || !seen[40] || !seen[7] {
		t.Fatalf("prices seen over 20 epochs: %v", seen)
	}

	top := NewTopology(n.snapshot(1), 3)
	d := n.descriptor(1, 1)
	d.PerHopPriceWei = "7"
	for name, params := range map[string]map[string]string{
		"no schedule":          nil,
		"a schedule for 2":     {ParamHopPricesWei: "5,4,3"},
		"a malformed schedule": {ParamHopPricesWei: "5,x,3,2"},
	} {
		d.Params = params
		if got := HopPrice(d, top); got.Int64() != 7 {
			t.Errorf("%s: price %v, want the flat 7", name, got)
		}
	}
	if got := HopPrice(d, nil); got.Int64() != 7 {
		t.Errorf("no topology: %v", got)
	}
}
