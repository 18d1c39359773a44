package settle

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/payments/cheque"
)

// Holder is a store of cheques payable to the operator that one cashing
// loop can cash: the hop-by-hop [Ledger] (neighbours' cheques), a
// provider's store of issuers' cheques, and a ticket issuer's store of
// clients' cheques. The loop reads the holdings, decides each with
// [DecideCash], cashes on-chain, and reports the Vault's total back.
type Holder interface {
	// Holdings lists, by payer, the latest cheque held and what was
	// cashed of it.
	Holdings() ([]Holding, error)
	// MarkCashed records that payer's cheques have been cashed for total
	// wei in all; a total smaller than the one recorded is ignored.
	MarkCashed(payer common.Address, total *big.Int) error
}

// HoldingOf is the holding of a payer whose latest cheque is latest and
// of which cashed wei were cashed, for holders that know nothing more
// (no unpaid packets, no cover).
func HoldingOf(latest cheque.Signed, cashed *big.Int) Holding {
	if cashed == nil {
		cashed = new(big.Int)
	}
	amount := latest.CumulativeAmount
	if amount == nil {
		amount = new(big.Int)
	}
	pending := new(big.Int).Sub(amount, cashed)
	if pending.Sign() < 0 {
		pending.SetInt64(0)
	}
	return Holding{Payer: latest.Payer, Latest: latest, Cashed: cashed, Pending: pending, Unpaid: new(big.Int)}
}

// CashDecision is what the cashing loop does with one holding.
type CashDecision int

const (
	// Keep leaves the cheque for a later round: nothing is pending, or
	// too little to be worth the gas.
	Keep CashDecision = iota
	// Cash cashes the cheque now.
	Cash
	// Withhold never cashes the cheque as it stands: its amount reaches
	// the holding's Limit (see [Holding.Limit]).
	Withhold
)

func (d CashDecision) String() string {
	switch d {
	case Keep:
		return "keep"
	case Cash:
		return "cash"
	case Withhold:
		return "withhold"
	}
	return "unknown"
}

// DecideCash decides a holding for a round that cashes what exceeds above
// (nil: anything pending). A cheque is cashed when its pending amount
// exceeds above, or reaches half the payer's known cover whatever above
// says (see [Ledger.CashDue] for why); it is withheld instead when its
// amount reaches the holding's Limit.
func DecideCash(h Holding, above *big.Int) CashDecision {
	if h.Pending == nil || h.Pending.Sign() <= 0 {
		return Keep
	}
	if above == nil || above.Sign() < 0 {
		above = new(big.Int)
	}
	if h.Pending.Cmp(above) <= 0 && !nearCover(h) {
		return Keep
	}
	if h.Limit != nil && h.Latest.CumulativeAmount != nil && h.Latest.CumulativeAmount.Cmp(h.Limit) >= 0 {
		return Withhold
	}
	return Cash
}

var _ Holder = (*Ledger)(nil)
