package wallet

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/tickets"
)

// A wallet written in format version 1 (keys without the issuer's fee)
// opens, its key has no fee, and it is written back as the current
// version, which keeps a fee.
func TestReadsFormatVersion1(t *testing.T) {
	var seed [32]byte
	k, err := tickets.GenerateIssuerKey(rand.NewChaCha8(seed), 31337, 4, tickets.Value{Packets: 1000, Price: big.NewInt(7e12)})
	if err != nil {
		t.Fatal(err)
	}
	st := &state{hasChain: true, chainID: 31337, keys: map[uint64]tickets.IssuerKey{4: k.Public()}}
	plain := encodeState(st)
	// One key and nothing else: drop the key's fee to get version 1's bytes.
	feeAt := 1 + 8 + 4 + keySize
	v1 := append(bytes.Clone(plain[:feeAt]), plain[feeAt+32:]...)
	secret := bytes.Repeat([]byte{7}, SecretSize)
	salt := bytes.Repeat([]byte{9}, saltSize)
	s, err := newSealerOf(secret, salt, 1)
	if err != nil {
		t.Fatal(err)
	}
	file, err := s.seal(v1)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "wallet")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := Open(path, secret)
	if err != nil {
		t.Fatalf("a version 1 wallet: %v", err)
	}
	got, ok := w.Key(4)
	if !ok || got.Value.Price.Cmp(big.NewInt(7e12)) != 0 || got.Value.FeeWei().Sign() != 0 {
		t.Fatalf("key %+v, %v", got.Value, ok)
	}
	// Saving writes the current version, with a purchase's fee.
	sk, err := tickets.GenerateIssuerKey(rand.NewChaCha8(seed), 31337, 5, tickets.Value{Packets: 1000, Price: big.NewInt(7e12), Fee: big.NewInt(3e11)})
	if err != nil {
		t.Fatal(err)
	}
	req, err := tickets.NewTicketRequest(nil, sk.Public())
	if err != nil {
		t.Fatal(err)
	}
	pay := cheque.Signed{Cheque: cheque.Cheque{CumulativeAmount: big.NewInt(73e11)}}
	if _, err := w.Begin("issuer", sk.Public(), []*tickets.TicketRequest{req}, pay); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if b[len(magic)] != formatVersion {
		t.Fatalf("written back as version %d", b[len(magic)])
	}
	again, err := Open(path, secret)
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	ps := again.Pending()
	if len(ps) != 1 || ps[0].Key.Value.FeeWei().Cmp(big.NewInt(3e11)) != 0 || ps[0].Price().Cmp(big.NewInt(73e11)) != 0 {
		t.Fatalf("pending purchases %+v", ps)
	}
}

// A wallet's sealed state is authenticated before it is decoded, but the
// decoder must still never panic on bytes it did not write (a bug, another
// version): it refuses them, or decodes a state that it writes and reads
// back as the same.
func FuzzDecodeState(f *testing.F) {
	var seed [32]byte
	k, err := tickets.GenerateIssuerKey(rand.NewChaCha8(seed), 31337, 4, tickets.Value{Packets: 1000, Price: big.NewInt(7e12), Fee: big.NewInt(1)})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(encodeState(&state{hasChain: true, chainID: 31337, keys: map[uint64]tickets.IssuerKey{4: k.Public()}}), byte(2))
	f.Add(encodeState(&state{keys: map[uint64]tickets.IssuerKey{}}), byte(1))
	f.Fuzz(func(t *testing.T, b []byte, version byte) {
		st, err := decodeState(b, version%2+1)
		if err != nil {
			return
		}
		again := encodeState(st)
		st2, err := decodeState(again, formatVersion)
		if err != nil || !bytes.Equal(encodeState(st2), again) {
			t.Fatalf("a decoded state does not read back: %v", err)
		}
	})
}
