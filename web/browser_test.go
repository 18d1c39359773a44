package web

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/murmurnet/murmur/devnet"
	"github.com/murmurnet/murmur/internal/testutil"
	"github.com/murmurnet/murmur/node/client"
)

// chromium finds the browser, or says why there is none: the test fails
// when MURMUR_BROWSER_REQUIRED is set (CI installs Chromium), and is
// skipped, loudly, otherwise.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const why = "NO BROWSER: install Chromium (apt-get install chromium) to run the browser client's test"
	if os.Getenv("MURMUR_BROWSER_REQUIRED") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
	return ""
}

// startBrowser starts headless Chromium for the test, stopped with it.
// It waits up to a minute for the browser to come up (chromedp's default
// is 20 s): a machine busy with a devnet can take that long.
func startBrowser(t *testing.T, ctx context.Context, browser string) context.Context {
	t.Helper()
	actx, acancel := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU, chromedp.WSURLReadTimeout(time.Minute))...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	if _, err := chromedp.Run(bctx, chromedp.Navigate("about:blank")); err != nil { // starts the browser
		t.Fatalf("starting Chromium: %v", err)
	}
	return bctx
}

// buildPage writes the demo page, its bundle (esbuild), the core and
// config.json (unless config is nil: a devnet serves its own) into a
// directory to serve.
func buildPage(t *testing.T, wasm, wasmExec string, config map[string]any) string {
	t.Helper()
	return buildPageOf(t, "demo/demo.js", wasm, wasmExec, config)
}

// buildPageOf is buildPage with another script (bundled as demo.js) in
// the demo's HTML.
func buildPageOf(t *testing.T, script, wasm, wasmExec string, config map[string]any) string {
	t.Helper()
	dir := t.TempDir()
	esbuild := exec.Command("node_modules/.bin/esbuild", script, "--bundle", "--minify", "--format=esm", "--platform=browser",
		"--outfile="+filepath.Join(dir, "demo.js"))
	if out, err := esbuild.CombinedOutput(); err != nil {
		t.Fatalf("bundling the page: %v\n%s", err, out)
	}
	copyFile := func(from, to string) {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile("demo/index.html", "index.html")
	copyFile(wasm, "murmur.wasm")
	copyFile(wasmExec, "wasm_exec.js")
	if config != nil {
		b, _ := json.Marshal(config)
		if err := os.WriteFile(filepath.Join(dir, "config.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestBrowserClient: `murmur devnet --web` (devnet.Run with Web) on anvil,
// its providers charging, serves the demo page, and headless Chromium
// loads it. Given the chain's RPC URL, the network file, its provider's
// WebSocket address and the devnet's echo client's Murmur address (the
// devnet's config.json), the page's client (the WebAssembly core,
// js-libp2p) finds the issuer in the topology and buys tickets with a
// cheque signed through an EIP-1193 wallet (a stand-in signing with the
// devnet's test key), keeps them in IndexedDB, spends them at its
// provider, reads the epoch's topology from the registry, fetches and
// verifies the relays' descriptors from its provider, sends a message
// through five hops to the echo client, and shows its answer, which came
// back through the reply block it attached.
func TestBrowserClient(t *testing.T) {
	browser := chromium(t)
	wasm, wasmExec := buildCore(t)
	needNodeModules(t)
	rpcURL := testutil.Anvil(t, "..")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	bctx := startBrowser(t, ctx, browser) // before the devnet loads the machine

	dir := buildPage(t, wasm, wasmExec, nil)
	listen := fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t))
	var out testutil.SyncBuffer
	dctx, dcancel := context.WithCancel(ctx)
	ran := make(chan error, 1)
	go func() {
		_, err := devnet.Run(dctx, devnet.Options{RPC: rpcURL, EpochLength: 10 * time.Second,
			Keep: true, Web: dir, WebListen: listen, Out: &out, Logger: slog.New(slog.DiscardHandler)})
		ran <- err
	}()
	defer func() { dcancel(); <-ran }()
	var config struct {
		Message string
		Buy     struct {
			Tickets int
			Payer   string
		}
		Cards struct{ Echo string }
		To    string
	}
	for testutil.GetJSON("http://"+listen+"/config.json", &config) != nil {
		select {
		case err := <-ran:
			t.Fatalf("the devnet ended before it served the page: %v\n%s", err, out.String())
		case <-ctx.Done():
			t.Fatalf("the devnet served no page:\n%s", out.String())
		case <-time.After(200 * time.Millisecond):
		}
	}
	// The ticket the issuer published, as the devnet reported it.
	published := regexp.MustCompile(`published its ticket key of key epoch \d+ on-chain: (\d+) packets`).FindStringSubmatch(out.String())
	if published == nil {
		t.Fatalf("the devnet reported no ticket key:\n%s", out.String())
	}
	ticketPackets, _ := strconv.Atoi(published[1])

	logs := func() string {
		lctx, c := context.WithTimeout(bctx, 2*time.Second)
		defer c()
		s, err := chromedp.Run(lctx, chromedp.Evaluate[string](`document.getElementById("log").textContent`))
		if err != nil {
			s = "(none)"
		}
		return "page log:\n" + s + "\ndevnet:\n" + out.String()
	}
	loaded := time.Now()
	if _, err := chromedp.Run(bctx, chromedp.Navigate("http://"+listen+"/")); err != nil {
		t.Fatalf("loading the page: %v", err)
	}
	type pageResult struct {
		Reply                            string
		SentMs, ReplyMs, NewPacketMicros float64
		Tickets, Credited, TicketPackets int
		Traffic                          *struct{ Real, Drops, Loops, LoopsReturned, Failed int }
		Cards                            *struct {
			Echo, EchoMailbox, Own, OwnMailbox, Mailbox string
			EchoLookupMs                                float64
			Lookups                                     int
			Conversation                                struct {
				Sent, Answer, Status string
				Ms                   float64
			}
		}
		Error string
	}
	result, err := chromedp.Run(bctx, chromedp.Poll[pageResult]("window.murmurResult", chromedp.WithPollingTimeout(2*time.Minute)))
	if err != nil {
		t.Fatalf("waiting for the page: %v\n%s", err, logs())
	}
	if want := "echo: " + config.Message; result.Error != "" || result.Reply != want {
		t.Fatalf("the page got %q (error %q), want %q\n%s", result.Reply, result.Error, want, logs())
	}
	if result.Tickets != config.Buy.Tickets || result.Tickets == 0 || result.TicketPackets != ticketPackets || result.Credited != result.Tickets*ticketPackets {
		t.Fatalf("the page bought %d tickets of %d packets and was credited %d packets, want %d tickets of %d packets\n%s",
			result.Tickets, result.TicketPackets, result.Credited, config.Buy.Tickets, ticketPackets, logs())
	}
	// The page ran cover (the devnet does): its message, its card lookups
	// and its conversation's packets went out in payload slots, and no
	// cover packet failed.
	if tr := result.Traffic; tr == nil || result.Cards == nil || tr.Real < 1+result.Cards.Lookups || result.Cards.Lookups < 2 || tr.Failed != 0 {
		t.Fatalf("the page's traffic: %+v, cards %+v: want 1 real packet and one a lookup, and no failures\n%s", tr, result.Cards, logs())
	}
	// Cards: the page published its own and looked up, through the
	// mixnet, the echo client's (its mailbox that of the address the page
	// wrote to) and its own (replicated from its provider to the others).
	echoAddr, err := client.ParseAddress(config.To)
	if err != nil {
		t.Fatal(err)
	}
	if c := result.Cards; c == nil || c.Echo != config.Cards.Echo || c.EchoMailbox != hex.EncodeToString(echoAddr.Mailbox[:]) ||
		!strings.EqualFold(c.Own, config.Buy.Payer) || c.OwnMailbox != c.Mailbox {
		t.Fatalf("the page's cards: %+v (the echo client is %s at mailbox %x)\n%s", result.Cards, config.Cards.Echo, echoAddr.Mailbox, logs())
	}
	// And a conversation by account: the echo client's messenger answered
	// the page's message in the same conversation, which acknowledged it.
	if cv := result.Cards.Conversation; cv.Answer != "echo: "+cv.Sent || cv.Sent == "" || cv.Status != "delivered" {
		t.Fatalf("the page's conversation with the echo client: %+v\n%s", cv, logs())
	}
	if !strings.Contains(out.String(), "by account") {
		t.Errorf("the devnet's echo client did not report answering by account:\n%s", out.String())
	}
	if !strings.Contains(out.String(), fmt.Sprintf("echo: answered %q", config.Message)) {
		t.Errorf("the devnet's echo client did not report the answer:\n%s", out.String())
	}
	t.Log(logs())
	t.Logf("Chromium: page load to message sent %.0f ms, to the answer back %.0f ms (%s in all); NewPacket %.0f µs in the page; a card looked up in %.0f ms; a conversation's message answered in %.0f ms",
		result.SentMs, result.ReplyMs, time.Since(loaded).Round(time.Millisecond), result.NewPacketMicros, result.Cards.EchoLookupMs, result.Cards.Conversation.Ms)
}

// TestBrowserIdentityPersists: the page keeps its identity (libp2p key,
// X25519 key) in IndexedDB: loaded again, it is the same client at the
// same address; a corrupt store is a clear error, not a new identity.
func TestBrowserIdentityPersists(t *testing.T) {
	browser := chromium(t)
	wasm, wasmExec := buildCore(t)
	needNodeModules(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv := httptest.NewServer(http.FileServer(http.Dir(buildPage(t, wasm, wasmExec, map[string]any{"identityOnly": true, "store": "murmur-test"}))))
	defer srv.Close()
	bctx := startBrowser(t, ctx, browser)
	type identity struct {
		PeerID, X25519, Error string
		Fresh                 bool
	}
	load := func() identity {
		t.Helper()
		if _, err := chromedp.Run(bctx, chromedp.Navigate(srv.URL+"/index.html")); err != nil {
			t.Fatal(err)
		}
		r, err := chromedp.Run(bctx, chromedp.Poll[identity]("window.murmurResult", chromedp.WithPollingTimeout(30*time.Second)))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := load()
	if first.Error != "" || !first.Fresh || first.PeerID == "" || len(first.X25519) != 64 {
		t.Fatalf("first load: %+v", first)
	}
	again := load()
	if again.Error != "" || again.Fresh || again.PeerID != first.PeerID || again.X25519 != first.X25519 {
		t.Fatalf("loaded again: %+v, first %+v", again, first)
	}
	// Corrupt the kept record: the page says so and makes no new identity.
	corrupt := `new Promise((resolve, reject) => {
		const r = indexedDB.open("murmur-test", 1);
		r.onsuccess = () => {
			const tx = r.result.transaction("identity", "readwrite");
			tx.objectStore("identity").put({libp2p: new Uint8Array([1, 2, 3]), x25519: new Uint8Array(32)}, "self");
			tx.oncomplete = () => { r.result.close(); resolve("done"); };
			tx.onerror = () => reject(tx.error);
		};
		r.onerror = () => reject(r.error);
	})`
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[string](corrupt, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	bad := load()
	if !strings.Contains(bad.Error, "corrupt") || bad.PeerID != "" {
		t.Fatalf("a corrupt store: %+v", bad)
	}
}
