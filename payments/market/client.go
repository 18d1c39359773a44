package market

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/internal/framing"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/lottery"
	"github.com/murmurnet/murmur/payments/tickets"
	"github.com/murmurnet/murmur/payments/wallet"
)

// clientTimeout bounds an exchange whose context has no deadline.
const clientTimeout = 30 * time.Second

// Catalog is an issuer's answer to a key query.
type Catalog struct {
	// Issuer is the issuer's Ethereum address: the payee of the cheques
	// that pay for tickets, the payer of the cheques it redeems with.
	Issuer common.Address
	// Keys are the issuer's keys, oldest epoch first.
	Keys []tickets.IssuerKey
}

// Current returns the key of the newest epoch.
func (c Catalog) Current() (tickets.IssuerKey, bool) {
	if len(c.Keys) == 0 {
		return tickets.IssuerKey{}, false
	}
	return c.Keys[len(c.Keys)-1], true
}

// Keys asks issuer for its address and public keys.
//
// An issuer that gave each client its own key could link every ticket to
// its buyer. Use the keys from here to learn what an issuer offers, but
// buy and verify only with keys that every client sees, such as the
// TicketIssuer contract's.
func Keys(ctx context.Context, h host.Host, issuer peer.ID) (Catalog, error) {
	t, body, err := exchange(ctx, h, issuer, "key query", typeKeys, nil, maxCatalog)
	if err != nil {
		return Catalog{}, err
	}
	if t != typeCatalog {
		return Catalog{}, fmt.Errorf("%w: answer of type %#x to a key query", ErrProtocol, uint8(t))
	}
	c, err := decodeCatalog(body)
	if err != nil {
		return Catalog{}, fmt.Errorf("%w: %w", ErrProtocol, err)
	}
	return c, nil
}

// Buy buys n tickets (1 to [tickets.MaxBatch]) of issuer key key from
// issuer and puts them in w:
//
//  1. it starts n ticket requests, asks pay for a cheque of price n ×
//     key.Value.SalePrice() more than the last cheque to the issuer, and records
//     the purchase as pending in w ([wallet.Wallet.Begin]);
//  2. it sends the order and reads the blind signatures;
//  3. it checks and unblinds each of them and, in one write, adds the
//     tickets to w and removes the pending purchase
//     ([wallet.Wallet.Finish]).
//
// Buy returns [ErrPendingPurchase] without paying if w holds a pending
// purchase from issuer. If pay fails, nothing is recorded.
//
// After the purchase is recorded:
//   - if the issuer refuses it in a way that shows the cheque was not
//     accepted (a *[RefusalError] with CodeMalformed, CodeUnknownEpoch,
//     CodeExpiredEpoch, CodeWrongValue, CodeBadCheque, CodeStaleCheque,
//     CodeUnderpaid or CodeUncovered), the pending purchase is abandoned: nothing was
//     bought, and the issuer credits nothing for that cheque (though it
//     has seen it, signed: account for it as the caller's cheque book
//     requires);
//   - if the issuer cannot be reached ([ErrUnreachable]), does not answer
//     ([ErrNoAnswer]), is busy or fails, the purchase stays pending:
//     [Resume] it later, with the same cheque;
//   - if the issuer answers with signatures that do not verify, the error
//     wraps [tickets.ErrBadIssuerAnswer] and the purchase stays pending, as
//     evidence; nothing is stored.
func Buy(ctx context.Context, h host.Host, issuer peer.ID, key tickets.IssuerKey, n int, pay func(price *big.Int) (cheque.Signed, error), w *wallet.Wallet) ([]tickets.Ticket, error) {
	if n < 1 || n > tickets.MaxBatch {
		return nil, fmt.Errorf("market: cannot buy %d tickets at once, 1 to %d", n, tickets.MaxBatch)
	}
	if err := key.Check(); err != nil {
		return nil, err
	}
	label := issuer.String()
	for _, p := range w.Pending() {
		if p.Issuer == label {
			return nil, fmt.Errorf("%w: purchase %s of %d tickets", ErrPendingPurchase, p.ID, len(p.Requests))
		}
	}
	reqs := make([]*tickets.TicketRequest, n)
	for i := range reqs {
		var err error
		if reqs[i], err = tickets.NewTicketRequest(nil, key); err != nil {
			return nil, err
		}
	}
	price := new(big.Int).Mul(big.NewInt(int64(n)), key.Value.SalePrice())
	payment, err := pay(new(big.Int).Set(price))
	if err != nil {
		return nil, fmt.Errorf("market: paying %s wei: %w", price, err)
	}
	if !checkAmount(payment.CumulativeAmount) {
		return nil, errors.New("market: the payment cheque has no valid cumulative amount")
	}
	id, err := w.Begin(label, key, reqs, payment)
	if err != nil {
		return nil, fmt.Errorf("market: recording the purchase (the cheque was not sent): %w", err)
	}
	p, _ := w.Purchase(id)
	return complete(ctx, h, issuer, w, p, false)
}

// Resume sends pending purchase id of w again, to the issuer it was meant
// for, with the same cheque and blinded tickets, and finishes it as [Buy]
// does. It gets the tickets if the order never reached the issuer, or if
// the issuer accepted it (the issuer keeps each payer's last order with
// its cheque, across restarts, see [tickets.Issuer.Sell]).
//
// A refusal that shows the cheque was never accepted (CodeMalformed,
// CodeWrongValue, CodeBadCheque, CodeUnderpaid, CodeUncovered) abandons
// the purchase. For
// any other outcome it stays pending; in particular CodeStaleCheque means
// the issuer accepted this cheque for another order, or a newer cheque
// since: the purchase's record is then the evidence of payment, to settle
// with the issuer's operator, and [wallet.Wallet.Abandon] removes it.
func Resume(ctx context.Context, h host.Host, w *wallet.Wallet, id wallet.PurchaseID) ([]tickets.Ticket, error) {
	p, ok := w.Purchase(id)
	if !ok {
		return nil, fmt.Errorf("%w: %s", wallet.ErrUnknownPurchase, id)
	}
	issuer, err := peer.Decode(p.Issuer)
	if err != nil {
		return nil, fmt.Errorf("market: purchase %s names no issuer peer (%q): %w", id, p.Issuer, err)
	}
	return complete(ctx, h, issuer, w, p, true)
}

// complete sends the order of pending purchase p and finishes it.
func complete(ctx context.Context, h host.Host, issuer peer.ID, w *wallet.Wallet, p wallet.Purchase, resumed bool) ([]tickets.Ticket, error) {
	body := encodeOrder(p.Key, p.Payment, p.Blinded())
	t, answer, err := exchange(ctx, h, issuer, "purchase", typeBuy, body, maxSigs)
	var re *RefusalError
	switch {
	case errors.As(err, &re):
		if !paymentTaken(re.Code, resumed) {
			if aerr := w.Abandon(p.ID); aerr != nil {
				return nil, errors.Join(err, aerr)
			}
			return nil, fmt.Errorf("%w; nothing bought, the cheque was not accepted", err)
		}
		return nil, fmt.Errorf("%w; purchase %s stays pending", err, p.ID)
	case err != nil:
		return nil, fmt.Errorf("%w; purchase %s stays pending, Resume it", err, p.ID)
	case t != typeSigs:
		return nil, fmt.Errorf("%w: answer of type %#x to an order; purchase %s stays pending", ErrProtocol, uint8(t), p.ID)
	}
	sigs, err := decodeSigs(answer, len(p.Requests))
	if err != nil {
		return nil, fmt.Errorf("market: issuer %s: %w: %w; purchase %s stays pending", issuer.ShortString(), tickets.ErrBadIssuerAnswer, err, p.ID)
	}
	ts, err := w.Finish(p.ID, sigs)
	if err != nil {
		return nil, fmt.Errorf("market: issuer %s: %w", issuer.ShortString(), err)
	}
	return ts, nil
}

// paymentTaken reports whether the issuer may hold the cheque of a
// purchase it refused with c. Sell checks everything else before it takes
// a cheque, so most refusals show that it did not; a stale cheque or a
// vanished key epoch shows that only on a first attempt. The server checks
// the cover only of a cheque beyond the last one it accepted (a retried
// order is answered again whatever the cover), so CodeUncovered always
// shows it.
func paymentTaken(c Code, resumed bool) bool {
	switch c {
	case CodeMalformed, CodeWrongValue, CodeBadCheque, CodeUnderpaid, CodeUncovered:
		return false
	case CodeStaleCheque, CodeUnknownEpoch, CodeExpiredEpoch:
		return resumed
	}
	return true
}

// Redeem redeems spent tickets ts (1 to [tickets.MaxBatch], of one key
// epoch) with issuer, under the provider's signed request req, whose
// serials must be those of ts in order, and returns the issuer's cheque.
// It checks that the cheque is from req.Issuer to req.Provider for
// req.CumulativeAmount; verify its signature with the Vault's
// [cheque.Domain] before relying on it.
//
// A refusal is a *[RefusalError]; when the issuer refused some tickets,
// errors.As finds a *[tickets.BatchError] naming them, as from
// [tickets.Issuer.Redeem]. If the answer is lost ([ErrNoAnswer]), the
// issuer may have redeemed the tickets: ask it for what it owes with a
// new request before redeeming them elsewhere.
func Redeem(ctx context.Context, h host.Host, issuer peer.ID, req tickets.SignedRequest, ts []tickets.Ticket) (cheque.Signed, error) {
	if err := checkRedemption(&req, ts); err != nil {
		return cheque.Signed{}, err
	}
	t, body, err := exchange(ctx, h, issuer, "redemption", typeRedeem, encodeRedemption(&req, ts), chequeSize)
	if err != nil {
		return cheque.Signed{}, redemptionError(err, len(ts))
	}
	if t != typeCheque || len(body) != chequeSize {
		return cheque.Signed{}, fmt.Errorf("%w: answer of type %#x and %d bytes to a redemption", ErrProtocol, uint8(t), len(body))
	}
	out := decodeCheque(body)
	if out.Payer != req.Issuer || out.Payee != req.Provider || out.CumulativeAmount.Cmp(req.CumulativeAmount) != 0 {
		return cheque.Signed{}, fmt.Errorf("%w: cheque from %s to %s for %s wei, asked for one from %s to %s for %s",
			ErrProtocol, out.Payer, out.Payee, out.CumulativeAmount, req.Issuer, req.Provider, req.CumulativeAmount)
	}
	return out, nil
}

// RedeemFor is [Redeem] paid as by asks: with by.Commitment, an issuer
// that pays in lottery tickets answers with a ticket to req.Provider under
// that commitment (checked here; check its expected value and signature,
// and take it, on the provider's side), and one that pays by cheque with
// a cheque for what it owes by cheque. by.Receipt, if set, goes with the
// request: an issuer that paid the last batch with a ticket redeems
// nothing new before it holds a receipt for it (a refusal with
// [CodeReceiptMissing]).
func RedeemFor(ctx context.Context, h host.Host, issuer peer.ID, req tickets.SignedRequest, ts []tickets.Ticket, by tickets.PayBy) (tickets.Payment, error) {
	if by.Commitment == (common.Hash{}) {
		return tickets.Payment{}, errors.New("market: a lottery redemption without a commitment")
	}
	if by.Receipt != nil && !checkAmount(by.Receipt.CumulativeValue) {
		return tickets.Payment{}, errors.New("market: a receipt for a bad amount")
	}
	if err := checkRedemption(&req, ts); err != nil {
		return tickets.Payment{}, err
	}
	t, body, err := exchange(ctx, h, issuer, "redemption", typeRedeemLottery, encodeLotteryRedemption(by, &req, ts), max(chequeSize, lottery.EncodedLen))
	if err != nil {
		return tickets.Payment{}, redemptionError(err, len(ts))
	}
	switch {
	case t == typeTicket && len(body) == lottery.EncodedLen:
		var s lottery.Signed
		if err := s.UnmarshalBinary(body); err != nil {
			return tickets.Payment{}, fmt.Errorf("%w: the issuer's ticket: %w", ErrProtocol, err)
		}
		if s.Ticket.Payer != req.Issuer || s.Payee != req.Provider || s.Commitment != by.Commitment {
			return tickets.Payment{}, fmt.Errorf("%w: ticket from %s to %s under %s, asked for one from %s to %s under %s",
				ErrProtocol, s.Ticket.Payer, s.Payee, s.Commitment, req.Issuer, req.Provider, by.Commitment)
		}
		return tickets.Payment{Ticket: &s}, nil
	case t == typeCheque && len(body) == chequeSize:
		out := decodeCheque(body)
		if out.Payer != req.Issuer || out.Payee != req.Provider || out.CumulativeAmount.Cmp(req.CumulativeAmount) > 0 {
			return tickets.Payment{}, fmt.Errorf("%w: cheque from %s to %s for %s wei, asked for one from %s to %s for at most %s",
				ErrProtocol, out.Payer, out.Payee, out.CumulativeAmount, req.Issuer, req.Provider, req.CumulativeAmount)
		}
		return tickets.Payment{Cheque: &out}, nil
	}
	return tickets.Payment{}, fmt.Errorf("%w: answer of type %#x and %d bytes to a redemption", ErrProtocol, uint8(t), len(body))
}

// SendReceipt gives issuer the provider's receipt r for what it paid.
func SendReceipt(ctx context.Context, h host.Host, issuer peer.ID, r tickets.SignedReceipt) error {
	if !checkAmount(r.CumulativeValue) {
		return errors.New("market: a receipt for a bad amount")
	}
	t, body, err := exchange(ctx, h, issuer, "receipt", typeReceipt, encodeReceipt(&r), 0)
	if err != nil {
		return err
	}
	if t != typeReceiptOK || len(body) != 0 {
		return fmt.Errorf("%w: answer of type %#x and %d bytes to a receipt", ErrProtocol, uint8(t), len(body))
	}
	return nil
}

// checkRedemption checks that req is the request of ts.
func checkRedemption(req *tickets.SignedRequest, ts []tickets.Ticket) error {
	if len(ts) == 0 || len(ts) > tickets.MaxBatch {
		return fmt.Errorf("market: cannot redeem %d tickets at once, 1 to %d", len(ts), tickets.MaxBatch)
	}
	if !checkAmount(req.CumulativeAmount) {
		return fmt.Errorf("%w: bad cumulative amount", tickets.ErrRequestAmount)
	}
	if len(req.Serials) != len(ts) {
		return fmt.Errorf("%w: %d serials for %d tickets", tickets.ErrRequestMismatch, len(req.Serials), len(ts))
	}
	for i := range ts {
		if ts[i].KeyEpoch != req.KeyEpoch || ts[i].Serial != req.Serials[i] {
			return fmt.Errorf("%w: ticket %d", tickets.ErrRequestMismatch, i)
		}
	}
	return nil
}

// redemptionError attaches the refused tickets to a redemption's refusal.
func redemptionError(err error, n int) error {
	var re *RefusalError
	if errors.As(err, &re) {
		if perr := re.attachBatch(n); perr != nil {
			return perr
		}
	}
	return err
}

// exchange sends one request on a new stream and reads the answer. A
// refusal comes back as a *RefusalError; an answer larger than limit (or than
// a refusal can be) is a protocol error.
func exchange(ctx context.Context, h host.Host, issuer peer.ID, op string, t framing.Type, body []byte, limit int) (framing.Type, []byte, error) {
	s, err := h.NewStream(ctx, issuer, Protocol)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %s: %w", ErrUnreachable, issuer, err)
	}
	// The context's end resets the stream, so that a caller's deadline
	// reads as such; without one, the stream's own deadline bounds the
	// exchange.
	stop := context.AfterFunc(ctx, func() { _ = s.Reset() })
	defer stop()
	if _, ok := ctx.Deadline(); !ok {
		_ = s.SetDeadline(time.Now().Add(clientTimeout))
	}

	fail := func(what string, err error) (framing.Type, []byte, error) {
		_ = s.Reset()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return 0, nil, fmt.Errorf("%w: %s, %s: %w", ErrNoAnswer, issuer, what, err)
	}
	if err := framing.WriteMsg(s, t, body); err != nil {
		return fail("sending the "+op, err)
	}
	if err := s.CloseWrite(); err != nil {
		return fail("sending the "+op, err)
	}
	rt, rb, err := framing.ReadMsg(s, max(limit, maxRefusal))
	if errors.Is(err, framing.ErrMalformed) {
		_ = s.Reset()
		return 0, nil, fmt.Errorf("%w: %s: %w", ErrProtocol, issuer, err)
	}
	if err != nil {
		return fail("waiting for the answer", err)
	}
	_ = s.Close()
	if rt != typeRefusal {
		return rt, rb, nil
	}
	r, err := decodeRefusal(rb)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %s: %w", ErrProtocol, issuer, err)
	}
	return 0, nil, &RefusalError{Op: op, Issuer: issuer, Code: r.code, Reason: r.reason, Want: r.want, Have: r.have, Tickets: r.refused}
}
