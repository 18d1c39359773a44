package main

import (
	"crypto/ecdsa"
	"fmt"
	"strings"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node"
)

// Payments of a running relay.
//
// `murmur relay run` decrypts the operator's keystore only when it is given
// a --password-file: the key signs cheques to neighbours, cashes theirs,
// signs ticket redemptions and publishes issuer keys. Without it the relay
// runs unpaid, as before payments existed. The key is held in memory by the
// node; it is never printed or logged.

// checkPayments reports, before the keystore is decrypted, whether a relay
// with roles can run with payments as configured.
func (c *fileConfig) checkPayments(roles chain.Roles, paid bool) error {
	if paid && roles&chain.RoleIssuer != 0 && !c.Issuer.set {
		return fmt.Errorf("the relay has the issuer role: its config needs an [issuer] section with ticket_price_wei and ticket_packets to sell tickets")
	}
	return nil
}

// applyPayments turns on, in nc, the payments that key (nil: none) and the
// relay's roles allow, and returns one line for the operator saying which.
func (c *fileConfig) applyPayments(nc *node.Config, cl *chain.Client, key *ecdsa.PrivateKey) string {
	if key == nil {
		line := "payments off (no --password-file): the relay neither charges nor pays its neighbours"
		if nc.Roles&chain.RoleProvider != 0 {
			line += ", its clients send for free"
		}
		if nc.Roles&chain.RoleIssuer != 0 {
			line += ", it sells no tickets"
		}
		return line
	}
	p := &c.Payments
	nc.PerHopPriceWei = p.PerHopPriceWei.Int().String()
	st := node.ChainSettlement(cl, key)
	st.ChequeEvery, st.RefuseAbove = p.chequeEvery(), p.refuseAbove()
	nc.Settlement = st
	cc := node.ChainCashing(cl, key)
	cc.Every, cc.Above, cc.GasFactor = p.cashEvery(), p.CashAboveWei.Int(), p.cashGasFactor()
	nc.Cashing = cc
	parts := []string{fmt.Sprintf("settling with neighbours at %s wei a packet (a cheque every %d packets, refusing above %d unpaid; cashing every %s a cheque worth %d× its gas, and at least %s wei)",
		nc.PerHopPriceWei, st.ChequeEvery, st.RefuseAbove, cc.Every, cc.GasFactor, cc.Above)}
	if nc.Roles&chain.RoleProvider != 0 {
		if p.Free {
			parts = append(parts, "clients send for free ([payments] free)")
		} else {
			nc.Prepaid = node.ChainPrepaid(cl, key)
			parts = append(parts, "clients pay with tickets (prepaid packets)")
		}
	}
	if nc.Roles&chain.RoleIssuer != 0 {
		price := c.Issuer.TicketPriceWei.Int()
		nc.Issuing = node.ChainIssuing(cl, key, price, uint64(c.Issuer.TicketPackets))
		parts = append(parts, fmt.Sprintf("selling tickets of %d packets for %s", c.Issuer.TicketPackets, chain.FormatEther(price)))
	}
	return "payments on: " + strings.Join(parts, "; ")
}
