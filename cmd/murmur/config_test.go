package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/cover"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/payments/econ"
	"github.com/murmurnet/murmur/payments/settle"
)

const baseConfig = `data_dir = "d"
rpc = "http://127.0.0.1:8545"
[contracts]
registry = "0x0000000000000000000000000000000000000001"
vault = "0x0000000000000000000000000000000000000002"
tickets = "0x0000000000000000000000000000000000000003"
`

func writeConfig(t *testing.T, extra string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "c.toml")
	content := baseConfig + extra
	if !strings.HasPrefix(extra, "[") {
		content = extra + baseConfig // a top-level key, before the first table
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCoverConfig(t *testing.T) {
	c, err := loadConfig(writeConfig(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.rates()
	if err != nil || r != cover.DefaultRates() || c.Cover.set {
		t.Fatalf("defaults: %+v %v set=%v", r, err, c.Cover.set)
	}
	c, err = loadConfig(writeConfig(t, "[cover]\nlambda_p = 5\nlambda_m = 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, _ = c.rates()
	want := cover.DefaultRates()
	want.LambdaP, want.LambdaM = 5, 3
	if r != want || !c.Cover.set {
		t.Fatalf("got %+v, want %+v", r, want)
	}
	for extra, msg := range map[string]string{
		"[cover]\nlambda_p = -1\n":  "invalid rates",
		"[cover]\nlambda_q = 1\n":   "unknown keys",
		"mean_delay = \"-5ms\"\n":   "invalid rates",
		"mean_delay = \"fifty\"\n":  "invalid duration",
		"[cover]\nlambda_l = 1e9\n": "invalid rates",
	} {
		if _, err := loadConfig(writeConfig(t, extra)); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: error %v, want %q", extra, err, msg)
		}
	}
}

func TestPaymentsConfig(t *testing.T) {
	c, err := loadConfig(writeConfig(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	p := c.Payments
	if p.chequeEvery() != 200 || p.refuseAbove() != 600 || p.cashEvery() != time.Minute || p.PerHopPriceWei.Int().Sign() != 0 || p.CashAboveWei.Int().Sign() != 0 || p.cashGasFactor() != settle.DefaultCashGasFactor {
		t.Fatalf("defaults: cheque_every %d refuse_above %d cash_every %s price %s cash_above %s",
			p.chequeEvery(), p.refuseAbove(), p.cashEvery(), p.PerHopPriceWei.Int(), p.CashAboveWei.Int())
	}
	// Prices default to the cost model's, for the network's layers.
	model, err := econ.DefaultPrices(c.Layers)
	if err != nil {
		t.Fatal(err)
	}
	hops, err := p.hopPrices(c.Layers)
	if err != nil || hops.String() != pki.HopPrices(model.HopPricesWei()).String() {
		t.Fatalf("default hop prices %v (%v), the model's %v", hops, err, model.HopWei)
	}
	price, packets, err := c.Issuer.ticket(c.Layers)
	if err != nil || packets != uint64(model.TicketPackets) || price.Cmp(econ.Wei(model.TicketPriceWei)) != 0 {
		t.Fatalf("default ticket: %d packets for %v wei (%v), the model's %+v", packets, price, err, model)
	}
	c, err = loadConfig(writeConfig(t, "[issuer]\nticket_packets = 500\n"))
	if err != nil {
		t.Fatal(err)
	}
	if price, packets, _ := c.Issuer.ticket(c.Layers); packets != 500 || price.Cmp(econ.Wei(model.TicketPriceWei/2)) != 0 {
		t.Fatalf("500 packets at the model's price: %v wei", price)
	}
	c, err = loadConfig(writeConfig(t, "[payments]\nper_hop_price_wei = 1000000000\nhop_prices_wei = [4, 3, 2, \"1\"]\ncheque_every = 50\ncash_every = \"10s\"\n"+
		"cash_above_wei = \"100000000000000000000\"\ncash_gas_factor = 500\nfree = true\n[issuer]\nticket_price_wei = \"10000000000000\"\nticket_packets = 1000\n"))
	if err != nil {
		t.Fatal(err)
	}
	p = c.Payments
	if p.PerHopPriceWei.Int().Int64() != 1e9 || p.chequeEvery() != 50 || p.refuseAbove() != 150 || p.cashEvery() != 10*time.Second ||
		p.CashAboveWei.Int().String() != "100000000000000000000" || p.cashGasFactor() != 500 || !p.Free {
		t.Fatalf("got %+v", p)
	}
	if price, packets, err := c.Issuer.ticket(c.Layers); err != nil || price.Int64() != 1e13 || packets != 1000 {
		t.Fatalf("issuer: %+v", c.Issuer)
	}
	if hops, err := p.hopPrices(c.Layers); err != nil || hops.String() != "4,3,2,1" {
		t.Fatalf("hop prices %v, %v", hops, err)
	}
	for extra, msg := range map[string]string{
		"[payments]\nper_hop_price_wei = -1\n":                                                           "is negative",
		"[payments]\nper_hop_price_wei = \"1 gwei\"\n":                                                   "not an amount of wei",
		"[payments]\nper_hop_price_wei = 1.5\n":                                                          "not an amount of wei",
		"[payments]\ncheque_every = -3\n":                                                                "cheque_every must be a positive",
		"[payments]\ncheque_every = 100\nrefuse_above = 100\n":                                           "refuse_above (100) must exceed cheque_every (100)",
		"[payments]\nrefuse_above = 150\n":                                                               "refuse_above (150) must exceed cheque_every (200)",
		"[payments]\ncash_every = \"-1m\"\n":                                                             "cash_every must be positive",
		"[payments]\ncash_gas_factor = -2\n":                                                             "cash_gas_factor must be a positive",
		"[payments]\ncash_every = \"often\"\n":                                                           "invalid duration",
		"[payments]\ncheque_evry = 3\n":                                                                  "unknown keys",
		"[payments]\nhop_prices_wei = [3, 2, 1]\n":                                                       "hop_prices_wei has 3 prices for 3 layers",
		"[payments]\nhop_prices_wei = [4, 3, -2, 1]\n":                                                   "is negative",
		"[issuer]\nticket_price_wei = 0\nticket_packets = 1\n":                                           "[issuer] ticket_price_wei must be positive",
		"[issuer]\nticket_price_wei = 10\nticket_packets = -1\n":                                         "ticket_packets must be a positive",
		"[issuer]\nticket_price_wei = \"340282366920938463463374607431768211456\"\nticket_packets = 1\n": "more than 2^128-1 wei",
	} {
		if _, err := loadConfig(writeConfig(t, extra)); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: error %v, want %q", extra, err, msg)
		}
	}
}

// TestRelayPaymentsOff checks what a relay run without --password-file
// says, and that a paid issuer needs its [issuer] section, without a chain.
func TestRelayPaymentsOff(t *testing.T) {
	c, err := loadConfig(writeConfig(t, "[payments]\nper_hop_price_wei = 5\n"))
	if err != nil {
		t.Fatal(err)
	}
	nc := node.Config{Roles: chain.RoleProvider | chain.RoleIssuer}
	line := c.applyPayments(&nc, nil, nil)
	for _, want := range []string{"payments off (no --password-file)", "clients send for free", "sells no tickets"} {
		if !strings.Contains(line, want) {
			t.Errorf("line %q lacks %q", line, want)
		}
	}
	if nc.Settlement != nil || nc.Prepaid != nil || nc.Issuing != nil || nc.PerHopPriceWei != "" {
		t.Errorf("payments on without a key: %+v", nc)
	}
}
