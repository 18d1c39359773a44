package test

import (
	"context"
	"crypto/ecdh"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/node/devnet"
)

var murmurBuild struct {
	once sync.Once
	dir  string
	err  error
}

// murmurBinary builds the CLI once per test run.
func murmurBinary(t *testing.T) string {
	t.Helper()
	murmurBuild.once.Do(func() {
		murmurBuild.dir, murmurBuild.err = os.MkdirTemp("", "murmur-bin-")
		if murmurBuild.err != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(murmurBuild.dir, "murmur"), "./cmd/murmur")
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			murmurBuild.err = fmt.Errorf("go build ./cmd/murmur: %v\n%s", err, out)
		}
	})
	if murmurBuild.err != nil {
		t.Fatal(murmurBuild.err)
	}
	return murmurBuild.dir
}

// TestCLI runs the real murmur binary against a network on anvil: an
// operator creates a keystore, registers, stakes, runs and exits a relay; a
// client sends through the network and another fetches its inbox.
func TestCLI(t *testing.T) {
	bin := murmurBinary(t)
	anvil := startAnvil(t)
	// Cleanups, not defers: the scripts run as parallel subtests, after this function returns.
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancel)
	// The CLI's clients hold no tickets (yet): its providers let them send for free.
	nw, err := devnet.Start(ctx, devnet.Options{RPC: anvil.URL, EpochLength: 4 * time.Second, NoPayments: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nw.Close)

	testscript.Run(t, testscript.Params{
		Dir: "testdata/cli",
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
			return setupCLI(ctx, env, nw, anvil.URL)
		},
	})
}

func setupCLI(ctx context.Context, env *testscript.Env, nw *devnet.Network, rpcURL string) error {
	wd := env.WorkDir
	write := func(name, content string) error {
		return os.WriteFile(filepath.Join(wd, name), []byte(content), 0o600)
	}
	if err := write("pw", "correct horse\n"); err != nil {
		return err
	}
	if err := write("wrongpw", "battery staple\n"); err != nil {
		return err
	}
	// The operator's keystore, funded by the chain's dev account.
	acct, err := keystore.StoreKey(filepath.Join(wd, "operator"), "correct horse", keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		return err
	}
	rc, err := rpc.DialContext(ctx, rpcURL)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := chain.FundFromNode(ctx, rc, ethclient.NewClient(rc), chain.Ether(10), acct.Address); err != nil {
		return err
	}
	addrs := nw.Result.Contracts
	contracts := fmt.Sprintf("[contracts]\nregistry = %q\nvault = %q\ntickets = %q\n", addrs.Registry.Hex(), addrs.Vault.Hex(), addrs.Tickets.Hex())
	port := 20000 + time.Now().Nanosecond()%20000
	relay := fmt.Sprintf("data_dir = \"relaydata\"\nrpc = %q\nkeystore = %q\nlisten = [\"/ip4/127.0.0.1/tcp/%d\"]\nmetrics = \"127.0.0.1:%d\"\n%s", rpcURL, acct.URL.Path, port, port+1, contracts)
	if err := write("relay.toml", relay); err != nil {
		return err
	}
	unregistered := strings.Replace(relay, acct.URL.Path, filepath.Join(wd, "other", "key.json"), 1)
	if err := os.MkdirAll(filepath.Join(wd, "other"), 0o700); err != nil {
		return err
	}
	if err := write("other/key.json", `{"address":"1111111111111111111111111111111111111111"}`); err != nil {
		return err
	}
	if err := write("unregistered.toml", unregistered); err != nil {
		return err
	}
	for i, name := range []string{"alice", "bob"} {
		prov := nw.Result.Relays[i]
		p2p := fmt.Sprintf("%s/p2p/%s", prov.Node.Addrs()[0], prov.Node.Host().ID())
		cfg := fmt.Sprintf("data_dir = %q\nrpc = %q\nprovider = %q\n%s", name+"data", rpcURL, p2p, contracts)
		if err := write(name+".toml", cfg); err != nil {
			return err
		}
	}
	// Bob's keys exist before the script runs, so that his address can be handed to alice.
	bobDir := filepath.Join(wd, "bobdata")
	id, err := node.LoadOrCreateIdentity(filepath.Join(bobDir, "identity.key"))
	if err != nil {
		return err
	}
	pid, _ := peer.IDFromPrivateKey(id)
	key, err := ecdh.X25519().GenerateKey(nil)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(bobDir, "e2e.key"), key.Bytes(), 0o600); err != nil {
		return err
	}
	env.Setenv("BOB", client.AddressOf(nw.Result.Relays[1].NodeKey, pid, key.PublicKey()).String())
	return nil
}
