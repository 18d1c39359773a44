package pki

import (
	"fmt"
	"math/big"
	"strings"
)

// ParamHopPricesWei is the descriptor parameter in which a relay announces
// its per-hop prices by position (ADR 0010): a comma-separated list of
// decimal wei amounts, one per mix layer and the last for a provider. A
// relay that announces it charges, for a packet of epoch e, the price of
// its position in e's topology; one that does not charges its flat
// Descriptor.PerHopPriceWei.
const ParamHopPricesWei = "hop_prices_wei"

// HopPrices are a relay's per-hop prices by position, in wei per packet:
// HopPrices[l] for a packet handed to it while it is a mix of layer l
// (counted from 0), the last entry for one handed to it as a provider. A
// hop's price is its own fee plus the price of the hops after it
// (payments/econ.CostPrices), so the list falls from the first layer to
// the provider.
type HopPrices []*big.Int

// maxHopPrices bounds the list: 32 layers and the provider.
const maxHopPrices = 33

// ParseHopPrices reads the form of [HopPrices.String].
func ParseHopPrices(s string) (HopPrices, error) {
	parts := strings.Split(s, ",")
	if len(parts) < 2 || len(parts) > maxHopPrices {
		return nil, fmt.Errorf("pki: %d per-hop prices, want one per layer and one for providers (2 to %d)", len(parts), maxHopPrices)
	}
	p := make(HopPrices, len(parts))
	for i, v := range parts {
		if !isDecimal(v, 78) {
			return nil, fmt.Errorf("pki: per-hop price %q is not a decimal number of wei", v)
		}
		p[i], _ = new(big.Int).SetString(v, 10)
	}
	return p, nil
}

// String is the descriptor form: decimal wei amounts separated by commas.
func (p HopPrices) String() string {
	s := make([]string, len(p))
	for i, v := range p {
		s[i] = v.String()
	}
	return strings.Join(s, ",")
}

// At returns the price of handing a packet of t's epoch to the relay of
// nodeKey: that of its layer if it is a mix of t, else that of a provider
// if it is one. It reports false when the relay is neither, or when p does
// not have one price per layer of t and one for providers.
func (p HopPrices) At(t *Topology, nodeKey [32]byte) (*big.Int, bool) {
	if t == nil || len(p) != len(t.Layers)+1 {
		return nil, false
	}
	if l, ok := t.Layer(nodeKey); ok {
		return p[l], true
	}
	if t.IsProvider(nodeKey) {
		return p[len(p)-1], true
	}
	return nil, false
}

// HopPrice is the price, in wei, of handing the relay of descriptor d a
// packet of t's epoch: its position's when it announces prices by
// position that fit t, else its flat PerHopPriceWei. Both ends of a link
// compute it from the same descriptor and topology, so they agree on
// every packet's price.
func HopPrice(d *Descriptor, t *Topology) *big.Int {
	if s, ok := d.Params[ParamHopPricesWei]; ok {
		if p, err := ParseHopPrices(s); err == nil {
			if v, ok := p.At(t, d.NodeKey); ok {
				return new(big.Int).Set(v)
			}
		}
	}
	v, ok := new(big.Int).SetString(d.PerHopPriceWei, 10)
	if !ok || v.Sign() < 0 {
		return new(big.Int)
	}
	return v
}
