package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/urfave/cli/v2"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/messaging/reliable"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/payments/wallet"
)

func sendCommand() *cli.Command {
	return &cli.Command{
		Name:  "send",
		Usage: "send a message through the mix network",
		Flags: []cli.Flag{configFlag,
			&cli.StringFlag{Name: "to", Required: true, Usage: "recipient: an Ethereum account (0x…, a conversation: see murmur card), or a Murmur address (murmur inbox --address)"},
			&cli.StringFlag{Name: "message", Usage: "the message; or --file"},
			&cli.StringFlag{Name: "file", Usage: "file whose contents to send"},
			&cli.DurationFlag{Name: "wait", Value: time.Minute, Usage: "to an account: how long to wait for the acknowledgement"},
		},
		Action: func(c *cli.Context) error {
			var to client.Address
			account, byAccount := strings.CutPrefix(c.String("to"), "0x")
			byAccount = byAccount && common.IsHexAddress(account)
			if !byAccount {
				var err error
				if to, err = client.ParseAddress(c.String("to")); err != nil {
					return fmt.Errorf("%w (nor an Ethereum account)", err)
				}
			}
			var err error
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
			if byAccount {
				return sendToAccount(c, s, common.HexToAddress(account), body)
			}
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
			next := func() (string, error) {
				m, err := s.cl.Receive(ctx)
				if err != nil {
					return "", err
				}
				return "message: " + string(m.Body), nil
			}
			if _, err := os.Stat(filepath.Join(s.cfg.DataDir, CardFile)); err == nil {
				// A client with a card converses: its messenger takes the
				// mail, and hands on what is not a conversation's.
				lines, stop := make(chan string, 64), make(chan struct{})
				cv, err := openConversations(s, func(m *client.Message) {
					select {
					case lines <- "message: " + string(m.Body):
					case <-stop: // the command is done: the messenger must not wait
					}
				})
				if err != nil {
					return err
				}
				defer cv.Close()
				defer close(stop)
				next = func() (string, error) {
					// A conversation's message leaves the store only when
					// asked for: none is taken that is not printed.
					for {
						select {
						case l := <-lines:
							return l, nil
						default:
						}
						rctx, rcancel := context.WithTimeout(ctx, 200*time.Millisecond)
						m, err := cv.m.Receive(rctx)
						rcancel()
						if err == nil {
							return fmt.Sprintf("message from %s: %s", m.From.Hex(), m.Body), nil
						}
						if ctx.Err() != nil {
							return "", ctx.Err()
						}
					}
				}
			}
			for i := range c.Int("count") {
				line, err := next()
				if err != nil {
					return fmt.Errorf("received %d of %d messages: %w", i, c.Int("count"), err)
				}
				fmt.Fprintln(c.App.Writer, line)
			}
			return nil
		},
	}
}

// sendToAccount sends body in the conversation with account (started
// from its card, looked up through the mixnet, if there is none yet) and
// waits for its acknowledgement. Unacknowledged, it stays queued in the
// data directory and goes out again whenever send or inbox runs.
func sendToAccount(c *cli.Context, s *session, account common.Address, body []byte) error {
	cv, err := openConversations(s, nil)
	if err != nil {
		return err
	}
	defer cv.Close()
	ctx, cancel := context.WithTimeout(c.Context, c.Duration("wait"))
	defer cancel()
	id, err := cv.m.Send(ctx, account, body)
	if err != nil {
		return err
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		switch cv.m.Status(id) {
		case reliable.Delivered:
			fmt.Fprintf(c.App.Writer, "delivered %d bytes to %s (message %d)\n", len(body), account.Hex(), id.Seq)
			return nil
		case reliable.Failed:
			return fmt.Errorf("message %d to %s expired unacknowledged", id.Seq, account.Hex())
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("message %d to %s not acknowledged within %s: it stays queued and goes out again whenever murmur send or inbox runs", id.Seq, account.Hex(), c.Duration("wait"))
		case <-tick.C:
		}
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
