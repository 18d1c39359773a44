package chain

import (
	"context"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A deployment's network file records its chain, contracts, block and
// parameters; it is read back and dialled, and refused when it is for
// another chain, names no contracts, is malformed, or would overwrite one.
func TestNetworkFile(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := DefaultParams()
	p.MinStake = big.NewInt(5e16)
	head, err := f.sim.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := DeployNetwork(ctx, f.sim, f.d.auth, p)
	if err != nil {
		t.Fatal(err)
	}
	if n.ChainID != 1337 || n.DeployBlock <= head.Number.Uint64() || n.Deployer != f.d.addr || n.Params.MinStakeWei != "50000000000000000" || n.EpochLength() != p.EpochLength {
		t.Fatalf("network %+v (head was %d)", n, head.Number)
	}
	// The registry's code is there from the deploy block on, not before.
	if code, _ := f.sim.CodeAt(ctx, n.Contracts.Registry, new(big.Int).SetUint64(n.DeployBlock-1)); len(code) != 0 {
		t.Fatal("the registry has code before its deploy block")
	}
	path := filepath.Join(t.TempDir(), "network.json")
	if err := WriteNetworkFile(path, n); err != nil {
		t.Fatal(err)
	}
	if err := WriteNetworkFile(path, n); err == nil || !strings.Contains(err.Error(), "not overwritten") {
		t.Fatalf("overwriting: %v", err)
	}
	back, err := ReadNetworkFile(path)
	if err != nil || back != n {
		t.Fatalf("read back %+v, %v", back, err)
	}
	if _, err := DialNetwork(ctx, f.sim, back); err != nil {
		t.Fatal(err)
	}
	other := back
	other.ChainID = 1
	if _, err := DialNetwork(ctx, f.sim, other); !errors.Is(err, ErrNetworkFile) || !strings.Contains(err.Error(), "chain 1, the RPC endpoint serves chain 1337") {
		t.Fatalf("another chain's file: %v", err)
	}
	for name, body := range map[string]string{
		"malformed":    `{"chain_id": `,
		"unknown key":  `{"chain_id": 5, "registry": "0x01"}`,
		"no contracts": `{"chain_id": 5}`,
		"bad stake":    strings.Replace(mustRead(t, path), "50000000000000000", "-1", 1),
	} {
		p := filepath.Join(t.TempDir(), "n.json")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadNetworkFile(p); !errors.Is(err, ErrNetworkFile) {
			t.Errorf("%s: %v, want ErrNetworkFile", name, err)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
