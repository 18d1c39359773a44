package node

import (
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/sphinx"
)

// clientPackets hands the packets of a provider's clients to the pipeline.
type clientPackets struct{ n *Node }

// FromClient takes a packet from a registered client: a Send is unwrapped
// here (the provider is its first hop); a Forward is a SURB packet passed on
// unopened to the mix its header starts at.
func (cp clientPackets) FromClient(p peer.ID, typ wire.Type, body []byte) wire.Status {
	n := cp.n
	var to sphinx.NodeID
	if typ == wire.TypeForward {
		if len(body) < 32 {
			return wire.Status{Code: wire.CodeMalformed, Reason: "forward without a first hop"}
		}
		copy(to[:], body[:32])
		body = body[32:]
	}
	if len(body) != n.frameSize {
		return wire.Status{Code: wire.CodeMalformed, Reason: fmt.Sprintf("frame of %d bytes, the network's is %d", len(body), n.frameSize)}
	}
	now := n.cfg.Now()
	if !n.limiter.Allow(string(p), now) {
		return wire.Status{Code: wire.CodeBusy, Reason: "rate limited"}
	}
	// A packet costs a prepaid packet, given back if it goes nowhere.
	if n.prepaid != nil {
		if st, ok := n.prepaid.Charge(p); !ok {
			return st
		}
	}
	f := n.getFrame()
	copy(f.buf, body)
	f.arrival, f.from = now, string(p)
	n.stats.received.Add(1)
	if typ == wire.TypeForward {
		if !n.forwardRaw(f, to) {
			n.refund(p)
			return wire.Status{Code: wire.CodeRejected, Reason: "unknown first hop"}
		}
		return wire.Status{}
	}
	if !n.enqueue(f) {
		n.refund(p)
		return wire.Status{Code: wire.CodeBusy, Reason: "provider overloaded"}
	}
	return wire.Status{}
}

// PublishCard keeps and hands on a contact card of registered client p.
func (cp clientPackets) PublishCard(p peer.ID, body []byte) wire.Status {
	return cp.n.publishCard(p, body)
}

// refund gives back the prepaid packet charged for a packet that was refused.
func (n *Node) refund(p peer.ID) {
	if n.prepaid != nil {
		n.prepaid.Refund(p)
	}
}
