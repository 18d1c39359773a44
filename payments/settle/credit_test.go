package settle

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/payments/cheque"
)

// link is a sender's ledger and a receiver's, with the two handles of the
// link between them, sharing a cover table.
type link struct {
	alice, bob party
	cover      *fakeCover
	clock      *fakeClock
	a, b       *Ledger // alice pays, bob is paid
	debt       *Debt
	credit     *Credit
	bobDir     string
	bobMod     func(*Options)
}

func newLink(t *testing.T) *link { return newLinkWith(t, nil) }

// newLinkWith is newLink with bob's options changed by mod.
func newLinkWith(t *testing.T, mod func(*Options)) *link {
	t.Helper()
	k := &link{alice: newParty(t), bob: newParty(t), cover: newFakeCover(), clock: newFakeClock(), bobDir: t.TempDir(), bobMod: mod}
	k.cover.set(k.alice.addr, plenty)
	k.a = openClosing(t, t.TempDir(), options(k.alice, k.cover))
	k.b = openClosing(t, k.bobDir, k.bobOptions())
	k.debt = mustOut(t, k.a, k.bob.addr, testPrice)
	k.credit = mustIn(t, k.b, k.alice.addr, testPrice)
	return k
}

func (k *link) bobOptions() Options {
	o := options(k.bob, k.cover)
	o.Now = k.clock.Now
	if k.bobMod != nil {
		k.bobMod(&o)
	}
	return o
}

// send hands n packets over the link and returns how many bob took.
func (k *link) send(n int) int {
	taken := 0
	for range n {
		k.debt.Sent()
		if k.credit.Received() {
			taken++
		}
	}
	return taken
}

// pay has alice sign a cheque and bob accept it.
func (k *link) pay(t *testing.T) cheque.Signed {
	t.Helper()
	s := mustCheque(t, k.debt)
	if err := k.credit.Accept(context.Background(), s); err != nil {
		t.Fatalf("Accept: %v", err)
	}
	return s
}

// signed returns a cheque from p to payee for amount, signed by key.
func signed(t *testing.T, d cheque.Domain, p party, payee common.Address, amount *big.Int) cheque.Signed {
	t.Helper()
	s, err := d.Sign(cheque.Cheque{Payer: p.addr, Payee: payee, CumulativeAmount: amount}, p.key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestHonestLinkSettles(t *testing.T) {
	k := newLink(t)
	for range 10 {
		if taken := k.send(10); taken != 10 {
			t.Fatalf("bob took %d of 10 packets", taken)
		}
		k.pay(t)
	}
	h := holdingOf(t, k.b, k.alice.addr)
	wantAmount(t, "latest", h.Latest.CumulativeAmount, wei(100, testPrice))
	wantAmount(t, "unpaid", h.Unpaid, new(big.Int))
	if st := k.b.Stats(); st.ChequesAccepted != 10 || st.Overpaid != 0 {
		t.Errorf("stats %+v, want 10 accepted, none overpaid", st)
	}
}

func TestAcceptRefusesLowerAmount(t *testing.T) {
	k := newLink(t)
	k.send(10)
	old := mustCheque(t, k.debt)
	k.send(10)
	s := k.pay(t)

	if err := k.credit.Accept(context.Background(), old); !errors.Is(err, ErrStale) {
		t.Fatalf("Accept of a lower cheque: %v, want ErrStale", err)
	}
	// Alice resends her latest after a reconnection: nothing happens.
	if err := k.credit.Accept(context.Background(), s); err != nil {
		t.Fatalf("Accept of the same cheque again: %v, want nil", err)
	}
	st := k.b.Stats()
	if st.Stale != 1 || st.ChequesAccepted != 1 {
		t.Errorf("stats %+v, want 1 stale, 1 accepted (a retransmission is not counted)", st)
	}
	wantAmount(t, "latest", holdingOf(t, k.b, k.alice.addr).Latest.CumulativeAmount, wei(20, testPrice))
}

func TestAcceptRefusesLowerAmountAfterReopen(t *testing.T) {
	k := newLink(t)
	k.send(10)
	old := mustCheque(t, k.debt)
	k.send(10)
	k.pay(t)

	// A crash right after Accept returned: the cheque is on disk.
	b := openClosing(t, crashCopy(t, k.bobDir), k.bobOptions())
	c := mustIn(t, b, k.alice.addr, testPrice)
	if err := c.Accept(context.Background(), old); !errors.Is(err, ErrStale) {
		t.Fatalf("Accept of a lower cheque after a crash: %v, want ErrStale", err)
	}
	wantAmount(t, "latest after crash", holdingOf(t, b, k.alice.addr).Latest.CumulativeAmount, wei(20, testPrice))
}

func TestAcceptRefusesForgedSignature(t *testing.T) {
	k := newLink(t)
	mallory := newParty(t)
	k.send(10)

	// Signed by mallory, claiming to be alice.
	forged := signed(t, testDomain, mallory, k.bob.addr, wei(10, testPrice))
	forged.Payer = k.alice.addr
	// Alice's signature, with the amount raised.
	raised := signed(t, testDomain, k.alice, k.bob.addr, wei(10, testPrice))
	raised.CumulativeAmount = wei(1000, testPrice)
	// Alice's signature for another vault.
	elsewhere := signed(t, cheque.NewDomain(big.NewInt(1337), common.HexToAddress("0xbb")), k.alice, k.bob.addr, wei(10, testPrice))

	for name, s := range map[string]cheque.Signed{"forged": forged, "raised": raised, "other vault": elsewhere} {
		if err := k.credit.Accept(context.Background(), s); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: Accept = %v, want ErrBadSignature", name, err)
		}
	}
	if st := k.b.Stats(); st.BadSignature != 3 || st.ChequesAccepted != 0 {
		t.Errorf("stats %+v, want 3 bad signatures, none accepted", st)
	}
	if _, ok := k.credit.Latest(); ok {
		t.Error("a bad cheque was recorded")
	}
}

func TestAcceptRefusesWrongPayeeAndPayer(t *testing.T) {
	k := newLink(t)
	carol := newParty(t)
	k.send(10)

	toCarol := signed(t, testDomain, k.alice, carol.addr, wei(10, testPrice))
	if err := k.credit.Accept(context.Background(), toCarol); !errors.Is(err, ErrWrongPayee) {
		t.Errorf("cheque to carol: %v, want ErrWrongPayee", err)
	}
	fromCarol := signed(t, testDomain, carol, k.bob.addr, wei(10, testPrice))
	if err := k.credit.Accept(context.Background(), fromCarol); !errors.Is(err, ErrWrongPayer) {
		t.Errorf("cheque from carol on alice's link: %v, want ErrWrongPayer", err)
	}
	if st := k.b.Stats(); st.WrongPayee != 1 || st.WrongPayer != 1 {
		t.Errorf("stats %+v, want 1 wrong payee, 1 wrong payer", st)
	}
}

func TestAcceptRefusesUncoveredPayer(t *testing.T) {
	k := newLink(t)
	ctx := context.Background()
	k.cover.set(k.alice.addr, wei(25, testPrice))
	k.send(30)
	s := mustCheque(t, k.debt)
	if err := k.credit.Accept(ctx, s); !errors.Is(err, ErrUncovered) {
		t.Fatalf("Accept of a cheque beyond the cover: %v, want ErrUncovered", err)
	}
	h := holdingOf(t, k.b, k.alice.addr)
	if h.Latest.CumulativeAmount.Sign() != 0 {
		t.Error("an uncovered cheque was recorded")
	}
	wantAmount(t, "unpaid after the refusal", h.Unpaid, wei(30, testPrice))
	if k.credit.Received() {
		t.Error("a payer whose cheque was refused is still taken above the threshold")
	}

	// Alice deposits; the cached cover is fresh but short, so it is asked
	// again rather than refusing for a whole CoverTTL.
	k.cover.set(k.alice.addr, wei(35, testPrice))
	if err := k.credit.Accept(ctx, s); err != nil {
		t.Fatalf("Accept after the payer deposited: %v", err)
	}
	if n := k.cover.count(); n != 2 {
		t.Errorf("cover looked up %d times, want 2", n)
	}

	// What we cashed no longer needs covering.
	k.send(20)
	s = mustCheque(t, k.debt) // 50 packets in all
	if err := k.credit.Accept(ctx, s); !errors.Is(err, ErrUncovered) {
		t.Fatalf("Accept of 50 packets on a cover of 35: %v, want ErrUncovered", err)
	}
	if err := k.b.MarkCashed(k.alice.addr, wei(30, testPrice)); err != nil {
		t.Fatal(err)
	}
	if err := k.credit.Accept(ctx, s); err != nil {
		t.Fatalf("Accept of 50 packets, 30 cashed, on a cover of 35: %v", err)
	}
	if st := k.b.Stats(); st.Uncovered != 2 || st.ChequesAccepted != 2 {
		t.Errorf("stats %+v, want 2 uncovered, 2 accepted", st)
	}
}

func TestAcceptWhileCoverEndpointDown(t *testing.T) {
	k := newLink(t)
	ctx := context.Background()

	// Down from the start: nothing to go on, so the cheque is refused.
	k.cover.setDown(true)
	k.send(10)
	s := mustCheque(t, k.debt)
	if err := k.credit.Accept(ctx, s); !errors.Is(err, ErrCoverUnknown) {
		t.Fatalf("Accept with the endpoint down and no cached cover: %v, want ErrCoverUnknown", err)
	}
	if _, ok := k.credit.Latest(); ok {
		t.Fatal("a cheque was accepted blindly")
	}

	k.cover.setDown(false)
	if err := k.credit.Accept(ctx, s); err != nil {
		t.Fatalf("Accept with the endpoint back: %v", err)
	}

	// Down again, past CoverTTL but within CoverMaxStale: the cached
	// value is used.
	k.cover.setDown(true)
	k.clock.Advance(5 * time.Minute)
	k.send(10)
	if err := k.credit.Accept(ctx, mustCheque(t, k.debt)); err != nil {
		t.Fatalf("Accept on a stale but recent cover: %v", err)
	}

	// Past CoverMaxStale: refused again.
	k.clock.Advance(2 * time.Hour)
	k.send(10)
	s = mustCheque(t, k.debt)
	if err := k.credit.Accept(ctx, s); !errors.Is(err, ErrCoverUnknown) {
		t.Fatalf("Accept on a cover two hours old: %v, want ErrCoverUnknown", err)
	}
	wantAmount(t, "latest", holdingOf(t, k.b, k.alice.addr).Latest.CumulativeAmount, wei(20, testPrice))
	if st := k.b.Stats(); st.CoverUnknown != 2 {
		t.Errorf("CoverUnknown = %d, want 2", st.CoverUnknown)
	}

	// The payer's next cheque is cumulative: nothing was lost.
	k.cover.setDown(false)
	if err := k.credit.Accept(ctx, s); err != nil {
		t.Fatalf("Accept with the endpoint back: %v", err)
	}
	wantAmount(t, "unpaid", holdingOf(t, k.b, k.alice.addr).Unpaid, new(big.Int))
}

// Prices change with a relay's position each epoch: a payer that owes for
// packets at a dearer price is not refused when the price falls; the
// threshold stays RefuseAbove packets at the dearest price.
func TestRefusalThresholdKeepsTheDearerPrice(t *testing.T) {
	k := newLink(t)
	for range 20 {
		if !k.credit.Received() {
			t.Fatal("refused below the threshold")
		}
	}
	k.credit.SetPrice(new(big.Int).Quo(testPrice, big.NewInt(3)))
	// 20 packets owed at testPrice; room for 10 more at it, 30 at a third of it.
	taken := 0
	for range 40 {
		if k.credit.Received() {
			taken++
		}
	}
	if taken != 30 {
		t.Fatalf("took %d packets at a third of the price, want 30", taken)
	}
}

func TestRefusesNeighbourThatStopsPaying(t *testing.T) {
	k := newLink(t)
	// Alice counts only the packets bob takes, as a sender told of the
	// refusal would.
	send := func(n int) (taken int) {
		for range n {
			if k.credit.Received() {
				k.debt.Sent()
				taken++
			}
		}
		return taken
	}
	if taken := send(45); taken != 30 {
		t.Fatalf("took %d packets from a neighbour that never paid, want RefuseAbove = 30", taken)
	}
	if st := k.b.Stats(); st.RefusedPackets != 15 {
		t.Errorf("RefusedPackets = %d, want 15", st.RefusedPackets)
	}
	wantAmount(t, "unpaid at the threshold", holdingOf(t, k.b, k.alice.addr).Unpaid, wei(30, testPrice))

	// Paying for 20 of the 30 packets makes room for 20 more.
	if err := k.credit.Accept(context.Background(), signed(t, testDomain, k.alice, k.bob.addr, wei(20, testPrice))); err != nil {
		t.Fatal(err)
	}
	if taken := send(25); taken != 20 {
		t.Fatalf("took %d packets after a partial payment, want 20", taken)
	}
	// Paying everything (alice's ledger counted 50) makes room for 30.
	k.pay(t)
	wantAmount(t, "unpaid after paying all", holdingOf(t, k.b, k.alice.addr).Unpaid, new(big.Int))
	if taken := send(31); taken != 30 {
		t.Fatalf("took %d packets after paying in full, want 30", taken)
	}
}

func TestRefusalSurvivesRestart(t *testing.T) {
	for _, crash := range []bool{false, true} {
		name := map[bool]string{false: "clean close", true: "crash after flush"}[crash]
		t.Run(name, func(t *testing.T) {
			k := newLink(t)
			if taken := receiveN(k.credit, 35); taken != 30 {
				t.Fatalf("took %d, want 30", taken)
			}
			dir := k.bobDir
			if crash {
				if err := k.b.Flush(); err != nil {
					t.Fatal(err)
				}
				dir = crashCopy(t, k.bobDir)
			} else if err := k.b.Close(); err != nil {
				t.Fatal(err)
			}
			b := openClosing(t, dir, k.bobOptions())
			wantAmount(t, "unpaid after restart", holdingOf(t, b, k.alice.addr).Unpaid, wei(30, testPrice))
			c := mustIn(t, b, k.alice.addr, testPrice)
			if c.Received() {
				t.Fatal("a refused neighbour is taken again after a restart")
			}
			if err := c.Accept(context.Background(), signed(t, testDomain, k.alice, k.bob.addr, wei(30, testPrice))); err != nil {
				t.Fatal(err)
			}
			if !c.Received() {
				t.Fatal("refused after paying")
			}
		})
	}
}

// An overpaying cheque is taken, but buys at most Slack packets of credit.
func TestOverpaymentCreditIsCapped(t *testing.T) {
	k := newLink(t)
	receiveN(k.credit, 4)
	if err := k.credit.Accept(context.Background(), signed(t, testDomain, k.alice, k.bob.addr, wei(100, testPrice))); err != nil {
		t.Fatalf("Accept of an overpaying cheque: %v", err)
	}
	h := holdingOf(t, k.b, k.alice.addr)
	wantAmount(t, "unpaid (credit, capped at Slack)", h.Unpaid, wei(-10, testPrice))
	wantAmount(t, "pending (the money is ours)", h.Pending, wei(100, testPrice))
	if st := k.b.Stats(); st.Overpaid != 1 {
		t.Errorf("Overpaid = %d, want 1", st.Overpaid)
	}
	if taken := receiveN(k.credit, 100); taken != 40 {
		t.Errorf("took %d packets on 10 packets of credit, want 40", taken)
	}

	// Within Slack, credit is kept: a cheque that overtook its packets.
	// Bob is owed 30 (40 taken on 10 of credit); alice pays 35.
	if err := k.credit.Accept(context.Background(), signed(t, testDomain, k.alice, k.bob.addr, wei(100+35, testPrice))); err != nil {
		t.Fatal(err)
	}
	wantAmount(t, "unpaid after a small overpayment", holdingOf(t, k.b, k.alice.addr).Unpaid, wei(-5, testPrice))
	if st := k.b.Stats(); st.Overpaid != 1 {
		t.Errorf("Overpaid = %d, want still 1", st.Overpaid)
	}
}

// A crash of the sender costs neither side: the sender's top-up comes
// back to it as credit at the receiver.
func TestSenderCrashSettlesWithReceiver(t *testing.T) {
	k := newLink(t)
	aDir := t.TempDir()
	k.a.Close()
	k.a = openClosing(t, aDir, options(k.alice, k.cover))
	k.debt = mustOut(t, k.a, k.bob.addr, testPrice)

	k.send(20)
	k.pay(t)
	k.send(6) // alice forgets these

	a := openClosing(t, crashCopy(t, aDir), options(k.alice, k.cover))
	k.debt = mustOut(t, a, k.bob.addr, testPrice)
	k.pay(t) // 20 + 10 (top-up)
	wantAmount(t, "bob's unpaid after alice's crash", holdingOf(t, k.b, k.alice.addr).Unpaid, wei(-4, testPrice))
	k.send(4)
	wantAmount(t, "bob's unpaid after 4 more packets", holdingOf(t, k.b, k.alice.addr).Unpaid, new(big.Int))
}

func TestReceiverPriceChange(t *testing.T) {
	k := newLink(t)
	p2 := big.NewInt(2_000_000_014) // 2·testPrice
	receiveN(k.credit, 20)
	if c := mustIn(t, k.b, k.alice.addr, p2); c != k.credit {
		t.Fatal("In returned another handle for the same payer")
	}
	// 20 packets at the old price are 10 at the new one: 20 more fit.
	if taken := receiveN(k.credit, 25); taken != 20 {
		t.Errorf("took %d after the price doubled, want 20", taken)
	}
	wantAmount(t, "unpaid", holdingOf(t, k.b, k.alice.addr).Unpaid, new(big.Int).Add(wei(20, testPrice), wei(20, p2)))
}
