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
	nc.HopPricesWei, _ = p.hopPrices(c.Layers) // checked by loadConfig
	st := node.ChainSettlement(cl, key)
	st.ChequeEvery, st.RefuseAbove = p.chequeEvery(), p.refuseAbove()
	how := "a cheque"
	if p.PayNeighbours != "cheques" {
		node.PayByLottery(st, cl, key, p.TicketFaceWei.v)
		how = "a lottery ticket (face value 125× the gas of a claim)"
		if p.TicketFaceWei.v != nil {
			how = "a lottery ticket (face value " + p.TicketFaceWei.v.String() + " wei)"
		}
	}
	nc.Settlement = st
	cc := node.ChainCashing(cl, key)
	cc.Every, cc.Above, cc.GasFactor = p.cashEvery(), p.CashAboveWei.Int(), p.cashGasFactor()
	nc.Cashing = cc
	parts := []string{fmt.Sprintf("settling with neighbours at %s wei a packet by position (layer 1 first, then as a provider; %s every %d packets, refusing above %d unpaid; cashing every %s a cheque worth %d× its gas, and at least %s wei)",
		strings.ReplaceAll(nc.HopPricesWei.String(), ",", "/"), how, st.ChequeEvery, st.RefuseAbove, cc.Every, cc.GasFactor, cc.Above)}
	if nc.Roles&chain.RoleProvider != 0 {
		if p.Free {
			parts = append(parts, "clients send for free ([payments] free)")
		} else {
			nc.Prepaid = node.ChainPrepaid(cl, key)
			parts = append(parts, "clients pay with tickets (prepaid packets)")
		}
	}
	if nc.Roles&chain.RoleIssuer != 0 {
		price, packets, _ := c.Issuer.ticket(c.Layers) // checked by loadConfig
		fee, _ := c.Issuer.fee(c.Layers, price)
		nc.Issuing = node.ChainIssuing(cl, key, price, packets)
		nc.Issuing.FeeWei = fee
		pays := "paying providers in lottery tickets"
		switch {
		case c.Issuer.PayProviders == "cheques":
			nc.Issuing.TicketFace = nil
			pays = "paying providers by cheque"
		case nc.Roles&(chain.RoleMix|chain.RoleProvider) != 0:
			pays = "paying providers by cheque (the relay also carries packets)"
		case p.TicketFaceWei.v != nil:
			node.IssuerPaysByLottery(nc.Issuing, cl, p.TicketFaceWei.v)
		}
		parts = append(parts, fmt.Sprintf("selling tickets of %d packets for %s wei, keeping %s wei of each as the issuer's fee, %s", packets, price, fee, pays))
	}
	return "payments on: " + strings.Join(parts, "; ")
}
