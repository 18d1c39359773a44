package card

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/cloudflare/circl/kem/mlkem/mlkem768"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/murmurnet/murmur/messaging/pqxdh"
)

var now = time.Unix(1_800_000_000, 0)

func newCard(t testing.TB) (Card, func() []byte) {
	t.Helper()
	key, _ := crypto.GenerateKey()
	id, _ := ecdh.X25519().GenerateKey(rand.Reader)
	spk, _ := ecdh.X25519().GenerateKey(rand.Reader)
	pqPub, _, err := mlkem768.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pq := make([]byte, pqxdh.PQKeySize)
	pqPub.Pack(pq)
	c := Card{
		ChainID:      1337,
		Account:      crypto.PubkeyToAddress(key.PublicKey),
		Identity:     [32]byte(id.PublicKey().Bytes()),
		SignedPrekey: pqxdh.Prekey{ID: 3, Key: [32]byte(spk.PublicKey().Bytes())},
		PQPrekey:     pqxdh.PQPrekey{ID: 4, Key: pq},
		Provider:     [32]byte{0xaa},
		Mailbox:      [32]byte{0xbb},
		Issued:       now.Add(-time.Hour),
		Expires:      now.Add(30 * 24 * time.Hour),
	}
	return c, func() []byte { return crypto.FromECDSA(key) }
}

func sign(t testing.TB, c Card, keyBytes []byte) *Signed {
	t.Helper()
	key, err := crypto.ToECDSA(keyBytes)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Sign(c, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSignVerifyEncode: a signed card verifies, survives its encoding,
// and its digest is what a wallet signs for eth_signTypedData_v4 (the
// typed data through JSON, as a page hands it over).
func TestSignVerifyEncode(t *testing.T) {
	c, key := newCard(t)
	s := sign(t, c, key())
	if err := s.Verify(1337, now); err != nil {
		t.Fatal(err)
	}
	b, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != EncodedSize {
		t.Fatalf("%d bytes, want %d", len(b), EncodedSize)
	}
	var got Signed
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if err := got.Verify(1337, now); err != nil {
		t.Fatalf("the decoded card: %v", err)
	}
	again, _ := got.MarshalBinary()
	if !bytes.Equal(again, b) {
		t.Fatal("decoded and encoded again, the card differs")
	}

	raw, err := c.TypedDataJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back apitypes.TypedData
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	h, _, err := apitypes.TypedDataAndHash(back)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := c.Digest()
	if !bytes.Equal(h, d[:]) {
		t.Fatalf("the digest through JSON %s, directly %s", hexutil.Encode(h), d)
	}
}

func TestVerifyRefuses(t *testing.T) {
	c, key := newCard(t)
	good := sign(t, c, key())
	other, otherKey := newCard(t)
	for name, tc := range map[string]struct {
		s     *Signed
		chain uint64
		at    time.Time
		want  error
	}{
		"another chain": {good, 1, now, ErrChain},
		"expired":       {good, 1337, c.Expires, ErrExpired},
		"not yet":       {good, 1337, c.Issued.Add(-time.Second), ErrNotYet},
		"another's signature": {func() *Signed {
			cc := c
			cc.Account = other.Account
			s := sign(t, cc, otherKey())
			s.Card = c // c's contents under other's signature
			return s
		}(), 1337, now, ErrSignature},
		"a changed key": {func() *Signed {
			s := *good
			s.Mailbox[0] ^= 1
			return &s
		}(), 1337, now, ErrSignature},
		"high s": {func() *Signed {
			s := *good
			for i := 32; i < 64; i++ {
				s.Signature[i] = 0xff
			}
			return &s
		}(), 1337, now, ErrSignature},
		"a low-order prekey": {func() *Signed {
			cc := c
			cc.SignedPrekey.Key = [32]byte{}
			return sign(t, cc, key())
		}(), 1337, now, ErrKeys},
		"a short pq prekey": {func() *Signed {
			cc := c
			cc.PQPrekey.Key = cc.PQPrekey.Key[:10]
			return sign(t, cc, key())
		}(), 1337, now, ErrKeys},
	} {
		if err := tc.s.Verify(tc.chain, tc.at); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	if _, err := Sign(c, mustKey(t, otherKey())); err == nil {
		t.Error("signed a card with another account's key")
	}
}

func mustKey(t *testing.T, b []byte) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(b)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestDecodeRefuses(t *testing.T) {
	c, key := newCard(t)
	b, _ := sign(t, c, key()).MarshalBinary()
	for name, bad := range map[string][]byte{
		"short":   b[:len(b)-1],
		"long":    append(bytes.Clone(b), 0),
		"version": append([]byte{2}, b[1:]...),
		"time": func() []byte {
			x := bytes.Clone(b)
			x[EncodedSize-65-8] = 0xff
			return x
		}(),
	} {
		var s Signed
		if err := s.UnmarshalBinary(bad); err == nil {
			t.Errorf("%s: a malformed card decoded", name)
		}
	}
}

// FuzzCard: a card from the network that decodes encodes to the same
// bytes, and Verify never panics on it.
func FuzzCard(f *testing.F) {
	c, key := newCard(f)
	b, _ := sign(f, c, key()).MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Signed
		if s.UnmarshalBinary(b) != nil {
			return
		}
		again, err := s.MarshalBinary()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("decoded and encoded again: %v", err)
		}
		s.Verify(1337, now)
	})
}

// TestDigestMatchesApitypes holds the hand-built digest to go-ethereum's
// EIP-712 code over cards with extreme and random field values.
func TestDigestMatchesApitypes(t *testing.T) {
	c, _ := newCard(t)
	cases := []Card{c}
	for range 20 {
		x, _ := newCard(t)
		var b [48]byte
		rand.Read(b[:])
		x.ChainID = binary.BigEndian.Uint64(b[0:])
		x.SignedPrekey.ID = binary.BigEndian.Uint32(b[8:])
		x.PQPrekey.ID = binary.BigEndian.Uint32(b[12:])
		x.Issued = time.Unix(int64(binary.BigEndian.Uint32(b[16:])), 0)
		x.Expires = time.Unix(int64(binary.BigEndian.Uint64(b[20:])>>2), 0)
		copy(x.Provider[:], b[:32])
		copy(x.Mailbox[:], b[16:])
		copy(x.SealKey[:], b[8:40])
		cases = append(cases, x)
	}
	big := c
	big.ChainID, big.SignedPrekey.ID, big.PQPrekey.ID = 1<<64-1, 1<<32-1, 1<<32-1
	big.Issued, big.Expires = time.Unix(0, 0), time.Unix(1<<62, 0)
	cases = append(cases, big)
	for i, x := range cases {
		raw, err := x.TypedDataJSON()
		if err != nil {
			t.Fatal(err)
		}
		var td apitypes.TypedData
		if err := json.Unmarshal(raw, &td); err != nil {
			t.Fatal(err)
		}
		want, _, err := apitypes.TypedDataAndHash(td)
		if err != nil {
			t.Fatalf("card %d: %v", i, err)
		}
		got, err := x.Digest()
		if err != nil || !bytes.Equal(got[:], want) {
			t.Errorf("card %d: digest %s (%v), apitypes %x", i, got, err, want)
		}
	}
}
