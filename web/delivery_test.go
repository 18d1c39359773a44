package web

import (
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/internal/badgerdb"
	"github.com/murmurnet/murmur/messaging/delivery"
	"github.com/murmurnet/murmur/messaging/reliable"
)

// TestDeliveryInterop: exactly-once delivery between the page's core
// (messaging/delivery in WebAssembly under Node.js, its records handed
// over between runs as IndexedDB keeps them across loads) and Go's. The
// page queues three messages for Bob; the second is lost on the way. Bob
// releases the first, holds the third, and answers with a message of his
// own that acknowledges both. The page takes Bob's message, reads the
// first and third as delivered and the second as sent, and when its
// timeout comes gives the second again; Bob then releases the second and
// the third, in order, each once.
func TestDeliveryInterop(t *testing.T) {
	wasm, wasmExec := buildCore(t)
	const chain = 1337
	st, bobCard, bobCardBytes := goUser(t, chain)
	bc := bobCard.Card
	r, err := badgerdb.OpenRecords(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	bob, err := delivery.New(delivery.Options{Records: r, Sessions: st, Card: bobCard, ChainID: chain})
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()

	aliceKey, _ := crypto.GenerateKey()
	alice := crypto.PubkeyToAddress(aliceKey.PublicKey)
	type sent struct{ Ciphertext, Mailbox string }
	var s1 struct {
		Card, UnknownPeer       string
		Seqs                    []uint64
		Sent                    []sent
		Conversations, Delivery [][2]string
	}
	runCoreScript(t, "test/delivery.mjs", wasm, wasmExec, "send", map[string]any{
		"chainId": chain, "account": alice.Hex(), "accountKey": hex.EncodeToString(crypto.FromECDSA(aliceKey)),
		"provider": strings.Repeat("0a", 32), "mailbox": strings.Repeat("0b", 32), "sealKey": strings.Repeat("0c", 32),
		"peer": bc.Account.Hex(), "peerCard": hex.EncodeToString(bobCardBytes), "send": []string{"one", "two", "three"},
	}, &s1)
	if !strings.Contains(s1.UnknownPeer, "no conversation") {
		t.Fatalf("queueing for a peer without a conversation: %q", s1.UnknownPeer)
	}
	if len(s1.Sent) != 3 || len(s1.Seqs) != 3 || s1.Seqs[2] != 3 || s1.Sent[0].Mailbox != hex.EncodeToString(bc.Mailbox[:]) {
		t.Fatalf("the page sent %+v (seqs %v)", s1.Sent, s1.Seqs)
	}

	now := time.Now()
	take := func(want ...string) {
		t.Helper()
		for _, w := range want {
			m, ok, err := bob.Take()
			if err != nil || !ok || string(m.Body) != w || m.From != alice {
				t.Fatalf("Bob took %q from %s (%v, %v), want %q from the page", m.Body, m.From.Hex(), ok, err, w)
			}
		}
		if m, ok, _ := bob.Take(); ok {
			t.Fatalf("Bob took %q more", m.Body)
		}
	}
	var acks []string
	for _, i := range []int{0, 2} { // the second is lost
		h, err := bob.Handle(unhex(t, s1.Sent[i].Ciphertext), now)
		if err != nil {
			t.Fatalf("Bob handling message %d: %v", i+1, err)
		}
		if h.Ack != nil {
			acks = append(acks, hex.EncodeToString(h.Ack))
		}
	}
	take("one")
	if _, err := bob.Queue(alice, []byte("four"), now); err != nil {
		t.Fatal(err)
	}
	out, err := bob.Due(now)
	if err != nil || len(out) != 1 {
		t.Fatalf("Bob's due: %d, %v", len(out), err)
	}
	arrived := append(acks, hex.EncodeToString(out[0].Ciphertext))

	var s2 struct {
		Handled []struct {
			Conversation, Ack bool
			Released          int
		}
		NotConversation bool
		Taken           []struct{ From, Text string }
		Status          []string
		Resent          []sent
		Stats           struct{ Received, Acks uint64 }
	}
	runCoreScript(t, "test/delivery.mjs", wasm, wasmExec, "answer", map[string]any{
		"chainId": chain, "card": s1.Card, "peer": bc.Account.Hex(), "seqs": s1.Seqs, "arrived": arrived,
		"conversations": s1.Conversations, "delivery": s1.Delivery,
	}, &s2)
	if len(s2.Taken) != 1 || s2.Taken[0].Text != "four" || s2.Taken[0].From != bc.Account.Hex() || s2.NotConversation {
		t.Fatalf("the page took %+v (a plain message a conversation's: %v)", s2.Taken, s2.NotConversation)
	}
	if want := []string{reliable.Delivered.String(), reliable.Sent.String(), reliable.Delivered.String()}; strings.Join(s2.Status, ",") != strings.Join(want, ",") {
		t.Fatalf("the page's statuses %v, want %v", s2.Status, want)
	}
	if len(s2.Resent) != 1 || s2.Stats.Received != 1 {
		t.Fatalf("the page sent again %d messages (stats %+v), want the second", len(s2.Resent), s2.Stats)
	}
	if _, err := bob.Handle(unhex(t, s2.Resent[0].Ciphertext), time.Now()); err != nil {
		t.Fatal(err)
	}
	take("two", "three")
	if st := bob.Stats(); st.Received != 3 || st.Duplicates != 0 {
		t.Fatalf("Bob's stats %+v", st)
	}
}
