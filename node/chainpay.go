package node

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/payments/econ"
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

// PayByLottery makes s pay neighbours with lottery tickets signed by key
// in c's Vault domain (ADR 0010), whose face value is face or, if nil, the
// cost model's for the chain's gas price (econ.FaceValueWei), looked up
// at most once a minute.
func PayByLottery(s *Settlement, c *chain.Client, key *ecdsa.PrivateKey, face *big.Int) {
	s.Tickets = settle.KeyTicketSigner(c.ChequeDomain(), key)
	if face != nil {
		f := new(big.Int).Set(face)
		s.Face = func(context.Context) (*big.Int, error) { return new(big.Int).Set(f), nil }
		return
	}
	var mu sync.Mutex
	var last *big.Int
	var at time.Time
	s.Face = func(ctx context.Context) (*big.Int, error) {
		mu.Lock()
		defer mu.Unlock()
		if last == nil || time.Since(at) > time.Minute {
			gp, err := c.SuggestGasPrice(ctx)
			if err != nil {
				if last != nil {
					return new(big.Int).Set(last), nil // the chain is down: the last gas price is a fair guess
				}
				return nil, err
			}
			last, at = econ.FaceValueWei(gp), time.Now()
		}
		return new(big.Int).Set(last), nil
	}
}

// ChainCashing cashes the cheques payable to key's account at c's Vault,
// from that account, at c's gas price. The caller sets the thresholds and
// interval it wants on the result.
func ChainCashing(c *chain.Client, key *ecdsa.PrivateKey) *Cashing {
	return &Cashing{Casher: chain.NewCashier(c, key)}
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
