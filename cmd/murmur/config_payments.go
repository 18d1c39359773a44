package main

import (
	"fmt"
	"math/big"
	"time"

	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/payments/econ"
	"github.com/murmurnet/murmur/payments/settle"
)

// paymentsConfig is the [payments] section of a relay. It takes effect
// only when `murmur relay run` is given a --password-file, since signing
// and cashing cheques and redeeming tickets need the operator's key. A key
// left out takes the default of package node (or payments/settle).
type paymentsConfig struct {
	// HopPricesWei are what the relay charges a neighbour per packet it
	// hands us, by the relay's position in the packet's epoch (ADR 0010):
	// one price per mix layer, then one for when it is a provider.
	// Default: the cost model's prices for the network's number of layers
	// (payments/econ.DefaultPrices, docs/economics.md).
	HopPricesWei []wei `toml:"hop_prices_wei"`
	// PerHopPriceWei is the price where hop_prices_wei does not apply (a
	// relay in neither a layer nor the providers); default 0.
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
	// PayNeighbours is how the relay pays its neighbours: "lottery"
	// (the default: one lottery ticket where a cheque would be, ADR 0010,
	// so that what goes on-chain grows with the value moved) or
	// "cheques". Neighbours' tickets and cheques are taken either way.
	PayNeighbours string `toml:"pay_neighbours"`
	// TicketFaceWei is the face value of the relay's lottery tickets;
	// default the cost model's for the chain's gas price: 125 times the
	// gas of claiming a win (payments/econ.FaceValueWei).
	TicketFaceWei wei `toml:"ticket_face_wei"`
	// Free keeps a provider free for its clients even with a password
	// file: no prepaid packets, no tickets.
	Free bool `toml:"free"`
}

// issuerConfig is the [issuer] section: the ticket a relay with the issuer
// role sells. Both keys default to the cost model's.
type issuerConfig struct {
	// TicketPriceWei is the price of one ticket (1 to 2¹²⁸−1 wei: the
	// TicketIssuer contract stores it in 128 bits). Default: the cost
	// model's price of ticket_packets packets (payments/econ.DefaultPrices).
	TicketPriceWei wei `toml:"ticket_price_wei"`
	// TicketPackets is how many packets one ticket pays for; default the
	// model's 1,000. Change it only with a new key epoch: providers read it
	// once per key.
	TicketPackets int64 `toml:"ticket_packets"`
	// IssuerFeeWei is the issuer's share of each ticket's price (ADR
	// 0010): providers are paid ticket_price_wei − issuer_fee_wei for the
	// tickets they redeem. Default: the model's share of the price
	// (payments/econ.Prices.FeeFor, 3.6 % in the reference).
	IssuerFeeWei wei `toml:"issuer_fee_wei"`
	// PayProviders is how the issuer pays the providers that redeem its
	// tickets: "lottery" (the default: one lottery ticket per redemption,
	// of face value [payments] ticket_face_wei, acknowledged by the
	// provider's receipt; ADR 0010) or "cheques". An issuer that also
	// carries packets pays by cheque either way.
	PayProviders string `toml:"pay_providers"`
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
	case p.PayNeighbours != "" && p.PayNeighbours != "lottery" && p.PayNeighbours != "cheques":
		return fmt.Errorf("pay_neighbours must be \"lottery\" or \"cheques\", not %q", p.PayNeighbours)
	case p.TicketFaceWei.v != nil && (p.TicketFaceWei.v.Sign() == 0 || p.TicketFaceWei.v.BitLen() > 256):
		return fmt.Errorf("ticket_face_wei must be 1 to 2^256-1 wei, not %s", p.TicketFaceWei.v)
	}
	return nil
}

// maxTicketPrice is 2¹²⁸−1 wei, the most the TicketIssuer contract stores.
var maxTicketPrice = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))

func (i *issuerConfig) validate() error {
	switch p := i.TicketPriceWei; {
	case p.v != nil && p.v.Sign() == 0:
		return fmt.Errorf("ticket_price_wei must be positive")
	case p.v != nil && p.v.Cmp(maxTicketPrice) > 0:
		return fmt.Errorf("ticket_price_wei %s is more than 2^128-1 wei", p.v)
	case i.TicketPackets < 0:
		return fmt.Errorf("ticket_packets must be a positive number of packets, not %d", i.TicketPackets)
	case i.IssuerFeeWei.v != nil && i.TicketPriceWei.v != nil && i.IssuerFeeWei.v.Cmp(i.TicketPriceWei.v) >= 0:
		return fmt.Errorf("issuer_fee_wei %s must be less than ticket_price_wei %s: providers are paid the difference", i.IssuerFeeWei.v, i.TicketPriceWei.v)
	case i.PayProviders != "" && i.PayProviders != "lottery" && i.PayProviders != "cheques":
		return fmt.Errorf("pay_providers must be \"lottery\" or \"cheques\", not %q", i.PayProviders)
	}
	return nil
}

// fee returns the issuer's fee on a ticket of price priceWei in a network
// of the given number of layers: the configured one, or the model's share.
func (i *issuerConfig) fee(layers int, priceWei *big.Int) (*big.Int, error) {
	if i.IssuerFeeWei.v != nil {
		if i.IssuerFeeWei.v.Cmp(priceWei) >= 0 {
			return nil, fmt.Errorf("issuer_fee_wei %s must be less than the ticket price %s", i.IssuerFeeWei.v, priceWei)
		}
		return i.IssuerFeeWei.Int(), nil
	}
	p, err := econ.DefaultPrices(layers)
	if err != nil {
		return nil, err
	}
	return p.FeeFor(priceWei), nil
}

// ticket returns the ticket the issuer sells in a network of the given
// number of layers: the configured price and packets, or the model's.
func (i *issuerConfig) ticket(layers int) (*big.Int, uint64, error) {
	packets := uint64(i.TicketPackets)
	if i.TicketPriceWei.v != nil && packets != 0 {
		return i.TicketPriceWei.Int(), packets, nil
	}
	p, err := econ.DefaultPrices(layers)
	if err != nil {
		return nil, 0, err
	}
	if packets == 0 {
		packets = uint64(p.TicketPackets)
	}
	if i.TicketPriceWei.v != nil {
		return i.TicketPriceWei.Int(), packets, nil
	}
	// The model's price per packet, for this many packets, rounded up.
	price := econ.Wei(p.TicketPriceWei * float64(packets) / p.TicketPackets)
	if price.Cmp(maxTicketPrice) > 0 {
		return nil, 0, fmt.Errorf("ticket_packets %d: the model's price for them is more than 2^128-1 wei", packets)
	}
	return price, packets, nil
}

// hopPrices returns the relay's per-hop prices by position in a network
// of the given number of layers: the configured ones, or the model's.
func (p *paymentsConfig) hopPrices(layers int) (pki.HopPrices, error) {
	if len(p.HopPricesWei) == 0 {
		d, err := econ.DefaultPrices(layers)
		if err != nil {
			return nil, err
		}
		return d.HopPricesWei(), nil
	}
	if len(p.HopPricesWei) != layers+1 {
		return nil, fmt.Errorf("hop_prices_wei has %d prices for %d layers: want one per layer and one for providers", len(p.HopPricesWei), layers)
	}
	out := make(pki.HopPrices, len(p.HopPricesWei))
	for i, w := range p.HopPricesWei {
		out[i] = w.Int()
	}
	return out, nil
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
