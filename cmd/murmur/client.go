package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/urfave/cli/v2"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/node/pki"
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
			s, err := openSession(c, walletIfExists, false)
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
			s, err := openSession(c, walletIfExists, false)
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

func clientConfig(c *cli.Context) (*fileConfig, client.Config, error) {
	cfg, err := loadConfig(c.String("config"))
	if err != nil {
		return nil, client.Config{}, err
	}
	prov, err := clientProvider(c, cfg)
	if err != nil {
		return nil, client.Config{}, err
	}
	id, err := identity.LoadOrCreate(filepath.Join(cfg.DataDir, client.IdentityFile))
	if err != nil {
		return nil, client.Config{}, err
	}
	key, err := client.LoadKey(cfg.DataDir)
	if err != nil {
		return nil, client.Config{}, err
	}
	cc := client.Config{Identity: id, Key: key, Provider: prov, Layers: cfg.Layers, NoCover: cfg.Cover.Off,
		InboxDir: filepath.Join(cfg.DataDir, client.InboxDir)}
	if cfg.Cover.set {
		// Otherwise the client takes the rates its provider announces.
		if cc.Cover, err = cfg.rates(); err != nil {
			return nil, client.Config{}, err
		}
		cc.MeanDelay = cc.Cover.Mu
	}
	return cfg, cc, nil
}

// clientProvider is the provider the config names; else the one the
// client chose from the registry before; else one it chooses now, and
// says so, since its address (its mailbox) stays there.
func clientProvider(c *cli.Context, cfg *fileConfig) (client.Provider, error) {
	if cfg.Provider != "" {
		return client.ParseProvider(cfg.Provider)
	}
	if p, _, ok, err := client.StoredProvider(cfg.DataDir); ok || err != nil {
		return p, err
	}
	ch, err := cfg.dial(c.Context)
	if err != nil {
		return client.Provider{}, err
	}
	p, addr, err := client.ChooseProvider(c.Context, ch, cfg.DataDir)
	if err != nil {
		return client.Provider{}, err
	}
	fmt.Fprintf(c.App.ErrWriter, "chose provider %s from the registry (kept in %s)\n", addr, filepath.Join(cfg.DataDir, client.ProviderFile))
	return p, nil
}

func clientAddress(c *cli.Context) (client.Address, error) {
	_, cc, err := clientConfig(c)
	if err != nil {
		return client.Address{}, err
	}
	pid, err := peer.IDFromPrivateKey(cc.Identity)
	if err != nil {
		return client.Address{}, err
	}
	return client.AddressOf(cc.Provider.NodeKey, pid, cc.Key.PublicKey()), nil
}

// walletMode says whether a client command uses the ticket wallet of its data directory.
type walletMode int

const (
	walletNone     walletMode = iota // no wallet (the provider must be free)
	walletIfExists                   // the wallet if there is one
	walletCreate                     // the wallet, created if there is none
)

// session is a client command's connection: the chain, the provider, and
// the ticket wallet, locked for the command's lifetime.
type session struct {
	cfg    *fileConfig
	chain  *chain.Client
	cl     *client.Client
	wallet *wallet.Wallet // nil without one
	unlock func()
}

// Close disconnects and releases the wallet.
func (s *session) Close() {
	if s.cl != nil {
		s.cl.Close()
	}
	if s.unlock != nil {
		s.unlock()
	}
}

// openSession opens the wallet as mode says and connects to the provider.
// noCover turns cover traffic off, for commands that send no message:
// with a charging provider, cover would spend tickets for nothing.
func openSession(c *cli.Context, mode walletMode, noCover bool) (*session, error) {
	cfg, cc, err := clientConfig(c)
	if err != nil {
		return nil, err
	}
	s := &session{cfg: cfg}
	if mode != walletNone {
		if s.wallet, s.unlock, err = openWallet(cfg.DataDir, mode == walletCreate); err != nil {
			return nil, err
		}
	}
	if err := s.connect(c, cc, noCover); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// connect dials the chain and the provider.
func (s *session) connect(c *cli.Context, cc client.Config, noCover bool) error {
	var err error
	if s.chain, err = s.cfg.dial(c.Context); err != nil {
		return err
	}
	if s.wallet != nil {
		if id, ok := s.wallet.ChainID(); ok && s.chain.ChainID().Cmp(new(big.Int).SetUint64(id)) != 0 {
			return fmt.Errorf("the wallet in %s holds tickets of chain %d, the rpc endpoint is chain %s", s.cfg.DataDir, id, s.chain.ChainID())
		}
		cc.Wallet, cc.IssuerKeys = s.wallet, s.chain
	}
	cc.NoCover = cc.NoCover || noCover
	if cc.Epochs, err = pki.EpochsFrom(c.Context, s.chain); err != nil {
		return err
	}
	cc.Chain = pki.FromClient(s.chain)
	ctx, cancel := context.WithTimeout(c.Context, 30*time.Second)
	defer cancel()
	s.cl, err = client.New(ctx, cc)
	return err
}
