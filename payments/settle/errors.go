package settle

import "errors"

// Errors a caller can act on. Methods wrap them with the amounts and
// addresses involved, so test with [errors.Is]. Every refusal of
// [Credit.Accept] is also counted in [Stats].
var (
	// ErrWrongPayee: the cheque pays someone else than [Options.Self]. It
	// is worthless to us; the neighbour is confused or cheating.
	ErrWrongPayee = errors.New("settle: cheque pays another payee")
	// ErrWrongPayer: the cheque is drawn on another account than the
	// neighbour's whose packets it should pay for.
	ErrWrongPayer = errors.New("settle: cheque from another payer")
	// ErrBadSignature: the signature is not the payer's over this cheque in
	// [Options.Domain] (forged, altered, another chain or vault), or the
	// amount is not a uint256. It wraps the [cheque] package's error.
	ErrBadSignature = errors.New("settle: bad cheque signature")
	// ErrStale: the cumulative amount does not exceed the last cheque
	// accepted from the payer, so it pays nothing new.
	ErrStale = errors.New("settle: cheque not above the last accepted")
	// ErrUncovered: the payer's deposit plus stake does not cover the
	// cheque's cumulative amount minus what we already cashed.
	ErrUncovered = errors.New("settle: payment not covered by the payer's deposit and stake")
	// ErrCoverUnknown: the payer's cover could not be looked up and no
	// recent enough value is cached. Retry when the chain endpoint is back;
	// the payer's next cheque supersedes this one anyway.
	ErrCoverUnknown = errors.New("settle: payer's cover unknown")

	// ErrNothingOwed is returned by [Debt.Cheque] when no packets were
	// sent (or the price is zero) since the last cheque: a cheque must
	// raise the cumulative amount.
	ErrNothingOwed = errors.New("settle: nothing owed since the last cheque")
	// ErrClosed: the ledger is closed.
	ErrClosed = errors.New("settle: ledger closed")
)
