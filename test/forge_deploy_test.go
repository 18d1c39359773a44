package test

import (
	"context"
	"encoding/hex"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/murmurnet/murmur/chain"
)

// TestForgeDeployScript deploys with Foundry's script
// (contracts/script/Deploy.s.sol) on anvil: its network file is the one
// relays and clients read, and names a working deployment with the
// parameters asked for.
func TestForgeDeployScript(t *testing.T) {
	root := repoRoot(t)
	forge := filepath.Join(root, "node_modules", "@foundry-rs", "forge-"+runtime.GOOS+"-"+runtime.GOARCH, "bin", "forge")
	if _, err := os.Stat(forge); err != nil {
		missingTool(t, "forge (run make deps)")
	}
	c := startAnvil(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	key, _ := crypto.GenerateKey()
	rc, err := rpc.DialContext(ctx, c.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	ec := ethclient.NewClient(rc)
	if err := chain.FundFromNode(ctx, rc, ec, chain.Ether(10), crypto.PubkeyToAddress(key.PublicKey)); err != nil {
		t.Fatal(err)
	}
	// The script may write only under deployments/ (foundry.toml).
	out := filepath.Join("deployments", "test-"+hex.EncodeToString(crypto.Keccak256([]byte(t.Name() + time.Now().String()))[:4])+".json")
	t.Cleanup(func() { os.Remove(filepath.Join(root, out)) })
	cmd := exec.CommandContext(ctx, forge, "script", "contracts/script/Deploy.s.sol", "--rpc-url", c.URL, "--broadcast",
		"--private-key", "0x"+hex.EncodeToString(crypto.FromECDSA(key)), "--slow")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "MURMUR_MIN_STAKE_WEI=70000000000000000", "MURMUR_EPOCH_S=4", "MURMUR_NETWORK_FILE="+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("forge script: %v\n%s", err, b)
	}
	n, err := chain.ReadNetworkFile(filepath.Join(root, out))
	if err != nil {
		t.Fatal(err)
	}
	if n.ChainID != 31337 || n.Params.MinStakeWei != "70000000000000000" || n.EpochLength() != 4*time.Second || n.Deployer != crypto.PubkeyToAddress(key.PublicKey) {
		t.Fatalf("network file %+v", n)
	}
	cl, err := chain.DialNetwork(ctx, ec, n)
	if err != nil {
		t.Fatal(err)
	}
	if ms, err := cl.MinStake(ctx); err != nil || ms.Cmp(chain.Ether(1)) >= 0 || ms.String() != n.Params.MinStakeWei {
		t.Fatalf("registry's minimum stake %v, %v", ms, err)
	}
	if code, err := ec.CodeAt(ctx, n.Contracts.Registry, new(big.Int).SetUint64(n.DeployBlock-1)); err != nil || len(code) != 0 {
		t.Fatalf("the registry has code before the file's deploy block: %d bytes, %v", len(code), err)
	}
}
