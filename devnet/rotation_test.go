package devnet

import (
	"context"
	"testing"
	"time"

	"github.com/murmurnet/murmur/node/client"
)

// TestIssuerRotatesKeys: with a key epoch of one registry epoch, the issuer
// makes and publishes a new key as each starts; tickets of the key before
// still pay (the issuer keeps one past key valid), and new purchases get
// tickets of the new key.
func TestIssuerRotatesKeys(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	nw, err := Start(ctx, Options{EpochLength: 5 * time.Second, IssuerKeyEpochs: 1, NoCover: true})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	issuer := nw.tickets.issuer
	old := issuer.IssuerStatus().KeyEpoch

	// The next key epoch starts within one registry epoch; no event says
	// when its key is on-chain, so poll.
	for {
		if st := issuer.IssuerStatus(); st.KeyEpoch > old && st.Published {
			break
		}
		if err := sleepCtx(ctx, 100*time.Millisecond); err != nil {
			t.Fatalf("no new key published after key epoch %d: %v", old, err)
		}
	}
	now := issuer.IssuerStatus().KeyEpoch
	k, err := nw.Chain.IssuerKey(ctx, issuer.Config().Operator, now)
	if err != nil {
		t.Fatalf("key of key epoch %d not on-chain: %v", now, err)
	}
	// On-chain a key is worth what a provider is paid for a ticket: the
	// price less the issuer's fee.
	if v := issuer.IssuerStatus().Value; k.Value.Cmp(v.Price) != 0 || v.FeeWei().Sign() == 0 {
		t.Fatalf("on-chain key of epoch %d is worth %v, the issuer pays %v (fee %v)", now, k.Value, v.Price, v.Fee)
	}

	// A client whose wallet holds only tickets of the old key spends them
	// after the rotation, and its message arrives.
	cfg := nw.ClientConfig(0)
	for _, b := range cfg.Wallet.Balance() {
		if b.KeyEpoch != old {
			t.Fatalf("the client's wallet holds tickets of key epoch %d, want only %d", b.KeyEpoch, old)
		}
	}
	alice, err := client.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Close()
	bob, err := client.New(ctx, nw.ClientConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	if err := alice.Send(ctx, bob.Address(), []byte("paid with last key's tickets"), client.SendOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	if s := alice.Payments(); s.TicketsSpent == 0 || s.TicketsRefused != 0 {
		t.Fatalf("alice's tickets of the last key: %+v, want spent and none refused", s)
	}

	// New purchases are of the new key.
	stock := nw.tickets.stocks[0]
	if err := stock.buy(ctx, 1); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, b := range stock.wallet.Balance() {
		found = found || b.KeyEpoch >= now
	}
	if !found {
		t.Fatalf("tickets bought after the rotation: %+v, want some of key epoch %d", stock.wallet.Balance(), now)
	}
}
