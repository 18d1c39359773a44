package settle

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/lottery"
)

// TicketSigner signs a lottery ticket drawn on our account, in the domain
// of [Options.Domain]; [KeyTicketSigner] makes one from a raw key.
type TicketSigner func(lottery.Ticket) (lottery.Signed, error)

// KeyTicketSigner returns a [TicketSigner] that signs with key in domain d.
func KeyTicketSigner(d cheque.Domain, key *ecdsa.PrivateKey) TicketSigner {
	return func(t lottery.Ticket) (lottery.Signed, error) { return lottery.Sign(d, t, key) }
}

// Errors of lottery payments.
var (
	// ErrNoCommitment: the payee has not yet given the commitment our
	// tickets must name; ask it ([Credit.Commitment] on its side).
	ErrNoCommitment = errors.New("settle: no lottery commitment from the payee yet")
	// ErrNoTickets: the ledger was opened without a TicketSigner.
	ErrNoTickets = errors.New("settle: this ledger pays by cheque only")
	// ErrBadTicket wraps every lottery refusal of [Credit.AcceptTicket]
	// (forged, replayed, expired, unknown commitment, …); the lottery
	// package's error is wrapped too.
	ErrBadTicket = errors.New("settle: lottery ticket refused")
)

// Commit records the commitment the payee asks our tickets to name.
func (d *Debt) Commit(c common.Hash) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.commitment = c
}

// Committed reports whether the payee gave a commitment to pay against.
func (d *Debt) Committed() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.commitment != (common.Hash{})
}

// Ticket pays the payee everything owed so far with one lottery ticket:
// its expected value is exactly what the packets sent since the last
// payment cost, and its face value is face (or one wei more than what is
// owed, if face is not more: the ticket then all but surely wins). Like [Debt.Cheque], it is on disk before it
// is returned, with the nonce after it, so that no nonce is ever signed
// twice; it returns [ErrNothingOwed] if nothing is owed and
// [ErrNoCommitment] before the payee gave a commitment.
//
// A ticket is not cumulative: one that gets lost is money the payee never
// sees. Deliver [Debt.LatestTicket] again until the payee acknowledges it
// (a retransmission is not a replay) before paying with a new one.
func (d *Debt) Ticket(face *big.Int) (lottery.Signed, error) {
	l := d.l
	if l.tickets == nil {
		return lottery.Signed{}, ErrNoTickets
	}
	if l.closed.Load() {
		return lottery.Signed{}, ErrClosed
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.commitment == (common.Hash{}) {
		return lottery.Signed{}, ErrNoCommitment
	}
	n := d.sent.Load()
	owed := d.unbilledAt(n)
	if owed.Sign() == 0 {
		return lottery.Signed{}, ErrNothingOwed
	}
	if face == nil || face.Cmp(owed) <= 0 {
		// A threshold below 2²⁵⁶ cannot make a ticket worth its whole face
		// value; one wei more can, to the wei.
		face = new(big.Int).Add(owed, big.NewInt(1))
	}
	prob, ok := lottery.WinProbFor(owed, face)
	if !ok {
		return lottery.Signed{}, fmt.Errorf("settle: no ticket worth %s wei at a face value of %s", owed, face)
	}
	t := lottery.Ticket{Payer: l.self, Payee: d.payee, FaceValue: new(big.Int).Set(face), WinProb: prob, Nonce: d.tnext,
		Commitment: d.commitment, ExpiresAt: uint64(l.now().Add(l.validFor).Unix())}
	s, err := l.tickets(t)
	if err != nil {
		return lottery.Signed{}, fmt.Errorf("settle: sign ticket to %s: %w", d.payee, err)
	}
	if _, err := lottery.Verify(l.domain, s); err != nil || s.Ticket.Payer != t.Payer || s.Payee != t.Payee || s.Nonce != t.Nonce ||
		s.FaceValue.Cmp(t.FaceValue) != 0 || s.WinProb.Cmp(t.WinProb) != 0 || s.Commitment != t.Commitment || s.ExpiresAt != t.ExpiresAt {
		return lottery.Signed{}, fmt.Errorf("settle: our own ticket to %s does not verify (wrong key or domain?): %v", d.payee, err)
	}
	paid := new(big.Int).Add(d.tpaid, s.ExpectedValue())
	tv, err := (&ticketOutRecord{next: d.tnext + 1, paid: paid, latest: &s}).encode()
	if err != nil {
		return lottery.Signed{}, fmt.Errorf("settle: ticket to %s: %w", d.payee, err)
	}
	ov, err := (&outRecord{latest: d.latest, unbilled: new(big.Int), price: d.price}).encode()
	if err != nil {
		return lottery.Signed{}, fmt.Errorf("settle: ticket to %s: %w", d.payee, err)
	}
	if err := l.putAll(recordKey(prefixTicketOut, d.payee), tv, recordKey(prefixOut, d.payee), ov); err != nil {
		return lottery.Signed{}, fmt.Errorf("settle: store ticket to %s: %w", d.payee, err)
	}
	d.tnext++
	d.tpaid, d.tlatest = paid, &s
	d.unbilled, d.folded = new(big.Int), n
	l.stats.ticketsSigned.Add(1)
	return s, nil
}

// LatestTicket returns the last ticket signed to the payee, and false if
// there is none.
func (d *Debt) LatestTicket() (lottery.Signed, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.tlatest == nil {
		return lottery.Signed{}, false
	}
	return *d.tlatest, true
}

// Commitment returns the commitment the payer's tickets must name now,
// drawing (and storing) a secret for a payer new to us.
func (c *Credit) Commitment() (common.Hash, error) {
	l := c.l
	if l.closed.Load() {
		return common.Hash{}, ErrClosed
	}
	c.acceptMu.Lock()
	defer c.acceptMu.Unlock()
	_, known := l.payee.State(c.payer)
	h, err := l.payee.Commitment(c.payer)
	if err != nil || known {
		return h, err
	}
	// A commitment handed out must survive a restart, or the payer's
	// tickets under it would be refused.
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.storeTicketsLocked(nil); err != nil {
		return common.Hash{}, err
	}
	return h, nil
}

// storeTicketsLocked writes the payer's lottery record (and the win w, if
// any) with its credit record in one transaction. c.mu must be held.
func (c *Credit) storeTicketsLocked(w *lottery.Win, extra ...[]byte) error {
	st, _ := c.l.payee.State(c.payer)
	tv, err := (&ticketInRecord{last: c.tlast, received: c.treceived, claimed: c.tclaimed, state: st}).encode()
	if err != nil {
		return err
	}
	kv := append([][]byte{recordKey(prefixTicketIn, c.payer), tv}, extra...)
	if w != nil {
		wv, err := encodeWin(*w)
		if err != nil {
			return err
		}
		kv = append(kv, winKey(w.Digest), wv)
	}
	return c.l.putAll(kv...)
}

// AcceptTicket checks the lottery ticket s from the payer and, if it is
// good, credits its expected value as payment for the packets received,
// as [Credit.Accept] does a cheque's new amount: on disk (synced, with
// the win if it won) before it returns nil. The payer's cover must back
// the face value of every win of its not yet claimed, this one's
// included ([ErrUncovered], [ErrCoverUnknown]); the ticket must name us
// and the payer, carry its signature, name a commitment of ours that no
// claim has revealed, carry a nonce above every one taken, and stay
// valid for the claim window ([ErrBadTicket], wrapping the lottery
// package's reason). The last ticket taken, received again, is accepted
// without effect. ctx bounds the cover lookup.
func (c *Credit) AcceptTicket(ctx context.Context, s lottery.Signed) error {
	l, st := c.l, &c.l.stats
	if s.Ticket.Payer != c.payer {
		st.wrongPayer.Add(1)
		return fmt.Errorf("%w: ticket drawn on %s, expected %s", ErrWrongPayer, s.Ticket.Payer, c.payer)
	}
	digest, err := lottery.Verify(l.domain, s)
	if err != nil {
		st.badSignature.Add(1)
		return fmt.Errorf("%w: ticket from %s: %w", ErrBadSignature, c.payer, err)
	}
	if l.closed.Load() {
		return ErrClosed
	}
	c.acceptMu.Lock()
	defer c.acceptMu.Unlock()
	c.mu.Lock()
	last := c.tlast
	c.mu.Unlock()
	if digest == last {
		return nil // a retransmission of what we have
	}
	pending := new(big.Int)
	for _, w := range l.payee.Pending() {
		if w.Ticket.Payer == c.payer {
			pending.Add(pending, w.Ticket.FaceValue)
		}
	}
	need := new(big.Int).Add(pending, s.FaceValue)
	if err := c.checkCover(ctx, need, "the ticket with the unclaimed wins"); err != nil {
		return err
	}
	expected, win, err := l.payee.AcceptWin(s, new(big.Int).Sub(c.cover, pending))
	if err != nil {
		st.badTickets.Add(1)
		return fmt.Errorf("%w: from %s: %w", ErrBadTicket, c.payer, err)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.recv.Load()
	unpaid, overpaid := c.payLocked(n, expected)
	iv, err := (&inRecord{latest: c.latest, cashed: c.cashed, unpaid: unpaid}).encode()
	if err != nil {
		return fmt.Errorf("settle: ticket from %s: %w", c.payer, err)
	}
	prevLast, prevReceived := c.tlast, c.treceived
	c.tlast, c.treceived = digest, new(big.Int).Add(c.treceived, expected)
	if err := c.storeTicketsLocked(win, recordKey(prefixIn, c.payer), iv); err != nil {
		// The lottery payee took the ticket in memory; the payer's
		// retransmission after a restart would be taken, and credited,
		// once: nothing is lost or counted twice.
		c.tlast, c.treceived = prevLast, prevReceived
		return fmt.Errorf("settle: store ticket from %s: %w", c.payer, err)
	}
	c.unpaid, c.folded = unpaid, n
	c.updateAllowLocked()
	st.ticketsAccepted.Add(1)
	if win != nil {
		st.ticketsWon.Add(1)
	}
	if overpaid {
		st.overpaid.Add(1)
	}
	return nil
}

// Wins returns the winning tickets to claim, in the order the Vault
// redeems them ([lottery.Payee.Wins]). Their commitments are retired on
// disk before Wins returns, since a claim reveals their secrets; wins
// that can no longer be claimed are dropped from disk.
func (l *Ledger) Wins() ([]lottery.Win, error) {
	if l.tickets == nil && l.payee == nil {
		return nil, nil
	}
	before := l.payee.Pending()
	ws := l.payee.Wins()
	after := map[common.Hash]bool{}
	for _, w := range l.payee.Pending() {
		after[w.Digest] = true
	}
	var kv [][]byte
	payers := map[common.Address]bool{}
	for _, w := range before {
		payers[w.Ticket.Payer] = true
		if !after[w.Digest] {
			kv = append(kv, winKey(w.Digest), nil)
		}
	}
	for p := range payers {
		c, err := l.Payer(p)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		err = c.storeTicketsLocked(nil, kv...)
		c.mu.Unlock()
		if err != nil {
			return nil, fmt.Errorf("settle: retiring the commitments of %s: %w", p, err)
		}
		kv = nil
	}
	return ws, nil
}

// MarkClaimed records that the win of digest was paid on-chain.
func (l *Ledger) MarkClaimed(w lottery.Win) error {
	c, err := l.Payer(w.Ticket.Payer)
	if err != nil {
		return err
	}
	l.payee.MarkClaimed(w.Digest)
	c.mu.Lock()
	defer c.mu.Unlock()
	claimed := new(big.Int).Add(c.tclaimed, w.Ticket.FaceValue)
	prev := c.tclaimed
	c.tclaimed = claimed
	if err := c.storeTicketsLocked(nil, winKey(w.Digest), nil); err != nil {
		c.tclaimed = prev
		return fmt.Errorf("settle: recording the claim of %s: %w", w.Digest, err)
	}
	return nil
}

// ForgetWin drops a win the Vault refused to pay (see chain.RefusedTicket).
func (l *Ledger) ForgetWin(w lottery.Win) error {
	l.payee.Drop(w.Digest)
	if err := l.putAll(winKey(w.Digest), nil); err != nil {
		return fmt.Errorf("settle: forgetting win %s: %w", w.Digest, err)
	}
	return nil
}

// TicketStats are the lottery payee's counts (wins lost, refusals by
// reason, expected value taken, face value pending) since Open.
func (l *Ledger) TicketStats() lottery.PayeeStats { return l.payee.Stats() }

// TicketHolding is what one payer paid us in lottery tickets.
type TicketHolding struct {
	Payer common.Address
	// Received is the expected value of the tickets taken, in all.
	Received *big.Int
	// Claimed is the face value of the wins claimed on-chain, in all.
	Claimed *big.Int
	// Pending are the wins not yet claimed, and PendingWei their face value.
	Pending    []lottery.Win
	PendingWei *big.Int
}

// TicketHoldings lists, by payer, what every payer paid us in tickets.
func (l *Ledger) TicketHoldings() []TicketHolding {
	pending := map[common.Address][]lottery.Win{}
	for _, w := range l.payee.Pending() {
		pending[w.Ticket.Payer] = append(pending[w.Ticket.Payer], w)
	}
	_, cs := l.handles()
	var out []TicketHolding
	for _, c := range cs {
		c.mu.Lock()
		h := TicketHolding{Payer: c.payer, Received: new(big.Int).Set(c.treceived), Claimed: new(big.Int).Set(c.tclaimed),
			Pending: pending[c.payer], PendingWei: new(big.Int)}
		c.mu.Unlock()
		for _, w := range h.Pending {
			h.PendingWei.Add(h.PendingWei, w.Ticket.FaceValue)
		}
		if h.Received.Sign() > 0 || len(h.Pending) > 0 {
			out = append(out, h)
		}
	}
	return out
}

// TicketsPaid returns the expected value we paid payee in tickets, in all.
func (d *Debt) TicketsPaid() *big.Int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return new(big.Int).Set(d.tpaid)
}

// TicketsReceived returns the expected value the payer paid us in
// tickets, in all.
func (c *Credit) TicketsReceived() *big.Int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return new(big.Int).Set(c.treceived)
}
