package pki

import (
	"context"
	"fmt"
	"time"
)

// Epochs is the network's epoch clock: epoch e starts at
// Genesis + e·Length (ADR 0006), on the wall clock. Genesis and Length come
// from the registry ([EpochsFrom]); the zero value is not usable.
type Epochs struct {
	Genesis time.Time
	Length  time.Duration
}

// EpochClock is the part of *chain.Client that [EpochsFrom] reads.
type EpochClock interface {
	EpochClock(ctx context.Context) (genesis time.Time, length time.Duration, err error)
}

// EpochsFrom reads the epoch clock from the registry.
func EpochsFrom(ctx context.Context, c EpochClock) (Epochs, error) {
	g, l, err := c.EpochClock(ctx)
	if err != nil {
		return Epochs{}, fmt.Errorf("pki: reading the epoch clock: %w", err)
	}
	if l <= 0 {
		return Epochs{}, fmt.Errorf("pki: registry epoch length %s is not positive", l)
	}
	return Epochs{Genesis: g, Length: l}, nil
}

// At returns the epoch that t falls in. Times before Genesis are in epoch 0.
func (e Epochs) At(t time.Time) uint64 {
	if !t.After(e.Genesis) {
		return 0
	}
	return uint64(t.Sub(e.Genesis) / e.Length)
}

// Start returns the time epoch n starts.
func (e Epochs) Start(n uint64) time.Time {
	return e.Genesis.Add(time.Duration(n) * e.Length)
}

// Next returns the start of the epoch after the one t falls in: the next
// epoch boundary after t.
func (e Epochs) Next(t time.Time) time.Time { return e.Start(e.At(t) + 1) }
