package node_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/internal/testutil"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/mixer"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/sphinx"
)

// TestRestartedNeighbourIsRedialled: a relay's next hop goes away and
// comes back at its address with its identity, as a restarted relay does.
// The relay fails to dial it while it is away, and reaches it again once
// it is back: libp2p's dial backoff (5 s after a failed dial, growing
// with each) would drop every packet meant for it until then, which in
// TestCrashes lost messages sent after the restarted relay was back.
func TestRestartedNeighbourIsRedialled(t *testing.T) {
	ids := make([]lcrypto.PrivKey, 3) // relay, sender, sink
	for i := range ids {
		ids[i], _, _ = lcrypto.GenerateEd25519Key(rand.Reader)
	}
	relays := []chain.Relay{relayOf(t, ids[0], chain.RoleMix), relayOf(t, ids[1], chain.RoleMix), relayOf(t, ids[2], chain.RoleProvider)}
	epochs := pki.Epochs{Genesis: time.Now().Add(-time.Hour), Length: time.Hour}
	relay, err := node.New(node.Config{
		DataDir: t.TempDir(), Identity: ids[0], Roles: chain.RoleMix, Layers: 1,
		ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}, Chain: fixedChain{relays}, Epochs: epochs,
		ReplayCapacity: 1000, NoCover: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer relay.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := relay.Start(ctx); err != nil {
		t.Fatal(err)
	}
	epoch := epochs.At(time.Now())
	key, ok := relay.Directory().SphinxKey(epoch, relay.NodeKey())
	if !ok {
		t.Fatal("the relay published no descriptor")
	}

	listen := fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", testutil.FreePort(t))
	frameSize := wire.EpochSize + sphinx.DefaultGeometry().PacketSize()
	startSink := func() (host.Host, *atomic.Int64) {
		t.Helper()
		sink, err := libp2p.New(libp2p.Identity(ids[2]), libp2p.ListenAddrStrings(listen))
		if err != nil {
			t.Fatal(err)
		}
		var got atomic.Int64
		sink.SetStreamHandler(wire.MixProtocol, func(s network.Stream) {
			buf := make([]byte, frameSize)
			for {
				if _, err := io.ReadFull(s, buf); err != nil {
					return
				}
				got.Add(1)
			}
		})
		return sink, &got
	}
	sink, got := startSink()
	relay.Host().Peerstore().AddAddrs(sink.ID(), sink.Addrs(), time.Hour)

	sender, err := libp2p.New(libp2p.Identity(ids[1]), libp2p.NoListenAddrs)
	if err != nil {
		t.Fatal(err)
	}
	defer sender.Close()
	if err := sender.Connect(ctx, peer.AddrInfo{ID: relay.Host().ID(), Addrs: relay.Addrs()}); err != nil {
		t.Fatal(err)
	}
	s, err := sender.NewStream(ctx, relay.Host().ID(), wire.MixProtocol)
	if err != nil {
		t.Fatal(err)
	}
	frames := forwardFrames(t, relay.NodeKey(), key, epoch, relays[2].NodeKey, 4)
	send := func(f []byte) {
		t.Helper()
		if _, err := s.Write(f); err != nil {
			t.Fatal(err)
		}
	}

	send(frames[0])
	testutil.WaitFor(t, 10*time.Second, "the first frame at the sink", func() bool { return got.Load() == 1 })

	sink.Close()
	testutil.WaitFor(t, 10*time.Second, "the relay to see the sink gone", func() bool {
		return relay.Host().Network().Connectedness(sink.ID()) != network.Connected
	})
	// Two frames while it is away: the first may only find the stream
	// broken, the second needs a dial.
	send(frames[1])
	send(frames[2])
	testutil.WaitFor(t, 10*time.Second, "both frames dropped", func() bool {
		return relay.Counters.Get(mixer.NextHopUnreachable) == 2
	})

	sink, got = startSink()
	defer sink.Close()
	// Past the relay's pace of one dial a second, and well inside
	// libp2p's backoff of the dial that failed.
	time.Sleep(1500 * time.Millisecond)
	send(frames[3])
	// A frame the relay cannot send is dropped, not kept: this one arrives
	// only if the relay dialled the sink for it.
	testutil.WaitFor(t, 10*time.Second, "the frame sent after the sink came back", func() bool { return got.Load() == 1 })
	if n := relay.Counters.Get(mixer.NextHopUnreachable); n != 2 {
		t.Errorf("%d frames dropped as unreachable; want only the two sent while the sink was away", n)
	}
}
