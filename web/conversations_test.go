package web

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/messaging/session"
)

// TestConversationInterop: a conversation between the page's core (under
// Node.js, its records in memory and handed over between two runs, as
// IndexedDB keeps them across page loads) and Go's messaging/session. The
// page signs its contact card with a local key (its typed data is what
// go-ethereum hashes for eth_signTypedData_v4), checks Bob's card and
// refuses it for another chain, and starts a PQXDH conversation; Bob opens
// its three messages in order and answers twice; the page, opened again
// from its records, refuses a tampered answer and a replayed one, reads
// both, and answers, which Bob reads.
func TestConversationInterop(t *testing.T) {
	wasm, wasmExec := buildCore(t)
	const chain = 1337
	bob, bobCard, bobCardBytes := goUser(t, chain)
	bc := bobCard.Card

	aliceKey, _ := crypto.GenerateKey()
	alice := crypto.PubkeyToAddress(aliceKey.PublicKey)
	sent := []string{"one", "two", "three"}
	type startOut struct {
		TypedData, Digest, Card, BadSignature, OtherChain, PeerAccount, ID string
		Messages                                                           []string
		Records                                                            [][2]string
	}
	var s1 startOut
	runCoreScript(t, "test/conversations.mjs", wasm, wasmExec, "start", map[string]any{
		"chainId": chain, "account": alice.Hex(), "accountKey": hex.EncodeToString(crypto.FromECDSA(aliceKey)),
		"provider": strings.Repeat("0a", 32), "mailbox": strings.Repeat("0b", 32), "sealKey": strings.Repeat("0c", 32),
		"peerCard": hex.EncodeToString(bobCardBytes), "send": sent,
	}, &s1)

	// The page's card: Go decodes and verifies it, and its typed data
	// hashes, through go-ethereum, to the digest the page gave.
	var ac card.Signed
	if err := ac.UnmarshalBinary(unhex(t, s1.Card)); err != nil {
		t.Fatal(err)
	}
	if err := ac.Verify(chain, time.Now()); err != nil {
		t.Fatalf("the page's card: %v", err)
	}
	if ac.Account != alice || ac.Mailbox != [32]byte(bytes.Repeat([]byte{0x0b}, 32)) {
		t.Fatalf("the page's card names %s, mailbox %x", ac.Account.Hex(), ac.Mailbox)
	}
	var td apitypes.TypedData
	if err := json.Unmarshal([]byte(s1.TypedData), &td); err != nil {
		t.Fatal(err)
	}
	h, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := ac.Digest(); hex.EncodeToString(h) != s1.Digest[2:] || d.Hex() != s1.Digest {
		t.Fatalf("digest: page %s, go-ethereum %x, Go %s", s1.Digest, h, d.Hex())
	}
	if !strings.Contains(s1.BadSignature, "signature") || !strings.Contains(s1.OtherChain, "another chain") {
		t.Fatalf("refusals: a wrong signature %q, a card for chain 1337 on chain 1: %q", s1.BadSignature, s1.OtherChain)
	}
	if s1.PeerAccount != bc.Account.Hex() {
		t.Fatalf("the page read Bob's card as %s", s1.PeerAccount)
	}

	// Bob reads the three in order, and answers twice.
	var bobID session.ID
	for i, m := range s1.Messages {
		id, peer, pt, err := bob.Open(unhex(t, m))
		if err != nil {
			t.Fatalf("Bob opening message %d: %v", i, err)
		}
		if string(pt) != sent[i] || peer != ac.Identity {
			t.Fatalf("Bob read %q from %x", pt, peer)
		}
		bobID = id
	}
	var replies []string
	for _, r := range []string{"four", "five"} {
		m, err := bob.Seal(bobID, []byte(r))
		if err != nil {
			t.Fatal(err)
		}
		replies = append(replies, hex.EncodeToString(m))
	}

	type resumeOut struct {
		Tampered, Replayed string
		Received           []struct{ ID, Peer, Text string }
		Messages           []string
	}
	var s2 resumeOut
	runCoreScript(t, "test/conversations.mjs", wasm, wasmExec, "resume", map[string]any{
		"records": s1.Records, "replies": replies, "id": s1.ID, "send": []string{"six"},
	}, &s2)
	t.Logf("refused: a wrong signature (%s), another chain (%s), a tampered answer (%s), a replayed one (%s)", s1.BadSignature, s1.OtherChain, s2.Tampered, s2.Replayed)
	if s2.Tampered == "" || s2.Replayed == "" {
		t.Fatalf("a tampered answer refused with %q, a replayed one with %q", s2.Tampered, s2.Replayed)
	}
	if len(s2.Received) != 2 || s2.Received[0].Text != "four" || s2.Received[1].Text != "five" ||
		s2.Received[0].ID != s1.ID || s2.Received[0].Peer != hex.EncodeToString(bc.Identity[:]) {
		t.Fatalf("the page read %+v", s2.Received)
	}
	_, _, pt, err := bob.Open(unhex(t, s2.Messages[0]))
	if err != nil || string(pt) != "six" {
		t.Fatalf("Bob read %q, %v", pt, err)
	}
}

// TestBrowserConversations: the same conversations in headless Chromium,
// their records in IndexedDB (test/conversations-page.js, one step a
// page load). The page's card is signed through an EIP-1193 wallet
// (eth_signTypedData_v4 with the card's typed data) and verifies in Go;
// Bob opens the page's two messages and answers; the page, loaded again,
// reads the answer from the state IndexedDB kept and writes back, which
// Bob reads. In a storage bucket with a 128 KB quota the page starts
// conversations until IndexedDB refuses one, with a reason; opened again,
// the store holds every conversation kept and not the refused one, and
// the last one kept either goes on or is refused the same way.
func TestBrowserConversations(t *testing.T) {
	browser := chromium(t)
	wasm, wasmExec := buildCore(t)
	needNodeModules(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	const chain = 1337
	bob, _, bobCardBytes := goUser(t, chain)
	aliceKey, _ := crypto.GenerateKey()
	alice := crypto.PubkeyToAddress(aliceKey.PublicKey)

	config := map[string]any{"store": "conversations-test", "chainId": chain, "account": alice.Hex(),
		"accountKey": hex.EncodeToString(crypto.FromECDSA(aliceKey)), "provider": strings.Repeat("0a", 32),
		"mailbox": strings.Repeat("0b", 32), "sealKey": strings.Repeat("0c", 32), "peerCard": hex.EncodeToString(bobCardBytes)}
	dir := buildPageOf(t, "test/conversations-page.js", wasm, wasmExec, config)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	bctx := startBrowser(t, ctx, browser)
	run := pageSteps(t, bctx, srv.URL, dir, config)

	var start struct {
		Card, ID, Method, Account string
		Messages                  []string
		Typed                     struct {
			PrimaryType string
			Domain      struct{ Name string }
			Message     struct{ Account string }
		}
	}
	run("start", &start)
	var ac card.Signed
	if err := ac.UnmarshalBinary(unhex(t, start.Card)); err != nil {
		t.Fatal(err)
	}
	if err := ac.Verify(chain, time.Now()); err != nil || ac.Account != alice {
		t.Fatalf("the page's card (of %s): %v", ac.Account.Hex(), err)
	}
	if start.Method != "eth_signTypedData_v4" || start.Account != alice.Hex() || start.Typed.PrimaryType != "ContactCard" ||
		start.Typed.Domain.Name != "Murmur Contact Card" || start.Typed.Message.Account != alice.Hex() {
		t.Fatalf("the wallet was asked %+v", start)
	}
	var bobID session.ID
	for i, m := range start.Messages {
		id, _, pt, err := bob.Open(unhex(t, m))
		if err != nil || string(pt) != []string{"one", "two"}[i] {
			t.Fatalf("Bob read %q: %v", pt, err)
		}
		bobID = id
	}
	reply, err := bob.Seal(bobID, []byte("three"))
	if err != nil {
		t.Fatal(err)
	}

	config["reply"] = hex.EncodeToString(reply)
	var resume struct{ ID, Text, Message string }
	run("resume", &resume)
	if resume.ID != start.ID || resume.Text != "three" {
		t.Fatalf("after a reload the page read %+v", resume)
	}
	if _, _, pt, err := bob.Open(unhex(t, resume.Message)); err != nil || string(pt) != "four" {
		t.Fatalf("Bob read %q: %v", pt, err)
	}

	config["quota"] = 128 << 10
	config["store"] = "conversations-full"
	var full struct {
		Kept, Stored                 int
		Refusal, After, AfterRefusal string
	}
	run("full", &full)
	const refused = "the store is full (nothing was changed)"
	if full.Kept == 0 || full.Stored != full.Kept || !strings.Contains(full.Refusal, refused) {
		t.Fatalf("a full store: %+v", full)
	}
	switch {
	case full.After != "":
		if _, _, pt, err := bob.Open(unhex(t, full.After)); err != nil || string(pt) != "after" {
			t.Fatalf("Bob read the last kept conversation's message as %q: %v", pt, err)
		}
	case !strings.Contains(full.AfterRefusal, refused):
		t.Fatalf("the last conversation kept, once the store was full: %q", full.AfterRefusal)
	}
	t.Logf("in a bucket of 128 KB the page kept %d conversations, then: %s; the last one's next message made: %v (refused: %q)",
		full.Kept, full.Refusal, full.After != "", full.AfterRefusal)
}

// goUser is a Go user's conversation store (messaging/session, on disk)
// and its card, signed by a fresh account on chain, encoded too.
func goUser(t *testing.T, chain uint64) (*session.Store, *card.Signed, []byte) {
	t.Helper()
	st, err := session.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, _ := crypto.GenerateKey()
	c := st.Card([32]byte{1}, [32]byte{2}, [32]byte{3})
	now := time.Now().Truncate(time.Second)
	c.ChainID, c.Account = chain, crypto.PubkeyToAddress(key.PublicKey)
	c.Issued, c.Expires = now.Add(-time.Minute), now.Add(time.Hour)
	signed, err := card.Sign(c, key)
	if err != nil {
		t.Fatal(err)
	}
	b, err := signed.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return st, signed, b
}
