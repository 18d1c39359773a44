package ratchet

import (
	"bytes"
	"crypto/rand"
	"testing"
)

// FuzzDecrypt: bytes from the network never panic Decrypt, and what it
// refuses leaves the session as it was.
func FuzzDecrypt(f *testing.F) {
	alice, bob := pair(f)
	m := seal(f, alice, "seed")
	f.Add(m)
	f.Add(m[:Overhead])
	f.Add(make([]byte, Overhead+3))
	f.Fuzz(func(t *testing.T, msg []byte) {
		s := bob.clone()
		before := s.clone()
		if _, err := s.Decrypt(rand.Reader, msg, ad); err != nil && !s.Equal(before) {
			t.Fatalf("a refused message (%v) changed the state", err)
		}
	})
}

// FuzzState: a stored state that decodes encodes to the same bytes.
func FuzzState(f *testing.F) {
	alice, bob := pair(f)
	open(f, bob, seal(f, alice, "seed"), "seed")
	seal(f, alice, "skipped")
	open(f, bob, seal(f, alice, "after"), "after")
	for _, s := range []*State{alice, bob} {
		b, err := s.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var s State
		if s.UnmarshalBinary(b) != nil {
			return
		}
		again, err := s.MarshalBinary()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("decoded and encoded again: %x (%v), was %x", again, err, b)
		}
	})
}
