// Command murmur is the one binary of the Murmur mix network: it runs relays,
// manages stake, vault deposits and tickets, sends and fetches messages, and
// starts a whole devnet on one machine.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newApp().RunContext(ctx, os.Args); err != nil {
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
			relayCommand(),
			accountCommand(),
			vaultCommand(),
			ticketsCommand(),
			sendCommand(),
			inboxCommand(),
			econCommand(),
			deployCommand(),
			clientCommand(),
			cardCommand(),
		},
	}
}
