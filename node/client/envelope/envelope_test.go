package envelope

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"errors"
	"testing"
	"time"
)

func TestSplitReassembleRoundTrip(t *testing.T) {
	bob, _ := ecdh.X25519().GenerateKey(rand.Reader)
	for _, size := range []int{0, 1, 500, 2048, 10_000, 100_000} {
		msg := bytes.Repeat([]byte{byte(size)}, size)
		surb := []byte("a reply block")
		frags, err := Split(rand.Reader, bob.PublicKey(), 2048, msg, surb)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range frags {
			if len(f) > 2048 {
				t.Fatalf("fragment of %d bytes exceeds the payload", len(f))
			}
		}
		r := NewReassembler(8, time.Minute)
		var got *Message
		// Deliver in reverse order: the network reorders.
		for i := len(frags) - 1; i >= 0; i-- {
			f, err := Open(bob, frags[i])
			if err != nil {
				t.Fatal(err)
			}
			m, err := r.Add(f, time.Unix(100, 0))
			if err != nil {
				t.Fatal(err)
			}
			if m != nil {
				if i != 0 {
					t.Fatalf("message complete after %d of %d fragments", len(frags)-i, len(frags))
				}
				got = m
			}
		}
		if got == nil || !bytes.Equal(got.Body, msg) || !bytes.Equal(got.ReplySURB, surb) {
			t.Fatalf("size %d: reassembled %d bytes, surb %q", size, len(got.Body), got.ReplySURB)
		}
	}
}

func TestOpenRefusesOthersAndTampering(t *testing.T) {
	bob, _ := ecdh.X25519().GenerateKey(rand.Reader)
	eve, _ := ecdh.X25519().GenerateKey(rand.Reader)
	frags, _ := Split(rand.Reader, bob.PublicKey(), 2048, []byte("secret"), nil)
	if _, err := Open(eve, frags[0]); !errors.Is(err, ErrNotForUs) {
		t.Fatalf("eve opened bob's fragment: %v", err)
	}
	tampered := bytes.Clone(frags[0])
	tampered[len(tampered)-1] ^= 1
	if _, err := Open(bob, tampered); !errors.Is(err, ErrNotForUs) {
		t.Fatalf("tampered fragment: %v", err)
	}
	if _, err := Open(bob, frags[0][:10]); !errors.Is(err, ErrBadFragment) {
		t.Fatalf("truncated fragment: %v", err)
	}
}

func TestReassemblerIsBounded(t *testing.T) {
	bob, _ := ecdh.X25519().GenerateKey(rand.Reader)
	r := NewReassembler(2, time.Minute)
	now := time.Unix(0, 0)
	for i := range 3 {
		frags, _ := Split(rand.Reader, bob.PublicKey(), 256, bytes.Repeat([]byte{1}, 1000), nil)
		f, _ := Open(bob, frags[0])
		_, err := r.Add(f, now)
		if i < 2 && err != nil {
			t.Fatal(err)
		}
		if i == 2 && err == nil {
			t.Fatal("a third incomplete message was accepted beyond the bound")
		}
	}
	// After maxAge the stale partial messages are forgotten and room returns.
	frags, _ := Split(rand.Reader, bob.PublicKey(), 256, bytes.Repeat([]byte{1}, 1000), nil)
	f, _ := Open(bob, frags[0])
	if _, err := r.Add(f, now.Add(2*time.Minute)); err != nil {
		t.Fatalf("room not reclaimed after expiry: %v", err)
	}
	if len(r.pending) != 1 {
		t.Fatalf("%d pending, want 1", len(r.pending))
	}
}

func TestSplitRefusesHugeMessages(t *testing.T) {
	bob, _ := ecdh.X25519().GenerateKey(rand.Reader)
	if _, err := Split(rand.Reader, bob.PublicKey(), 256, make([]byte, 1<<20), nil); !errors.Is(err, ErrMessageTooLong) {
		t.Fatalf("got %v, want ErrMessageTooLong", err)
	}
}
