package main

import (
	"os"
	"strings"
	"testing"

	"github.com/murmurnet/murmur/node/cover"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/econ"
	"github.com/murmurnet/murmur/payments/settle"
	"github.com/murmurnet/murmur/sphinx"
)

// The cost model's reference network is the network this code runs: its
// rates, packet size and gas are the code's, not copies gone stale.
func TestEconReferenceIsTheCode(t *testing.T) {
	s, err := econ.Reference("l2")
	if err != nil {
		t.Fatal(err)
	}
	d := cover.DefaultRates()
	if want := (econ.Cover{LambdaP: d.LambdaP, LambdaL: d.LambdaL, LambdaD: d.LambdaD, LambdaM: d.LambdaM}); s.Cover != want {
		t.Errorf("reference cover %+v, node/cover's defaults %+v", s.Cover, want)
	}
	if want := float64(wire.EpochSize + sphinx.DefaultGeometry().PacketSize()); s.Costs.PacketBytes != want {
		t.Errorf("reference packet of %v bytes, the wire carries %v", s.Costs.PacketBytes, want)
	}
	if s.Chain.Gas.Cash != settle.DefaultCashGas {
		t.Errorf("reference cash gas %v, settle.DefaultCashGas %v", s.Chain.Gas.Cash, settle.DefaultCashGas)
	}
}

// The operator's guide shows the default prices the code uses.
func TestOperatorGuideShowsDefaultPrices(t *testing.T) {
	b, err := os.ReadFile("../../docs/operator.md")
	if err != nil {
		t.Fatal(err)
	}
	p, err := econ.DefaultPrices(pki.DefaultLayers)
	if err != nil {
		t.Fatal(err)
	}
	hops := strings.ReplaceAll(pki.HopPrices(p.HopPricesWei()).String(), ",", ", ")
	for _, want := range []string{"hop_prices_wei = [" + hops + "]", "ticket_price_wei = " + econ.Wei(p.TicketPriceWei).String(),
		"issuer_fee_wei = " + p.FeeFor(econ.Wei(p.TicketPriceWei)).String(),
		// the face value the comment gives for the reference L2's gas price
		"ticket_face_wei = " + econ.FaceValueWei(econ.Wei(econ.RefL2GasGwei*1e9)).String()} {
		if !strings.Contains(string(b), want) {
			t.Errorf("docs/operator.md lacks %q", want)
		}
	}
}
