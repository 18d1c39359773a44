package main

import (
	"time"

	"github.com/urfave/cli/v2"

	"github.com/murmurnet/murmur/devnet"
	"github.com/murmurnet/murmur/node/cover"
)

func devnetCommand() *cli.Command {
	return &cli.Command{
		Name:  "devnet",
		Usage: "run a whole network on one machine",
		Description: "Starts a chain (an embedded go-ethereum simulated chain, or --rpc), deploys the\n" +
			"contracts, registers and stakes 2 providers and 3 layers x 2 mixes, starts them as libp2p\n" +
			"nodes on 127.0.0.1, and has two clients exchange messages both ways (one answer through a\n" +
			"single-use reply block). Clients and mixes send Loopix cover traffic at the --lambda-* rates.\n" +
			"It keeps running until Ctrl-C, or exits after the demo with --once.\n\n" +
			"With --web web/dist (make web) it then serves the browser client's demo page at --web-listen:\n" +
			"open it, and the page buys tickets, sends a message to a Go client of the devnet through five\n" +
			"hops and shows the answer. The page reads the chain itself, so --web needs --rpc (anvil).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "rpc", Usage: "JSON-RPC URL of a development chain (anvil, geth --dev) that mines regularly; default an embedded chain"},
			&cli.BoolFlag{Name: "once", Usage: "exit after the demo"},
			&cli.IntFlag{Name: "providers", Value: 2, Usage: "number of providers"},
			&cli.IntFlag{Name: "layers", Value: 3, Usage: "number of mix layers"},
			&cli.IntFlag{Name: "mixes-per-layer", Value: 2, Usage: "mixes in each layer"},
			&cli.DurationFlag{Name: "epoch", Value: 10 * time.Second, Usage: "epoch length of the devnet's registry"},
			&cli.DurationFlag{Name: "mu", Value: 50 * time.Millisecond, Usage: "mean per-hop mixing delay"},
			&cli.IntFlag{Name: "messages", Value: 3, Usage: "messages each way"},
			&cli.Float64Flag{Name: "lambda-p", Value: cover.DefaultRates().LambdaP, Usage: "clients' payload rate (real or drop packets per second)"},
			&cli.Float64Flag{Name: "lambda-l", Value: cover.DefaultRates().LambdaL, Usage: "clients' loop rate per second"},
			&cli.Float64Flag{Name: "lambda-d", Value: cover.DefaultRates().LambdaD, Usage: "clients' drop rate per second"},
			&cli.Float64Flag{Name: "lambda-m", Value: cover.DefaultRates().LambdaM, Usage: "mixes' loop rate per second"},
			&cli.BoolFlag{Name: "no-cover", Usage: "turn cover traffic off (clients send at once; an observer sees when)"},
			&cli.StringFlag{Name: "web", Usage: "directory of the built browser page (web/dist) to serve after the demo; needs --rpc"},
			&cli.StringFlag{Name: "web-listen", Value: "127.0.0.1:8080", Usage: "address the page is served on"},
		},
		Action: func(c *cli.Context) error {
			for _, f := range []string{"providers", "layers", "mixes-per-layer"} {
				if c.Int(f) < 1 || c.Int(f) > 32 {
					return cli.Exit("devnet: --"+f+" must be between 1 and 32", 2)
				}
			}
			if c.Int("providers") < 2 {
				return cli.Exit("devnet: --providers must be at least 2 (one per client)", 2)
			}
			if c.String("web") != "" && c.Bool("once") {
				return cli.Exit("devnet: --web serves the page while the network runs: drop --once", 2)
			}
			if c.String("web") != "" && c.String("rpc") == "" {
				return cli.Exit("devnet: --web needs --rpc: the page reads the chain over JSON-RPC, which the embedded chain does not serve (start anvil)", 2)
			}
			if c.Duration("epoch") < 2*time.Second {
				return cli.Exit("devnet: --epoch must be at least 2s", 2)
			}
			rates := cover.Rates{LambdaP: c.Float64("lambda-p"), LambdaL: c.Float64("lambda-l"), LambdaD: c.Float64("lambda-d"), LambdaM: c.Float64("lambda-m"), Mu: c.Duration("mu")}
			if err := rates.Validate(); err != nil {
				return cli.Exit("devnet: "+err.Error(), 2)
			}
			_, err := devnet.Run(c.Context, devnet.Options{
				Cover:         rates,
				NoCover:       c.Bool("no-cover"),
				RPC:           c.String("rpc"),
				Providers:     c.Int("providers"),
				Layers:        c.Int("layers"),
				MixesPerLayer: c.Int("mixes-per-layer"),
				EpochLength:   c.Duration("epoch"),
				MeanDelay:     c.Duration("mu"),
				Messages:      c.Int("messages"),
				Out:           c.App.Writer,
				Keep:          !c.Bool("once"),
				Web:           c.String("web"),
				WebListen:     c.String("web-listen"),
			})
			return err
		},
	}
}
