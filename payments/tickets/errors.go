package tickets

import (
	"errors"
	"fmt"
	"strings"
)

// Errors a caller can act on. Functions return them wrapped with context, so
// test with [errors.Is].
var (
	// ErrMalformed: an encoding has the wrong length, bad flag bits, non-zero
	// padding or a coordinate that is not a canonical field element.
	ErrMalformed = errors.New("tickets: malformed encoding")
	// ErrNotOnCurve: the coordinates are not a point of the curve.
	ErrNotOnCurve = errors.New("tickets: point not on curve")
	// ErrNotInSubgroup: the point is on the curve but not in the prime-order
	// subgroup (G1 or G2).
	ErrNotInSubgroup = errors.New("tickets: point not in prime-order subgroup")
	// ErrInfinity: the point at infinity, never a valid signature, blinded
	// ticket or key.
	ErrInfinity = errors.New("tickets: point at infinity")

	// ErrBadSignature: the ticket's signature does not verify under the
	// issuer key of its epoch (forged, altered, or for another chain).
	ErrBadSignature = errors.New("tickets: bad signature")
	// ErrUnknownEpoch: no issuer key is known for the ticket's key epoch.
	ErrUnknownEpoch = errors.New("tickets: unknown key epoch")
	// ErrExpiredEpoch: the key epoch is older than the retention window.
	ErrExpiredEpoch = errors.New("tickets: expired key epoch")
	// ErrWrongValue: the value asked for is not the value bound to the
	// ticket's issuer key.
	ErrWrongValue = errors.New("tickets: value differs from the issuer key's value")
	// ErrWrongChain: an issuer key for another chain.
	ErrWrongChain = errors.New("tickets: issuer key for another chain")

	// ErrDuplicateSerial: a batch holds the same ticket more than once.
	ErrDuplicateSerial = errors.New("tickets: duplicate serial in batch")
	// ErrAlreadySpent: the provider already accepted this ticket.
	ErrAlreadySpent = errors.New("tickets: ticket already spent")
	// ErrDoubleRedeem: the issuer already redeemed this ticket.
	ErrDoubleRedeem = errors.New("tickets: ticket already redeemed")

	// ErrBadCheque: the payment cheque is not a valid cheque to the issuer.
	ErrBadCheque = errors.New("tickets: bad payment cheque")
	// ErrStaleCheque: the cheque's cumulative amount does not exceed the last
	// cheque the issuer accepted from the payer.
	ErrStaleCheque = errors.New("tickets: stale payment cheque")
	// ErrInsufficientPayment: the cheque adds less than the price of the
	// tickets asked for.
	ErrInsufficientPayment = errors.New("tickets: insufficient payment")

	// ErrBadIssuerAnswer: the issuer's blind signature is not a signature of
	// the blinded ticket under the issuer key.
	ErrBadIssuerAnswer = errors.New("tickets: bad issuer answer")
)

// BatchError reports which tickets of a batch were refused and why.
// errors.Is(err, target) holds if it holds for any refused ticket.
type BatchError struct {
	// Errs has one entry per ticket of the batch: nil for a good ticket.
	Errs []error
}

// Refused returns the indexes of the refused tickets, in order.
func (e *BatchError) Refused() []int {
	var idx []int
	for i, err := range e.Errs {
		if err != nil {
			idx = append(idx, i)
		}
	}
	return idx
}

func (e *BatchError) Error() string {
	var b strings.Builder
	refused := e.Refused()
	fmt.Fprintf(&b, "tickets: %d of %d tickets refused", len(refused), len(e.Errs))
	for n, i := range refused {
		if n == 3 {
			fmt.Fprintf(&b, "; …")
			break
		}
		fmt.Fprintf(&b, "; #%d: %v", i, e.Errs[i])
	}
	return b.String()
}

// Unwrap returns the errors of the refused tickets.
func (e *BatchError) Unwrap() []error {
	var errs []error
	for _, err := range e.Errs {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// batchResult returns nil if errs holds no error, else a *BatchError.
func batchResult(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return &BatchError{Errs: errs}
		}
	}
	return nil
}
