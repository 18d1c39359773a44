package client_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log"
	"log/slog"
	"math/big"
	"os"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/devnet"
	"github.com/murmurnet/murmur/node/client"
)

// The examples run against one devnet on an embedded chain: 2 providers,
// 3 layers of 2 mixes and a ticket issuer, with payments on. Against a
// real network, Options take an RPC URL and the network file of `murmur
// deploy` instead of Backend and Network.
var (
	netOnce sync.Once
	net     *devnet.Network
)

func exampleNet() *devnet.Network {
	netOnce.Do(func() {
		// The network runs as long as Start's context: the test binary's life.
		var err error
		net, err = devnet.Start(context.Background(), devnet.Options{NoCover: true, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			log.Fatal(err)
		}
	})
	return net
}

// account makes an Ethereum account with ETH and a Vault deposit that
// backs its cheques to ticket issuers, as a user's wallet would.
func account(ctx context.Context, nw *devnet.Network) *ecdsa.PrivateKey {
	key, err := crypto.GenerateKey()
	if err != nil {
		log.Fatal(err)
	}
	if err := nw.Fund(ctx, crypto.PubkeyToAddress(key.PublicKey), chain.Ether(1)); err != nil {
		log.Fatal(err)
	}
	if _, err := nw.Chain.Deposit(ctx, bind.NewKeyedTransactor(key, nw.Chain.ChainID()), big.NewInt(1e17)); err != nil {
		log.Fatal(err)
	}
	return key
}

// dial connects a client with its own data directory and account, at
// provider i.
func dial(ctx context.Context, nw *devnet.Network, i int) *client.Client {
	network, err := nw.Network(ctx)
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "murmur-example-")
	if err != nil {
		log.Fatal(err)
	}
	c, err := client.Dial(ctx, client.Options{
		Backend:  nw.Backend, // or RPC: "https://..."
		Network:  &network,   // or NetworkFile: "network.json"
		Provider: nw.ProviderAddr(i),
		DataDir:  dir,
		Account:  account(ctx, nw),
		NoCover:  true, // the examples want speed, not anonymity
	})
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// A client buys tickets from the network's issuer with cheques from its
// account's Vault deposit; its provider takes them for packets.
func ExampleClient_Buy() {
	ctx := context.Background()
	nw := exampleNet()
	alice := dial(ctx, nw, 0)
	defer alice.Close()
	n, err := alice.Buy(ctx, 2)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("bought", n, "tickets")
	// Output: bought 2 tickets
}

// Alice writes to bob through five hops, with a reply block; bob answers
// through it without learning where alice is.
func ExampleClient_Send() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	nw := exampleNet()
	alice, bob := dial(ctx, nw, 0), dial(ctx, nw, 1)
	defer alice.Close()
	defer bob.Close()
	for _, c := range []*client.Client{alice, bob} {
		if _, err := c.Buy(ctx, 1); err != nil {
			log.Fatal(err)
		}
	}
	if err := alice.Send(ctx, bob.Address(), []byte("hello bob"), client.SendOptions{WithReply: true}); err != nil {
		log.Fatal(err)
	}
	m, err := bob.Receive(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(m.Body))
	if err := bob.Reply(ctx, m, []byte("hello alice")); err != nil {
		log.Fatal(err)
	}
	r, err := alice.Receive(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(r.Body), r.IsReply)
	// Output:
	// hello bob
	// hello alice true
}
