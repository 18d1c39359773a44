package light

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Roles is the registry's role bitmask.
type Roles uint8

// The roles a relay can take.
const (
	RoleProvider Roles = 1 << iota
	RoleMix
	RoleIssuer
)

// Status is a registry entry's life-cycle state.
type Status uint8

// The states of IRelayRegistry.Status.
const (
	StatusNone Status = iota
	StatusActive
	StatusExiting
	StatusJailed
)

func (s Status) String() string {
	switch s {
	case StatusNone:
		return "none"
	case StatusActive:
		return "active"
	case StatusExiting:
		return "exiting"
	case StatusJailed:
		return "jailed"
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}

// Relay is one registry entry.
type Relay struct {
	Operator   common.Address
	Roles      Roles
	Status     Status
	Stake      *big.Int
	UnlockAt   time.Time // zero while active
	NodeKey    [32]byte  // libp2p Ed25519 public key
	Multiaddrs []byte    // uvarint-length-prefixed binary multiaddrs
}

// Header is what Murmur reads of a block: its number, its timestamp and
// its hash (an epoch's topology seed, ADR 0006).
type Header struct {
	Number uint64
	Time   uint64 // unix seconds
	Hash   common.Hash
}

// Contracts are the addresses of one Murmur deployment.
type Contracts struct {
	Registry common.Address `json:"registry" toml:"registry"`
	Vault    common.Address `json:"vault" toml:"vault"`
	Tickets  common.Address `json:"tickets" toml:"tickets"`
}

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
