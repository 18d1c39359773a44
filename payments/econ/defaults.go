package econ

import (
	"fmt"
	"math"
	"math/big"
)

// DefaultPrices are the prices Murmur's relays and issuers use unless
// configured otherwise: the cost-based prices of the reference network on
// the L2 ([Reference]("l2")), for a network of the given number of mix
// layers (the reference's shape and load per mix, with that many layers).
func DefaultPrices(layers int) (Prices, error) {
	s, err := Reference("l2")
	if err != nil || layers == s.Shape.Layers {
		return s.Prices, err
	}
	if layers < 1 {
		return Prices{}, fmt.Errorf("%w: %d layers", ErrScenario, layers)
	}
	s.Shape.Layers = layers
	s.Prices.HopWei = make([]float64, layers+1)
	return CostPrices(s)
}

// Wei is a model amount as whole wei, rounded up (the model's prices are
// whole already).
func Wei(v float64) *big.Int {
	b, _ := new(big.Float).SetFloat64(math.Ceil(v)).Int(nil)
	return b
}

// HopPricesWei are the per-hop prices as whole wei, by position.
func (p Prices) HopPricesWei() []*big.Int {
	out := make([]*big.Int, len(p.HopWei))
	for i, v := range p.HopWei {
		out[i] = Wei(v)
	}
	return out
}

// FaceValueWei is the face value of a lottery ticket at gas price
// gasPriceWei, by the reference network's rule: GasFactor (125) times the
// gas of redeeming one win on its own (Batch 1), so that a claim's gas
// is 1/125 = 0.8 % of what it brings in. A nil or non-positive gas price
// gives 1 wei.
func FaceValueWei(gasPriceWei *big.Int) *big.Int {
	s, _ := Reference("l2")
	if gasPriceWei == nil || gasPriceWei.Sign() <= 0 {
		return big.NewInt(1)
	}
	perWin := s.Chain.Gas.RedeemTx/float64(s.Payments.Batch) + s.Chain.Gas.RedeemWin
	gas := Wei(s.Payments.GasFactor * perWin)
	return gas.Mul(gas, gasPriceWei)
}

// FeeFor is the issuer's fee on a ticket sold at priceWei: the model's fee
// as a share of its ticket price (3.6 % in the reference), rounded up, so
// that an issuer selling at another price keeps the same share. Zero when
// the model charges no fee.
func (p Prices) FeeFor(priceWei *big.Int) *big.Int {
	model := Wei(p.TicketPriceWei)
	if priceWei == nil || model.Sign() == 0 || p.IssuerFeeWei <= 0 {
		return new(big.Int)
	}
	f := new(big.Int).Mul(priceWei, Wei(p.IssuerFeeWei))
	f.Add(f, new(big.Int).Sub(model, big.NewInt(1)))
	return f.Quo(f, model)
}
