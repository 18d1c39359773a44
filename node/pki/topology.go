package pki

import (
	"bytes"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain/light"
)

// DefaultLayers is the number of mix layers of a Murmur network unless its
// parameters say otherwise (ADR 0006).
const DefaultLayers = 3

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
		if r.Status != light.StatusActive {
			continue
		}
		if _, dup := t.index[r.NodeKey]; dup {
			continue // the registry keeps node keys unique
		}
		n := newNode(r)
		p := place{node: n, layer: -1}
		if r.Roles&light.RoleProvider != 0 {
			t.Providers = append(t.Providers, n)
			p.provider = true
		}
		if r.Roles&light.RoleMix != 0 {
			mixes = append(mixes, keyed{rank: mixRank(s.BlockHash, r.NodeKey), node: n})
		}
		if r.Roles&light.RoleIssuer != 0 {
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

// registryAddrs is a relay's registry multiaddrs, nil if they do not decode.
func registryAddrs(r light.Relay) []ma.Multiaddr {
	addrs, err := light.DecodeMultiaddrs(r.Multiaddrs)
	if err != nil {
		return nil
	}
	return addrs
}
