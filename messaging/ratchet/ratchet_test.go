package ratchet

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"testing"
)

var ad = []byte("alice identity key ‖ bob identity key")

// pair sets up a session as a key agreement would leave it.
func pair(t testing.TB) (alice, bob *State) {
	t.Helper()
	var sk, hka, nhkb [32]byte
	rand.Read(sk[:])
	rand.Read(hka[:])
	rand.Read(nhkb[:])
	bobKey, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	alice, err = NewInitiator(rand.Reader, sk, hka, nhkb, bobKey.PublicKey().Bytes())
	if err != nil {
		t.Fatal(err)
	}
	bob, err = NewResponder(sk, hka, nhkb, bobKey)
	if err != nil {
		t.Fatal(err)
	}
	return alice, bob
}

func seal(t testing.TB, s *State, text string) []byte {
	t.Helper()
	m, err := s.Encrypt(rand.Reader, []byte(text), ad)
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != len(text)+Overhead {
		t.Fatalf("a message of %d bytes for %d of text", len(m), len(text))
	}
	return m
}

func open(t testing.TB, s *State, m []byte, want string) {
	t.Helper()
	got, err := s.Decrypt(rand.Reader, m, ad)
	if err != nil {
		t.Fatalf("decrypting %q: %v", want, err)
	}
	if string(got) != want {
		t.Fatalf("decrypted %q, want %q", got, want)
	}
}

// refused checks that Decrypt fails with want and leaves s as it was.
func refused(t *testing.T, s *State, m, aad []byte, want error) {
	t.Helper()
	before := s.clone()
	if _, err := s.Decrypt(rand.Reader, m, aad); !errors.Is(err, want) {
		t.Fatalf("Decrypt: %v, want %v", err, want)
	}
	if !s.Equal(before) {
		t.Fatal("a refused message changed the state")
	}
}

func TestConversation(t *testing.T) {
	alice, bob := pair(t)
	if _, err := bob.Encrypt(rand.Reader, []byte("hi"), ad); err == nil {
		t.Fatal("the responder sent before it heard from the initiator")
	}
	for turn := range 5 {
		from, to := alice, bob
		if turn%2 == 1 {
			from, to = bob, alice
		}
		for i := range 3 {
			text := fmt.Sprintf("turn %d message %d", turn, i)
			open(t, to, seal(t, from, text), text)
		}
	}
}

// TestOutOfOrder: messages that arrive late, across DH steps, are read
// once each; lost ones cost nothing but their kept keys.
func TestOutOfOrder(t *testing.T) {
	alice, bob := pair(t)
	a0, a1, a2 := seal(t, alice, "a0"), seal(t, alice, "a1"), seal(t, alice, "a2")
	open(t, bob, a2, "a2") // a0 and a1 skipped
	b0 := seal(t, bob, "b0")
	open(t, alice, b0, "b0") // a DH step on both sides
	a3 := seal(t, alice, "a3")
	open(t, bob, a3, "a3")
	open(t, bob, a0, "a0") // from the chain before the step
	refused(t, bob, a0, ad, ErrReplay)
	if len(bob.skipped) != 1 {
		t.Fatalf("%d keys kept, want 1 (a1's)", len(bob.skipped))
	}
	open(t, bob, a1, "a1")
	// The old chain's last kept key is gone, and its header key with it:
	// a copy of a1 no longer opens at all.
	refused(t, bob, a1, ad, ErrHeader)
	refused(t, bob, a3, ad, ErrReplay)
	if len(bob.skipped) != 0 {
		t.Fatalf("%d keys kept, want none", len(bob.skipped))
	}
}

// TestShuffled: a long conversation whose messages each arrive once in a
// random order within a turn, some never.
func TestShuffled(t *testing.T) {
	alice, bob := pair(t)
	rnd := mrand.New(mrand.NewPCG(1, 2))
	for turn := range 20 {
		from, to := alice, bob
		if turn%2 == 1 {
			from, to = bob, alice
		}
		var msgs [][]byte
		var texts []string
		for i := range 1 + rnd.IntN(8) {
			texts = append(texts, fmt.Sprintf("%d/%d", turn, i))
			msgs = append(msgs, seal(t, from, texts[i]))
		}
		// The last message of a turn arrives (a reply needs one), the
		// others in any order or not at all.
		last := len(msgs) - 1
		for _, i := range rnd.Perm(last) {
			if rnd.IntN(4) > 0 {
				open(t, to, msgs[i], texts[i])
			}
		}
		open(t, to, msgs[last], texts[last])
	}
}

func TestSkipBound(t *testing.T) {
	alice, bob := pair(t)
	open(t, bob, seal(t, alice, "first"), "first")
	for range MaxSkip + 1 {
		seal(t, alice, "lost")
	}
	refused(t, bob, seal(t, alice, "too far"), ad, ErrTooFarAhead)

	// Within the bound: the keys are kept, and capped in all.
	alice, bob = pair(t)
	for range MaxSkip {
		seal(t, alice, "lost")
	}
	open(t, bob, seal(t, alice, "just within"), "just within")
	if len(bob.skipped) != MaxSkip {
		t.Fatalf("%d keys kept, want %d", len(bob.skipped), MaxSkip)
	}
	for turn := range 4 {
		from, to := bob, alice
		if turn%2 == 1 {
			from, to = alice, bob
		}
		for range MaxSkip {
			seal(t, from, "lost")
		}
		open(t, to, seal(t, from, "next"), "next")
	}
	if n := len(bob.skipped) + len(alice.skipped); len(bob.skipped) > MaxSkipped || len(alice.skipped) > MaxSkipped || n == 0 {
		t.Fatalf("kept %d and %d keys, want at most %d each", len(alice.skipped), len(bob.skipped), MaxSkipped)
	}
}

func TestTampered(t *testing.T) {
	alice, bob := pair(t)
	m := seal(t, alice, "the real text")
	for _, c := range []struct {
		name string
		at   int
		err  error
	}{
		{"header nonce", 0, ErrHeader},
		{"header", encHeaderSize - 1, ErrHeader},
		{"body", encHeaderSize + 2, ErrBody},
		{"tag", len(m) - 1, ErrBody},
	} {
		bad := bytes.Clone(m)
		bad[c.at] ^= 1
		t.Run(c.name, func(t *testing.T) { refused(t, bob, bad, ad, c.err) })
	}
	if !bob.Recognizes(m) || bob.Recognizes(bytes.Clone(m)[:Overhead-1]) {
		t.Fatal("Recognizes: wrong for the session's own message or a short one")
	}
	refused(t, bob, m, []byte("other identities"), ErrBody)
	refused(t, bob, m[:Overhead-1], ad, ErrShort)
	_, eve := pair(t)
	refused(t, eve, m, ad, ErrHeader)
	if eve.Recognizes(m) {
		t.Fatal("another session recognizes the message")
	}
	open(t, bob, m, "the real text") // none of it spoilt the session
}

// TestKeyErasure: a state taken after messages were read opens none of
// them again, those of earlier chains included.
func TestKeyErasure(t *testing.T) {
	alice, bob := pair(t)
	a0 := seal(t, alice, "a0")
	open(t, bob, a0, "a0")
	open(t, alice, seal(t, bob, "b0"), "b0")
	a1 := seal(t, alice, "a1")
	open(t, bob, a1, "a1")
	stolen := bob.clone()
	for _, m := range [][]byte{a0, a1} {
		if _, err := stolen.Decrypt(rand.Reader, m, ad); err == nil {
			t.Fatal("a stolen state opened a message read before the theft")
		}
	}
}

// TestPostCompromise: a thief with a copy of Bob's whole state reads
// along until Bob's next DH step, which she cannot follow, heals the
// session.
func TestPostCompromise(t *testing.T) {
	alice, bob := pair(t)
	open(t, bob, seal(t, alice, "a0"), "a0")
	stolen := bob.clone()

	a1 := seal(t, alice, "a1")
	open(t, bob, a1, "a1")
	open(t, stolen, a1, "a1") // the stolen receiving chain
	open(t, alice, seal(t, bob, "b0"), "b0")
	a2 := seal(t, alice, "a2") // Alice stepped to Bob's ratchet key, which the thief has
	open(t, bob, a2, "a2")
	open(t, stolen, a2, "a2")
	open(t, alice, seal(t, bob, "b1"), "b1") // Bob's new key, made after the theft
	a3 := seal(t, alice, "a3")
	open(t, bob, a3, "a3")
	if _, err := stolen.Decrypt(rand.Reader, a3, ad); err == nil {
		t.Fatal("the thief read a message after the session healed")
	}
}

func TestStateEncoding(t *testing.T) {
	alice, bob := pair(t)
	a0, a1 := seal(t, alice, "a0"), seal(t, alice, "a1")
	open(t, bob, a1, "a1") // one key kept
	b, err := bob.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var restored State
	if err := restored.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if !restored.Equal(bob) {
		t.Fatal("the restored state differs")
	}
	open(t, &restored, a0, "a0")
	open(t, alice, seal(t, &restored, "b0"), "b0")

	for name, bad := range map[string][]byte{
		"short":     b[:fixedStateSize-1],
		"version":   append([]byte{9}, b[1:]...),
		"truncated": b[:len(b)-1],
		"key flag":  func() []byte { c := bytes.Clone(b); c[33+33+32] = 7; return c }(),
	} {
		var s State
		if err := s.UnmarshalBinary(bad); err == nil {
			t.Errorf("%s: a malformed state was accepted", name)
		}
	}
	var empty State
	if _, err := empty.MarshalBinary(); err == nil {
		t.Error("an empty state encoded")
	}
}

// BenchmarkTurn: one message of 2 KB encrypted and decrypted, in turns of
// ten messages each way, so each turn's DH step (three X25519 operations
// at the receiver: two agreements and a new key pair) is amortized over
// ten messages.
func BenchmarkTurn(b *testing.B) {
	alice, bob := pair(b)
	msg := make([]byte, 2048)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		from, to := alice, bob
		if (i/10)%2 == 1 {
			from, to = bob, alice
		}
		i++
		m, err := from.Encrypt(rand.Reader, msg, ad)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := to.Decrypt(rand.Reader, m, ad); err != nil {
			b.Fatal(err)
		}
	}
}
