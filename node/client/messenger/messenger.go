// Package messenger is conversations between Ethereum accounts over a
// Murmur client: a user addresses another by account (or card), and
// every message is sealed by the Double Ratchet of a PQXDH session
// (messaging/session) and delivered exactly once, in order, over the
// mixnet's best effort. The conversations themselves are
// messaging/delivery's (which the browser's core runs too); this package
// carries their messages through the client: each goes out with a reply
// block, its acknowledgement comes back through it, and a message not
// acknowledged in time goes out again in an ordinary packet of the cover
// stream. Its state is in badger, written before it acts, so a process
// killed at any point resumes without losing or repeating a message.
package messenger

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/internal/badgerdb"
	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/messaging/delivery"
	"github.com/murmurnet/murmur/messaging/reliable"
	"github.com/murmurnet/murmur/messaging/session"
	"github.com/murmurnet/murmur/node/client"
)

// Options configure a Messenger.
type Options struct {
	// Client carries the packets. The messenger takes every message the
	// client receives: nothing else may call its Receive.
	Client *client.Client
	// Sessions hold this user's conversation keys; Card is its signed
	// card, made from Sessions' keys (session.Store.Card), sent with a
	// conversation's first messages.
	Sessions *session.Store
	Card     *card.Signed
	// Dir keeps the messenger's state.
	Dir string
	// ChainID is what cards are verified against.
	ChainID uint64
	// Other, if set, gets the messages that are not conversations' (plain
	// client.Send, whose body does not begin with a session message kind,
	// 0x01 or 0x02); without it they are dropped.
	Other func(*client.Message)
	// Timing of retransmissions; zero values take reliable's defaults.
	Timing reliable.Timing
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger; default slog.Default().
	Logger *slog.Logger
}

// MessageID names a message sent: its conversation's peer and sequence
// number.
type MessageID = delivery.MessageID

// Message is a message received.
type Message = delivery.Message

// Stats count what arrived and what was refused (delivery.Stats).
type Stats = delivery.Stats

// Messenger runs the conversations of one user.
type Messenger struct {
	o   Options
	e   *delivery.Engine
	log *slog.Logger

	wake, ready chan struct{}
	// sendAck sends a sealed acknowledgement of msg: through its reply
	// block, else to the peer's address (tests replace it).
	sendAck func(ctx context.Context, msg *client.Message, to client.Address, ct []byte) error

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Open opens the messenger's state in o.Dir and starts it.
func Open(o Options) (*Messenger, error) {
	if o.Client == nil || o.Sessions == nil || o.Card == nil || o.Dir == "" || o.ChainID == 0 {
		return nil, errors.New("messenger: Client, Sessions, Card, Dir and ChainID are required")
	}
	m, err := open(o)
	if err != nil {
		return nil, err
	}
	m.sendAck = func(ctx context.Context, msg *client.Message, to client.Address, ct []byte) error {
		if len(msg.ReplySURB) > 0 {
			return o.Client.Reply(ctx, msg, ct)
		}
		return o.Client.Send(ctx, to, ct, client.SendOptions{})
	}
	m.spawn(m.routineReceive)
	m.spawn(m.routineSend)
	return m, nil
}

// open opens the state, with nothing running yet.
func open(o Options) (*Messenger, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	r, err := badgerdb.OpenRecords(o.Dir)
	if err != nil {
		return nil, fmt.Errorf("messenger: %w", err)
	}
	e, err := delivery.New(delivery.Options{Records: r, Sessions: o.Sessions, Card: o.Card, ChainID: o.ChainID, Timing: o.Timing})
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("messenger: %w", err)
	}
	m := &Messenger{o: o, e: e, log: o.Logger, wake: make(chan struct{}, 1), ready: make(chan struct{}, 1)}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	return m, nil
}

// ackTimeout bounds the sending of one acknowledgement, and so how long
// Close waits for those on their way.
const ackTimeout = 10 * time.Second

// Close stops the messenger, once the acknowledgements on their way have
// gone out (ackTimeout at most), and closes its state (not the client or
// the sessions).
func (m *Messenger) Close() error {
	m.cancel()
	m.wg.Wait()
	return m.e.Close()
}

func (m *Messenger) spawn(f func()) {
	m.wg.Add(1)
	go func() { defer m.wg.Done(); f() }()
}

// Stats returns the messenger's counts.
func (m *Messenger) Stats() Stats { return m.e.Stats() }

// Send queues body for the owner of account, finding its card through
// the mixnet if there is no conversation with it yet, and returns at once
// with the message's id; Status says when it is delivered.
func (m *Messenger) Send(ctx context.Context, to common.Address, body []byte) (MessageID, error) {
	if m.e.HasPeer(to) {
		return m.queue(to, body)
	}
	c, err := m.o.Client.LookupCard(ctx, to)
	if err != nil {
		return MessageID{}, fmt.Errorf("messenger: the card of %s: %w", to.Hex(), err)
	}
	return m.SendCard(ctx, c, body)
}

// SendCard is Send to the owner of a card the caller has; it is verified
// here.
func (m *Messenger) SendCard(_ context.Context, to *card.Signed, body []byte) (MessageID, error) {
	if err := m.e.Start(to, m.o.Now()); err != nil {
		return MessageID{}, err
	}
	return m.queue(to.Account, body)
}

// queue adds body to the conversation with to, stored before it returns.
func (m *Messenger) queue(to common.Address, body []byte) (MessageID, error) {
	id, err := m.e.Queue(to, body, m.o.Now())
	if err != nil {
		return MessageID{}, err
	}
	select {
	case m.wake <- struct{}{}:
	default:
	}
	return id, nil
}

// Queued returns how many messages were ever queued for peer (the
// sequence number of the last): a restarted application that numbers its
// messages carries on from there, without sending one twice.
func (m *Messenger) Queued(peer common.Address) uint64 { return m.e.Queued(peer) }

// Status says where a message stands: sent, delivered (acknowledged) or
// failed (expired unacknowledged).
func (m *Messenger) Status(id MessageID) reliable.Status { return m.e.Status(id) }

// Receive returns the next message, in order per peer, once each: it is
// gone from the store before it is returned.
func (m *Messenger) Receive(ctx context.Context) (Message, error) {
	for {
		msg, ok, err := m.e.Take()
		if err != nil || ok {
			return msg, err
		}
		select {
		case <-ctx.Done():
			return Message{}, ctx.Err()
		case <-m.ctx.Done():
			return Message{}, client.ErrClosed
		case <-m.ready:
		}
	}
}

// routineReceive takes every message the client receives.
func (m *Messenger) routineReceive() {
	for {
		msg, err := m.o.Client.Receive(m.ctx)
		if err != nil {
			if m.ctx.Err() != nil {
				return
			}
			m.log.Debug("messenger: receive", "err", err)
			select {
			case <-m.ctx.Done():
				return
			case <-time.After(time.Second):
			}
			continue
		}
		m.handle(msg)
	}
}

// handle gives one message to the engine, and sends back the
// acknowledgement it makes.
func (m *Messenger) handle(msg *client.Message) {
	h, err := m.e.Handle(msg.Body, m.o.Now())
	if errors.Is(err, delivery.ErrNotConversation) {
		if m.o.Other != nil {
			m.o.Other(msg)
		}
		return
	}
	if h.Released > 0 {
		select {
		case m.ready <- struct{}{}:
		default:
		}
	}
	if err != nil {
		m.log.Debug("messenger: a message refused", "err", err)
		return
	}
	if h.Ack == nil {
		return
	}
	to := addressOf(h.To)
	m.spawn(func() {
		// Close waits for it: an application that stops right after
		// Receive must not leave the sender retransmitting.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(m.ctx), ackTimeout)
		defer cancel()
		if err := m.sendAck(ctx, msg, to, h.Ack); err != nil {
			m.log.Debug("messenger: an acknowledgement not sent", "err", err)
		}
	})
}

func addressOf(c *card.Signed) client.Address {
	return client.Address{Provider: c.Provider, Mailbox: c.Mailbox, Key: c.SealKey}
}

// routineSend sends what each conversation has due, when it is due.
func (m *Messenger) routineSend() {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		m.sendDue()
		wait := time.Hour
		if at, ok := m.e.NextDue(); ok {
			wait = min(wait, max(at.Sub(m.o.Now()), 0))
		}
		timer.Reset(wait)
		select {
		case <-m.ctx.Done():
			return
		case <-m.wake:
		case <-timer.C:
		}
	}
}

func (m *Messenger) sendDue() {
	send, err := m.e.Due(m.o.Now())
	if err != nil {
		m.log.Warn("messenger: not all due messages made", "err", err)
	}
	for _, o := range send {
		ctx, cancel := context.WithTimeout(m.ctx, time.Minute)
		err := m.o.Client.Send(ctx, addressOf(o.To), o.Ciphertext, client.SendOptions{WithReply: true})
		cancel()
		if err != nil && m.ctx.Err() == nil {
			// It goes out again at its next timeout.
			m.log.Debug("messenger: a message not sent", "err", err)
		}
	}
}
