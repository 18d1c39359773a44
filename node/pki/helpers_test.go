package pki

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"io"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/sphinx"
)

// identity is a relay's pair of keys: its operator account and its libp2p
// node key.
type identity struct {
	eth     *ecdsa.PrivateKey
	addr    common.Address
	auth    *bind.TransactOpts
	id      lcrypto.PrivKey
	nodeKey [32]byte
}

func newIdentity(t testing.TB) identity { return identityFrom(t, rand.Reader) }

// fixedIdentity is the same identity on every run and in every process
// (for fuzzing, whose workers are separate processes).
func fixedIdentity(t testing.TB, seed byte) identity {
	return identityFrom(t, bytes.NewReader(bytes.Repeat([]byte{seed}, 64)))
}

func identityFrom(t testing.TB, r io.Reader) identity {
	t.Helper()
	var b [32]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		t.Fatal(err)
	}
	ek, err := crypto.ToECDSA(b[:])
	if err != nil {
		t.Fatal(err)
	}
	id, pub, err := lcrypto.GenerateEd25519Key(r)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := pub.Raw()
	if err != nil {
		t.Fatal(err)
	}
	v := identity{eth: ek, addr: crypto.PubkeyToAddress(ek.PublicKey), auth: bind.NewKeyedTransactor(ek, big.NewInt(1337)), id: id}
	copy(v.nodeKey[:], raw)
	return v
}

// chainFixture is a simulated chain with the contracts deployed and
// funded relay identities that are not registered yet.
type chainFixture struct {
	sim    *chain.Simulated
	c      *chain.Client
	epochs Epochs
	ids    []identity
}

const testEpoch = 10 * time.Minute

func newChainFixture(t *testing.T, relays int) *chainFixture {
	t.Helper()
	deployer := newIdentity(t)
	f := &chainFixture{}
	alloc := types.GenesisAlloc{deployer.addr: {Balance: chain.Ether(100)}}
	for range relays {
		id := newIdentity(t)
		alloc[id.addr] = types.Account{Balance: chain.Ether(100)}
		f.ids = append(f.ids, id)
	}
	f.sim = chain.NewSimulated(alloc)
	t.Cleanup(func() { f.sim.Close() })
	ctx := context.Background()
	p := chain.DefaultParams()
	p.EpochLength = testEpoch
	addrs, err := chain.Deploy(ctx, f.sim, deployer.auth, p)
	if err != nil {
		t.Fatal(err)
	}
	if f.c, err = chain.Dial(ctx, f.sim, addrs); err != nil {
		t.Fatal(err)
	}
	if f.epochs, err = EpochsFrom(ctx, f.c); err != nil {
		t.Fatal(err)
	}
	return f
}

// register registers relay i and returns the block it was mined in.
func (f *chainFixture) register(t *testing.T, i int, roles chain.Roles, addrs ...ma.Multiaddr) uint64 {
	t.Helper()
	r, err := f.c.Register(context.Background(), f.ids[i].auth, roles, f.ids[i].nodeKey, chain.EncodeMultiaddrs(addrs), chain.Ether(1))
	if err != nil {
		t.Fatal(err)
	}
	return r.BlockNumber.Uint64()
}

func (f *chainFixture) head(t *testing.T) *types.Header {
	t.Helper()
	h, err := f.sim.HeaderByNumber(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (f *chainFixture) header(t *testing.T, n uint64) *types.Header {
	t.Helper()
	h, err := f.sim.HeaderByNumber(context.Background(), new(big.Int).SetUint64(n))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// epochNow is the epoch of the chain head: the chain's clock, which runs
// ahead of the wall clock.
func (f *chainFixture) epochNow(t *testing.T) uint64 {
	return f.epochs.At(time.Unix(int64(f.head(t).Time), 0))
}

// advanceTo mines an empty block at the start of epoch e (or later), which
// makes e final.
func (f *chainFixture) advanceTo(t *testing.T, e uint64) {
	t.Helper()
	start := uint64(f.epochs.Start(e).Unix())
	h := f.head(t)
	if h.Time >= start {
		return
	}
	if err := f.sim.AdjustTime(time.Duration(start-h.Time) * time.Second); err != nil {
		t.Fatal(err)
	}
	if got := f.head(t).Time; got < start {
		t.Fatalf("head at %d after AdjustTime, want >= %d", got, start)
	}
}

// --- synthetic networks, without a chain ------------------------------------

// testNet is a synthetic snapshot of relays whose keys the test holds.
type testNet struct {
	epochs Epochs
	ids    []identity
	roles  []chain.Roles
}

var testGenesis = time.Unix(1_700_000_000, 0)

func newTestNet(t testing.TB, roles ...chain.Roles) *testNet {
	t.Helper()
	n := &testNet{epochs: Epochs{Genesis: testGenesis, Length: testEpoch}, roles: roles}
	for range roles {
		n.ids = append(n.ids, newIdentity(t))
	}
	return n
}

// snapshot returns the snapshot of epoch e with all relays of the net.
func (n *testNet) snapshot(e uint64) Snapshot {
	s := Snapshot{Epoch: e, Block: 100 + e, BlockHash: crypto.Keccak256Hash([]byte{byte(e)})}
	for i, id := range n.ids {
		s.Relays = append(s.Relays, chain.Relay{Operator: id.addr, Roles: n.roles[i], Status: chain.StatusActive, Stake: chain.Ether(1), NodeKey: id.nodeKey})
	}
	return s
}

// mid returns a time in the middle of epoch e.
func (n *testNet) mid(e uint64) time.Time { return n.epochs.Start(e).Add(n.epochs.Length / 2) }

// descriptor returns a valid descriptor of relay i for epoch e.
func (n *testNet) descriptor(i int, e uint64) *Descriptor {
	return newDescriptor(n.ids[i], n.roles[i], e)
}

func newDescriptor(id identity, roles chain.Roles, e uint64) *Descriptor {
	return &Descriptor{
		NodeKey:        id.nodeKey,
		Operator:       id.addr,
		Roles:          roles,
		Epoch:          e,
		SphinxKeys:     []EpochKey{{Epoch: e, Key: sphinxKey(id, e)}, {Epoch: e + 1, Key: sphinxKey(id, e+1)}},
		Multiaddrs:     []string{"/ip4/127.0.0.1/tcp/4001", "/ip4/127.0.0.1/udp/4001/quic-v1"},
		PerHopPriceWei: "1000000000",
		Params:         map[string]string{"mu": "0.05", "lambdaP": "2"},
		IssuedAt:       1_700_000_100,
	}
}

// sphinxKey is a deterministic stand-in for relay id's Sphinx key of
// epoch e.
func sphinxKey(id identity, e uint64) sphinx.PublicKey {
	return sphinx.PublicKey(crypto.Keccak256Hash(id.nodeKey[:], big.NewInt(int64(e)).Bytes(), []byte("sphinx")))
}

func (n *testNet) seal(t testing.TB, i int, d *Descriptor) []byte {
	t.Helper()
	b, err := Seal(d, n.ids[i].id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func peerIDOfKey(id identity) (peer.ID, error) { return peer.IDFromPrivateKey(id.id) }
