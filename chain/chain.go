// Package chain connects Murmur to its contracts on any Ethereum JSON-RPC
// endpoint (or an embedded simulated chain): it deploys the RelayRegistry,
// the Vault and the TicketIssuer, sends their transactions and waits for
// them, reads their state, cashes cheques ([Cashier]),
// and turns reverts into typed errors an operator can read ("stake below
// minimum (have 0.5 ETH, need 1 ETH)" rather than "execution reverted").
//
// It sits on top of the abigen bindings in package bindings; everything that
// talks to the chain (the node, payments, the CLI, the devnet) goes through it.
package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/bindings"
)

// Backend is what the package needs of a chain connection; *ethclient.Client
// and [Simulated] provide it.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	ChainID(ctx context.Context) (*big.Int, error)
	BalanceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (*big.Int, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
}

// Params are the constructor parameters of a deployment.
type Params struct {
	MinStake         *big.Int      // least stake of a registry entry
	UnbondingDelay   time.Duration // between exit (or jailing) and withdrawal of stake
	EpochLength      time.Duration // PKI epoch
	WithdrawalNotice time.Duration // between announcing and taking a vault withdrawal
}

// DefaultParams are the parameters docs/design.md names: 20-minute epochs, 1 ETH
// minimum stake, a week of unbonding and two days of withdrawal notice.
func DefaultParams() Params {
	return Params{
		MinStake:         Ether(1),
		UnbondingDelay:   7 * 24 * time.Hour,
		EpochLength:      20 * time.Minute,
		WithdrawalNotice: 2 * 24 * time.Hour,
	}
}

// Ether returns n ETH in wei.
func Ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }

// Deploy deploys a RelayRegistry, a Vault and a TicketIssuer from auth's
// account and waits until all are mined. The registry names the vault and the
// ticket issuer as its enforcers by their predicted CREATE addresses, so the
// three are bound together without an owner.
func Deploy(ctx context.Context, b Backend, auth *bind.TransactOpts, p Params) (Contracts, error) {
	c, _, err := deployAll(ctx, b, auth, p)
	return c, err
}

// deployAll is Deploy, also returning the receipt of the first deployment.
func deployAll(ctx context.Context, b Backend, auth *bind.TransactOpts, p Params) (Contracts, *types.Receipt, error) {
	if p.MinStake == nil || p.MinStake.Sign() <= 0 || p.EpochLength < time.Second {
		return Contracts{}, nil, errors.New("chain: deploy: minimum stake and an epoch of at least a second are required")
	}
	nonce, err := b.PendingNonceAt(ctx, auth.From)
	if err != nil {
		return Contracts{}, nil, fmt.Errorf("chain: deploy: nonce of %s: %w", auth.From, err)
	}
	want := Contracts{
		Registry: crypto.CreateAddress(auth.From, nonce),
		Vault:    crypto.CreateAddress(auth.From, nonce+1),
		Tickets:  crypto.CreateAddress(auth.From, nonce+2),
	}
	steps := []struct {
		name  string
		bin   string
		input []byte
		addr  common.Address
	}{
		{"RelayRegistry", bindings.RelayRegistryMetaData.Bin, registryABI.PackConstructor(
			p.MinStake, seconds(p.UnbondingDelay), seconds(p.EpochLength), []common.Address{want.Vault, want.Tickets}), want.Registry},
		{"Vault", bindings.VaultMetaData.Bin, vaultABI.PackConstructor(want.Registry, seconds(p.WithdrawalNotice)), want.Vault},
		{"TicketIssuer", bindings.TicketIssuerMetaData.Bin, ticketsABI.PackConstructor(want.Registry, want.Vault), want.Tickets},
	}
	var txs []*types.Transaction
	for i, st := range steps {
		addr, tx, err := deploy(ctx, b, auth, nonce+uint64(i), st.bin, st.input)
		if err != nil {
			return Contracts{}, nil, fmt.Errorf("chain: deploy %s: %w", st.name, err)
		}
		if addr != st.addr {
			return Contracts{}, nil, fmt.Errorf("chain: deploy: %s landed at %s, expected %s", st.name, addr, st.addr)
		}
		txs = append(txs, tx)
	}
	for _, tx := range txs {
		if _, err := bind.WaitDeployed(ctx, b, tx.Hash()); err != nil {
			return Contracts{}, nil, fmt.Errorf("chain: deploy: waiting for %s: %w", tx.Hash(), err)
		}
	}
	first, err := b.TransactionReceipt(ctx, txs[0].Hash())
	if err != nil {
		return Contracts{}, nil, fmt.Errorf("chain: deploy: receipt of %s: %w", txs[0].Hash(), err)
	}
	return want, first, nil
}

func deploy(ctx context.Context, b Backend, auth *bind.TransactOpts, nonce uint64, bin string, input []byte) (common.Address, *types.Transaction, error) {
	opts := *auth
	opts.Context = ctx
	opts.Nonce = new(big.Int).SetUint64(nonce)
	return bind.DeployContract(&opts, common.FromHex(bin), b, input)
}

func seconds(d time.Duration) uint64 { return uint64(d / time.Second) }

// WaitMined waits for tx and fails if it reverted.
func WaitMined(ctx context.Context, b Backend, tx *types.Transaction) (*types.Receipt, error) {
	r, err := bind.WaitMined(ctx, b, tx.Hash())
	if err != nil {
		return nil, fmt.Errorf("chain: waiting for %s: %w", tx.Hash(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("chain: transaction %s reverted in block %d", tx.Hash(), r.BlockNumber)
	}
	return r, nil
}

// checkCode fails with ErrNoContract unless there is code at addr.
func checkCode(ctx context.Context, b Backend, addr common.Address) error {
	code, err := b.CodeAt(ctx, addr, nil)
	if err != nil {
		return fmt.Errorf("chain: reading code at %s: %w", addr, err)
	}
	if len(code) == 0 {
		return fmt.Errorf("%w %s", ErrNoContract, addr)
	}
	return nil
}
