package session

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/messaging/ratchet"
)

func open(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// signedCard is the store's card, signed by a fresh account on chain 1337.
func signedCard(t *testing.T, s *Store) *card.Signed { return signedCardB(t, s) }

func signedCardB(t testing.TB, s *Store) *card.Signed {
	t.Helper()
	key, _ := crypto.GenerateKey()
	c := s.Card([32]byte{1}, [32]byte{2}, [32]byte{3})
	c.ChainID, c.Account = 1337, crypto.PubkeyToAddress(key.PublicKey)
	c.Issued, c.Expires = time.Now().Add(-time.Minute), time.Now().Add(time.Hour)
	sc, err := card.Sign(c, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.Verify(1337, time.Now()); err != nil {
		t.Fatal(err)
	}
	return sc
}

func seal(t *testing.T, s *Store, id ID, text string) []byte {
	t.Helper()
	m, err := s.Seal(id, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func receive(t *testing.T, s *Store, m []byte, want string) ID {
	t.Helper()
	id, _, pt, err := s.Open(m)
	if err != nil {
		t.Fatalf("opening %q: %v", want, err)
	}
	if string(pt) != want {
		t.Fatalf("opened %q, want %q", pt, want)
	}
	return id
}

// TestConversation: Alice starts from Bob's card; her messages carry the
// handshake until Bob answers, arrive in any order, and land in one
// conversation; both stores are closed and opened again in the middle,
// and go on.
func TestConversation(t *testing.T) {
	aliceDir, bobDir := t.TempDir(), t.TempDir()
	alice, bob := open(t, aliceDir), open(t, bobDir)
	bobCard := signedCard(t, bob)
	a, err := alice.Start(&bobCard.Card)
	if err != nil {
		t.Fatal(err)
	}
	m1, m2, m3 := seal(t, alice, a, "one"), seal(t, alice, a, "two"), seal(t, alice, a, "three")
	for _, m := range [][]byte{m1, m2, m3} {
		if m[0] != kindHandshake {
			t.Fatal("a message before Bob's answer without the handshake")
		}
	}
	b := receive(t, bob, m2, "two")
	if got := receive(t, bob, m3, "three"); got != b {
		t.Fatal("the second message opened a second conversation")
	}
	if got := receive(t, bob, m1, "one"); got != b {
		t.Fatal("the first message opened a second conversation")
	}
	if _, peer, _, err := bob.Open(m1); !errors.Is(err, ratchet.ErrReplay) || peer != [32]byte(alice.identity.PublicKey().Bytes()) {
		t.Fatalf("the handshake replayed: %v (peer %x)", err, peer)
	}

	// Both restart.
	alice.Close()
	bob.Close()
	alice, bob = open(t, aliceDir), open(t, bobDir)
	if got := receive(t, alice, seal(t, bob, b, "answer"), "answer"); got != a {
		t.Fatal("Bob's answer opened another conversation at Alice's")
	}
	m4 := seal(t, alice, a, "four")
	if m4[0] != kindRatchet {
		t.Fatal("Alice still sends the handshake after Bob's answer")
	}
	receive(t, bob, m4, "four")
	for i := range 5 {
		receive(t, alice, seal(t, bob, b, fmt.Sprint("b", i)), fmt.Sprint("b", i))
		receive(t, bob, seal(t, alice, a, fmt.Sprint("a", i)), fmt.Sprint("a", i))
	}
}

func TestRefused(t *testing.T) {
	alice, bob, eve := open(t, t.TempDir()), open(t, t.TempDir()), open(t, t.TempDir())
	bobCard := signedCard(t, bob)
	a, err := alice.Start(&bobCard.Card)
	if err != nil {
		t.Fatal(err)
	}
	first := seal(t, alice, a, "hello")
	for name, c := range map[string]struct {
		m    []byte
		want error
	}{
		"empty":            {nil, ErrMalformed},
		"unknown kind":     {[]byte{9, 1, 2}, ErrMalformed},
		"short handshake":  {first[:100], ErrMalformed},
		"for nobody here":  {append([]byte{kindRatchet}, first[1+handshakeSize:]...), ErrUnknownSession},
		"another's prekey": {first, ErrUnknownPrekey}, // to Eve, who has other prekeys
	} {
		to := bob
		if name == "another's prekey" {
			to = eve
		}
		if _, _, _, err := to.Open(c.m); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	// A forged first message under a real handshake starts nothing.
	forged := append([]byte(nil), first...)
	forged[len(forged)-1] ^= 1
	if _, _, _, err := bob.Open(forged); err == nil {
		t.Fatal("a forged first message opened")
	}
	if len(bob.sessions) != 0 {
		t.Fatal("a forged first message left a conversation")
	}
	receive(t, bob, first, "hello") // the real one still opens
	if _, err := alice.Seal(ID{1}, []byte("x")); !errors.Is(err, ErrUnknownSession) {
		t.Errorf("sealing for no conversation: %v", err)
	}
}

// BenchmarkOpenAmong: Bob holds 1,000 conversations and opens a message
// of one of them: a header trial for each conversation he tries, then
// the decryption and the synced store of the new state.
func BenchmarkOpenAmong(b *testing.B) {
	bob, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer bob.Close()
	bobCard := signedCardB(b, bob)
	alice, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer alice.Close()
	var last ID
	for range 1000 {
		a, err := alice.Start(&bobCard.Card)
		if err != nil {
			b.Fatal(err)
		}
		m, _ := alice.Seal(a, []byte("hello"))
		if _, _, _, err := bob.Open(m); err != nil {
			b.Fatal(err)
		}
		last = a
	}
	msgs := make([][]byte, 0, 1024)
	for b.Loop() {
		if len(msgs) == 0 {
			b.StopTimer()
			for range 1024 {
				m, _ := alice.Seal(last, make([]byte, 2048))
				msgs = append(msgs, m)
			}
			b.StartTimer()
		}
		m := msgs[0]
		msgs = msgs[1:]
		if _, _, _, err := bob.Open(m); err != nil {
			b.Fatal(err)
		}
	}
}

// memRecords keeps a store's records in memory, and fails its writes
// when told to (a full or broken disk, a quota reached).
type memRecords struct {
	all  map[string][]byte
	fail bool
}

func (m *memRecords) All() (map[string][]byte, error) { return maps.Clone(m.all), nil }
func (m *memRecords) Close() error                    { return nil }
func (m *memRecords) Write(r map[string][]byte) error {
	if m.fail {
		return errors.New("the records are full")
	}
	for k, v := range r {
		if v == nil {
			delete(m.all, k)
		} else {
			m.all[k] = bytes.Clone(v)
		}
	}
	return nil
}

// TestFailedWriteChangesNothing: when the records refuse a write, Seal
// and Open fail with that error and the conversation goes on from where
// it was, in memory and in a store opened again from the records.
func TestFailedWriteChangesNothing(t *testing.T) {
	ra, rb := &memRecords{all: map[string][]byte{}}, &memRecords{all: map[string][]byte{}}
	a, err := New(ra)
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(rb)
	if err != nil {
		t.Fatal(err)
	}
	id, err := a.Start(&signedCard(t, b).Card)
	if err != nil {
		t.Fatal(err)
	}
	bid := receive(t, b, seal(t, a, id, "one"), "one")

	ra.fail = true
	if _, err := a.Seal(id, []byte("lost")); err == nil || !strings.Contains(err.Error(), "full") {
		t.Fatalf("Seal with full records: %v", err)
	}
	ra.fail = false
	m := seal(t, a, id, "two")
	rb.fail = true
	if _, _, _, err := b.Open(m); err == nil || !strings.Contains(err.Error(), "full") {
		t.Fatalf("Open with full records: %v", err)
	}
	rb.fail = false
	receive(t, b, m, "two")

	// Opened again from its records, b goes on: it answers and a reads it.
	b2, err := New(&memRecords{all: rb.all})
	if err != nil {
		t.Fatal(err)
	}
	receive(t, a, seal(t, b2, bid, "three"), "three")
}
