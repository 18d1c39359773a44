package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"

	"github.com/murmurnet/murmur/bindings"
	"github.com/murmurnet/murmur/payments/cheque"
)

// CashResult is what cashing one cheque did on-chain.
type CashResult struct {
	// Total is what the payee has cashed from the payer in all, afterwards.
	Total *big.Int
	// Gas is the gas the transaction used (also when it failed on-chain).
	Gas uint64
	// FromStake is what the Vault took from the payer's stake because its
	// deposit was short (the cheque bounced, and the payer was jailed); nil
	// when the deposit paid it all.
	FromStake *big.Int
}

// Cashier cashes the cheques payable to one account at a deployment's
// Vault, from that account: the relay's cashing loop calls it for every
// cheque it holds (neighbours', issuers', clients').
type Cashier struct {
	c    *Client
	auth *bind.TransactOpts
}

// NewCashier returns a Cashier that sends its transactions from key's
// account.
func NewCashier(c *Client, key *ecdsa.PrivateKey) *Cashier {
	return &Cashier{c: c, auth: bind.NewKeyedTransactor(key, c.ChainID())}
}

// Cash cashes s. A cheque the Vault refuses as stale (cashed already, by
// hand or before a crash) is not an error: the result carries the total
// the Vault recorded.
func (k *Cashier) Cash(ctx context.Context, s cheque.Signed) (CashResult, error) {
	_, rcpt, err := k.c.Cash(ctx, k.auth, s)
	var r CashResult
	if rcpt != nil {
		r.Gas = rcpt.GasUsed
		if b, ok := k.c.BounceOf(rcpt); ok {
			r.FromStake = b.FromStake
		}
	}
	var re *RevertError
	if errors.As(err, &re) {
		if v, ok := re.Value.(*bindings.VaultStaleCheque); ok {
			return CashResult{Total: v.AlreadyCashed}, nil
		}
	}
	if err != nil {
		return r, err
	}
	r.Total, err = k.c.Cashed(ctx, s.Payer, s.Payee)
	return r, err
}

// GasPrice is the chain's suggested gas price now.
func (k *Cashier) GasPrice(ctx context.Context) (*big.Int, error) {
	return k.c.SuggestGasPrice(ctx)
}
