package devnet

import (
	"bytes"
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/murmurnet/murmur/chain"
)

func TestRunBuildsAndPays(t *testing.T) {
	var out bytes.Buffer
	res, err := Run(context.Background(), Options{Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	if res.ActiveOnChain != 8 || len(res.Relays) != 8 {
		t.Fatalf("active %d, relays %d, want 8 (2 providers + 3x2 mixes)", res.ActiveOnChain, len(res.Relays))
	}
	staked := new(big.Int)
	for _, r := range res.Relays {
		staked.Add(staked, r.Stake)
	}
	if res.StakeOnChain.Cmp(staked) != 0 {
		t.Fatalf("registry holds %s, relays staked %s", res.StakeOnChain, staked)
	}
	if res.VaultOnChain.Cmp(res.DepositsBooked) != 0 {
		t.Fatalf("vault holds %s, books %s", res.VaultOnChain, res.DepositsBooked)
	}
	cashed := new(big.Int)
	for _, p := range res.Payments {
		if p.Cashed.Cmp(p.Promised) != 0 {
			t.Fatalf("provider cashed %s of %s promised", p.Cashed, p.Promised)
		}
		cashed.Add(cashed, p.Cashed)
	}
	// Two clients deposited 1 ETH each; what they paid left the vault.
	if want := new(big.Int).Sub(chain.Ether(2), cashed); res.VaultOnChain.Cmp(want) != 0 {
		t.Fatalf("vault holds %s, want %s", res.VaultOnChain, want)
	}
	for _, s := range []string{"deployed RelayRegistry", "registered mix3.2", "cashed 0.004 ETH on-chain"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("report lacks %q:\n%s", s, out.String())
		}
	}
}
