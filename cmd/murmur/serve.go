package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/murmurnet/murmur/internal/atomicfile"
	"github.com/murmurnet/murmur/node/client/api"
)

// `murmur client serve` runs a client and serves the local client API
// (package node/client/api) for programs in other languages.

// tokenFile is where the API's token lives in the client's data directory.
const tokenFile = "api.token"

func clientCommand() *cli.Command {
	return &cli.Command{
		Name:  "client",
		Usage: "run a client for other programs",
		Subcommands: []*cli.Command{{
			Name:  "serve",
			Usage: "serve the local client API (send, receive, reply, balance over HTTP+JSON; docs/client-api.md)",
			Flags: []cli.Flag{configFlag,
				&cli.StringFlag{Name: "listen", Value: "127.0.0.1:7700", Usage: "address to serve the API on"},
				&cli.StringFlag{Name: "token-file", Usage: "file holding the API token (default: " + tokenFile + " in the data directory, made on first use)"},
			},
			Action: clientServeCmd,
		}},
	}
}

func clientServeCmd(c *cli.Context) error {
	host, _, err := net.SplitHostPort(c.String("listen"))
	if err != nil {
		return fmt.Errorf("--listen: %w", err)
	}
	if ip := net.ParseIP(host); (ip == nil || !ip.IsLoopback()) && host != "localhost" {
		fmt.Fprintf(c.App.ErrWriter, "warning: serving the client API on %s, not a loopback address: anyone who can reach it and holds the token can send as this client\n", c.String("listen"))
	}
	s, err := openSession(c, false)
	if err != nil {
		return err
	}
	defer s.Close()
	path := c.String("token-file")
	if path == "" {
		path = filepath.Join(s.cfg.DataDir, tokenFile)
	}
	token, err := loadToken(path)
	if err != nil {
		return err
	}
	srv, err := api.New(s.cl, token, func() (int, uint64, int64) {
		t, p := walletTotal(s.wallet)
		return t, p, s.cl.Payments().Prepaid
	})
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", c.String("listen"))
	if err != nil {
		return fmt.Errorf("client API address %s: %w", c.String("listen"), err)
	}
	// No write timeout: /v1/messages streams for as long as it is open.
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10}
	go hs.Serve(ln)
	defer hs.Close()
	fmt.Fprintf(c.App.Writer, "client %s\nclient API on http://%s (token in %s)\n", s.cl.Address(), ln.Addr(), path)
	<-c.Context.Done()
	fmt.Fprintln(c.App.Writer, "client API stopping")
	return nil
}

// loadToken reads the API token at path, or makes one there (0600).
func loadToken(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		var raw [32]byte
		if _, err := rand.Read(raw[:]); err != nil {
			return nil, err
		}
		t := []byte(hex.EncodeToString(raw[:]))
		if err := atomicfile.Write(path, append(t, '\n')); err != nil {
			return nil, fmt.Errorf("writing the API token: %w", err)
		}
		return t, nil
	}
	if err != nil {
		return nil, err
	}
	t := strings.TrimSpace(string(b))
	if len(t) < 16 {
		return nil, fmt.Errorf("the API token in %s is shorter than 16 characters", path)
	}
	return []byte(t), nil
}
