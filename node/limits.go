package node

import (
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/protocol"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"

	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/settlement"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/market"
)

// StreamCaps are the streams one peer may hold open to a relay at once,
// per Murmur protocol, in each direction. libp2p's defaults let a peer
// hold 64 inbound streams per protocol and 256 in all, each with its
// handler goroutine and buffers; no honest peer needs that many here:
//
//   - mix: a neighbour sends on one stream (its writer in pipeline.go),
//     and opens another when the first breaks;
//   - client: a client keeps one session stream and opens short ones to
//     fetch and acknowledge;
//   - cheques, descriptors, tickets: one exchange at a time per peer,
//     retried after a failure, so a few overlap at most.
//
// A peer past its cap has the stream reset at once, before any Murmur
// code runs, and other peers are not affected.
var StreamCaps = map[protocol.ID]int{
	wire.MixProtocol:          8,
	wire.ClientProtocol:       8,
	settlement.ChequeProtocol: 16,
	pki.FetchProtocol:         8,
	market.Protocol:           16,
}

// resourceManager is libp2p's default resource manager with [StreamCaps]
// as per-peer, per-protocol stream limits.
func resourceManager() (network.ResourceManager, error) {
	limits := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&limits)
	for p, n := range StreamCaps {
		limits.AddProtocolPeerLimit(p, rcmgr.BaseLimit{StreamsInbound: n, StreamsOutbound: n, Streams: 2 * n, Memory: 16 << 20}, rcmgr.BaseLimitIncrease{})
	}
	return rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(limits.AutoScale()))
}
