package devnet

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/murmurnet/murmur/chain"
)

// chainConn is the devnet's chain with its funded accounts.
type chainConn struct {
	b        chain.Backend
	accounts []account
	close    func()
}

// startChain connects to the chain (embedded, or o.RPC) and returns funded
// accounts: a deployer, one per relay, one per client. The embedded chain
// mines a block every second, as a real chain would.
func startChain(ctx context.Context, o Options, p func(string, ...any)) (*chainConn, error) {
	n := 1 + o.Providers + o.Layers*o.MixesPerLayer + 1 + clients // deployer, relays, issuer, clients
	keys := make([]*ecdsa.PrivateKey, n)
	for i := range keys {
		var err error
		if keys[i], err = crypto.GenerateKey(); err != nil {
			return nil, fmt.Errorf("devnet: key: %w", err)
		}
	}
	cc := &chainConn{}
	var chainID *big.Int
	if o.RPC == "" {
		alloc := types.GenesisAlloc{}
		for _, k := range keys {
			alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: chain.Ether(100)}
		}
		sim := chain.NewSimulated(alloc)
		mctx, stop := context.WithCancel(context.Background())
		go func() {
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				select {
				case <-mctx.Done():
					return
				case <-t.C:
					sim.Mine()
				}
			}
		}()
		cc.b, chainID = sim, big.NewInt(1337)
		cc.close = func() { stop(); sim.Close() }
		p("chain: embedded go-ethereum simulated chain (id 1337)\n")
	} else {
		rc, err := rpc.DialContext(ctx, o.RPC)
		if err != nil {
			return nil, fmt.Errorf("devnet: dial %s: %w", o.RPC, err)
		}
		ec := ethclient.NewClient(rc)
		if chainID, err = ec.ChainID(ctx); err != nil {
			rc.Close()
			return nil, fmt.Errorf("devnet: %s: %w", o.RPC, err)
		}
		addrs := make([]common.Address, n)
		for i, k := range keys {
			addrs[i] = crypto.PubkeyToAddress(k.PublicKey)
		}
		if err := chain.FundFromNode(ctx, rc, ec, chain.Ether(100), addrs...); err != nil {
			rc.Close()
			return nil, fmt.Errorf("devnet: %w", err)
		}
		cc.b, cc.close = ec, rc.Close
		p("chain: %s (id %s), %d accounts funded from the node's dev account\n", o.RPC, chainID, n)
	}
	cc.accounts = make([]account, n)
	for i, k := range keys {
		cc.accounts[i] = account{key: k, addr: crypto.PubkeyToAddress(k.PublicKey), auth: bind.NewKeyedTransactor(k, chainID)}
	}
	return cc, nil
}
