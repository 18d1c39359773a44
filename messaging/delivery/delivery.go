// Package delivery is conversations between Ethereum accounts delivered
// exactly once and in order, without the transport: every message is
// sealed by the Double Ratchet of a PQXDH session (messaging/session) and
// numbered, acknowledged and sent again until acknowledged
// (messaging/reliable). Like those packages it does no I/O and reads no
// clock: the caller sends what it is given (node/client/messenger over the
// Go client, the browser's core in the page), feeds back what arrives, and
// passes the time in.
//
// The first messages of a conversation carry the sender's card, which
// binds its session identity key to its account; the receiver verifies
// the binding before it takes the conversation. Every message goes out
// with a reply block, and its acknowledgement comes back through it (or
// rides on the next message the other way), so the receiver needs no
// address to acknowledge. What an Engine keeps (each conversation's
// sending and receiving state, and the messages released but not yet
// taken by the application) is in its records before it acts on it, so a
// process killed at any point resumes without losing or repeating a
// message.
package delivery

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/messaging/reliable"
	"github.com/murmurnet/murmur/messaging/session"
)

// Options configure an Engine.
type Options struct {
	// Records keep the engine's state (session.Records: a nil value
	// deletes); the engine owns them.
	Records session.Records
	// Sessions hold this user's conversation keys; Card is its signed
	// card, made from Sessions' keys (session.Store.Card), sent with a
	// conversation's first messages.
	Sessions *session.Store
	Card     *card.Signed
	// ChainID is what cards are verified against.
	ChainID uint64
	// Timing of retransmissions; zero values take reliable's defaults.
	Timing reliable.Timing
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

// Outgoing is a sealed message to send to the owner of To (its card's
// provider, mailbox and key), with a reply block for its acknowledgement.
type Outgoing struct {
	To         *card.Signed
	Ciphertext []byte
}

// Stats count what arrived (Received: new messages, Duplicates, Acks:
// messages that acknowledged something, DuplicateAcks: acknowledgements
// of nothing new) and what was refused (UnknownSession, BadMessage,
// Unbound: a card that does not bind its conversation's key), and the
// messages that expired unacknowledged.
type Stats struct {
	Received, Duplicates, Acks, DuplicateAcks    uint64
	UnknownSession, BadMessage, Unbound, Expired uint64
}

// ErrNotConversation is Handle's answer for a body that is no session
// message at all (a plain message, for someone else to take).
var ErrNotConversation = errors.New("delivery: not a conversation message")

// Engine runs the conversations of one user. It is safe for concurrent
// use.
type Engine struct {
	o Options

	mu     sync.Mutex
	convs  map[session.ID]*conv
	peers  map[common.Address]session.ID // the conversation sent on, per peer
	nextIn uint64                        // number of the next released message
	ready  []record                      // released messages not yet taken, in order

	stats struct{ received, dups, acks, dupAcks, unknown, bad, unbound, expired atomic.Uint64 }
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

// record is one of the engine's records: a released message's is sender ‖
// body.
type record struct {
	key string
	val []byte
}

// Names of the engine's records.
const (
	prefixConv  = "c/" // ‖ session id → conversation
	prefixReady = "r/" // ‖ big-endian counter → peer ‖ released message
)

// New opens the engine whose state is in o.Records.
func New(o Options) (*Engine, error) {
	if o.Records == nil || o.Sessions == nil || o.Card == nil || o.ChainID == 0 {
		return nil, errors.New("delivery: Records, Sessions, Card and ChainID are required")
	}
	if err := o.Card.Verify(o.ChainID, time.Now()); err != nil {
		return nil, fmt.Errorf("delivery: this user's card: %w", err)
	}
	e := &Engine{o: o, convs: map[session.ID]*conv{}, peers: map[common.Address]session.ID{}}
	if err := e.load(); err != nil {
		return nil, err
	}
	return e, nil
}

// Close closes the engine's records (not the sessions).
func (e *Engine) Close() error { return e.o.Records.Close() }

// Stats returns the engine's counts.
func (e *Engine) Stats() Stats {
	s := &e.stats
	return Stats{Received: s.received.Load(), Duplicates: s.dups.Load(), Acks: s.acks.Load(), DuplicateAcks: s.dupAcks.Load(),
		UnknownSession: s.unknown.Load(), BadMessage: s.bad.Load(), Unbound: s.unbound.Load(), Expired: s.expired.Load()}
}

// HasPeer reports whether there is a conversation to send on with
// account.
func (e *Engine) HasPeer(account common.Address) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.peers[account]
	return ok
}

// Start begins a conversation with the owner of to, verified here at now,
// unless there is one to send on already.
func (e *Engine) Start(to *card.Signed, now time.Time) error {
	if err := to.Verify(e.o.ChainID, now); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.peers[to.Account]; ok {
		return nil
	}
	id, err := e.o.Sessions.Start(&to.Card)
	if err != nil {
		return err
	}
	cv := e.newConv(to)
	cv.sendOn = true
	if err := e.saveLocked(id, cv, nil); err != nil {
		return err
	}
	e.convs[id], e.peers[to.Account] = cv, id
	return nil
}

func (e *Engine) newConv(c *card.Signed) *conv {
	return &conv{peer: c.Account, card: c, out: reliable.NewOutbox(e.o.Timing), in: reliable.NewInbox()}
}

// Queue adds body to the conversation with to (begun with Start, or by
// to), stored before it returns; Due gives it to send.
func (e *Engine) Queue(to common.Address, body []byte, now time.Time) (MessageID, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	id, ok := e.peers[to]
	if !ok {
		return MessageID{}, fmt.Errorf("delivery: no conversation with %s", to.Hex())
	}
	cv := e.convs[id]
	before, err := cv.out.MarshalBinary()
	if err != nil {
		return MessageID{}, err
	}
	seq := cv.out.Add(body, now)
	if err := e.saveLocked(id, cv, nil); err != nil {
		cv.out.UnmarshalBinary(before) // not queued after all
		return MessageID{}, err
	}
	return MessageID{Peer: to, Seq: seq}, nil
}

// Queued returns how many messages were ever queued for peer (the
// sequence number of the last): a restarted application that numbers its
// messages carries on from there, without sending one twice.
func (e *Engine) Queued(peer common.Address) uint64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	sid, ok := e.peers[peer]
	if !ok {
		return 0
	}
	return e.convs[sid].out.Queued()
}

// Status says where a message stands: sent, delivered (acknowledged) or
// failed (expired unacknowledged).
func (e *Engine) Status(id MessageID) reliable.Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	sid, ok := e.peers[id.Peer]
	if !ok {
		return reliable.Unknown
	}
	return e.convs[sid].out.Status(id.Seq)
}

// Take returns the next message released, in order per peer, once each:
// it is gone from the records before it is returned. ok is false when
// there is none.
func (e *Engine) Take() (msg Message, ok bool, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.ready) == 0 {
		return Message{}, false, nil
	}
	r := e.ready[0]
	if err := e.o.Records.Write(map[string][]byte{r.key: nil}); err != nil {
		return Message{}, false, err
	}
	e.ready = e.ready[1:]
	return Message{From: common.Address(r.val[:20]), Body: r.val[20:]}, true, nil
}

// Plaintext of a conversation's ratchet message: flags ‖ [the sender's
// card] ‖ reliable frame.
const flagCard = 1

func (e *Engine) plaintext(cv *conv, f reliable.Frame) ([]byte, error) {
	fb, err := f.MarshalBinary()
	if err != nil {
		return nil, err
	}
	if cv.peerHeard {
		return append([]byte{0}, fb...), nil
	}
	cb, err := e.o.Card.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return append(append([]byte{flagCard}, cb...), fb...), nil
}

func parsePlaintext(p []byte) (*card.Signed, reliable.Frame, error) {
	var f reliable.Frame
	if len(p) < 1 {
		return nil, f, errors.New("delivery: empty plaintext")
	}
	var c *card.Signed
	rest := p[1:]
	switch p[0] {
	case 0:
	case flagCard:
		if len(rest) < card.EncodedSize {
			return nil, f, errors.New("delivery: a truncated card")
		}
		c = new(card.Signed)
		if err := c.UnmarshalBinary(rest[:card.EncodedSize]); err != nil {
			return nil, f, err
		}
		rest = rest[card.EncodedSize:]
	default:
		return nil, f, fmt.Errorf("delivery: flags 0x%02x", p[0])
	}
	return c, f, f.UnmarshalBinary(rest)
}

// Handled is what Handle did with a message.
type Handled struct {
	// Released is how many messages it made ready for Take.
	Released int
	// Ack, if not nil, is a sealed acknowledgement to send back through
	// the message's reply block (or, without one, to To). It is nil when
	// a message of ours is due now: that carries the acknowledgement.
	Ack []byte
	To  *card.Signed
}

// Handle opens one message that arrived at now, settles what it
// acknowledges, releases what it completes, and stores all that. It
// returns ErrNotConversation for a body that is no session message, and
// other errors (counted in Stats) for messages refused; a refused or
// unstored message changes nothing, and is not acknowledged, so the peer
// sends it again.
func (e *Engine) Handle(body []byte, now time.Time) (Handled, error) {
	if len(body) == 0 || !session.IsMessage(body) {
		return Handled{}, ErrNotConversation
	}
	sid, peerKey, pt, err := e.o.Sessions.Open(body)
	if err != nil {
		if errors.Is(err, session.ErrUnknownSession) {
			e.stats.unknown.Add(1)
		} else {
			e.stats.bad.Add(1)
		}
		return Handled{}, err
	}
	c, f, err := parsePlaintext(pt)
	if err != nil {
		e.stats.bad.Add(1)
		return Handled{}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cv := e.convs[sid]
	if c != nil {
		// The card binds the peer's session key to its account.
		if err := c.Verify(e.o.ChainID, now); err != nil || c.Identity != peerKey || (cv != nil && c.Account != cv.peer) {
			e.stats.unbound.Add(1)
			return Handled{}, fmt.Errorf("delivery: a conversation whose card does not bind its key (%v)", err)
		}
	}
	fresh := false
	var before []byte // the stored state, put back if the new one is not stored
	if cv == nil {
		if c == nil {
			e.stats.unbound.Add(1)
			return Handled{}, errors.New("delivery: a conversation that came without its card")
		}
		cv, fresh = e.newConv(c), true
	} else {
		if before, err = cv.encode(); err != nil {
			return Handled{}, err
		}
		if c != nil && c.Issued.After(cv.card.Issued) {
			cv.card = c
		}
	}
	cv.peerHeard = true
	// Counted once stored: a message refused here comes again.
	acked := len(cv.out.OnAck(f.Ack, now)) > 0
	var release [][]byte
	dup := false
	if f.Seq > 0 {
		release, dup = cv.in.Receive(f.Seq, f.Body)
	}
	if err := e.saveLocked(sid, cv, release); err != nil {
		if !fresh {
			// Memory must not run ahead of the records.
			if old, derr := e.decodeConv(before); derr == nil {
				*cv = *old
			}
		}
		return Handled{}, fmt.Errorf("delivery: a message not stored: %w", err)
	}
	switch {
	case acked:
		e.stats.acks.Add(1)
	case f.Seq == 0:
		e.stats.dupAcks.Add(1)
	}
	switch {
	case f.Seq == 0:
	case dup:
		e.stats.dups.Add(1)
	default:
		e.stats.received.Add(1)
	}
	if fresh {
		e.convs[sid] = cv
		if _, ok := e.peers[c.Account]; !ok {
			e.peers[c.Account], cv.sendOn = sid, true
		}
	}
	h := Handled{Released: len(release), To: cv.card}
	// A message of ours due now carries the acknowledgement (every frame
	// does); only otherwise does one go back alone, through the reply block.
	if due, ok := cv.out.NextDue(); f.Seq > 0 && (!ok || due.After(now)) {
		pt, err := e.plaintext(cv, reliable.Frame{Ack: cv.in.Ack()})
		if err != nil {
			return h, err
		}
		if h.Ack, err = e.o.Sessions.Seal(sid, pt); err != nil {
			return h, fmt.Errorf("delivery: an acknowledgement not sealed: %w", err)
		}
	}
	return h, nil
}

// NextDue returns when a message is next due to be sent (again).
func (e *Engine) NextDue() (at time.Time, ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, cv := range e.convs {
		if t, due := cv.out.NextDue(); due && (!ok || t.Before(at)) {
			at, ok = t, true
		}
	}
	return at, ok
}

// Due returns the messages due at now (new ones and retransmissions),
// sealed, each carrying its conversation's latest acknowledgement; the
// state that says they were sent is stored first.
func (e *Engine) Due(now time.Time) ([]Outgoing, error) {
	var send []Outgoing
	var errs []error
	e.mu.Lock()
	defer e.mu.Unlock()
	for sid, cv := range e.convs {
		before, err := cv.out.MarshalBinary()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		frames, failed := cv.out.Due(now)
		if len(frames) == 0 && len(failed) == 0 {
			continue
		}
		if err := e.saveLocked(sid, cv, nil); err != nil {
			cv.out.UnmarshalBinary(before) // due again next time
			errs = append(errs, fmt.Errorf("delivery: state not stored: %w", err))
			continue
		}
		e.stats.expired.Add(uint64(len(failed)))
		ack := cv.in.Ack()
		for _, f := range frames {
			f.Ack = ack
			pt, err := e.plaintext(cv, f)
			if err == nil {
				var ct []byte
				if ct, err = e.o.Sessions.Seal(sid, pt); err == nil {
					send = append(send, Outgoing{To: cv.card, Ciphertext: ct})
				}
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("delivery: a message not sealed: %w", err))
			}
		}
	}
	return send, errors.Join(errs...)
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

func (e *Engine) decodeConv(b []byte) (*conv, error) {
	if len(b) < card.EncodedSize+5 {
		return nil, errors.New("delivery: a stored conversation is truncated")
	}
	var c card.Signed
	if err := c.UnmarshalBinary(b[:card.EncodedSize]); err != nil {
		return nil, err
	}
	cv := e.newConv(&c)
	flags := b[card.EncodedSize]
	if flags > 3 {
		return nil, errors.New("delivery: a stored conversation's flags are unknown")
	}
	cv.peerHeard, cv.sendOn = flags&1 != 0, flags&2 != 0
	b = b[card.EncodedSize+1:]
	n := int(binary.BigEndian.Uint32(b))
	if len(b) < 4+n {
		return nil, errors.New("delivery: a stored conversation is truncated")
	}
	if err := cv.out.UnmarshalBinary(b[4 : 4+n]); err != nil {
		return nil, err
	}
	if err := cv.in.UnmarshalBinary(b[4+n:]); err != nil {
		return nil, err
	}
	return cv, nil
}

func readyKey(n uint64) string {
	return prefixReady + string(binary.BigEndian.AppendUint64(nil, n))
}

// saveLocked stores conversation id and the messages it released, in one
// write. e.mu must be held.
func (e *Engine) saveLocked(id session.ID, cv *conv, release [][]byte) error {
	b, err := cv.encode()
	if err != nil {
		return err
	}
	w := map[string][]byte{prefixConv + string(id[:]): b}
	rs := make([]record, len(release))
	for i, body := range release {
		rs[i] = record{readyKey(e.nextIn + uint64(i)), append(append([]byte{}, cv.peer[:]...), body...)}
		w[rs[i].key] = rs[i].val
	}
	if err := e.o.Records.Write(w); err != nil {
		return err
	}
	e.nextIn += uint64(len(rs))
	e.ready = append(e.ready, rs...)
	return nil
}

// load reads every conversation and the released messages not yet taken.
func (e *Engine) load() error {
	all, err := e.o.Records.All()
	if err != nil {
		return fmt.Errorf("delivery: reading the records: %w", err)
	}
	for k, v := range all {
		switch {
		case len(k) == len(prefixConv)+len(session.ID{}) && strings.HasPrefix(k, prefixConv):
			cv, err := e.decodeConv(v)
			if err != nil {
				return fmt.Errorf("delivery: stored conversation %x: %w", k[len(prefixConv):], err)
			}
			id := session.ID([]byte(k[len(prefixConv):]))
			e.convs[id] = cv
			if cv.sendOn {
				e.peers[cv.peer] = id
			}
		case len(k) == len(prefixReady)+8 && strings.HasPrefix(k, prefixReady):
			if len(v) < 20 {
				return fmt.Errorf("delivery: a stored message of %d bytes", len(v))
			}
			e.nextIn = max(e.nextIn, binary.BigEndian.Uint64([]byte(k[len(prefixReady):]))+1)
			e.ready = append(e.ready, record{k, v})
		}
	}
	// Big-endian counters: in the order released.
	slices.SortFunc(e.ready, func(a, b record) int { return strings.Compare(a.key, b.key) })
	return nil
}
