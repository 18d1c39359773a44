package chain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/internal/atomicfile"
)

// Network is what a network file records of one deployment, so that
// relays, clients and browsers find it without pasting addresses: the
// chain it is on, its contracts, the block it was deployed in (where a
// scan of its logs starts) and its parameters.
type Network struct {
	ChainID     uint64         `json:"chain_id"`
	Contracts   Contracts      `json:"contracts"`
	DeployBlock uint64         `json:"deploy_block"`
	Deployer    common.Address `json:"deployer"`
	Params      NetworkParams  `json:"params"`
}

// NetworkParams are a deployment's constructor parameters, as written in
// its network file (wei as a decimal string, durations in seconds).
type NetworkParams struct {
	MinStakeWei             string `json:"min_stake_wei"`
	UnbondingDelaySeconds   uint64 `json:"unbonding_delay_s"`
	EpochLengthSeconds      uint64 `json:"epoch_length_s"`
	WithdrawalNoticeSeconds uint64 `json:"withdrawal_notice_s"`
}

// ErrNetworkFile wraps every reason a network file is refused.
var ErrNetworkFile = errors.New("chain: bad network file")

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

// Check reports the first field of n that cannot describe a deployment.
func (n Network) Check() error {
	switch {
	case n.ChainID == 0:
		return fmt.Errorf("%w: no chain_id", ErrNetworkFile)
	case n.Contracts.Registry == (common.Address{}) || n.Contracts.Vault == (common.Address{}) || n.Contracts.Tickets == (common.Address{}):
		return fmt.Errorf("%w: contracts.registry, contracts.vault and contracts.tickets are required", ErrNetworkFile)
	}
	if n.Params.MinStakeWei != "" {
		if v, ok := new(big.Int).SetString(n.Params.MinStakeWei, 10); !ok || v.Sign() <= 0 {
			return fmt.Errorf("%w: params.min_stake_wei %q is not a positive amount", ErrNetworkFile, n.Params.MinStakeWei)
		}
	}
	return nil
}

// EpochLength is the registry's epoch, zero if the file does not say.
func (n Network) EpochLength() time.Duration {
	return time.Duration(n.Params.EpochLengthSeconds) * time.Second
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

// ParseNetwork decodes and checks a network file's contents (a browser
// client gets them over HTTP).
func ParseNetwork(b []byte) (Network, error) {
	var n Network
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&n); err != nil {
		return Network{}, fmt.Errorf("%w: %w", ErrNetworkFile, err)
	}
	if err := n.Check(); err != nil {
		return Network{}, err
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
