package node

import (
	"testing"
	"time"

	"github.com/murmurnet/murmur/node/cover"
	"github.com/murmurnet/murmur/node/pki"
)

// TestLoopRouteWithEmptyLayer: while a network grows, an epoch's topology
// can have a layer with no mix yet (a four-relay network whose mixes
// registered across an epoch boundary did: TestCLINetwork). A mix then
// sends no loop; it used to panic in rand.IntN(0).
func TestLoopRouteWithEmptyLayer(t *testing.T) {
	l, err := newLoops(cover.DefaultRates(), 3, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	n := &Node{loops: l}
	if _, ok := n.pickRelay(nil); ok {
		t.Fatal("a relay was picked from an empty layer")
	}
	layer := []pki.Node{{NodeKey: [32]byte{1}}, {NodeKey: [32]byte{2}}}
	seen := map[[32]byte]bool{}
	for range 64 {
		r, ok := n.pickRelay(layer)
		if !ok {
			t.Fatal("no relay picked from a layer of two")
		}
		seen[r.NodeKey] = true
	}
	if len(seen) != 2 {
		t.Fatalf("64 picks from a layer of two chose %d relays", len(seen))
	}
}
