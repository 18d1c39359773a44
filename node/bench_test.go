package node_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"math/big"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p"
	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/chain/light"
	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/mixer"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/settle"
	"github.com/murmurnet/murmur/sphinx"
)

// fixedChain is a registry that never changes, for benchmarks without a chain.
type fixedChain struct{ relays []chain.Relay }

func (f fixedChain) HeaderByNumber(context.Context, *big.Int) (light.Header, error) {
	return light.Header{Number: 100, Time: uint64(time.Now().Unix())}, nil
}

func (f fixedChain) LastBlockBefore(_ context.Context, t time.Time) (light.Header, error) {
	return light.Header{Number: 99, Time: uint64(t.Unix() - 1)}, nil
}

func (f fixedChain) ActiveRelaysAt(context.Context, *big.Int) ([]chain.Relay, error) {
	return f.relays, nil
}

func relayOf(t testing.TB, k lcrypto.PrivKey, roles chain.Roles) chain.Relay {
	key, err := identity.NodeKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return chain.Relay{NodeKey: key, Roles: roles, Status: chain.StatusActive, Stake: big.NewInt(1)}
}

// bench is one relay under test with a sender and a sink next to it.
type bench struct {
	relay    *node.Node
	sender   host.Host
	sinkKey  [32]byte
	sinkID   peer.ID
	received atomic.Int64
	arrived  chan time.Time
	epoch    uint64
	key      sphinx.PublicKey
}

func newBench(b testing.TB) *bench { return newBenchWith(b, false) }

// newBenchWith builds the bench; with settled, the relay keeps hop-by-hop
// accounts: it counts what the sender owes it and what it owes the sink, and
// signs the sink a cheque every 200 packets. The sender never pays (the limit
// is out of reach), so that only the accounting is measured.
func newBenchWith(b testing.TB, settled bool) *bench {
	ids := make([]lcrypto.PrivKey, 3) // relay, sender, sink
	for i := range ids {
		ids[i], _, _ = lcrypto.GenerateEd25519Key(rand.Reader)
	}
	relays := []chain.Relay{relayOf(b, ids[0], chain.RoleMix), relayOf(b, ids[1], chain.RoleMix), relayOf(b, ids[2], chain.RoleProvider)}
	var st *node.Settlement
	var operator common.Address
	if settled {
		key, _ := crypto.GenerateKey()
		operator = crypto.PubkeyToAddress(key.PublicKey)
		for i := range relays {
			relays[i].Operator = common.BigToAddress(big.NewInt(int64(i + 1)))
		}
		relays[0].Operator = operator
		d := cheque.NewDomain(big.NewInt(1337), common.HexToAddress("0x00000000000000000000000000000000000000aa"))
		st = &node.Settlement{
			Domain: d, Signer: settle.KeySigner(d, key),
			Cover: settle.CoverFunc(func(context.Context, common.Address) (*big.Int, error) {
				return new(big.Int).Lsh(big.NewInt(1), 200), nil
			}),
			ChequeEvery: 200, RefuseAbove: 1 << 60,
		}
	}
	epochs := pki.Epochs{Genesis: time.Now().Add(-time.Hour), Length: time.Hour}
	bn := &bench{arrived: make(chan time.Time, 1024)}
	var err error
	bn.relay, err = node.New(node.Config{
		DataDir: b.TempDir(), Identity: ids[0], Roles: chain.RoleMix, Layers: 1,
		ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}, Chain: fixedChain{relays}, Epochs: epochs,
		ReplayCapacity: 2_000_000, QueueSize: 65536,
		// The sender is one peer sending as fast as it can: measure the relay, not its limiter.
		RateLimit: mixer.RateLimitConfig{Rate: 1e9, Burst: 1e9},
		Operator:  operator, Settlement: st, PerHopPriceWei: "1000000000", NoCover: true,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { bn.relay.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	if err := bn.relay.Start(ctx); err != nil {
		b.Fatal(err)
	}
	bn.epoch = epochs.At(time.Now())
	var ok bool
	if bn.key, ok = bn.relay.Directory().SphinxKey(bn.epoch, bn.relay.NodeKey()); !ok {
		b.Fatal("relay published no descriptor")
	}

	frameSize := wire.EpochSize + sphinx.DefaultGeometry().PacketSize()
	sink, err := libp2p.New(libp2p.Identity(ids[2]), libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sink.Close() })
	bn.sinkKey, bn.sinkID = relays[2].NodeKey, sink.ID()
	sink.SetStreamHandler(wire.MixProtocol, func(s network.Stream) {
		buf := make([]byte, frameSize)
		for {
			if _, err := io.ReadFull(s, buf); err != nil {
				return
			}
			bn.received.Add(1)
			select {
			case bn.arrived <- time.Now():
			default:
			}
		}
	})
	bn.relay.Host().Peerstore().AddAddrs(sink.ID(), sink.Addrs(), time.Hour)
	if settled {
		// The sink announces a price, so that the relay owes it and signs cheques.
		sk, _ := sphinx.GenerateKey(rand.Reader)
		d := &pki.Descriptor{NodeKey: relays[2].NodeKey, Operator: relays[2].Operator, Roles: relays[2].Roles, Epoch: bn.epoch,
			PerHopPriceWei: "1000000000", IssuedAt: time.Now().Unix(),
			SphinxKeys: []pki.EpochKey{{Epoch: bn.epoch, Key: sk.Public()}, {Epoch: bn.epoch + 1, Key: sk.Public()}}}
		sealed, err := pki.Seal(d, ids[2])
		if err != nil {
			b.Fatal(err)
		}
		if err := bn.relay.Directory().Add(sealed); err != nil {
			b.Fatal(err)
		}
	}

	if bn.sender, err = libp2p.New(libp2p.Identity(ids[1]), libp2p.NoListenAddrs); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { bn.sender.Close() })
	if err := bn.sender.Connect(ctx, peer.AddrInfo{ID: bn.relay.Host().ID(), Addrs: bn.relay.Addrs()}); err != nil {
		b.Fatal(err)
	}
	return bn
}

// frames builds n distinct frames that the relay forwards to the sink at once.
func (bn *bench) frames(b testing.TB, n int) [][]byte {
	return forwardFrames(b, bn.relay.NodeKey(), bn.key, bn.epoch, bn.sinkKey, n)
}

// forwardFrames builds n distinct frames of the epoch that the relay with
// Sphinx key key forwards at once to the node to, which does not unwrap
// them: built on every core, as a benchmark needs thousands.
func forwardFrames(tb testing.TB, relay [32]byte, key sphinx.PublicKey, epoch uint64, to [32]byte, n int) [][]byte {
	out := make([][]byte, n)
	errs := make([]error, runtime.NumCPU())
	var wg sync.WaitGroup
	for w := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n && errs[w] == nil; i += len(errs) {
				path := []sphinx.Hop{
					{ID: relay, PublicKey: key, Command: sphinx.Relay{Next: to}},
					{ID: to, PublicKey: key, Command: sphinx.Drop{}}, // the sink does not unwrap
				}
				var pkt []byte
				if pkt, errs[w] = sphinx.NewPacket(rand.Reader, sphinx.DefaultGeometry(), path, []byte("x")); errs[w] == nil {
					out[i] = make([]byte, wire.EpochSize+len(pkt))
					wire.PutFrameEpoch(out[i], epoch)
					copy(out[i][wire.EpochSize:], pkt)
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			tb.Fatal(err)
		}
	}
	return out
}

// BenchmarkRelayThroughput drives packets through one relay over a real libp2p
// connection on loopback: read, unwrap, replay check, queue, write to the next
// hop. It reports packets per second through the relay.
//
//	go test -run '^$' -bench RelayThroughput -benchtime 20000x -count 3 ./node/
func BenchmarkRelayThroughput(b *testing.B) {
	for _, settled := range []bool{false, true} {
		b.Run(fmt.Sprintf("accounting=%v", settled), func(b *testing.B) { benchThroughput(b, settled) })
	}
}

func benchThroughput(b *testing.B, settled bool) {
	bn := newBenchWith(b, settled)
	frames := bn.frames(b, b.N)
	s, err := bn.sender.NewStream(context.Background(), bn.relay.Host().ID(), wire.MixProtocol)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for _, f := range frames {
		if _, err := s.Write(f); err != nil {
			b.Fatal(err)
		}
	}
	deadline := time.Now().Add(time.Minute)
	for bn.received.Load() < int64(b.N) {
		select {
		case <-bn.arrived:
		case <-time.After(time.Until(deadline)):
			b.Fatalf("%d of %d packets came through; drops %v", bn.received.Load(), b.N, bn.relay.Stats().Drops)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "pkt/s")
	if settled {
		// The accounts moved: the sender owes for every packet, the sink is owed.
		e := bn.relay.Earnings()
		for wait := time.Now().Add(5 * time.Second); b.N >= 1000 && e.Stats.ChequesSigned == 0 && time.Now().Before(wait); {
			time.Sleep(10 * time.Millisecond) // cheques are signed off the packet path
			e = bn.relay.Earnings()
		}
		if len(e.Holdings) != 1 || e.Holdings[0].Unpaid.Sign() <= 0 || len(e.Debts) != 1 || (b.N >= 1000 && e.Stats.ChequesSigned == 0) {
			b.Fatalf("accounts did not move: %+v", e)
		}
		b.ReportMetric(float64(e.Stats.ChequesSigned), "cheques")
	}
}

// TestPerHopOverhead measures, one packet at a time, how long a relay takes
// beyond the delay the sender chose (zero here): from the sender's write to
// the next hop's read, over loopback, unwrap included.
func TestPerHopOverhead(t *testing.T) {
	if testing.Short() {
		t.Skip("measurement")
	}
	bn := newBench(t)
	const n = 300
	frames := bn.frames(t, n)
	s, err := bn.sender.NewStream(context.Background(), bn.relay.Host().ID(), wire.MixProtocol)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	lat := make([]time.Duration, 0, n)
	for _, f := range frames {
		start := time.Now()
		if _, err := s.Write(f); err != nil {
			t.Fatal(err)
		}
		select {
		case at := <-bn.arrived:
			lat = append(lat, at.Sub(start))
		case <-time.After(10 * time.Second):
			t.Fatalf("packet lost; drops %v", bn.relay.Stats().Drops)
		}
	}
	slices.Sort(lat)
	t.Logf("per-hop overhead over %d packets: p50 %v, p99 %v, max %v", n, lat[n/2], lat[n*99/100], lat[n-1])
	if got := bn.relay.Stats().Forwarded; got != n {
		t.Fatalf("forwarded %d, want %d", got, n)
	}
}
