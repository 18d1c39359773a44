package pqxdh

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/cloudflare/circl/kem/mlkem/mlkem768"

	"github.com/murmurnet/murmur/messaging/ratchet"
)

// responder is Bob with his published bundle and its private halves.
type responder struct {
	bundle Bundle
	keys   ResponderKeys
}

func newResponder(t testing.TB, oneTime bool) *responder {
	t.Helper()
	gen := func() *ecdh.PrivateKey {
		k, err := ecdh.X25519().GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	pqPub, pqPriv, err := mlkem768.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pq := make([]byte, PQKeySize)
	pqPub.Pack(pq)
	r := &responder{keys: ResponderKeys{Identity: gen(), SignedPrekey: gen(), PQPrekey: pqPriv}}
	r.bundle = Bundle{
		Identity:     [KeySize]byte(r.keys.Identity.PublicKey().Bytes()),
		SignedPrekey: Prekey{ID: 7, Key: [KeySize]byte(r.keys.SignedPrekey.PublicKey().Bytes())},
		PQPrekey:     PQPrekey{ID: 9, Key: pq},
	}
	if oneTime {
		r.keys.OneTime = gen()
		r.bundle.OneTime = &Prekey{ID: 11, Key: [KeySize]byte(r.keys.OneTime.PublicKey().Bytes())}
	}
	return r
}

// TestHandshakeStartsRatchet: both ends derive the same secrets, with and
// without a one-time prekey, and a ratchet session started from them
// carries the first message and the answer.
func TestHandshakeStartsRatchet(t *testing.T) {
	for _, oneTime := range []bool{false, true} {
		bob := newResponder(t, oneTime)
		aliceID, _ := ecdh.X25519().GenerateKey(rand.Reader)
		as, init, err := Initiate(rand.Reader, aliceID, &bob.bundle)
		if err != nil {
			t.Fatal(err)
		}
		if init.HasOneTime != oneTime || init.SignedPrekeyID != 7 || init.PQPrekeyID != 9 || (oneTime && init.OneTimeID != 11) {
			t.Fatalf("the handshake names prekeys %+v", init)
		}
		wire, err := init.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var got Init
		if err := got.UnmarshalBinary(wire); err != nil {
			t.Fatal(err)
		}
		bs, err := Respond(&bob.keys, &got)
		if err != nil {
			t.Fatal(err)
		}
		if as.Root != bs.Root || as.HeaderA != bs.HeaderA || as.NextHeaderB != bs.NextHeaderB || !bytes.Equal(as.AD, bs.AD) {
			t.Fatalf("one-time %v: the two ends derived different secrets", oneTime)
		}
		if !bytes.Equal(as.AD[:KeySize], aliceID.PublicKey().Bytes()) || !bytes.Equal(as.AD[KeySize:], bob.bundle.Identity[:]) {
			t.Fatal("the associated data is not the initiator's identity key, then the responder's")
		}

		alice, err := ratchet.NewInitiator(rand.Reader, as.Root, as.HeaderA, as.NextHeaderB, bob.bundle.SignedPrekey.Key[:])
		if err != nil {
			t.Fatal(err)
		}
		bobR, err := ratchet.NewResponder(bs.Root, bs.HeaderA, bs.NextHeaderB, bob.keys.SignedPrekey)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := alice.Encrypt(rand.Reader, []byte("hello bob"), as.AD)
		if pt, err := bobR.Decrypt(rand.Reader, m, bs.AD); err != nil || string(pt) != "hello bob" {
			t.Fatalf("the first message: %q, %v", pt, err)
		}
		r, _ := bobR.Encrypt(rand.Reader, []byte("hello alice"), bs.AD)
		if pt, err := alice.Decrypt(rand.Reader, r, as.AD); err != nil || string(pt) != "hello alice" {
			t.Fatalf("the answer: %q, %v", pt, err)
		}
	}
}

// TestEachKeyCounts: a responder holding any other key than the bundle's
// (the post-quantum one included) derives other secrets.
func TestEachKeyCounts(t *testing.T) {
	bob := newResponder(t, true)
	aliceID, _ := ecdh.X25519().GenerateKey(rand.Reader)
	as, init, err := Initiate(rand.Reader, aliceID, &bob.bundle)
	if err != nil {
		t.Fatal(err)
	}
	other := newResponder(t, true)
	for name, k := range map[string]ResponderKeys{
		"identity":      {other.keys.Identity, bob.keys.SignedPrekey, bob.keys.PQPrekey, bob.keys.OneTime},
		"signed prekey": {bob.keys.Identity, other.keys.SignedPrekey, bob.keys.PQPrekey, bob.keys.OneTime},
		"pq prekey":     {bob.keys.Identity, bob.keys.SignedPrekey, other.keys.PQPrekey, bob.keys.OneTime},
		"one-time":      {bob.keys.Identity, bob.keys.SignedPrekey, bob.keys.PQPrekey, other.keys.OneTime},
	} {
		s, err := Respond(&k, init)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s.Root == as.Root || s.HeaderA == as.HeaderA {
			t.Errorf("another %s gave the same secrets", name)
		}
	}
	// A tampered ciphertext decapsulates to another secret.
	bad := *init
	bad.Ciphertext = bytes.Clone(init.Ciphertext)
	bad.Ciphertext[5] ^= 1
	if s, err := Respond(&bob.keys, &bad); err != nil || s.Root == as.Root {
		t.Errorf("a tampered ciphertext: %v, same secrets %v", err, err == nil && s.Root == as.Root)
	}
}

func TestBadInput(t *testing.T) {
	bob := newResponder(t, false)
	aliceID, _ := ecdh.X25519().GenerateKey(rand.Reader)
	lowOrder := bob.bundle
	lowOrder.SignedPrekey.Key = [KeySize]byte{} // the all-zero point: every DH with it is zero
	if _, _, err := Initiate(rand.Reader, aliceID, &lowOrder); !errors.Is(err, ErrBadKey) {
		t.Errorf("a low-order signed prekey: %v, want ErrBadKey", err)
	}
	shortPQ := bob.bundle
	shortPQ.PQPrekey.Key = shortPQ.PQPrekey.Key[:100]
	if _, _, err := Initiate(rand.Reader, aliceID, &shortPQ); !errors.Is(err, ErrBadKey) {
		t.Errorf("a short post-quantum prekey: %v, want ErrBadKey", err)
	}
	_, init, err := Initiate(rand.Reader, aliceID, &bob.bundle)
	if err != nil {
		t.Fatal(err)
	}
	withOneTime := *init
	withOneTime.HasOneTime, withOneTime.OneTimeID = true, 3
	if _, err := Respond(&bob.keys, &withOneTime); err == nil {
		t.Error("a handshake naming a one-time prekey the responder did not give")
	}
	zeroEph := *init
	zeroEph.Ephemeral = [KeySize]byte{}
	if _, err := Respond(&bob.keys, &zeroEph); !errors.Is(err, ErrBadKey) {
		t.Errorf("an all-zero ephemeral key: %v, want ErrBadKey", err)
	}
	wire, _ := init.MarshalBinary()
	for name, b := range map[string][]byte{
		"short":    wire[:len(wire)-1],
		"long":     append(bytes.Clone(wire), 0),
		"bad flag": func() []byte { c := bytes.Clone(wire); c[2*KeySize+12] = 2; return c }(),
		"stray id": func() []byte { c := bytes.Clone(wire); c[2*KeySize+11] = 1; return c }(),
	} {
		var in Init
		if err := in.UnmarshalBinary(b); err == nil {
			t.Errorf("%s: a malformed handshake was accepted", name)
		}
	}
}

// FuzzInit: a handshake from the network that decodes encodes to the
// same bytes, and never panics the responder.
func FuzzInit(f *testing.F) {
	bob := newResponder(f, false)
	aliceID, _ := ecdh.X25519().GenerateKey(rand.Reader)
	_, init, err := Initiate(rand.Reader, aliceID, &bob.bundle)
	if err != nil {
		f.Fatal(err)
	}
	wire, _ := init.MarshalBinary()
	f.Add(wire)
	f.Fuzz(func(t *testing.T, b []byte) {
		var in Init
		if in.UnmarshalBinary(b) != nil {
			return
		}
		again, err := in.MarshalBinary()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("decoded and encoded again: %v", err)
		}
		Respond(&bob.keys, &in) // an error or secrets, never a panic
	})
}
