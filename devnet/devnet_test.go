package devnet

import (
	"bytes"
	"context"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node/cover"
	"github.com/murmurnet/murmur/payments/econ"
)

// TestRunDeliversAndPays runs the whole devnet on the embedded chain: relays
// registered and running on libp2p, messages both ways through 5 hops, one
// answer through a reply block, cheques cashed.
func TestRunDeliversAndPays(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out bytes.Buffer
	res, err := Run(ctx, Options{Out: &out, EpochLength: 5 * time.Second, Messages: 2})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if res.ActiveOnChain != 9 || len(res.Relays) != 9 {
		t.Fatalf("active %d, relays %d, want 9 (2 providers + 3x2 mixes + 1 issuer)", res.ActiveOnChain, len(res.Relays))
	}
	if got := len(res.Topology.Issuers); got != 1 {
		t.Fatalf("%d issuers in the topology", got)
	}
	if got := len(res.Topology.Providers); got != 2 {
		t.Fatalf("%d providers in the topology", got)
	}
	for i, l := range res.Topology.Layers {
		if len(l) != 2 {
			t.Fatalf("layer %d has %d mixes", i+1, len(l))
		}
	}
	// 2 each way, the long message, and the reply.
	if len(res.Exchanges) != 6 || !res.Exchanges[5].Reply {
		t.Fatalf("exchanges: %+v", res.Exchanges)
	}
	var forwarded, delivered uint64
	for _, r := range res.Relays {
		s := r.Node.Stats()
		forwarded += s.Forwarded
		delivered += s.Delivered
	}
	// Every packet crosses 4 links (5 for a reply through a SURB, which leaves its provider
	// unopened). The restarted provider's counters start again from zero.
	if delivered == 0 || forwarded < 4*delivered {
		t.Fatalf("delivered %d packets, forwarded %d", delivered, forwarded)
	}
	staked := new(big.Int)
	for _, r := range res.Relays {
		staked.Add(staked, r.Stake)
	}
	if res.StakeOnChain.Cmp(staked) != 0 {
		t.Fatalf("registry holds %s, relays staked %s", res.StakeOnChain, staked)
	}
	cashed := new(big.Int)
	for _, p := range res.Payments {
		if p.Cashed.Cmp(p.Promised) != 0 {
			t.Fatalf("provider cashed %s of %s promised", p.Cashed, p.Promised)
		}
		cashed.Add(cashed, p.Cashed)
	}
	// Read before any traffic: the clients' 2 ETH and the relays' deposits, less what the providers cashed.
	deposits := new(big.Int).Mul(relayDeposit, big.NewInt(int64(len(res.Relays))))
	if want := new(big.Int).Sub(new(big.Int).Add(chain.Ether(2), deposits), cashed); res.VaultOnChain.Cmp(want) != 0 {
		t.Fatalf("vault holds %s, want %s", res.VaultOnChain, want)
	}
	// Hop-by-hop: every relay was paid on-chain what its neighbours' cheques
	// promised (Run checks each pair against the vault), and the totals agree.
	if len(res.Money) != len(res.Relays) {
		t.Fatalf("money report for %d relays", len(res.Money))
	}
	// Relays pay by lottery ticket: what they took and paid is the
	// tickets' expected value; the cheques among them were cashed in full.
	byCheque, hopCashed, earned, paid := new(big.Int), new(big.Int), new(big.Int), new(big.Int)
	for _, m := range res.Money {
		byCheque.Add(byCheque, m.Earned)
		hopCashed.Add(hopCashed, m.Cashed)
		earned.Add(earned, m.Earned)
		earned.Add(earned, m.TicketsEV)
		paid.Add(paid, m.Paid)
		paid.Add(paid, m.TicketsPaid)
	}
	if earned.Sign() == 0 || byCheque.Cmp(hopCashed) != 0 || paid.Cmp(earned) < 0 {
		t.Fatalf("relays earned %s (%s by cheque), cashed %s, paid %s", earned, byCheque, hopCashed, paid)
	}
	if res.OfflineDelivered != 3 {
		t.Fatalf("offline receiver found %d of 3 messages after the provider restart", res.OfflineDelivered)
	}
	// Tickets: each client account paid the issuer for what it bought, the
	// issuer's books agree, the clients spent tickets, a client without any
	// was refused, and the providers were paid by the issuer for what their
	// clients spent.
	if len(res.Tickets) != 2 {
		t.Fatalf("ticket accounts %+v", res.Tickets)
	}
	// The issuer sells at the cost model's prices.
	model, err := econ.DefaultPrices(3)
	if err != nil {
		t.Fatal(err)
	}
	ticketPrice, ticketPackets := econ.Wei(model.TicketPriceWei), uint64(model.TicketPackets)
	for _, a := range res.Tickets {
		price := new(big.Int).Mul(big.NewInt(int64(a.Bought)), ticketPrice)
		if a.Bought < stockTickets || a.PaidWei.Cmp(price) != 0 || a.IssuerBooked.Cmp(a.PaidWei) != 0 || a.HandedOut == 0 {
			t.Fatalf("%s bought %d tickets, paid %s wei (price %s), the issuer books %s, handed out %d", a.Client, a.Bought, a.PaidWei, price, a.IssuerBooked, a.HandedOut)
		}
	}
	for _, l := range res.Links {
		if l.Payments.TicketsSpent == 0 || l.Payments.PacketsCredited != l.Payments.TicketsSpent*ticketPackets {
			t.Fatalf("%s's payments %+v", l.Client, l.Payments)
		}
		// What the client paid is its charged packets at the ticket price,
		// and the cost model, told how long it was online and what it sent,
		// expects as many packets as a Poisson process of the cover rates
		// sends in that time: the count may differ from it by chance, but
		// not by more than four standard deviations (and a packet or two
		// for the start and end of the cover).
		want := new(big.Int).Mul(new(big.Int).SetUint64(l.Charged), ticketPrice)
		want.Quo(want, new(big.Int).SetUint64(ticketPackets))
		if l.Messages == 0 || l.PaidWei.Cmp(want) != 0 {
			t.Fatalf("%s sent %d messages and paid %s wei for %d packets; want %s", l.Client, l.Messages, l.PaidWei, l.Charged, want)
		}
		if expect := l.Model.PacketsPerDay; math.Abs(float64(l.Charged)-expect) > 4*math.Sqrt(expect)+2 {
			t.Errorf("%s was charged %d packets in %s; the model expects %.1f", l.Client, l.Charged, l.Online, expect)
		}
	}
	if !strings.Contains(res.UnpaidRefusal, "no prepaid packets left") {
		t.Fatalf("a client without tickets was told %q", res.UnpaidRefusal)
	}
	redeemed := new(big.Int)
	// A provider is paid the ticket's price less the issuer's fee (ADR 0010).
	fee := model.FeeFor(ticketPrice)
	payout := new(big.Int).Sub(ticketPrice, fee)
	if fee.Sign() <= 0 || payout.Sign() <= 0 {
		t.Fatalf("the model's fee on a ticket of %s wei is %s", ticketPrice, fee)
	}
	for _, r := range res.Redemptions {
		// Tickets counts since the provider's last restart; the cheque is cumulative.
		least := new(big.Int).Mul(big.NewInt(int64(r.Tickets)), payout)
		if r.Paid.Cmp(r.Owed) != 0 || r.Paid.Cmp(least) < 0 || new(big.Int).Mod(r.Paid, payout).Sign() != 0 {
			t.Fatalf("%s redeemed %d tickets for %s wei; the issuer owes it %s", r.Provider, r.Tickets, r.Paid, r.Owed)
		}
		// The issuer pays in lottery tickets by default, each acknowledged.
		if r.Tickets > 0 && (r.LotteryTickets == 0 || r.ByTicket.Sign() == 0 || r.Receipted.Cmp(r.Paid) != 0) {
			t.Errorf("%s: %d lottery tickets worth %s wei, %s acknowledged", r.Provider, r.LotteryTickets, r.ByTicket, r.Receipted)
		}
		redeemed.Add(redeemed, r.Paid)
	}
	// Every provider forwarded its clients' packets, so each paid its
	// first layer (by lottery ticket), even the one restarted for carol: settling up
	// pays what was owed before a restart too.
	for _, m := range res.Money[:2] {
		if m.Paid.Sign() == 0 && m.TicketsPaid.Sign() == 0 {
			t.Errorf("%s paid its neighbours nothing", m.Name)
		}
	}
	if redeemed.Sign() == 0 {
		t.Fatalf("no ticket redeemed: %+v", res.Redemptions)
	}
	for _, s := range []string{"deployed RelayRegistry", "topology of epoch", "alice → bob", "reply block", "carol back online", "mallory (no tickets)", "tickets: client1 paid",
		"alice paid for", "the cost model says", "relays kept", "senders paid"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("report lacks %q:\n%s", s, out.String())
		}
	}
}

func TestNetworkParamsAnnounceCoverRates(t *testing.T) {
	p := networkParams(Options{MeanDelay: 80 * time.Millisecond})
	r, err := cover.ParseParams(p)
	if err != nil {
		t.Fatal(err)
	}
	if r.Mu != 80*time.Millisecond || r.LambdaP != cover.DefaultRates().LambdaP {
		t.Fatalf("announced %+v", r)
	}
}
