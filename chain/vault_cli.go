package chain

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Withdrawal is a payer's announced vault withdrawal.
type Withdrawal struct {
	// Amount is what was announced; zero when nothing is announced.
	Amount *big.Int
	// UnlockAt is when it can be taken (zero when nothing is announced).
	// Cheques cashed before it is taken are paid first.
	UnlockAt time.Time
}

// PendingWithdrawal returns payer's announced vault withdrawal, which
// `murmur vault balance` shows and `murmur vault withdraw` checks before it
// sends a transaction that would revert.
func (c *Client) PendingWithdrawal(ctx context.Context, payer common.Address) (Withdrawal, error) {
	v, err := call(ctx, c.vault, vaultABI.PackPendingWithdrawal(payer), vaultABI.UnpackPendingWithdrawal)
	if err != nil {
		return Withdrawal{}, fmt.Errorf("chain: pending withdrawal of %s: %w", payer, err)
	}
	w := Withdrawal{Amount: v.Amount}
	if w.Amount == nil {
		w.Amount = new(big.Int)
	}
	if v.UnlockAt != 0 {
		w.UnlockAt = time.Unix(int64(v.UnlockAt), 0)
	}
	return w, nil
}

// VaultCover returns what payer's vault can pay now and still after an
// announced withdrawal is taken: its deposit minus the amount announced
// (zero if that is all of it). A payee that takes cheques from a payer
// without stake (a client) must not accept more unclaimed value than this:
// past it, a cheque bounces for good once the withdrawal is taken. The
// deposit is read first, so that a withdrawal announced between the two
// reads is subtracted rather than missed.
func (c *Client) VaultCover(ctx context.Context, payer common.Address) (*big.Int, error) {
	bal, err := c.VaultBalance(ctx, payer)
	if err != nil {
		return nil, fmt.Errorf("chain: vault balance of %s: %w", payer, err)
	}
	w, err := c.PendingWithdrawal(ctx, payer)
	if err != nil {
		return nil, err
	}
	bal.Sub(bal, w.Amount)
	if bal.Sign() < 0 {
		bal.SetInt64(0)
	}
	return bal, nil
}
