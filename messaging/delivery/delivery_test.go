package delivery

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/internal/badgerdb"
	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/messaging/reliable"
	"github.com/murmurnet/murmur/messaging/session"
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

// testEngine is bob's engine, its records in dir.
func testEngine(t *testing.T, dir string, p *party) *Engine {
	t.Helper()
	r, err := badgerdb.OpenRecords(dir)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(Options{Records: r, Sessions: p.st, Card: p.card, ChainID: testChain})
	if err != nil {
		t.Fatal(err)
	}
	return e
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
	m := testEngine(t, dir, bob)
	var acks [][]byte
	now := time.Now()
	handle := func(body []byte) {
		t.Helper()
		h, err := m.Handle(body, now)
		if errors.Is(err, ErrNotConversation) && session.IsMessage(body) {
			t.Fatal("a session message taken for a plain one")
		}
		if h.Ack != nil {
			acks = append(acks, h.Ack)
		}
	}
	take := func(want string) {
		t.Helper()
		msg, ok, err := m.Take()
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
	handle(first)
	take("one")
	stats(Stats{Received: 1})
	if len(acks) != 1 {
		t.Fatalf("%d acknowledgements", len(acks))
	}

	// The same message again: its key is spent.
	handle(first)
	stats(Stats{Received: 1, BadMessage: 1})
	// A message of no conversation, and one that is no session message
	// at all (dropped: there is no Options.Other).
	handle(append([]byte{0x02}, make([]byte, 200)...))
	handle([]byte("plain"))
	stats(Stats{Received: 1, BadMessage: 1, UnknownSession: 1})
	// A retransmission of message 1 (a new ratchet message): a duplicate.
	handle(seal(t, alice, id, alice.card, reliable.Frame{Seq: 1, Body: []byte("one")}))
	stats(Stats{Received: 1, BadMessage: 1, UnknownSession: 1, Duplicates: 1})
	// An acknowledgement of nothing, twice.
	for range 2 {
		handle(seal(t, alice, id, nil, reliable.Frame{}))
	}
	stats(Stats{Received: 1, BadMessage: 1, UnknownSession: 1, Duplicates: 1, DuplicateAcks: 2})

	// Carol starts a conversation with alice's card in it (not hers: it
	// names another key), then with a card for another chain.
	cid, _ := carol.st.Start(&bob.card.Card)
	handle(seal(t, carol, cid, alice.card, reliable.Frame{Seq: 1, Body: []byte("I am alice")}))
	other := newParty(t, 1)
	oid, _ := other.st.Start(&bob.card.Card)
	handle(seal(t, other, oid, other.card, reliable.Frame{Seq: 1, Body: []byte("wrong chain")}))
	stats(Stats{Received: 1, BadMessage: 1, UnknownSession: 1, Duplicates: 1, DuplicateAcks: 2, Unbound: 2})
	if _, ok, _ := m.Take(); ok {
		t.Fatal("an unbound conversation released a message")
	}
	if len(m.convs) != 1 {
		t.Fatalf("%d conversations, want alice's alone", len(m.convs))
	}

	// Alice's conversation goes on, also after a restart.
	handle(seal(t, alice, id, alice.card, reliable.Frame{Seq: 2, Body: []byte("two")}))
	take("two")
	m.Close()
	m = testEngine(t, dir, bob)
	defer m.Close()
	handle(seal(t, alice, id, nil, reliable.Frame{Seq: 2, Body: []byte("two")}))
	handle(seal(t, alice, id, nil, reliable.Frame{Seq: 3, Body: []byte("three")}))
	take("three")
	stats(Stats{Received: 1, Duplicates: 1})
}

// failingRecords keep records in memory and refuse writes when told to.
type failingRecords struct {
	all  map[string][]byte
	fail bool
}

func (r *failingRecords) All() (map[string][]byte, error) { return maps.Clone(r.all), nil }
func (r *failingRecords) Close() error                    { return nil }
func (r *failingRecords) Write(w map[string][]byte) error {
	if r.fail {
		return errors.New("the records are full")
	}
	for k, v := range w {
		if v == nil {
			delete(r.all, k)
		} else {
			r.all[k] = bytes.Clone(v)
		}
	}
	return nil
}

// TestFailedWriteLosesNothing: while its records refuse writes, bob's
// engine refuses messages (no acknowledgement: alice sends them again)
// and queues nothing; once they take writes again, the retransmission is
// released once, and a Take that could not delete gives the message again.
func TestFailedWriteLosesNothing(t *testing.T) {
	alice, bob := newParty(t, testChain), newParty(t, testChain)
	r := &failingRecords{all: map[string][]byte{}}
	m, err := New(Options{Records: r, Sessions: bob.st, Card: bob.card, ChainID: testChain})
	if err != nil {
		t.Fatal(err)
	}
	id, err := alice.st.Start(&bob.card.Card)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := m.Handle(seal(t, alice, id, alice.card, reliable.Frame{Seq: 1, Body: []byte("one")}), now); err != nil {
		t.Fatal(err)
	}
	r.fail = true
	h, err := m.Handle(seal(t, alice, id, alice.card, reliable.Frame{Seq: 2, Body: []byte("two")}), now)
	if err == nil || !strings.Contains(err.Error(), "full") || h.Ack != nil {
		t.Fatalf("a message with full records: %+v, %v", h, err)
	}
	if _, err := m.Queue(alice.card.Account, []byte("reply"), now); err == nil {
		t.Fatal("queued with full records")
	}
	if msg, _, err := m.Take(); err == nil {
		t.Fatalf("took %q with full records", msg.Body)
	}
	r.fail = false
	for _, want := range []string{"one"} {
		msg, ok, err := m.Take()
		if err != nil || !ok || string(msg.Body) != want {
			t.Fatalf("took %q %v %v, want %q", msg.Body, ok, err, want)
		}
	}
	// Alice's retransmission of two.
	h, err = m.Handle(seal(t, alice, id, alice.card, reliable.Frame{Seq: 2, Body: []byte("two")}), now)
	if err != nil || h.Released != 1 || h.Ack == nil {
		t.Fatalf("the retransmission: %+v, %v", h, err)
	}
	msg, ok, err := m.Take()
	if err != nil || !ok || string(msg.Body) != "two" {
		t.Fatalf("took %q %v %v, want two", msg.Body, ok, err)
	}
	if _, ok, _ := m.Take(); ok {
		t.Fatal("a message given twice")
	}
	if st := m.Stats(); st.Received != 2 || st.Duplicates != 0 {
		t.Fatalf("stats %+v", st)
	}
}
