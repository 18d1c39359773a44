package settle

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/payments/cheque"
)

// Credit is what one neighbour owes us for the packets it hands us: the
// receiving side of a link. Get it from [Ledger.In]; keep it with the
// connection, so that the packet path calls [Credit.Received] without a
// lookup.
type Credit struct {
	// The packet path touches only these two fields.
	recv  atomic.Int64 // packets taken since Open
	allow atomic.Int64 // recv may reach this; beyond, the payer would owe more than RefuseAbove

	l     *Ledger
	payer common.Address

	// acceptMu serializes Accept, which may wait on a cover lookup,
	// without holding mu (and so Flush) meanwhile. It guards the cover
	// cache.
	acceptMu sync.Mutex
	cover    *big.Int // nil: never looked up
	coverAt  time.Time
	// known is a copy of cover for readers that do not hold acceptMu
	// (Holdings, CashDue).
	known atomic.Pointer[big.Int]

	// mu guards the rest. As in Debt, the counter is never reset; folded
	// marks how much of it is valued into unpaid.
	mu    sync.Mutex
	price *big.Int
	// limit is the highest price set since the ledger opened: the refusal
	// threshold and the slack are RefuseAbove and Slack packets at it, so
	// that when prices change by position, a payer owing for packets at a
	// dearer epoch's price is not refused as the price falls.
	limit  *big.Int
	folded int64
	unpaid *big.Int      // wei owed beyond latest for the first folded packets; negative is credit
	latest cheque.Signed // CumulativeAmount zero: none accepted yet
	cashed *big.Int

	// Lottery payments: the last ticket taken, the expected value taken
	// in tickets and the face value of the wins claimed, in all.
	tlast               common.Hash
	treceived, tclaimed *big.Int
}

func newCredit(l *Ledger, payer common.Address, r inRecord) *Credit {
	c := &Credit{l: l, payer: payer, latest: r.latest, unpaid: r.unpaid, cashed: r.cashed, price: new(big.Int), limit: new(big.Int),
		treceived: new(big.Int), tclaimed: new(big.Int)}
	if c.latest.CumulativeAmount == nil {
		c.latest = cheque.Signed{Cheque: cheque.Cheque{Payer: payer, Payee: l.self, CumulativeAmount: new(big.Int)}}
	}
	if c.unpaid == nil {
		c.unpaid = new(big.Int)
	}
	if c.cashed == nil {
		c.cashed = new(big.Int)
	}
	c.updateAllowLocked() // price zero, so never refused, until In sets it
	return c
}

// Payer returns the neighbour this credit is from.
func (c *Credit) Payer() common.Address { return c.payer }

// Received counts one packet from the payer and reports whether to take
// it. It returns false, and does not count the packet, when taking it
// would leave the payer owing more than [Options.RefuseAbove] packets; the
// caller drops the packet. It takes no lock and allocates nothing.
func (c *Credit) Received() bool {
	// Compare-and-swap rather than add-then-undo: a refused packet never
	// shows in the count, so concurrent callers cannot push each other
	// over the threshold and the count is always exact. Uncontended, it
	// costs what an atomic add does.
	for {
		n := c.recv.Load()
		if n >= c.allow.Load() {
			c.l.stats.refused.Add(1)
			return false
		}
		if c.recv.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// SetPrice changes the price of the packets received from now on; packets
// already counted keep the old price. [Ledger.In] calls it when our
// announced price changes.
func (c *Credit) SetPrice(priceWei *big.Int) {
	if priceWei == nil {
		priceWei = new(big.Int)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.price.Cmp(priceWei) == 0 {
		return
	}
	c.foldLocked()
	c.price = new(big.Int).Set(priceWei)
	if priceWei.Cmp(c.limit) > 0 {
		c.limit = new(big.Int).Set(priceWei)
	}
	c.updateAllowLocked()
}

// foldLocked values the packets counted since the last fold at the current
// price into unpaid.
func (c *Credit) foldLocked() {
	n := c.recv.Load()
	c.unpaid = c.unpaidAt(n)
	c.folded = n
}

// unpaidAt returns unpaid plus the packets up to count n at the current
// price. c.mu must be held.
func (c *Credit) unpaidAt(n int64) *big.Int {
	x := big.NewInt(n - c.folded)
	x.Mul(x, c.price)
	return x.Add(x, c.unpaid)
}

// updateAllowLocked sets the count up to which Received takes packets:
// the payer may owe at most RefuseAbove packets at the limit price, that is
//
//	unpaid + (recv − folded)·price ≤ RefuseAbove·limit
//	recv ≤ folded + ⌊(RefuseAbove·limit − unpaid) / price⌋
func (c *Credit) updateAllowLocked() {
	if c.price.Sign() == 0 {
		c.allow.Store(math.MaxInt64)
		return
	}
	q := new(big.Int).SetUint64(c.l.refuse)
	q.Mul(q, c.limit)
	q.Sub(q, c.unpaid)
	q.Div(q, c.price) // Euclidean division: the floor, for a positive divisor
	// Bounded so that the sum below cannot overflow: the counters never
	// come near 2^62 (a century at a billion packets a second).
	const bound = 1 << 62
	switch {
	case q.Cmp(big.NewInt(bound)) > 0:
		q.SetInt64(bound)
	case q.Cmp(big.NewInt(-bound)) < 0:
		q.SetInt64(-bound)
	}
	c.allow.Store(c.folded + q.Int64())
}

// Accept checks the cheque s from the payer and, if it is good, records
// it: on disk (synced) before Accept returns nil, and as payment for the
// packets received, so that a refused payer is taken again. See
// "Accepting a cheque" for the checks and [ErrWrongPayee],
// [ErrWrongPayer], [ErrBadSignature], [ErrStale], [ErrUncovered] and
// [ErrCoverUnknown] for the refusals. The last accepted cheque, received
// again, is accepted without effect. ctx bounds the cover lookup.
func (c *Credit) Accept(ctx context.Context, s cheque.Signed) error {
	l, st := c.l, &c.l.stats
	if s.Payee != l.self {
		st.wrongPayee.Add(1)
		return fmt.Errorf("%w: cheque from %s pays %s, we are %s", ErrWrongPayee, s.Payer, s.Payee, l.self)
	}
	if s.Payer != c.payer {
		st.wrongPayer.Add(1)
		return fmt.Errorf("%w: cheque drawn on %s, expected %s", ErrWrongPayer, s.Payer, c.payer)
	}
	if err := l.domain.Verify(s); err != nil {
		st.badSignature.Add(1)
		return fmt.Errorf("%w: cheque from %s: %w", ErrBadSignature, c.payer, err)
	}
	if l.closed.Load() {
		return ErrClosed
	}

	c.acceptMu.Lock()
	defer c.acceptMu.Unlock()

	// latest changes only under acceptMu, so it cannot move while the
	// cover is looked up; cashed may grow meanwhile, which only lowers
	// what the cover must be.
	c.mu.Lock()
	last := new(big.Int).Set(c.latest.CumulativeAmount)
	lastSig := c.latest.Signature
	need := new(big.Int).Sub(s.CumulativeAmount, c.cashed)
	c.mu.Unlock()
	if cmp := s.CumulativeAmount.Cmp(last); cmp <= 0 {
		if cmp == 0 && s.Signature == lastSig {
			return nil // a retransmission of what we have
		}
		st.stale.Add(1)
		return fmt.Errorf("%w: cheque from %s for %s wei, last accepted %s", ErrStale, c.payer, s.CumulativeAmount, last)
	}
	if err := c.checkCover(ctx, need, "the cheque"); err != nil {
		return err
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.recv.Load()
	unpaid, overpaid := c.payLocked(n, new(big.Int).Sub(s.CumulativeAmount, last))
	s = copySigned(s)
	v, err := (&inRecord{latest: s, cashed: c.cashed, unpaid: unpaid}).encode()
	if err != nil {
		return fmt.Errorf("settle: cheque from %s: %w", c.payer, err)
	}
	if err := l.put(recordKey(prefixIn, c.payer), v); err != nil {
		return fmt.Errorf("settle: store cheque from %s: %w", c.payer, err)
	}
	c.latest, c.unpaid, c.folded = s, unpaid, n
	c.updateAllowLocked()
	st.accepted.Add(1)
	if overpaid {
		st.overpaid.Add(1)
	}
	return nil
}

// payLocked returns what the payer owes, counting packets up to n, once
// amount wei more is paid, and whether that overpays: credit beyond
// Slack packets is not given (see "Accepting a cheque"). c.mu must be held.
func (c *Credit) payLocked(n int64, amount *big.Int) (unpaid *big.Int, overpaid bool) {
	unpaid = c.unpaidAt(n)
	unpaid.Sub(unpaid, amount)
	floor := new(big.Int).SetUint64(c.l.slack)
	floor.Mul(floor, c.limit).Neg(floor)
	if unpaid.Cmp(floor) < 0 {
		return floor, true
	}
	return unpaid, false
}

// checkCover checks that the payer's cover is at least need, looking it up
// as described in "Cover". c.acceptMu must be held.
func (c *Credit) checkCover(ctx context.Context, need *big.Int, what string) error {
	l, st := c.l, &c.l.stats
	now := l.now()
	fresh := false
	if c.cover == nil || now.Sub(c.coverAt) >= l.ttl {
		err := c.lookupCover(ctx, now)
		switch {
		case err == nil:
			fresh = true
		case c.cover != nil && now.Sub(c.coverAt) <= l.stale:
			l.log.Warn("settle: cover lookup failed; using the cached value",
				"payer", c.payer, "cover", c.cover, "age", now.Sub(c.coverAt), "err", err)
		default:
			st.coverUnknown.Add(1)
			return fmt.Errorf("%w: payer %s: %w", ErrCoverUnknown, c.payer, err)
		}
	}
	if c.cover.Cmp(need) >= 0 {
		return nil
	}
	// The cached value falls short, but the payer may have deposited since:
	// ask once more before refusing. A failed lookup keeps the refusal.
	if !fresh && c.lookupCover(ctx, now) == nil && c.cover.Cmp(need) >= 0 {
		return nil
	}
	st.uncovered.Add(1)
	return fmt.Errorf("%w: payer %s covers %s wei, %s needs %s", ErrUncovered, c.payer, c.cover, what, need)
}

func (c *Credit) lookupCover(ctx context.Context, now time.Time) error {
	v, err := c.l.cover.Cover(ctx, c.payer)
	if err == nil && v == nil {
		err = errors.New("no value")
	}
	if err != nil {
		return err
	}
	if v.Sign() < 0 {
		v = new(big.Int)
	}
	c.cover, c.coverAt = new(big.Int).Set(v), now
	c.known.Store(new(big.Int).Set(v))
	return nil
}

// markCashed records total as cashed if it is more than recorded.
func (c *Credit) markCashed(total *big.Int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if total.Cmp(c.cashed) <= 0 {
		return nil
	}
	c.foldLocked()
	v, err := (&inRecord{latest: c.latest, cashed: total, unpaid: c.unpaid}).encode()
	if err != nil {
		return fmt.Errorf("settle: cashed from %s: %w", c.payer, err)
	}
	if err := c.l.put(recordKey(prefixIn, c.payer), v); err != nil {
		return fmt.Errorf("settle: store cashed from %s: %w", c.payer, err)
	}
	c.cashed = new(big.Int).Set(total)
	return nil
}

// holding returns the payer's entry for Holdings.
func (c *Credit) holding() Holding {
	c.mu.Lock()
	defer c.mu.Unlock()
	pending := new(big.Int).Sub(c.latest.CumulativeAmount, c.cashed)
	if pending.Sign() < 0 {
		pending.SetInt64(0)
	}
	h := Holding{
		Payer:   c.payer,
		Latest:  copySigned(c.latest),
		Cashed:  new(big.Int).Set(c.cashed),
		Pending: pending,
		Unpaid:  c.unpaidAt(c.recv.Load()),
	}
	if v := c.known.Load(); v != nil {
		h.Cover = new(big.Int).Set(v)
	}
	return h
}

// Latest returns the last cheque accepted from the payer, and false if
// there is none.
func (c *Credit) Latest() (cheque.Signed, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return copySigned(c.latest), c.latest.CumulativeAmount.Sign() > 0
}
