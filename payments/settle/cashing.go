package settle

import "math/big"

// Cashing policy: when a cheque is worth its gas.
//
// Cashing a cheque is a transaction, paid in gas by the payee whatever the
// cheque is worth. A payee that cashed every cheque at once would spend
// more on gas than it earns from small neighbours; one that never cashed
// would hold promises that a payer can empty by withdrawing its deposit
// after the notice period. [CashThreshold] is the middle: cash once the
// unclaimed value pays for the transaction many times over.

// DefaultCashGas is the gas of one Vault cash transaction, used until a
// relay has measured its own from a receipt: 66.6k measured on anvil and
// geth for a cheque paid from the deposit (a bounce, which also slashes
// and jails the payer, costs more).
const DefaultCashGas = 66_600

// DefaultCashGasFactor is how many times the gas cost of cashing a cheque
// its unclaimed value must be worth before it is cashed: 5,000, so that
// gas takes at most 0.02% of what cashing brings in. That is what keeps
// on-chain settlement under 0.0001 USD per 1,000 messages at 1 gwei and
// 3,000 USD/ETH: the devnet at its default prices moves about 92,000 gwei
// through cheques per 1,000 messages, cover included (docs/perf.md), so
// its gas is at most 92,000 / 5,000 ≈ 18 gwei. The price is a larger
// unclaimed balance per payer (0.33 ETH at 1 gwei): it is backed by the
// payer's deposit and stake, and a relay cashes anyway once it reaches
// half the payer's cover ([Ledger.CashDue]), so the factor never lets a
// neighbour's cheques go uncovered. An operator who wants its money
// sooner sets a lower factor (cash_gas_factor).
const DefaultCashGasFactor = 5000

// CashThreshold returns the unclaimed value (cheque amount minus what was
// already cashed from that payer) above which a cheque is worth cashing:
// the larger of floor and gasPrice × gasPerCash × factor, so that cashing
// costs at most 1/factor of what it brings in. A nil floor or gasPrice is
// zero; a zero gasPerCash or factor means [DefaultCashGas] or
// [DefaultCashGasFactor]. Pass the result to [Ledger.CashDue].
func CashThreshold(floor, gasPrice *big.Int, gasPerCash, factor uint64) *big.Int {
	if gasPerCash == 0 {
		gasPerCash = DefaultCashGas
	}
	if factor == 0 {
		factor = DefaultCashGasFactor
	}
	t := new(big.Int)
	if gasPrice != nil && gasPrice.Sign() > 0 {
		t.Mul(gasPrice, new(big.Int).SetUint64(gasPerCash))
		t.Mul(t, new(big.Int).SetUint64(factor))
	}
	if floor != nil && floor.Cmp(t) > 0 {
		t.Set(floor)
	}
	return t
}
