package devnet

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node"
)

// relayDeposit is what each devnet relay puts in the vault to back its cheques.
var relayDeposit = chain.Ether(1)

// relaySettlement is a devnet relay's hop-by-hop payment configuration:
// cheques signed with the operator's key, backed by vault deposit plus
// stake, and cashed by the operator. The devnet cashes at the end of the
// demo, so the periodic cashing interval is long.
func relaySettlement(c *chain.Client, op account) *node.Settlement {
	st := node.ChainSettlement(c, op.key)
	st.CashEvery = time.Hour
	return st
}

// RelayMoney is one relay's hop-by-hop account at the end of the demo.
type RelayMoney struct {
	Name     string
	Earned   *big.Int // cumulative amounts of the cheques it holds from its neighbours
	Paid     *big.Int // cumulative amounts of the cheques it signed to its neighbours
	Cashed   *big.Int // what the vault paid it for those cheques, read on-chain
	Cheques  int      // neighbours it holds cheques from
	Packets  uint64   // packets it handed to other relays
	CashTxs  int
	GasSpent uint64
}

// settleAndCash has every relay pay what it still owes its neighbours and
// cash every cheque it holds, then reads the vault's books to check that each
// relay was paid on-chain exactly what its neighbours' cheques promised.
func settleAndCash(ctx context.Context, nw *Network, p func(string, ...any)) error {
	res := nw.Result
	for _, r := range res.Relays {
		if err := r.Node.SettleUp(ctx); err != nil {
			return fmt.Errorf("devnet: %s settling up: %w", r.Name, err)
		}
	}
	p("money: relays signed their last cheques; cashing every cheque on-chain\n")
	totalEarned, totalPaid, totalCashed := new(big.Int), new(big.Int), new(big.Int)
	for _, r := range res.Relays {
		if _, err := r.Node.CashCheques(ctx, nil); err != nil {
			return fmt.Errorf("devnet: %s cashing: %w", r.Name, err)
		}
		e := r.Node.Earnings()
		m := RelayMoney{Name: r.Name, Earned: new(big.Int), Paid: new(big.Int), Cashed: new(big.Int), Packets: r.Node.Stats().Forwarded}
		for _, h := range e.Holdings {
			promised := h.Latest.CumulativeAmount
			if promised == nil || promised.Sign() == 0 {
				continue
			}
			onChain, err := nw.Chain.Cashed(ctx, h.Payer, r.Operator)
			if err != nil {
				return err
			}
			if onChain.Cmp(promised) != 0 {
				return fmt.Errorf("devnet: %s holds cheques from %s for %s wei but the vault paid it %s", r.Name, h.Payer, promised, onChain)
			}
			m.Earned.Add(m.Earned, promised)
			m.Cashed.Add(m.Cashed, onChain)
			m.Cheques++
		}
		for _, d := range e.Debts {
			if d.Latest.CumulativeAmount != nil {
				m.Paid.Add(m.Paid, d.Latest.CumulativeAmount)
			}
		}
		m.CashTxs, m.GasSpent = int(e.CashTxs), e.CashGas
		totalEarned.Add(totalEarned, m.Earned)
		totalPaid.Add(totalPaid, m.Paid)
		totalCashed.Add(totalCashed, m.Cashed)
		res.Money = append(res.Money, m)
	}
	for _, m := range res.Money {
		p("money: %-10s earned %12s wei from %d neighbours, cashed %12s wei on-chain; paid %12s wei\n", m.Name, m.Earned, m.Cheques, m.Cashed, m.Paid)
	}
	var txs int
	var gas uint64
	for _, m := range res.Money {
		txs += m.CashTxs
		gas += m.GasSpent
	}
	p("money: relays earned %s wei in total, signed %s wei, the vault paid out %s wei in %d cash transactions (%d gas)\n", totalEarned, totalPaid, totalCashed, txs, gas)
	if totalCashed.Cmp(totalEarned) != 0 {
		return fmt.Errorf("devnet: relays were promised %s wei but cashed %s wei", totalEarned, totalCashed)
	}
	return nil
}
