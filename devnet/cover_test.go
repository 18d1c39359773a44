package devnet

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/node/cover"
)

// TestSecretShopperRoutesAroundDroppingMix runs a devnet in which one mix
// silently drops half of what it should pass on. The clients' loops find it,
// the clients stop routing through it, and real messages get through again.
func TestSecretShopperRoutesAroundDroppingMix(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a devnet")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	const bad = "mix2.1"
	// Rates above the defaults so that the test gathers loops quickly; the
	// shopper's test is the same at any rate.
	rates := cover.Rates{LambdaP: 10, LambdaL: 10, LambdaD: 2, LambdaM: 5, Mu: 20 * time.Millisecond}
	nw, err := Start(ctx, Options{EpochLength: 5 * time.Second, Cover: rates, Faults: map[string]node.Faults{bad: {DropRelayed: 0.5}}})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	var badKey [32]byte
	for _, r := range nw.Result.Relays {
		if r.Name == bad {
			badKey = r.NodeKey
		}
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

	// Wait until alice suspects the bad mix, and count the loops it took.
	for len(alice.Suspects()) == 0 {
		if err := sleepCtx(ctx, 100*time.Millisecond); err != nil {
			t.Fatalf("no suspect after %d loops; scores %v", alice.Traffic().Loops, alice.Scores())
		}
	}
	tr := alice.Traffic()
	through := alice.Scores()[badKey].Sent
	t.Logf("suspected after %d loops sent (%d back), %d finished through %s", tr.Loops, tr.LoopsReturned, through, bad)
	if s := alice.Suspects(); len(s) != 1 || s[0] != badKey {
		t.Fatalf("suspects %x, want only %s (%x)", s, bad, badKey[:4])
	}

	// Real messages avoid the bad mix now: every one arrives. Through a mix
	// dropping half, a quarter of them would be lost.
	const n = 20
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
			for _, r := range nw.Result.Relays {
				t.Logf("%s: %+v", r.Name, r.Node.Stats())
			}
			for k, sc := range alice.Scores() {
				t.Logf("%x: %+v", k[:4], sc)
			}
			t.Fatalf("bob received %d of %d messages: %v", len(got), n, err)
		}
		got[string(m.Body)] = true
	}
	if s := alice.Suspects(); !slices.Contains(s, badKey) {
		t.Fatalf("alice stopped suspecting %s: %x", bad, s)
	}
	// The mixes' own loops measure the network too.
	found := 0
	for _, r := range nw.Result.Relays {
		if slices.Contains(r.Node.Suspects(), badKey) {
			found++
		}
		l := r.Node.Loops()
		t.Logf("%-10s loops %d/%d back, suspects %d", r.Name, l.Returned, l.Sent, len(r.Node.Suspects()))
	}
	t.Logf("%d relays suspect %s from their own loops", found, bad)
}
