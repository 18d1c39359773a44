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
