package test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/murmurnet/murmur/chain"
)

// TestCLINetwork is a network built by its operators with the CLI alone,
// as they would on a new chain: `murmur deploy` writes the network file,
// four operators register and run relays (a provider and a mix per layer,
// one of which sells tickets) as separate processes from that file, and two
// clients that name no provider take one from the registry, buy tickets
// and carry a message through five hops; messages the provider holds for
// an absent client survive its SIGKILL and arrive once each.
func TestCLINetwork(t *testing.T) {
	bin := murmurBinary(t)
	c := startAnvil(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancel)
	testscript.Run(t, testscript.Params{
		Dir: "testdata/network",
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
			return setupNetwork(ctx, t, env, c.URL)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"waitfor": waitFor,
			"setvar":  setVar,
		},
	})
}

// setupNetwork writes what the operators and users have before anything
// is deployed: funded keystores and configs naming the network file to
// come. The relays listen on ports that were just free.
func setupNetwork(ctx context.Context, t *testing.T, env *testscript.Env, rpcURL string) error {
	wd := env.WorkDir
	write := func(name, content string) error {
		return os.WriteFile(filepath.Join(wd, name), []byte(content), 0o600)
	}
	if err := write("pw", "correct horse\n"); err != nil {
		return err
	}
	deployer, rc, err := fundedKeystore(ctx, rpcURL, filepath.Join(wd, "deployer"))
	if err != nil {
		return err
	}
	defer rc.Close()
	env.Setenv("RPC", rpcURL)
	env.Setenv("DEPLOYER", deployer.URL.Path)
	ec := ethclient.NewClient(rc)
	for _, name := range []string{"prov", "mix1", "mix2", "mix3", "alice"} {
		acct, err := keystore.StoreKey(filepath.Join(wd, name+"keys"), "correct horse", keystore.LightScryptN, keystore.LightScryptP)
		if err != nil {
			return err
		}
		if err := chain.FundFromNode(ctx, rc, ec, chain.Ether(1), acct.Address); err != nil {
			return err
		}
		cfg := fmt.Sprintf("rpc = %q\nnetwork = \"network.json\"\nkeystore = %q\ndata_dir = %q\n", rpcURL, acct.URL.Path, name+"data")
		if name != "alice" {
			cfg += fmt.Sprintf("listen = [\"/ip4/127.0.0.1/tcp/%d\"]\nmetrics = \"127.0.0.1:%d\"\n", freePort(t), freePort(t))
		} else {
			// Alice's loops would land in her mailbox at the same provider:
			// without them, the provider's delivered count is bob's mail
			// alone, which the crash step waits for.
			cfg += "[cover]\noff = true\n"
		}
		if err := write(name+".toml", cfg); err != nil {
			return err
		}
	}
	// Bob's account pays for nothing until he converses by account (the
	// end of the script).
	bob, err := keystore.StoreKey(filepath.Join(wd, "bobkeys"), "correct horse", keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		return err
	}
	if err := chain.FundFromNode(ctx, rc, ec, chain.Ether(1), bob.Address); err != nil {
		return err
	}
	return write("bob.toml", fmt.Sprintf("rpc = %q\nnetwork = \"network.json\"\nkeystore = %q\ndata_dir = \"bobdata\"\n", rpcURL, bob.URL.Path))
}

// waitFor is `waitfor timeout regexp command [args]`: it runs the command
// (from the script's PATH, in its directory) once a second until its
// standard output matches, and fails at the timeout with the last output.
func waitFor(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 {
		ts.Fatalf("usage: waitfor timeout regexp command [args]")
	}
	d, err := time.ParseDuration(args[0])
	if err != nil {
		ts.Fatalf("%v", err)
	}
	re, err := regexp.Compile(args[1])
	if err != nil {
		ts.Fatalf("%v", err)
	}
	path := ""
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		if p := filepath.Join(dir, args[2]); path == "" {
			if _, err := os.Stat(p); err == nil {
				path = p
			}
		}
	}
	if path == "" {
		ts.Fatalf("%s is not on the script's PATH", args[2])
	}
	var out []byte
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(time.Second) {
		cmd := exec.Command(path, args[3:]...)
		cmd.Dir = ts.MkAbs(".")
		var cerr error
		out, cerr = cmd.CombinedOutput()
		if cerr == nil && re.Match(out) {
			ts.Logf("%s", out)
			return
		}
	}
	ts.Fatalf("%s: no output matching %q within %s; last:\n%s", strings.Join(args[2:], " "), args[1], d, out)
}

// setVar is `setvar NAME regexp`: it sets NAME to the first group of
// regexp in the last command's standard output.
func setVar(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: setvar NAME regexp")
	}
	m := regexp.MustCompile(args[1]).FindStringSubmatch(ts.ReadFile("stdout"))
	if len(m) < 2 {
		ts.Fatalf("stdout does not match %q", args[1])
	}
	ts.Setenv(args[0], m[1])
}
