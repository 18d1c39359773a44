// Package devnet runs a Murmur network on one machine with no setup: a chain
// (an embedded go-ethereum simulated chain, or any development endpoint),
// the contracts deployed on it, relays registered, staked and running as
// real libp2p nodes on 127.0.0.1, clients funded and exchanging messages
// through the mix network (one answer through a single-use reply block), and
// cheques settled on-chain.
package devnet

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/node/cover"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/payments/econ"
)

// Options shape the network.
type Options struct {
	// RPC is a JSON-RPC endpoint of a development chain (anvil, geth --dev)
	// whose node holds an unlocked, funded account and produces blocks
	// regularly; empty for the embedded chain.
	RPC           string
	Providers     int           // default 2
	Layers        int           // mix layers, default 3
	MixesPerLayer int           // default 2
	EpochLength   time.Duration // default 10 s, short so that the demo starts quickly
	MeanDelay     time.Duration // per-hop mean delay (mu), default Cover.Mu
	// Cover are the cover-traffic rates of clients and mixes; zero for
	// cover.DefaultRates (with MeanDelay as mu when set).
	Cover cover.Rates
	// NoCover turns cover traffic off: clients send at once.
	NoCover bool
	// Faults makes relays misbehave, by name ("mix2.1"), to test the secret shopper.
	Faults map[string]node.Faults
	// HopPricesWei are what each relay charges per packet handed to it by
	// another relay, by its position in the packet's epoch (one price per
	// layer, then one for providers); default the cost model's
	// (econ.DefaultPrices for Layers, docs/economics.md).
	HopPricesWei pki.HopPrices
	// TicketPriceWei and TicketPackets are the issuer's ticket; default
	// the cost model's.
	TicketPriceWei *big.Int
	TicketPackets  uint64
	// IssuerFeeWei is the issuer's share of each ticket's price; providers
	// are paid the rest. Default the model's share (econ.Prices.FeeFor).
	IssuerFeeWei *big.Int
	// NoSettlement turns hop-by-hop payment between relays off.
	NoSettlement bool
	Messages     int          // messages each way, default 3
	DataDir      string       // relay state; default a temporary directory, removed after
	Out          io.Writer    // progress report; nil for none
	Logger       *slog.Logger // node logs; nil for warnings and errors on stderr
	// Keep, when set, keeps the network running after the demo until ctx ends.
	Keep bool
	// Web is the directory of the built browser page (web/dist, `make
	// web`) to serve at WebListen once the demo is done, with a Go client
	// that echoes what the page sends; it needs Keep and RPC (the page
	// reads the chain over JSON-RPC itself).
	Web       string
	WebListen string // default 127.0.0.1:8080
	// NoPayments lets clients send for free: providers do not charge and
	// clients get no tickets (the issuer relay still runs).
	NoPayments bool
	// ClientTickets is how many tickets the wallet of each client that
	// ClientConfig configures holds; default 16 (16,000 packets).
	ClientTickets int
	// IssuerKeyEpochs is the issuer's key epoch in registry epochs
	// (node.TicketIssuing.KeyEpochs); zero for the default, a day.
	IssuerKeyEpochs uint64
	// ChequeEvery and RefuseAbove are the relays' hop-by-hop settlement
	// intervals (node.Settlement); zero for the defaults.
	ChequeEvery, RefuseAbove uint64
	// PayByCheque has relays pay each other, and the issuer the
	// providers, by cheque; by default they pay by lottery ticket, as
	// `murmur relay run` does (ADR 0010).
	PayByCheque bool
	// TicketFaceWei is the face value of the relays' and the issuer's
	// lottery tickets; nil for the cost model's at the chain's gas price
	// (node.PayByLottery, node.IssuerPaysByLottery).
	TicketFaceWei *big.Int
	// Republish is how often relays gossip their descriptors again
	// (node.Config.Republish); zero for the default.
	Republish time.Duration
}

func (o *Options) defaults() {
	if o.Providers == 0 {
		o.Providers = 2
	}
	if o.Layers == 0 {
		o.Layers = 3
	}
	if o.MixesPerLayer == 0 {
		o.MixesPerLayer = 2
	}
	if o.EpochLength == 0 {
		o.EpochLength = 10 * time.Second
	}
	if o.Cover == (cover.Rates{}) {
		o.Cover = cover.DefaultRates()
	}
	if o.MeanDelay == 0 {
		o.MeanDelay = o.Cover.Mu
	}
	o.Cover.Mu = o.MeanDelay
	if o.Messages == 0 {
		o.Messages = 3
	}
	if o.WebListen == "" {
		o.WebListen = "127.0.0.1:8080"
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.HopPricesWei == nil || o.TicketPriceWei == nil || o.TicketPackets == 0 || o.IssuerFeeWei == nil {
		// Layers ≥ 1 here, so the model has prices for it.
		if prices, err := econ.DefaultPrices(o.Layers); err == nil {
			if o.HopPricesWei == nil {
				o.HopPricesWei = prices.HopPricesWei()
			}
			if o.TicketPriceWei == nil {
				o.TicketPriceWei = econ.Wei(prices.TicketPriceWei)
			}
			if o.TicketPackets == 0 {
				o.TicketPackets = uint64(prices.TicketPackets)
			}
			if o.IssuerFeeWei == nil {
				o.IssuerFeeWei = prices.FeeFor(o.TicketPriceWei)
			}
		}
	}
	if o.ClientTickets == 0 {
		o.ClientTickets = 16
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
}

// Relay is one relay of the devnet.
type Relay struct {
	Name     string
	Roles    chain.Roles
	Operator common.Address
	NodeKey  [32]byte
	PeerID   string
	Stake    *big.Int
	Node     *node.Node
	// before are the prepaid counts of the relay's earlier runs, before
	// RestartRelay (a relay counts in memory).
	before node.PrepaidStats
}

// PrepaidStats are the relay's prepaid-packet counts over all its runs.
func (r *Relay) PrepaidStats() node.PrepaidStats {
	s := r.Node.PrepaidStats()
	s.Debited += r.before.Debited
	s.Unpaid += r.before.Unpaid
	s.Tickets += r.before.Tickets
	s.Credited += r.before.Credited
	s.Redeemed += r.before.Redeemed
	return s
}

// Payment is a client paying a provider with cheques and the provider cashing the last.
type Payment struct {
	Client, Provider common.Address
	Cheques          int      // cheques signed
	Promised         *big.Int // cumulative amount of the last cheque
	Cashed           *big.Int // what the provider received on-chain
	CashGas          uint64   // gas of the cash transaction
}

// Exchange is one message through the network.
type Exchange struct {
	From, To string
	Bytes    int
	Latency  time.Duration
	Reply    bool // sent through a reply block
}

// Result is what Run did.
type Result struct {
	Contracts chain.Contracts
	Epoch     uint64
	Topology  *pki.Topology
	Relays    []Relay
	Payments  []Payment
	Exchanges []Exchange
	// OfflineDelivered counts the messages a receiver that was offline while
	// they were sent found in its mailbox afterwards, across a restart of its provider.
	OfflineDelivered int
	// Links are what alice's and bob's links to their providers carried
	// during the exchange, cover included.
	Links []Link
	// Money is each relay's hop-by-hop account after the demo settled up.
	Money []RelayMoney
	// UnpaidRefusal is what a client without tickets was told when it sent.
	UnpaidRefusal string
	// Tickets are what each client account paid the issuer and got for it;
	// Redemptions what the providers were paid by the issuer for the
	// tickets their clients spent.
	Tickets        []TicketAccount
	Redemptions    []Redemption
	ActiveOnChain  int
	StakeOnChain   *big.Int // ETH held by the registry
	VaultOnChain   *big.Int // ETH held by the vault
	DepositsBooked *big.Int // sum of the clients' and relays' vault balances
	// Cost is what settling the demo's messages cost on-chain.
	Cost Cost
}

// Link is the traffic one client sent to its provider, and what it paid.
type Link struct {
	Client   string
	Traffic  client.TrafficStats
	Payments client.PaymentStats // tickets spent at the provider
	Elapsed  time.Duration       // the exchange of messages
	Online   time.Duration       // the client's cover ran this long
	// Messages are the client's messages that were delivered; Charged
	// the packets its provider charged it for (real and cover), PaidWei
	// what they cost at the ticket price.
	Messages int
	Charged  uint64
	PaidWei  *big.Int
	// Model is what the cost model says a client online as long, sending
	// as many messages of as many packets, pays (payments/econ).
	Model econ.SenderCost
}

// price fills in what the link's client paid, and what the model says it pays.
func (l *Link) price(o Options) error {
	t := l.Traffic
	l.Charged = t.Real + t.Drops + t.Loops
	l.PaidWei = packetsWei(l.Charged, o.TicketPriceWei, o.TicketPackets)
	if l.Messages == 0 {
		return nil
	}
	var err error
	l.Model, err = o.modelSender(l.Online, l.Messages, float64(t.Real)/float64(l.Messages), false)
	return err
}

// USDPer1000 is what the client paid per 1,000 of its messages, at the
// reference 3,000 USD/ETH.
func (l Link) USDPer1000() float64 {
	return WeiUSD(per1000(l.PaidWei, l.Messages), refUSDPerETH)
}

type account struct {
	key  *ecdsa.PrivateKey
	addr common.Address
	auth *bind.TransactOpts
}

const clients = 2

// Network is a running devnet.
type Network struct {
	Opts    Options
	Chain   *chain.Client
	Backend chain.Backend
	Epochs  pki.Epochs
	Result  *Result
	tickets *ticketDesk  // nil with NoPayments
	zero    ledgerTotals // before any packet was paid for
	// retired are the in-memory counts of relays RestartRelay closed.
	retired  ledgerTotals
	cleanups []func()
	deployer account
}

// Close stops the relays and the chain, and removes the devnet's files if it made them.
func (nw *Network) Close() {
	for i := len(nw.cleanups) - 1; i >= 0; i-- {
		nw.cleanups[i]()
	}
}

// Start builds the network: chain, contracts, relays registered, staked and
// running, cheques settled. It returns once every relay knows every relay's
// descriptor of the first epoch with all of them in the topology.
func Start(ctx context.Context, o Options) (nw *Network, err error) {
	o.defaults()
	if len(o.HopPricesWei) != o.Layers+1 || o.TicketPriceWei == nil || o.TicketPackets == 0 {
		return nil, fmt.Errorf("devnet: no prices for %d layers: set HopPricesWei (one per layer and one for providers), TicketPriceWei and TicketPackets", o.Layers)
	}
	p := func(format string, args ...any) { fmt.Fprintf(o.Out, format, args...) }
	nw = &Network{Opts: o, zero: ledgerTotals{hopWei: new(big.Int)}}
	built := nw // the error returns set nw to nil
	defer func() {
		if err != nil {
			built.Close()
		}
	}()
	ch, err := startChain(ctx, o, p)
	if err != nil {
		return nil, err
	}
	nw.cleanups = append(nw.cleanups, ch.close)
	nw.Backend = ch.b
	if nw.Opts.DataDir == "" {
		if nw.Opts.DataDir, err = os.MkdirTemp("", "murmur-devnet-"); err != nil {
			return nil, err
		}
		dir := nw.Opts.DataDir
		nw.cleanups = append(nw.cleanups, func() { os.RemoveAll(dir) })
	}
	o = nw.Opts
	deployer, relays, users := ch.accounts[0], ch.accounts[1:len(ch.accounts)-clients], ch.accounts[len(ch.accounts)-clients:]
	nw.deployer = deployer

	params := chain.DefaultParams()
	params.EpochLength = o.EpochLength
	addrs, err := chain.Deploy(ctx, ch.b, deployer.auth, params)
	if err != nil {
		return nil, err
	}
	p("deployed RelayRegistry at %s\n", addrs.Registry)
	p("deployed Vault         at %s\n", addrs.Vault)
	p("deployed TicketIssuer  at %s\n", addrs.Tickets)
	if nw.Chain, err = chain.Dial(ctx, ch.b, addrs); err != nil {
		return nil, err
	}
	if nw.Epochs, err = pki.EpochsFrom(ctx, nw.Chain); err != nil {
		return nil, err
	}
	res := &Result{Contracts: addrs}
	nw.Result = res

	// Relays listen first, so that they register the addresses they really have.
	for i, op := range relays {
		r, err := startRelay(ctx, nw.Chain, o, nw.Epochs, i, op)
		if r.Node != nil {
			n := &res.Relays
			idx := len(*n)
			nw.cleanups = append(nw.cleanups, func() { (*n)[idx].Node.Close() })
		}
		res.Relays = append(res.Relays, r)
		if err != nil {
			return nil, err
		}
		p("registered %-10s %s stake %-5s peer %s\n", r.Name, r.Operator, chain.FormatEther(r.Stake), r.PeerID)
	}
	if err := settleCheques(ctx, nw.Chain, users, relays, res, p); err != nil {
		return nil, err
	}
	if err := onChainSummary(ctx, nw.Chain, ch.b, append(append([]account{}, users...), relays...), res, p); err != nil {
		return nil, err
	}

	// The relays registered during this epoch; the network forms in the next.
	head, err := ch.b.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	res.Epoch = nw.Epochs.At(time.Unix(int64(head.Time), 0)) + 1
	wait := time.Until(nw.Epochs.Start(res.Epoch))
	p("waiting %s for epoch %d, the first with every relay in the topology\n", wait.Round(time.Second), res.Epoch)
	if err := sleepCtx(ctx, wait); err != nil {
		return nil, err
	}
	for _, r := range res.Relays {
		if err := r.Node.Start(ctx); err != nil {
			return nil, err
		}
	}
	if err := waitDescriptors(ctx, res, res.Epoch); err != nil {
		return nil, err
	}
	res.Topology, _ = res.Relays[0].Node.Directory().Topology(res.Epoch)
	printTopology(res, p)
	if !o.NoPayments {
		if err := nw.openTickets(ctx, users, p); err != nil {
			return nil, err
		}
	}
	return nw, nil
}

// Run builds the network, runs the demo and reports to o.Out.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Web != "" {
		switch {
		case !o.Keep:
			return nil, errors.New("devnet: the page is served while the network keeps running: Web needs Keep (no --once)")
		case o.RPC == "":
			return nil, errors.New("devnet: the page reads the chain over JSON-RPC, which the embedded chain does not serve: start anvil (or geth --dev) and pass its URL (--rpc)")
		}
		if err := checkWebDir(o.Web); err != nil {
			return nil, err
		}
	}
	nw, err := Start(ctx, o)
	if err != nil {
		return nil, err
	}
	defer nw.Close()
	p := func(format string, args ...any) { fmt.Fprintf(nw.Opts.Out, format, args...) }
	if err := exchange(ctx, nw, p); err != nil {
		return nil, err
	}
	if err := offlineDelivery(ctx, nw, p); err != nil {
		return nil, err
	}
	if err := redeemTickets(ctx, nw, p); err != nil {
		return nil, err
	}
	if !nw.Opts.NoSettlement {
		if err := settleAndCash(ctx, nw, p); err != nil {
			return nil, err
		}
	}
	printRelayStats(nw.Result, p)
	if nw.Opts.Web != "" {
		stop, err := nw.servePage(ctx, p)
		if err != nil {
			return nil, err
		}
		defer stop()
	}
	if nw.Opts.Keep {
		p("network running; Ctrl-C to stop\n")
		<-ctx.Done()
	}
	return nw.Result, nil
}

// ClientConfig returns the configuration of a client of provider i. Unless
// the network runs with NoPayments, the client gets a wallet of its own
// with ClientTickets tickets, from the stock of client account i; if that
// fails (it is logged), the wallet is empty and the client's sends fail
// with client.ErrNoTickets.
func (nw *Network) ClientConfig(i int) client.Config {
	cfg := nw.clientConfig(i)
	if nw.tickets != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		w, err := nw.clientWallet(ctx, i, nw.Opts.ClientTickets)
		if err != nil {
			nw.Opts.Logger.Error("devnet: no tickets for a client", "err", err)
		}
		cfg.Wallet, cfg.IssuerKeys = w, nw.Chain
	}
	return cfg
}

// clientConfig is ClientConfig without a wallet.
func (nw *Network) clientConfig(i int) client.Config {
	prov := nw.Result.Relays[i%nw.Opts.Providers]
	return client.Config{
		Provider:  client.Provider{NodeKey: prov.NodeKey, Addrs: prov.Node.Addrs()},
		Chain:     pki.FromClient(nw.Chain),
		ChainID:   nw.Chain.ChainID().Uint64(),
		Epochs:    nw.Epochs,
		Layers:    nw.Opts.Layers,
		MeanDelay: nw.Opts.MeanDelay,
		Cover:     nw.Opts.Cover,
		NoCover:   nw.Opts.NoCover,
		Logger:    nw.Opts.Logger,
	}
}

// RestartRelay stops relay i and starts it again from its data directory, on
// the same addresses, as an operator restarting the process would. ctx bounds
// the restart only.
func (nw *Network) RestartRelay(ctx context.Context, i int) error {
	cfg, err := nw.StopRelay(i)
	if err != nil {
		return err
	}
	return nw.StartRelay(ctx, i, cfg)
}

// StopRelay stops relay i and returns the configuration StartRelay starts
// it again with, on the same addresses.
func (nw *Network) StopRelay(i int) (node.Config, error) {
	r := &nw.Result.Relays[i]
	var listen []string
	for _, a := range r.Node.Addrs() {
		listen = append(listen, a.String())
	}
	cfg := r.Node.Config()
	e := r.Node.Earnings()
	r.before = r.PrepaidStats()
	nw.retired.txs += e.CashTxs
	nw.retired.gas += e.CashGas
	cfg.ListenAddrs = listen
	return cfg, r.Node.Close()
}

// StartRelay starts relay i, stopped by StopRelay, from its data
// directory. ctx bounds the start only.
func (nw *Network) StartRelay(ctx context.Context, i int, cfg node.Config) error {
	r := &nw.Result.Relays[i]
	n, err := node.New(cfg)
	if err != nil {
		return err
	}
	r.Node = n
	// The relay runs until the network closes, not until the caller's ctx ends.
	if err := n.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	return waitTopology(ctx, r)
}

// waitTopology returns once r knows the topology of the current epoch: a
// relay that does not yet places no peer, and refuses their packets and
// cheques.
func waitTopology(ctx context.Context, r *Relay) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	d := r.Node.Directory()
	for {
		ch := d.Changed()
		if _, ok := d.Topology(d.Epoch()); ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("devnet: %s has no topology of epoch %d: %w", r.Name, d.Epoch(), ctx.Err())
		}
	}
}

// startRelay creates relay i's node (listening) and registers it on-chain.
func startRelay(ctx context.Context, c *chain.Client, o Options, epochs pki.Epochs, i int, op account) (Relay, error) {
	r := Relay{Operator: op.addr, Stake: chain.Ether(int64(1 + i%3))}
	if i < o.Providers {
		r.Name, r.Roles = fmt.Sprintf("provider%d", i+1), chain.RoleProvider
	} else if issuerOf(o, i) {
		r.Name, r.Roles = issuerName, chain.RoleIssuer
	} else {
		m := i - o.Providers
		r.Name, r.Roles = fmt.Sprintf("mix%d.%d", m/o.MixesPerLayer+1, m%o.MixesPerLayer+1), chain.RoleMix
	}
	dir := filepath.Join(o.DataDir, r.Name)
	id, err := identity.LoadOrCreate(filepath.Join(dir, "identity.key"))
	if err != nil {
		return r, err
	}
	var st *node.Settlement
	var cashing *node.Cashing
	if !o.NoSettlement {
		// A relay's cheques draw on its vault deposit (its stake backs them).
		if _, err := c.Deposit(ctx, op.auth, relayDeposit); err != nil {
			return r, fmt.Errorf("devnet: %s deposit: %w", r.Name, err)
		}
		st = node.ChainSettlement(c, op.key)
		st.ChequeEvery, st.RefuseAbove = o.ChequeEvery, o.RefuseAbove
		if !o.PayByCheque {
			node.PayByLottery(st, c, op.key, o.TicketFaceWei)
		}
		cashing = relayCashing(c, op)
	}
	var prepaid *node.Prepaid
	var issuing *node.TicketIssuing
	if r.Roles&chain.RoleProvider != 0 && !o.NoPayments {
		prepaid = prepaidConfig(c, op)
	}
	if r.Roles&chain.RoleIssuer != 0 {
		issuing = issuerConfig(c, op, o)
		if o.IssuerKeyEpochs > 0 {
			// A key's expiry is checked against block time, and the
			// embedded chain's clock runs ahead of the wall clock while it
			// mines more than a block a second (one per transaction): keep
			// short-lived keys valid for two minutes at least.
			issuing.KeyEpochs = o.IssuerKeyEpochs
			issuing.Retain = max(1, uint64(2*time.Minute/(o.EpochLength*time.Duration(o.IssuerKeyEpochs))))
		}
	}
	n, err := node.New(node.Config{
		DataDir: dir, Identity: id, Operator: op.addr, Roles: r.Roles,
		Chain: pki.FromClient(c), ChainID: c.ChainID().Uint64(), Epochs: epochs, Layers: o.Layers,
		ReplayCapacity: 100_000, Logger: o.Logger.With("relay", r.Name),
		Params: networkParams(o), Cover: o.Cover, NoCover: o.NoCover, Faults: o.Faults[r.Name],
		HopPricesWei: o.HopPricesWei, Settlement: st, Cashing: cashing, Republish: o.Republish,
		Prepaid: prepaid, Issuing: issuing,
	})
	if err != nil {
		return r, fmt.Errorf("devnet: %s: %w", r.Name, err)
	}
	r.Node = n
	r.NodeKey = n.NodeKey()
	r.PeerID = n.Host().ID().String()
	if _, err := c.Register(ctx, op.auth, r.Roles, r.NodeKey, chain.EncodeMultiaddrs(n.Addrs()), r.Stake); err != nil {
		return r, fmt.Errorf("devnet: register %s: %w", r.Name, err)
	}
	return r, nil
}

// networkParams are the network parameters the relays announce in their
// descriptors, so that clients agree on them: the cover-traffic rates, with
// the devnet's mean per-hop delay.
func networkParams(o Options) map[string]string {
	o.defaults()
	return o.Cover.Params()
}

// waitDescriptors waits until every relay knows every relay's descriptor of epoch e.
func waitDescriptors(ctx context.Context, res *Result, e uint64) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for _, r := range res.Relays {
		d := r.Node.Directory()
		for {
			ch := d.Changed()
			if len(d.All(e)) == len(res.Relays) {
				break
			}
			select {
			case <-ch:
			case <-ctx.Done():
				return fmt.Errorf("devnet: %s knows %d of %d descriptors of epoch %d: %w", r.Name, len(d.All(e)), len(res.Relays), e, ctx.Err())
			}
		}
	}
	return nil
}
