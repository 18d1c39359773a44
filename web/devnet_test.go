package web

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/devnet"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/payments/tickets"
)

// strangerID is the peer ID of a key nobody holds.
func strangerID(t *testing.T) string {
	k, _, err := lcrypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return id.String()
}

// jsWorld is a devnet (free providers, no cover), a Go client bob at
// provider 2, and what a JavaScript client at provider 1 needs to write
// to bob: its provider's WebSocket address and a route of the current
// epoch (Session.sendWithReply's arguments).
type jsWorld struct {
	nw     *devnet.Network
	bob    *client.Client
	config map[string]any
}

const jsMessage = "hello from JavaScript, through five hops"

func newJSWorld(t *testing.T, ctx context.Context) *jsWorld {
	t.Helper()
	nw, err := devnet.Start(ctx, devnet.Options{NoPayments: true, NoCover: true, EpochLength: 10 * time.Second, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nw.Close)
	bob, err := client.New(ctx, nw.ClientConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bob.Close() })

	// Route in an epoch with time left, so that the packets and the reply
	// block stay valid while the test runs.
	if left := time.Until(nw.Epochs.Next(time.Now())); left < 7*time.Second {
		time.Sleep(left) // to the next boundary: a whole epoch ahead
	}
	e := nw.Epochs.At(time.Now())
	dir := nw.Result.Relays[0].Node.Directory()
	topo, ok := dir.Topology(e)
	if !ok {
		if topo, ok = dir.Topology(e - 1); !ok {
			t.Fatalf("no topology for epoch %d", e)
		}
	}
	hopOf := func(nodeKey [32]byte) map[string]string {
		k, ok := dir.SphinxKey(e, nodeKey)
		if !ok {
			t.Fatalf("no Sphinx key of %x for epoch %d", nodeKey, e)
		}
		return map[string]string{"id": hex.EncodeToString(nodeKey[:]), "key": hex.EncodeToString(k[:])}
	}
	var mixes []map[string]string
	for _, l := range topo.Layers {
		mixes = append(mixes, hopOf(l[0].NodeKey))
	}
	addr := bob.Address()
	ws := nw.ProviderWSAddr(0)
	if !strings.Contains(ws, "/ws/") {
		t.Fatalf("provider 1 listens on no WebSocket: %v", nw.Result.Relays[0].Node.Addrs())
	}
	return &jsWorld{nw: nw, bob: bob, config: map[string]any{
		"provider": ws, "epoch": e, "message": jsMessage,
		"own": hopOf(nw.Result.Relays[0].NodeKey), "mixes": mixes,
		"to": map[string]any{"provider": hopOf(addr.Provider), "mailbox": hex.EncodeToString(addr.Mailbox[:]), "key": hex.EncodeToString(addr.Key[:])},
	}}
}

// answer has bob take the JavaScript client's message and reply through
// its reply block, unless ended says the JavaScript side stopped first.
func (w *jsWorld) answer(t *testing.T, ctx context.Context, ended <-chan error, logs func() string) {
	t.Helper()
	rctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	type received struct {
		m   *client.Message
		err error
	}
	got := make(chan received, 1)
	go func() { m, err := w.bob.Receive(rctx); got <- received{m, err} }()
	var m *client.Message
	select {
	case r := <-got:
		if r.err != nil {
			t.Fatalf("the Go client received nothing: %v\n%s", r.err, logs())
		}
		m = r.m
	case err := <-ended:
		t.Fatalf("the JavaScript client ended before the Go client received anything: %v\n%s", err, logs())
	}
	if string(m.Body) != jsMessage || m.ReplySURB == nil {
		t.Fatalf("the Go client received %q (reply block %v)", m.Body, m.ReplySURB != nil)
	}
	if err := w.bob.Reply(ctx, m, []byte("hello back from Go")); err != nil {
		t.Fatal(err)
	}
}

// TestJSClientThroughDevnet: a client written in JavaScript (js-libp2p
// over WebSockets, the WebAssembly core), run by Node.js, sends a message
// through a devnet's relays (five hops over real libp2p connections) to a
// Go client, and gets the Go client's answer back through the reply block
// it attached. The route is handed to it by this test: reading the
// topology in the page is still to be built (web/README.md).
func TestJSClientThroughDevnet(t *testing.T) {
	wasm, wasmExec := buildCore(t)
	needNodeModules(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	w := newJSWorld(t, ctx)
	in := w.config
	in["deadProvider"] = "/ip4/127.0.0.1/tcp/9/ws/p2p/" + strangerID(t) // nothing listens there
	tmp := t.TempDir()
	inPath, outPath := filepath.Join(tmp, "in.json"), filepath.Join(tmp, "out.json")
	b, _ := json.Marshal(in)
	if err := os.WriteFile(inPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "node", "test/devnet.mjs", wasm, wasmExec, inPath, outPath)
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	w.answer(t, ctx, done, logs.String)
	if err := <-done; err != nil {
		t.Fatalf("node: %v\n%s", err, logs.String())
	}
	var out struct {
		Reply                      string
		ConnectMs, SentMs, ReplyMs float64
		DeadError                  string
	}
	b, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Reply != "hello back from Go" {
		t.Fatalf("the JavaScript client got %q back", out.Reply)
	}
	if !strings.Contains(out.DeadError, "cannot reach the provider") {
		t.Fatalf("dialling a provider that is not there: %q", out.DeadError)
	}
	t.Logf("JavaScript client: connected and registered in %.0f ms, sent at %.0f ms, the answer back at %.0f ms", out.ConnectMs, out.SentMs, out.ReplyMs)
}

func needNodeModules(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("node_modules/libp2p"); err != nil {
		t.Fatal("web/node_modules lacks js-libp2p: run make deps (npm install in web/)")
	}
}

// TestJSBuysAndSpendsTickets: a JavaScript client (test/buy.mjs, Node.js)
// buys tickets from a devnet's issuer over /murmur/tickets/2 with a Vault
// cheque signed by a local key, finishes a purchase again as one that
// lost the answer would, is refused an underpaying and a forged cheque,
// and spends tickets at its provider for prepaid packets. The tickets
// verify in Go under the key the issuer published on-chain, and the
// provider holds the credited packets for the client's peer ID.
func TestJSBuysAndSpendsTickets(t *testing.T) {
	wasm, wasmExec := buildCore(t)
	needNodeModules(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	nw, err := devnet.Start(ctx, devnet.Options{NoCover: true, EpochLength: 10 * time.Second, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nw.Close)
	iss, issWS := issuerWS(t, nw)
	payer, key := fundedPayer(t, ctx, nw)
	in := map[string]any{"issuer": issWS, "provider": nw.ProviderWSAddr(0), "chainId": nw.Chain.ChainID().Uint64(),
		"vault": nw.Result.Contracts.Vault.Hex(), "payer": payer.Hex(), "payee": iss.Operator.Hex(),
		"payerKey": hex.EncodeToString(crypto.FromECDSA(key))}
	tmp := t.TempDir()
	inPath, outPath := filepath.Join(tmp, "in.json"), filepath.Join(tmp, "out.json")
	b, _ := json.Marshal(in)
	if err := os.WriteFile(inPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if o, err := exec.CommandContext(ctx, "node", "test/buy.mjs", wasm, wasmExec, inPath, outPath).CombinedOutput(); err != nil {
		t.Fatalf("node: %v\n%s", err, o)
	}
	var out struct {
		PeerID                      string
		KeyEpoch, Packets           uint64
		Tickets                     []string
		Verified, ResumedSame       bool
		PendingLeft                 int
		Errors                      map[string]string
		Paid                        string
		Credited, Balance           uint64
		TwiceRefused, TwiceCredited int
	}
	if b, err = os.ReadFile(outPath); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Tickets) != 3 || !out.Verified {
		t.Fatalf("the JavaScript client bought %d tickets (verified in JavaScript: %v)", len(out.Tickets), out.Verified)
	}
	// The tickets verify in Go under the key published on-chain.
	onchain, err := nw.Chain.IssuerKey(ctx, iss.Operator, out.KeyEpoch)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := tickets.DecodeG2EIP2537(onchain.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	ik := tickets.IssuerKey{ChainID: nw.Chain.ChainID().Uint64(), Epoch: out.KeyEpoch, PublicKey: pk}
	for i, h := range out.Tickets {
		tk, err := tickets.DecodeTicket(common.FromHex(h))
		if err != nil {
			t.Fatalf("ticket %d: %v", i, err)
		}
		if err := ik.Verify(tk); err != nil {
			t.Errorf("ticket %d does not verify in Go: %v", i, err)
		}
	}
	if !out.ResumedSame || out.PendingLeft != 0 {
		t.Errorf("a purchase sent again: same tickets %v, %d purchases left pending", out.ResumedSame, out.PendingLeft)
	}
	for name, want := range map[string]string{"underpaid": "insufficient payment", "forged": "invalid signature"} {
		if !strings.Contains(out.Errors[name], want) {
			t.Errorf("the %s order: %q, want it to say %q", name, out.Errors[name], want)
		}
	}
	if out.Credited != 2*out.Packets || out.TwiceRefused != 2 || out.TwiceCredited != 0 {
		t.Errorf("spending 2 tickets of %d packets credited %d; again, %d refused as spent and %d credited", out.Packets, out.Credited, out.TwiceRefused, out.TwiceCredited)
	}
	id, err := peer.Decode(out.PeerID)
	if err != nil {
		t.Fatal(err)
	}
	if bal, err := nw.Result.Relays[0].Node.PrepaidBalance(id); err != nil || bal != out.Balance || bal < out.Credited {
		t.Errorf("the provider holds %d prepaid packets for the client (%v); the client was told %d", bal, err, out.Balance)
	}
	t.Logf("bought 4 tickets for %s wei, spent 2 for %d packets; refusals: %q", out.Paid, out.Credited, out.Errors)
}

// issuerWS finds the devnet's issuer and its WebSocket multiaddr.
func issuerWS(t *testing.T, nw *devnet.Network) (*devnet.Relay, string) {
	t.Helper()
	for i := range nw.Result.Relays {
		r := &nw.Result.Relays[i]
		if r.Roles&chain.RoleIssuer == 0 {
			continue
		}
		for _, a := range r.Node.Addrs() {
			if _, err := a.ValueForProtocol(ma.P_WS); err == nil {
				return r, fmt.Sprintf("%s/p2p/%s", a, r.PeerID)
			}
		}
		t.Fatalf("the issuer listens on no WebSocket: %v", r.Node.Addrs())
	}
	t.Fatal("the devnet has no issuer")
	return nil, ""
}

// fundedPayer is a fresh account with ETH and a Vault deposit of 0.1 ETH.
func fundedPayer(t *testing.T, ctx context.Context, nw *devnet.Network) (common.Address, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := nw.NewPayer(ctx, big.NewInt(1e17))
	if err != nil {
		t.Fatal(err)
	}
	return crypto.PubkeyToAddress(key.PublicKey), key
}
