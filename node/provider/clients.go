package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/node/mailbox"
	"github.com/murmurnet/murmur/node/wire"
)

// clientIdle closes a client stream nobody has used for this long.
const clientIdle = 10 * time.Minute

// Packets takes the packets clients hand their provider: the relay's mix
// pipeline.
type Packets interface {
	// FromClient takes a Send or Forward of registered client p and
	// answers it. It charges p through [Provider.Charge] if the relay
	// charges.
	FromClient(p peer.ID, typ wire.Type, body []byte) wire.Status
	// PublishCard takes a contact card registered client p publishes
	// (package cards).
	PublishCard(p peer.ID, body []byte) wire.Status
}

// Clients serves the client protocol (wire.ClientProtocol) at a provider:
// registration, packets to send, mailbox fetches and acknowledgements,
// and ticket spends.
type Clients struct {
	mail    *mailbox.Store
	packets Packets
	prepaid *Provider // nil: the provider does not charge
	maxBody int
	log     *slog.Logger
	ctx     context.Context
}

// NewClients serves clients from the mailboxes in mail, handing their
// packets of frameSize bytes to packets, and charging them through
// prepaid (nil: free). Spends are answered within ctx.
func NewClients(ctx context.Context, mail *mailbox.Store, packets Packets, prepaid *Provider, frameSize int, log *slog.Logger) *Clients {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Clients{
		mail: mail, packets: packets, prepaid: prepaid, log: log, ctx: ctx,
		maxBody: max(32+frameSize, wire.MaxSpendBody),
	}
}

// Handle serves one client stream: requests in, one response each. The
// client's mailbox is the one of its authenticated peer ID.
//
// Registration lasts as long as the stream: a client registers on each
// stream it opens (the Go client does so on every new one), and the
// provider keeps nothing of it once the stream ends, so what it holds per
// client is bounded by the clients connected.
func (c *Clients) Handle(s network.Stream) {
	defer s.Close()
	p := s.Conn().RemotePeer()
	mb := wire.MailboxOf([]byte(p))
	registered := false
	for {
		s.SetReadDeadline(time.Now().Add(clientIdle))
		typ, body, err := wire.ReadMsg(s, c.maxBody)
		if err != nil {
			var se *wire.SizeError
			if errors.As(err, &se) && se.Size <= wire.MaxBody {
				// Read the oversized body away so that the client hears why.
				io.CopyN(io.Discard, s, int64(se.Size))
				respond(s, wire.Status{Code: wire.CodeMalformed, Reason: err.Error()})
			}
			return
		}
		var st wire.Status
		switch typ {
		case wire.TypeRegister:
			registered = true
		case wire.TypeSend, wire.TypeForward:
			if !registered {
				st = wire.Status{Code: wire.CodeNotRegistered, Reason: "register first"}
				break
			}
			st = c.packets.FromClient(p, typ, body)
		case wire.TypePublishCard:
			if !registered {
				st = wire.Status{Code: wire.CodeNotRegistered, Reason: "register first"}
				break
			}
			st = c.packets.PublishCard(p, body)
		case wire.TypeSpend:
			rt, rb := c.spend(p, registered, body)
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
			msgs, err := c.mail.Fetch(mb, int(min(max, wire.MaxMessages)))
			if err != nil {
				st = wire.Status{Code: wire.CodeInternal, Reason: "mailbox unavailable"}
				c.log.Warn("mailbox fetch", "err", err)
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
			if err := c.mail.Ack(mb, ids); err != nil {
				st = wire.Status{Code: wire.CodeInternal, Reason: "mailbox unavailable"}
			}
		default:
			st = wire.Status{Code: wire.CodeMalformed, Reason: fmt.Sprintf("unknown request type %d", typ)}
		}
		if err := respond(s, st); err != nil {
			return
		}
	}
}

// spend answers a client's Spend request.
func (c *Clients) spend(p peer.ID, registered bool, body []byte) (wire.Type, []byte) {
	switch {
	case !registered:
		return wire.TypeStatus, wire.EncodeStatus(wire.Status{Code: wire.CodeNotRegistered, Reason: "register first"})
	case c.prepaid == nil:
		return wire.TypeStatus, wire.EncodeStatus(wire.Status{Code: wire.CodeRejected, Reason: "this provider does not charge for packets"})
	}
	return c.prepaid.Spend(c.ctx, p, body)
}

func respond(s network.Stream, st wire.Status) error {
	return wire.WriteMsg(s, wire.TypeStatus, wire.EncodeStatus(st))
}
