package node_test

import (
	"context"
	"crypto/rand"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/mixer"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/sphinx"
)

// TestReplayFloodKeepsHonestTraffic: a neighbour sends fresh, valid
// packets at the relay's per-peer rate limit until it has had three
// times the epoch's replay table admitted (what an epoch of flooding
// does to it), while another neighbour sends ordinary traffic. The
// flooder is held to its share of the filling table, and at least 99 %
// of the other neighbour's packets are forwarded (issue 16's figure).
// Without the share the table would be full a third of the way in and
// every later packet dropped.
func TestReplayFloodKeepsHonestTraffic(t *testing.T) {
	if testing.Short() {
		t.Skip("half a minute of packets")
	}
	const (
		capacity = 4000
		rate     = 400 // packets/s a peer may send the relay
		flood    = 3 * capacity
		honest   = 300 // over the flood's 30 s: 10 a second
	)
	ids := make([]lcrypto.PrivKey, 5) // relay, honest, flooder, honest's sink, flooder's sink
	for i := range ids {
		ids[i], _, _ = lcrypto.GenerateEd25519Key(rand.Reader)
	}
	relays := []chain.Relay{relayOf(t, ids[0], chain.RoleMix), relayOf(t, ids[1], chain.RoleMix), relayOf(t, ids[2], chain.RoleMix),
		relayOf(t, ids[3], chain.RoleProvider), relayOf(t, ids[4], chain.RoleProvider)}
	epochs := pki.Epochs{Genesis: time.Now().Add(-time.Hour), Length: time.Hour}
	relay, err := node.New(node.Config{
		DataDir: t.TempDir(), Identity: ids[0], Roles: chain.RoleMix, Layers: 1,
		ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}, Chain: fixedChain{relays}, Epochs: epochs,
		ReplayCapacity: capacity, RateLimit: mixer.RateLimitConfig{Rate: rate, Burst: rate}, NoCover: true,
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

	var got [2]atomic.Int64 // frames at honest's sink, at the flooder's
	frameSize := wire.EpochSize + sphinx.DefaultGeometry().PacketSize()
	for i, id := range ids[3:] {
		sink, err := libp2p.New(libp2p.Identity(id), libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
		if err != nil {
			t.Fatal(err)
		}
		defer sink.Close()
		sink.SetStreamHandler(wire.MixProtocol, func(s network.Stream) {
			buf := make([]byte, frameSize)
			for {
				if _, err := io.ReadFull(s, buf); err != nil {
					return
				}
				got[i].Add(1)
			}
		})
		relay.Host().Peerstore().AddAddrs(sink.ID(), sink.Addrs(), time.Hour)
	}
	honestFrames := forwardFrames(t, relay.NodeKey(), key, epoch, relays[3].NodeKey, honest)
	floodFrames := forwardFrames(t, relay.NodeKey(), key, epoch, relays[4].NodeKey, flood)
	dial := func(id lcrypto.PrivKey) (host.Host, network.Stream) {
		h, err := libp2p.New(libp2p.Identity(id), libp2p.NoListenAddrs)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Connect(ctx, peer.AddrInfo{ID: relay.Host().ID(), Addrs: relay.Addrs()}); err != nil {
			t.Fatal(err)
		}
		s, err := h.NewStream(ctx, relay.Host().ID(), wire.MixProtocol)
		if err != nil {
			t.Fatal(err)
		}
		return h, s
	}
	// Each sends at its pace: the flooder at the rate limit, so that
	// every frame is admitted and reaches the replay table.
	send := func(id lcrypto.PrivKey, fs [][]byte, every time.Duration) {
		h, s := dial(id)
		defer h.Close()
		tick := time.NewTicker(every)
		defer tick.Stop()
		for _, f := range fs {
			<-tick.C
			if _, err := s.Write(f); err != nil {
				t.Error(err)
				return
			}
		}
		s.Close()
	}
	var wg sync.WaitGroup
	floodEvery := time.Second / (rate * 95 / 100) // just under the limit
	wg.Go(func() { send(ids[2], floodFrames, floodEvery) })
	wg.Go(func() { send(ids[1], honestFrames, time.Duration(flood)*floodEvery/honest) })
	wg.Wait()
	// The last frames through the relay: every flood frame is forwarded or
	// refused, and the honest ones arrive (or 10 s pass, and the check
	// below says how many did not).
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		c := relay.Counters.Snapshot()
		if got[0].Load() == honest && got[1].Load()+int64(c["replay_share"]+c["replay_full"]+c["rate_limited"]) >= flood {
			break
		}
	}
	c := relay.Counters.Snapshot()
	h, f := got[0].Load(), got[1].Load()
	t.Logf("honest: %d of %d forwarded; flooder: %d of %d (replay_share %d, replay_full %d, rate_limited %d)",
		h, honest, f, flood, c["replay_share"], c["replay_full"], c["rate_limited"])
	if h*100 < honest*99 {
		t.Errorf("%d of the honest neighbour's %d packets were forwarded, want at least 99 %%", h, honest)
	}
	if f > capacity*3/4 {
		t.Errorf("the flooder had %d packets forwarded, more than three quarters of the table (%d)", f, capacity)
	}
}
