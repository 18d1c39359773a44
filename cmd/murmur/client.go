package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/urfave/cli/v2"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/payments/wallet"
)

func sendCommand() *cli.Command {
	return &cli.Command{
		Name:  "send",
		Usage: "send a message through the mix network",
		Flags: []cli.Flag{configFlag,
			&cli.StringFlag{Name: "to", Required: true, Usage: "recipient's Murmur address (murmur inbox --address)"},
			&cli.StringFlag{Name: "message", Usage: "the message; or --file"},
			&cli.StringFlag{Name: "file", Usage: "file whose contents to send"},
		},
		Action: func(c *cli.Context) error {
			to, err := client.ParseAddress(c.String("to"))
			if err != nil {
				return err
			}
			body := []byte(c.String("message"))
			if f := c.String("file"); f != "" {
				if body, err = os.ReadFile(f); err != nil {
					return err
				}
			}
			if len(body) == 0 {
				return errors.New("nothing to send: give --message or --file")
			}
			s, err := openSession(c, false)
			if err != nil {
				return err
			}
			defer s.Close()
			ctx, cancel := context.WithTimeout(c.Context, time.Minute)
			defer cancel()
			if err := s.cl.Send(ctx, to, body, client.SendOptions{}); err != nil {
				if errors.Is(err, client.ErrNoTickets) {
					return fmt.Errorf("%w\nthe provider charges for packets: buy tickets (murmur tickets buy) or import a bundle (murmur tickets import)", err)
				}
				return err
			}
			fmt.Fprintf(c.App.Writer, "sent %d bytes\n", len(body))
			return nil
		},
	}
}

func inboxCommand() *cli.Command {
	return &cli.Command{
		Name:  "inbox",
		Usage: "fetch messages from the mailbox",
		Flags: []cli.Flag{configFlag,
			&cli.BoolFlag{Name: "address", Usage: "print this client's address and exit"},
			&cli.IntFlag{Name: "count", Value: 1, Usage: "messages to wait for"},
			&cli.DurationFlag{Name: "wait", Value: 30 * time.Second, Usage: "how long to wait for them"},
		},
		Action: func(c *cli.Context) error {
			if c.Bool("address") {
				addr, err := clientAddress(c)
				if err != nil {
					return err
				}
				fmt.Fprintln(c.App.Writer, addr)
				return nil
			}
			// With the wallet, if there is one: a charging provider makes
			// the client's cover traffic pay too.
			s, err := openSession(c, false)
			if err != nil {
				return err
			}
			defer s.Close()
			ctx, cancel := context.WithTimeout(c.Context, c.Duration("wait"))
			defer cancel()
			for i := range c.Int("count") {
				m, err := s.cl.Receive(ctx)
				if err != nil {
					return fmt.Errorf("received %d of %d messages: %w", i, c.Int("count"), err)
				}
				fmt.Fprintf(c.App.Writer, "message: %s\n", m.Body)
			}
			return nil
		},
	}
}

// clientProvider is the provider the config names; else the one the
// client chose from the registry before; else one it chooses now, and
// says so, since its address (its mailbox) stays there.
func clientProvider(c *cli.Context, cfg *fileConfig) (client.Provider, string, error) {
	if cfg.Provider != "" {
		p, err := client.ParseProvider(cfg.Provider)
		return p, cfg.Provider, err
	}
	if p, addr, ok, err := client.StoredProvider(cfg.DataDir); ok || err != nil {
		return p, addr, err
	}
	ch, err := cfg.dial(c.Context)
	if err != nil {
		return client.Provider{}, "", err
	}
	p, addr, err := client.ChooseProvider(c.Context, ch, cfg.DataDir)
	if err != nil {
		return client.Provider{}, "", err
	}
	fmt.Fprintf(c.App.ErrWriter, "chose provider %s from the registry (kept in %s)\n", addr, filepath.Join(cfg.DataDir, client.ProviderFile))
	return p, addr, nil
}

// clientAddress is the address of the client of the config, from its
// keys and provider alone: nothing is dialled unless the provider is
// still to be chosen.
func clientAddress(c *cli.Context) (client.Address, error) {
	cfg, err := loadConfig(c.String("config"))
	if err != nil {
		return client.Address{}, err
	}
	prov, _, err := clientProvider(c, cfg)
	if err != nil {
		return client.Address{}, err
	}
	id, err := identity.LoadOrCreate(filepath.Join(cfg.DataDir, client.IdentityFile))
	if err != nil {
		return client.Address{}, err
	}
	key, err := client.LoadKey(cfg.DataDir)
	if err != nil {
		return client.Address{}, err
	}
	pid, err := peer.IDFromPrivateKey(id)
	if err != nil {
		return client.Address{}, err
	}
	return client.AddressOf(prov.NodeKey, pid, key.PublicKey()), nil
}

// session is a client command's connection, made by the SDK's Dial: the
// chain, the provider, and the ticket wallet of the data directory,
// locked for the command's lifetime.
type session struct {
	cfg    *fileConfig
	chain  *chain.Client
	cl     *client.Client
	wallet *wallet.Wallet
}

// Close disconnects and releases the data directory.
func (s *session) Close() { s.cl.Close() }

// openSession connects the client of the config. noCover turns cover
// traffic off, for commands that send no message: with a charging
// provider, cover would spend tickets for nothing.
func openSession(c *cli.Context, noCover bool) (*session, error) {
	cfg, err := loadConfig(c.String("config"))
	if err != nil {
		return nil, err
	}
	_, addr, err := clientProvider(c, cfg)
	if err != nil {
		return nil, err
	}
	ch, err := cfg.dial(c.Context)
	if err != nil {
		return nil, err
	}
	o := client.Options{Chain: ch, Provider: addr, DataDir: cfg.DataDir, Layers: cfg.Layers, NoCover: cfg.Cover.Off || noCover}
	if cfg.Cover.set {
		// Otherwise the client takes the rates its provider announces.
		if o.Cover, err = cfg.rates(); err != nil {
			return nil, err
		}
		o.MeanDelay = o.Cover.Mu
	}
	ctx, cancel := context.WithTimeout(c.Context, 30*time.Second)
	defer cancel()
	cl, err := client.Dial(ctx, o)
	if err != nil {
		return nil, err
	}
	return &session{cfg: cfg, chain: ch, cl: cl, wallet: cl.Wallet()}, nil
}
