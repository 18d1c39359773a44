package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/big"
	"net/http"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/urfave/cli/v2"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node"
)

// relayStatus is what a running relay reports at /status on its metrics
// address, and what `murmur relay status` prints.
type relayStatus struct {
	PeerID  string         `json:"peer_id"`
	Epoch   uint64         `json:"epoch"`
	Packets node.Stats     `json:"packets"`
	Loops   node.LoopStats `json:"loops"`
	Scores  []relayScore   `json:"scores"`
	// Earnings are the hop-by-hop accounts; absent when settlement is off.
	Earnings *relayEarnings `json:"earnings,omitempty"`
	// Prepaid is a charging provider's ticket business; absent otherwise.
	Prepaid *relayPrepaid `json:"prepaid,omitempty"`
	// Issuer is an issuer's ticket sales; absent unless the relay sells.
	Issuer *relayIssuer `json:"issuer,omitempty"`
}

// relayPrepaid is what a provider took from its clients and what the
// issuers owe it for the tickets, shown by `murmur relay earnings`.
type relayPrepaid struct {
	node.PrepaidStats
	// IssuerCheques are the latest cheques from each issuer for redeemed
	// tickets (cumulative amounts in wei), cashed like a neighbour's.
	IssuerCheques []account `json:"issuer_cheques"`
	// IssuerTickets are what each issuer paid in lottery tickets.
	IssuerTickets []ticketAccount `json:"issuer_tickets,omitempty"`
}

// relayIssuer is an issuer's current offer.
type relayIssuer struct {
	KeyEpoch  uint64 `json:"key_epoch"`
	Published bool   `json:"published"`
	Packets   uint64 `json:"packets"`
	PriceWei  string `json:"price_wei"` // what a client pays for a ticket
	FeeWei    string `json:"fee_wei"`   // of it, the issuer's fee; providers are paid the rest
	// Sold and Redeemed count orders sold and redemptions paid; Refused
	// the requests refused, by reason.
	Sold     uint64            `json:"sold"`
	Redeemed uint64            `json:"redeemed"`
	Refused  map[string]uint64 `json:"refused,omitempty"`
}

// relayEarnings is what `murmur relay earnings` prints: cheques held from
// neighbours (cashed and pending) and cheques signed to them, in wei.
type relayEarnings struct {
	Held    []account `json:"held"`
	Signed  []account `json:"signed"`
	CashTxs uint64    `json:"cash_txs"`
	CashGas uint64    `json:"cash_gas"`
	// Tickets are what neighbours paid in lottery tickets; WinsClaimed,
	// ClaimedWei and WinsLost what the cashing loop did with the wins.
	Tickets     []ticketAccount `json:"tickets,omitempty"`
	WinsClaimed uint64          `json:"wins_claimed"`
	ClaimedWei  string          `json:"claimed_wei"`
	WinsLost    uint64          `json:"wins_lost"`
}

// ticketAccount is what one neighbour paid in lottery tickets, in wei:
// the expected value of the tickets taken, the winning tickets pending a
// claim and their face value, and the face value claimed.
type ticketAccount struct {
	Counterparty string `json:"counterparty"`
	Expected     string `json:"expected_wei"`
	PendingWins  int    `json:"pending_wins"`
	PendingWei   string `json:"pending_wei"`
	Claimed      string `json:"claimed_wei"`
}

type account struct {
	Counterparty string `json:"counterparty"`
	Cheque       string `json:"cheque"`            // latest cumulative amount
	Cashed       string `json:"cashed,omitempty"`  // held cheques: claimed on-chain
	Pending      string `json:"pending,omitempty"` // held cheques: not claimed yet
	Unsettled    string `json:"unsettled"`         // owed beyond the latest cheque
	Tickets      string `json:"tickets,omitempty"` // signed: expected value paid in lottery tickets
}

// relayScore is the secret shopper's measurement of one relay.
type relayScore struct {
	Relay    string  `json:"relay"` // peer ID
	Loops    int     `json:"loops"` // finished loops through it
	Lost     int     `json:"lost"`
	LossRate float64 `json:"loss_rate"`
	Z        float64 `json:"z"`
	Suspect  bool    `json:"suspect"`
}

func statusOf(n *node.Node) relayStatus {
	st := relayStatus{
		PeerID:  n.Host().ID().String(),
		Epoch:   n.Directory().Epoch(),
		Packets: n.Stats(),
		Loops:   n.Loops(),
	}
	e := n.Earnings()
	if e.Holdings != nil || e.Debts != nil {
		st.Earnings = &relayEarnings{CashTxs: e.CashTxs, CashGas: e.CashGas, WinsClaimed: e.WinsClaimed, WinsLost: e.WinsLost, ClaimedWei: "0"}
		if e.ClaimedWei != nil {
			st.Earnings.ClaimedWei = e.ClaimedWei.String()
		}
		for _, t := range e.Tickets {
			st.Earnings.Tickets = append(st.Earnings.Tickets, ticketAccount{Counterparty: t.Payer.Hex(), Expected: t.Received.String(),
				PendingWins: len(t.Pending), PendingWei: t.PendingWei.String(), Claimed: t.Claimed.String()})
		}
		for _, h := range e.Holdings {
			st.Earnings.Held = append(st.Earnings.Held, account{Counterparty: h.Payer.Hex(), Cheque: h.Latest.CumulativeAmount.String(),
				Cashed: h.Cashed.String(), Pending: h.Pending.String(), Unsettled: h.Unpaid.String()})
		}
		for _, d := range e.Debts {
			st.Earnings.Signed = append(st.Earnings.Signed, account{Counterparty: d.Payee.Hex(), Cheque: d.Latest.CumulativeAmount.String(), Unsettled: d.Unbilled.String(),
				Tickets: d.TicketsPaid.String()})
		}
	}
	if n.Config().Prepaid != nil {
		st.Prepaid = &relayPrepaid{PrepaidStats: n.PrepaidStats()}
		for _, h := range e.Issuers {
			st.Prepaid.IssuerCheques = append(st.Prepaid.IssuerCheques, account{Counterparty: h.Payer.Hex(), Cheque: h.Latest.CumulativeAmount.String(),
				Cashed: h.Cashed.String(), Pending: h.Pending.String(), Unsettled: "0"})
		}
		for _, t := range e.IssuerTickets {
			st.Prepaid.IssuerTickets = append(st.Prepaid.IssuerTickets, ticketAccount{Counterparty: t.Payer.Hex(), Expected: t.Received.String(),
				PendingWins: len(t.Pending), PendingWei: t.PendingWei.String(), Claimed: t.Claimed.String()})
		}
	}
	if is := n.IssuerStatus(); is.Address != (common.Address{}) {
		st.Issuer = &relayIssuer{KeyEpoch: is.KeyEpoch, Published: is.Published, Packets: is.Value.Packets,
			Sold: is.Market.Sold, Redeemed: is.Market.Redeemed, Refused: is.Market.Refused}
		if is.Value.Price != nil {
			st.Issuer.PriceWei = is.Value.SalePrice().String()
			st.Issuer.FeeWei = is.Value.FeeWei().String()
		}
	}
	suspects := n.Suspects()
	for id, sc := range n.Scores() {
		st.Scores = append(st.Scores, relayScore{
			Relay: chain.PeerID(id), Loops: sc.Sent, Lost: sc.Lost, LossRate: sc.LossRate, Z: sc.Z,
			Suspect: slices.Contains(suspects, id),
		})
	}
	slices.SortFunc(st.Scores, func(a, b relayScore) int {
		return cmp.Or(cmp.Compare(b.LossRate, a.LossRate), cmp.Compare(a.Relay, b.Relay))
	})
	return st
}

// shopperCollector exports the secret shopper's scores, one series per
// relay measured.
type shopperCollector struct {
	n                    *node.Node
	loops, lost, suspect *prometheus.Desc
}

func newShopperCollector(n *node.Node) *shopperCollector {
	l := []string{"relay"}
	return &shopperCollector{
		n:       n,
		loops:   prometheus.NewDesc("murmur_shopper_loops", "Finished loops of this relay that went through the relay measured.", l, nil),
		lost:    prometheus.NewDesc("murmur_shopper_loops_lost", "Of those, the loops that did not come back.", l, nil),
		suspect: prometheus.NewDesc("murmur_shopper_suspect", "1 if the relay measured loses significantly more loops than the rest of the network.", l, nil),
	}
}

func (c *shopperCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.loops
	ch <- c.lost
	ch <- c.suspect
}

func (c *shopperCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range statusOf(c.n).Scores {
		suspect := 0.0
		if s.Suspect {
			suspect = 1
		}
		ch <- prometheus.MustNewConstMetric(c.loops, prometheus.GaugeValue, float64(s.Loops), s.Relay)
		ch <- prometheus.MustNewConstMetric(c.lost, prometheus.GaugeValue, float64(s.Lost), s.Relay)
		ch <- prometheus.MustNewConstMetric(c.suspect, prometheus.GaugeValue, suspect, s.Relay)
	}
}

func statusHandler(n *node.Node) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(statusOf(n))
	}
}

// fetchStatus asks the running relay for its status at its metrics address.
func fetchStatus(c *cli.Context) (relayStatus, error) {
	var st relayStatus
	cfg, err := loadConfig(c.String("config"))
	if err != nil {
		return st, err
	}
	if cfg.Metrics == "" {
		return st, fmt.Errorf("the config sets no metrics address; the relay's status and earnings are read from /status there")
	}
	ctx, cancel := context.WithTimeout(c.Context, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+cfg.Metrics+"/status", nil)
	if err != nil {
		return st, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return st, fmt.Errorf("relay not reachable at %s (is murmur relay run running?): %w", cfg.Metrics, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return st, fmt.Errorf("relay at %s answered %s", cfg.Metrics, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return st, fmt.Errorf("relay at %s: bad status: %w", cfg.Metrics, err)
	}
	return st, nil
}

// relayEarningsCmd prints the running relay's hop-by-hop accounts.
func relayEarningsCmd(c *cli.Context) error {
	st, err := fetchStatus(c)
	if err != nil {
		return err
	}
	w := c.App.Writer
	if err := printTickets(w, st); err != nil {
		return err
	}
	if st.Earnings == nil {
		fmt.Fprintln(w, "settlement is off: the relay neither pays nor charges its neighbours")
		return nil
	}
	e := st.Earnings
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "cheques held (wei)\tlatest\tcashed\tpending\tunsettled")
	for _, a := range e.Held {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", a.Counterparty, a.Cheque, a.Cashed, a.Pending, a.Unsettled)
	}
	held, cashed, pending := new(big.Int), new(big.Int), new(big.Int)
	for _, a := range e.Held {
		for _, v := range []struct {
			sum *big.Int
			s   string
		}{{held, a.Cheque}, {cashed, a.Cashed}, {pending, a.Pending}} {
			if x, ok := new(big.Int).SetString(v.s, 10); ok {
				v.sum.Add(v.sum, x)
			}
		}
	}
	fmt.Fprintf(tw, "  total (%d neighbours)\t%s\t%s\t%s\t\n", len(e.Held), held, cashed, pending)
	fmt.Fprintln(tw, "cheques signed (wei)\tlatest\tin tickets\t\tunsettled")
	for _, a := range e.Signed {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t\t%s\n", a.Counterparty, a.Cheque, a.Tickets, a.Unsettled)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(e.Tickets) > 0 {
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "lottery tickets held (wei)\texpected value\twins pending\tpending face value\tclaimed")
		expected, pendingWei, claimed, wins := new(big.Int), new(big.Int), new(big.Int), 0
		for _, a := range e.Tickets {
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\n", a.Counterparty, a.Expected, a.PendingWins, a.PendingWei, a.Claimed)
			wins += a.PendingWins
			for _, v := range []struct {
				sum *big.Int
				s   string
			}{{expected, a.Expected}, {pendingWei, a.PendingWei}, {claimed, a.Claimed}} {
				if x, ok := new(big.Int).SetString(v.s, 10); ok {
					v.sum.Add(v.sum, x)
				}
			}
		}
		fmt.Fprintf(tw, "  total (%d neighbours)\t%s\t%d\t%s\t%s\n", len(e.Tickets), expected, wins, pendingWei, claimed)
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "cash transactions: %d, %d gas; winning tickets claimed: %d for %s wei, %d refused by the vault\n",
		e.CashTxs, e.CashGas, e.WinsClaimed, e.ClaimedWei, e.WinsLost)
	return nil
}

// printTickets prints a provider's prepaid packets and an issuer's offer.
func printTickets(w io.Writer, st relayStatus) error {
	if p := st.Prepaid; p != nil {
		fmt.Fprintf(w, "prepaid packets: charged %d, refused %d unpaid; took %d tickets for %d packets, redeemed %d\n",
			p.Debited, p.Unpaid, p.Tickets, p.Credited, p.Redeemed)
		if len(p.IssuerCheques) > 0 {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "cheques from issuers (wei)\tlatest\tcashed\tpending")
			for _, a := range p.IssuerCheques {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", a.Counterparty, a.Cheque, a.Cashed, a.Pending)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
		}
		if len(p.IssuerTickets) > 0 {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "lottery tickets from issuers (wei)\texpected value\twins pending\tpending face value\tclaimed")
			for _, a := range p.IssuerTickets {
				fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\n", a.Counterparty, a.Expected, a.PendingWins, a.PendingWei, a.Claimed)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(w, "issuer redemptions paid in lottery tickets: %d; receipts sent alone: %d, withheld at the cash limit: %d\n",
				p.TicketPayments, p.ReceiptsSent, p.ReceiptsWithheld)
		}
	}
	if is := st.Issuer; is != nil {
		published := "published on-chain"
		if !is.Published {
			published = "not on-chain yet"
		}
		fmt.Fprintf(w, "issuer: key epoch %d (%s), tickets of %d packets for %s wei (issuer's fee %s wei)\n", is.KeyEpoch, published, is.Packets, is.PriceWei, is.FeeWei)
		fmt.Fprintf(w, "issuer: %d orders sold, %d redemptions paid", is.Sold, is.Redeemed)
		for _, why := range slices.Sorted(maps.Keys(is.Refused)) {
			fmt.Fprintf(w, "; refused %d: %s", is.Refused[why], why)
		}
		fmt.Fprintln(w)
	}
	return nil
}

// relayStatusCmd prints the running relay's packet counts and shopper scores.
func relayStatusCmd(c *cli.Context) error {
	st, err := fetchStatus(c)
	if err != nil {
		return err
	}
	w := c.App.Writer
	fmt.Fprintf(w, "relay %s, epoch %d\n", st.PeerID, st.Epoch)
	p := st.Packets
	fmt.Fprintf(w, "packets: received %d, forwarded %d, delivered %d, cover drops %d\n", p.Received, p.Forwarded, p.Delivered, p.CoverDropped)
	fmt.Fprintf(w, "loops: sent %d, back %d, pending %d, not sent %d\n", st.Loops.Sent, st.Loops.Returned, st.Loops.Pending, st.Loops.Failed)
	if len(st.Scores) == 0 {
		fmt.Fprintln(w, "secret shopper: no finished loops yet")
		return nil
	}
	fmt.Fprintln(w, "secret shopper:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  relay\tloops\tlost\tloss\tz\tverdict")
	for _, s := range st.Scores {
		verdict := "ok"
		if s.Suspect {
			verdict = "SUSPECT: avoided"
		}
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%.1f%%\t%.2f\t%s\n", s.Relay, s.Loops, s.Lost, 100*s.LossRate, s.Z, verdict)
	}
	return tw.Flush()
}
