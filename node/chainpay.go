package node

import (
	"context"
	"crypto/ecdsa"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/settle"
)

// ChainSettlement is the hop-by-hop payment configuration of a relay whose
// operator key is key, against the deployment c: cheques signed with the
// operator key, a payer's cheques backed by its vault deposit plus its
// stake, and cheques cashed at the Vault by the operator. The caller sets
// the thresholds and intervals it wants on the result.
func ChainSettlement(c *chain.Client, key *ecdsa.PrivateKey) *Settlement {
	d := c.ChequeDomain()
	auth := bind.NewKeyedTransactor(key, c.ChainID())
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
		Cash: func(ctx context.Context, s cheque.Signed) (*big.Int, uint64, error) {
			_, rcpt, err := c.Cash(ctx, auth, s)
			var gas uint64
			if rcpt != nil {
				gas = rcpt.GasUsed
			}
			if err != nil {
				return nil, gas, err
			}
			total, err := c.Cashed(ctx, s.Payer, s.Payee)
			return total, gas, err
		},
	}
}

// ChainPrepaid is the prepaid-packet configuration of a provider whose
// operator key is key: issuer keys read from c, issuers' cheques payable
// to the operator.
func ChainPrepaid(c *chain.Client, key *ecdsa.PrivateKey) *Prepaid {
	return &Prepaid{Chain: c, Account: key}
}

// ChainIssuing is the configuration of a relay with the issuer role that
// sells tickets of the given price and value, publishing its keys on c.
func ChainIssuing(c *chain.Client, key *ecdsa.PrivateKey, priceWei *big.Int, packets uint64) *TicketIssuing {
	return &TicketIssuing{
		Chain: c, Auth: bind.NewKeyedTransactor(key, c.ChainID()), Account: key,
		PriceWei: priceWei, Packets: packets,
	}
}
