package wallet

import (
	"errors"
	"fmt"
)

// Errors a caller can act on. Functions return them wrapped with context,
// so test with [errors.Is].
var (
	// ErrWrongSecret: the wallet file was sealed with another secret. The
	// file is left as it was.
	ErrWrongSecret = errors.New("wallet: wrong secret (the wallet was sealed with another key)")
	// ErrCorrupt: the wallet file is not a wallet, is truncated, was
	// altered, or holds entries that do not decode. The file is left as it
	// was.
	ErrCorrupt = errors.New("wallet: file corrupted")
	// ErrNoTickets: the wallet holds fewer tickets than asked for. The
	// error is an *[InsufficientError] with the counts.
	ErrNoTickets = errors.New("wallet: not enough tickets")
	// ErrMalformedBundle: a ticket bundle does not decode.
	ErrMalformedBundle = errors.New("wallet: malformed ticket bundle")
	// ErrUnknownPurchase: no pending purchase has that ID.
	ErrUnknownPurchase = errors.New("wallet: no such pending purchase")
)

// InsufficientError reports a [Wallet.Take] or [Wallet.Export] of more
// tickets than the wallet holds. Nothing was taken. It matches
// [ErrNoTickets].
type InsufficientError struct {
	Want, Have int
}

func (e *InsufficientError) Error() string {
	return fmt.Sprintf("wallet: not enough tickets: want %d, have %d", e.Want, e.Have)
}

// Is makes an InsufficientError match ErrNoTickets.
func (e *InsufficientError) Is(target error) bool { return target == ErrNoTickets }
