package devnet

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/node/cover"
	"github.com/murmurnet/murmur/node/mixer"
)

// TestUnpaidNeighbourRefused runs a devnet in which one mix never pays its
// next hops. Each of them carries at most RefuseAbove of its packets
// unpaid, and refuses the rest (counted as unpaid drops), while honest
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
	// Prices differ by position; a relay refuses at RefuseAbove packets of
	// its current price, so none carries more than that at the dearest.
	price := new(big.Int)
	for _, v := range nw.Opts.HopPricesWei {
		if v.Cmp(price) > 0 {
			price = v
		}
	}
	maxUnpaid := new(big.Int).Mul(big.NewInt(refuseAbove), price)
	// The topology is dealt again each epoch, so any relay may be the bad
	// mix's next hop for a while: every other relay is checked.
	var badRelay Relay
	var others []Relay
	for _, r := range nw.Result.Relays {
		if r.Name == bad {
			badRelay = r
		} else {
			others = append(others, r)
		}
	}
	if badRelay.Node == nil {
		t.Fatalf("no %s in %d relays", bad, len(nw.Result.Relays))
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

	// A next hop of the bad mix refuses it once it owes RefuseAbove
	// packets. Not necessarily every one: once the shopper suspects the
	// bad mix, traffic avoids it, and a next hop may stay below the limit.
	refused := func() (n uint64) {
		for _, r := range others {
			n += r.Node.Counters.Get(mixer.Unpaid)
		}
		return n
	}
	for refused() == 0 {
		if err := sleepCtx(ctx, 100*time.Millisecond); err != nil {
			t.Fatalf("no relay refused %s as unpaid", bad)
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
	// per neighbour; honest neighbours paid.
	var carried int
	paid := false
	for _, r := range others {
		e := r.Node.Earnings()
		tickets := map[common.Address]*big.Int{} // expected value paid in lottery tickets, by payer
		for _, th := range e.Tickets {
			tickets[th.Payer] = th.Received
		}
		for _, h := range e.Holdings {
			byTicket := tickets[h.Payer] != nil && tickets[h.Payer].Sign() > 0
			switch {
			case h.Payer == badRelay.Operator:
				if h.Latest.CumulativeAmount.Sign() != 0 || byTicket {
					t.Fatalf("%s holds a cheque of %s for %s wei, tickets for %v", r.Name, bad, h.Latest.CumulativeAmount, tickets[h.Payer])
				}
				if h.Unpaid.Cmp(maxUnpaid) > 0 {
					t.Fatalf("%s carried %s wei for %s unpaid, more than %s (%d packets × %s)", r.Name, h.Unpaid, bad, maxUnpaid, refuseAbove, price)
				}
				if h.Unpaid.Sign() > 0 {
					carried++
				}
				t.Logf("%s: carried %s wei unpaid for %s, refused %d packets as unpaid", r.Name, h.Unpaid, bad, r.Node.Counters.Get(mixer.Unpaid))
			case h.Latest.CumulativeAmount.Sign() == 0 && !byTicket && h.Unpaid.Cmp(maxUnpaid) >= 0:
				t.Fatalf("%s is owed %s wei by honest %s, with no cheque or ticket", r.Name, h.Unpaid, h.Payer)
			case h.Latest.CumulativeAmount.Sign() > 0 || byTicket:
				paid = true
			}
		}
	}
	if carried == 0 {
		t.Fatalf("no relay carried packets for %s", bad)
	}
	if !paid {
		t.Fatal("no relay holds a cheque or a ticket from an honest neighbour")
	}
	if st := badRelay.Node.Earnings().Stats; st.ChequesSigned != 0 {
		t.Fatalf("%s signed %d cheques", bad, st.ChequesSigned)
	}
}
