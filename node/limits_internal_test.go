package node

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/node/wire"
)

// TestStreamCapsPerPeer: a peer may hold StreamCaps[mix] streams open to a
// relay, and the next is reset, while another peer is still served.
// libp2p's defaults allowed 64.
func TestStreamCapsPerPeer(t *testing.T) {
	rm, err := resourceManager()
	if err != nil {
		t.Fatal(err)
	}
	relay, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.ResourceManager(rm))
	if err != nil {
		t.Fatal(err)
	}
	defer relay.Close()
	relay.SetStreamHandler(wire.MixProtocol, func(s network.Stream) {
		defer s.Close()
		if _, err := s.Write([]byte{1}); err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, s) // held open until the peer closes it
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// open opens n streams from h and reports how many the relay served.
	open := func(h host.Host, n int) (served int, streams []network.Stream) {
		if err := h.Connect(ctx, peer.AddrInfo{ID: relay.ID(), Addrs: relay.Addrs()}); err != nil {
			t.Fatal(err)
		}
		for range n {
			s, err := h.NewStream(ctx, relay.ID(), wire.MixProtocol)
			if err != nil {
				continue
			}
			streams = append(streams, s)
			_ = s.SetReadDeadline(time.Now().Add(10 * time.Second))
			var b [1]byte
			if _, err := io.ReadFull(s, b[:]); err == nil {
				served++
			}
		}
		return served, streams
	}
	greedy, err := libp2p.New(libp2p.NoListenAddrs)
	if err != nil {
		t.Fatal(err)
	}
	defer greedy.Close()
	capMix := StreamCaps[wire.MixProtocol]
	served, streams := open(greedy, capMix+4)
	if served != capMix {
		t.Fatalf("one peer was served %d streams of %d tried, want the cap %d", served, capMix+4, capMix)
	}
	other, err := libp2p.New(libp2p.NoListenAddrs)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if n, _ := open(other, 1); n != 1 {
		t.Fatal("another peer was refused while the first held its cap")
	}
	// Streams that end free their place, once the relay has seen them end.
	for _, s := range streams {
		_ = s.Close()
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		if n, _ := open(greedy, 1); n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first peer was still refused 10 s after closing its streams")
		}
	}
}
