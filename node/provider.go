package node

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/sphinx"
)

// clientIdle closes a client stream nobody has used for this long.
const clientIdle = 10 * time.Minute

// handleClient serves one client stream at a provider: requests in, one
// response each. The client's mailbox is the one of its authenticated peer ID.
func (n *Node) handleClient(s network.Stream) {
	defer s.Close()
	p := s.Conn().RemotePeer()
	mb := wire.MailboxOf([]byte(p))
	maxBody := max(32+n.frameSize, wire.MaxSpendBody)
	for {
		s.SetReadDeadline(time.Now().Add(clientIdle))
		typ, body, err := wire.ReadMsg(s, maxBody)
		if err != nil {
			var se *wire.SizeError
			if errors.As(err, &se) && se.Size <= wire.MaxBody {
				// Read the oversized body away so that the client hears why.
				io.CopyN(io.Discard, s, int64(se.Size))
				n.respond(s, wire.Status{Code: wire.CodeMalformed, Reason: err.Error()})
			}
			return
		}
		var st wire.Status
		switch typ {
		case wire.TypeRegister:
			n.clientsMu.Lock()
			n.clients[p] = true
			n.clientsMu.Unlock()
		case wire.TypeSend, wire.TypeForward:
			st = n.clientSend(p, typ, body)
		case wire.TypeSpend:
			rt, rb := n.clientSpend(p, body)
			if err := wire.WriteMsg(s, rt, rb); err != nil {
				return
			}
			continue
		case wire.TypeFetch:
			max, err := wire.DecodeFetch(body)
			if err != nil {
				st = wire.Status{Code: wire.CodeMalformed, Reason: err.Error()}
				break
			}
			msgs, err := n.mail.Fetch(mb, int(min(max, wire.MaxMessages)))
			if err != nil {
				st = wire.Status{Code: wire.CodeInternal, Reason: "mailbox unavailable"}
				n.log.Warn("mailbox fetch", "err", err)
				break
			}
			out := make([]wire.Message, len(msgs))
			for i, m := range msgs {
				out[i] = wire.Message{ID: m.ID, Payload: m.Payload}
			}
			if err := wire.WriteMsg(s, wire.TypeMessages, wire.EncodeMessages(out)); err != nil {
				return
			}
			continue
		case wire.TypeAck:
			ids, err := wire.DecodeAck(body)
			if err != nil {
				st = wire.Status{Code: wire.CodeMalformed, Reason: err.Error()}
				break
			}
			if err := n.mail.Ack(mb, ids); err != nil {
				st = wire.Status{Code: wire.CodeInternal, Reason: "mailbox unavailable"}
			}
		default:
			st = wire.Status{Code: wire.CodeMalformed, Reason: fmt.Sprintf("unknown request type %d", typ)}
		}
		if err := n.respond(s, st); err != nil {
			return
		}
	}
}

func (n *Node) respond(s network.Stream, st wire.Status) error {
	return wire.WriteMsg(s, wire.TypeStatus, wire.EncodeStatus(st))
}

// clientSend takes a packet from a registered client: a Send is unwrapped
// here (the provider is its first hop); a Forward is a SURB packet passed on
// unopened to the mix its header starts at.
func (n *Node) clientSend(p peer.ID, typ wire.Type, body []byte) wire.Status {
	n.clientsMu.RLock()
	registered := n.clients[p]
	n.clientsMu.RUnlock()
	if !registered {
		return wire.Status{Code: wire.CodeNotRegistered, Reason: "register first"}
	}
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
		if st, ok := n.prepaid.charge(p); !ok {
			return st
		}
	}
	f := n.getFrame()
	copy(f.buf, body)
	f.arrival = now
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

// refund gives back the prepaid packet charged for a packet that was refused.
func (n *Node) refund(p peer.ID) {
	if n.prepaid != nil {
		n.prepaid.refund(p)
	}
}
