package chain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"

	"github.com/murmurnet/murmur/internal/atomicfile"
)

// DeployNetwork deploys Murmur's contracts as [Deploy] does and returns
// the network file's record of them.
func DeployNetwork(ctx context.Context, b Backend, auth *bind.TransactOpts, p Params) (Network, error) {
	id, err := b.ChainID(ctx)
	if err != nil {
		return Network{}, fmt.Errorf("chain: deploy: chain id: %w", err)
	}
	c, first, err := deployAll(ctx, b, auth, p)
	if err != nil {
		return Network{}, err
	}
	return Network{
		ChainID: id.Uint64(), Contracts: c, DeployBlock: first.BlockNumber.Uint64(), Deployer: auth.From,
		Params: NetworkParams{
			MinStakeWei: p.MinStake.String(), UnbondingDelaySeconds: seconds(p.UnbondingDelay),
			EpochLengthSeconds: seconds(p.EpochLength), WithdrawalNoticeSeconds: seconds(p.WithdrawalNotice),
		},
	}, nil
}

// WriteNetworkFile writes n to path, atomically; it refuses to replace a
// file that exists (another deployment's record would be lost).
func WriteNetworkFile(path string, n Network) error {
	if err := n.Check(); err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists: a network file is not overwritten (remove it, or write elsewhere)", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	b, err := json.MarshalIndent(n, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(b, '\n'))
}

// ReadNetworkFile reads and checks a network file.
func ReadNetworkFile(path string) (Network, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Network{}, err
	}
	n, err := ParseNetwork(b)
	if err != nil {
		return Network{}, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}

// DialNetwork connects to the deployment n records through b, and fails
// with a clear reason when b is another chain.
func DialNetwork(ctx context.Context, b Backend, n Network) (*Client, error) {
	id, err := b.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain: chain id: %w", err)
	}
	if id.Uint64() != n.ChainID {
		return nil, fmt.Errorf("%w: the network file is for chain %d, the RPC endpoint serves chain %d", ErrNetworkFile, n.ChainID, id)
	}
	return Dial(ctx, b, n.Contracts)
}
