package web

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/ethereum/go-ethereum/crypto"
)

// TestBrowserWallet runs the ticket wallet (src/wallet.js) in headless
// Chromium's IndexedDB (test/wallet-page.js, one step a load): a finished
// purchase's tickets, a pending purchase and the cheque book survive a
// reload; tickets leave only once spent (one handed back stays, a spender
// that fails keeps all); a corrupt record is an error that names it and
// is left in place; the EIP-1193 signer says so when there is no
// provider, when the user rejects, when the wallet signs as another
// account (nothing paid in each case), and asks eth_signTypedData_v4 for the Vault's typed data.
func TestBrowserWallet(t *testing.T) {
	browser := chromium(t)
	wasm, wasmExec := buildCore(t)
	needNodeModules(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	raw, err := os.ReadFile("../contracts/testdata/tickets.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors map[string]any
	if err := json.Unmarshal(raw, &vectors); err != nil {
		t.Fatal(err)
	}
	payerKey, _ := crypto.GenerateKey()
	otherKey, _ := crypto.GenerateKey()
	payer := crypto.PubkeyToAddress(payerKey.PublicKey)
	config := map[string]any{"store": "wallet-test", "vectors": vectors, "vault": "0x00000000000000000000000000000000000000aa",
		"payer": payer.Hex(), "payee": "0x00000000000000000000000000000000000000bb",
		"payerKey": hex.EncodeToString(crypto.FromECDSA(payerKey)), "other": crypto.PubkeyToAddress(otherKey.PublicKey).Hex(), "otherKey": hex.EncodeToString(crypto.FromECDSA(otherKey))}
	dir := buildPageOf(t, "test/wallet-page.js", wasm, wasmExec, config)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	bctx := startBrowser(t, ctx, browser)
	run := pageSteps(t, bctx, srv.URL, dir, config)

	var fill struct {
		Cumulative, Signer, Threw string
		Spent, Handed             int
	}
	run("fill", &fill)
	if fill.Cumulative != "18" || !strings.EqualFold(fill.Signer, payer.Hex()) || fill.Spent != 1 || fill.Handed != 2 || !strings.Contains(fill.Threw, "unreachable") {
		t.Fatalf("fill: %+v", fill)
	}
	tks := vectors["tickets"].([]any)
	var check struct {
		Pending                                int
		PendingSerial, PendingCumulative, Paid string
		Balance                                string
		Tickets                                []string
	}
	run("check", &check)
	wire := func(i int) string { return strings.TrimPrefix(tks[i].(map[string]any)["wire"].(string), "0x") }
	if check.Pending != 1 || check.PendingSerial != strings.TrimPrefix(tks[3].(map[string]any)["serial"].(string), "0x") || check.PendingCumulative != "24" ||
		check.Paid != "18" || check.Balance != "7:2" || len(check.Tickets) != 2 {
		t.Fatalf("after a reload: %+v", check)
	}
	held := map[string]bool{check.Tickets[0]: true, check.Tickets[1]: true}
	if n := map[bool]int{true: 1}[held[wire(0)]] + map[bool]int{true: 1}[held[wire(1)]] + map[bool]int{true: 1}[held[wire(2)]]; n != 2 {
		t.Fatalf("the wallet holds %v, want two of the three bought", check.Tickets)
	}

	var corrupt struct {
		Balance string
		Kept    int
	}
	run("corrupt", &corrupt)
	if !strings.Contains(corrupt.Balance, "record bogus of tickets") || !strings.Contains(corrupt.Balance, "corrupt") || corrupt.Kept != 3 {
		t.Fatalf("a corrupt record: %+v", corrupt)
	}

	// A store that fills: the wallet in a storage bucket of 256 KB.
	config["quota"] = 256 << 10
	var full struct {
		Kept, Pending           int
		Refusal, LastCumulative string
		Full                    bool
	}
	run("full", &full)
	if full.Kept == 0 || !full.Full || !strings.Contains(full.Refusal, "the store is full (nothing was changed)") ||
		full.Pending != full.Kept || full.LastCumulative != fmt.Sprint(full.Kept) {
		t.Fatalf("a full store: %+v", full)
	}
	t.Logf("a wallet in a bucket of 256 KB kept %d purchases of 64 tickets, then: %s", full.Kept, full.Refusal)

	var sig struct {
		None, Rejected, Other, Good, Method string
		Typed                               struct {
			PrimaryType string
			Domain      struct {
				Name, Version, VerifyingContract string
				ChainID                          uint64
			}
			Message struct{ Payer, Payee, CumulativeAmount string }
		}
	}
	run("signer", &sig)
	for name, want := range map[string]string{"none": "no Ethereum wallet", "rejected": "rejected in the wallet", "other": "not " + payer.Hex() + "'s on this cheque"} {
		got := map[string]string{"none": sig.None, "rejected": sig.Rejected, "other": sig.Other}[name]
		if !strings.Contains(got, want) || !strings.Contains(got, "nothing was paid") {
			t.Errorf("signer, %s: %q, want %q", name, got, want)
		}
	}
	if len(sig.Good) != 130 || sig.Method != "eth_signTypedData_v4" || sig.Typed.PrimaryType != "Cheque" || sig.Typed.Domain.Name != "Murmur Vault" ||
		sig.Typed.Domain.ChainID != 31337 || sig.Typed.Message.CumulativeAmount != "42" {
		t.Errorf("signer, a good wallet: %+v", sig)
	}
}

// pageSteps returns a function that runs one step of a test page: it
// writes config (with the step) as the page's config.json, loads the page
// and decodes the step's result (window.murmurResult) into out, failing
// the test when the page failed.
func pageSteps(t *testing.T, bctx context.Context, url, dir string, config map[string]any) func(step string, out any) {
	return func(step string, out any) {
		t.Helper()
		config["step"] = step
		b, _ := json.Marshal(config)
		if err := os.WriteFile(filepath.Join(dir, "config.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		// A URL of its own per step: the browser does not load the same one again.
		if _, err := chromedp.Run(bctx, chromedp.Navigate(url+"/index.html?step="+step)); err != nil {
			t.Fatal(err)
		}
		// The step's own result: a poll may still see the last page's.
		r, err := chromedp.Run(bctx, chromedp.Poll[json.RawMessage](fmt.Sprintf("window.murmurResult && window.murmurResult.step === %q && window.murmurResult", step), chromedp.WithPollingTimeout(30*time.Second)))
		if err != nil {
			last, _ := chromedp.Run(bctx, chromedp.Evaluate[json.RawMessage]("window.murmurResult ?? null"))
			t.Fatalf("%s: %v (the page's result: %s)", step, err, last)
		}
		var e struct{ Error string }
		if json.Unmarshal(r, &e) == nil && e.Error != "" {
			t.Fatalf("%s: the page failed: %s", step, e.Error)
		}
		if err := json.Unmarshal(r, out); err != nil {
			t.Fatalf("%s: %v (%s)", step, err, r)
		}
	}
}
