package pki

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/murmurnet/murmur/chain"
)

// fakeClock is a settable clock for directories.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func newTestDirectory(n *testNet, e uint64) (*Directory, *fakeClock) {
	clock := &fakeClock{t: n.mid(e)}
	return NewDirectory(n.epochs, clock.Now), clock
}

func TestDirectoryAcceptsRelaysOfTheTopology(t *testing.T) {
	n := newTestNet(t, chain.RoleProvider, chain.RoleMix, chain.RoleMix)
	dir, _ := newTestDirectory(n, 5)
	dir.SetTopology(NewTopology(n.snapshot(5), 1))

	changed := dir.Changed()
	for i := range n.ids {
		if err := dir.Add(n.seal(t, i, n.descriptor(i, 5))); err != nil {
			t.Fatalf("relay %d: %v", i, err)
		}
	}
	select {
	case <-changed:
	default:
		t.Fatal("Changed not signalled")
	}
	all := dir.All(5)
	if len(all) != 3 || len(dir.Sealed(5)) != 3 {
		t.Fatalf("%d descriptors held, want 3", len(all))
	}
	for i := 1; i < len(all); i++ {
		if string(all[i-1].NodeKey[:]) >= string(all[i].NodeKey[:]) {
			t.Fatal("All not sorted by node key")
		}
	}
	for i, id := range n.ids {
		d, ok := dir.Get(5, id.nodeKey)
		if !ok || d.Operator != id.addr {
			t.Fatalf("Get relay %d: %+v %v", i, d, ok)
		}
		if sealed := dir.Sealed(5); func() bool {
			for _, b := range sealed {
				if o, err := Open(b); err == nil && o.NodeKey == id.nodeKey {
					return false
				}
			}
			return true
		}() {
			t.Fatalf("relay %d not among the sealed descriptors", i)
		}
	}
	if _, ok := dir.Get(4, n.ids[0].nodeKey); ok {
		t.Fatal("descriptor of epoch 5 returned for epoch 4")
	}
	// Adding the same bytes again is a no-op.
	changed = dir.Changed()
	if err := dir.Add(n.seal(t, 0, n.descriptor(0, 5))); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
		t.Fatal("a duplicate changed the directory")
	default:
	}
}

func TestDirectoryRefuses(t *testing.T) {
	n := newTestNet(t, chain.RoleMix, chain.RoleMix)
	dir, _ := newTestDirectory(n, 5)
	dir.SetTopology(NewTopology(n.snapshot(5), 3))
	dir.SetTopology(NewTopology(n.snapshot(4), 3))
	stranger := newIdentity(t)

	held := n.descriptor(0, 5)
	held.IssuedAt = 2000
	if err := dir.Add(n.seal(t, 0, held)); err != nil {
		t.Fatal(err)
	}

	older := n.descriptor(0, 5)
	older.IssuedAt = 1999
	sameTime := n.descriptor(0, 5)
	sameTime.IssuedAt = 2000
	sameTime.PerHopPriceWei = "7"
	wrongOperator := n.descriptor(1, 5)
	wrongOperator.Operator = stranger.addr
	wrongRoles := n.descriptor(1, 5)
	wrongRoles.Roles = chain.RoleMix | chain.RoleProvider
	forged := n.seal(t, 1, n.descriptor(1, 5))
	forged[len(forged)-1] ^= 1

	for _, c := range []struct {
		name string
		b    []byte
		want error
	}{
		{"unknown relay", func() []byte {
			b, _ := Seal(newDescriptor(stranger, chain.RoleMix, 5), stranger.id)
			return b
		}(), ErrNotInTopology},
		{"older", n.seal(t, 0, older), ErrStaleDescriptor},
		{"same time, other contents", n.seal(t, 0, sameTime), ErrStaleDescriptor},
		{"two epochs back", n.seal(t, 0, n.descriptor(0, 3)), ErrWrongEpoch},
		{"two epochs ahead", n.seal(t, 0, n.descriptor(0, 7)), ErrWrongEpoch},
		{"next epoch, no topology yet", n.seal(t, 0, n.descriptor(0, 6)), ErrNoTopology},
		{"operator not the registry's", n.seal(t, 1, wrongOperator), ErrInvalidDescriptor},
		{"roles not the registry's", n.seal(t, 1, wrongRoles), ErrInvalidDescriptor},
		{"forged signature", forged, ErrInvalidDescriptor},
		{"garbage", []byte("garbage"), ErrInvalidDescriptor},
	} {
		if err := dir.Add(c.b); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if d, _ := dir.Get(5, n.ids[0].nodeKey); d.IssuedAt != 2000 || d.PerHopPriceWei != held.PerHopPriceWei {
		t.Fatalf("held descriptor replaced by a refused one: %+v", d)
	}
	if len(dir.All(5)) != 1 {
		t.Fatalf("%d descriptors held, want 1", len(dir.All(5)))
	}

	// A newer descriptor replaces the held one; the previous epoch is
	// still tracked.
	newer := n.descriptor(0, 5)
	newer.IssuedAt = 2001
	newer.PerHopPriceWei = "5"
	if err := dir.Add(n.seal(t, 0, newer)); err != nil {
		t.Fatal(err)
	}
	if d, _ := dir.Get(5, n.ids[0].nodeKey); d.PerHopPriceWei != "5" {
		t.Fatal("newer descriptor not kept")
	}
	if err := dir.Add(n.seal(t, 1, n.descriptor(1, 4))); err != nil {
		t.Fatalf("previous epoch: %v", err)
	}
}

func TestDirectorySphinxKeyAndExpiry(t *testing.T) {
	n := newTestNet(t, chain.RoleMix, chain.RoleMix)
	dir, clock := newTestDirectory(n, 5)
	for e := uint64(5); e <= 6; e++ {
		dir.SetTopology(NewTopology(n.snapshot(e), 3))
	}
	a, b := n.ids[0].nodeKey, n.ids[1].nodeKey
	for i := range n.ids {
		if err := dir.Add(n.seal(t, i, n.descriptor(i, 5))); err != nil {
			t.Fatal(err)
		}
	}
	if k, ok := dir.SphinxKey(5, a); !ok || k != sphinxKey(n.ids[0], 5) {
		t.Fatal("epoch 5 key of A")
	}
	// Epoch 6 before any epoch-6 descriptor: the next key of epoch 5's.
	if k, ok := dir.SphinxKey(6, a); !ok || k != sphinxKey(n.ids[0], 6) {
		t.Fatal("epoch 6 key of A from its epoch 5 descriptor")
	}
	// Once A publishes for epoch 6, that descriptor wins.
	d6 := n.descriptor(0, 6)
	d6.SphinxKeys[0].Key = [32]byte{6, 6, 6}
	clock.Set(n.mid(6))
	if err := dir.Add(n.seal(t, 0, d6)); err != nil {
		t.Fatal(err)
	}
	if k, _ := dir.SphinxKey(6, a); k != d6.SphinxKeys[0].Key {
		t.Fatal("epoch 6 key of A not from its epoch 6 descriptor")
	}
	if _, ok := dir.SphinxKey(8, b); ok {
		t.Fatal("key for an epoch nobody published")
	}

	// Two epochs on, epoch 5 is forgotten, and so are its descriptors.
	changed := dir.Changed()
	clock.Set(n.mid(7))
	dir.Prune()
	select {
	case <-changed:
	default:
		t.Fatal("expiry not signalled")
	}
	if _, ok := dir.Get(5, a); ok {
		t.Fatal("epoch 5 descriptor still held in epoch 7")
	}
	if _, ok := dir.Topology(5); ok {
		t.Fatal("epoch 5 topology still held in epoch 7")
	}
	if _, ok := dir.Get(6, a); !ok {
		t.Fatal("epoch 6 descriptor dropped in epoch 7")
	}
	if err := dir.Add(n.seal(t, 1, n.descriptor(1, 5))); !errors.Is(err, ErrWrongEpoch) {
		t.Fatalf("epoch 5 descriptor in epoch 7: %v", err)
	}
	// A topology too old to matter is not kept.
	dir.SetTopology(NewTopology(n.snapshot(5), 3))
	if _, ok := dir.Topology(5); ok {
		t.Fatal("kept an expired topology")
	}
}

func TestDirectoryAddAll(t *testing.T) {
	n := newTestNet(t, chain.RoleMix, chain.RoleMix)
	dir, _ := newTestDirectory(n, 5)
	dir.SetTopology(NewTopology(n.snapshot(5), 3))
	a := n.seal(t, 0, n.descriptor(0, 5))
	added, err := dir.AddAll([][]byte{a, a, []byte("junk"), n.seal(t, 1, n.descriptor(1, 5))})
	if added != 2 || !errors.Is(err, ErrInvalidDescriptor) {
		t.Fatalf("AddAll = %d, %v; want 2 and the junk's error", added, err)
	}
}

func TestDirectoryReplacedTopologyDropsStrangers(t *testing.T) {
	n := newTestNet(t, chain.RoleMix, chain.RoleMix)
	dir, _ := newTestDirectory(n, 5)
	dir.SetTopology(NewTopology(n.snapshot(5), 3))
	for i := range n.ids {
		if err := dir.Add(n.seal(t, i, n.descriptor(i, 5))); err != nil {
			t.Fatal(err)
		}
	}
	s := n.snapshot(5)
	s.Relays = s.Relays[:1]
	dir.SetTopology(NewTopology(s, 3))
	if _, ok := dir.Get(5, n.ids[1].nodeKey); ok {
		t.Fatal("descriptor of a relay no longer in the topology kept")
	}
	if _, ok := dir.Get(5, n.ids[0].nodeKey); !ok {
		t.Fatal("descriptor of a relay still in the topology dropped")
	}
}
