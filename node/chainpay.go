package node

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/bindings"
	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/settle"
)

// ChainSettlement is the hop-by-hop payment configuration of a relay whose
// operator key is key, against the deployment c: cheques signed with the
// operator key, and a payer's cheques backed by its vault deposit plus its
// stake. The caller sets the thresholds it wants on the result.
func ChainSettlement(c *chain.Client, key *ecdsa.PrivateKey) *Settlement {
	d := c.ChequeDomain()
	return &Settlement{
		Domain: d,
		Signer: settle.KeySigner(d, key),
		Cover: settle.CoverFunc(func(ctx context.Context, payer common.Address) (*big.Int, error) {
			bal, err := c.VaultBalance(ctx, payer)
			if err != nil {
				return nil, err
			}
			r, err := c.Relay(ctx, payer)
			if err != nil {
				return nil, err
			}
			return bal.Add(bal, r.Stake), nil
		}),
	}
}

// ChainCashing cashes the cheques payable to key's account at c's Vault,
// from that account, at c's gas price. The caller sets the thresholds and
// interval it wants on the result.
func ChainCashing(c *chain.Client, key *ecdsa.PrivateKey) *Cashing {
	return &Cashing{Cash: chainCash(c, key), GasPrice: c.SuggestGasPrice}
}

// chainCash cashes cheques payable to key's account at c's Vault.
func chainCash(c *chain.Client, key *ecdsa.PrivateKey) func(context.Context, cheque.Signed) (CashResult, error) {
	auth := bind.NewKeyedTransactor(key, c.ChainID())
	return func(ctx context.Context, s cheque.Signed) (CashResult, error) {
		_, rcpt, err := c.Cash(ctx, auth, s)
		var r CashResult
		if rcpt != nil {
			r.Gas = rcpt.GasUsed
			if b, ok := c.BounceOf(rcpt); ok {
				r.FromStake = b.FromStake
			}
		}
		var re *chain.RevertError
		if errors.As(err, &re) {
			if v, ok := re.Value.(*bindings.VaultStaleCheque); ok {
				// Cashed already (by hand, or before a crash): record the total.
				return CashResult{Total: v.AlreadyCashed}, nil
			}
		}
		if err != nil {
			return r, err
		}
		r.Total, err = c.Cashed(ctx, s.Payer, s.Payee)
		return r, err
	}
}

// ChainPrepaid is the prepaid-packet configuration of a provider whose
// operator key is key: issuer keys read from c, issuers' cheques payable
// to the operator (cashed by [Config.Cashing]), and tickets redeemed
// on-chain against an issuer's stake when the issuer refuses them or is
// away for longer than RedeemGrace.
func ChainPrepaid(c *chain.Client, key *ecdsa.PrivateKey) *Prepaid {
	return &Prepaid{Chain: c, Account: key}
}

// ChainIssuing is the configuration of a relay with the issuer role that
// sells tickets of the given price and value, publishing its keys on c;
// its clients' cheques are payable to the operator (cashed by
// [Config.Cashing]). Clients have no stake, so it reads their vaults on c: it
// sells only against cheques their deposit, less any announced
// withdrawal, covers ([market.ServeOptions.Cover], [chain.Client.VaultCover]),
// and cashes a client's cheque at once when the client announces a
// withdrawal ([TicketIssuing.Withdrawal]).
func ChainIssuing(c *chain.Client, key *ecdsa.PrivateKey, priceWei *big.Int, packets uint64) *TicketIssuing {
	ti := &TicketIssuing{
		Chain: c, Auth: bind.NewKeyedTransactor(key, c.ChainID()), Account: key,
		PriceWei: priceWei, Packets: packets,
		Withdrawal: c.PendingWithdrawal,
	}
	ti.Serve.Cover = c.VaultCover
	return ti
}
