package devnet

import (
	"context"
	"testing"
	"time"
)

// TestRestartedRelayFetchesDescriptors: a relay restarted mid-epoch knows
// every descriptor of the epoch (its neighbours' prices and keys) soon
// after, from its peers, without waiting for the next epoch's gossip.
func TestRestartedRelayFetchesDescriptors(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a devnet")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// Epochs long enough that the restart and the fetch fit in one, with
	// a wide margin; no republishing within the test, so that the
	// descriptors can come only from the restarted relay's fetch (or the
	// next epoch's gossip, which the test refuses).
	nw, err := Start(ctx, Options{EpochLength: 20 * time.Second, Republish: time.Hour, NoCover: true, NoPayments: true, NoSettlement: true})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	const name = "mix2.1"
	i := -1
	for j, r := range nw.Result.Relays {
		if r.Name == name {
			i = j
		}
	}
	if i < 0 {
		t.Fatalf("no %s", name)
	}
	e := nw.Result.Epoch
	if now := nw.Epochs.At(time.Now()); now != e {
		t.Fatalf("the network formed in epoch %d, it is %d already", e, now)
	}
	// Restart mid-epoch: by then the epoch's descriptors have left the
	// gossip's message caches (a few heartbeats), and a joining peer is
	// not offered them again.
	if err := sleepCtx(ctx, time.Until(nw.Epochs.Start(e).Add(nw.Opts.EpochLength/2))); err != nil {
		t.Fatal(err)
	}
	if err := nw.RestartRelay(ctx, i); err != nil {
		t.Fatal(err)
	}
	r := nw.Result.Relays[i]
	d := r.Node.Directory()
	// Within the epoch: at its end, gossip would bring the next epoch's
	// descriptors, which is not what this tests.
	wctx, wcancel := context.WithDeadline(ctx, nw.Epochs.Start(e+1))
	defer wcancel()
	want := len(nw.Result.Relays)
	for {
		ch := d.Changed()
		if len(d.All(e)) == want {
			break
		}
		select {
		case <-ch:
		case <-wctx.Done():
			t.Fatalf("restarted %s knows %d of %d descriptors of epoch %d by its end", name, len(d.All(e)), want, e)
		}
	}
	if now := d.Epoch(); now != e {
		t.Fatalf("the descriptors arrived in epoch %d, after the restart's epoch %d", now, e)
	}
	for _, o := range nw.Result.Relays {
		if _, ok := d.Get(e, o.NodeKey); !ok {
			t.Fatalf("restarted %s lacks %s's descriptor", name, o.Name)
		}
	}
	t.Logf("restarted %s holds all %d descriptors of epoch %d, %s before its end", name, want, e, time.Until(nw.Epochs.Start(e+1)).Round(time.Second))
}
