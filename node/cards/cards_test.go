package cards

import (
	"context"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/cloudflare/circl/kem/mlkem/mlkem768"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/messaging/pqxdh"
)

const chainID = 1337

var now = time.Unix(1_800_000_000, 0)

// testCard signs a card of key's account homed at provider, issued at issued.
func testCard(t testing.TB, key *ecdsa.PrivateKey, provider [32]byte, issued time.Time) *card.Signed {
	t.Helper()
	id, _ := ecdh.X25519().GenerateKey(rand.Reader)
	spk, _ := ecdh.X25519().GenerateKey(rand.Reader)
	pqPub, _, err := mlkem768.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pq := make([]byte, pqxdh.PQKeySize)
	pqPub.Pack(pq)
	s, err := card.Sign(card.Card{
		ChainID: chainID, Account: crypto.PubkeyToAddress(key.PublicKey),
		Identity:     [32]byte(id.PublicKey().Bytes()),
		SignedPrekey: pqxdh.Prekey{ID: 1, Key: [32]byte(spk.PublicKey().Bytes())},
		PQPrekey:     pqxdh.PQPrekey{ID: 2, Key: pq},
		Provider:     provider, Mailbox: [32]byte{0xbb},
		Issued: issued, Expires: issued.Add(24 * time.Hour),
	}, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func openStore(t *testing.T, dir string, clock *time.Time) *Store {
	t.Helper()
	s, err := Open(dir, chainID, func() time.Time { return *clock }, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The store keeps the newest valid card of each account, across a reopen,
// refuses what Verify refuses, and forgets a card once it expires.
func TestStore(t *testing.T) {
	dir, clock := t.TempDir(), now
	s := openStore(t, dir, &clock)
	key, _ := crypto.GenerateKey()
	account := crypto.PubkeyToAddress(key.PublicKey)
	prov := [32]byte{1}
	if _, err := s.Get(account); !errors.Is(err, ErrNotFound) {
		t.Fatalf("empty store: %v", err)
	}
	old := testCard(t, key, prov, now.Add(-time.Hour))
	if err := s.Put(old); err != nil {
		t.Fatal(err)
	}
	newer := testCard(t, key, prov, now.Add(-time.Minute))
	if err := s.Put(newer); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(old); !errors.Is(err, ErrOlder) {
		t.Fatalf("an older card: %v", err)
	}
	if err := s.Put(newer); !errors.Is(err, ErrOlder) {
		t.Fatalf("the same card again: %v", err)
	}
	forged := testCard(t, key, prov, now)
	forged.Signature[3] ^= 1
	other := testCard(t, key, prov, now)
	other.ChainID = 1
	future := testCard(t, key, prov, now.Add(time.Hour))
	for name, c := range map[string]*card.Signed{"forged": forged, "another chain": other, "not yet valid": future} {
		if err := s.Put(c); err == nil {
			t.Errorf("%s card kept", name)
		}
	}
	s.Close()

	s = openStore(t, dir, &clock)
	defer s.Close()
	got, err := s.Get(account)
	if err != nil || got.Issued != newer.Issued || got.Identity != newer.Identity {
		t.Fatalf("after reopening: %v, %v", got, err)
	}
	key2, _ := crypto.GenerateKey()
	if err := s.Put(testCard(t, key2, [32]byte{2}, now.Add(-time.Minute))); err != nil {
		t.Fatal(err)
	}
	var homed []*card.Signed
	if err := s.Homed(prov, func(c *card.Signed) error { homed = append(homed, c); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(homed) != 1 || homed[0].Account != account {
		t.Fatalf("homed at provider 1: %d cards", len(homed))
	}
	clock = newer.Expires
	if _, err := s.Get(account); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an expired card: %v", err)
	}
}

// Lookups and answers decode to what was encoded, and anything else is
// refused as malformed.
func TestLookupAndAnswer(t *testing.T) {
	key, _ := crypto.GenerateKey()
	account := crypto.PubkeyToAddress(key.PublicKey)
	surb := []byte("a reply block with its epoch")
	q, err := EncodeLookup(account, surb)
	if err != nil {
		t.Fatal(err)
	}
	a, sb, err := DecodeLookup(append(q, make([]byte, 100)...)) // padded, as a payload is
	if err != nil || a != account || string(sb) != string(surb) {
		t.Fatalf("lookup: %v %x %q", err, a, sb)
	}
	for _, bad := range [][]byte{nil, q[:22], q[:len(q)-1], append([]byte{9}, q[1:]...)} {
		if _, _, err := DecodeLookup(bad); err == nil {
			t.Errorf("lookup %x decoded", bad)
		}
	}
	if _, err := EncodeLookup(account, make([]byte, MaxSURB+1)); err == nil {
		t.Error("an oversized reply block encoded")
	}
	c := testCard(t, key, [32]byte{1}, now)
	b, err := EncodeAnswer(c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeAnswer(append(b, 0, 0, 0))
	if err != nil || got.Signature != c.Signature {
		t.Fatalf("answer: %v", err)
	}
	none, _ := EncodeAnswer(nil)
	if _, err := DecodeAnswer(none); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no card: %v", err)
	}
	for _, bad := range [][]byte{nil, {7}, b[:100]} {
		if _, err := DecodeAnswer(bad); err == nil || errors.Is(err, ErrNotFound) {
			t.Errorf("answer %x: %v", bad, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	key, _ := crypto.GenerateKey()
	q, _ := EncodeLookup(crypto.PubkeyToAddress(key.PublicKey), []byte("surb"))
	b, _ := EncodeAnswer(testCard(f, key, [32]byte{1}, now))
	f.Add(q)
	f.Add(b)
	f.Fuzz(func(t *testing.T, p []byte) {
		if a, sb, err := DecodeLookup(p); err == nil {
			q, err := EncodeLookup(a, sb)
			if err != nil || string(q) != string(p[:len(q)]) {
				t.Fatalf("lookup does not re-encode: %v", err)
			}
		}
		if c, err := DecodeAnswer(p); err == nil {
			b, err := EncodeAnswer(c)
			if err != nil || string(b) != string(p[:len(b)]) {
				t.Fatalf("answer does not re-encode: %v", err)
			}
		}
	})
}

// staticProviders makes the listed peers providers.
type staticProviders []peer.ID

func (sp staticProviders) ProviderKey(p peer.ID) ([32]byte, bool) {
	for _, q := range sp {
		if q == p {
			k, ok := identity.NodeKeyOf(p)
			return k, ok
		}
	}
	return [32]byte{}, false
}

// Between two providers: a push of one's user's card is kept, a push of a
// card homed elsewhere is refused, and a sync hands over exactly the
// syncing provider's peer's own users' cards.
func TestPushAndSync(t *testing.T) {
	ctx := context.Background()
	clock := now
	ha, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	defer ha.Close()
	hb, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	defer hb.Close()
	ka, _ := identity.NodeKeyOf(ha.ID())
	kb, _ := identity.NodeKeyOf(hb.ID())
	sa, sb := openStore(t, t.TempDir(), &clock), openStore(t, t.TempDir(), &clock)
	defer sa.Close()
	defer sb.Close()
	both := staticProviders{ha.ID(), hb.ID()}
	a := NewService(ha, sa, ka, both, testLog)
	b := NewService(hb, sb, kb, both, testLog)
	ha.SetStreamHandler(Protocol, a.Handle)
	hb.SetStreamHandler(Protocol, b.Handle)
	if err := ha.Connect(ctx, peer.AddrInfo{ID: hb.ID(), Addrs: hb.Addrs()}); err != nil {
		t.Fatal(err)
	}

	k1, _ := crypto.GenerateKey()
	k2, _ := crypto.GenerateKey()
	k3, _ := crypto.GenerateKey()
	mine := testCard(t, k1, ka, now.Add(-time.Minute))
	if err := sa.Put(mine); err != nil {
		t.Fatal(err)
	}
	if err := a.Push(ctx, hb.ID(), mine); err != nil {
		t.Fatal(err)
	}
	if err := a.Push(ctx, hb.ID(), mine); err != nil {
		t.Fatalf("a repeated push: %v", err)
	}
	if err := a.Push(ctx, hb.ID(), testCard(t, k2, kb, now.Add(-time.Minute))); err == nil {
		t.Fatal("a push of a card homed at the receiver was kept")
	}
	if taken, refused := b.Stats(); taken != 1 || refused != 1 {
		t.Fatalf("taken %d, refused %d", taken, refused)
	}
	// b's own user, and a card a keeps of b's user: only b's own go to a.
	if err := sb.Put(testCard(t, k3, kb, now.Add(-time.Minute))); err != nil {
		t.Fatal(err)
	}
	n, err := a.SyncFrom(ctx, hb.ID())
	if err != nil || n != 1 {
		t.Fatalf("sync: %d new, %v", n, err)
	}
	if _, err := sa.Get(crypto.PubkeyToAddress(k3.PublicKey)); err != nil {
		t.Fatalf("b's user's card after the sync: %v", err)
	}
	if n, err := a.SyncFrom(ctx, hb.ID()); err != nil || n != 0 {
		t.Fatalf("a second sync: %d new, %v", n, err)
	}
	stranger := NewService(ha, sa, ka, staticProviders{}, testLog)
	if _, err := stranger.SyncFrom(ctx, hb.ID()); err == nil {
		t.Fatal("a sync from a peer that is no provider")
	}
}

var testLog = slog.New(slog.DiscardHandler)
