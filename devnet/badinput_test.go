package devnet

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/murmurnet/murmur/internal/testutil"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/node/mixer"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/sphinx"
)

// TestBadInputIsCountedNotFatal throws garbage at a running network: each
// kind is refused, counted under its reason, and the network still delivers.
func TestBadInputIsCountedNotFatal(t *testing.T) {
	nw, ctx := startNetwork(t)
	provider, mix, other := nw.Result.Relays[0].Node, nw.Result.Relays[3].Node, nw.Result.Relays[4].Node
	g := sphinx.DefaultGeometry()
	frameSize := wire.EpochSize + g.PacketSize()
	epoch := nw.Epochs.At(time.Now())

	// 1. A peer outside the topology may not open a mix stream.
	stranger, err := libp2p.New(libp2p.NoListenAddrs)
	if err != nil {
		t.Fatal(err)
	}
	defer stranger.Close()
	if err := stranger.Connect(ctx, peer.AddrInfo{ID: mix.Host().ID(), Addrs: mix.Addrs()}); err != nil {
		t.Fatal(err)
	}
	before := mix.Counters.Get(mixer.Unauthorized)
	if s, err := stranger.NewStream(ctx, mix.Host().ID(), wire.MixProtocol); err == nil {
		s.Write(make([]byte, frameSize))
		s.Close()
	}
	testutil.WaitFor(t, 5*time.Second, "unauthorized peer counted", func() bool { return mix.Counters.Get(mixer.Unauthorized) > before })

	// 2-4. From a relay of the topology: garbage, a frame for an unknown epoch, a truncated frame.
	s, err := other.Host().NewStream(ctx, mix.Host().ID(), wire.MixProtocol)
	if err != nil {
		t.Fatal(err)
	}
	garbage := make([]byte, frameSize)
	rand.Read(garbage)
	wire.PutFrameEpoch(garbage, epoch)
	future := make([]byte, frameSize)
	wire.PutFrameEpoch(future, epoch+7)
	mac, unknown := mix.Counters.Get(mixer.InvalidMAC), mix.Counters.Get(mixer.UnknownEpoch)
	decode := mix.Counters.Get(mixer.DecodeError)
	s.Write(garbage)
	s.Write(future)
	s.Write(garbage[:100])
	s.Close()
	testutil.WaitFor(t, 5*time.Second, "garbage counted as an invalid MAC", func() bool { return mix.Counters.Get(mixer.InvalidMAC) > mac })
	testutil.WaitFor(t, 5*time.Second, "unknown epoch counted", func() bool { return mix.Counters.Get(mixer.UnknownEpoch) > unknown })
	testutil.WaitFor(t, 5*time.Second, "truncated frame counted", func() bool { return mix.Counters.Get(mixer.DecodeError) > decode })

	// 5-7. The client protocol at a provider.
	cl, err := libp2p.New(libp2p.NoListenAddrs)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if err := cl.Connect(ctx, peer.AddrInfo{ID: provider.Host().ID(), Addrs: provider.Addrs()}); err != nil {
		t.Fatal(err)
	}
	cs, err := cl.NewStream(ctx, provider.Host().ID(), wire.ClientProtocol)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()

	// A packet to the provider itself: one hop, delivered to a mailbox.
	key, ok := provider.Directory().SphinxKey(epoch, provider.NodeKey())
	if !ok {
		t.Fatal("no descriptor for the provider")
	}
	pkt, err := sphinx.NewPacket(rand.Reader, g, []sphinx.Hop{{ID: provider.NodeKey(), PublicKey: key, Command: sphinx.Deliver{Mailbox: sphinx.MailboxID{1}}}}, []byte("hi"))
	if err != nil {
		t.Fatal(err)
	}
	frame := make([]byte, frameSize)
	wire.PutFrameEpoch(frame, epoch)
	copy(frame[wire.EpochSize:], pkt)

	if st := request(t, cs, wire.TypeSend, frame); st.Code != wire.CodeNotRegistered {
		t.Fatalf("send before register: %+v", st)
	}
	if st := request(t, cs, wire.TypeRegister, nil); st.Code != wire.CodeOK {
		t.Fatalf("register: %+v", st)
	}
	if st := request(t, cs, wire.TypeSend, frame); st.Code != wire.CodeUnpaid {
		t.Fatalf("send before paying: %+v", st)
	}
	spendRaw(t, ctx, nw, cs) // the provider charges a packet per packet
	if st := request(t, cs, wire.TypeSend, frame[:100]); st.Code != wire.CodeMalformed {
		t.Fatalf("short frame: %+v", st)
	}
	delivered, replays := provider.Stats().Delivered, provider.Counters.Get(mixer.Replay)
	for range 2 { // the second is a replay
		if st := request(t, cs, wire.TypeSend, frame); st.Code != wire.CodeOK {
			t.Fatalf("send: %+v", st)
		}
	}
	testutil.WaitFor(t, 5*time.Second, "replay counted", func() bool { return provider.Counters.Get(mixer.Replay) > replays })
	// The replay is refused at once; the first copy is delivered after its
	// mixing delay.
	testutil.WaitFor(t, 5*time.Second, "the first copy delivered", func() bool { return provider.Stats().Delivered > delivered })
	if got := provider.Stats().Delivered - delivered; got != 1 {
		t.Fatalf("delivered %d copies of one packet, want 1", got)
	}
	if st := request(t, cs, wire.Type(0x77), nil); st.Code != wire.CodeMalformed {
		t.Fatalf("unknown request: %+v", st)
	}
	// An oversized request is refused and the stream closed.
	if st := request(t, cs, wire.TypeSend, make([]byte, 1<<20)); st.Code != wire.CodeMalformed {
		t.Fatalf("oversized request: %+v", st)
	}

	// After all that, the network still carries messages.
	alice := newClient(t, ctx, nw.ClientConfig(0))
	bob := newClient(t, ctx, nw.ClientConfig(1))
	if err := alice.Send(ctx, bob.Address(), []byte("still here"), client.SendOptions{}); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if m, err := bob.Receive(rctx); err != nil || string(m.Body) != "still here" {
		t.Fatalf("after bad input: %v", err)
	}
}

func request(t *testing.T, s network.Stream, typ wire.Type, body []byte) wire.Status {
	t.Helper()
	if err := wire.WriteMsg(s, typ, body); err != nil {
		t.Fatal(err)
	}
	rt, rb, err := wire.ReadMsg(s, wire.MaxBody)
	if err != nil {
		t.Fatalf("no answer to request %d: %v", typ, err)
	}
	if rt != wire.TypeStatus {
		t.Fatalf("answer of type %d", rt)
	}
	st, err := wire.DecodeStatus(rb)
	if err != nil {
		t.Fatal(err)
	}
	return st
}
