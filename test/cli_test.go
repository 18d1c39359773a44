package test

import (
	"bufio"
	"context"
	"crypto/ecdh"
	"crypto/ecdsa"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/devnet"
	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/payments/tickets"
	"github.com/murmurnet/murmur/payments/wallet"
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
// operator creates a keystore, registers, stakes, runs (with payments) and
// exits a relay; a client deposits into the Vault, buys tickets and sends
// a paid message that another fetches; tickets exported to a client with
// no Ethereum account let it send too.
func TestCLI(t *testing.T) {
	bin := murmurBinary(t)
	anvil := startAnvil(t)
	// Cleanups, not defers: the scripts run as parallel subtests, after this function returns.
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	t.Cleanup(cancel)
	nw, err := devnet.Start(ctx, devnet.Options{RPC: anvil.URL, EpochLength: 4 * time.Second})
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
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"settle":    func(ts *testscript.TestScript, neg bool, args []string) { settleWithCLIRelay(ctx, ts, nw) },
			"api":       apiCall,
			"apistream": apiStream,
		},
	})
}

// apiRequest makes a request of the local client API at 127.0.0.1:port
// with the token in tokenFile.
func apiRequest(ts *testscript.TestScript, port, tokenFile, method, path, body string) (*http.Response, error) {
	tok := strings.TrimSpace(ts.ReadFile(tokenFile))
	req, err := http.NewRequest(method, "http://127.0.0.1:"+port+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return http.DefaultClient.Do(req)
}

// apiCall is `api [-set VAR=field] port tokenfile method path [body]`: it
// waits (up to 30 s) for the API to answer, prints the JSON answer, fails
// unless it is 2xx (or, negated, unless it is not), and with -set stores
// a field of the answer in an environment variable.
func apiCall(ts *testscript.TestScript, neg bool, args []string) {
	var set string
	if len(args) > 0 && args[0] == "-set" {
		set, args = args[1], args[2:]
	}
	if len(args) < 4 {
		ts.Fatalf("usage: api [-set VAR=field] port tokenfile method path [body]")
	}
	body := ""
	if len(args) > 4 {
		body = args[4]
	}
	var resp *http.Response
	var err error
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if _, ferr := os.Stat(ts.MkAbs(args[1])); ferr == nil {
			if resp, err = apiRequest(ts, args[0], args[1], args[2], args[3], body); err == nil {
				break
			}
		}
		if time.Now().After(deadline) {
			ts.Fatalf("the client API at port %s does not answer: %v", args[0], err)
		}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	ts.Logf("%s %s → %d %s", args[2], args[3], resp.StatusCode, b)
	fmt.Fprintf(ts.Stdout(), "%d %s", resp.StatusCode, b)
	ok := resp.StatusCode/100 == 2
	if ok == neg {
		ts.Fatalf("%s %s answered %d", args[2], args[3], resp.StatusCode)
	}
	if set != "" {
		name, field, _ := strings.Cut(set, "=")
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			ts.Fatalf("%v", err)
		}
		ts.Setenv(name, fmt.Sprint(v[field]))
	}
}

// apiStream is `apistream port tokenfile n`: it reads n messages from the
// API's stream (within 60 s) and prints them, one JSON object a line.
func apiStream(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: apistream port tokenfile n")
	}
	n, err := strconv.Atoi(args[2])
	if err != nil {
		ts.Fatalf("%v", err)
	}
	resp, err := apiRequest(ts, args[0], args[1], "GET", "/v1/messages", "")
	if err != nil {
		ts.Fatalf("%v", err)
	}
	defer resp.Body.Close()
	timer := time.AfterFunc(60*time.Second, func() { resp.Body.Close() })
	defer timer.Stop()
	lines := bufio.NewScanner(resp.Body)
	for i := 0; i < n; i++ {
		if !lines.Scan() {
			ts.Fatalf("the stream ended after %d of %d messages: %v", i, n, lines.Err())
		}
		fmt.Fprintln(ts.Stdout(), lines.Text())
	}
}

// settleWithCLIRelay has the devnet's relays pay what they owe beyond
// their last payments (as a relay does before it exits) until the relay the
// script runs, at $METRICS, holds a cheque or lottery tickets worth more
// than zero: payments are otherwise due only every 200 packets, minutes of
// cover traffic. The
// relay's earnings are read from its /status, as murmur relay earnings
// reads them.
func settleWithCLIRelay(ctx context.Context, ts *testscript.TestScript, nw *devnet.Network) {
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var last string
	for {
		for _, r := range nw.Result.Relays {
			// Errors are retried: a relay that has not placed the script's
			// relay in its topology yet refuses, and so may it.
			if err := r.Node.SettleUp(ctx); err != nil {
				last = err.Error()
			}
		}
		held, err := heldByCLIRelay(ctx, ts.Getenv("METRICS"))
		if err != nil {
			last = err.Error()
		} else if held.Sign() > 0 {
			ts.Logf("the script's relay holds cheques and tickets worth %s wei", held)
			return
		}
		select {
		case <-ctx.Done():
			ts.Fatalf("the script's relay holds no cheque or ticket worth more than 0 wei (last error: %s)", last)
		case <-tick.C:
		}
	}
}

// heldByCLIRelay sums the cheques a running relay holds, from its /status.
func heldByCLIRelay(ctx context.Context, metrics string) (*big.Int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+metrics+"/status", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var st struct {
		Earnings *struct {
			Held []struct {
				Cheque string `json:"cheque"`
			} `json:"held"`
			Tickets []struct {
				Expected string `json:"expected_wei"`
			} `json:"tickets"`
		} `json:"earnings"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return nil, err
	}
	if st.Earnings == nil {
		return nil, fmt.Errorf("the relay at %s reports no earnings: settlement is off", metrics)
	}
	sum := new(big.Int)
	for _, h := range st.Earnings.Held {
		v, ok := new(big.Int).SetString(h.Cheque, 10)
		if !ok {
			return nil, fmt.Errorf("held cheque %q is not an amount", h.Cheque)
		}
		sum.Add(sum, v)
	}
	// Neighbours that pay by lottery ticket: the expected value taken.
	for _, h := range st.Earnings.Tickets {
		v, ok := new(big.Int).SetString(h.Expected, 10)
		if !ok {
			return nil, fmt.Errorf("lottery tickets' value %q is not an amount", h.Expected)
		}
		sum.Add(sum, v)
	}
	return sum, nil
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
	acct, rc, err := fundedKeystore(ctx, rpcURL, filepath.Join(wd, "operator"))
	if err != nil {
		return err
	}
	defer rc.Close()
	addrs := nw.Result.Contracts
	contracts := fmt.Sprintf("[contracts]\nregistry = %q\nvault = %q\ntickets = %q\n", addrs.Registry.Hex(), addrs.Vault.Hex(), addrs.Tickets.Hex())
	port := 20000 + time.Now().Nanosecond()%20000
	// With --password-file the relay charges its neighbours the cost
	// model's prices by position (its defaults), and 1 gwei where they do
	// not apply.
	payments := "[payments]\nper_hop_price_wei = 1000000000\n"
	relay := fmt.Sprintf("data_dir = \"relaydata\"\nrpc = %q\nkeystore = %q\nlisten = [\"/ip4/127.0.0.1/tcp/%d\"]\nmetrics = \"127.0.0.1:%d\"\n%s%s", rpcURL, acct.URL.Path, port, port+1, contracts, payments)
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
	// Alice pays with an account of her own; bob and carol have none.
	alice, err := keystore.StoreKey(filepath.Join(wd, "alicekeys"), "correct horse", keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		return err
	}
	if err := chain.FundFromNode(ctx, rc, ethclient.NewClient(rc), chain.Ether(1), alice.Address); err != nil {
		return err
	}
	for _, name := range []string{"ALICEAPI", "BOBAPI"} {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		env.Setenv(name, fmt.Sprint(l.Addr().(*net.TCPAddr).Port))
		l.Close()
	}
	for i, name := range []string{"alice", "bob", "carol"} {
		prov := nw.Result.Relays[i%2]
		p2p := fmt.Sprintf("%s/p2p/%s", prov.Node.Addrs()[0], prov.Node.Host().ID())
		cfg := fmt.Sprintf("data_dir = %q\nrpc = %q\nprovider = %q\n", name+"data", rpcURL, p2p)
		if name == "alice" {
			cfg += fmt.Sprintf("keystore = %q\n", alice.URL.Path)
		}
		if err := write(name+".toml", cfg+contracts); err != nil {
			return err
		}
	}
	// Bob's keys exist before the script runs, so that his address can be handed to alice.
	bobDir := filepath.Join(wd, "bobdata")
	id, err := identity.LoadOrCreate(filepath.Join(bobDir, "identity.key"))
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
	// The operator's key, which nothing may print.
	opKey, err := decryptKeystore(acct.URL.Path, "correct horse")
	if err != nil {
		return err
	}
	env.Setenv("OPKEY", hex.EncodeToString(crypto.FromECDSA(opKey)))
	env.Setenv("METRICS", fmt.Sprintf("127.0.0.1:%d", port+1))
	return writeBadBundles(wd, nw)
}

// writeBadBundles writes two well-formed bundles no client of the network
// may import: foreign.bundle of another chain, and forged.bundle of this
// chain and the issuer's current key epoch, signed with a key no issuer
// published.
func writeBadBundles(wd string, nw *devnet.Network) error {
	var epoch uint64
	for _, r := range nw.Result.Relays {
		if r.Roles&chain.RoleIssuer != 0 {
			epoch = r.Node.IssuerStatus().KeyEpoch
		}
	}
	chainID := nw.Chain.ChainID().Uint64()
	for name, id := range map[string]uint64{"foreign.bundle": 1, "forged.bundle": chainID} {
		sk, err := tickets.GenerateIssuerKey(crand.Reader, id, epoch, tickets.Value{Packets: 1000, Price: big.NewInt(1)})
		if err != nil {
			return err
		}
		req, err := tickets.NewTicketRequest(nil, sk.Public())
		if err != nil {
			return err
		}
		sigs, err := sk.SignBlinded([]bls.G1Affine{req.Blinded()})
		if err != nil {
			return err
		}
		t, err := req.Finish(sigs[0])
		if err != nil {
			return err
		}
		b, err := wallet.EncodeBundle(id, []tickets.Ticket{t})
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(wd, name), []byte(b+"\n"), 0o600); err != nil {
			return err
		}
	}
	return nil
}

func decryptKeystore(path, password string) (*ecdsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := keystore.DecryptKey(b, password)
	if err != nil {
		return nil, err
	}
	return k.PrivateKey, nil
}

// TestCLIDeploy runs `murmur deploy` on anvil and on geth --dev as a new
// operator would, then registers a relay and funds a client through the
// network file alone.
func TestCLIDeploy(t *testing.T) {
	bin := murmurBinary(t)
	for _, start := range []func(*testing.T) *devChain{startAnvil, startGeth} {
		c := start(t)
		t.Run(c.Name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			t.Cleanup(cancel)
			testscript.Run(t, testscript.Params{
				Dir: "testdata/deploy",
				Setup: func(env *testscript.Env) error {
					env.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
					return setupDeploy(ctx, env, c.URL)
				},
				Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
					"rechain": rechain,
				},
			})
		})
	}
}

// setupDeploy writes what an operator has before a deployment: a funded
// keystore, an empty one, and configs naming the network file to come.
func setupDeploy(ctx context.Context, env *testscript.Env, rpcURL string) error {
	wd := env.WorkDir
	write := func(name, content string) error {
		return os.WriteFile(filepath.Join(wd, name), []byte(content), 0o600)
	}
	for name, content := range map[string]string{"pw": "correct horse\n", "wrongpw": "battery staple\n"} {
		if err := write(name, content); err != nil {
			return err
		}
	}
	acct, rc, err := fundedKeystore(ctx, rpcURL, filepath.Join(wd, "operator"))
	if err != nil {
		return err
	}
	defer rc.Close()
	ec := ethclient.NewClient(rc)
	empty, err := keystore.StoreKey(filepath.Join(wd, "empty"), "correct horse", keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		return err
	}
	id, err := ec.ChainID(ctx)
	if err != nil {
		return err
	}
	// A port that was just free: nothing listens there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	down := "http://" + l.Addr().String()
	l.Close()
	key, err := os.ReadFile(acct.URL.Path)
	if err != nil {
		return err
	}
	k, err := keystore.DecryptKey(key, "correct horse")
	if err != nil {
		return err
	}
	env.Setenv("RPC", rpcURL)
	env.Setenv("DOWNRPC", down)
	env.Setenv("CHAINID", id.String())
	env.Setenv("KEYSTORE", acct.URL.Path)
	env.Setenv("EMPTYKEY", empty.URL.Path)
	env.Setenv("OPKEY", hex.EncodeToString(crypto.FromECDSA(k.PrivateKey)))
	port := 20000 + time.Now().Nanosecond()%20000
	base := fmt.Sprintf("rpc = %q\nkeystore = %q\n", rpcURL, acct.URL.Path)
	for name, content := range map[string]string{
		"relay.toml":      base + fmt.Sprintf("data_dir = \"relaydata\"\nlisten = [\"/ip4/127.0.0.1/tcp/%d\"]\nnetwork = \"network.json\"\n", port),
		"client.toml":     base + "data_dir = \"clientdata\"\nnetwork = \"network.json\"\n",
		"otherchain.toml": base + "data_dir = \"clientdata\"\nnetwork = \"otherchain.json\"\n",
		"broken.toml":     base + "data_dir = \"clientdata\"\nnetwork = \"broken.json\"\n",
		"both.toml":       base + "data_dir = \"clientdata\"\nnetwork = \"network.json\"\n[contracts]\nregistry = \"0x0000000000000000000000000000000000000001\"\nvault = \"0x0000000000000000000000000000000000000002\"\ntickets = \"0x0000000000000000000000000000000000000003\"\n",
	} {
		if err := write(name, content); err != nil {
			return err
		}
	}
	return nil
}

// rechain copies the network file args[0] to args[1] with chain id args[2]:
// a file for another chain.
func rechain(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: rechain from to chain-id")
	}
	var n map[string]any
	if err := json.Unmarshal([]byte(ts.ReadFile(args[0])), &n); err != nil {
		ts.Fatalf("%v", err)
	}
	id, err := strconv.Atoi(args[2])
	if err != nil {
		ts.Fatalf("%v", err)
	}
	n["chain_id"] = id
	b, _ := json.Marshal(n)
	if err := os.WriteFile(ts.MkAbs(args[1]), b, 0o600); err != nil {
		ts.Fatalf("%v", err)
	}
}

// fundedKeystore makes a keystore in dir (password "correct horse") whose
// account the chain's dev account funds with 10 ETH, and returns it with
// the RPC connection it used.
func fundedKeystore(ctx context.Context, rpcURL, dir string) (accounts.Account, *rpc.Client, error) {
	acct, err := keystore.StoreKey(dir, "correct horse", keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		return acct, nil, err
	}
	rc, err := rpc.DialContext(ctx, rpcURL)
	if err != nil {
		return acct, nil, err
	}
	if err := chain.FundFromNode(ctx, rc, ethclient.NewClient(rc), chain.Ether(10), acct.Address); err != nil {
		rc.Close()
		return acct, nil, err
	}
	return acct, rc, nil
}
