// Command murmur is the one binary of the Murmur mix network: it runs relays,
// manages stake, vault deposits and tickets, sends and fetches messages, and
// starts a whole devnet on one machine.
package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"
)

func main() {
	if err := newApp().Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "murmur:", err)
		os.Exit(1)
	}
}

func newApp() *cli.App {
	return &cli.App{
		Name:  "murmur",
		Usage: "an incentivized mix network for Ethereum",
		Commands: []*cli.Command{
			devnetCommand(),
		},
	}
}
