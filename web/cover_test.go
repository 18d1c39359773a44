package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/murmurnet/murmur/devnet"
	"github.com/murmurnet/murmur/internal/testutil"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/node/cover"
)

// TestJSCoverTraffic: a JavaScript client (test/cover.mjs, Node.js) on a
// devnet on anvil reads the network from the chain and runs Loopix cover
// at the rates its provider announces (the devnet's, not the defaults):
// its payload, loop and drop streams come out at those rates, its
// message goes out in a payload slot and is answered, its loops come
// back to its mailbox, and the providers count exactly the drops it
// sent (nothing else in this devnet sends any).
func TestJSCoverTraffic(t *testing.T) {
	wasm, wasmExec := buildCore(t)
	needNodeModules(t)
	rpcURL := testutil.Anvil(t, "..")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// Rates faster than the defaults, so that a few seconds show them;
	// announced in the relays' descriptors. Nothing but the JavaScript
	// client sends cover: relays and the Go client run without.
	rates := cover.Rates{LambdaP: 6, LambdaL: 4, LambdaD: 3, LambdaM: 1, Mu: 20 * time.Millisecond}
	nw, err := devnet.Start(ctx, devnet.Options{RPC: rpcURL, NoPayments: true, NoCover: true, Cover: rates,
		EpochLength: 10 * time.Second, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nw.Close)
	bob, err := client.New(ctx, nw.ClientConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bob.Close() })
	network, err := nw.Network(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const seconds = 10
	in := map[string]any{"rpc": rpcURL, "network": network, "layers": nw.Opts.Layers, "provider": nw.ProviderWSAddr(0),
		"to": bob.Address().String(), "message": jsMessage, "seconds": seconds}
	tmp := t.TempDir()
	inPath, outPath := filepath.Join(tmp, "in.json"), filepath.Join(tmp, "out.json")
	b, _ := json.Marshal(in)
	if err := os.WriteFile(inPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "node", "test/cover.mjs", wasm, wasmExec, inPath, outPath)
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	(&jsWorld{nw: nw, bob: bob}).answer(t, ctx, done, logs.String)
	if err := <-done; err != nil {
		t.Fatalf("node: %v\n%s", err, logs.String())
	}
	var out struct {
		Rates struct {
			LambdaP, LambdaL, LambdaD, LambdaM, MuMs float64
		}
		Reply         string
		Seconds       float64
		SentAfterMs   float64
		LoopsReturned int
		Traffic       struct {
			Real, Drops, Loops, Failed, Skipped int
		}
	}
	if b, err = os.ReadFile(outPath); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	tr := out.Traffic
	t.Logf("JavaScript cover over %.1f s at %+v: %d real, %d drops, %d loops (%d back), %d failed, %d skipped; the message went out %.0f ms after it was queued",
		out.Seconds, out.Rates, tr.Real, tr.Drops, tr.Loops, out.LoopsReturned, tr.Failed, tr.Skipped, out.SentAfterMs-1000)

	r := out.Rates
	if r.LambdaP != rates.LambdaP || r.LambdaL != rates.LambdaL || r.LambdaD != rates.LambdaD || r.MuMs != 20 {
		t.Fatalf("the client runs at %+v, not the rates its provider announces (%+v)", r, rates)
	}
	if out.Reply != "hello back from Go" || tr.Real != 1 {
		t.Fatalf("the message: %d real packets sent, answer %q", tr.Real, out.Reply)
	}
	if tr.Failed > 0 || tr.Skipped > 0 {
		t.Errorf("%d cover packets failed and %d were skipped\n%s", tr.Failed, tr.Skipped, logs.String())
	}
	// Poisson counts over the run, held to about four standard deviations
	// either side of what the rates give.
	within := func(what string, got int, rate float64) {
		t.Helper()
		mean := rate * out.Seconds
		if lo, hi := mean-4*math.Sqrt(mean), mean+4*math.Sqrt(mean); float64(got) < lo || float64(got) > hi {
			t.Errorf("%s: %d packets in %.1f s, want %.0f–%.0f at %g/s", what, got, out.Seconds, lo, hi, rate)
		}
	}
	within("loops", tr.Loops, rates.LambdaL)
	within("payload slots and drops", tr.Real+tr.Drops, rates.LambdaP+rates.LambdaD)
	if out.LoopsReturned < tr.Loops*9/10 {
		t.Errorf("%d of %d loops came back", out.LoopsReturned, tr.Loops)
	}
	// Every drop reached a provider, and only those.
	dropped := func() int {
		n := 0
		for _, rl := range nw.Result.Relays[:nw.Opts.Providers] {
			n += int(rl.Node.Stats().CoverDropped)
		}
		return n
	}
	testutil.WaitFor(t, 10*time.Second, "the providers to count the client's drops", func() bool { return dropped() >= tr.Drops })
	if n := dropped(); n != tr.Drops {
		t.Errorf("the providers dropped %d cover packets, the client sent %d", n, tr.Drops)
	}
}
