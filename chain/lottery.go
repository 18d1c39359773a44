package chain

import (
	"context"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/murmurnet/murmur/bindings"
	"github.com/murmurnet/murmur/payments/lottery"
)

// RedeemWinningTickets has the Vault pay payee the face value of each winning
// lottery ticket (Vault.redeemTickets), from its payer's deposit, or stake
// when the deposit is short. Wins of one payer go in rising nonce order
// (lottery.Payee.Wins returns them so). It returns what was paid in all.
// The batch is all or nothing: a ticket that is not a valid winner reverts
// it with a typed error (*bindings.VaultTicketNotWinning, …). auth must be
// the payee's: only the payee redeems its wins.
func (c *Client) RedeemWinningTickets(ctx context.Context, auth *bind.TransactOpts, payee common.Address, wins []lottery.Win) (*big.Int, *types.Receipt, error) {
	if len(wins) == 0 {
		return nil, nil, errors.New("chain: no winning tickets to redeem")
	}
	ts := make([]bindings.IVaultLotteryTicket, len(wins))
	sigs := make([][]byte, len(wins))
	secrets := make([][32]byte, len(wins))
	for i, w := range wins {
		t := w.Ticket
		ts[i] = bindings.IVaultLotteryTicket{Payer: t.Payer, Payee: t.Payee, FaceValue: t.FaceValue, WinProb: t.WinProb,
			Nonce: t.Nonce, Commitment: t.Commitment, ExpiresAt: t.ExpiresAt}
		sigs[i] = append([]byte(nil), t.Signature[:]...)
		secrets[i] = w.Secret
	}
	r, err := c.transact(ctx, auth, c.vault, vaultABI.PackRedeemTickets(payee, ts, sigs, secrets), nil)
	if err != nil {
		return nil, r, err
	}
	paid := new(big.Int)
	for _, l := range r.Logs {
		if l.Address != c.addrs.Vault {
			continue
		}
		if ev, err := vaultABI.UnpackTicketRedeemedEvent(l); err == nil {
			paid.Add(paid, ev.Amount)
		}
	}
	return paid, r, nil
}

// RedeemResult is what redeeming a batch of winning tickets did on-chain.
type RedeemResult struct {
	// Paid is what the Vault paid for the batch, in all (less than the
	// face values when a payer's deposit and stake fell short).
	Paid *big.Int
	// Gas is the gas the transaction used (also when it failed on-chain).
	Gas uint64
}

// Redeem redeems the winning tickets wins, payable to the Cashier's
// account, in one transaction. A revert that names one ticket of the
// batch is reported by [RefusedTicket].
func (k *Cashier) Redeem(ctx context.Context, wins []lottery.Win) (RedeemResult, error) {
	paid, rcpt, err := k.c.RedeemWinningTickets(ctx, k.auth, k.auth.From, wins)
	var r RedeemResult
	if rcpt != nil {
		r.Gas = rcpt.GasUsed
	}
	if err != nil {
		return r, err
	}
	r.Paid = paid
	return r, nil
}

// RefusedTicket returns the index, in its batch, of the ticket a
// redemption's revert names as unpayable: expired, not winning, a wrong
// reveal or payee, or a nonce below the pair's next (claimed before,
// perhaps by a run that crashed before recording it, or below a later win
// claimed first). ok is false for any other error.
func RefusedTicket(err error) (index int, ok bool) {
	var re *RevertError
	if !errors.As(err, &re) {
		return 0, false
	}
	var i *big.Int
	switch v := re.Value.(type) {
	case *bindings.VaultTicketReplayed:
		i = v.Index
	case *bindings.VaultTicketExpired:
		i = v.Index
	case *bindings.VaultTicketNotWinning:
		i = v.Index
	case *bindings.VaultBadReveal:
		i = v.Index
	case *bindings.VaultWrongPayee:
		i = v.Index
	default:
		return 0, false
	}
	if i == nil || !i.IsInt64() {
		return 0, false
	}
	return int(i.Int64()), true
}

// NextTicketNonce is the least nonce of payer's tickets to payee the Vault
// still redeems: one above the highest it paid.
func (c *Client) NextTicketNonce(ctx context.Context, payer, payee common.Address) (uint64, error) {
	return call(ctx, c.vault, vaultABI.PackNextTicketNonce(payer, payee), vaultABI.UnpackNextTicketNonce)
}
