// Package devnet runs a Murmur network on one machine with no setup: an
// embedded go-ethereum simulated chain, the contracts deployed on it, relays
// registered and staked, clients funded, and money moving through the Vault.
//
// Today it exercises the on-chain layer end to end (deploy, register, stake,
// deposit, cheques signed off-chain and cashed on-chain) and reports what it
// did; the relays it registers are started as libp2p nodes once the relay
// network exists.
package devnet

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"fmt"
	"io"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/payments/cheque"
)

// Options shape the network.
type Options struct {
	// RPC is a JSON-RPC endpoint of a development chain (anvil, geth --dev)
	// whose node holds an unlocked, funded account; empty for the embedded chain.
	RPC           string
	Providers     int       // default 2
	Layers        int       // mix layers, default 3
	MixesPerLayer int       // default 2
	Clients       int       // default 2
	Out           io.Writer // progress report; nil for none
	Rand          io.Reader // key material; nil for crypto/rand
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
	if o.Clients == 0 {
		o.Clients = 2
	}
	if o.Out == nil {
		o.Out = io.Discard
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
}

// Payment is a client paying a provider with cheques and the provider cashing the last.
type Payment struct {
	Client, Provider common.Address
	Cheques          int      // cheques signed
	Promised         *big.Int // cumulative amount of the last cheque
	Cashed           *big.Int // what the provider received on-chain
	CashGas          uint64   // gas of the cash transaction
}

// Result is what Run did.
type Result struct {
	Contracts      chain.Contracts
	Relays         []Relay
	Payments       []Payment
	ActiveOnChain  int
	StakeOnChain   *big.Int // ETH held by the registry
	VaultOnChain   *big.Int // ETH held by the vault
	DepositsBooked *big.Int // sum of the clients' vault balances
}

type account struct {
	key  *ecdsa.PrivateKey
	addr common.Address
	auth *bind.TransactOpts
}

// Run builds the network on a fresh embedded chain and reports to o.Out.
func Run(ctx context.Context, o Options) (*Result, error) {
	o.defaults()
	p := func(format string, args ...any) { fmt.Fprintf(o.Out, format, args...) }
	sim, accounts, closeChain, err := startChain(ctx, o, p)
	if err != nil {
		return nil, err
	}
	defer closeChain()
	deployer, relays, clients := accounts[0], accounts[1:len(accounts)-o.Clients], accounts[len(accounts)-o.Clients:]

	addrs, err := chain.Deploy(ctx, sim, deployer.auth, chain.DefaultParams())
	if err != nil {
		return nil, err
	}
	p("deployed RelayRegistry at %s\n", addrs.Registry)
	p("deployed Vault         at %s\n", addrs.Vault)
	p("deployed TicketIssuer  at %s\n", addrs.Tickets)
	c, err := chain.Dial(ctx, sim, addrs)
	if err != nil {
		return nil, err
	}
	res := &Result{Contracts: addrs}

	for i, op := range relays {
		r, err := register(ctx, c, o, i, op)
		if err != nil {
			return nil, err
		}
		res.Relays = append(res.Relays, r)
		p("registered %-10s %s stake %-7s peer %s\n", r.Name, r.Operator, chain.FormatEther(r.Stake), r.PeerID)
	}

	for i, cl := range clients {
		if _, err := c.Deposit(ctx, cl.auth, chain.Ether(1)); err != nil {
			return nil, fmt.Errorf("devnet: client %d deposit: %w", i, err)
		}
		p("client%d %s deposited 1 ETH into the vault\n", i+1, cl.addr)
	}

	// Each client pays a provider with a few cheques of growing cumulative
	// amount, as it would for tickets; the provider cashes only the latest.
	for i, cl := range clients {
		prov := res.Relays[i%o.Providers]
		pay, err := payAndCash(ctx, c, cl, relays[i%o.Providers], 3+i)
		if err != nil {
			return nil, err
		}
		res.Payments = append(res.Payments, pay)
		p("client%d signed %d cheques to %s (cumulative %s); %s cashed %s on-chain for %d gas\n",
			i+1, pay.Cheques, prov.Name, chain.FormatEther(pay.Promised), prov.Name, chain.FormatEther(pay.Cashed), pay.CashGas)
	}

	active, err := c.ActiveRelays(ctx)
	if err != nil {
		return nil, err
	}
	res.ActiveOnChain = len(active)
	if res.StakeOnChain, err = sim.BalanceAt(ctx, addrs.Registry, nil); err != nil {
		return nil, err
	}
	if res.VaultOnChain, err = sim.BalanceAt(ctx, addrs.Vault, nil); err != nil {
		return nil, err
	}
	res.DepositsBooked = new(big.Int)
	for _, cl := range clients {
		b, err := c.VaultBalance(ctx, cl.addr)
		if err != nil {
			return nil, err
		}
		res.DepositsBooked.Add(res.DepositsBooked, b)
	}
	p("active relays on-chain: %d, staked %s\n", res.ActiveOnChain, chain.FormatEther(res.StakeOnChain))
	p("vault holds %s, clients' deposits book %s\n", chain.FormatEther(res.VaultOnChain), chain.FormatEther(res.DepositsBooked))
	return res, nil
}

// startChain connects to the chain (embedded, or o.RPC) and returns funded
// accounts: a deployer, one per relay, one per client.
func startChain(ctx context.Context, o Options, p func(string, ...any)) (chain.Backend, []account, func(), error) {
	n := 1 + o.Providers + o.Layers*o.MixesPerLayer + o.Clients
	keys := make([]*ecdsa.PrivateKey, n)
	for i := range keys {
		var err error
		if o.Rand != nil {
			keys[i], err = ecdsa.GenerateKey(crypto.S256(), o.Rand)
		} else {
			keys[i], err = crypto.GenerateKey()
		}
		if err != nil {
			return nil, nil, nil, fmt.Errorf("devnet: key: %w", err)
		}
	}
	var (
		b       chain.Backend
		closeFn func()
		chainID *big.Int
	)
	if o.RPC == "" {
		alloc := types.GenesisAlloc{}
		for _, k := range keys {
			alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: chain.Ether(100)}
		}
		sim := chain.NewSimulated(alloc)
		b, closeFn, chainID = sim, func() { sim.Close() }, big.NewInt(1337)
		p("chain: embedded go-ethereum simulated chain (id 1337)\n")
	} else {
		rc, err := rpc.DialContext(ctx, o.RPC)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("devnet: dial %s: %w", o.RPC, err)
		}
		ec := ethclient.NewClient(rc)
		if chainID, err = ec.ChainID(ctx); err != nil {
			rc.Close()
			return nil, nil, nil, fmt.Errorf("devnet: %s: %w", o.RPC, err)
		}
		addrs := make([]common.Address, n)
		for i, k := range keys {
			addrs[i] = crypto.PubkeyToAddress(k.PublicKey)
		}
		if err := chain.FundFromNode(ctx, rc, ec, chain.Ether(100), addrs...); err != nil {
			rc.Close()
			return nil, nil, nil, fmt.Errorf("devnet: %w", err)
		}
		b, closeFn = ec, rc.Close
		p("chain: %s (id %s), %d accounts funded from the node's dev account\n", o.RPC, chainID, n)
	}
	accounts := make([]account, n)
	for i, k := range keys {
		accounts[i] = account{key: k, addr: crypto.PubkeyToAddress(k.PublicKey), auth: bind.NewKeyedTransactor(k, chainID)}
	}
	return b, accounts, closeFn, nil
}

func register(ctx context.Context, c *chain.Client, o Options, i int, op account) (Relay, error) {
	r := Relay{Operator: op.addr, Stake: chain.Ether(int64(1 + i%3))}
	if i < o.Providers {
		r.Name, r.Roles = fmt.Sprintf("provider%d", i+1), chain.RoleProvider
		if i == 0 {
			r.Roles |= chain.RoleIssuer
		}
	} else {
		m := i - o.Providers
		r.Name, r.Roles = fmt.Sprintf("mix%d.%d", m/o.MixesPerLayer+1, m%o.MixesPerLayer+1), chain.RoleMix
	}
	pub, _, err := ed25519.GenerateKey(o.Rand)
	if err != nil {
		return Relay{}, fmt.Errorf("devnet: node key: %w", err)
	}
	copy(r.NodeKey[:], pub)
	r.PeerID = chain.PeerID(r.NodeKey)
	port := 4001 + i
	listen := []ma.Multiaddr{
		ma.StringCast(fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", port)),
		ma.StringCast(fmt.Sprintf("/ip4/127.0.0.1/udp/%d/quic-v1", port)),
	}
	if _, err := c.Register(ctx, op.auth, r.Roles, r.NodeKey, chain.EncodeMultiaddrs(listen), r.Stake); err != nil {
		return Relay{}, fmt.Errorf("devnet: register %s: %w", r.Name, err)
	}
	return r, nil
}

func payAndCash(ctx context.Context, c *chain.Client, client, provider account, n int) (Payment, error) {
	pay := Payment{Client: client.addr, Provider: provider.addr, Cheques: n}
	unit := big.NewInt(1e15) // 0.001 ETH a cheque's worth of tickets
	var last cheque.Signed
	for k := 1; k <= n; k++ {
		amount := new(big.Int).Mul(unit, big.NewInt(int64(k)))
		s, err := c.ChequeDomain().Sign(cheque.Cheque{Payer: client.addr, Payee: provider.addr, CumulativeAmount: amount}, client.key)
		if err != nil {
			return pay, err
		}
		// The payee checks every cheque before it gives anything for it.
		if err := c.ChequeDomain().Verify(s); err != nil {
			return pay, err
		}
		last = s
	}
	pay.Promised = last.CumulativeAmount
	paid, r, err := c.Cash(ctx, provider.auth, last)
	if err != nil {
		return pay, fmt.Errorf("devnet: cash: %w", err)
	}
	pay.Cashed, pay.CashGas = paid, r.GasUsed
	return pay, nil
}
