package node

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/node/issuer"
	"github.com/murmurnet/murmur/node/provider"
	"github.com/murmurnet/murmur/payments/cheque"
)

// Prepaid makes a provider charge its clients for packets (package
// provider).
type Prepaid = provider.Config

// PrepaidStats counts a provider's prepaid packets and tickets.
type PrepaidStats = provider.Stats

// TicketRedeemer redeems tickets on-chain, against the issuer's stake; a
// *chain.Client is one.
type TicketRedeemer = provider.TicketRedeemer

// TicketChain is what the payment roles need of the chain (a provider's
// [Prepaid.Chain], an issuer's [TicketIssuing.Chain]); a *chain.Client has
// it.
type TicketChain interface {
	provider.Chain
	issuer.Chain
}

// PrepaidBalance returns the prepaid packets client p has at this provider.
func (n *Node) PrepaidBalance(p peer.ID) (uint64, error) {
	if n.prepaid == nil {
		return 0, errors.New("node: the relay does not charge for packets")
	}
	return n.prepaid.Balance(p)
}

// PrepaidStats returns the provider's counts of prepaid packets and
// tickets (zero if it does not charge).
func (n *Node) PrepaidStats() PrepaidStats {
	if n.prepaid == nil {
		return PrepaidStats{RefusedTickets: map[string]uint64{}}
	}
	s := n.prepaid.Stats()
	s.WithheldCheques = n.cash.Stats().Withheld
	return s
}

// RedeemTickets redeems the spent tickets waiting for redemption now,
// rather than at the next RedeemEvery.
func (n *Node) RedeemTickets(ctx context.Context) error {
	if n.prepaid == nil {
		return errors.New("node: the relay does not charge for packets")
	}
	return n.prepaid.RedeemAll(ctx)
}

// IssuerCheques returns the latest cheque of each issuer the provider
// redeemed tickets with, to cash at the Vault.
func (n *Node) IssuerCheques() ([]cheque.Signed, error) {
	if n.prepaid == nil {
		return nil, nil
	}
	return n.prepaid.IssuerCheques()
}

// openPayments opens the stores of the payment roles the config asks for.
func (n *Node) openPayments() error {
	var err error
	if n.cfg.Prepaid != nil {
		if n.prepaid, err = provider.Open(*n.cfg.Prepaid, provider.Options{
			Operator: n.cfg.Operator, Roles: n.cfg.Roles, DataDir: n.cfg.DataDir,
			Epochs: n.cfg.Epochs, Now: n.cfg.Now, Logger: n.log, Directory: n.dir, Counters: &n.Counters,
		}); err != nil {
			return err
		}
	}
	if n.cfg.Issuing != nil {
		if n.issuing, err = issuer.Open(*n.cfg.Issuing, issuer.Options{
			Operator: n.cfg.Operator, Roles: n.cfg.Roles, Dir: filepath.Join(n.cfg.DataDir, "issuer"),
			Epochs: n.cfg.Epochs, Now: n.cfg.Now, Logger: n.log, RefuseRedemptions: n.cfg.Faults.RefuseRedemptions,
		}); err != nil {
			return err
		}
		// Announce the ticket in the descriptor, next to the network parameters.
		n.cfg.Params = n.issuing.Announce(n.cfg.Params)
	}
	return nil
}

// startPayments starts the payment roles' routines and protocols.
func (n *Node) startPayments() {
	if n.prepaid != nil {
		n.prepaid.Start(n.ctx, n.host)
	}
	if n.issuing != nil {
		n.issuing.Start(n.ctx, n.host, n.cash)
	}
}

// closePayments closes what openPayments opened.
func (n *Node) closePayments() error {
	var errs []error
	if n.issuing != nil {
		errs = append(errs, n.issuing.Close())
	}
	if n.prepaid != nil {
		errs = append(errs, n.prepaid.Close())
	}
	return errors.Join(errs...)
}
