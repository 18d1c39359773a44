package settle

import (
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/lottery"
)

// Debt is what we owe one neighbour for the packets we hand it: the
// sending side of a link. Get it from [Ledger.Out]; keep it with the
// connection, so that the packet path calls [Debt.Sent] without a lookup.
type Debt struct {
	// The packet path touches only these two fields.
	sent  atomic.Uint64 // packets handed over since Open; only ever grows
	every uint64

	l     *Ledger
	payee common.Address

	// mu guards the valuation of the counter and the cheque state. The
	// counter is never reset: folded marks how much of it is already
	// valued into unbilled, so a concurrent Sent is never lost and the
	// due signal keeps its rhythm across price changes.
	mu       sync.Mutex
	price    *big.Int
	folded   uint64
	unbilled *big.Int      // wei owed beyond latest for the first folded packets
	latest   cheque.Signed // CumulativeAmount zero: none signed yet

	// Lottery payments: the payee's commitment (zero: none yet), the
	// nonce of our next ticket, the expected value paid in tickets and
	// the last ticket.
	commitment common.Hash
	tnext      uint64
	tpaid      *big.Int
	tlatest    *lottery.Signed
}

func newDebt(l *Ledger, payee common.Address, r outRecord) *Debt {
	d := &Debt{every: l.every, l: l, payee: payee, latest: r.latest, unbilled: r.unbilled, price: r.price, tpaid: new(big.Int)}
	if d.latest.CumulativeAmount == nil {
		d.latest = cheque.Signed{Cheque: cheque.Cheque{Payer: l.self, Payee: payee, CumulativeAmount: new(big.Int)}}
	}
	if d.unbilled == nil {
		d.unbilled = new(big.Int)
	}
	if d.price == nil {
		d.price = new(big.Int)
	}
	return d
}

// Payee returns the neighbour this debt is to.
func (d *Debt) Payee() common.Address { return d.payee }

// Sent counts one packet handed to the payee and reports whether a cheque
// is now due, which happens every [Options.ChequeEvery] packets. It takes
// no lock and allocates nothing. When it returns true, have
// [Debt.Cheque] called off the packet path (a missed signal only delays
// the cheque: the next one bills every packet since the last).
func (d *Debt) Sent() bool {
	return d.sent.Add(1)%d.every == 0
}

// SetPrice changes the price of the packets sent from now on. Packets
// already counted keep the old price. [Ledger.Out] calls it when the price
// in the payee's descriptor changes.
func (d *Debt) SetPrice(priceWei *big.Int) {
	if priceWei == nil {
		priceWei = new(big.Int)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.price.Cmp(priceWei) == 0 {
		return
	}
	d.foldLocked()
	d.price = new(big.Int).Set(priceWei)
}

// foldLocked values the packets counted since the last fold at the current
// price into unbilled.
func (d *Debt) foldLocked() {
	n := d.sent.Load()
	d.unbilled = d.unbilledAt(n)
	d.folded = n
}

// unbilledAt returns unbilled plus the packets up to count n at the
// current price. d.mu must be held.
func (d *Debt) unbilledAt(n uint64) *big.Int {
	x := new(big.Int).SetUint64(n - d.folded)
	x.Mul(x, d.price)
	return x.Add(x, d.unbilled)
}

// Cheque signs a cheque to the payee for everything owed so far: the
// cumulative amount of the last cheque plus the packets sent since at
// their price. The cheque is on disk before it is returned, so a cheque
// signed after a crash never has a lower amount. It returns
// [ErrNothingOwed] if there is nothing to add.
//
// Send the cheque to the payee. If it gets lost, the next one covers it;
// after a reconnection, send [Debt.Latest].
func (d *Debt) Cheque() (cheque.Signed, error) {
	l := d.l
	if l.closed.Load() {
		return cheque.Signed{}, ErrClosed
	}
	d.mu.Lock()
	defer d.mu.Unlock()

	n := d.sent.Load()
	owed := d.unbilledAt(n)
	if owed.Sign() == 0 {
		return cheque.Signed{}, ErrNothingOwed
	}
	c := cheque.Cheque{Payer: l.self, Payee: d.payee, CumulativeAmount: owed.Add(owed, d.latest.CumulativeAmount)}
	s, err := l.sign(c)
	if err != nil {
		return cheque.Signed{}, fmt.Errorf("settle: sign cheque to %s: %w", d.payee, err)
	}
	if s.Payer != c.Payer || s.Payee != c.Payee || s.CumulativeAmount == nil || s.CumulativeAmount.Cmp(c.CumulativeAmount) != 0 {
		return cheque.Signed{}, fmt.Errorf("settle: signer returned another cheque than the one to %s for %s wei", d.payee, c.CumulativeAmount)
	}
	if err := l.domain.Verify(s); err != nil {
		return cheque.Signed{}, fmt.Errorf("settle: our own cheque does not verify (wrong key or domain?): %w", err)
	}
	s = copySigned(s)
	v, err := (&outRecord{latest: s, unbilled: new(big.Int), price: d.price}).encode()
	if err != nil {
		return cheque.Signed{}, fmt.Errorf("settle: cheque to %s: %w", d.payee, err)
	}
	if err := l.put(recordKey(prefixOut, d.payee), v); err != nil {
		return cheque.Signed{}, fmt.Errorf("settle: store cheque to %s: %w", d.payee, err)
	}
	d.latest, d.unbilled, d.folded = s, new(big.Int), n
	l.stats.signed.Add(1)
	return copySigned(s), nil
}

// Latest returns the last cheque signed to the payee, and false if there
// is none. Resend it after a reconnection: cheques are cumulative, so a
// payee that already has it loses nothing.
func (d *Debt) Latest() (cheque.Signed, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return copySigned(d.latest), d.latest.CumulativeAmount.Sign() > 0
}
