package pki

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain"
)

// syntheticSnapshot has mixes mix-only relays, providers provider-only
// relays and both relays with both roles, with node keys drawn from r.
func syntheticSnapshot(r *rand.Rand, seed common.Hash, mixes, providers, both int) Snapshot {
	s := Snapshot{Epoch: 7, Block: 70, BlockHash: seed}
	add := func(n int, roles chain.Roles) {
		for range n {
			var k [32]byte
			for i := range k {
				k[i] = byte(r.UintN(256))
			}
			s.Relays = append(s.Relays, chain.Relay{Operator: common.BytesToAddress(k[:20]), Roles: roles, Status: chain.StatusActive, NodeKey: k})
		}
	}
	add(mixes, chain.RoleMix)
	add(providers, chain.RoleProvider)
	add(both, chain.RoleProvider|chain.RoleMix)
	return s
}

func layerKeys(t *Topology) [][][32]byte {
	var out [][][32]byte
	for _, l := range t.Layers {
		var ks [][32]byte
		for _, n := range l {
			ks = append(ks, n.NodeKey)
		}
		out = append(out, ks)
	}
	return out
}

func flat(t *Topology) [][32]byte {
	var out [][32]byte
	for _, l := range layerKeys(t) {
		out = append(out, l...)
	}
	return out
}

func TestTopologyIsDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	s := syntheticSnapshot(r, common.Hash{1}, 10, 3, 2)
	a := NewTopology(s, 3)
	// The same relays in another order give the same topology.
	shuffled := s
	shuffled.Relays = slices.Clone(s.Relays)
	r.Shuffle(len(shuffled.Relays), func(i, j int) { shuffled.Relays[i], shuffled.Relays[j] = shuffled.Relays[j], shuffled.Relays[i] })
	b := NewTopology(shuffled, 3)
	if !slices.EqualFunc(layerKeys(a), layerKeys(b), slices.Equal) {
		t.Fatal("layers differ between two computations")
	}
	if !slices.EqualFunc(a.Providers, b.Providers, func(x, y Node) bool { return x.NodeKey == y.NodeKey }) {
		t.Fatal("providers differ between two computations")
	}
	if a.Epoch != 7 || a.Seed != (common.Hash{1}) {
		t.Fatalf("epoch %d seed %s", a.Epoch, a.Seed)
	}
}

func TestTopologyDealsMixesByKeccakRank(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	seed := common.Hash{9, 9}
	s := syntheticSnapshot(r, seed, 11, 0, 0)
	top := NewTopology(s, 3)

	// Recompute independently: sort by keccak256(seed ‖ nodeKey), deal i to
	// layer i mod 3.
	keys := nodeKeys(s.Relays)
	slices.SortFunc(keys, func(a, b [32]byte) int {
		return bytes.Compare(crypto.Keccak256(seed[:], a[:]), crypto.Keccak256(seed[:], b[:]))
	})
	want := make([][][32]byte, 3)
	for i, k := range keys {
		want[i%3] = append(want[i%3], k)
	}
	if !slices.EqualFunc(layerKeys(top), want, slices.Equal) {
		t.Fatal("layers are not the keccak-ranked mixes dealt round-robin")
	}

	// Another seed, another order.
	other := s
	other.BlockHash = common.Hash{9, 8}
	if slices.Equal(flat(top), flat(NewTopology(other, 3))) {
		t.Fatal("a different seed gave the same order of 11 mixes")
	}
}

func TestTopologyLayersAreBalanced(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for mixes := 0; mixes <= 13; mixes++ {
		for both := 0; both <= 2; both++ {
			for layers := 1; layers <= 5; layers++ {
				s := syntheticSnapshot(r, common.Hash{byte(mixes), byte(layers)}, mixes, 2, both)
				top := NewTopology(s, layers)
				if len(top.Layers) != layers {
					t.Fatalf("%d layers, want %d", len(top.Layers), layers)
				}
				minSize, maxSize := mixes+both, 0
				seen := map[[32]byte]int{}
				for l, layer := range top.Layers {
					minSize, maxSize = min(minSize, len(layer)), max(maxSize, len(layer))
					for _, n := range layer {
						seen[n.NodeKey]++
						if got, ok := top.Layer(n.NodeKey); !ok || got != l {
							t.Fatalf("Layer(%x) = %d %v, want %d", n.NodeKey[:4], got, ok, l)
						}
					}
				}
				if maxSize-minSize > 1 {
					t.Fatalf("%d mixes in %d layers: sizes from %d to %d", mixes+both, layers, minSize, maxSize)
				}
				if len(seen) != mixes+both {
					t.Fatalf("%d distinct mixes in the layers, want %d", len(seen), mixes+both)
				}
				for k, c := range seen {
					if c != 1 {
						t.Fatalf("mix %x appears %d times", k[:4], c)
					}
				}
				if len(top.Providers) != 2+both {
					t.Fatalf("%d providers, want %d", len(top.Providers), 2+both)
				}
				if !slices.IsSortedFunc(top.Providers, func(a, b Node) int { return bytes.Compare(a.NodeKey[:], b.NodeKey[:]) }) {
					t.Fatal("providers not sorted by node key")
				}
			}
		}
	}
}

func TestTopologyLookups(t *testing.T) {
	n := newTestNet(t, chain.RoleProvider, chain.RoleMix, chain.RoleProvider|chain.RoleMix, chain.RoleIssuer, chain.RoleMix)
	s := n.snapshot(4)
	addr := ma.StringCast("/ip4/10.0.0.1/tcp/4001")
	s.Relays[0].Multiaddrs = chain.EncodeMultiaddrs([]ma.Multiaddr{addr})
	s.Relays[1].Multiaddrs = []byte{0xff} // malformed: kept, without addresses
	s.Relays[4].Status = chain.StatusJailed
	top := NewTopology(s, 2)

	prov, mix, both, issuer, jailed := n.ids[0].nodeKey, n.ids[1].nodeKey, n.ids[2].nodeKey, n.ids[3].nodeKey, n.ids[4].nodeKey
	if !top.IsProvider(prov) || top.IsProvider(mix) || !top.IsProvider(both) || top.IsProvider(issuer) {
		t.Fatal("IsProvider wrong")
	}
	if _, ok := top.Layer(prov); ok {
		t.Fatal("a provider-only relay has a layer")
	}
	if _, ok := top.Layer(mix); !ok {
		t.Fatal("mix has no layer")
	}
	if _, ok := top.Layer(both); !ok {
		t.Fatal("provider+mix has no layer")
	}
	for _, k := range [][32]byte{prov, mix, both, issuer} {
		if !top.Contains(k) {
			t.Fatalf("%x not contained", k[:4])
		}
	}
	if top.Contains(jailed) || top.Contains([32]byte{1}) {
		t.Fatal("a jailed or unknown relay is contained")
	}
	if top.Len() != 4 {
		t.Fatalf("Len = %d, want 4", top.Len())
	}
	node, ok := top.Node(prov)
	if !ok || node.Operator != n.ids[0].addr || node.Roles != chain.RoleProvider {
		t.Fatalf("Node(provider) = %+v %v", node, ok)
	}
	if len(node.Multiaddrs) != 1 || !node.Multiaddrs[0].Equal(addr) {
		t.Fatalf("multiaddrs %v", node.Multiaddrs)
	}
	if node.PeerID.String() != chain.PeerID(prov) {
		t.Fatalf("peer ID %s, registry says %s", node.PeerID, chain.PeerID(prov))
	}
	if want, err := peerIDOfKey(n.ids[0]); err != nil || node.PeerID != want {
		t.Fatalf("peer ID %s, libp2p key says %s (%v)", node.PeerID, want, err)
	}
	if m, _ := top.Node(mix); m.Multiaddrs != nil {
		t.Fatalf("malformed multiaddrs decoded to %v", m.Multiaddrs)
	}
}

func TestNewTopologyPanicsWithoutLayers(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	NewTopology(Snapshot{}, 0)
}
