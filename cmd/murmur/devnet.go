package main

import (
	"github.com/urfave/cli/v2"

	"github.com/murmurnet/murmur/node/devnet"
)

func devnetCommand() *cli.Command {
	return &cli.Command{
		Name:  "devnet",
		Usage: "run a whole network on one machine on an embedded chain",
		Description: "Starts an embedded go-ethereum simulated chain, deploys the contracts, registers and\n" +
			"stakes 2 providers and 3 layers x 2 mixes, funds two clients, and shows cheques signed\n" +
			"off-chain being cashed on-chain.",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "providers", Value: 2, Usage: "number of providers"},
			&cli.IntFlag{Name: "layers", Value: 3, Usage: "number of mix layers"},
			&cli.IntFlag{Name: "mixes-per-layer", Value: 2, Usage: "mixes in each layer"},
		},
		Action: func(c *cli.Context) error {
			for _, f := range []string{"providers", "layers", "mixes-per-layer"} {
				if c.Int(f) < 1 || c.Int(f) > 32 {
					return cli.Exit("devnet: --"+f+" must be between 1 and 32", 2)
				}
			}
			_, err := devnet.Run(c.Context, devnet.Options{
				Providers:     c.Int("providers"),
				Layers:        c.Int("layers"),
				MixesPerLayer: c.Int("mixes-per-layer"),
				Out:           c.App.Writer,
			})
			return err
		},
	}
}
