package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/urfave/cli/v2"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/mixer"
	"github.com/murmurnet/murmur/node/pki"
)

var (
	configFlag   = &cli.StringFlag{Name: "config", Aliases: []string{"c"}, Required: true, Usage: "TOML configuration file"}
	passwordFlag = &cli.StringFlag{Name: "password-file", Required: true, Usage: "file holding the keystore password"}
)

func relayCommand() *cli.Command {
	return &cli.Command{
		Name:  "relay",
		Usage: "run and manage a relay",
		Subcommands: []*cli.Command{
			{
				Name: "run", Usage: "run the relay",
				Description: "With --password-file the relay unlocks the operator's keystore and takes part in payments:\n" +
					"it settles with its neighbours (the [payments] section), a provider charges its clients prepaid\n" +
					"packets bought with tickets, and an issuer sells tickets (the [issuer] section). Without it the\n" +
					"relay runs unpaid.\n\n" +
					"When it stops, a paid relay signs a last cheque to each neighbour and cashes the cheques worth\n" +
					"their gas; it cashes everything it holds, whatever the gas, if it has announced its exit\n" +
					"(murmur relay exit) or with --cash-all.",
				Flags: []cli.Flag{configFlag,
					&cli.StringFlag{Name: "password-file", Usage: "file holding the keystore password; turns payments on"},
					&cli.BoolFlag{Name: "cash-all", Usage: "on stop, cash every cheque held whatever its size (a paid relay that exits does so anyway)"}},
				Action: relayRun,
			},
			{Name: "status", Usage: "show a running relay's packet counts and secret-shopper scores (needs metrics in the config)", Flags: []cli.Flag{configFlag}, Action: relayStatusCmd},
			{Name: "earnings", Usage: "show a running relay's cheques: held, cashed, pending, signed (needs metrics in the config)", Flags: []cli.Flag{configFlag}, Action: relayEarningsCmd},
			{
				Name: "register", Usage: "register the relay on-chain with a stake",
				Flags: []cli.Flag{configFlag, passwordFlag,
					&cli.StringFlag{Name: "roles", Value: "mix", Usage: "comma-separated: provider, mix, issuer"},
					&cli.StringFlag{Name: "stake", Value: "1", Usage: "stake in ETH"}},
				Action: relayRegister,
			},
			{
				Name: "stake", Usage: "add stake", Flags: []cli.Flag{configFlag, passwordFlag,
					&cli.StringFlag{Name: "amount", Required: true, Usage: "ETH to add"}},
				Action: func(c *cli.Context) error {
					return relayTx(c, func(cfg *fileConfig, cl *chain.Client, auth *bind.TransactOpts) (string, error) {
						amount, err := chain.ParseEther(c.String("amount"))
						if err != nil {
							return "", err
						}
						if _, err := cl.AddStake(c.Context, auth, amount); err != nil {
							return "", err
						}
						r, err := cl.Relay(c.Context, auth.From)
						return fmt.Sprintf("stake now %s", chain.FormatEther(r.Stake)), err
					})
				},
			},
			{
				Name: "exit", Usage: "leave the active set; the stake unbonds", Flags: []cli.Flag{configFlag, passwordFlag},
				Action: func(c *cli.Context) error {
					return relayTx(c, func(cfg *fileConfig, cl *chain.Client, auth *bind.TransactOpts) (string, error) {
						if _, err := cl.AnnounceExit(c.Context, auth); err != nil {
							return "", err
						}
						r, err := cl.Relay(c.Context, auth.From)
						return fmt.Sprintf("exit announced; stake of %s unlocks at %s", chain.FormatEther(r.Stake), r.UnlockAt.UTC().Format("2006-01-02 15:04:05 MST")), err
					})
				},
			},
			{
				Name: "withdraw", Usage: "take the unbonded stake back", Flags: []cli.Flag{configFlag, passwordFlag},
				Action: func(c *cli.Context) error {
					return relayTx(c, func(cfg *fileConfig, cl *chain.Client, auth *bind.TransactOpts) (string, error) {
						r, err := cl.Relay(c.Context, auth.From)
						if err != nil {
							return "", err
						}
						if _, err := cl.WithdrawStake(c.Context, auth); err != nil {
							return "", err
						}
						return fmt.Sprintf("withdrew %s", chain.FormatEther(r.Stake)), nil
					})
				},
			},
		},
	}
}

// relayTx runs one transaction from the config's keystore account (a
// relay's operator, or a client's paying account) and prints its outcome.
func relayTx(c *cli.Context, do func(*fileConfig, *chain.Client, *bind.TransactOpts) (string, error)) error {
	cfg, err := loadConfig(c.String("config"))
	if err != nil {
		return err
	}
	key, err := cfg.operatorKey(c.String("password-file"))
	if err != nil {
		return err
	}
	cl, err := cfg.dial(c.Context)
	if err != nil {
		return err
	}
	msg, err := do(cfg, cl, bind.NewKeyedTransactor(key, cl.ChainID()))
	if err != nil {
		return err
	}
	fmt.Fprintln(c.App.Writer, msg)
	return nil
}

func parseRoles(s string) (chain.Roles, error) {
	var r chain.Roles
	for _, part := range strings.Split(s, ",") {
		switch strings.TrimSpace(part) {
		case "provider":
			r |= chain.RoleProvider
		case "mix":
			r |= chain.RoleMix
		case "issuer":
			r |= chain.RoleIssuer
		default:
			return 0, fmt.Errorf("unknown role %q (provider, mix, issuer)", part)
		}
	}
	return r, nil
}

func relayRegister(c *cli.Context) error {
	roles, err := parseRoles(c.String("roles"))
	if err != nil {
		return err
	}
	if roles&chain.RoleProvider != 0 && roles&chain.RoleIssuer != 0 {
		return errors.New("a relay cannot be both provider and issuer: a charging provider redeems the tickets it takes with their issuer, and would redeem them with itself; register the issuer as a relay of its own")
	}
	stake, err := chain.ParseEther(c.String("stake"))
	if err != nil {
		return err
	}
	return relayTx(c, func(cfg *fileConfig, cl *chain.Client, auth *bind.TransactOpts) (string, error) {
		id, err := identity.LoadOrCreate(filepath.Join(cfg.DataDir, "identity.key"))
		if err != nil {
			return "", err
		}
		nodeKey, err := identity.NodeKey(id)
		if err != nil {
			return "", err
		}
		var addrs []ma.Multiaddr
		for _, s := range cfg.Listen {
			a, err := ma.NewMultiaddr(s)
			if err != nil {
				return "", fmt.Errorf("listen address %q: %w", s, err)
			}
			if strings.Contains(s, "/tcp/0") || strings.Contains(s, "/udp/0/") || strings.Contains(s, "/0.0.0.0/") {
				return "", fmt.Errorf("listen address %q: register needs a concrete address and port others can dial", s)
			}
			addrs = append(addrs, a)
		}
		if _, err := cl.Register(c.Context, auth, roles, nodeKey, chain.EncodeMultiaddrs(addrs), stake); err != nil {
			return "", err
		}
		return fmt.Sprintf("registered %s as %s with stake %s, peer %s", auth.From.Hex(), c.String("roles"), chain.FormatEther(stake), chain.PeerID(nodeKey)), nil
	})
}

func relayRun(c *cli.Context) error {
	cfg, err := loadConfig(c.String("config"))
	if err != nil {
		return err
	}
	operator, err := cfg.operatorAddress()
	if err != nil {
		return err
	}
	cl, err := cfg.dial(c.Context)
	if err != nil {
		return err
	}
	entry, err := cl.Relay(c.Context, operator)
	if err != nil {
		return err
	}
	if entry.Status != chain.StatusActive {
		return fmt.Errorf("operator %s is not an active relay (status %s); run murmur relay register", operator.Hex(), entry.Status)
	}
	id, err := identity.LoadOrCreate(filepath.Join(cfg.DataDir, "identity.key"))
	if err != nil {
		return err
	}
	nodeKey, err := identity.NodeKey(id)
	if err != nil {
		return err
	}
	if nodeKey != entry.NodeKey {
		return fmt.Errorf("identity key %s does not match the registered node key %s", chain.PeerID(nodeKey), chain.PeerID(entry.NodeKey))
	}
	epochs, err := pki.EpochsFrom(c.Context, cl)
	if err != nil {
		return err
	}
	rates, err := cfg.rates()
	if err != nil {
		return err
	}
	pwFile := c.String("password-file")
	var key *ecdsa.PrivateKey
	if pwFile != "" {
		if key, err = cfg.operatorKey(pwFile); err != nil {
			return err
		}
		if a := crypto.PubkeyToAddress(key.PublicKey); a != operator {
			return fmt.Errorf("keystore %s decrypts to %s, but names %s", cfg.Keystore, a.Hex(), operator.Hex())
		}
	}
	nc := node.Config{
		DataDir: cfg.DataDir, Identity: id, Operator: operator, Roles: entry.Roles,
		ListenAddrs: cfg.Listen, Chain: pki.FromClient(cl), ChainID: cl.ChainID().Uint64(), Epochs: epochs, Layers: cfg.Layers,
		Params: rates.Params(), Cover: rates, NoCover: cfg.Cover.Off,
	}
	payments := cfg.applyPayments(&nc, cl, key)
	n, err := node.New(nc)
	if err != nil {
		return err
	}
	defer n.Close()
	if err := n.Start(c.Context); err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "relay %s running as peer %s on %v\n", operator.Hex(), n.Host().ID(), n.Addrs())
	fmt.Fprintln(c.App.Writer, payments)
	if cfg.Metrics != "" {
		srv, _, err := serveMetrics(cfg.Metrics, metricsHandler(n))
		if err != nil {
			return err
		}
		defer srv.Close()
		fmt.Fprintf(c.App.Writer, "metrics on http://%s/metrics\n", cfg.Metrics)
	}
	<-c.Context.Done()
	fmt.Fprintln(c.App.Writer, "relay stopping")
	if key != nil {
		stopPaid(c, cl, n, operator)
	}
	return nil
}

// stopPaid is a paid relay's last act: pay the neighbours what is owed
// beyond the last cheques, redeem spent tickets, and cash the cheques held:
// those worth their gas, or all of them if the relay is leaving (its exit
// is announced on-chain, or --cash-all), since nobody will cash them later.
// Cheques and balances are on disk, so a relay that restarts loses nothing
// by leaving small cheques for later. Bounded: neighbours and the chain may
// be gone.
func stopPaid(c *cli.Context, cl *chain.Client, n *node.Node, operator common.Address) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	leaving := c.Bool("cash-all")
	if r, err := cl.Relay(ctx, operator); err == nil && r.Status == chain.StatusExiting {
		leaving = true
	}
	var got *big.Int
	var err error
	if leaving {
		got, err = n.Exit(ctx)
	} else {
		settleErr := n.SettleUp(ctx)
		got, err = n.CashChequesDue(ctx)
		err = errors.Join(settleErr, err)
	}
	if err != nil {
		fmt.Fprintf(c.App.ErrWriter, "settling on stop: %v\n", err)
	}
	switch {
	case got != nil && err == nil:
		fmt.Fprintf(c.App.Writer, "settled up with neighbours; cashed %s on stop\n", chain.FormatEther(got))
	case got != nil:
		// What is owed stays on disk for the next run.
		fmt.Fprintf(c.App.Writer, "not settled up with every neighbour (above); cashed %s on stop\n", chain.FormatEther(got))
	}
}

// metricsHandler exports the relay's packet counts and secret-shopper
// scores for Prometheus at /metrics, and its status as JSON at /status.
func metricsHandler(n *node.Node) http.Handler {
	reg := runtimeRegistry()
	for name, get := range map[string]func() uint64{
		"received":  func() uint64 { return n.Stats().Received },
		"forwarded": func() uint64 { return n.Stats().Forwarded },
		"delivered": func() uint64 { return n.Stats().Delivered },
	} {
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Namespace: "murmur", Name: "packets_" + name + "_total", Help: "Packets " + name + " by the relay.",
		}, func() float64 { return float64(get()) }))
	}
	for _, r := range mixer.Reasons() {
		reason := r
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Namespace: "murmur", Name: "packets_dropped_total", Help: "Packets dropped by the relay, by reason.",
			ConstLabels: prometheus.Labels{"reason": reason.String()},
		}, func() float64 { return float64(n.Counters.Get(reason)) }))
	}
	reg.MustRegister(newShopperCollector(n))
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.Handle("/status", statusHandler(n))
	mountProfiles(mux, os.Getenv("MURMUR_PPROF") != "")
	return mux
}

// runtimeRegistry is a Prometheus registry holding the Go runtime's and
// the process's own metrics (heap, stacks, goroutines, resident memory,
// descriptors): what an operator looks at first when a relay's memory
// grows, and what tells a leak in the heap from one elsewhere.
func runtimeRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// mountProfiles serves Go's profiles (heap, goroutines, CPU) on mux if
// on: for finding where a relay's memory or time goes. They are off
// unless asked for, as they show the relay's internals to whoever
// reaches the metrics address.
func mountProfiles(mux *http.ServeMux, on bool) {
	if !on {
		return
	}
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
}

// serveMetrics serves h at addr, and fails at once if addr cannot be
// listened on (in use, not an address); it returns the address it listens
// on. Its timeouts keep a slow or stalled scraper from holding
// connections: a scrape is small.
func serveMetrics(addr string, h http.Handler) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("metrics address %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
	go srv.Serve(ln)
	return srv, ln.Addr().String(), nil
}
