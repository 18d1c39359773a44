package test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/murmurnet/murmur/node/devnet"
)

// TestDevnetOnRealChains runs the whole devnet on anvil and on geth --dev:
// contracts deployed, relays registered and staked and running on libp2p,
// messages delivered end to end both ways and through a reply block, cheques
// settled.
func TestDevnetOnRealChains(t *testing.T) {
	for _, start := range []func(*testing.T) *devChain{startAnvil, startGeth} {
		c := start(t)
		t.Run(c.Name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			var out bytes.Buffer
			res, err := devnet.Run(ctx, devnet.Options{RPC: c.URL, Out: &out, EpochLength: 5 * time.Second, Messages: 1})
			if err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			if res.ActiveOnChain != 8 {
				t.Fatalf("active relays %d, want 8", res.ActiveOnChain)
			}
			if res.VaultOnChain.Cmp(res.DepositsBooked) != 0 {
				t.Fatalf("vault holds %s, books %s", res.VaultOnChain, res.DepositsBooked)
			}
			if len(res.Exchanges) != 4 || !res.Exchanges[3].Reply {
				t.Fatalf("exchanges %+v\n%s", res.Exchanges, out.String())
			}
			for _, p := range res.Payments {
				if p.Cashed.Cmp(p.Promised) != 0 {
					t.Fatalf("cashed %s of %s", p.Cashed, p.Promised)
				}
			}
			if !strings.Contains(out.String(), "funded from the node's dev account") {
				t.Fatalf("report:\n%s", out.String())
			}
		})
	}
}
