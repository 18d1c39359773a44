package market

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/payments/tickets"
)

// Errors of the client side. Functions return them wrapped with context,
// so test with [errors.Is].
var (
	// ErrUnreachable: no stream to the issuer could be opened (no address,
	// dial failure, or the peer does not speak [Protocol]). The request was
	// not sent.
	ErrUnreachable = errors.New("market: issuer unreachable")
	// ErrNoAnswer: the request was sent, or partly sent, but no answer came
	// back (stream reset, timeout). The issuer may have carried it out.
	ErrNoAnswer = errors.New("market: no answer from the issuer")
	// ErrProtocol: the issuer answered with something that does not decode
	// or does not fit the request.
	ErrProtocol = errors.New("market: issuer broke the protocol")
	// ErrRefused is matched by every *[RefusalError].
	ErrRefused = errors.New("market: issuer refused")
	// ErrPendingPurchase: [Buy] found a pending purchase from the same
	// issuer in the wallet. Cheques are cumulative, so paying for a new
	// purchase first would make the pending one's cheque stale: [Resume]
	// it, or abandon it ([wallet.Wallet.Abandon]).
	ErrPendingPurchase = errors.New("market: a purchase from this issuer is pending")
	// ErrUncovered is matched by a refusal with [CodeUncovered]: the
	// payer's Vault account cannot pay what the issuer would hold of its
	// cheques. Deposit more, or cancel an announced withdrawal, then buy
	// again.
	ErrUncovered = errors.New("market: the payer's vault does not cover the cheque")
)

// Code says why an issuer refused a request, or one ticket of a
// redemption.
type Code uint8

// Refusal codes. The tickets sentinel each matches, if any, is in
// parentheses.
const (
	CodeMalformed        Code = 1  // the request did not decode, or holds a bad point
	CodeUnknownEpoch     Code = 2  // no issuer key for the epoch (tickets.ErrUnknownEpoch)
	CodeExpiredEpoch     Code = 3  // the key epoch has expired (tickets.ErrExpiredEpoch)
	CodeWrongValue       Code = 4  // the order's value is not the key's (tickets.ErrWrongValue)
	CodeBadCheque        Code = 5  // bad signature, or not payable to the issuer (tickets.ErrBadCheque)
	CodeStaleCheque      Code = 6  // the cheque adds nothing to the last one accepted (tickets.ErrStaleCheque)
	CodeUnderpaid        Code = 7  // the cheque adds less than the price (tickets.ErrInsufficientPayment)
	CodeRequestSignature Code = 8  // the redemption request is not signed by its provider (tickets.ErrRequestSignature)
	CodeRequestMismatch  Code = 9  // the redemption request does not match the tickets (tickets.ErrRequestMismatch)
	CodeWrongAmount      Code = 10 // the redemption asks for the wrong cumulative amount (tickets.ErrRequestAmount)
	CodeTicketsRefused   Code = 11 // tickets of the redemption were refused; see RefusalError.Tickets
	CodeBadSignature     Code = 12 // per ticket: the signature does not verify (tickets.ErrBadSignature)
	CodeDuplicate        Code = 13 // per ticket: repeated in the batch (tickets.ErrDuplicateSerial)
	CodeDoubleRedeem     Code = 14 // per ticket: already redeemed (tickets.ErrDoubleRedeem)
	CodeBusy             Code = 15 // the issuer is overloaded; retry later
	CodeInternal         Code = 16 // the issuer failed; retry later
	CodeUncovered        Code = 17 // the payer's vault cannot pay the cheque's unclaimed value (ErrUncovered)
	CodeReceiptMissing   Code = 18 // the last lottery ticket paid is not acknowledged (tickets.ErrReceiptMissing)
	CodeReceiptSignature Code = 19 // the payment receipt is not the provider's (tickets.ErrReceiptSignature)

	numCodes = CodeReceiptSignature + 1 // one past the last code: the size of a server's refusal counters
)

var codeNames = map[Code]string{
	CodeMalformed:        "malformed request",
	CodeUnknownEpoch:     "unknown key epoch",
	CodeExpiredEpoch:     "expired key epoch",
	CodeWrongValue:       "wrong ticket value",
	CodeBadCheque:        "bad cheque",
	CodeStaleCheque:      "stale cheque",
	CodeUnderpaid:        "underpaid",
	CodeRequestSignature: "redemption request not signed by its provider",
	CodeRequestMismatch:  "redemption request does not match the tickets",
	CodeWrongAmount:      "wrong cumulative amount",
	CodeTicketsRefused:   "tickets refused",
	CodeBadSignature:     "bad signature",
	CodeDuplicate:        "duplicate ticket",
	CodeDoubleRedeem:     "already redeemed",
	CodeBusy:             "busy",
	CodeInternal:         "internal error",
	CodeUncovered:        "cheque not covered by the payer's vault",
	CodeReceiptMissing:   "last ticket payment not acknowledged",
	CodeReceiptSignature: "receipt not signed by its provider",
}

func (c Code) String() string {
	if s, ok := codeNames[c]; ok {
		return s
	}
	return fmt.Sprintf("code %d", uint8(c))
}

// sentinel returns the error c stands for (of package tickets, or
// [ErrUncovered]), or nil.
func (c Code) sentinel() error {
	switch c {
	case CodeUncovered:
		return ErrUncovered
	case CodeUnknownEpoch:
		return tickets.ErrUnknownEpoch
	case CodeExpiredEpoch:
		return tickets.ErrExpiredEpoch
	case CodeWrongValue:
		return tickets.ErrWrongValue
	case CodeBadCheque:
		return tickets.ErrBadCheque
	case CodeStaleCheque:
		return tickets.ErrStaleCheque
	case CodeUnderpaid:
		return tickets.ErrInsufficientPayment
	case CodeRequestSignature:
		return tickets.ErrRequestSignature
	case CodeRequestMismatch:
		return tickets.ErrRequestMismatch
	case CodeWrongAmount:
		return tickets.ErrRequestAmount
	case CodeBadSignature:
		return tickets.ErrBadSignature
	case CodeDuplicate:
		return tickets.ErrDuplicateSerial
	case CodeDoubleRedeem:
		return tickets.ErrDoubleRedeem
	case CodeReceiptMissing:
		return tickets.ErrReceiptMissing
	case CodeReceiptSignature:
		return tickets.ErrReceiptSignature
	}
	return nil
}

// TicketRefusal says why one ticket of a redemption was refused.
type TicketRefusal struct {
	Index int // in the batch
	Code  Code
}

// RefusalError is an issuer's refusal of a request. It matches
// [ErrRefused] and the sentinel of its code (so
// errors.Is(err, tickets.ErrInsufficientPayment) holds for an underpaid
// order, and errors.Is(err, ErrUncovered) for an uncovered one), and, for [CodeTicketsRefused], errors.As finds a
// *[tickets.BatchError] with one entry per ticket of the batch, as
// [tickets.Issuer.Redeem] returns it.
type RefusalError struct {
	// Op is what was refused: "purchase", "redemption" or "key query".
	Op     string
	Issuer peer.ID
	Code   Code
	// Reason is the issuer's explanation, for people.
	Reason string
	// Want and Have are set for CodeUnderpaid (the price of the tickets,
	// and what the cheque adds to the last one the issuer accepted) and
	// for CodeWrongAmount (the cumulative amount the issuer would owe after
	// the batch, and the amount the request asks for) and for
	// CodeUncovered (the unclaimed value the issuer would hold from the
	// payer after the cheque, and what the payer's vault can pay: its
	// deposit minus any announced withdrawal), in wei.
	Want, Have *big.Int
	// Tickets are the refused tickets of a CodeTicketsRefused refusal.
	Tickets []TicketRefusal

	batch *tickets.BatchError
}

func (e *RefusalError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "market: issuer %s refused the %s: ", e.Issuer.ShortString(), e.Op)
	switch {
	case e.Code == CodeUnderpaid && e.Want != nil:
		short := new(big.Int).Sub(e.Want, e.Have)
		fmt.Fprintf(&b, "underpaid by %s wei (the tickets cost %s wei, the cheque adds %s)", short, e.Want, e.Have)
	case e.Code == CodeWrongAmount && e.Want != nil:
		fmt.Fprintf(&b, "wrong cumulative amount: asked for %s wei, the issuer would owe %s", e.Have, e.Want)
	case e.Code == CodeUncovered && e.Want != nil:
		fmt.Fprintf(&b, "cheque not covered: it leaves the issuer %s wei unclaimed, the payer's vault can pay %s (deposit minus announced withdrawal); deposit more", e.Want, e.Have)
	case e.Code == CodeTicketsRefused:
		fmt.Fprintf(&b, "%d tickets refused", len(e.Tickets))
		for i, t := range e.Tickets {
			if i == 3 {
				b.WriteString("; …")
				break
			}
			fmt.Fprintf(&b, "; #%d: %s", t.Index, t.Code)
		}
	default:
		b.WriteString(e.Code.String())
		if e.Reason != "" {
			fmt.Fprintf(&b, " (%s)", e.Reason)
		}
	}
	return b.String()
}

// Unwrap returns ErrRefused, the tickets sentinel of the code, and for
// refused tickets a *tickets.BatchError.
func (e *RefusalError) Unwrap() []error {
	errs := []error{ErrRefused}
	if s := e.Code.sentinel(); s != nil {
		errs = append(errs, s)
	}
	if e.batch != nil {
		errs = append(errs, e.batch)
	}
	return errs
}

// attachBatch builds the BatchError of a redemption of n tickets.
func (e *RefusalError) attachBatch(n int) error {
	if e.Code != CodeTicketsRefused {
		return nil
	}
	if len(e.Tickets) == 0 {
		return fmt.Errorf("%w: tickets refused without naming any", ErrProtocol)
	}
	errs := make([]error, n)
	for _, t := range e.Tickets {
		if t.Index < 0 || t.Index >= n {
			return fmt.Errorf("%w: refusal of ticket %d in a batch of %d", ErrProtocol, t.Index, n)
		}
		err := t.Code.sentinel()
		if err == nil {
			err = fmt.Errorf("market: ticket refused: %s", t.Code)
		}
		errs[t.Index] = err
	}
	e.batch = &tickets.BatchError{Errs: errs}
	return nil
}
