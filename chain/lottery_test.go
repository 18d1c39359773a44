package chain

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/murmurnet/murmur/bindings"
	"github.com/murmurnet/murmur/payments/lottery"
)

// The Go payee's wins are what the Vault pays, on a real (simulated) chain:
// a payer signs tickets, the payee keeps the winners, and the chain pays
// each its face value once.
func TestLotteryWinsRedeemOnChain(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.c.Deposit(ctx, f.p.auth, Ether(10)); err != nil {
		t.Fatal(err)
	}
	d := f.c.ChequeDomain()
	payer := lottery.NewPayer(d, f.p.key, time.Hour, nil)
	payee := lottery.NewPayee(d, f.q.addr, time.Minute, nil, nil)
	face := Ether(1)
	var won int
	for won < 3 {
		c, err := payee.Commitment(f.p.addr)
		if err != nil {
			t.Fatal(err)
		}
		payer.Commit(f.q.addr, c)
		s, err := payer.Pay(f.q.addr, new(big.Int).Quo(face, big.NewInt(4)), face) // wins a quarter of the time
		if err != nil {
			t.Fatal(err)
		}
		_, w, err := payee.Accept(s, Ether(10))
		if err != nil {
			t.Fatal(err)
		}
		if w {
			won++
		}
	}
	wins := payee.Wins()
	before, _ := f.c.VaultBalance(ctx, f.p.addr)
	// Only the payee may send it.
	_, _, err := f.c.RedeemWinningTickets(ctx, f.r.auth, f.q.addr, wins)
	wantRevert[bindings.VaultNotPayee](t, err, "only the payee")
	paid, r, err := f.c.RedeemWinningTickets(ctx, f.q.auth, f.q.addr, wins)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := f.c.VaultBalance(ctx, f.p.addr)
	if paid.Cmp(Ether(3)) != 0 || new(big.Int).Sub(before, after).Cmp(Ether(3)) != 0 {
		t.Fatalf("paid %s for 3 wins; the deposit went from %s to %s", FormatEther(paid), FormatEther(before), FormatEther(after))
	}
	t.Logf("3 wins redeemed in one transaction: %d gas", r.GasUsed)
	for _, w := range wins {
		payee.MarkClaimed(w.Digest)
	}
	// The same wins again are replays.
	_, _, err = f.c.RedeemWinningTickets(ctx, f.q.auth, f.q.addr, wins[:1])
	wantRevert[bindings.VaultTicketReplayed](t, err, "only nonces from")
	// A losing ticket, and a winner with the wrong secret, are refused with a reason.
	secret := lottery.Secret{1}
	lose, err := lottery.Sign(d, lottery.Ticket{Payer: f.p.addr, Payee: f.q.addr, FaceValue: face, WinProb: big.NewInt(1),
		Nonce: 1000, Commitment: secret.Commitment(), ExpiresAt: uint64(time.Now().Add(time.Hour).Unix())}, f.p.key)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = f.c.RedeemWinningTickets(ctx, f.q.auth, f.q.addr, []lottery.Win{{Ticket: lose, Secret: secret}})
	wantRevert[bindings.VaultTicketNotWinning](t, err, "lottery ticket 0 does not win")
	_, _, err = f.c.RedeemWinningTickets(ctx, f.q.auth, f.q.addr, []lottery.Win{{Ticket: lose, Secret: lottery.Secret{2}}})
	wantRevert[bindings.VaultBadReveal](t, err, "does not match its commitment")
	if _, _, err := f.c.RedeemWinningTickets(ctx, f.r.auth, f.q.addr, nil); err == nil {
		t.Fatal("an empty batch was sent")
	}
}
