package devnet

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/internal/testutil"
	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/messaging/session"
	"github.com/murmurnet/murmur/node/cards"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/node/wire"
)

// signedCard makes the contact card of a fresh account for client c, with
// the keys of a session store, issued at issued.
func signedCard(t *testing.T, c *client.Client, chainID uint64, key *ecdsa.PrivateKey, issued time.Time) *card.Signed {
	t.Helper()
	st, err := session.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := c.Address()
	cd := st.Card(a.Provider, a.Mailbox, a.Key)
	cd.ChainID, cd.Account = chainID, crypto.PubkeyToAddress(key.PublicKey)
	cd.Issued, cd.Expires = issued.Truncate(time.Second), issued.Add(24*time.Hour).Truncate(time.Second)
	s, err := card.Sign(cd, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A card published at one provider is found by account through the mixnet
// at any provider, a provider that was down when it was published takes
// it from the others when it comes back, and an account without a card
// is answered as such.
func TestCardLookupThroughTheMixnet(t *testing.T) {
	nw, ctx := startNetwork(t)
	chainID := nw.Chain.ChainID().Uint64()
	alice := newClient(t, ctx, nw.ClientConfig(0))
	p1, p2 := nw.Result.Relays[0].Node, nw.Result.Relays[1].Node

	// Provider 2 is down while alice publishes: it must sync when back.
	cfg, err := nw.StopRelay(1)
	if err != nil {
		t.Fatal(err)
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	account := crypto.PubkeyToAddress(key.PublicKey)
	s := signedCard(t, alice, chainID, key, time.Now().Add(-time.Minute))
	if err := alice.PublishCard(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := alice.PublishCard(ctx, s); err == nil {
		t.Fatal("the same card was published twice")
	}
	if err := nw.StartRelay(ctx, 1, cfg); err != nil {
		t.Fatal(err)
	}
	p2 = nw.Result.Relays[1].Node
	// Bob routes on what his provider, provider 2, knows: back, it must
	// first learn the relays' descriptors again.
	testutil.WaitFor(t, 30*time.Second, "provider 2 to know every relay's descriptor", func() bool {
		d := p2.Directory()
		tp, ok := d.Topology(d.Epoch())
		return ok && len(d.All(d.Epoch())) == tp.Len()
	})
	// Bob, a client of provider 2, connects once it is back: this test is
	// about the providers' sync, not about clients redialling a provider.
	bob := newClient(t, ctx, nw.ClientConfig(1))
	testutil.WaitFor(t, 30*time.Second, "provider 2 synced alice's card", func() bool { return p2.CardStats().Kept == 1 })
	if st := p2.CardStats(); st.Taken != 1 {
		t.Fatalf("provider 2 took %d cards, want 1", st.Taken)
	}

	// Lookups go to a random provider: enough that both answer.
	for i := 0; i < 8 && (p1.CardStats().Found == 0 || p2.CardStats().Found == 0); i++ {
		lctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		got, err := bob.LookupCard(lctx, account)
		cancel()
		if err != nil {
			t.Fatalf("lookup %d: %v", i, err)
		}
		if got.Account != account || got.Identity != s.Identity || got.Mailbox != s.Mailbox || got.Signature != s.Signature {
			t.Fatalf("lookup %d returned another card", i)
		}
	}
	if p1.CardStats().Found == 0 || p2.CardStats().Found == 0 {
		t.Fatalf("one provider never answered: %+v, %+v", p1.CardStats(), p2.CardStats())
	}

	// A newer card replaces the old one everywhere, pushed on publication.
	newer := signedCard(t, alice, chainID, key, time.Now())
	if err := alice.PublishCard(ctx, newer); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, 10*time.Second, "the newer card pushed to provider 2", func() bool { return p2.CardStats().Taken == 2 })
	lctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	got, err := bob.LookupCard(lctx, account)
	cancel()
	if err != nil || got.Issued != newer.Issued || got.Identity != newer.Identity {
		t.Fatalf("after the newer card: %v (issued %v)", err, got)
	}

	// Bad cards are refused with a reason, and change nothing.
	forged := signedCard(t, alice, chainID, key, time.Now().Add(-30*time.Second))
	forged.Signature[5] ^= 1
	if err := alice.PublishCard(ctx, forged); !errors.Is(err, card.ErrSignature) {
		t.Fatalf("a card with a bad signature: %v", err)
	}
	stranger, err := libp2p.New(libp2p.NoListenAddrs)
	if err != nil {
		t.Fatal(err)
	}
	defer stranger.Close()
	if err := stranger.Connect(ctx, peer.AddrInfo{ID: p1.Host().ID(), Addrs: p1.Addrs()}); err != nil {
		t.Fatal(err)
	}
	cs, err := stranger.NewStream(ctx, p1.Host().ID(), wire.ClientProtocol)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	b, _ := newer.MarshalBinary()
	if st := request(t, cs, wire.TypePublishCard, b); st.Code != wire.CodeNotRegistered {
		t.Fatalf("unregistered: %+v", st)
	}
	if st := request(t, cs, wire.TypeRegister, nil); st.Code != wire.CodeOK {
		t.Fatal(st)
	}
	if st := request(t, cs, wire.TypePublishCard, b[:100]); st.Code != wire.CodeMalformed {
		t.Fatalf("a truncated card: %+v", st)
	}
	if st := request(t, cs, wire.TypePublishCard, b); st.Code != wire.CodeRejected || !strings.Contains(st.Reason, "mailbox") {
		t.Fatalf("alice's card from another client: %+v", st)
	}
	ps, err := stranger.NewStream(ctx, p1.Host().ID(), cards.Protocol)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	if st := request(t, ps, cards.TypePush, b); st.Code != wire.CodeRejected || !strings.Contains(st.Reason, "not a provider") {
		t.Fatalf("a push from a peer that is no provider: %+v", st)
	}
	if st := p1.CardStats(); st.Kept != 1 {
		t.Fatalf("provider 1 keeps %d cards after the bad ones", st.Kept)
	}

	lctx, cancel = context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := bob.LookupCard(lctx, common.HexToAddress("0x00000000000000000000000000000000000000a1")); !errors.Is(err, client.ErrNoCard) {
		t.Fatalf("an account without a card: %v", err)
	}
	t.Logf("provider 1 %+v, provider 2 %+v", p1.CardStats(), p2.CardStats())
}
