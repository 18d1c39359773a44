package messenger

import (
	"context"
	"crypto/ecdsa"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/internal/badgerdb"
	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/messaging/reliable"
	"github.com/murmurnet/murmur/messaging/session"
	"github.com/murmurnet/murmur/node/client"
)

const testChain = 1337

type party struct {
	st   *session.Store
	card *card.Signed
	key  *ecdsa.PrivateKey
}

func newParty(t *testing.T, chainID uint64) *party {
	t.Helper()
	st, err := session.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, _ := crypto.GenerateKey()
	cd := st.Card([32]byte{1}, [32]byte{2}, [32]byte{3})
	now := time.Now().Truncate(time.Second)
	cd.ChainID, cd.Account = chainID, crypto.PubkeyToAddress(key.PublicKey)
	cd.Issued, cd.Expires = now.Add(-time.Minute), now.Add(time.Hour)
	s, err := card.Sign(cd, key)
	if err != nil {
		t.Fatal(err)
	}
	return &party{st: st, card: s, key: key}
}

// testMessenger is bob's messenger without a client: acknowledgements
// are collected, nothing runs in the background.
func testMessenger(t *testing.T, dir string, p *party) (*Messenger, *[][]byte) {
	t.Helper()
	db, err := badgerdb.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := &Messenger{o: Options{Sessions: p.st, Card: p.card, ChainID: testChain, Now: time.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
		db: db, log: slog.New(slog.DiscardHandler), convs: map[session.ID]*conv{}, peers: map[common.Address]session.ID{},
		wake: make(chan struct{}, 1), ready: make(chan struct{}, 1)}
	if err := m.load(); err != nil {
		t.Fatal(err)
	}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	var mu sync.Mutex
	acks := &[][]byte{}
	m.sendAck = func(_ context.Context, _ *client.Message, _ client.Address, ct []byte) error {
		mu.Lock()
		*acks = append(*acks, ct)
		mu.Unlock()
		return nil
	}
	return m, acks
}

// seal is what alice's messenger sends in conversation id: her card while
// bob has not answered, then the frame.
func seal(t *testing.T, from *party, id session.ID, withCard *card.Signed, f reliable.Frame) []byte {
	t.Helper()
	fb, _ := f.MarshalBinary()
	pt := append([]byte{0}, fb...)
	if withCard != nil {
		cb, _ := withCard.MarshalBinary()
		pt = append(append([]byte{flagCard}, cb...), fb...)
	}
	ct, err := from.st.Seal(id, pt)
	if err != nil {
		t.Fatal(err)
	}
	return ct
}

// Bad input is refused with a reason, counted, and leaves every stored
// conversation as it was: a forged or replayed message, a message for no
// conversation, a card that does not bind the handshake's key or is for
// another chain, a duplicate message, a duplicate acknowledgement.
func TestHandleRefusesBadInput(t *testing.T) {
	alice, bob, carol := newParty(t, testChain), newParty(t, testChain), newParty(t, testChain)
	dir := t.TempDir()
	m, acks := testMessenger(t, dir, bob)
	take := func(want string) {
		t.Helper()
		msg, ok, err := m.takeReady()
		if err != nil || !ok || string(msg.Body) != want || msg.From != alice.card.Account {
			t.Fatalf("released %+v %v %v, want %q from alice", msg, ok, err, want)
		}
	}
	stats := func(want Stats) {
		t.Helper()
		if got := m.Stats(); got != want {
			t.Fatalf("stats %+v, want %+v", got, want)
		}
	}

	id, err := alice.st.Start(&bob.card.Card)
	if err != nil {
		t.Fatal(err)
	}
	first := seal(t, alice, id, alice.card, reliable.Frame{Seq: 1, Body: []byte("one")})
	m.handle(&client.Message{Body: first})
	take("one")
	stats(Stats{Received: 1})
	if len(*acks) != 1 {
		t.Fatalf("%d acknowledgements", len(*acks))
	}

	// The same message again: its key is spent.
	m.handle(&client.Message{Body: first})
	stats(Stats{Received: 1, BadMessage: 1})
	// A message of no conversation, and one that is no session message
	// at all (dropped: there is no Options.Other).
	m.handle(&client.Message{Body: append([]byte{0x02}, make([]byte, 200)...)})
	m.handle(&client.Message{Body: []byte("plain")})
	stats(Stats{Received: 1, BadMessage: 1, UnknownSession: 1})
	// A retransmission of message 1 (a new ratchet message): a duplicate.
	m.handle(&client.Message{Body: seal(t, alice, id, alice.card, reliable.Frame{Seq: 1, Body: []byte("one")})})
	stats(Stats{Received: 1, BadMessage: 1, UnknownSession: 1, Duplicates: 1})
	// An acknowledgement of nothing, twice.
	for range 2 {
		m.handle(&client.Message{Body: seal(t, alice, id, nil, reliable.Frame{})})
	}
	stats(Stats{Received: 1, BadMessage: 1, UnknownSession: 1, Duplicates: 1, DuplicateAcks: 2})

	// Carol starts a conversation with alice's card in it (not hers: it
	// names another key), then with a card for another chain.
	cid, _ := carol.st.Start(&bob.card.Card)
	m.handle(&client.Message{Body: seal(t, carol, cid, alice.card, reliable.Frame{Seq: 1, Body: []byte("I am alice")})})
	other := newParty(t, 1)
	oid, _ := other.st.Start(&bob.card.Card)
	m.handle(&client.Message{Body: seal(t, other, oid, other.card, reliable.Frame{Seq: 1, Body: []byte("wrong chain")})})
	stats(Stats{Received: 1, BadMessage: 1, UnknownSession: 1, Duplicates: 1, DuplicateAcks: 2, Unbound: 2})
	if _, ok, _ := m.takeReady(); ok {
		t.Fatal("an unbound conversation released a message")
	}
	if len(m.convs) != 1 {
		t.Fatalf("%d conversations, want alice's alone", len(m.convs))
	}

	// Alice's conversation goes on, also after a restart.
	m.handle(&client.Message{Body: seal(t, alice, id, alice.card, reliable.Frame{Seq: 2, Body: []byte("two")})})
	take("two")
	m.db.Close()
	m, _ = testMessenger(t, dir, bob)
	defer m.db.Close()
	m.handle(&client.Message{Body: seal(t, alice, id, nil, reliable.Frame{Seq: 2, Body: []byte("two")})})
	m.handle(&client.Message{Body: seal(t, alice, id, nil, reliable.Frame{Seq: 3, Body: []byte("three")})})
	take("three")
	stats(Stats{Received: 1, Duplicates: 1})
}
