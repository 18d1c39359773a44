package node

import (
	"github.com/murmurnet/murmur/node/issuer"
	"github.com/murmurnet/murmur/payments/tickets"
)

// TicketIssuing configures a relay's ticket issuer (package issuer).
type TicketIssuing = issuer.Config

// IssuerStatus is what a relay's issuer is doing.
type IssuerStatus = issuer.Status

// DefaultWithdrawalCheckEvery is the default of
// [TicketIssuing.WithdrawalCheckEvery].
const DefaultWithdrawalCheckEvery = issuer.DefaultWithdrawalCheckEvery

// Issuer returns the relay's ticket issuer (nil unless it issues), for its
// books: what each client paid ([tickets.Issuer.Payment]), what it owes
// each provider ([tickets.Issuer.Owed]).
func (n *Node) Issuer() *tickets.Issuer {
	if n.issuing == nil {
		return nil
	}
	return n.issuing.Tickets()
}

// IssuerStatus returns what the relay's issuer is doing (zero unless it issues).
func (n *Node) IssuerStatus() IssuerStatus {
	if n.issuing == nil {
		return IssuerStatus{}
	}
	return n.issuing.Status()
}
