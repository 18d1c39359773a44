package pki

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/murmurnet/murmur/internal/testutil"

	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/murmurnet/murmur/chain"
)

// waitLimit bounds every wait of these tests.
const waitLimit = 20 * time.Second

func newHost(t *testing.T, key lcrypto.PrivKey) host.Host {
	t.Helper()
	opts := []libp2p.Option{libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableRelay()}
	if key != nil {
		opts = append(opts, libp2p.Identity(key))
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// meshWatch follows a GossipSub router's mesh (a pubsub.RawTracer).
type meshWatch struct {
	mu      sync.Mutex
	mesh    map[peer.ID]bool
	changed chan struct{}
}

func (w *meshWatch) set(p peer.ID, in bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.mesh[p] = in
	close(w.changed)
	w.changed = make(chan struct{})
}

// wait waits until every one of peers is in the mesh.
func (w *meshWatch) wait(t *testing.T, peers ...peer.ID) {
	t.Helper()
	timeout := time.After(waitLimit)
	for {
		w.mu.Lock()
		missing, changed := 0, w.changed
		for _, p := range peers {
			if !w.mesh[p] {
				missing++
			}
		}
		w.mu.Unlock()
		if missing == 0 {
			return
		}
		select {
		case <-changed:
		case <-timeout:
			t.Fatalf("timed out waiting for %d peers to join the mesh", missing)
		}
	}
}

func (w *meshWatch) Graft(p peer.ID, _ string)           { w.set(p, true) }
func (w *meshWatch) Prune(p peer.ID, _ string)           { w.set(p, false) }
func (w *meshWatch) RemovePeer(p peer.ID)                { w.set(p, false) }
func (*meshWatch) AddPeer(peer.ID, protocol.ID)          {}
func (*meshWatch) Join(string)                           {}
func (*meshWatch) Leave(string)                          {}
func (*meshWatch) ValidateMessage(*pubsub.Message)       {}
func (*meshWatch) DeliverMessage(*pubsub.Message)        {}
func (*meshWatch) RejectMessage(*pubsub.Message, string) {}
func (*meshWatch) DuplicateMessage(*pubsub.Message)      {}
func (*meshWatch) ThrottlePeer(peer.ID)                  {}
func (*meshWatch) RecvRPC(*pubsub.RPC)                   {}
func (*meshWatch) SendRPC(*pubsub.RPC, peer.ID)          {}
func (*meshWatch) DropRPC(*pubsub.RPC, peer.ID)          {}
func (*meshWatch) UndeliverableMessage(*pubsub.Message)  {}

// newPubSub starts GossipSub as NewGossip does (flood publishing), with
// short heartbeats so that meshes form quickly, and a watch on its mesh.
func newPubSub(t *testing.T, h host.Host) (*pubsub.PubSub, *meshWatch) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	p := pubsub.DefaultGossipSubParams()
	p.HeartbeatInitialDelay = 10 * time.Millisecond
	p.HeartbeatInterval = 50 * time.Millisecond
	w := &meshWatch{mesh: map[peer.ID]bool{}, changed: make(chan struct{})}
	ps, err := pubsub.NewGossipSub(ctx, h, pubsub.WithGossipSubParams(p), pubsub.WithFloodPublish(true), pubsub.WithRawTracer(w))
	if err != nil {
		t.Fatal(err)
	}
	return ps, w
}

func connect(t *testing.T, a, b host.Host) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := a.Connect(ctx, peer.AddrInfo{ID: b.ID(), Addrs: b.Addrs()}); err != nil {
		t.Fatal(err)
	}
}

// waitTopicPeers waits until topic has seen every one of peers join.
func waitTopicPeers(t *testing.T, topic *pubsub.Topic, peers ...peer.ID) {
	t.Helper()
	ev, err := topic.EventHandler()
	if err != nil {
		t.Fatal(err)
	}
	defer ev.Cancel()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	missing := map[peer.ID]bool{}
	for _, p := range peers {
		missing[p] = true
	}
	for len(missing) > 0 {
		e, err := ev.NextPeerEvent(ctx)
		if err != nil {
			t.Fatalf("waiting for %d topic peers: %v", len(missing), err)
		}
		if e.Type == pubsub.PeerJoin {
			delete(missing, e.Peer)
		}
	}
}

// TestGossipOnChain registers three relays on a chain, runs them as libp2p
// hosts that gossip their descriptors along a line h0 — h1 — h2, and
// checks that every directory ends up with all three, and that a client
// fetches them from a relay.
func TestGossipOnChain(t *testing.T) {
	f := newChainFixture(t, 3)
	roles := []chain.Roles{chain.RoleProvider, chain.RoleMix, chain.RoleMix}
	var hosts []host.Host
	for i, id := range f.ids {
		h := newHost(t, id.id)
		hosts = append(hosts, h)
		f.register(t, i, roles[i], h.Addrs()...)
	}
	// The epoch after the registrations, on the chain's clock.
	e := f.epochNow(t) + 1
	f.advanceTo(t, e)
	snaps, err := NewSnapshots(FromClient(f.c), f.epochs, SnapshotOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := snaps.Get(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	top := NewTopology(snap, DefaultLayers)
	if top.Len() != 3 {
		t.Fatalf("topology has %d relays, want 3", top.Len())
	}
	for i, h := range hosts {
		n, _ := top.Node(f.ids[i].nodeKey)
		if n.PeerID != h.ID() || len(n.Multiaddrs) == 0 {
			t.Fatalf("relay %d in the topology as %s %v, host is %s", i, n.PeerID, n.Multiaddrs, h.ID())
		}
	}
	now := func() time.Time { return f.epochs.Start(e).Add(f.epochs.Length / 2) }

	var (
		dirs    []*Directory
		gossips []*Gossip
		meshes  []*meshWatch
	)
	for _, h := range hosts {
		dir := NewDirectory(f.epochs, now)
		dir.SetTopology(top)
		ps, mesh := newPubSub(t, h)
		g, err := NewGossip(h, dir, GossipOptions{PubSub: ps})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { g.Close() })
		dirs, gossips, meshes = append(dirs, dir), append(gossips, g), append(meshes, mesh)
	}
	connect(t, hosts[0], hosts[1])
	connect(t, hosts[1], hosts[2])
	// h1 forwards between h0 and h2 only along its mesh.
	meshes[1].wait(t, hosts[0].ID(), hosts[2].ID())
	meshes[0].wait(t, hosts[1].ID())
	meshes[2].wait(t, hosts[1].ID())

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	for i, g := range gossips {
		d := newDescriptor(f.ids[i], roles[i], e)
		d.Multiaddrs = nil
		for _, a := range hosts[i].Addrs() {
			d.Multiaddrs = append(d.Multiaddrs, a.String())
		}
		sealed, err := Seal(d, f.ids[i].id)
		if err != nil {
			t.Fatal(err)
		}
		if err := g.Publish(ctx, sealed); err != nil {
			t.Fatal(err)
		}
	}
	for i, dir := range dirs {
		testutil.WaitFor(t, waitLimit, "all descriptors", func() bool { return len(dir.All(e)) == 3 })
		for j, id := range f.ids {
			if _, ok := dir.SphinxKey(e, id.nodeKey); !ok {
				t.Fatalf("directory %d has no Sphinx key for relay %d", i, j)
			}
		}
	}

	// A client, which does not gossip, fetches the set from its provider.
	client := newHost(t, nil)
	connect(t, client, hosts[0])
	got, err := FetchDescriptors(ctx, client, hosts[0].ID(), e)
	if err != nil {
		t.Fatal(err)
	}
	want := dirs[0].Sealed(e)
	if len(got) != 3 {
		t.Fatalf("fetched %d descriptors, want 3", len(got))
	}
	for i := range got {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("fetched descriptor %d differs from the provider's", i)
		}
	}
	cdir := NewDirectory(f.epochs, now)
	cdir.SetTopology(top)
	if added, err := cdir.AddAll(got); added != 3 || err != nil {
		t.Fatalf("client accepted %d fetched descriptors: %v", added, err)
	}
	if got, err := FetchDescriptors(ctx, client, hosts[0].ID(), e+5); err != nil || len(got) != 0 {
		t.Fatalf("fetch of an empty epoch: %d, %v", len(got), err)
	}
}

// TestGossipDoesNotForwardInvalid runs rogue — relay — spy, where the rogue
// and the spy run plain GossipSub without validation: what the relay
// forwards, the spy sees.
func TestGossipDoesNotForwardInvalid(t *testing.T) {
	n := newTestNet(t, chain.RoleMix, chain.RoleMix)
	const e = 5
	dir, _ := newTestDirectory(n, e)
	dir.SetTopology(NewTopology(n.snapshot(e), 3))

	relay, rogue, spy := newHost(t, n.ids[0].id), newHost(t, nil), newHost(t, nil)
	type validated struct {
		from peer.ID
		err  error
	}
	results := make(chan validated, 16)
	ticks := make(chan time.Time)
	relayPS, relayMesh := newPubSub(t, relay)
	g, err := NewGossip(relay, dir, GossipOptions{
		PubSub:     relayPS,
		Ticks:      ticks,
		OnValidate: func(from peer.ID, err error) { results <- validated{from, err} },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })

	roguePS, _ := newPubSub(t, rogue)
	rogueTopic, err := roguePS.Join(DescriptorTopic)
	if err != nil {
		t.Fatal(err)
	}
	spyPS, _ := newPubSub(t, spy)
	spyTopic, err := spyPS.Join(DescriptorTopic)
	if err != nil {
		t.Fatal(err)
	}
	spySub, err := spyTopic.Subscribe()
	if err != nil {
		t.Fatal(err)
	}
	connect(t, rogue, relay)
	connect(t, spy, relay)
	relayMesh.wait(t, spy.ID()) // the relay forwards to the spy along its mesh
	waitTopicPeers(t, rogueTopic, relay.ID())

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	next := func() []byte {
		t.Helper()
		m, err := spySub.Next(ctx)
		if err != nil {
			t.Fatalf("spy: %v", err)
		}
		return m.Data
	}

	// The relay's own descriptor reaches the spy.
	own := n.seal(t, 0, n.descriptor(0, e))
	if err := g.Publish(ctx, own); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(next(), own) {
		t.Fatal("spy did not get the relay's descriptor")
	}

	// The rogue sends a well-signed descriptor of a relay that is not
	// registered. The relay rejects it...
	stranger := newIdentity(t)
	bad, err := Seal(newDescriptor(stranger, chain.RoleMix, e), stranger.id)
	if err != nil {
		t.Fatal(err)
	}
	if err := rogueTopic.Publish(ctx, bad); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-results:
		if r.from != rogue.ID() || !errors.Is(r.err, ErrNotInTopology) {
			t.Fatalf("validation of the rogue's message: from %s: %v", r.from, r.err)
		}
	case <-ctx.Done():
		t.Fatal("the relay never validated the rogue's message")
	}
	// ...and does not forward it: what the spy gets next is the valid
	// descriptor the rogue sends after it.
	good := n.seal(t, 1, n.descriptor(1, e))
	if err := rogueTopic.Publish(ctx, good); err != nil {
		t.Fatal(err)
	}
	if m := next(); !bytes.Equal(m, good) {
		if bytes.Equal(m, bad) {
			t.Fatal("the relay forwarded a descriptor of an unregistered relay")
		}
		t.Fatal("spy got something unexpected")
	}
	if _, ok := dir.Get(e, stranger.nodeKey); ok {
		t.Fatal("directory holds the stranger's descriptor")
	}
	if _, ok := dir.Get(e, n.ids[1].nodeKey); !ok {
		t.Fatal("directory lacks the valid forwarded descriptor")
	}

	// On a tick the relay publishes its descriptor again.
	select {
	case ticks <- time.Now():
	case <-ctx.Done():
		t.Fatal("republish routine not listening")
	}
	if !bytes.Equal(next(), own) {
		t.Fatal("no republication after a tick")
	}
}

// TestFetchDescriptorsRefusesMalformedResponses serves broken responses.
func TestFetchDescriptorsRefusesMalformedResponses(t *testing.T) {
	server, client := newHost(t, nil), newHost(t, nil)
	connect(t, client, server)
	u32 := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	for name, resp := range map[string][]byte{
		"too many":       u32(MaxFetchCount + 1),
		"zero length":    append(u32(1), u32(0)...),
		"too long":       append(u32(1), u32(MaxDescriptorSize+1)...),
		"truncated":      append(append(u32(1), u32(10)...), 1, 2, 3),
		"trailing bytes": append(append(u32(1), u32(1)...), 7, 8),
		"no count":       {0, 0},
	} {
		server.SetStreamHandler(FetchProtocol, func(s network.Stream) {
			var req [8]byte
			if _, err := s.Read(req[:]); err != nil {
				s.Reset()
				return
			}
			s.Write(resp)
			s.Close()
		})
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		got, err := FetchDescriptors(ctx, client, server.ID(), 1)
		cancel()
		if !errors.Is(err, ErrFetch) {
			t.Errorf("%s: %d descriptors, %v; want ErrFetch", name, len(got), err)
		}
	}
	// A cancelled context stops a fetch from a peer that never answers.
	server.SetStreamHandler(FetchProtocol, func(s network.Stream) {})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FetchDescriptors(ctx, client, server.ID(), 1); err == nil {
		t.Fatal("fetch with a cancelled context succeeded")
	}
}
