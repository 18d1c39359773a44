//go:build !js

package pki

import (
	"github.com/ethereum/go-ethereum/common"
	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain/light"
)

// Node is an active relay as the registry describes it.
type Node struct {
	NodeKey    [32]byte // libp2p Ed25519 public key; also the Sphinx node ID
	Operator   common.Address
	Roles      light.Roles
	PeerID     peer.ID
	Multiaddrs []ma.Multiaddr // from the registry; nil if they do not decode
}

func newNode(r light.Relay) Node {
	return Node{NodeKey: r.NodeKey, Operator: r.Operator, Roles: r.Roles, PeerID: PeerID(r.NodeKey), Multiaddrs: registryAddrs(r)}
}

// PeerID returns the libp2p peer ID of the relay whose Ed25519 public key
// is nodeKey (ADR 0003).
func PeerID(nodeKey [32]byte) peer.ID {
	pub, err := lcrypto.UnmarshalEd25519PublicKey(nodeKey[:])
	if err != nil {
		panic(err) // only fails for a length other than 32
	}
	id, err := peer.IDFromPublicKey(pub)
	if err != nil {
		panic(err) // Ed25519 keys are small enough to be inlined; no error
	}
	return id
}
