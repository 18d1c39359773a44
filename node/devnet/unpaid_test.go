package devnet

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/node/cover"
	"github.com/murmurnet/murmur/node/mixer"
	"github.com/murmurnet/murmur/payments/settle"
)

// TestUnpaidNeighbourRefused runs a devnet in which one mix never pays its
// next hops. Each of them carries at most RefuseAbove of its packets
// unpaid, then refuses the rest (counted as unpaid drops), while honest
// neighbours keep paying and being paid; the clients' loops through the
// refused mix fail, the shopper routes around it, and messages get through.
func TestUnpaidNeighbourRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a devnet")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	const bad = "mix2.1"
	const chequeEvery, refuseAbove = 10, 30
	// Rates above the defaults so that the links pass the threshold and the
	// shopper gathers loops within seconds.
	rates := cover.Rates{LambdaP: 10, LambdaL: 10, LambdaD: 2, LambdaM: 5, Mu: 20 * time.Millisecond}
	nw, err := Start(ctx, Options{
		EpochLength: 5 * time.Second, Cover: rates, ChequeEvery: chequeEvery, RefuseAbove: refuseAbove,
		Faults: map[string]node.Faults{bad: {NoCheques: true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	price, ok := new(big.Int).SetString(nw.Opts.PerHopPriceWei, 10)
	if !ok {
		t.Fatalf("price %q", nw.Opts.PerHopPriceWei)
	}
	maxUnpaid := new(big.Int).Mul(big.NewInt(refuseAbove), price)
	var badRelay Relay
	var next, peers []Relay // bad's next hops; the other mixes of its layer
	for _, r := range nw.Result.Relays {
		switch {
		case r.Name == bad:
			badRelay = r
		case strings.HasPrefix(r.Name, "mix3."):
			next = append(next, r)
		case strings.HasPrefix(r.Name, "mix2."):
			peers = append(peers, r)
		}
	}
	if badRelay.Node == nil || len(next) == 0 || len(peers) == 0 {
		t.Fatalf("no %s, next hops or honest peers in %d relays", bad, len(nw.Result.Relays))
	}

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

	// Every next hop of the bad mix refuses it once it owes RefuseAbove packets.
	for _, r := range next {
		for r.Node.Counters.Get(mixer.Unpaid) == 0 {
			if err := sleepCtx(ctx, 100*time.Millisecond); err != nil {
				t.Fatalf("%s never refused %s as unpaid: %+v", r.Name, bad, r.Node.Earnings().Holdings)
			}
		}
	}
	// The shopper finds the mix whose packets go nowhere.
	for !slices.Contains(alice.Suspects(), badRelay.NodeKey) {
		if err := sleepCtx(ctx, 100*time.Millisecond); err != nil {
			t.Fatalf("%s not suspected after %d loops; suspects %x", bad, alice.Traffic().Loops, alice.Suspects())
		}
	}

	// Messages route around it: every one arrives.
	const n = 10
	for i := range n {
		if err := alice.Send(ctx, bob.Address(), fmt.Appendf(nil, "m%d", i), client.SendOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]bool{}
	rctx, rcancel := context.WithTimeout(ctx, 20*time.Second)
	defer rcancel()
	for len(got) < n {
		m, err := bob.Receive(rctx)
		if err != nil {
			t.Fatalf("bob received %d of %d messages: %v", len(got), n, err)
		}
		got[string(m.Body)] = true
	}

	// What the honest side lost: at most RefuseAbove packets at its price,
	// per next hop; the honest mixes of the bad one's layer paid.
	holding := func(r Relay, payer common.Address) (settle.Holding, bool) {
		for _, h := range r.Node.Earnings().Holdings {
			if h.Payer == payer {
				return h, true
			}
		}
		return settle.Holding{}, false
	}
	for _, r := range next {
		h, ok := holding(r, badRelay.Operator)
		if !ok {
			t.Fatalf("%s has no account of %s", r.Name, bad)
		}
		if h.Latest.CumulativeAmount.Sign() != 0 {
			t.Fatalf("%s holds a cheque of %s for %s wei", r.Name, bad, h.Latest.CumulativeAmount)
		}
		if h.Unpaid.Sign() <= 0 || h.Unpaid.Cmp(maxUnpaid) > 0 {
			t.Fatalf("%s carried %s wei for %s unpaid, want 1 to %s (%d packets × %s)", r.Name, h.Unpaid, bad, maxUnpaid, refuseAbove, price)
		}
		st := r.Node.Earnings().Stats
		t.Logf("%s: carried %s wei unpaid for %s, refused %d packets (unpaid drops %d)",
			r.Name, h.Unpaid, bad, st.RefusedPackets, r.Node.Counters.Get(mixer.Unpaid))
		for _, p := range peers {
			if p.Name == bad {
				continue
			}
			if h, ok := holding(r, p.Operator); ok && h.Latest.CumulativeAmount.Sign() == 0 && h.Unpaid.Cmp(maxUnpaid) >= 0 {
				t.Fatalf("%s is owed %s wei by honest %s, with no cheque", r.Name, h.Unpaid, p.Name)
			}
		}
	}
	paid := false
	for _, r := range next {
		for _, p := range peers {
			if h, ok := holding(r, p.Operator); ok && p.Name != bad && h.Latest.CumulativeAmount.Sign() > 0 {
				paid = true
			}
		}
	}
	if !paid {
		t.Fatalf("no next hop of %s holds a cheque from an honest mix of its layer", bad)
	}
	if st := badRelay.Node.Earnings().Stats; st.ChequesSigned != 0 {
		t.Fatalf("%s signed %d cheques", bad, st.ChequesSigned)
	}
}
