package main

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/urfave/cli/v2"

	"github.com/murmurnet/murmur/internal/atomicfile"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/node/pki"
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
			cl, err := openClient(c)
			if err != nil {
				return err
			}
			defer cl.Close()
			ctx, cancel := context.WithTimeout(c.Context, time.Minute)
			defer cancel()
			if err := cl.Send(ctx, to, body, client.SendOptions{}); err != nil {
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
			cl, err := openClient(c)
			if err != nil {
				return err
			}
			defer cl.Close()
			ctx, cancel := context.WithTimeout(c.Context, c.Duration("wait"))
			defer cancel()
			for i := range c.Int("count") {
				m, err := cl.Receive(ctx)
				if err != nil {
					return fmt.Errorf("received %d of %d messages: %w", i, c.Int("count"), err)
				}
				fmt.Fprintf(c.App.Writer, "message: %s\n", m.Body)
			}
			return nil
		},
	}
}

// clientKeys loads (or creates) the client's libp2p identity and X25519 key from its data directory.
func clientKeys(dir string) (*ecdh.PrivateKey, error) {
	path := filepath.Join(dir, "e2e.key")
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		k, err := ecdh.X25519().GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		if err := atomicfile.Write(path, k.Bytes()); err != nil {
			return nil, err
		}
		return k, nil
	}
	if err != nil {
		return nil, err
	}
	return ecdh.X25519().NewPrivateKey(b)
}

// providerOf parses the provider multiaddr, which must end in /p2p/<peer id>.
func providerOf(s string) (client.Provider, error) {
	a, err := ma.NewMultiaddr(s)
	if err != nil {
		return client.Provider{}, fmt.Errorf("provider %q: %w", s, err)
	}
	info, err := peer.AddrInfoFromP2pAddr(a)
	if err != nil {
		return client.Provider{}, fmt.Errorf("provider %q must end in /p2p/<peer id>: %w", s, err)
	}
	pub, err := info.ID.ExtractPublicKey()
	if err != nil {
		return client.Provider{}, fmt.Errorf("provider %q: %w", s, err)
	}
	raw, err := pub.Raw()
	if err != nil || len(raw) != 32 {
		return client.Provider{}, fmt.Errorf("provider %q: not an Ed25519 peer ID", s)
	}
	var p client.Provider
	copy(p.NodeKey[:], raw)
	p.Addrs = info.Addrs
	return p, nil
}

func clientConfig(c *cli.Context) (*fileConfig, client.Config, error) {
	cfg, err := loadConfig(c.String("config"))
	if err != nil {
		return nil, client.Config{}, err
	}
	prov, err := providerOf(cfg.Provider)
	if err != nil {
		return nil, client.Config{}, err
	}
	id, err := node.LoadOrCreateIdentity(filepath.Join(cfg.DataDir, "identity.key"))
	if err != nil {
		return nil, client.Config{}, err
	}
	key, err := clientKeys(cfg.DataDir)
	if err != nil {
		return nil, client.Config{}, err
	}
	cc := client.Config{Identity: id, Key: key, Provider: prov, Layers: cfg.Layers, NoCover: cfg.Cover.Off}
	if cfg.Cover.set {
		// Otherwise the client takes the rates its provider announces.
		if cc.Cover, err = cfg.rates(); err != nil {
			return nil, client.Config{}, err
		}
		cc.MeanDelay = cc.Cover.Mu
	}
	return cfg, cc, nil
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

func openClient(c *cli.Context) (*client.Client, error) {
	cfg, cc, err := clientConfig(c)
	if err != nil {
		return nil, err
	}
	cl, err := cfg.dial(c.Context)
	if err != nil {
		return nil, err
	}
	if cc.Epochs, err = pki.EpochsFrom(c.Context, cl); err != nil {
		return nil, err
	}
	cc.Chain = pki.FromClient(cl)
	ctx, cancel := context.WithTimeout(c.Context, 30*time.Second)
	defer cancel()
	return client.New(ctx, cc)
}
