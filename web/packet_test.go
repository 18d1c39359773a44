package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/murmurnet/murmur/sphinx"
)

// TestBrowserPacketSpeed builds five-hop packets with the core in
// headless Chromium (test/packet-page.js) on a machine doing nothing
// else; Go relays unwrap a few, and the test sets the page's speed
// against Go's NewPacket on the same route, timed here just after (issue
// 14's figure). The demo page's own figure is taken with a devnet
// running on the same two cores.
func TestBrowserPacketSpeed(t *testing.T) {
	browser := chromium(t)
	wasm, wasmExec := buildCore(t)
	needNodeModules(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	g := sphinx.DefaultGeometry()
	keys := make([]*sphinx.PrivateKey, g.Hops)
	ids := make([]sphinx.NodeID, g.Hops)
	var relays []hop
	for i := range keys {
		k, err := sphinx.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = k
		rand.Read(ids[i][:])
		pub := k.Public()
		relays = append(relays, hop{ID: hex.EncodeToString(ids[i][:]), Key: hex.EncodeToString(pub[:])})
	}
	var mailbox sphinx.MailboxID
	rand.Read(mailbox[:])
	const message = "built in the browser"
	const packets, rounds = 200, 3
	dir := buildPageOf(t, "test/packet-page.js", wasm, wasmExec, map[string]any{
		"relays": relays, "mailbox": hex.EncodeToString(mailbox[:]), "message": message, "packets": packets, "rounds": rounds})
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	bctx := startBrowser(t, ctx, browser)
	// Polling only once the page's own document is ready: a poll begun in
	// the blank page's context fails when that context goes away.
	if _, err := chromedp.Run(bctx, chromedp.Navigate(srv.URL+"/index.html")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(bctx, chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	type result struct {
		Packets    []string
		Rounds     []float64 // µs a packet, src/packet.js: the client's builder
		CoreRounds []float64 // µs a packet, the core's newPacket alone
		Error      string
	}
	r, err := chromedp.Run(bctx, chromedp.Poll[result]("window.murmurResult", chromedp.WithPollingTimeout(time.Minute)))
	if err != nil {
		t.Fatal(err)
	}
	if r.Error != "" {
		t.Fatalf("the page failed: %s", r.Error)
	}

	proc, err := sphinx.NewProcessor(g)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Packets) == 0 {
		t.Fatal("the page returned no packets")
	}
	for _, p := range r.Packets {
		pkt, err := hex.DecodeString(p)
		if err != nil || len(pkt) != g.PacketSize() {
			t.Fatalf("a packet of %d bytes (%v)", len(pkt), err)
		}
		for i, k := range keys {
			res, err := proc.Unwrap(k, pkt)
			if err != nil {
				t.Fatalf("hop %d: %v", i, err)
			}
			if d, ok := res.Command.(sphinx.Deliver); ok {
				if i != len(keys)-1 || d.Mailbox != mailbox || string(res.Payload) != message {
					t.Fatalf("hop %d delivered %q to %x", i, res.Payload, d.Mailbox)
				}
				break
			}
			pkt = res.Packet
		}
	}

	path := make([]sphinx.Hop, len(keys))
	for i := range path {
		path[i] = sphinx.Hop{ID: ids[i], PublicKey: keys[i].Public(), Command: sphinx.Relay{Next: ids[min(i+1, len(ids)-1)]}}
	}
	path[len(path)-1].Command = sphinx.Deliver{Mailbox: mailbox}
	var goRounds []float64
	for range rounds {
		start := time.Now()
		for range packets {
			if _, err := sphinx.NewPacket(rand.Reader, g, path, []byte(message)); err != nil {
				t.Fatal(err)
			}
		}
		goRounds = append(goRounds, float64(time.Since(start).Microseconds())/packets)
	}
	if len(r.Rounds) != rounds || len(r.CoreRounds) != rounds {
		t.Fatalf("the page timed %d and %d rounds, want %d", len(r.Rounds), len(r.CoreRounds), rounds)
	}
	page, core, goMicros := median(r.Rounds), median(r.CoreRounds), median(goRounds)
	t.Logf("a five-hop packet, median of %d rounds of %d: %.0f µs in Chromium (rounds %.0f), the core alone %.0f µs (%.0f), Go %.0f µs (%.0f): %.1f× Go (the core alone %.1f×)",
		rounds, packets, page, r.Rounds, core, r.CoreRounds, goMicros, goRounds, page/goMicros, core/goMicros)
}

// median returns the middle of xs (sorted in place).
func median(xs []float64) float64 {
	slices.Sort(xs)
	return xs[len(xs)/2]
}
