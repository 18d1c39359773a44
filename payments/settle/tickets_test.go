package settle

import (
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/murmurnet/murmur/payments/lottery"
)

// ticketOptions are options for p's ledger paying by lottery ticket.
func ticketOptions(p party, cover Cover, clock *fakeClock) Options {
	o := options(p, cover)
	o.Tickets = KeyTicketSigner(testDomain, p.key)
	o.Now = clock.Now
	return o
}

// Lottery tickets pay a link as cheques do: the payee credits each
// ticket's expected value, which is exactly what the payer owed, so the
// books agree to the wei; wins are kept for claiming, and everything
// (nonces, secrets, wins, what was paid) survives a restart of both ends.
func TestTicketsPayALink(t *testing.T) {
	ctx := context.Background()
	a, b := newParty(t), newParty(t)
	cover, clock := newFakeCover(), newFakeClock()
	cover.set(a.addr, plenty)
	adir, bdir := t.TempDir(), t.TempDir()
	la, lb := open(t, adir, ticketOptions(a, cover, clock)), open(t, bdir, ticketOptions(b, cover, clock))

	debt, credit := mustOut(t, la, b.addr, testPrice), mustIn(t, lb, a.addr, testPrice)
	sendN(debt, 10)
	receiveN(credit, 10)
	if _, err := debt.Ticket(nil); !errors.Is(err, ErrNoCommitment) {
		t.Fatalf("a ticket before the payee's commitment: %v", err)
	}
	c0, err := credit.Commitment()
	if err != nil {
		t.Fatal(err)
	}
	debt.Commit(c0)
	// A face value a thousand times what is owed: a losing ticket, most likely.
	face := wei(10_000, testPrice)
	var losses, wins int
	var paid []lottery.Signed
	for range 40 {
		s, err := debt.Ticket(face)
		if err != nil {
			t.Fatal(err)
		}
		if s.ExpectedValue().Cmp(wei(10, testPrice)) != 0 {
			t.Fatalf("a ticket for 10 packets is worth %v, want %v", s.ExpectedValue(), wei(10, testPrice))
		}
		if err := credit.AcceptTicket(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := credit.AcceptTicket(ctx, s); err != nil {
			t.Fatalf("a retransmission: %v", err)
		}
		paid = append(paid, s)
		sendN(debt, 10)
		receiveN(credit, 10)
		losses++
	}
	// A sure win: face value equal to what is owed.
	s, err := debt.Ticket(wei(10, testPrice))
	if err != nil {
		t.Fatal(err)
	}
	if err := credit.AcceptTicket(ctx, s); err != nil {
		t.Fatal(err)
	}
	wins++
	if h := holdingOf(t, lb, a.addr); h.Unpaid.Sign() != 0 {
		t.Errorf("the payee's books: %v wei unpaid after every packet was paid by ticket", h.Unpaid)
	}
	if got := debtTo(t, la, b.addr).Unbilled; got.Sign() != 0 {
		t.Errorf("the payer's books: %v wei unbilled", got)
	}
	wantAmount(t, "paid in tickets", debt.TicketsPaid(), wei(int64(10*(losses+wins)), testPrice))
	if st := lb.Stats(); st.TicketsAccepted != uint64(losses+wins) || st.TicketsWon < 1 {
		t.Errorf("payee stats %+v", st)
	}
	c1, _ := credit.Commitment()
	if c1 == c0 {
		t.Error("the commitment did not move on after the win")
	}

	// Refusals: an old ticket, a forged one, one from someone else.
	if err := credit.AcceptTicket(ctx, paid[0]); !errors.Is(err, ErrBadTicket) || !errors.Is(err, lottery.ErrReplayed) {
		t.Errorf("a replayed ticket: %v", err)
	}
	forged := paid[1]
	forged.FaceValue = new(big.Int).Add(forged.FaceValue, big.NewInt(1))
	if err := credit.AcceptTicket(ctx, forged); !errors.Is(err, ErrBadSignature) {
		t.Errorf("a forged ticket: %v", err)
	}
	other := newParty(t)
	foreign, _ := lottery.Sign(testDomain, lottery.Ticket{Payer: other.addr, Payee: b.addr, FaceValue: face, WinProb: big.NewInt(1), Commitment: c1, ExpiresAt: 2e9}, other.key)
	if err := credit.AcceptTicket(ctx, foreign); !errors.Is(err, ErrWrongPayer) {
		t.Errorf("another payer's ticket: %v", err)
	}

	// Restart both: nonces, secrets, wins and totals come back.
	pendingBefore := lb.TicketHoldings()
	if err := la.Close(); err != nil {
		t.Fatal(err)
	}
	if err := lb.Close(); err != nil {
		t.Fatal(err)
	}
	la, lb = openClosing(t, adir, ticketOptions(a, cover, clock)), openClosing(t, bdir, ticketOptions(b, cover, clock))
	debt, credit = mustOut(t, la, b.addr, testPrice), mustIn(t, lb, a.addr, testPrice)
	if err := credit.AcceptTicket(ctx, s); err != nil {
		t.Errorf("the last ticket again after a restart: %v", err)
	}
	if err := credit.AcceptTicket(ctx, paid[3]); !errors.Is(err, lottery.ErrReplayed) {
		t.Errorf("an old ticket after a restart: %v", err)
	}
	hs := lb.TicketHoldings()
	if len(hs) != 1 || len(pendingBefore) != 1 || hs[0].Received.Cmp(pendingBefore[0].Received) != 0 || len(hs[0].Pending) != len(pendingBefore[0].Pending) || len(hs[0].Pending) == 0 {
		t.Fatalf("ticket holdings %+v after a restart, %+v before", hs, pendingBefore)
	}
	if c, _ := credit.Commitment(); c != c1 {
		t.Errorf("commitment %s after a restart, want %s", c, c1)
	}
	debt.Commit(c1)
	sendN(debt, 10)
	receiveN(credit, 10)
	next, err := debt.Ticket(face)
	if err != nil {
		t.Fatal(err)
	}
	if next.Nonce != s.Nonce+1 {
		t.Errorf("nonce %d after a restart, want %d", next.Nonce, s.Nonce+1)
	}
	if err := credit.AcceptTicket(ctx, next); err != nil {
		t.Fatal(err)
	}

	// Claiming retires the commitments, on disk too.
	ws, err := lb.Wins()
	if err != nil || len(ws) == 0 {
		t.Fatalf("wins %v, %v", ws, err)
	}
	for _, w := range ws {
		if _, err := lottery.Claim(testDomain, w.Ticket, w.Secret, uint64(clock.Now().Unix())); err != nil {
			t.Fatalf("a win that does not claim: %v", err)
		}
		if err := lb.MarkClaimed(w); err != nil {
			t.Fatal(err)
		}
	}
	h := lb.TicketHoldings()[0]
	if len(h.Pending) != 0 || h.Claimed.Sign() == 0 {
		t.Errorf("after claiming: %+v", h)
	}
	late, _ := lottery.Sign(testDomain, lottery.Ticket{Payer: a.addr, Payee: b.addr, FaceValue: face, WinProb: big.NewInt(1), Nonce: 1 << 40,
		Commitment: ws[0].Ticket.Commitment, ExpiresAt: uint64(clock.Now().Unix()) + 1e6}, a.key)
	if err := credit.AcceptTicket(ctx, late); !errors.Is(err, lottery.ErrUnknownSecret) {
		t.Errorf("a ticket under a revealed commitment: %v", err)
	}
}

// A payer whose cover does not back its unclaimed wins plus the ticket's
// face value is refused, and so is a ledger without a ticket signer
// asked for a ticket.
func TestTicketsRefusedUncovered(t *testing.T) {
	ctx := context.Background()
	a, b := newParty(t), newParty(t)
	cover, clock := newFakeCover(), newFakeClock()
	face := wei(1000, testPrice)
	cover.set(a.addr, new(big.Int).Add(face, big.NewInt(1)))
	la := openClosing(t, t.TempDir(), ticketOptions(a, cover, clock))
	lb := openClosing(t, t.TempDir(), ticketOptions(b, cover, clock))
	debt, credit := mustOut(t, la, b.addr, testPrice), mustIn(t, lb, a.addr, testPrice)
	c, _ := credit.Commitment()
	debt.Commit(c)
	sendN(debt, 1000)
	receiveN(credit, 10)
	s, err := debt.Ticket(face) // owed = face: a sure win of 1000 packets
	if err != nil {
		t.Fatal(err)
	}
	if err := credit.AcceptTicket(ctx, s); err != nil {
		t.Fatal(err)
	}
	debt.Commit(mustCommitment(t, credit))
	sendN(debt, 10)
	s2, _ := debt.Ticket(face)
	if err := credit.AcceptTicket(ctx, s2); !errors.Is(err, ErrUncovered) {
		t.Errorf("a ticket the cover cannot back beside an unclaimed win: %v", err)
	}
	if lb.Stats().Uncovered != 1 {
		t.Errorf("stats %+v", lb.Stats())
	}
	plain := openClosing(t, t.TempDir(), options(newParty(t), cover))
	d := mustOut(t, plain, b.addr, testPrice)
	sendN(d, 10)
	if _, err := d.Ticket(face); !errors.Is(err, ErrNoTickets) {
		t.Errorf("a ticket from a cheque-only ledger: %v", err)
	}
}

func mustCommitment(t testing.TB, c *Credit) [32]byte {
	t.Helper()
	h, err := c.Commitment()
	if err != nil {
		t.Fatal(err)
	}
	return h
}
