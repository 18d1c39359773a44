package devnet

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain"
)

// What a client made with the SDK (node/client.Dial) needs of a devnet:
// its network, a provider's address, and ETH for an account of its own.

// Network is the devnet's deployment as a network file records it.
func (nw *Network) Network(ctx context.Context) (chain.Network, error) {
	id, err := nw.Backend.ChainID(ctx)
	if err != nil {
		return chain.Network{}, err
	}
	return chain.Network{ChainID: id.Uint64(), Contracts: nw.Result.Contracts, Deployer: nw.deployer.addr,
		Params: chain.NetworkParams{EpochLengthSeconds: uint64(nw.Epochs.Length.Seconds())}}, nil
}

// WriteNetworkFile writes the devnet's network file at path, for clients
// and relays of other processes.
func (nw *Network) WriteNetworkFile(ctx context.Context, path string) error {
	n, err := nw.Network(ctx)
	if err != nil {
		return err
	}
	return chain.WriteNetworkFile(path, n)
}

// ProviderAddr is provider i's multiaddr, ending in /p2p/<peer id>.
func (nw *Network) ProviderAddr(i int) string {
	r := nw.Result.Relays[i%nw.Opts.Providers]
	return fmt.Sprintf("%s/p2p/%s", r.Node.Addrs()[0], r.Node.Host().ID())
}

// ProviderWSAddr is provider i's WebSocket multiaddr (what a browser
// dials), ending in /p2p/<peer id>; empty if it has none.
func (nw *Network) ProviderWSAddr(i int) string {
	r := nw.Result.Relays[i%nw.Opts.Providers]
	for _, a := range r.Node.Addrs() {
		if _, err := a.ValueForProtocol(ma.P_WS); err == nil {
			return fmt.Sprintf("%s/p2p/%s", a, r.Node.Host().ID())
		}
	}
	return ""
}

// Fund sends amount wei to to from the devnet's deployer, and waits for it.
func (nw *Network) Fund(ctx context.Context, to common.Address, amount *big.Int) error {
	d := nw.deployer
	nonce, err := nw.Backend.PendingNonceAt(ctx, d.addr)
	if err != nil {
		return err
	}
	tip, err := nw.Backend.SuggestGasTipCap(ctx)
	if err != nil {
		return err
	}
	head, err := nw.Backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return err
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: nw.Chain.ChainID(), Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: 21_000, To: &to, Value: amount})
	signed, err := d.auth.Signer(d.addr, tx)
	if err != nil {
		return err
	}
	if err := nw.Backend.SendTransaction(ctx, signed); err != nil {
		return fmt.Errorf("devnet: funding %s: %w", to, err)
	}
	_, err = chain.WaitMined(ctx, nw.Backend, signed)
	return err
}

// NewPayer is a fresh account funded with 1 ETH from the deployer, with
// deposit of it in the Vault: a client that pays by cheque (a page's
// wallet, a test). Its key is a throwaway of a development chain.
func (nw *Network) NewPayer(ctx context.Context, deposit *big.Int) (*ecdsa.PrivateKey, error) {
	key, err := crypto.GenerateKey()
	if err != nil {
		return nil, err
	}
	if err := nw.Fund(ctx, crypto.PubkeyToAddress(key.PublicKey), chain.Ether(1)); err != nil {
		return nil, err
	}
	if _, err := nw.Chain.Deposit(ctx, bind.NewKeyedTransactor(key, nw.Chain.ChainID()), deposit); err != nil {
		return nil, fmt.Errorf("devnet: a payer's Vault deposit: %w", err)
	}
	return key, nil
}
