package devnet

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/payments/settle"
)

// relayDeposit is what each devnet relay puts in the vault to back its cheques.
var relayDeposit = chain.Ether(1)

// relayCashing is how a devnet relay cashes the cheques it holds: by the
// operator, at the Vault. The devnet cashes everything at the end of the
// demo, so the periodic cashing interval is long.
func relayCashing(c *chain.Client, op account) *node.Cashing {
	cc := node.ChainCashing(c, op.key)
	cc.Every = time.Hour
	return cc
}

// RelayMoney is one relay's hop-by-hop account at the end of the demo.
type RelayMoney struct {
	Name    string
	Earned  *big.Int // cumulative amounts of the cheques it holds from its neighbours
	Paid    *big.Int // cumulative amounts of the cheques it signed to its neighbours
	Cashed  *big.Int // what the vault paid it for those cheques, read on-chain
	Cheques int      // neighbours it holds cheques from
	// TicketsEV is the expected value of the lottery tickets its
	// neighbours paid it with, TicketsPaid that of the tickets it paid
	// them with; Wins counts the winning tickets it claimed, and WinsWei
	// what the vault paid for them (checked against the vault's nonces).
	TicketsEV, TicketsPaid, WinsWei *big.Int
	Wins                            int
	// FromIssuers is what a provider cashed of the cheques of the issuers
	// it redeemed its clients' tickets with; FromIssuerTickets the
	// expected value of the lottery tickets they paid it with, and
	// IssuerWinsWei what the vault paid for those that won.
	FromIssuers, FromIssuerTickets, IssuerWinsWei *big.Int
	// FromClients is what an issuer cashed of its clients' cheques for
	// the tickets they bought.
	FromClients *big.Int
	// ToProviders is what an issuer paid providers for the tickets they
	// redeemed with it: its cheques, and the expected value of its
	// lottery tickets (ToProvidersByTicket of it).
	ToProviders, ToProvidersByTicket *big.Int
	Packets                          uint64 // packets it handed to other relays
	CashTxs                          int
	GasSpent                         uint64
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
	toProviders := map[common.Address]*big.Int{} // by issuer
	for _, r := range res.Relays {
		if _, err := r.Node.CashCheques(ctx, nil); err != nil {
			return fmt.Errorf("devnet: %s cashing: %w", r.Name, err)
		}
		e := r.Node.Earnings()
		m := RelayMoney{Name: r.Name, Paid: new(big.Int), Packets: r.Node.Stats().Forwarded}
		var err error
		if m.Earned, m.Cashed, m.Cheques, err = cashedAsPromised(ctx, nw, r, "neighbour", e.Holdings); err != nil {
			return err
		}
		// A provider's cheques from the issuer it redeemed tickets with,
		// and the issuer's from the clients that bought tickets.
		if _, m.FromIssuers, _, err = cashedAsPromised(ctx, nw, r, "issuer", e.Issuers); err != nil {
			return err
		}
		if m.FromIssuerTickets, m.IssuerWinsWei, err = issuerTicketsAsClaimed(r, e); err != nil {
			return err
		}
		for _, h := range e.Issuers {
			if h.Latest.CumulativeAmount != nil {
				if toProviders[h.Payer] == nil {
					toProviders[h.Payer] = new(big.Int)
				}
				toProviders[h.Payer].Add(toProviders[h.Payer], h.Latest.CumulativeAmount)
			}
		}
		if _, m.FromClients, _, err = cashedAsPromised(ctx, nw, r, "client", e.Sales); err != nil {
			return err
		}
		for _, d := range e.Debts {
			if d.Latest.CumulativeAmount != nil {
				m.Paid.Add(m.Paid, d.Latest.CumulativeAmount)
			}
		}
		if m.TicketsEV, m.TicketsPaid, m.WinsWei, m.Wins, err = ticketsAsClaimed(ctx, nw, r, e); err != nil {
			return err
		}
		m.CashTxs, m.GasSpent = int(e.CashTxs), e.CashGas
		totalEarned.Add(totalEarned, m.Earned)
		totalPaid.Add(totalPaid, m.Paid)
		totalCashed.Add(totalCashed, m.Cashed)
		res.Money = append(res.Money, m)
	}
	// Each relay's account: revenue is what it was paid (by neighbours
	// hop by hop, by the issuer for tickets, by clients for tickets),
	// paid on what it paid others; it kept the difference. Every wei is
	// counted once as revenue and once as paid on, so what all relays kept
	// is what the clients paid for tickets, less cheques signed but never
	// delivered.
	kept := new(big.Int)
	issuerEVPaid, issuerEVTaken := new(big.Int), new(big.Int)
	p("money: relay        revenue (wei)  hop by hop  for tickets    paid on       kept  cashes       gas\n")
	for i := range res.Money {
		m := &res.Money[i]
		m.ToProviders, m.ToProvidersByTicket = new(big.Int), new(big.Int)
		if v := toProviders[res.Relays[i].Operator]; v != nil {
			m.ToProviders.Set(v)
		}
		if is := res.Relays[i].Node.Issuer(); is != nil {
			for _, pr := range res.Relays {
				if pr.Roles&chain.RoleProvider == 0 {
					continue
				}
				books, err := is.Paid(pr.Operator)
				if err != nil {
					return err
				}
				m.ToProvidersByTicket.Add(m.ToProvidersByTicket, books.ByTicket)
			}
			m.ToProviders.Add(m.ToProviders, m.ToProvidersByTicket)
		}
		issuerEVPaid.Add(issuerEVPaid, m.ToProvidersByTicket)
		issuerEVTaken.Add(issuerEVTaken, m.FromIssuerTickets)
		tickets := new(big.Int).Add(m.FromIssuers, m.FromClients)
		tickets.Add(tickets, m.FromIssuerTickets)
		hop := new(big.Int).Add(m.Earned, m.TicketsEV)
		revenue := new(big.Int).Add(hop, tickets)
		paidOn := new(big.Int).Add(m.Paid, m.ToProviders)
		paidOn.Add(paidOn, m.TicketsPaid)
		k := new(big.Int).Sub(revenue, paidOn)
		kept.Add(kept, k)
		p("money: %-10s %14s %11s %12s %10s %10s %7d %9d\n", m.Name, revenue, hop, tickets, paidOn, k, m.CashTxs, m.GasSpent)
	}
	evTaken, evPaid, winsWei, wins := new(big.Int), new(big.Int), new(big.Int), 0
	for _, m := range res.Money {
		evTaken.Add(evTaken, m.TicketsEV)
		evPaid.Add(evPaid, m.TicketsPaid)
		winsWei.Add(winsWei, m.WinsWei)
		wins += m.Wins
	}
	if evPaid.Sign() > 0 {
		p("money: hop by hop by lottery: relays paid tickets worth %s wei on average and took %s wei of them; %d won and were claimed on-chain for %s wei (a win is worth 125× its gas, so few win in a short demo: the expected value is what the books hold)\n",
			evPaid, evTaken, wins, winsWei)
		totalPaid.Add(totalPaid, evPaid)
		totalEarned.Add(totalEarned, evTaken)
	}
	var txs int
	var gas uint64
	for _, m := range res.Money {
		txs += m.CashTxs
		gas += m.GasSpent
	}
	p("money: relays earned %s wei in total, signed %s wei, the vault paid out %s wei for cheques in %d cash and claim transactions (%d gas)\n", totalEarned, totalPaid, totalCashed, txs, gas)
	if want := new(big.Int).Sub(totalEarned, evTaken); totalCashed.Cmp(want) != 0 {
		return fmt.Errorf("devnet: relays were promised %s wei by cheque but cashed %s wei", want, totalCashed)
	}
	if nw.tickets != nil {
		// Tickets: what the clients paid the issuer is what it cashed.
		paid, sales, redeemed := new(big.Int), new(big.Int), new(big.Int)
		for _, a := range res.Tickets {
			paid.Add(paid, a.PaidWei)
		}
		for _, m := range res.Money {
			sales.Add(sales, m.FromClients)
			redeemed.Add(redeemed, m.FromIssuers)
		}
		issuerWins := new(big.Int)
		for _, m := range res.Money {
			issuerWins.Add(issuerWins, m.IssuerWinsWei)
		}
		p("money: tickets: clients paid %s %s wei, which it cashed on-chain: %s wei; it paid the providers %s wei by cheque, cashed on-chain, and lottery tickets worth %s wei on average (%s wei of them taken; wins claimed on-chain: %s wei)\n",
			issuerName, paid, sales, redeemed, issuerEVPaid, issuerEVTaken, issuerWins)
		if sales.Cmp(paid) != 0 {
			return fmt.Errorf("devnet: clients paid the issuer %s wei for tickets, it cashed %s wei", paid, sales)
		}
		undelivered := new(big.Int).Sub(totalPaid, totalEarned)
		undelivered.Add(undelivered, new(big.Int).Sub(issuerEVPaid, issuerEVTaken))
		p("money: relays kept %s wei in all: what the clients paid for tickets (%s), less %s wei of cheques and lottery tickets signed and not delivered\n", kept, paid, undelivered)
		if new(big.Int).Add(kept, undelivered).Cmp(paid) != 0 {
			return fmt.Errorf("devnet: relays kept %s wei and %s went undelivered, but the clients paid %s", kept, undelivered, paid)
		}
	}
	res.Cost = costBetween(nw.zero, nw.totals(), len(res.Exchanges)+res.OfflineDelivered)
	res.Cost.ProvidersByLottery = !nw.Opts.PayByCheque
	printCost(res.Cost, p)
	return nil
}

// issuerTicketsAsClaimed returns the expected value of the lottery
// tickets issuers paid provider r with and what their wins were paid; a
// win left unclaimed after the final cashing is an error.
func issuerTicketsAsClaimed(r Relay, e node.Earnings) (taken, winsWei *big.Int, err error) {
	taken, winsWei = new(big.Int), new(big.Int)
	for _, h := range e.IssuerTickets {
		taken.Add(taken, h.Received)
		winsWei.Add(winsWei, h.Claimed)
		if len(h.Pending) > 0 {
			return nil, nil, fmt.Errorf("devnet: %s holds %d winning tickets of issuer %s not claimed", r.Name, len(h.Pending), h.Payer)
		}
	}
	return taken, winsWei, nil
}

// ticketsAsClaimed returns what relay r's lottery tickets were worth, both
// ways, and checks each win it claimed against the vault: the pair's next
// nonce must be past it.
func ticketsAsClaimed(ctx context.Context, nw *Network, r Relay, e node.Earnings) (taken, paid, winsWei *big.Int, wins int, err error) {
	taken, paid, winsWei = new(big.Int), new(big.Int), new(big.Int)
	for _, d := range e.Debts {
		paid.Add(paid, d.TicketsPaid)
	}
	for _, h := range e.Tickets {
		taken.Add(taken, h.Received)
		winsWei.Add(winsWei, h.Claimed)
		if len(h.Pending) > 0 {
			return nil, nil, nil, 0, fmt.Errorf("devnet: %s holds %d winning tickets of %s not claimed", r.Name, len(h.Pending), h.Payer)
		}
	}
	// The cashing loop claims the issuers' wins too.
	all := new(big.Int).Set(winsWei)
	for _, h := range e.IssuerTickets {
		all.Add(all, h.Claimed)
	}
	if e.ClaimedWei != nil && e.ClaimedWei.Cmp(all) != 0 {
		return nil, nil, nil, 0, fmt.Errorf("devnet: %s claimed wins of %s wei, the vault paid %s", r.Name, all, e.ClaimedWei)
	}
	for _, h := range e.Tickets {
		if h.Claimed.Sign() == 0 {
			continue
		}
		next, err := nw.Chain.NextTicketNonce(ctx, h.Payer, r.Operator)
		if err != nil {
			return nil, nil, nil, 0, err
		}
		if next == 0 {
			return nil, nil, nil, 0, fmt.Errorf("devnet: %s claimed %s wei of wins from %s, the vault redeemed none", r.Name, h.Claimed, h.Payer)
		}
	}
	return taken, paid, winsWei, int(e.WinsClaimed), nil
}

// cashedAsPromised checks that the vault paid relay r, from each payer of
// hs, exactly what the payer's latest cheque promised, and returns the
// sums promised and paid and the number of payers.
func cashedAsPromised(ctx context.Context, nw *Network, r Relay, from string, hs []settle.Holding) (promised, cashed *big.Int, n int, err error) {
	promised, cashed = new(big.Int), new(big.Int)
	for _, h := range hs {
		want := h.Latest.CumulativeAmount
		if want == nil || want.Sign() == 0 {
			continue
		}
		onChain, err := nw.Chain.Cashed(ctx, h.Payer, r.Operator)
		if err != nil {
			return nil, nil, 0, err
		}
		if onChain.Cmp(want) != 0 {
			return nil, nil, 0, fmt.Errorf("devnet: %s holds cheques from %s %s for %s wei but the vault paid it %s", r.Name, from, h.Payer, want, onChain)
		}
		promised.Add(promised, want)
		cashed.Add(cashed, onChain)
		n++
	}
	return promised, cashed, n, nil
}

// Reference prices for the cost of settlement (issue 6: "its price at 1
// gwei and 3,000 USD/ETH").
const (
	refGasPriceWei = 1e9
	refUSDPerETH   = 3000
)

// printCost reports what the messages cost their senders, and what
// settling them cost on-chain, as spent in the demo and as bounded at
// steady state (see cost.go).
func printCost(c Cost, p func(string, ...any)) {
	p("money: senders paid %s wei for %d packets (cover included) for %d messages: %.0f wei, %s USD per 1,000 messages at 3,000 USD/ETH\n",
		c.SenderWei, c.SenderPackets, c.Messages, c.SenderWeiPer1000(), usd(WeiUSD(c.SenderWeiPer1000(), refUSDPerETH)))
	p("money: relays passed %s wei on to each other hop by hop: the senders' money, not paid again\n", c.HopWei)
	p("money: on-chain the relays cashed in %d transactions, %d gas: %.0f gas per 1,000 messages here, where everything is cashed at the end\n",
		c.CashTxs, c.CashGas, c.GasPer1000())
	steady := c.SteadyGasPer1000(0, refGasPriceWei)
	how := "the senders' twice, by cheques cashed once worth %d× their gas, and the hop-by-hop tickets, won in wins worth 125× theirs"
	if c.ProvidersByLottery {
		how = "the senders' to the issuer by cheques cashed once worth %d× their gas; the issuer's to the providers and the hop-by-hop money in lottery tickets, won in wins worth 125× theirs"
	}
	p("money: running on, payees claim %.0f wei per 1,000 messages ("+how+"): at most %.3g gas per 1,000 messages, %s USD at 1 gwei and 3,000 USD/ETH\n",
		c.ClaimedWeiPer1000(), settle.DefaultCashGasFactor, steady, usd(USD(steady, refGasPriceWei, refUSDPerETH)))
}
