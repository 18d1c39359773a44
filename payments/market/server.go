package market

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"sync"
	"time"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/tickets"
)

// Defaults of [ServeOptions].
const (
	DefaultTimeout       = 30 * time.Second
	DefaultMaxConcurrent = 8
	DefaultRememberSales = 4096
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
	// RememberSales is how many payers' last sale the server remembers, so
	// that a client that lost the answer can send the same order again
	// and get the same signatures (see [Resume]). 0 means
	// DefaultRememberSales; negative turns it off.
	RememberSales int
	// Logger is for debug and warning messages; nil for none.
	Logger *slog.Logger
	// RefuseRedemptions makes the server refuse every redemption with
	// CodeBusy, valid or not: an issuer that is up but does not pay, for
	// tests of the providers' redemption on-chain.
	RefuseRedemptions bool
}

// Server serves /murmur/tickets/1 for an issuer. Stop it with Close before
// closing the issuer.
type Server struct {
	h     host.Host
	is    *tickets.Issuer
	opts  ServeOptions
	log   *slog.Logger
	sem   chan struct{}
	sales *sales

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
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
	if opts.RememberSales == 0 {
		opts.RememberSales = DefaultRememberSales
	}
	sv := &Server{
		h: h, is: is, opts: opts, log: opts.Logger,
		sem:   make(chan struct{}, opts.MaxConcurrent),
		sales: newSales(opts.RememberSales),
	}
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
	from := s.Conn().RemotePeer()

	typ, body, err := wire.ReadMsg(s, maxRequest)
	if err != nil {
		var se *wire.SizeError
		if errors.As(err, &se) && se.Size <= maxDiscard {
			if _, err := io.CopyN(io.Discard, s, int64(se.Size)); err == nil {
				sv.reply(s, typeRefusal, encodeRefusal(refusal{code: CodeMalformed, reason: fmt.Sprintf("request of %d bytes exceeds %d", se.Size, maxRequest)}))
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
		sv.reply(s, typeRefusal, encodeRefusal(refusal{code: CodeBusy, reason: "too many requests at once"}))
		return
	}
	rt, rb := sv.answer(from, typ, body)
	<-sv.sem
	sv.reply(s, rt, rb)
}

func (sv *Server) reply(s network.Stream, t wire.Type, body []byte) {
	if err := wire.WriteMsg(s, t, body); err != nil {
		_ = s.Reset()
		return
	}
	_ = s.Close()
}

func (sv *Server) answer(from peer.ID, typ wire.Type, body []byte) (wire.Type, []byte) {
	switch typ {
	case typeKeys:
		if len(body) != 0 {
			return refuse(refusal{code: CodeMalformed, reason: "key query with a body"})
		}
		return typeCatalog, encodeCatalog(sv.is.Address(), sv.is.Keys())
	case typeBuy:
		req, err := decodeOrder(body)
		if err != nil {
			return refuse(refusal{code: CodeMalformed, reason: err.Error()})
		}
		sigs, r := sv.sell(from, req, sha256.Sum256(orderDigestInput(body)))
		if r != nil {
			return refuse(*r)
		}
		return typeSigs, encodeSigs(sigs)
	case typeRedeem:
		req, ts, err := decodeRedemption(body)
		if err != nil {
			return refuse(refusal{code: CodeMalformed, reason: err.Error()})
		}
		out, r := sv.redeem(from, req, ts)
		if r != nil {
			return refuse(*r)
		}
		return typeCheque, appendCheque(nil, out)
	default:
		return refuse(refusal{code: CodeMalformed, reason: fmt.Sprintf("unknown request type %#x", uint8(typ))})
	}
}

func refuse(r refusal) (wire.Type, []byte) { return typeRefusal, encodeRefusal(r) }

// orderDigestInput is what identifies an order apart from its cheque: key
// epoch, value and blinded tickets.
func orderDigestInput(body []byte) []byte {
	return append(append([]byte{}, body[:48]...), body[48+chequeSize:]...)
}

// sell answers an order. A retried order (the cheque the server last
// accepted from the payer, with the same blinded tickets) gets the same
// signatures again without paying twice: blind signatures are
// deterministic, so this gives the client nothing it has not paid for.
func (sv *Server) sell(from peer.ID, req tickets.SaleRequest, digest [32]byte) ([]bls.G1Affine, *refusal) {
	payer := req.Payment.Payer
	unlock := sv.sales.lock(payer)
	defer unlock()

	if last, ok := sv.sales.get(payer); ok && last.same(req.Payment) {
		if last.digest != digest {
			return nil, &refusal{code: CodeStaleCheque, reason: "this cheque already paid for other tickets"}
		}
		sigs, err := sv.is.SignBlinded(req.Epoch, req.Blinded)
		if err != nil {
			return nil, sv.refusal(from, "retried purchase", err)
		}
		sv.log.Debug("market: answered a retried purchase", "peer", from, "payer", payer, "tickets", len(sigs))
		return sigs, nil
	}

	sigs, err := sv.is.Sell(req)
	if err != nil {
		r := sv.refusal(from, "purchase", err)
		if r.code == CodeUnderpaid {
			r.want, r.have = sv.shortfall(req)
		}
		return nil, r
	}
	sv.sales.put(payer, sale{amount: new(big.Int).Set(req.Payment.CumulativeAmount), payee: req.Payment.Payee, sig: req.Payment.Signature, digest: digest})
	sv.log.Debug("market: sold tickets", "peer", from, "payer", payer, "tickets", len(sigs), "epoch", req.Epoch)
	return sigs, nil
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
	return new(big.Int).Mul(big.NewInt(int64(len(req.Blinded))), k.Value.Price), added
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
	var be *tickets.BatchError
	if errors.As(err, &be) {
		r := &refusal{code: CodeTicketsRefused, reason: be.Error()}
		for i, e := range be.Errs {
			if e != nil {
				r.refused = append(r.refused, TicketRefusal{Index: i, Code: codeOf(e)})
			}
		}
		return cheque.Signed{}, r
	}
	r := sv.refusal(from, "redemption", err)
	if ae := (*tickets.AmountError)(nil); errors.As(err, &ae) {
		r.want, r.have = ae.Owes, ae.Asked
	}
	return cheque.Signed{}, r
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

// --- the last sale of each payer ----------------------------------------------

// sale is the last cheque a server's issuer accepted from a payer, with
// the digest of the order it paid for.
type sale struct {
	amount *big.Int
	payee  common.Address
	sig    [65]byte
	digest [32]byte
}

func (s sale) same(c cheque.Signed) bool {
	return c.Signature == s.sig && c.Payee == s.payee && c.CumulativeAmount.Cmp(s.amount) == 0
}

// sales remembers the last sale of up to max payers, forgetting the
// payers it learnt of first. Orders of one payer are serialized, so that
// the sale recorded for a cheque is the one the issuer accepted it for.
type sales struct {
	locks [64]sync.Mutex

	mu    sync.Mutex
	max   int
	last  map[common.Address]sale
	order []common.Address // payers in m, oldest first
}

func newSales(max int) *sales {
	return &sales{max: max, last: make(map[common.Address]sale)}
}

func (s *sales) lock(payer common.Address) (unlock func()) {
	l := &s.locks[payer[len(payer)-1]%byte(len(s.locks))]
	l.Lock()
	return l.Unlock
}

func (s *sales) get(payer common.Address) (sale, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.last[payer]
	return v, ok
}

func (s *sales) put(payer common.Address, v sale) {
	if s.max <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.last[payer]; !ok {
		if len(s.order) >= s.max {
			delete(s.last, s.order[0])
			s.order = s.order[1:]
		}
		s.order = append(s.order, payer)
	}
	s.last[payer] = v
}
