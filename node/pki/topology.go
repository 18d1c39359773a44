package pki

import (
	"bytes"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain"
)

// DefaultLayers is the number of mix layers of a Murmur network unless its
// parameters say otherwise (ADR 0006).
const DefaultLayers = 3

// Node is an active relay as the registry describes it.
type Node struct {
	NodeKey    [32]byte // libp2p Ed25519 public key; also the Sphinx node ID
	Operator   common.Address
	Roles      chain.Roles
	PeerID     peer.ID
	Multiaddrs []ma.Multiaddr // from the registry; nil if they do not decode
}

// Topology is the network of one epoch: who the providers are and which
// mix is in which layer. It is a pure function of the epoch's [Snapshot]
// and the number of layers ([NewTopology]), so every node and client that
// reads the same chain computes the same one. It is read-only, and safe for
// concurrent use.
type Topology struct {
	Epoch     uint64
	Seed      common.Hash // the snapshot's block hash
	Providers []Node      // sorted by node key
	Layers    [][]Node    // Layers[i] in dealing order
	Issuers   []Node      // relays with the issuer role, sorted by node key

	index map[[32]byte]place
}

type place struct {
	node     Node
	layer    int // -1 if not a mix
	provider bool
}

// NewTopology computes the topology of snapshot s with the given number of
// layers (at least 1; see [DefaultLayers]):
//
//   - providers are the active relays with the provider role, sorted by
//     node key;
//   - mixes are the active relays with the mix role, sorted by
//     keccak256(seed ‖ nodeKey) and dealt round-robin into the layers, so
//     layer sizes differ by at most one and no operator picks its layer;
//   - issuers are the active relays with the issuer role, sorted by node
//     key: where clients buy tickets and providers redeem them.
//
// A relay with both roles is both a provider and a mix. Relays of the
// snapshot that are not active (Status) are left out.
func NewTopology(s Snapshot, layers int) *Topology {
	if layers < 1 {
		panic("pki: NewTopology with fewer than one layer")
	}
	t := &Topology{
		Epoch:  s.Epoch,
		Seed:   s.BlockHash,
		Layers: make([][]Node, layers),
		index:  make(map[[32]byte]place, len(s.Relays)),
	}
	type keyed struct {
		rank [32]byte
		node Node
	}
	var mixes []keyed
	for _, r := range s.Relays {
		if r.Status != chain.StatusActive {
			continue
		}
		if _, dup := t.index[r.NodeKey]; dup {
			continue // the registry keeps node keys unique
		}
		n := newNode(r)
		p := place{node: n, layer: -1}
		if r.Roles&chain.RoleProvider != 0 {
			t.Providers = append(t.Providers, n)
			p.provider = true
		}
		if r.Roles&chain.RoleMix != 0 {
			mixes = append(mixes, keyed{rank: mixRank(s.BlockHash, r.NodeKey), node: n})
		}
		if r.Roles&chain.RoleIssuer != 0 {
			t.Issuers = append(t.Issuers, n)
		}
		t.index[r.NodeKey] = p
	}
	slices.SortFunc(t.Providers, func(a, b Node) int { return bytes.Compare(a.NodeKey[:], b.NodeKey[:]) })
	slices.SortFunc(t.Issuers, func(a, b Node) int { return bytes.Compare(a.NodeKey[:], b.NodeKey[:]) })
	slices.SortFunc(mixes, func(a, b keyed) int {
		if c := bytes.Compare(a.rank[:], b.rank[:]); c != 0 {
			return c
		}
		return bytes.Compare(a.node.NodeKey[:], b.node.NodeKey[:])
	})
	for i, m := range mixes {
		l := i % layers
		t.Layers[l] = append(t.Layers[l], m.node)
		p := t.index[m.node.NodeKey]
		p.layer = l
		t.index[m.node.NodeKey] = p
	}
	return t
}

// mixRank is keccak256(seed ‖ nodeKey), the order in which mixes are dealt.
func mixRank(seed common.Hash, nodeKey [32]byte) [32]byte {
	return crypto.Keccak256Hash(seed[:], nodeKey[:])
}

func newNode(r chain.Relay) Node {
	n := Node{NodeKey: r.NodeKey, Operator: r.Operator, Roles: r.Roles, PeerID: PeerID(r.NodeKey)}
	if addrs, err := chain.DecodeMultiaddrs(r.Multiaddrs); err == nil {
		n.Multiaddrs = addrs
	}
	return n
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

// Layer returns the layer of the mix with the given node key.
func (t *Topology) Layer(nodeKey [32]byte) (int, bool) {
	p, ok := t.index[nodeKey]
	if !ok || p.layer < 0 {
		return 0, false
	}
	return p.layer, true
}

// IsProvider reports whether the relay with the given node key is a
// provider of the epoch.
func (t *Topology) IsProvider(nodeKey [32]byte) bool { return t.index[nodeKey].provider }

// Contains reports whether the relay with the given node key is active in
// the epoch, in whatever role.
func (t *Topology) Contains(nodeKey [32]byte) bool {
	_, ok := t.index[nodeKey]
	return ok
}

// Node returns the relay with the given node key.
func (t *Topology) Node(nodeKey [32]byte) (Node, bool) {
	p, ok := t.index[nodeKey]
	return p.node, ok
}

// Len returns the number of distinct relays in the topology.
func (t *Topology) Len() int { return len(t.index) }
