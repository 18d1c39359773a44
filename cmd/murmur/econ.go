package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/murmurnet/murmur/payments/econ"
)

func econCommand() *cli.Command {
	return &cli.Command{
		Name:  "econ",
		Usage: "what senders pay and relays earn, from the cost model",
		Description: "Runs the cost model (package payments/econ, docs/economics.md) on a reference network\n" +
			"or on a scenario file, and prints what each kind of sender pays per day and per 1,000\n" +
			"messages, and each role's month: revenue, costs, gas and profit. Prices are derived from\n" +
			"costs unless --prices says otherwise. --json prints the report, scenario included; its\n" +
			"\"scenario\" object, edited, is what --scenario reads.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "network", Value: "l2", Usage: "reference network: " + strings.Join(econ.References, " or ")},
			&cli.StringFlag{Name: "scenario", Usage: "a JSON scenario file instead of a reference network"},
			&cli.StringFlag{Name: "prices", Value: "cost", Usage: "cost (derived from the costs at this load and gas price), reference (the reference network's, unchanged), legacy (Murmur's flat prices before issue 13), or file (as in --scenario)"},
			&cli.Float64Flag{Name: "gas-gwei", Usage: "gas price, instead of the network's"},
			&cli.Float64Flag{Name: "eth-usd", Usage: "ETH price in USD, instead of the network's"},
			&cli.Float64Flag{Name: "load", Value: 1, Usage: "multiply every class's clients by this"},
			&cli.BoolFlag{Name: "json", Usage: "print the report as JSON"},
		},
		Action: func(c *cli.Context) error {
			s, err := econScenario(c)
			if err != nil {
				return cli.Exit("econ: "+err.Error(), 2)
			}
			r, err := econ.Run(s)
			if err != nil {
				return cli.Exit("econ: "+err.Error(), 2)
			}
			if c.Bool("json") {
				enc := json.NewEncoder(c.App.Writer)
				enc.SetIndent("", "  ")
				return enc.Encode(r)
			}
			_, err = fmt.Fprint(c.App.Writer, r.Table())
			return err
		},
	}
}

// econScenario is the scenario the flags describe.
func econScenario(c *cli.Context) (econ.Scenario, error) {
	var s econ.Scenario
	if path := c.String("scenario"); path != "" {
		f, err := os.Open(path)
		if err != nil {
			return s, err
		}
		defer f.Close()
		dec := json.NewDecoder(f)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil {
			return s, fmt.Errorf("%s: %w", path, err)
		}
	} else {
		var err error
		if s, err = econ.Reference(c.String("network")); err != nil {
			return s, err
		}
	}
	if v := c.Float64("gas-gwei"); c.IsSet("gas-gwei") {
		s.Chain.GasPriceGwei = v
	}
	if v := c.Float64("eth-usd"); c.IsSet("eth-usd") {
		s.Chain.USDPerETH = v
	}
	if f := c.Float64("load"); f != 1 {
		if f <= 0 {
			return s, fmt.Errorf("--load %v: want a positive factor", f)
		}
		s.Classes = append([]econ.Class(nil), s.Classes...)
		for i := range s.Classes {
			s.Classes[i].Clients = int(float64(s.Classes[i].Clients)*f + 0.5)
		}
	}
	switch p := c.String("prices"); p {
	case "legacy":
		s = econ.Legacy(s)
	case "cost":
		// At another load or gas price, the reference's prices are those
		// the costs give there; a scenario file's are recomputed too.
		if len(s.Prices.HopWei) != s.Shape.Layers+1 {
			s.Prices.HopWei = make([]float64, s.Shape.Layers+1)
		}
		var err error
		if s.Prices, err = econ.CostPrices(s); err != nil {
			return s, err
		}
	case "reference":
		if c.String("scenario") != "" {
			return s, fmt.Errorf("--prices reference is for a reference network, not --scenario")
		}
	case "file":
		if c.String("scenario") == "" {
			return s, fmt.Errorf("--prices file needs --scenario")
		}
	default:
		return s, fmt.Errorf("--prices %q: want cost, reference, legacy or file", p)
	}
	return s, nil
}
