//go:build js

package pki

import (
	"github.com/ethereum/go-ethereum/common"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain/light"
)

// Node is an active relay as the registry describes it. In the browser
// core it has no libp2p peer ID: the page's js-libp2p derives that from
// the node key, and Go's libp2p packages would not fit the page.
type Node struct {
	NodeKey    [32]byte // libp2p Ed25519 public key; also the Sphinx node ID
	Operator   common.Address
	Roles      light.Roles
	Multiaddrs []ma.Multiaddr // from the registry; nil if they do not decode
}

func newNode(r light.Relay) Node {
	return Node{NodeKey: r.NodeKey, Operator: r.Operator, Roles: r.Roles, Multiaddrs: registryAddrs(r)}
}
