package devnet

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/internal/testutil"
	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/messaging/reliable"
	"github.com/murmurnet/murmur/messaging/session"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/node/client/messenger"
	"github.com/murmurnet/murmur/node/cover"
)

// user is a client with its conversation keys, published card and messenger.
type user struct {
	account common.Address
	m       *messenger.Messenger
}

func newUser(t *testing.T, ctx context.Context, nw *Network, i int) *user {
	t.Helper()
	c := newClient(t, ctx, nw.ClientConfig(i))
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	st, err := session.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := signCard(t, st, c, nw.Chain.ChainID().Uint64(), key)
	if err := c.PublishCard(ctx, s); err != nil {
		t.Fatal(err)
	}
	m, err := messenger.Open(messenger.Options{Client: c, Sessions: st, Card: s, Dir: t.TempDir(), ChainID: nw.Chain.ChainID().Uint64()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return &user{account: s.Account, m: m}
}

func signCard(t *testing.T, st *session.Store, c *client.Client, chainID uint64, key *ecdsa.PrivateKey) *card.Signed {
	t.Helper()
	a := c.Address()
	cd := st.Card(a.Provider, a.Mailbox, a.Key)
	cd.ChainID, cd.Account = chainID, crypto.PubkeyToAddress(key.PublicKey)
	now := time.Now().Truncate(time.Second)
	cd.Issued, cd.Expires = now.Add(-time.Minute), now.Add(24*time.Hour)
	s, err := card.Sign(cd, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Two users who know only each other's account converse: 50 messages
// each way, at the same time, through a mix that drops a tenth of what it
// should relay, with cover traffic on. Every message arrives once and in
// order, and each sender sees each of its messages delivered.
func TestConversationByAccount(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rates := cover.Rates{LambdaP: 8, LambdaL: 1, LambdaD: 1, LambdaM: 1, Mu: 50 * time.Millisecond}
	nw, err := Start(ctx, Options{EpochLength: 10 * time.Second, Cover: rates, ClientTickets: 4,
		Faults: map[string]node.Faults{"mix2.1": {DropRelayed: 0.1}}})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	alice, bob := newUser(t, ctx, nw, 0), newUser(t, ctx, nw, 1)
	for _, r := range nw.Result.Relays[:2] {
		testutil.WaitFor(t, 20*time.Second, "both cards at both providers", func() bool { return r.Node.CardStats().Kept == 2 })
	}

	// A conversation's pace, 2.5 messages a second each way: with their
	// acknowledgements, well inside each client's 8 payload slots a second.
	const n, pace = 50, 400 * time.Millisecond
	type sent struct {
		id messenger.MessageID
		at time.Time
	}
	var mu sync.Mutex
	sentAt := map[string]time.Time{}
	var latencies []time.Duration
	send := func(from, to *user, name string) ([]sent, error) {
		var out []sent
		for i := range n {
			body := fmt.Sprintf("%s %02d", name, i)
			mu.Lock()
			sentAt[body] = time.Now()
			mu.Unlock()
			id, err := from.m.Send(ctx, to.account, []byte(body))
			if err != nil {
				return out, fmt.Errorf("%s: %w", body, err)
			}
			out = append(out, sent{id: id, at: time.Now()})
			time.Sleep(pace)
		}
		return out, nil
	}
	receive := func(u *user, name string) ([]string, error) {
		var got []string
		for range n {
			m, err := u.m.Receive(ctx)
			if err != nil {
				return got, err
			}
			mu.Lock()
			d := time.Since(sentAt[string(m.Body)])
			latencies = append(latencies, d)
			if d > 3*time.Second {
				t.Logf("%q took %s", m.Body, d.Round(time.Millisecond))
			}
			mu.Unlock()
			got = append(got, string(m.Body))
		}
		return got, nil
	}
	var wg sync.WaitGroup
	var aSent, bSent []sent
	var aGot, bGot []string
	var errs [4]error
	wg.Add(4)
	go func() { defer wg.Done(); aSent, errs[0] = send(alice, bob, "alice") }()
	go func() { defer wg.Done(); bSent, errs[1] = send(bob, alice, "bob") }()
	go func() { defer wg.Done(); bGot, errs[2] = receive(bob, "bob") }()
	go func() { defer wg.Done(); aGot, errs[3] = receive(alice, "alice") }()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for name, got := range map[string][]string{"alice": bGot, "bob": aGot} {
		var want []string
		for i := range n {
			want = append(want, fmt.Sprintf("%s %02d", name, i))
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s's messages arrived as %q", name, got)
		}
	}
	for _, u := range []struct {
		u    *user
		sent []sent
	}{{alice, aSent}, {bob, bSent}} {
		testutil.WaitFor(t, 60*time.Second, "every message acknowledged", func() bool {
			for _, s := range u.sent {
				if u.u.m.Status(s.id) != reliable.Delivered {
					return false
				}
			}
			return true
		})
	}
	rctx, rcancel := context.WithTimeout(ctx, 3*time.Second)
	defer rcancel()
	if m, err := bob.m.Receive(rctx); err == nil {
		t.Fatalf("a message arrived twice: %q", m.Body)
	}
	slices.Sort(latencies)
	st := alice.m.Stats()
	t.Logf("delivery time over %d messages: p50 %s, p99 %s, max %s; alice: %+v, bob: %+v",
		len(latencies), latencies[len(latencies)/2].Round(time.Millisecond), latencies[len(latencies)*99/100].Round(time.Millisecond),
		latencies[len(latencies)-1].Round(time.Millisecond), st, bob.m.Stats())
}
