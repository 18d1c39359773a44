// Package messenger is conversations between Ethereum accounts over a
// Murmur client: a user addresses another by account (or card), and
// every message is sealed by the Double Ratchet of a PQXDH session
// (messaging/session) and delivered exactly once, in order, over the
// mixnet's best effort (messaging/reliable).
//
// The first messages of a conversation carry the sender's card, which
// binds its session identity key to its account; the receiver verifies
// the binding before it takes the conversation. Every message goes out
// with a reply block, and its acknowledgement comes back through it, so
// the receiver needs no address to acknowledge; a message not
// acknowledged in time goes out again as a new ratchet message in an
// ordinary packet of the cover stream, until it is acknowledged or
// expires. What the messenger keeps (each conversation's sending and
// receiving state, and the messages released but not yet handed to the
// application) is stored before it acts on it, so a process killed at
// any point resumes without losing or repeating a message.
package messenger

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/internal/badgerdb"
	"github.com/murmurnet/murmur/messaging/card"
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
type MessageID struct {
	Peer common.Address
	Seq  uint64
}

// Message is a message received.
type Message struct {
	From common.Address
	Body []byte
}

// Stats count what arrived (Received: new messages, Duplicates, Acks:
// messages that acknowledged something, DuplicateAcks: acknowledgements
// alone that settled nothing new), what was refused, by reason
// (UnknownSession: opened by no conversation; BadMessage: failed to open
// or decode; Unbound: a conversation whose card does not bind its key to
// an account), and the messages that expired unacknowledged.
type Stats struct {
	Received, Duplicates, Acks, DuplicateAcks    uint64
	UnknownSession, BadMessage, Unbound, Expired uint64
}

// Messenger runs the conversations of one user.
type Messenger struct {
	o   Options
	db  *badger.DB
	log *slog.Logger

	mu     sync.Mutex
	convs  map[session.ID]*conv
	peers  map[common.Address]session.ID // the conversation sent on, per peer
	nextIn uint64                        // key of the next released message

	wake, ready chan struct{}
	stats       struct{ received, dups, acks, dupAcks, unknown, bad, unbound, expired atomic.Uint64 }
	// sendAck sends a sealed acknowledgement of msg: through its reply
	// block, else to the peer's address (tests replace it).
	sendAck func(ctx context.Context, msg *client.Message, to client.Address, ct []byte) error

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// conv is one conversation's delivery state.
type conv struct {
	peer      common.Address
	card      *card.Signed // the peer's: where its messages go
	peerHeard bool         // the peer has written: it has our card
	// sendOn marks the conversation this side sends its messages on. Two
	// users who both start one have two; each sends on its own, and
	// acknowledges on the other's.
	sendOn bool
	out    *reliable.Outbox
	in     *reliable.Inbox
}

// Keys of the messenger's store.
var (
	prefixConv  = []byte("c/") // ‖ session id → conversation
	prefixReady = []byte("r/") // ‖ big-endian counter → released message
)

// Open opens the messenger's state in o.Dir and starts it.
func Open(o Options) (*Messenger, error) {
	if o.Client == nil || o.Sessions == nil || o.Card == nil || o.Dir == "" || o.ChainID == 0 {
		return nil, errors.New("messenger: Client, Sessions, Card, Dir and ChainID are required")
	}
	if err := o.Card.Verify(o.ChainID, time.Now()); err != nil {
		return nil, fmt.Errorf("messenger: this user's card: %w", err)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	db, err := badgerdb.Open(o.Dir, nil)
	if err != nil {
		return nil, fmt.Errorf("messenger: %w", err)
	}
	m := &Messenger{o: o, db: db, log: o.Logger, convs: map[session.ID]*conv{}, peers: map[common.Address]session.ID{},
		wake: make(chan struct{}, 1), ready: make(chan struct{}, 1)}
	if err := m.load(); err != nil {
		db.Close()
		return nil, err
	}
	m.sendAck = func(ctx context.Context, msg *client.Message, to client.Address, ct []byte) error {
		if len(msg.ReplySURB) > 0 {
			return o.Client.Reply(ctx, msg, ct)
		}
		return o.Client.Send(ctx, to, ct, client.SendOptions{})
	}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	m.spawn(m.routineReceive)
	m.spawn(m.routineSend)
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
	return m.db.Close()
}

func (m *Messenger) spawn(f func()) {
	m.wg.Add(1)
	go func() { defer m.wg.Done(); f() }()
}

// Stats returns the messenger's counts.
func (m *Messenger) Stats() Stats {
	s := &m.stats
	return Stats{Received: s.received.Load(), Duplicates: s.dups.Load(), Acks: s.acks.Load(), DuplicateAcks: s.dupAcks.Load(),
		UnknownSession: s.unknown.Load(), BadMessage: s.bad.Load(), Unbound: s.unbound.Load(), Expired: s.expired.Load()}
}

// Send queues body for the owner of account, finding its card through
// the mixnet if there is no conversation with it yet, and returns at once
// with the message's id; Status says when it is delivered.
func (m *Messenger) Send(ctx context.Context, to common.Address, body []byte) (MessageID, error) {
	m.mu.Lock()
	_, ok := m.peers[to]
	m.mu.Unlock()
	if ok {
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
func (m *Messenger) SendCard(ctx context.Context, to *card.Signed, body []byte) (MessageID, error) {
	if err := to.Verify(m.o.ChainID, m.o.Now()); err != nil {
		return MessageID{}, err
	}
	m.mu.Lock()
	if _, ok := m.peers[to.Account]; !ok {
		id, err := m.o.Sessions.Start(&to.Card)
		if err != nil {
			m.mu.Unlock()
			return MessageID{}, err
		}
		cv := m.newConv(to)
		cv.sendOn = true
		if err := m.saveLocked(id, cv, nil); err != nil {
			m.mu.Unlock()
			return MessageID{}, err
		}
		m.convs[id], m.peers[to.Account] = cv, id
	}
	m.mu.Unlock()
	return m.queue(to.Account, body)
}

func (m *Messenger) newConv(c *card.Signed) *conv {
	return &conv{peer: c.Account, card: c, out: reliable.NewOutbox(m.o.Timing), in: reliable.NewInbox()}
}

// queue adds body to the conversation with to, stored before it returns.
func (m *Messenger) queue(to common.Address, body []byte) (MessageID, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id := m.peers[to]
	cv := m.convs[id]
	before, err := cv.out.MarshalBinary()
	if err != nil {
		return MessageID{}, err
	}
	seq := cv.out.Add(body, m.o.Now())
	if err := m.saveLocked(id, cv, nil); err != nil {
		cv.out.UnmarshalBinary(before) // not queued after all
		return MessageID{}, err
	}
	select {
	case m.wake <- struct{}{}:
	default:
	}
	return MessageID{Peer: to, Seq: seq}, nil
}

// Queued returns how many messages were ever queued for peer (the
// sequence number of the last): a restarted application that numbers its
// messages carries on from there, without sending one twice.
func (m *Messenger) Queued(peer common.Address) uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	sid, ok := m.peers[peer]
	if !ok {
		return 0
	}
	return m.convs[sid].out.Queued()
}

// Status says where a message stands: sent, delivered (acknowledged) or
// failed (expired unacknowledged).
func (m *Messenger) Status(id MessageID) reliable.Status {
	m.mu.Lock()
	defer m.mu.Unlock()
	sid, ok := m.peers[id.Peer]
	if !ok {
		return reliable.Unknown
	}
	return m.convs[sid].out.Status(id.Seq)
}

// Receive returns the next message, in order per peer, once each: it is
// gone from the store before it is returned.
func (m *Messenger) Receive(ctx context.Context) (Message, error) {
	for {
		msg, ok, err := m.takeReady()
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

func (m *Messenger) takeReady() (msg Message, ok bool, err error) {
	err = m.db.Update(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefixReady, PrefetchValues: false})
		defer it.Close()
		it.Rewind()
		if !it.Valid() {
			return nil
		}
		key := it.Item().KeyCopy(nil)
		v, err := it.Item().ValueCopy(nil)
		if err != nil {
			return err
		}
		if len(v) < 20 {
			return fmt.Errorf("messenger: a stored message of %d bytes", len(v))
		}
		msg, ok = Message{From: common.Address(v[:20]), Body: v[20:]}, true
		return txn.Delete(key)
	})
	return msg, ok && err == nil, err
}

// Plaintext of a conversation's ratchet message: flags ‖ [the sender's
// card] ‖ reliable frame.
const flagCard = 1

func (m *Messenger) plaintext(cv *conv, f reliable.Frame) ([]byte, error) {
	fb, err := f.MarshalBinary()
	if err != nil {
		return nil, err
	}
	if cv.peerHeard {
		return append([]byte{0}, fb...), nil
	}
	cb, err := m.o.Card.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return append(append([]byte{flagCard}, cb...), fb...), nil
}

func parsePlaintext(p []byte) (*card.Signed, reliable.Frame, error) {
	var f reliable.Frame
	if len(p) < 1 {
		return nil, f, errors.New("messenger: empty plaintext")
	}
	var c *card.Signed
	rest := p[1:]
	switch p[0] {
	case 0:
	case flagCard:
		if len(rest) < card.EncodedSize {
			return nil, f, errors.New("messenger: a truncated card")
		}
		c = new(card.Signed)
		if err := c.UnmarshalBinary(rest[:card.EncodedSize]); err != nil {
			return nil, f, err
		}
		rest = rest[card.EncodedSize:]
	default:
		return nil, f, fmt.Errorf("messenger: flags 0x%02x", p[0])
	}
	return c, f, f.UnmarshalBinary(rest)
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

// handle opens one message, settles what it acknowledges, releases what
// it completes, stores all that, and acknowledges it.
func (m *Messenger) handle(msg *client.Message) {
	if len(msg.Body) == 0 || !session.IsMessage(msg.Body) {
		if m.o.Other != nil {
			m.o.Other(msg)
		}
		return
	}
	sid, peerKey, pt, err := m.o.Sessions.Open(msg.Body)
	if err != nil {
		if errors.Is(err, session.ErrUnknownSession) {
			m.stats.unknown.Add(1)
		} else {
			m.stats.bad.Add(1)
		}
		m.log.Debug("messenger: a message refused", "err", err)
		return
	}
	c, f, err := parsePlaintext(pt)
	if err != nil {
		m.stats.bad.Add(1)
		m.log.Debug("messenger: a message refused", "err", err)
		return
	}
	now := m.o.Now()
	m.mu.Lock()
	cv := m.convs[sid]
	if c != nil {
		// The card binds the peer's session key to its account.
		if err := c.Verify(m.o.ChainID, now); err != nil || c.Identity != peerKey || (cv != nil && c.Account != cv.peer) {
			m.mu.Unlock()
			m.stats.unbound.Add(1)
			m.log.Debug("messenger: a conversation whose card does not bind its key", "err", err)
			return
		}
	}
	if cv == nil {
		if c == nil {
			m.mu.Unlock()
			m.stats.unbound.Add(1)
			return
		}
		cv = m.newConv(c)
		m.convs[sid] = cv
		if _, ok := m.peers[c.Account]; !ok {
			m.peers[c.Account], cv.sendOn = sid, true
		}
	} else if c != nil && c.Issued.After(cv.card.Issued) {
		cv.card = c
	}
	cv.peerHeard = true
	if len(cv.out.OnAck(f.Ack, now)) > 0 {
		m.stats.acks.Add(1)
	} else if f.Seq == 0 {
		m.stats.dupAcks.Add(1)
	}
	var release [][]byte
	if f.Seq > 0 {
		var dup bool
		release, dup = cv.in.Receive(f.Seq, f.Body)
		if dup {
			m.stats.dups.Add(1)
		} else {
			m.stats.received.Add(1)
		}
	}
	if err := m.saveLocked(sid, cv, release); err != nil {
		// Not stored, not acknowledged: the peer sends it again.
		m.mu.Unlock()
		m.log.Warn("messenger: a message not stored", "err", err)
		return
	}
	// A message of ours due now carries the acknowledgement (every frame
	// does); only otherwise does one go back alone, through the reply block.
	var ack []byte
	if due, ok := cv.out.NextDue(); f.Seq > 0 && (!ok || due.After(now)) {
		ack, err = m.plaintext(cv, reliable.Frame{Ack: cv.in.Ack()})
	}
	to := addressOf(cv.card)
	m.mu.Unlock()
	if len(release) > 0 {
		select {
		case m.ready <- struct{}{}:
		default:
		}
	}
	if ack == nil || err != nil {
		return
	}
	ct, err := m.o.Sessions.Seal(sid, ack)
	if err != nil {
		m.log.Warn("messenger: an acknowledgement not sealed", "err", err)
		return
	}
	m.spawn(func() {
		// Close waits for it: an application that stops right after
		// Receive must not leave the sender retransmitting.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(m.ctx), ackTimeout)
		defer cancel()
		if err := m.sendAck(ctx, msg, to, ct); err != nil {
			m.log.Debug("messenger: an acknowledgement not sent", "err", err)
		}
	})
}

func addressOf(c *card.Signed) client.Address {
	return client.Address{Provider: c.Provider, Mailbox: c.Mailbox, Key: c.SealKey}
}

// routineSend sends what each outbox has due, when it is due.
func (m *Messenger) routineSend() {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		m.sendDue()
		wait := time.Hour
		m.mu.Lock()
		for _, cv := range m.convs {
			if at, ok := cv.out.NextDue(); ok {
				wait = min(wait, max(at.Sub(m.o.Now()), 0))
			}
		}
		m.mu.Unlock()
		timer.Reset(wait)
		select {
		case <-m.ctx.Done():
			return
		case <-m.wake:
		case <-timer.C:
		}
	}
}

// outgoing is one sealed message on its way.
type outgoing struct {
	to client.Address
	ct []byte
}

func (m *Messenger) sendDue() {
	now := m.o.Now()
	var send []outgoing
	m.mu.Lock()
	for sid, cv := range m.convs {
		frames, failed := cv.out.Due(now)
		if len(frames) == 0 && len(failed) == 0 {
			continue
		}
		m.stats.expired.Add(uint64(len(failed)))
		if err := m.saveLocked(sid, cv, nil); err != nil {
			m.log.Warn("messenger: state not stored", "err", err)
			continue
		}
		ack := cv.in.Ack()
		for _, f := range frames {
			f.Ack = ack
			pt, err := m.plaintext(cv, f)
			if err == nil {
				var ct []byte
				if ct, err = m.o.Sessions.Seal(sid, pt); err == nil {
					send = append(send, outgoing{to: addressOf(cv.card), ct: ct})
				}
			}
			if err != nil {
				m.log.Warn("messenger: a message not sealed", "err", err)
			}
		}
	}
	m.mu.Unlock()
	for _, o := range send {
		ctx, cancel := context.WithTimeout(m.ctx, time.Minute)
		err := m.o.Client.Send(ctx, o.to, o.ct, client.SendOptions{WithReply: true})
		cancel()
		if err != nil && m.ctx.Err() == nil {
			// It goes out again at its next timeout.
			m.log.Debug("messenger: a message not sent", "err", err)
		}
	}
}

// conversation encoding: peer card ‖ flags (peerHeard 1, sendOn 2) ‖ outbox length (4) ‖
// outbox ‖ inbox.
func (cv *conv) encode() ([]byte, error) {
	cb, err := cv.card.MarshalBinary()
	if err != nil {
		return nil, err
	}
	ob, err := cv.out.MarshalBinary()
	if err != nil {
		return nil, err
	}
	ib, err := cv.in.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b := append(cb, 0)
	if cv.peerHeard {
		b[len(b)-1] |= 1
	}
	if cv.sendOn {
		b[len(b)-1] |= 2
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(ob)))
	return append(append(b, ob...), ib...), nil
}

func (m *Messenger) decodeConv(b []byte) (*conv, error) {
	if len(b) < card.EncodedSize+5 {
		return nil, errors.New("messenger: a stored conversation is truncated")
	}
	var c card.Signed
	if err := c.UnmarshalBinary(b[:card.EncodedSize]); err != nil {
		return nil, err
	}
	cv := m.newConv(&c)
	flags := b[card.EncodedSize]
	if flags > 3 {
		return nil, errors.New("messenger: a stored conversation's flags are unknown")
	}
	cv.peerHeard, cv.sendOn = flags&1 != 0, flags&2 != 0
	b = b[card.EncodedSize+1:]
	n := int(binary.BigEndian.Uint32(b))
	if len(b) < 4+n {
		return nil, errors.New("messenger: a stored conversation is truncated")
	}
	if err := cv.out.UnmarshalBinary(b[4 : 4+n]); err != nil {
		return nil, err
	}
	if err := cv.in.UnmarshalBinary(b[4+n:]); err != nil {
		return nil, err
	}
	return cv, nil
}

// saveLocked stores conversation id and the messages it released, in one
// transaction. m.mu must be held.
func (m *Messenger) saveLocked(id session.ID, cv *conv, release [][]byte) error {
	b, err := cv.encode()
	if err != nil {
		return err
	}
	next := m.nextIn
	err = m.db.Update(func(txn *badger.Txn) error {
		if err := txn.Set(append(append([]byte{}, prefixConv...), id[:]...), b); err != nil {
			return err
		}
		for _, body := range release {
			k := binary.BigEndian.AppendUint64(append([]byte{}, prefixReady...), next)
			next++
			if err := txn.Set(k, append(append([]byte{}, cv.peer[:]...), body...)); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		m.nextIn = next
	}
	return err
}

// load reads every conversation, and where the released messages end.
func (m *Messenger) load() error {
	return m.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()
			switch {
			case len(k) == len(prefixConv)+16 && string(k[:2]) == string(prefixConv):
				v, err := it.Item().ValueCopy(nil)
				if err != nil {
					return err
				}
				cv, err := m.decodeConv(v)
				if err != nil {
					return fmt.Errorf("messenger: stored conversation %x: %w", k[2:], err)
				}
				id := session.ID(k[2:])
				m.convs[id] = cv
				if cv.sendOn {
					m.peers[cv.peer] = id
				}
			case len(k) == len(prefixReady)+8 && string(k[:2]) == string(prefixReady):
				m.nextIn = max(m.nextIn, binary.BigEndian.Uint64(k[2:])+1)
			}
		}
		return nil
	})
}
