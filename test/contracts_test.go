package test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/murmurnet/murmur/node/devnet"
)

// TestDevnetContractsOnRealChains deploys the contracts, registers and stakes
// relays, and settles cheques on anvil and on geth --dev, as the devnet does
// on the embedded chain.
func TestDevnetContractsOnRealChains(t *testing.T) {
	for _, start := range []func(*testing.T) *devChain{startAnvil, startGeth} {
		c := start(t)
		t.Run(c.Name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			var out bytes.Buffer
			res, err := devnet.Run(ctx, devnet.Options{RPC: c.URL, Out: &out})
			if err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			if res.ActiveOnChain != 8 {
				t.Fatalf("active relays %d, want 8", res.ActiveOnChain)
			}
			if res.VaultOnChain.Cmp(res.DepositsBooked) != 0 {
				t.Fatalf("vault holds %s, books %s", res.VaultOnChain, res.DepositsBooked)
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
