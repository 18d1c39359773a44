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
		Cover:  chainCover(c),
	}
}

// chainCover is what backs a payer's cheques and tickets on c: its vault
// deposit plus its stake.
func chainCover(c *chain.Client) settle.Cover {
	return settle.CoverFunc(func(ctx context.Context, payer common.Address) (*big.Int, error) {
		bal, err := c.VaultBalance(ctx, payer)
		if err != nil {
			return nil, err
		}
		r, err := c.Relay(ctx, payer)
		if err != nil {
			return nil, err
		}
		return bal.Add(bal, r.Stake), nil
	})
}

// PayByLottery makes s pay neighbours with lottery tickets signed by key
// in c's Vault domain (ADR 0010), whose face value is face or, if nil, the
// cost model's for the chain's gas price (econ.FaceValueWei), looked up
// at most once a minute.
func PayByLottery(s *Settlement, c *chain.Client, key *ecdsa.PrivateKey, face *big.Int) {
	s.Tickets = settle.KeyTicketSigner(c.ChequeDomain(), key)
	s.Face = faceValue(c, face)
}

// faceValue returns face, or if nil the cost model's face value for c's
// gas price, looked up at most once a minute.
func faceValue(c *chain.Client, face *big.Int) func(context.Context) (*big.Int, error) {
	if face != nil {
		f := new(big.Int).Set(face)
		return func(context.Context) (*big.Int, error) { return new(big.Int).Set(f), nil }
	}
	var mu sync.Mutex
	var last *big.Int
	var at time.Time
	return func(ctx context.Context) (*big.Int, error) {
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
//
// Its issuers may pay it in lottery tickets (ADR 0010), backed by their
// vault deposit plus stake on c; an issuer that pays by cheque still does.
func ChainPrepaid(c *chain.Client, key *ecdsa.PrivateKey) *Prepaid {
	return &Prepaid{Chain: c, Account: key, TicketCover: chainCover(c)}
}

// IssuerPaysByLottery makes ti pay providers' redemptions in lottery
// tickets (ADR 0010) drawn on the operator's vault deposit on c: of face
// value face or, if nil, the cost model's for the gas price, capped at a
// quarter of the issuer's own cover (deposit plus stake) so that a
// provider holding a few unclaimed wins takes the next. Both are looked
// up at most once a minute; while the chain is away the last values
// serve, and before any is known the issuer pays by cheque.
func IssuerPaysByLottery(ti *TicketIssuing, c *chain.Client, face *big.Int) {
	self := ti.Auth.From
	f, cover := faceValue(c, face), chainCover(c)
	var mu sync.Mutex
	var own *big.Int
	var at time.Time
	ti.TicketFace = func() *big.Int {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		v, err := f(ctx)
		if err != nil {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		if own == nil || time.Since(at) >= settle.DefaultCoverTTL {
			if fresh, err := cover.Cover(ctx, self); err == nil {
				own, at = fresh, time.Now()
			} else if own == nil {
				return nil
			}
		}
		if q := new(big.Int).Rsh(own, 2); v.Cmp(q) > 0 {
			v = q
		}
		return v
	}
}

// ChainIssuing is the configuration of a relay with the issuer role that
// sells tickets of the given price and value, publishing its keys on c;
// its clients' cheques are payable to the operator (cashed by
// [Config.Cashing]). Clients have no stake, so it reads their vaults on c: it
// sells only against cheques their deposit, less any announced
// withdrawal, covers ([market.ServeOptions.Cover], [chain.Client.VaultCover]),
// and cashes a client's cheque at once when the client announces a
// withdrawal ([TicketIssuing.Withdrawal]). It pays providers in lottery
// tickets ([IssuerPaysByLottery]); set TicketFace to nil to pay by cheque.
func ChainIssuing(c *chain.Client, key *ecdsa.PrivateKey, priceWei *big.Int, packets uint64) *TicketIssuing {
	ti := &TicketIssuing{
		Chain: c, Auth: bind.NewKeyedTransactor(key, c.ChainID()), Account: key,
		PriceWei: priceWei, Packets: packets,
		Withdrawal: c.PendingWithdrawal,
	}
	ti.Serve.Cover = c.VaultCover
	IssuerPaysByLottery(ti, c, nil)
	return ti
}
