package pki

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/chain/light"
)

func nodeKeys(rs []chain.Relay) [][32]byte {
	var out [][32]byte
	for _, r := range rs {
		out = append(out, r.NodeKey)
	}
	slices.SortFunc(out, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	return out
}

func keysOf(ids ...identity) [][32]byte {
	var out [][32]byte
	for _, id := range ids {
		out = append(out, id.nodeKey)
	}
	slices.SortFunc(out, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	return out
}

func sameRelays(t *testing.T, got, want []chain.Relay) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d relays, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Operator != w.Operator || g.Roles != w.Roles || g.Status != w.Status || g.Stake.Cmp(w.Stake) != 0 ||
			g.NodeKey != w.NodeKey || !bytes.Equal(g.Multiaddrs, w.Multiaddrs) || !g.UnlockAt.Equal(w.UnlockAt) {
			t.Fatalf("relay %d: got %+v, want %+v", i, g, w)
		}
	}
}

func TestSnapshotOfEpochIsReadAtLastBlockBeforeIt(t *testing.T) {
	f := newChainFixture(t, 3)
	ctx := context.Background()
	a, b, c := f.ids[0], f.ids[1], f.ids[2]
	addr := ma.StringCast("/ip4/127.0.0.1/tcp/4001")
	f.register(t, 0, chain.RoleProvider|chain.RoleMix, addr)
	regB := f.register(t, 1, chain.RoleMix)
	if e := f.epochNow(t); e != 0 {
		t.Fatalf("registrations landed in epoch %d, want 0", e)
	}
	snaps, err := NewSnapshots(FromClient(f.c), f.epochs, SnapshotOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}

	// Epoch 1 has not begun on the chain: its state block is not settled.
	if _, err := snaps.Get(ctx, 1); !errors.Is(err, ErrEpochNotFinal) {
		t.Fatalf("epoch 1 before it starts: %v, want ErrEpochNotFinal", err)
	}

	f.advanceTo(t, 1)
	regC := f.register(t, 2, chain.RoleMix) // during epoch 1: joins at 2

	s1, err := snaps.Get(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if s1.Epoch != 1 || s1.Block != regB {
		t.Fatalf("epoch 1 read at block %d, want %d (the last registration before it)", s1.Block, regB)
	}
	bh := f.header(t, s1.Block)
	if s1.BlockHash != bh.Hash() {
		t.Fatalf("seed %s, want block hash %s", s1.BlockHash, bh.Hash())
	}
	start := uint64(f.epochs.Start(1).Unix())
	if bh.Time >= start || f.header(t, s1.Block+1).Time < start {
		t.Fatalf("block %d (t=%d) is not the last before %d", s1.Block, bh.Time, start)
	}
	if regC <= s1.Block {
		t.Fatalf("C registered in block %d, not after B_1 = %d", regC, s1.Block)
	}
	if got, want := nodeKeys(s1.Relays), keysOf(a, b); !slices.Equal(got, want) {
		t.Fatalf("epoch 1 relays %x, want A and B only", got)
	}
	for _, r := range s1.Relays {
		if r.NodeKey == a.nodeKey {
			if addrs, err := chain.DecodeMultiaddrs(r.Multiaddrs); err != nil || len(addrs) != 1 || !addrs[0].Equal(addr) {
				t.Fatalf("A's multiaddrs: %v %v", addrs, err)
			}
		}
	}

	s0, err := snaps.Get(ctx, 0)
	if err != nil || len(s0.Relays) != 0 {
		t.Fatalf("epoch 0: %+v %v, want no relays", s0, err)
	}

	if _, err := snaps.Get(ctx, 2); !errors.Is(err, ErrEpochNotFinal) {
		t.Fatalf("epoch 2 before it starts: %v", err)
	}
	f.advanceTo(t, 2)
	s2, err := snaps.Get(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := nodeKeys(s2.Relays), keysOf(a, b, c); !slices.Equal(got, want) {
		t.Fatalf("epoch 2 relays %x, want A, B and C", got)
	}
	if s2.BlockHash == s1.BlockHash {
		t.Fatal("epochs 1 and 2 have the same seed")
	}
}

// flaky is a Chain that can be taken down.
type flaky struct {
	Chain
	down atomic.Bool
}

var errDown = errors.New("endpoint down")

func (f *flaky) HeaderByNumber(ctx context.Context, n *big.Int) (light.Header, error) {
	if f.down.Load() {
		return light.Header{}, errDown
	}
	return f.Chain.HeaderByNumber(ctx, n)
}

func (f *flaky) LastBlockBefore(ctx context.Context, t time.Time) (light.Header, error) {
	if f.down.Load() {
		return light.Header{}, errDown
	}
	return f.Chain.LastBlockBefore(ctx, t)
}

func (f *flaky) ActiveRelaysAt(ctx context.Context, n *big.Int) ([]chain.Relay, error) {
	if f.down.Load() {
		return nil, errDown
	}
	return f.Chain.ActiveRelaysAt(ctx, n)
}

func TestSnapshotServedFromDiskWhenChainIsDown(t *testing.T) {
	f := newChainFixture(t, 2)
	ctx := context.Background()
	f.register(t, 0, chain.RoleProvider)
	f.register(t, 1, chain.RoleMix)
	f.advanceTo(t, 2)
	dir := t.TempDir()
	src := &flaky{Chain: FromClient(f.c)}

	first, err := NewSnapshots(src, f.epochs, SnapshotOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	want, err := first.Get(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Relays) != 2 {
		t.Fatalf("epoch 1 has %d relays, want 2", len(want.Relays))
	}
	if _, err := os.Stat(filepath.Join(dir, "snapshot-1.json")); err != nil {
		t.Fatalf("snapshot not written to disk: %v", err)
	}

	// A restarted node whose endpoint is down reads the epoch from disk.
	src.down.Store(true)
	restarted, err := NewSnapshots(src, f.epochs, SnapshotOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	got, err := restarted.Get(ctx, 1)
	if err != nil {
		t.Fatalf("epoch 1 from disk: %v", err)
	}
	if got.Epoch != want.Epoch || got.Block != want.Block || got.BlockHash != want.BlockHash {
		t.Fatalf("from disk %+v, want %+v", got, want)
	}
	sameRelays(t, got.Relays, want.Relays)

	// An epoch that was never read is carried forward from the newest
	// cached one, marked stale, so that the network keeps mixing.
	carried, err := restarted.Get(ctx, 2)
	if err != nil {
		t.Fatalf("uncached epoch with the chain down: %v, want epoch 1 carried forward", err)
	}
	if !carried.Stale || carried.Epoch != 2 || carried.BlockHash != want.BlockHash {
		t.Fatalf("carried forward %+v, want epoch 1's state as a stale epoch 2", carried)
	}
	sameRelays(t, carried.Relays, want.Relays)

	// With nothing cached before it, the epoch cannot be served, and says why.
	empty, err := NewSnapshots(src, f.epochs, SnapshotOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = empty.Get(ctx, 2)
	if !errors.Is(err, ErrSnapshotUnavailable) || !errors.Is(err, errDown) {
		t.Fatalf("nothing cached, chain down: %v, want ErrSnapshotUnavailable wrapping the chain's error", err)
	}

	// The endpoint comes back: the epoch is read for real and cached.
	src.down.Store(false)
	real2, err := restarted.Get(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if real2.Stale {
		t.Fatal("epoch 2 still stale with the chain back")
	}

	// The same with the chain really gone.
	f.sim.Close()
	gone, err := NewSnapshots(FromClient(f.c), f.epochs, SnapshotOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []uint64{1, 2} {
		if _, err := gone.Get(ctx, e); err != nil {
			t.Fatalf("epoch %d after the chain closed: %v", e, err)
		}
	}
	if s3, err := gone.Get(ctx, 3); err != nil || !s3.Stale {
		t.Fatalf("epoch 3 after the chain closed: %+v %v, want epoch 2 carried forward", s3, err)
	}

	// Without a chain and without a cache, nothing.
	none, err := NewSnapshots(nil, f.epochs, SnapshotOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := none.Get(ctx, 1); !errors.Is(err, ErrSnapshotUnavailable) {
		t.Fatalf("no chain, no cache: %v", err)
	}
}

// fakeChain is a Chain of synthetic blocks, one a second from time 1000,
// whose active set grows by one relay per block. It counts its calls.
type fakeChain struct {
	headers []light.Header
	calls   atomic.Int32
}

func newFakeChain(blocks int) *fakeChain {
	c := &fakeChain{}
	for i := range blocks {
		c.headers = append(c.headers, light.Header{Number: uint64(i), Time: uint64(1000 + i), Hash: crypto.Keccak256Hash(big.NewInt(int64(i)).Bytes())})
	}
	return c
}

func (c *fakeChain) HeaderByNumber(_ context.Context, n *big.Int) (light.Header, error) {
	c.calls.Add(1)
	if n == nil {
		return c.headers[len(c.headers)-1], nil
	}
	return c.headers[n.Int64()], nil
}

func (c *fakeChain) LastBlockBefore(_ context.Context, t time.Time) (light.Header, error) {
	c.calls.Add(1)
	best := -1
	for i, h := range c.headers {
		if h.Time < uint64(t.Unix()) {
			best = i
		}
	}
	if best < 0 {
		return light.Header{}, errors.New("no block before")
	}
	return c.headers[best], nil
}

func (c *fakeChain) ActiveRelaysAt(_ context.Context, n *big.Int) ([]chain.Relay, error) {
	c.calls.Add(1)
	var out []chain.Relay
	for i := int64(0); i <= n.Int64(); i++ {
		out = append(out, chain.Relay{Roles: chain.RoleMix, Status: chain.StatusActive, Stake: big.NewInt(i + 1), NodeKey: [32]byte{byte(i + 1)}, UnlockAt: time.Time{}})
	}
	return out, nil
}

func TestSnapshotCacheKeepsRecentEpochs(t *testing.T) {
	c := newFakeChain(100)
	epochs := Epochs{Genesis: time.Unix(1000, 0), Length: 10 * time.Second}
	dir := t.TempDir()
	s, err := NewSnapshots(c, epochs, SnapshotOptions{Dir: dir, Keep: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for e := uint64(1); e <= 4; e++ {
		snap, err := s.Get(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		// Epoch e starts at 1000+10e: B_e is block 10e-1, with 10e relays.
		if snap.Block != 10*e-1 || len(snap.Relays) != int(10*e) {
			t.Fatalf("epoch %d: block %d with %d relays", e, snap.Block, len(snap.Relays))
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "snapshot-*.json"))
	slices.Sort(files)
	if want := []string{filepath.Join(dir, "snapshot-3.json"), filepath.Join(dir, "snapshot-4.json")}; !slices.Equal(files, want) {
		t.Fatalf("files %v, want %v", files, want)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".snapshot-*")); len(tmp) != 0 {
		t.Fatalf("temporary files left: %v", tmp)
	}

	// Cached epochs are served without the chain.
	calls := c.calls.Load()
	if _, err := s.Get(ctx, 4); err != nil {
		t.Fatal(err)
	}
	if c.calls.Load() != calls {
		t.Fatal("a cached epoch was read from the chain")
	}

	// A corrupt file is read again from the chain and rewritten.
	path := filepath.Join(dir, "snapshot-3.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	s2, _ := NewSnapshots(c, epochs, SnapshotOptions{Dir: dir, Keep: 2})
	if snap, err := s2.Get(ctx, 3); err != nil || len(snap.Relays) != 30 {
		t.Fatalf("after corruption: %d relays, %v", len(snap.Relays), err)
	}
	if b, _ := os.ReadFile(path); bytes.HasPrefix(b, []byte("{not")) {
		t.Fatal("corrupt file not rewritten")
	}
}
