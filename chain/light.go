package chain

import (
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain/light"
)

// The deployment's record types live in package light, which the browser
// core reads the chain with; these names keep them where the rest of
// Murmur has always found them.
type (
	// Roles is the registry's role bitmask.
	Roles = light.Roles
	// Status is a registry entry's life-cycle state.
	Status = light.Status
	// Relay is one registry entry.
	Relay = light.Relay
	// Contracts are the addresses of one Murmur deployment.
	Contracts = light.Contracts
	// Network is what a network file records of one deployment.
	Network = light.Network
	// NetworkParams are a deployment's parameters as its network file writes them.
	NetworkParams = light.NetworkParams
)

// The roles a relay can take.
const (
	RoleProvider = light.RoleProvider
	RoleMix      = light.RoleMix
	RoleIssuer   = light.RoleIssuer
)

// The states of IRelayRegistry.Status.
const (
	StatusNone    = light.StatusNone
	StatusActive  = light.StatusActive
	StatusExiting = light.StatusExiting
	StatusJailed  = light.StatusJailed
)

var (
	// ErrNetworkFile wraps every reason a network file is refused.
	ErrNetworkFile = light.ErrNetworkFile
	// ErrNoContract means there is no code at a configured contract
	// address: the wrong chain, or a deployment that has not happened.
	ErrNoContract = light.ErrNoContract
)

// ParseNetwork decodes and checks a network file's contents.
func ParseNetwork(b []byte) (Network, error) { return light.ParseNetwork(b) }

// ErrBadMultiaddrs means a registry entry's multiaddrs field does not decode.
var ErrBadMultiaddrs = light.ErrBadMultiaddrs

// EncodeMultiaddrs packs addresses as the registry stores them
// ([light.EncodeMultiaddrs]).
func EncodeMultiaddrs(addrs []ma.Multiaddr) []byte { return light.EncodeMultiaddrs(addrs) }

// DecodeMultiaddrs unpacks what EncodeMultiaddrs packed.
func DecodeMultiaddrs(b []byte) ([]ma.Multiaddr, error) { return light.DecodeMultiaddrs(b) }
