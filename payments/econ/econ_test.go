package econ_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/murmurnet/murmur/payments/econ"
)

func reference(t *testing.T, name string) (econ.Scenario, econ.Report) {
	t.Helper()
	s, err := econ.Reference(name)
	if err != nil {
		t.Fatal(err)
	}
	r, err := econ.Run(s)
	if err != nil {
		t.Fatal(err)
	}
	return s, r
}

func sender(t *testing.T, r econ.Report, class string) econ.SenderCost {
	t.Helper()
	for _, c := range r.Senders {
		if c.Class == class {
			return c
		}
	}
	t.Fatalf("no sender class %q", class)
	return econ.SenderCost{}
}

// The figures issue 13 asks of the reference network on the L2.
func TestReferenceL2MeetsTheTargets(t *testing.T) {
	_, r := reference(t, "l2")
	if c := sender(t, r, "heavy").USDPer1000Messages; c > 0.0001 {
		t.Errorf("heavy sender pays %.3g USD per 1,000 messages, want ≤ 0.0001 (the stretch target)", c)
	}
	if c := sender(t, r, "idle").USDPerDay; c > 0.003 {
		t.Errorf("an idle client online all day pays %.4g USD a day, want ≤ 0.003", c)
	}
	for _, a := range r.Roles {
		if a.Profit < 0 {
			t.Errorf("%s runs at a loss: %+v", a.Role, a)
		}
		if a.GasShare > 0.01 {
			t.Errorf("%s spends %.2f%% of its revenue on gas, want ≤ 1%%", a.Role, 100*a.GasShare)
		}
		if a.UnclaimedDays > 1 {
			t.Errorf("%s leaves %.2f days of revenue unclaimed, want ≤ 1", a.Role, a.UnclaimedDays)
		}
	}
	if math.Abs(r.MixLoadPerSecond-1000)/1000 > 0.01 {
		t.Errorf("a reference mix receives %.0f packets/s, want about 1,000", r.MixLoadPerSecond)
	}
}

// On mainnet every role still profits and the heavy sender stays under
// 0.001 USD; what gas costs shows instead in the days between claims.
func TestReferenceMainnetStaysProfitable(t *testing.T) {
	_, r := reference(t, "mainnet")
	if c := sender(t, r, "heavy").USDPer1000Messages; c > 0.001 {
		t.Errorf("heavy sender pays %.3g USD per 1,000 messages, want ≤ 0.001", c)
	}
	for _, a := range r.Roles {
		if a.Profit < 0 {
			t.Errorf("%s runs at a loss: %+v", a.Role, a)
		}
	}
	_, l2 := reference(t, "l2")
	if r.Roles[1].DaysPerClaim < 100*l2.Roles[1].DaysPerClaim {
		t.Errorf("a mix claims every %.1f days on mainnet and %.1f on the L2: 200 times the gas price should show", r.Roles[1].DaysPerClaim, l2.Roles[1].DaysPerClaim)
	}
}

// The legacy prices reproduce what the issue found: mixes lose money, the
// issuer too, and an idle client pays dollars a day.
func TestLegacyPricesDoNotAddUp(t *testing.T) {
	s, _ := reference(t, "l2")
	r, err := econ.Run(econ.Legacy(s))
	if err != nil {
		t.Fatal(err)
	}
	if c := sender(t, r, "idle").USDPerDay; c < 1 {
		t.Errorf("idle client pays %.3g USD a day at legacy prices, the issue measured several", c)
	}
	for _, a := range r.Roles[1:] {
		if a.Earned != 0 || a.Profit >= 0 {
			t.Errorf("%s at a flat per-hop price: earned %.2f, profit %.2f; want nothing earned and a loss", a.Role, a.Earned, a.Profit)
		}
	}
}

// Money is conserved: what clients pay for tickets is what the roles keep,
// whatever the prices.
func TestMoneyIsConserved(t *testing.T) {
	for _, name := range econ.References {
		s, r := reference(t, name)
		for _, sc := range []econ.Scenario{s, econ.Legacy(s)} {
			if sc.Name != s.Name {
				var err error
				if r, err = econ.Run(sc); err != nil {
					t.Fatal(err)
				}
			}
			var paid, kept float64
			for i, c := range r.Senders {
				paid += c.TicketUSDPerDay * float64(sc.Classes[i].Clients) * econ.DaysPerMonth
			}
			for _, a := range r.Roles {
				kept += a.Earned * float64(a.Count)
			}
			if math.Abs(paid-kept) > 1e-9*paid {
				t.Errorf("%s: clients pay %.6f USD a month, roles keep %.6f", sc.Name, paid, kept)
			}
		}
	}
}

// Cost-based prices give each role its margin over its costs, within the
// rounding up to whole wei.
func TestCostPricesGiveEachRoleItsMargin(t *testing.T) {
	s, r := reference(t, "l2")
	for _, a := range r.Roles {
		want := s.Costs.Margin * a.Cost
		if a.Profit < want || a.Profit > want*1.001 {
			t.Errorf("%s: profit %.6f USD, want its margin %.6f (cost %.6f)", a.Role, a.Profit, want, a.Cost)
		}
	}
	hop := s.Prices.HopWei
	for k := 1; k < len(hop); k++ {
		if hop[k-1] <= hop[k] {
			t.Errorf("per-hop prices %v: a hop should cost more the more hops it pays for", hop)
		}
	}
	// Twice the load spreads the same servers over twice the packets.
	busy := s
	busy.Classes = append([]econ.Class(nil), s.Classes...)
	for i := range busy.Classes {
		busy.Classes[i].Clients *= 2
	}
	p, err := econ.CostPrices(busy)
	if err != nil {
		t.Fatal(err)
	}
	if ratio := p.HopWei[0] / hop[0]; ratio < 0.45 || ratio > 0.55 {
		t.Errorf("at twice the load the first hop's price is %.3f of before, want about half", ratio)
	}
}

// A network small enough to work out by hand: one provider, one mix, a
// client sending 1 packet a second without cover.
func TestHandWorkedNetwork(t *testing.T) {
	s := econ.Scenario{
		Name:     "by hand",
		Shape:    econ.Shape{Providers: 1, Layers: 1, MixesPerLayer: 1, Issuers: 1},
		Classes:  []econ.Class{{Name: "one", Clients: 1, OnlineHours: 24, MessagesPerDay: econ.SecondsPerDay, NoCover: true}},
		Costs:    econ.Costs{Mix: econ.Server{USDPerMonth: 1}, PacketBytes: 1e6},
		Chain:    econ.Chain{GasPriceGwei: 1, USDPerETH: 1e9, Gas: econ.Gas{Cash: 1000}}, // 1 gas = 1 USD, 1 wei = 1e-9 USD
		Prices:   econ.Prices{TicketPriceWei: 1000, TicketPackets: 1, IssuerFeeWei: 100, HopWei: []float64{300, 200}, KeyEpochDays: 1},
		Payments: econ.Payments{GasFactor: 1e6},
	}
	r, err := econ.Run(s)
	if err != nil {
		t.Fatal(err)
	}
	month := float64(econ.SecondsPerMonth) * 1e-9 // USD a month of 1 wei a second
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	prov, mix, iss := r.Roles[0], r.Roles[1], r.Roles[2]
	near("charged packets/s", r.PacketsPerSecond, 1)
	near("provider revenue", prov.Revenue, (900+200)*month) // redeemed tickets + the mix's payments
	near("provider paid", prov.Paid, 300*month)
	near("mix earned", mix.Earned, 100*month)
	near("mix profit", mix.Profit, 100*month-1-mix.Gas)
	near("issuer earned", iss.Earned, 100*month)
	near("provider packets in", prov.PacketsPerSecond, 2) // from the client, and from the mix
	near("provider TB out", prov.OutTBPerMonth, 2*econ.SecondsPerMonth*1e6/1e12)
	// The mix's cheque from the provider is cashed at 1e6 × 1000 gas =
	// 1e9 gas = 1e9 USD: a month's 300 wei a second never gets there.
	near("mix cash transactions", mix.TxPerMonth, 300*month/1e9)
	near("mix gas", mix.Gas, 300*month/1e9*1000)
	c := r.Senders[0]
	near("sender USD/day", c.USDPerDay, 1000*econ.SecondsPerDay*1e-9)
	near("sender USD/1k", c.USDPer1000Messages, 1000*1000*1e-9)

	// The mix's loops, one a second, go to the provider and back: the mix
	// pays the provider 200 wei and is paid 300 by it.
	s.Cover.LambdaM = 1
	if r, err = econ.Run(s); err != nil {
		t.Fatal(err)
	}
	near("provider earned with loops", r.Roles[0].Earned, (900+200-300)*month-100*month)
	near("mix earned with loops", r.Roles[1].Earned, 100*month+100*month)
	near("mix packets in with loops", r.Roles[1].PacketsPerSecond, 2)
	near("provider packets in with loops", r.Roles[0].PacketsPerSecond, 3)
}

func TestCoverAndSaturation(t *testing.T) {
	s, _ := reference(t, "l2")
	s.Classes = []econ.Class{
		{Name: "chatty", Clients: 1, OnlineHours: 1, MessagesPerDay: 1e6},
		{Name: "half", Clients: 1, OnlineHours: 12},
		{Name: "direct", Clients: 1, OnlineHours: 1, MessagesPerDay: 3600, NoCover: true, PacketsPerMessage: 2},
	}
	r, err := econ.Run(s)
	if err != nil {
		t.Fatal(err)
	}
	cv := s.Cover
	perOnlineSecond := cv.LambdaP + cv.LambdaL + cv.LambdaD
	if c := r.Senders[0]; !c.Saturated || c.MessagesPerDay != cv.LambdaP*3600 {
		t.Errorf("a client asking for more than λP gets %+v, want saturated at λP", c)
	}
	if c := r.Senders[1]; c.PacketsPerDay != perOnlineSecond*12*3600 || c.MessagesPerDay != 0 {
		t.Errorf("half a day online sends %+v", c)
	}
	if c := r.Senders[2]; c.PacketsPerDay != 7200 || c.MessagesPerDay != 3600 {
		t.Errorf("no cover, two packets a message: %+v", c)
	}
}

func TestBadScenarios(t *testing.T) {
	s, _ := reference(t, "l2")
	for name, spoil := range map[string]func(*econ.Scenario){
		"no providers":       func(s *econ.Scenario) { s.Shape.Providers = 0 },
		"negative rate":      func(s *econ.Scenario) { s.Cover.LambdaL = -1 },
		"NaN server":         func(s *econ.Scenario) { s.Costs.Mix.USDPerMonth = math.NaN() },
		"no classes":         func(s *econ.Scenario) { s.Classes = nil },
		"25 hours online":    func(s *econ.Scenario) { s.Classes = []econ.Class{{Name: "x", OnlineHours: 25}} },
		"fee above price":    func(s *econ.Scenario) { s.Prices.IssuerFeeWei = s.Prices.TicketPriceWei + 1 },
		"prices per layer":   func(s *econ.Scenario) { s.Prices.HopWei = s.Prices.HopWei[:2] },
		"gas factor below 1": func(s *econ.Scenario) { s.Payments.GasFactor = 0.5 },
		"batch of none":      func(s *econ.Scenario) { s.Payments.Batch = 0 },
		"free gas":           func(s *econ.Scenario) { s.Chain.GasPriceGwei = 0 },
		"no packets":         func(s *econ.Scenario) { s.Prices.TicketPackets = 0 },
		"offline sender":     func(s *econ.Scenario) { s.Classes = []econ.Class{{Name: "x", MessagesPerDay: 1}} },
	} {
		bad := s
		bad.Classes = append([]econ.Class(nil), s.Classes...)
		bad.Prices.HopWei = append([]float64(nil), s.Prices.HopWei...)
		spoil(&bad)
		if _, err := econ.Run(bad); !errors.Is(err, econ.ErrScenario) {
			t.Errorf("%s: Run = %v, want ErrScenario", name, err)
		}
	}
	if _, err := econ.Reference("sepolia"); !errors.Is(err, econ.ErrScenario) {
		t.Errorf("an unknown reference: %v", err)
	}
	idle := s
	idle.Classes = []econ.Class{{Name: "gone", Clients: 0, OnlineHours: 24}}
	idle.Cover.LambdaM = 0
	if _, err := econ.CostPrices(idle); err == nil {
		t.Error("prices for a network without traffic")
	}
}

// A report survives JSON both ways, and its table names every role and class.
func TestReportJSONAndTable(t *testing.T) {
	_, r := reference(t, "l2")
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back econ.Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	again, err := econ.Run(back.Scenario)
	if err != nil {
		t.Fatal(err)
	}
	if again.Roles[2].Profit != r.Roles[2].Profit || again.Senders[0].USDPerDay != r.Senders[0].USDPerDay {
		t.Error("the scenario read back from JSON gives other figures")
	}
	table := r.Table()
	for _, want := range []string{"provider", "mix L1", "mix L3", "issuer", "heavy", "typical", "idle", "lottery"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
}

// The defaults are the reference's prices, and for another number of
// layers the model's prices for it: a hop more to pay for makes the first
// hop dearer.
func TestDefaultPrices(t *testing.T) {
	s, _ := reference(t, "l2")
	p, err := econ.DefaultPrices(3)
	if err != nil || p.TicketPriceWei != s.Prices.TicketPriceWei || len(p.HopWei) != 4 {
		t.Fatalf("DefaultPrices(3) = %+v, %v; want the reference's %+v", p, err, s.Prices)
	}
	w := p.HopPricesWei()
	if len(w) != 4 || w[0].Int64() != int64(p.HopWei[0]) || w[3].Int64() != int64(p.HopWei[3]) {
		t.Fatalf("HopPricesWei = %v for %v", w, p.HopWei)
	}
	p5, err := econ.DefaultPrices(5)
	if err != nil || len(p5.HopWei) != 6 || p5.HopWei[0] <= p.HopWei[0] || p5.TicketPriceWei <= p.TicketPriceWei {
		t.Fatalf("DefaultPrices(5) = %+v, %v", p5, err)
	}
	if _, err := econ.DefaultPrices(0); !errors.Is(err, econ.ErrScenario) {
		t.Fatalf("DefaultPrices(0): %v", err)
	}
}

// The relays' face value is the model's: at the reference L2 gas price it
// is the FaceValueUSD the model reports for a mix.
func TestFaceValueWeiMatchesModel(t *testing.T) {
	s, err := econ.Reference("l2")
	if err != nil {
		t.Fatal(err)
	}
	r, err := econ.Run(s)
	if err != nil {
		t.Fatal(err)
	}
	gasWei := econ.Wei(s.Chain.GasPriceGwei * 1e9)
	face, _ := new(big.Float).SetInt(econ.FaceValueWei(gasWei)).Float64()
	usd := face / 1e18 * s.Chain.USDPerETH
	compared := 0
	for _, a := range r.Roles {
		if a.FaceValueUSD == 0 {
			continue
		}
		compared++
		if d := usd/a.FaceValueUSD - 1; d > 1e-6 || d < -1e-6 {
			t.Errorf("%s: model face value %.6f USD, relays' %.6f USD", a.Role, a.FaceValueUSD, usd)
		}
	}
	if compared == 0 {
		t.Fatal("no role of the reference is paid by lottery")
	}
	if econ.FaceValueWei(nil).Cmp(big.NewInt(1)) != 0 {
		t.Error("no gas price: want 1 wei")
	}
}
