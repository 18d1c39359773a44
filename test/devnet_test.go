package test

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/murmurnet/murmur/devnet"
	"github.com/murmurnet/murmur/node/client"
)

// TestDevnetOnRealChains runs the whole devnet on anvil and on geth --dev:
// contracts deployed, relays registered and staked and running on libp2p,
// messages delivered end to end both ways and through a reply block, a
// receiver that was offline finding its messages after its provider was
// killed and restarted, clients paying with tickets (and one without
// refused), cheques settled and cashed to the wei.
func TestDevnetOnRealChains(t *testing.T) {
	for _, start := range []func(*testing.T) *devChain{startAnvil, startGeth} {
		c := start(t)
		t.Run(c.Name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			var out bytes.Buffer
			res, err := devnet.Run(ctx, devnet.Options{RPC: c.URL, Out: &out, EpochLength: 5 * time.Second, Messages: 1})
			if err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			if res.ActiveOnChain != 9 {
				t.Fatalf("active relays %d, want 9 (8 in the mix network, 1 issuer)", res.ActiveOnChain)
			}
			// Clients paid the issuer, spent tickets, and the providers were paid for them.
			for _, a := range res.Tickets {
				if a.Bought == 0 || a.IssuerBooked.Cmp(a.PaidWei) != 0 {
					t.Fatalf("%s bought %d tickets for %s wei, the issuer books %s", a.Client, a.Bought, a.PaidWei, a.IssuerBooked)
				}
			}
			// Paid in lottery tickets (the default), each acknowledged.
			for _, r := range res.Redemptions {
				if r.Paid.Cmp(r.Owed) != 0 || (r.Tickets > 0 && (r.ByTicket.Sign() == 0 || r.Receipted.Cmp(r.Paid) != 0)) {
					t.Fatalf("%s was paid %s wei (%s in lottery tickets, %s acknowledged), the issuer owes it %s",
						r.Provider, r.Paid, r.ByTicket, r.Receipted, r.Owed)
				}
			}
			if res.VaultOnChain.Cmp(res.DepositsBooked) != 0 {
				t.Fatalf("vault holds %s, books %s", res.VaultOnChain, res.DepositsBooked)
			}
			if len(res.Exchanges) != 4 || !res.Exchanges[3].Reply {
				t.Fatalf("exchanges %+v\n%s", res.Exchanges, out.String())
			}
			// A receiver offline while its messages were sent, across a restart of its provider.
			if res.OfflineDelivered != 3 {
				t.Fatalf("offline receiver found %d of 3 messages\n%s", res.OfflineDelivered, out.String())
			}
			for _, p := range res.Payments {
				if p.Cashed.Cmp(p.Promised) != 0 {
					t.Fatalf("cashed %s of %s", p.Cashed, p.Promised)
				}
			}
			// Messages flow only when paid: a client without tickets is
			// refused, and every relay was paid on-chain what its
			// neighbours' cheques promised (Run checks each cheque against
			// the vault, and fails if any differs).
			if !strings.Contains(res.UnpaidRefusal, "no prepaid packets left") {
				t.Fatalf("a client without tickets was told %q", res.UnpaidRefusal)
			}
			earned := new(big.Int)
			for _, m := range res.Money {
				if m.Cashed.Cmp(m.Earned) != 0 {
					t.Fatalf("%s earned %s wei, cashed %s", m.Name, m.Earned, m.Cashed)
				}
				earned.Add(earned, m.Earned)
				earned.Add(earned, m.TicketsEV)
			}
			if earned.Sign() == 0 || res.Cost.CashTxs == 0 || res.Cost.Messages == 0 {
				t.Fatalf("no money moved: earned %s wei, %+v", earned, res.Cost)
			}
			if !strings.Contains(out.String(), "funded from the node's dev account") {
				t.Fatalf("report:\n%s", out.String())
			}
		})
	}
}

// TestNetworkSurvivesChainOutage kills the chain under a running network:
// relays and clients keep mixing from their cached registry state, across
// epoch boundaries, and no message is lost.
func TestNetworkSurvivesChainOutage(t *testing.T) {
	c := startAnvil(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	nw, err := devnet.Start(ctx, devnet.Options{RPC: c.URL, EpochLength: 4 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	alice, err := client.New(ctx, nw.ClientConfig(0))
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Close()
	bob, err := client.New(ctx, nw.ClientConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	roundTrip := func(i int) {
		t.Helper()
		body := fmt.Appendf(nil, "message %d", i)
		if err := alice.Send(ctx, bob.Address(), body, client.SendOptions{}); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
		rctx, rcancel := context.WithTimeout(ctx, 10*time.Second)
		defer rcancel()
		m, err := bob.Receive(rctx)
		if err != nil {
			t.Fatalf("message %d lost: %v", i, err)
		}
		if string(m.Body) != string(body) {
			t.Fatalf("got %q, want %q", m.Body, body)
		}
	}
	roundTrip(0)
	c.Stop() // the RPC endpoint goes down
	start := nw.Epochs.At(time.Now())
	i := 1
	for nw.Epochs.At(time.Now()) < start+2 {
		roundTrip(i)
		i++
	}
	t.Logf("%d messages through epochs %d..%d with the chain down", i-1, start, start+2)
}
