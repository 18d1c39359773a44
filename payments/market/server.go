package market

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/internal/framing"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/tickets"
)

// Defaults of [ServeOptions].
const (
	DefaultTimeout       = 30 * time.Second
	DefaultMaxConcurrent = 8
)

// maxDiscard bounds how much of an oversized request the server reads
// away so that the client hears why it was refused.
const maxDiscard = 1 << 20

// ServeOptions configure [Serve].
type ServeOptions struct {
	// Timeout bounds each exchange, from the stream's opening to the end
	// of the answer. 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxConcurrent bounds the requests worked on at once; requests beyond
	// it are refused with CodeBusy. 0 means DefaultMaxConcurrent.
	MaxConcurrent int
	// Logger is for debug and warning messages; nil for none.
	Logger *slog.Logger
	// RefuseRedemptions makes the server refuse every redemption with
	// CodeBusy, valid or not: an issuer that is up but does not pay, for
	// tests of the providers' redemption on-chain.
	RefuseRedemptions bool
	// Cover, when set, returns what payer's Vault account can pay now:
	// its deposit minus any withdrawal it announced (clients have no
	// stake to back a bounced cheque). An order is then sold only if the
	// unclaimed value of its cheque (cumulative amount minus what the
	// issuer cashed from the payer, [tickets.Issuer.Cashed]) is at most
	// the cover; else it is refused with CodeUncovered, for a cheque that
	// would bounce for good once cashed gives tickets away. A lookup that
	// fails refuses the order with CodeBusy (the client retries), never
	// sells on credit. Cheques the payer gave others are invisible here,
	// so a payer can still promise its deposit twice; the cover only
	// stops what can be seen.
	Cover func(ctx context.Context, payer common.Address) (*big.Int, error)
}

// Server serves /murmur/tickets/2 for an issuer. Stop it with Close before
// closing the issuer.
type Server struct {
	h    host.Host
	is   *tickets.Issuer
	opts ServeOptions
	log  *slog.Logger
	sem  chan struct{}
	// ctx ends at Close, cutting short the lookups of requests in progress.
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup

	sold, redeemed atomic.Uint64           // orders sold, redemptions paid
	ticketsPaid    atomic.Uint64           // redemptions paid with a lottery ticket
	receipts       atomic.Uint64           // receipts taken alone
	refused        [numCodes]atomic.Uint64 // refusals, by code
}

// ServeStats counts what a server answered: orders sold, redemptions paid
// (TicketsPaid of them with a lottery ticket), receipts taken on their
// own, and refusals by reason (the [Code]'s name).
type ServeStats struct {
	Sold, Redeemed, TicketsPaid, Receipts uint64
	Refused                               map[string]uint64
}

// Stats returns the server's counts since it started.
func (sv *Server) Stats() ServeStats {
	st := ServeStats{Sold: sv.sold.Load(), Redeemed: sv.redeemed.Load(), TicketsPaid: sv.ticketsPaid.Load(),
		Receipts: sv.receipts.Load(), Refused: map[string]uint64{}}
	for c := range sv.refused {
		if n := sv.refused[c].Load(); n > 0 {
			st.Refused[Code(c).String()] = n
		}
	}
	return st
}

// Serve registers the handler of [Protocol] on h, answering for is: key
// queries with is's keys, orders with [tickets.Issuer.Sell], redemptions
// with [tickets.Issuer.Redeem].
func Serve(h host.Host, is *tickets.Issuer, opts ServeOptions) *Server {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxConcurrent <= 0 {
		opts.MaxConcurrent = DefaultMaxConcurrent
	}
	sv := &Server{
		h: h, is: is, opts: opts, log: opts.Logger,
		sem: make(chan struct{}, opts.MaxConcurrent),
	}
	sv.ctx, sv.cancel = context.WithCancel(context.Background())
	if sv.log == nil {
		sv.log = slog.New(slog.DiscardHandler)
	}
	h.SetStreamHandler(Protocol, sv.handle)
	return sv
}

// Close stops serving and waits for the requests in progress.
func (sv *Server) Close() error {
	sv.mu.Lock()
	if sv.closed {
		sv.mu.Unlock()
		return nil
	}
	sv.closed = true
	sv.mu.Unlock()
	sv.h.RemoveStreamHandler(Protocol)
	sv.cancel()
	sv.wg.Wait()
	return nil
}

func (sv *Server) enter() bool {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if sv.closed {
		return false
	}
	sv.wg.Add(1)
	return true
}

func (sv *Server) handle(s network.Stream) {
	if !sv.enter() {
		_ = s.Reset()
		return
	}
	defer sv.wg.Done()
	_ = s.SetDeadline(time.Now().Add(sv.opts.Timeout))
	ctx, cancel := context.WithTimeout(sv.ctx, sv.opts.Timeout)
	defer cancel()
	from := s.Conn().RemotePeer()

	typ, body, err := framing.ReadMsg(s, maxRequest)
	if err != nil {
		var se *framing.SizeError
		if errors.As(err, &se) && se.Size <= maxDiscard {
			if _, err := io.CopyN(io.Discard, s, int64(se.Size)); err == nil {
				rt, rb := sv.refuse(refusal{code: CodeMalformed, reason: fmt.Sprintf("request of %d bytes exceeds %d", se.Size, maxRequest)})
				sv.reply(s, rt, rb)
				return
			}
		}
		sv.log.Debug("market: reading request", "peer", from, "err", err)
		_ = s.Reset()
		return
	}

	select {
	case sv.sem <- struct{}{}:
	default:
		rt, rb := sv.refuse(refusal{code: CodeBusy, reason: "too many requests at once"})
		sv.reply(s, rt, rb)
		return
	}
	rt, rb := sv.answer(ctx, from, typ, body)
	<-sv.sem
	sv.reply(s, rt, rb)
}

func (sv *Server) reply(s network.Stream, t framing.Type, body []byte) {
	if err := framing.WriteMsg(s, t, body); err != nil {
		_ = s.Reset()
		return
	}
	_ = s.Close()
}

func (sv *Server) answer(ctx context.Context, from peer.ID, typ framing.Type, body []byte) (framing.Type, []byte) {
	switch typ {
	case typeKeys:
		if len(body) != 0 {
			return sv.refuse(refusal{code: CodeMalformed, reason: "key query with a body"})
		}
		return typeCatalog, encodeCatalog(sv.is.Address(), sv.is.Keys())
	case typeBuy:
		req, err := decodeOrder(body)
		if err != nil {
			return sv.refuse(refusal{code: CodeMalformed, reason: err.Error()})
		}
		sigs, r := sv.sell(ctx, from, req)
		if r != nil {
			return sv.refuse(*r)
		}
		sv.sold.Add(1)
		return typeSigs, encodeSigs(sigs)
	case typeRedeem:
		req, ts, err := decodeRedemption(body)
		if err != nil {
			return sv.refuse(refusal{code: CodeMalformed, reason: err.Error()})
		}
		out, r := sv.redeem(from, req, ts)
		if r != nil {
			return sv.refuse(*r)
		}
		sv.redeemed.Add(1)
		return typeCheque, appendCheque(nil, out)
	case typeRedeemLottery:
		by, req, ts, err := decodeLotteryRedemption(body)
		if err != nil {
			return sv.refuse(refusal{code: CodeMalformed, reason: err.Error()})
		}
		out, r := sv.redeemFor(from, req, ts, by)
		if r != nil {
			return sv.refuse(*r)
		}
		sv.redeemed.Add(1)
		if out.Ticket != nil {
			sv.ticketsPaid.Add(1)
			b, err := out.Ticket.MarshalBinary()
			if err != nil {
				return sv.refuse(*sv.refusal(from, "redemption", err))
			}
			return typeTicket, b
		}
		return typeCheque, appendCheque(nil, *out.Cheque)
	case typeReceipt:
		rc, err := decodeReceipt(body)
		if err != nil {
			return sv.refuse(refusal{code: CodeMalformed, reason: err.Error()})
		}
		if err := sv.is.TakeReceipt(rc); err != nil {
			return sv.refuse(*sv.refusal(from, "receipt", err))
		}
		sv.receipts.Add(1)
		return typeReceiptOK, nil
	default:
		return sv.refuse(refusal{code: CodeMalformed, reason: fmt.Sprintf("unknown request type %#x", uint8(typ))})
	}
}

// refuse answers with r, and counts it.
func (sv *Server) refuse(r refusal) (framing.Type, []byte) {
	if int(r.code) < len(sv.refused) {
		sv.refused[r.code].Add(1)
	}
	return typeRefusal, encodeRefusal(r)
}

// sell answers an order. A retried order (the cheque the issuer last
// accepted from the payer, with the same blinded tickets) gets the same
// signatures again without paying twice ([tickets.Issuer.Sell] keeps the
// order with the cheque): blind signatures are deterministic, so this
// gives the client nothing it has not paid for. With a Cover, a new
// cheque must be covered first (see [ServeOptions.Cover]).
func (sv *Server) sell(ctx context.Context, from peer.ID, req tickets.SaleRequest) ([]bls.G1Affine, *refusal) {
	if r := sv.checkCover(ctx, from, req.Payment); r != nil {
		return nil, r
	}
	sigs, err := sv.is.Sell(req)
	if err != nil {
		r := sv.refusal(from, "purchase", err)
		if r.code == CodeUnderpaid {
			r.want, r.have = sv.shortfall(req)
		}
		return nil, r
	}
	sv.log.Debug("market: sold tickets", "peer", from, "payer", req.Payment.Payer, "tickets", len(sigs), "epoch", req.Epoch)
	return sigs, nil
}

// checkCover refuses a cheque whose unclaimed value the payer's vault
// cannot pay (CodeUncovered), or whose cover cannot be read now
// (CodeBusy); nil means sell. Only a cheque beyond the last one accepted
// from the payer is looked at: the cheque of a retried order was covered
// when it was accepted and is answered again whatever the cover is now
// (the client paid), and an older one is refused as stale by Sell. So a
// refusal for cover always means the cheque was not taken.
//
// The cashed total is read before the cover: a cash landing between the
// two lowers the cover but not the total read, which errs towards
// refusing, never towards selling on credit. Two orders of one payer at
// once are each checked with their own cumulative amount, the larger of
// which is what the issuer keeps.
func (sv *Server) checkCover(ctx context.Context, from peer.ID, pay cheque.Signed) *refusal {
	if sv.opts.Cover == nil {
		return nil
	}
	// The cheque is checked before the payer is looked up, so that a
	// forged one costs no lookup.
	if err := sv.is.CheckPayment(pay); err != nil {
		return sv.refusal(from, "purchase", err)
	}
	if !checkAmount(pay.CumulativeAmount) {
		return &refusal{code: CodeMalformed, reason: "bad cumulative amount"}
	}
	last, ok, err := sv.is.Payment(pay.Payer)
	if err != nil {
		return sv.refusal(from, "purchase", err)
	}
	var lastAmount *big.Int
	if ok {
		lastAmount = last.CumulativeAmount
	}
	if !needsCover(pay.CumulativeAmount, lastAmount) {
		return nil
	}
	cashed, err := sv.is.Cashed(pay.Payer)
	if err != nil {
		return sv.refusal(from, "purchase", err)
	}
	cover, err := sv.opts.Cover(ctx, pay.Payer)
	if err == nil && cover == nil {
		err = errors.New("no cover returned")
	}
	if err != nil {
		sv.log.Warn("market: reading the payer's vault", "peer", from, "payer", pay.Payer, "err", err)
		return &refusal{code: CodeBusy, reason: "cannot read the payer's vault now; retry later"}
	}
	unclaimed, ok := covered(pay.CumulativeAmount, cashed, cover)
	if ok {
		return nil
	}
	if cover.Sign() < 0 {
		cover = new(big.Int)
	}
	sv.log.Debug("market: refused an uncovered cheque", "peer", from, "payer", pay.Payer, "unclaimed", unclaimed, "cover", cover)
	return &refusal{
		code:   CodeUncovered,
		reason: fmt.Sprintf("the cheque leaves %s wei unclaimed, the payer's vault can pay %s wei", unclaimed, cover),
		want:   unclaimed, have: cover,
	}
}

// needsCover reports whether a sale's cheque of amount must be covered by
// the payer's vault: only one beyond last, the payer's last accepted
// cheque (nil: none), is; the cheque of a retried order was covered when
// it was accepted, and an older one is refused as stale.
func needsCover(amount, last *big.Int) bool {
	return last == nil || amount.Cmp(last) > 0
}

// covered returns what a cheque of amount leaves unclaimed once cashed
// wei were cashed from the payer, and whether cover (its vault deposit,
// less any announced withdrawal; negative is none) pays all of it.
func covered(amount, cashed, cover *big.Int) (*big.Int, bool) {
	unclaimed := new(big.Int).Sub(amount, cashed)
	if cover.Sign() < 0 {
		cover = new(big.Int)
	}
	return unclaimed, unclaimed.Cmp(cover) <= 0
}

// shortfall returns the price of an underpaid order and what its cheque
// adds to the last one accepted from the payer (or nil, nil).
func (sv *Server) shortfall(req tickets.SaleRequest) (*big.Int, *big.Int) {
	k, err := sv.is.Key(req.Epoch)
	if err != nil {
		return nil, nil
	}
	last, ok, err := sv.is.Payment(req.Payment.Payer)
	if err != nil {
		return nil, nil
	}
	added := new(big.Int).Set(req.Payment.CumulativeAmount)
	if ok {
		added.Sub(added, last.CumulativeAmount)
	}
	return new(big.Int).Mul(big.NewInt(int64(len(req.Blinded))), k.Value.SalePrice()), added
}

func (sv *Server) redeem(from peer.ID, req tickets.SignedRequest, ts []tickets.Ticket) (cheque.Signed, *refusal) {
	if sv.opts.RefuseRedemptions {
		return cheque.Signed{}, &refusal{code: CodeBusy, reason: "not redeeming"}
	}
	out, err := sv.is.Redeem(req, ts)
	if err == nil {
		sv.log.Debug("market: redeemed tickets", "peer", from, "provider", req.Provider, "tickets", len(ts))
		return out, nil
	}
	return cheque.Signed{}, sv.redemptionRefusal(from, err)
}

func (sv *Server) redeemFor(from peer.ID, req tickets.SignedRequest, ts []tickets.Ticket, by tickets.PayBy) (tickets.Payment, *refusal) {
	if sv.opts.RefuseRedemptions {
		return tickets.Payment{}, &refusal{code: CodeBusy, reason: "not redeeming"}
	}
	out, err := sv.is.RedeemFor(req, ts, by)
	if err == nil {
		sv.log.Debug("market: redeemed tickets", "peer", from, "provider", req.Provider, "tickets", len(ts), "lottery", out.Ticket != nil)
		return out, nil
	}
	return tickets.Payment{}, sv.redemptionRefusal(from, err)
}

// redemptionRefusal is the refusal of a redemption that failed with err.
func (sv *Server) redemptionRefusal(from peer.ID, err error) *refusal {
	var be *tickets.BatchError
	if errors.As(err, &be) {
		r := &refusal{code: CodeTicketsRefused, reason: be.Error()}
		for i, e := range be.Errs {
			if e != nil {
				r.refused = append(r.refused, TicketRefusal{Index: i, Code: codeOf(e)})
			}
		}
		return r
	}
	r := sv.refusal(from, "redemption", err)
	if ae := (*tickets.AmountError)(nil); errors.As(err, &ae) {
		r.want, r.have = ae.Owes, ae.Asked
	}
	return r
}

// refusal turns an issuer error into a refusal; internal errors are logged
// and not passed on.
func (sv *Server) refusal(from peer.ID, op string, err error) *refusal {
	c := codeOf(err)
	if c == CodeInternal {
		sv.log.Warn("market: "+op+" failed", "peer", from, "err", err)
		return &refusal{code: c}
	}
	return &refusal{code: c, reason: err.Error()}
}

// codeOf maps an error of package tickets to its code.
func codeOf(err error) Code {
	for _, m := range []struct {
		err  error
		code Code
	}{
		{tickets.ErrUnknownEpoch, CodeUnknownEpoch},
		{tickets.ErrExpiredEpoch, CodeExpiredEpoch},
		{tickets.ErrWrongValue, CodeWrongValue},
		{tickets.ErrBadCheque, CodeBadCheque},
		{tickets.ErrStaleCheque, CodeStaleCheque},
		{tickets.ErrInsufficientPayment, CodeUnderpaid},
		{tickets.ErrRequestSignature, CodeRequestSignature},
		{tickets.ErrRequestMismatch, CodeRequestMismatch},
		{tickets.ErrRequestAmount, CodeWrongAmount},
		{tickets.ErrBadSignature, CodeBadSignature},
		{tickets.ErrDuplicateSerial, CodeDuplicate},
		{tickets.ErrDoubleRedeem, CodeDoubleRedeem},
		{tickets.ErrReceiptMissing, CodeReceiptMissing},
		{tickets.ErrReceiptSignature, CodeReceiptSignature},
		{tickets.ErrMalformed, CodeMalformed},
		{tickets.ErrNotOnCurve, CodeMalformed},
		{tickets.ErrNotInSubgroup, CodeMalformed},
		{tickets.ErrInfinity, CodeMalformed},
	} {
		if errors.Is(err, m.err) {
			return m.code
		}
	}
	return CodeInternal
}
