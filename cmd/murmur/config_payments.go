package main

import (
	"fmt"
	"math/big"
	"time"

	"github.com/murmurnet/murmur/payments/settle"
)

// paymentsConfig is the [payments] section of a relay. It takes effect
// only when `murmur relay run` is given a --password-file, since signing
// and cashing cheques and redeeming tickets need the operator's key. A key
// left out takes the default of package node (or payments/settle).
type paymentsConfig struct {
	// PerHopPriceWei is what the relay charges a neighbour per packet it
	// hands us, announced in the descriptor; default 0 (free).
	PerHopPriceWei wei `toml:"per_hop_price_wei"`
	// ChequeEvery is how many packets we send a neighbour between two
	// cheques to it; default settle.DefaultChequeEvery (200).
	ChequeEvery int64 `toml:"cheque_every"`
	// RefuseAbove is how many unpaid packets a neighbour may owe us before
	// we refuse its packets; default 3 × cheque_every. It must exceed
	// cheque_every, or honest neighbours are refused before their first
	// cheque is due.
	RefuseAbove int64 `toml:"refuse_above"`
	// CashEvery is how often held cheques are cashed at the Vault; default 1m.
	CashEvery duration `toml:"cash_every"`
	// CashAboveWei is the unclaimed amount below which a cheque is not worth
	// a cash transaction's gas; default 0 (cash whatever is unclaimed).
	CashAboveWei wei `toml:"cash_above_wei"`
	// CashGasFactor: a cheque is cashed once its unclaimed value is worth
	// this many times the gas of the cash at the chain's gas price, so gas
	// takes at most 1/cash_gas_factor of what cashing brings in; default
	// settle.DefaultCashGasFactor (ADR 0009).
	CashGasFactor int64 `toml:"cash_gas_factor"`
	// Free keeps a provider free for its clients even with a password
	// file: no prepaid packets, no tickets.
	Free bool `toml:"free"`
}

// issuerConfig is the [issuer] section: the ticket a relay with the issuer
// role sells. Both keys are required when the section is present, and the
// section is required when such a relay runs with a --password-file.
type issuerConfig struct {
	// TicketPriceWei is the price of one ticket (1 to 2¹²⁸−1 wei: the
	// TicketIssuer contract stores it in 128 bits).
	TicketPriceWei wei `toml:"ticket_price_wei"`
	// TicketPackets is how many packets one ticket pays for. Change it only
	// with a new key epoch: providers read it once per key.
	TicketPackets int64 `toml:"ticket_packets"`

	set bool // the section appears in the file
}

// chequeEvery and refuseAbove return the thresholds with their defaults.
func (p *paymentsConfig) chequeEvery() uint64 {
	if p.ChequeEvery == 0 {
		return settle.DefaultChequeEvery
	}
	return uint64(p.ChequeEvery)
}

func (p *paymentsConfig) refuseAbove() uint64 {
	if p.RefuseAbove == 0 {
		return 3 * p.chequeEvery()
	}
	return uint64(p.RefuseAbove)
}

func (p *paymentsConfig) cashGasFactor() uint64 {
	if p.CashGasFactor == 0 {
		return settle.DefaultCashGasFactor
	}
	return uint64(p.CashGasFactor)
}

func (p *paymentsConfig) cashEvery() time.Duration {
	if p.CashEvery.Duration == 0 {
		return time.Minute
	}
	return p.CashEvery.Duration
}

// validate checks the section as payments/settle would, so that a bad
// value stops the relay when the file is read, not when a neighbour first
// sends a packet.
func (p *paymentsConfig) validate() error {
	switch {
	case p.ChequeEvery < 0:
		return fmt.Errorf("cheque_every must be a positive number of packets, not %d", p.ChequeEvery)
	case p.RefuseAbove < 0:
		return fmt.Errorf("refuse_above must be a positive number of packets, not %d", p.RefuseAbove)
	case p.refuseAbove() <= p.chequeEvery():
		return fmt.Errorf("refuse_above (%d) must exceed cheque_every (%d), or neighbours are refused before their first cheque is due", p.refuseAbove(), p.chequeEvery())
	case p.CashEvery.Duration < 0:
		return fmt.Errorf("cash_every must be positive, not %s", p.CashEvery.Duration)
	case p.CashGasFactor < 0:
		return fmt.Errorf("cash_gas_factor must be a positive number, not %d", p.CashGasFactor)
	}
	return nil
}

// maxTicketPrice is 2¹²⁸−1 wei, the most the TicketIssuer contract stores.
var maxTicketPrice = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))

func (i *issuerConfig) validate() error {
	if !i.set {
		return nil
	}
	switch p := i.TicketPriceWei.Int(); {
	case p.Sign() == 0:
		return fmt.Errorf("ticket_price_wei is required and must be positive")
	case p.Cmp(maxTicketPrice) > 0:
		return fmt.Errorf("ticket_price_wei %s is more than 2^128-1 wei", p)
	case i.TicketPackets <= 0:
		return fmt.Errorf("ticket_packets is required and must be a positive number of packets, not %d", i.TicketPackets)
	}
	return nil
}

// wei is an amount of wei in the config: a TOML integer, or a decimal
// string for amounts beyond 2⁶³ (TOML integers are 64-bit).
type wei struct{ v *big.Int }

// UnmarshalTOML takes an integer or a decimal string.
func (w *wei) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case int64:
		if x < 0 {
			return fmt.Errorf("%d is not an amount of wei: it is negative", x)
		}
		w.v = big.NewInt(x)
		return nil
	case string:
		n, ok := new(big.Int).SetString(x, 10)
		if !ok || n.Sign() < 0 {
			return fmt.Errorf("%q is not an amount of wei (a non-negative integer)", x)
		}
		w.v = n
		return nil
	}
	return fmt.Errorf("%v is not an amount of wei (an integer, or a decimal string)", v)
}

// Int returns the amount, zero if unset.
func (w wei) Int() *big.Int {
	if w.v == nil {
		return new(big.Int)
	}
	return new(big.Int).Set(w.v)
}
