package econ

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// Table renders the report for a terminal: the scenario in brief, what
// each kind of sender pays, and each role's month in USD.
func (r Report) Table() string {
	s := r.Scenario
	var b strings.Builder
	fmt.Fprintf(&b, "%s: gas %g gwei, ETH %g USD\n", s.Name, s.Chain.GasPriceGwei, s.Chain.USDPerETH)
	fmt.Fprintf(&b, "network: %d providers, %d layers of %d mixes, %d issuer(s); clients send %.0f packets/s (cover included), a mix receives %.0f\n",
		s.Shape.Providers, s.Shape.Layers, s.Shape.MixesPerLayer, s.Shape.Issuers, r.PacketsPerSecond, r.MixLoadPerSecond)
	hops := make([]string, len(s.Prices.HopWei))
	for k, v := range s.Prices.HopWei {
		to := "provider"
		if k < s.Shape.Layers {
			to = fmt.Sprintf("L%d", k+1)
		}
		hops[k] = fmt.Sprintf("%s %.0f", to, v)
	}
	fmt.Fprintf(&b, "prices: a ticket of %.0f packets costs %.0f wei, the issuer keeps %.0f; per packet handed to (wei): %s\n",
		s.Prices.TicketPackets, s.Prices.TicketPriceWei, s.Prices.IssuerFeeWei, strings.Join(hops, ", "))
	if p := s.Payments; p.Lottery {
		fmt.Fprintf(&b, "payments: lottery tickets worth %g× the gas of a win, redeemed %d per transaction\n", p.GasFactor, p.Batch)
	} else {
		fmt.Fprintf(&b, "payments: cheques, cashed once worth %g× their gas\n", p.GasFactor)
	}

	b.WriteString("\nsenders (USD)\n")
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "class\tclients\tpackets/day\tmessages/day\tper day\tof it gas\tper 1,000 messages\t")
	for i, c := range r.Senders {
		per1000 := "-"
		if c.MessagesPerDay > 0 {
			per1000 = usd(c.USDPer1000Messages)
		}
		fmt.Fprintf(w, "%s\t%d\t%.0f\t%.0f\t%s\t%s\t%s\t\n", c.Class, s.Classes[i].Clients, c.PacketsPerDay, c.MessagesPerDay,
			usd(c.USDPerDay), usd(c.GasUSDPerDay), per1000)
	}
	w.Flush()

	b.WriteString("\nroles: one operator's month (USD)\n")
	w = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "role\tcount\tpackets/s\trevenue\tpaid on\tearned\tserver\ttraffic\tcapital\tgas\tprofit\tgas/revenue\ttx\tdays/claim\tunclaimed days\t")
	for _, a := range r.Roles {
		fmt.Fprintf(w, "%s\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f%%\t%.1f\t%.2f\t%.2f\t\n",
			a.Role, a.Count, a.PacketsPerSecond, a.Revenue, a.Paid, a.Earned, a.Server, a.Bandwidth, a.Capital, a.Gas,
			a.Profit, 100*a.GasShare, a.TxPerMonth, a.DaysPerClaim, a.UnclaimedDays)
	}
	w.Flush()
	fmt.Fprintf(&b, "\non-chain: %.0f transactions and %.1f M gas a month for the whole network\n", r.TxPerMonth, r.GasPerMonth/1e6)
	return b.String()
}

// usd prints an amount with enough digits to tell small ones apart.
func usd(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 0.01:
		return fmt.Sprintf("%.4f", v)
	}
	return fmt.Sprintf("%.3g", v)
}
