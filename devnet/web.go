package devnet

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/messaging/session"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/node/client/messenger"
)

// The browser client's demo page (web/demo, built into web/dist by `make
// web`), served against the devnet: `murmur devnet --rpc URL --web
// web/dist`. The page reads the chain itself over JSON-RPC, so the devnet
// needs a chain with an endpoint the browser can reach (anvil, geth
// --dev); the embedded chain has none.

// pageMessage is what the page sends to the devnet's echo client.
const pageMessage = "hello from the browser"

// echoPrefix starts the echo client's answers.
const echoPrefix = "echo: "

// pageTickets is how many tickets the page buys before it sends.
const pageTickets = 2

// pageFiles are the files the built page needs in the directory served.
var pageFiles = []string{"index.html", "demo.js", "murmur.wasm", "wasm_exec.js"}

// checkWebDir says what is wrong with dir as the built page, if anything.
func checkWebDir(dir string) error {
	for _, f := range pageFiles {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return fmt.Errorf("devnet: %s is not the built page (no %s): run make web, and pass web/dist", dir, f)
		}
	}
	return nil
}

// servePage starts the echo client and the page's HTTP server, and
// returns what stops them. The page's config.json names the chain, the
// network, provider 0's WebSocket address, the echo client's Murmur
// address and an account of the devnet's (funded, with a Vault deposit)
// whose key signs the page's cheques when the browser has no Ethereum
// wallet: a throwaway key of a development chain, served to this
// machine only.
func (nw *Network) servePage(ctx context.Context, p func(string, ...any)) (stop func(), err error) {
	o := nw.Opts
	if err := checkWebDir(o.Web); err != nil {
		return nil, err
	}
	ws := nw.ProviderWSAddr(0)
	if ws == "" {
		return nil, errors.New("devnet: provider 1 listens on no WebSocket, which the page needs")
	}
	network, err := nw.Network(ctx)
	if err != nil {
		return nil, err
	}
	config := map[string]any{
		"rpc": o.RPC, "network": network, "layers": o.Layers, "provider": ws, "message": pageMessage,
		"cover": !o.NoCover, // at the rates the relays announce
	}
	if !o.NoPayments {
		// A tenth of an ether: the page's tickets cost a few thousand
		// times less (docs/economics.md).
		key, err := nw.NewPayer(ctx, new(big.Int).Div(chain.Ether(1), big.NewInt(10)))
		if err != nil {
			return nil, err
		}
		payer := crypto.PubkeyToAddress(key.PublicKey)
		config["buy"] = map[string]any{"vault": nw.Result.Contracts.Vault.Hex(), "payer": payer.Hex(),
			"testKey": hex.EncodeToString(crypto.FromECDSA(key)), "tickets": pageTickets}
	}

	echo, err := client.New(ctx, nw.ClientConfig(1))
	if err != nil {
		return nil, fmt.Errorf("devnet: the page's echo client: %w", err)
	}
	config["to"] = echo.Address().String()
	var conv *echoConversations
	if !o.NoPayments {
		// Publishing a card costs a prepaid packet: only a network that
		// sells tickets gives the echo client some.
		if conv, err = nw.openEchoConversations(ctx, echo, p); err != nil {
			echo.Close()
			return nil, err
		}
		config["cards"] = map[string]any{"chainId": nw.Chain.ChainID().String(), "echo": conv.card.Account.Hex()}
	}
	closeEcho := func() {
		if conv != nil {
			conv.close()
		}
		echo.Close()
	}
	cfg, err := json.Marshal(config)
	if err != nil {
		closeEcho()
		return nil, err
	}
	ln, err := net.Listen("tcp", o.WebListen)
	if err != nil {
		closeEcho()
		return nil, fmt.Errorf("devnet: serving the page: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir(o.Web)))
	mux.HandleFunc("/config.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store") // a new devnet, a new config
		w.Write(cfg)
	})
	// Static files to a page on this machine; the timeouts bound what a
	// stalled or hostile connection holds, as the other servers do.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10}
	go srv.Serve(ln)

	ectx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if conv != nil {
			conv.echo(ectx, p)
		} else {
			nw.echo(ectx, echo, p)
		}
	}()
	p("browser client: http://%s/ (echo client %s)\n", ln.Addr(), echo.Address())
	return func() {
		cancel()
		<-done
		srv.Close()
		closeEcho()
	}, nil
}

// echoConversations are the echo client's conversations by account:
// its card, published, and a messenger that answers each message.
type echoConversations struct {
	st   *session.Store
	card *card.Signed
	m    *messenger.Messenger
}

// openEchoConversations publishes a contact card for the echo client,
// under a fresh account of its own, so that the page can find it by
// account, and opens its messenger, whose plain messages (not
// conversations') are echoed as before; the keys and state are kept with
// the devnet's data.
func (nw *Network) openEchoConversations(ctx context.Context, echo *client.Client, p func(string, ...any)) (*echoConversations, error) {
	dir := filepath.Join(nw.Opts.DataDir, "echo")
	st, err := session.Open(filepath.Join(dir, "conversations"))
	if err != nil {
		return nil, err
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		st.Close()
		return nil, err
	}
	a := echo.Address()
	c := st.Card(a.Provider, a.Mailbox, a.Key)
	c.ChainID, c.Account = nw.Chain.ChainID().Uint64(), crypto.PubkeyToAddress(key.PublicKey)
	now := time.Now()
	c.Issued, c.Expires = now.Add(-time.Minute).Truncate(time.Second), now.Add(24*time.Hour).Truncate(time.Second)
	signed, err := card.Sign(c, key)
	if err != nil {
		st.Close()
		return nil, err
	}
	if err := echo.PublishCard(ctx, signed); err != nil {
		st.Close()
		return nil, fmt.Errorf("devnet: publishing the echo client's card: %w", err)
	}
	m, err := messenger.Open(messenger.Options{Client: echo, Sessions: st, Card: signed, Dir: filepath.Join(dir, "messenger"),
		ChainID: c.ChainID, Logger: nw.Opts.Logger, Other: func(msg *client.Message) {
			go nw.echoOne(ctx, echo, msg, p)
		}})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &echoConversations{st: st, card: signed, m: m}, nil
}

// echo answers each conversation message with itself, prefixed, to its
// sender's account, until ctx ends.
func (e *echoConversations) echo(ctx context.Context, p func(string, ...any)) {
	for {
		msg, err := e.m.Receive(ctx)
		if err != nil {
			return
		}
		if _, err := e.m.Send(ctx, msg.From, append([]byte(echoPrefix), msg.Body...)); err != nil {
			p("echo: answering %s's %q: %v\n", msg.From.Hex(), msg.Body, err)
			continue
		}
		p("echo: answered %s's %q by account\n", msg.From.Hex(), msg.Body)
	}
}

func (e *echoConversations) close() {
	e.m.Close()
	e.st.Close()
}

// echo answers every message that carries a reply block with the message
// itself, prefixed, until ctx ends.
func (nw *Network) echo(ctx context.Context, c *client.Client, p func(string, ...any)) {
	for {
		m, err := c.Receive(ctx)
		if err != nil {
			return
		}
		nw.echoOne(ctx, c, m, p)
	}
}

// echoOne answers m through its reply block.
func (nw *Network) echoOne(ctx context.Context, c *client.Client, m *client.Message, p func(string, ...any)) {
	if m.ReplySURB == nil {
		p("echo: %q came without a reply block: not answered\n", m.Body)
		return
	}
	if err := c.Reply(ctx, m, append([]byte(echoPrefix), m.Body...)); err != nil {
		p("echo: answering %q: %v\n", m.Body, err)
		return
	}
	p("echo: answered %q\n", m.Body)
}
