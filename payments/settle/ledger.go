package settle

import (
	"bytes"
	"cmp"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/internal/badgerdb"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/lottery"
)

// Defaults for the zero fields of [Options].
const (
	// DefaultChequeEvery is a few hundred packets (docs/design.md §6.3): a
	// signature and a verification per 200 packets are noise next to the
	// Sphinx work, and at most 200 packets ride on trust.
	DefaultChequeEvery = 200
	// DefaultCoverTTL bounds how often a payer's cover is looked up.
	DefaultCoverTTL = time.Minute
	// DefaultCoverMaxStale is how long a cached cover is trusted while the
	// chain endpoint is down.
	DefaultCoverMaxStale = time.Hour
	// DefaultClaimWindow is how long a ticket must stay valid when it is
	// taken: the cashing loop redeems wins every minute, so an hour leaves
	// room for a chain that is down or congested for most of it.
	DefaultClaimWindow = time.Hour
	// DefaultTicketValidFor is how long a ticket can be claimed: a day,
	// well above any payee's claim window, and short enough that a payee
	// cannot sit on a win while the payer's deposit drains.
	DefaultTicketValidFor = 24 * time.Hour
)

// Cover tells how much a payer's cheques are backed by: its Vault deposit
// plus the stake the Vault takes bounced cheques from. The node implements
// it with chain.Client's VaultBalance plus the Stake of its Relay entry
// (zero for an account that is not a relay). An error means the answer is
// unknown, not zero; see "Cover" in the package documentation.
type Cover interface {
	Cover(ctx context.Context, payer common.Address) (*big.Int, error)
}

// CoverFunc adapts a function to [Cover].
type CoverFunc func(ctx context.Context, payer common.Address) (*big.Int, error)

// Cover calls f.
func (f CoverFunc) Cover(ctx context.Context, payer common.Address) (*big.Int, error) {
	return f(ctx, payer)
}

// Signer signs a cheque drawn on our account, in the domain of
// [Options.Domain]. It lets the key live elsewhere (a keystore, a remote
// signer); [KeySigner] makes one from a raw key.
type Signer func(cheque.Cheque) (cheque.Signed, error)

// KeySigner returns a [Signer] that signs with key in domain d.
func KeySigner(d cheque.Domain, key *ecdsa.PrivateKey) Signer {
	return func(c cheque.Cheque) (cheque.Signed, error) { return d.Sign(c, key) }
}

// Options configure a [Ledger]. Self, Domain, Signer and Cover are
// required; the zero value of the others gives the defaults.
type Options struct {
	// Self is our operator account: the payer of the cheques we sign, the
	// payee of the cheques we accept.
	Self common.Address
	// Domain is the Vault's EIP-712 domain, in which cheques are checked
	// (chain.Client.ChequeDomain).
	Domain cheque.Domain
	// Signer signs our cheques. Every cheque it returns is verified
	// against Domain and Self before it is stored, so a wrong key or
	// domain fails at the first cheque rather than making worthless ones.
	Signer Signer
	// Cover looks up payers' deposits and stakes; see [Cover].
	Cover Cover

	// ChequeEvery is the number of packets between two cheques to one
	// payee: [Debt.Sent] reports a cheque due every ChequeEvery packets.
	// 0 means [DefaultChequeEvery].
	ChequeEvery uint64
	// RefuseAbove is the number of unpaid packets beyond which a neighbour
	// is refused ([Credit.Received] returns false). It must exceed
	// ChequeEvery, or honest neighbours would be refused before their
	// first cheque is due; 0 means 3×ChequeEvery, which leaves a cheque
	// interval for a cheque to be signed and to travel.
	RefuseAbove uint64
	// Slack is the most credit, in packets, a neighbour can hold from
	// overpaying cheques; see "Accepting a cheque". 0 means ChequeEvery,
	// which absorbs a peer's crash top-up (see "Persistence and crashes").
	Slack uint64
	// CoverTTL is how long a looked-up cover is used before it is asked
	// again; 0 means [DefaultCoverTTL].
	CoverTTL time.Duration
	// CoverMaxStale is how old a cached cover may be and still be used
	// when the lookup fails; 0 means [DefaultCoverMaxStale]. A negative
	// value never uses a stale cover.
	CoverMaxStale time.Duration

	// Tickets signs our lottery tickets ([Debt.Ticket]); nil: we pay by
	// cheque only. Tickets from neighbours are taken either way.
	Tickets TicketSigner
	// TicketValidFor is how long our tickets can be claimed after they are
	// signed; 0 means [DefaultTicketValidFor].
	TicketValidFor time.Duration
	// ClaimWindow is how long a neighbour's ticket must stay valid when we
	// take it, for a win to be claimed in time; 0 means
	// [DefaultClaimWindow]. It must be shorter than the neighbours'
	// TicketValidFor.
	ClaimWindow time.Duration

	// Now is the clock that ages cached covers; nil means time.Now.
	Now func() time.Time
	// Logger receives warnings (an unclean shutdown, a failing cover
	// lookup) and badger's warnings and errors; nil discards them.
	Logger *slog.Logger
}

// Ledger keeps the running balances with every neighbour, both ways, in
// one badger database. Open it with [Open]. Its methods are safe for
// concurrent use, except that nothing may be called concurrently with or
// after [Ledger.Close].
type Ledger struct {
	db     *badger.DB
	self   common.Address
	domain cheque.Domain
	sign   Signer
	cover  Cover
	every  uint64
	refuse uint64
	slack  uint64
	ttl    time.Duration
	stale  time.Duration
	now    func() time.Time
	log    *slog.Logger

	tickets  TicketSigner
	validFor time.Duration
	payee    *lottery.Payee

	closed atomic.Bool

	mu  sync.Mutex // guards the maps, not the handles
	out map[common.Address]*Debt
	in  map[common.Address]*Credit

	stats counters
}

// Open opens the ledger in dir, creating it if needed, and restores every
// balance and cheque. Only one Ledger may have dir open at a time.
func Open(dir string, opts Options) (*Ledger, error) {
	if opts.Self == (common.Address{}) {
		return nil, errors.New("settle: no Self address")
	}
	if opts.Signer == nil || opts.Cover == nil {
		return nil, errors.New("settle: Signer and Cover are required")
	}
	if opts.Domain == (cheque.Domain{}) {
		return nil, errors.New("settle: no cheque Domain")
	}
	l := &Ledger{
		self:   opts.Self,
		domain: opts.Domain,
		sign:   opts.Signer,
		cover:  opts.Cover,
		every:  cmp.Or(opts.ChequeEvery, DefaultChequeEvery),
		slack:  opts.Slack,
		ttl:    cmp.Or(opts.CoverTTL, DefaultCoverTTL),
		stale:  cmp.Or(opts.CoverMaxStale, DefaultCoverMaxStale),
		now:    opts.Now,
		log:    opts.Logger,
		out:    make(map[common.Address]*Debt),
		in:     make(map[common.Address]*Credit),

		tickets:  opts.Tickets,
		validFor: cmp.Or(opts.TicketValidFor, DefaultTicketValidFor),
	}
	l.refuse = cmp.Or(opts.RefuseAbove, 3*l.every)
	if l.slack == 0 {
		l.slack = l.every
	}
	if l.refuse <= l.every {
		return nil, fmt.Errorf("settle: RefuseAbove (%d) must exceed ChequeEvery (%d)", l.refuse, l.every)
	}
	// Packet counts are int64 on the receiving side.
	if l.refuse > 1<<60 || l.slack > 1<<60 {
		return nil, errors.New("settle: RefuseAbove or Slack too large")
	}
	if l.ttl < 0 {
		return nil, errors.New("settle: negative CoverTTL")
	}
	if l.now == nil {
		l.now = time.Now
	}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	window := cmp.Or(opts.ClaimWindow, DefaultClaimWindow)
	if window <= 0 || l.validFor <= window {
		return nil, fmt.Errorf("settle: TicketValidFor (%s) must exceed ClaimWindow (%s)", l.validFor, window)
	}
	l.payee = lottery.NewPayee(l.domain, l.self, window, nil, l.now)

	// Synced writes: a cheque is acknowledged only once it is on disk.
	// The ledger writes once per cheque and per Flush, never per packet.
	db, err := badgerdb.Open(dir, l.log)
	if err != nil {
		return nil, fmt.Errorf("settle: open %s: %w", dir, err)
	}
	l.db = db
	if err := l.load(); err != nil {
		db.Close()
		return nil, err
	}
	return l, nil
}

// load restores the handles from disk and sets the unclean-shutdown
// marker, topping up our debts if the last run did not close cleanly.
func (l *Ledger) load() error {
	if err := checkSchema(l.db); err != nil {
		return err
	}
	crashed := false
	err := l.db.View(func(txn *badger.Txn) error {
		_, err := txn.Get(dirtyKey)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		crashed = err == nil
		return err
	})
	if err != nil {
		return fmt.Errorf("settle: read shutdown marker: %w", err)
	}

	err = scan(l.db, prefixOut, func(payee common.Address, v []byte) error {
		r, err := decodeOut(l.self, payee, v)
		if err != nil {
			return err
		}
		d := newDebt(l, payee, r)
		if crashed {
			// See "Persistence and crashes": we may have forgotten up to
			// a cheque interval of packets; owe it rather than leave the
			// payee with an unpaid balance it holds against us forever.
			d.unbilled.Add(d.unbilled, new(big.Int).Mul(new(big.Int).SetUint64(l.every), r.price))
		}
		l.out[payee] = d
		return nil
	})
	if err != nil {
		return fmt.Errorf("settle: load debts: %w", err)
	}
	err = scan(l.db, prefixIn, func(payer common.Address, v []byte) error {
		r, err := decodeIn(l.self, payer, v)
		if err != nil {
			return err
		}
		l.in[payer] = newCredit(l, payer, r)
		return nil
	})
	if err != nil {
		return fmt.Errorf("settle: load credits: %w", err)
	}
	err = scan(l.db, prefixTicketOut, func(payee common.Address, v []byte) error {
		r, err := decodeTicketOut(payee, v)
		if err != nil {
			return err
		}
		d := l.debtOf(payee)
		d.tnext, d.tpaid, d.tlatest = r.next, r.paid, r.latest
		return nil
	})
	if err != nil {
		return fmt.Errorf("settle: load tickets paid: %w", err)
	}
	err = scan(l.db, prefixTicketIn, func(payer common.Address, v []byte) error {
		r, err := decodeTicketIn(payer, v)
		if err != nil {
			return err
		}
		if err := l.payee.Restore(payer, r.state); err != nil {
			return err
		}
		c := l.creditOf(payer)
		c.tlast, c.treceived, c.tclaimed = r.last, r.received, r.claimed
		return nil
	})
	if err != nil {
		return fmt.Errorf("settle: load tickets taken: %w", err)
	}
	if err := scanWins(l.db, l.payee.RestoreWin); err != nil {
		return fmt.Errorf("settle: load wins: %w", err)
	}
	if crashed {
		l.log.Warn("settle: the ledger was not closed cleanly; owing each payee one more cheque interval",
			"payees", len(l.out), "packets", l.every)
	}
	if err := l.db.Update(func(txn *badger.Txn) error { return txn.Set(dirtyKey, nil) }); err != nil {
		return fmt.Errorf("settle: write shutdown marker: %w", err)
	}
	return nil
}

// Close writes every balance to disk, marks the shutdown clean and closes
// the database.
func (l *Ledger) Close() error {
	if l.closed.Load() {
		return ErrClosed
	}
	ferr := l.Flush()
	l.closed.Store(true)
	if ferr == nil {
		// Only a complete flush makes the shutdown clean; otherwise the
		// next Open tops our debts up as after a crash.
		ferr = l.db.Update(func(txn *badger.Txn) error { return txn.Delete(dirtyKey) })
	}
	if err := l.db.Close(); err != nil {
		return fmt.Errorf("settle: close: %w", err)
	}
	if ferr != nil {
		return fmt.Errorf("settle: close: %w", ferr)
	}
	return nil
}

// Out returns the handle for the packets we hand to payee at priceWei
// each, the price from payee's descriptor. It returns the same handle for
// the same payee every time; a different price is applied as by
// [Debt.SetPrice]. A nil price is zero.
func (l *Ledger) Out(payee common.Address, priceWei *big.Int) (*Debt, error) {
	if err := checkPrice(priceWei); err != nil {
		return nil, err
	}
	d, err := l.Payee(payee)
	if err != nil {
		return nil, err
	}
	d.SetPrice(priceWei)
	return d, nil
}

// Payee returns the handle for the packets we hand to payee, as
// [Ledger.Out] does, but leaves its price as it is: for settling up what
// is owed, which does not change what packets cost.
func (l *Ledger) Payee(payee common.Address) (*Debt, error) {
	if payee == (common.Address{}) || payee == l.self {
		return nil, fmt.Errorf("settle: cannot pay %s", payee)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed.Load() {
		return nil, ErrClosed
	}
	return l.debtOf(payee), nil
}

// debtOf returns payee's handle, made if new. l.mu must be held, or the
// ledger be loading.
func (l *Ledger) debtOf(payee common.Address) *Debt {
	d, ok := l.out[payee]
	if !ok {
		d = newDebt(l, payee, outRecord{})
		l.out[payee] = d
	}
	return d
}

// creditOf returns payer's handle, made if new. l.mu must be held, or the
// ledger be loading.
func (l *Ledger) creditOf(payer common.Address) *Credit {
	c, ok := l.in[payer]
	if !ok {
		c = newCredit(l, payer, inRecord{})
		l.in[payer] = c
	}
	return c
}

// In returns the handle for the packets payer hands us at priceWei each,
// our own announced price. It returns the same handle for the same payer
// every time; a different price is applied as by [Credit.SetPrice]. A nil
// price is zero, and a neighbour that owes nothing is never refused.
func (l *Ledger) In(payer common.Address, priceWei *big.Int) (*Credit, error) {
	if err := checkPrice(priceWei); err != nil {
		return nil, err
	}
	c, err := l.Payer(payer)
	if err != nil {
		return nil, err
	}
	c.SetPrice(priceWei)
	return c, nil
}

// Payer returns the handle for the packets payer hands us, as [Ledger.In]
// does, but leaves its price as it is (zero for a payer new to the
// ledger): for taking a payer's cheque, which does not change what its
// packets cost.
func (l *Ledger) Payer(payer common.Address) (*Credit, error) {
	if payer == (common.Address{}) || payer == l.self {
		return nil, fmt.Errorf("settle: cannot be paid by %s", payer)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed.Load() {
		return nil, ErrClosed
	}
	return l.creditOf(payer), nil
}

func checkPrice(p *big.Int) error {
	if p != nil && (p.Sign() < 0 || p.BitLen() > 256) {
		return fmt.Errorf("settle: invalid price %s wei", p)
	}
	return nil
}

// handles returns the handles sorted by address, so that Flush locks them
// in one order and listings are stable.
func (l *Ledger) handles() ([]*Debt, []*Credit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ds := make([]*Debt, 0, len(l.out))
	for _, d := range l.out {
		ds = append(ds, d)
	}
	cs := make([]*Credit, 0, len(l.in))
	for _, c := range l.in {
		cs = append(cs, c)
	}
	slices.SortFunc(ds, func(a, b *Debt) int { return bytes.Compare(a.payee[:], b.payee[:]) })
	slices.SortFunc(cs, func(a, b *Credit) int { return bytes.Compare(a.payer[:], b.payer[:]) })
	return ds, cs
}

// Flush writes every balance (the packets counted since the last write)
// to disk in one synced transaction. Call it every few seconds: it bounds
// what a crash of the machine forgets of the packets a neighbour owes us.
func (l *Ledger) Flush() error {
	if l.closed.Load() {
		return ErrClosed
	}
	ds, cs := l.handles()
	// Every handle stays locked until the transaction is written, so that
	// a cheque signed or accepted meanwhile cannot be overwritten on disk
	// by this older snapshot. Only Cheque, Accept, SetPrice and the
	// listings wait; the packet path takes no lock.
	keys := make([][]byte, 0, len(ds)+len(cs))
	vals := make([][]byte, 0, len(ds)+len(cs))
	for _, d := range ds {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.foldLocked()
		v, err := (&outRecord{latest: d.latest, unbilled: d.unbilled, price: d.price}).encode()
		if err != nil {
			return fmt.Errorf("settle: flush debt to %s: %w", d.payee, err)
		}
		keys, vals = append(keys, recordKey(prefixOut, d.payee)), append(vals, v)
	}
	for _, c := range cs {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.foldLocked()
		v, err := (&inRecord{latest: c.latest, cashed: c.cashed, unpaid: c.unpaid}).encode()
		if err != nil {
			return fmt.Errorf("settle: flush credit from %s: %w", c.payer, err)
		}
		keys, vals = append(keys, recordKey(prefixIn, c.payer)), append(vals, v)
	}
	err := l.db.Update(func(txn *badger.Txn) error {
		for i := range keys {
			if err := txn.Set(keys[i], vals[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("settle: flush: %w", err)
	}
	return nil
}

// put writes one record, synced.
func (l *Ledger) put(key, val []byte) error {
	if l.closed.Load() {
		return ErrClosed
	}
	return l.db.Update(func(txn *badger.Txn) error { return txn.Set(key, val) })
}

// Holding is what one payer owes us, for the earnings view.
type Holding struct {
	Payer common.Address
	// Latest is the last cheque accepted from Payer; its CumulativeAmount
	// is zero (and its signature empty) if none was.
	Latest cheque.Signed
	// Cashed is how much of it we cashed, as told by [Ledger.MarkCashed].
	Cashed *big.Int
	// Pending is Latest's amount minus Cashed: signed, not yet claimed.
	Pending *big.Int
	// Unpaid is what Payer owes for packets beyond Latest, in wei;
	// negative is credit (it paid ahead).
	Unpaid *big.Int
	// Cover is Payer's cover (vault deposit plus stake) as last looked up
	// to accept one of its cheques; nil if it never was (in this process).
	Cover *big.Int
	// Limit is the amount at or above which no cheque of Payer may be
	// cashed (a provider's cheque from an issuer that would prove a double
	// redemption against it); nil when there is none.
	Limit *big.Int
}

// Liability is what we owe one payee, for the earnings view.
type Liability struct {
	Payee common.Address
	// Latest is the last cheque we signed to Payee; its CumulativeAmount
	// is zero (and its signature empty) if none was.
	Latest cheque.Signed
	// Unbilled is what we owe Payee beyond Latest, in wei: packets sent
	// since, plus the crash top-up if any.
	Unbilled *big.Int
	// Price is the current price per packet in wei.
	Price *big.Int
	// TicketsPaid is the expected value paid to Payee in lottery tickets,
	// in all.
	TicketsPaid *big.Int
}

// Holdings lists, by payer address, what every payer owes us. It reads
// memory only, so its error is always nil; it has one to be a [Holder].
func (l *Ledger) Holdings() ([]Holding, error) {
	_, cs := l.handles()
	out := make([]Holding, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.holding())
	}
	return out, nil
}

// Debts lists, by payee address, what we owe every payee.
func (l *Ledger) Debts() []Liability {
	ds, _ := l.handles()
	out := make([]Liability, 0, len(ds))
	for _, d := range ds {
		d.mu.Lock()
		out = append(out, Liability{
			Payee:       d.payee,
			Latest:      copySigned(d.latest),
			Unbilled:    d.unbilledAt(d.sent.Load()),
			Price:       new(big.Int).Set(d.price),
			TicketsPaid: new(big.Int).Set(d.tpaid),
		})
		d.mu.Unlock()
	}
	return out
}

// CashDue returns the latest cheque of every payer whose pending (not yet
// cashed) amount exceeds minUnclaimed, or reaches half the payer's cover
// as last looked up, by payer address. The caller sets minUnclaimed from
// the gas price, so that cashing is worth its gas, cashes the cheques and
// reports each with [Ledger.MarkCashed].
//
// The cover rule overrides the gas rule because [Credit.Accept] takes a
// cheque only while the payer's cover backs all of its pending amount: a
// payee that waited for gas to get cheap would, once the pending amount
// nears the cover, refuse the payer's next cheque as uncovered, and then
// its packets, though the payer is honest. Cashing at half the cover
// leaves the payer the other half to pay with meanwhile.
func (l *Ledger) CashDue(minUnclaimed *big.Int) []cheque.Signed {
	if minUnclaimed == nil || minUnclaimed.Sign() < 0 {
		minUnclaimed = new(big.Int) // a payer with no cheque is never due
	}
	var due []cheque.Signed
	hs, _ := l.Holdings()
	for _, h := range hs {
		if DecideCash(h, minUnclaimed) == Cash {
			due = append(due, h.Latest)
		}
	}
	return due
}

// nearCover reports whether h's pending amount reaches half its payer's
// known cover. A cover of zero is not reached: its cheques cannot be
// cashed anyway, and a cash would only cost gas.
func nearCover(h Holding) bool {
	if h.Cover == nil || h.Cover.Sign() <= 0 || h.Pending.Sign() <= 0 {
		return false
	}
	twice := new(big.Int).Lsh(h.Pending, 1)
	return twice.Cmp(h.Cover) >= 0
}

// MarkCashed records that payer's cheques to us have been cashed for total
// wei in all: the total of the Vault's ChequeCashed event, or
// chain.Client.Cashed. Totals only grow, so a smaller one than recorded is
// ignored and a report may be repeated. The record is synced before
// MarkCashed returns.
func (l *Ledger) MarkCashed(payer common.Address, total *big.Int) error {
	if total == nil || total.Sign() < 0 || total.BitLen() > 256 {
		return fmt.Errorf("settle: invalid cashed total %v", total)
	}
	l.mu.Lock()
	c, ok := l.in[payer]
	l.mu.Unlock()
	if !ok {
		return fmt.Errorf("settle: no cheque from %s to mark cashed", payer)
	}
	return c.markCashed(total)
}

// Stats counts cheques and refusals since [Open], for metrics.
type Stats struct {
	ChequesSigned   uint64 // by Debt.Cheque
	ChequesAccepted uint64 // by Credit.Accept, retransmissions excluded
	// Overpaid counts accepted cheques whose surplus went beyond Slack
	// packets of credit and was not credited.
	Overpaid uint64
	// RefusedPackets counts packets Credit.Received refused.
	RefusedPackets uint64
	// TicketsSigned, TicketsAccepted and TicketsWon count lottery tickets
	// (Debt.Ticket, Credit.AcceptTicket); BadTickets those refused for a
	// lottery reason (ErrBadTicket). Tickets refused for their payer, its
	// signature or its cover are counted with the cheques below.
	TicketsSigned, TicketsAccepted, TicketsWon, BadTickets uint64

	// Cheques refused by Credit.Accept, by reason.
	WrongPayee   uint64 // ErrWrongPayee
	WrongPayer   uint64 // ErrWrongPayer
	BadSignature uint64 // ErrBadSignature
	Stale        uint64 // ErrStale
	Uncovered    uint64 // ErrUncovered
	CoverUnknown uint64 // ErrCoverUnknown
}

type counters struct {
	signed, accepted, overpaid, refused                                  atomic.Uint64
	ticketsSigned, ticketsAccepted, ticketsWon, badTickets               atomic.Uint64
	wrongPayee, wrongPayer, badSignature, stale, uncovered, coverUnknown atomic.Uint64
}

// Stats returns the counters.
func (l *Ledger) Stats() Stats {
	s := &l.stats
	return Stats{
		ChequesSigned:   s.signed.Load(),
		ChequesAccepted: s.accepted.Load(),
		Overpaid:        s.overpaid.Load(),
		RefusedPackets:  s.refused.Load(),
		TicketsSigned:   s.ticketsSigned.Load(),
		TicketsAccepted: s.ticketsAccepted.Load(),
		TicketsWon:      s.ticketsWon.Load(),
		BadTickets:      s.badTickets.Load(),
		WrongPayee:      s.wrongPayee.Load(),
		WrongPayer:      s.wrongPayer.Load(),
		BadSignature:    s.badSignature.Load(),
		Stale:           s.stale.Load(),
		Uncovered:       s.uncovered.Load(),
		CoverUnknown:    s.coverUnknown.Load(),
	}
}
