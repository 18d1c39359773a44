package node

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/node/cards"
	"github.com/murmurnet/murmur/node/mixer"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/sphinx"
)

// directory is a provider's share of the card directory (package cards):
// its store, the protocol with the other providers, and the lookups
// waiting for an answer.
type directory struct {
	store   *cards.Store
	service *cards.Service
	lookups chan []byte // lookup payloads, copied out of their frames
	// synced are the providers whose users' cards this one has; only
	// routineCardSync reads and writes it.
	synced map[peer.ID]bool

	answered, found, failed atomic.Uint64
}

// CardStats are a provider's card directory counts.
type CardStats struct {
	// Answered lookups, of which Found named a card kept here; Failed are
	// lookups that could not be answered (malformed, a bad reply block).
	Answered, Found, Failed uint64
	// Taken and Refused are the cards other providers handed over.
	Taken, Refused uint64
	// Kept is the number of cards in the store.
	Kept int
}

// Lookups are answered by a few routines, off the unwrap workers: each
// reads the store and builds a packet.
const (
	lookupWorkers = 2
	lookupQueue   = 1024
)

func (n *Node) openDirectory() error {
	if n.cfg.ChainID == 0 || n.cfg.Roles&chain.RoleProvider == 0 {
		return nil
	}
	s, err := cards.Open(filepath.Join(n.cfg.DataDir, "cards"), n.cfg.ChainID, n.cfg.Now, n.log)
	if err != nil {
		return err
	}
	n.cards = &directory{store: s, lookups: make(chan []byte, lookupQueue), synced: map[peer.ID]bool{}}
	return nil
}

func (n *Node) startDirectory() {
	if n.cards == nil {
		return
	}
	n.cards.service = cards.NewService(n.host, n.cards.store, n.nodeKey, providerKeys{n}, n.log)
	n.host.SetStreamHandler(cards.Protocol, n.cards.service.Handle)
	for range lookupWorkers {
		n.spawn(n.routineLookups)
	}
	n.spawn(n.routineCardSync)
}

// CardStats returns the provider's card directory counts (zero if it keeps
// none).
func (n *Node) CardStats() CardStats {
	d := n.cards
	if d == nil {
		return CardStats{}
	}
	st := CardStats{Answered: d.answered.Load(), Found: d.found.Load(), Failed: d.failed.Load()}
	if d.service != nil {
		st.Taken, st.Refused = d.service.Stats()
	}
	st.Kept, _ = d.store.Count()
	return st
}

// providerKeys tells the card protocol which peers are providers.
type providerKeys struct{ n *Node }

func (pk providerKeys) ProviderKey(p peer.ID) ([32]byte, bool) {
	k, ok := identity.NodeKeyOf(p)
	if !ok {
		return k, false
	}
	for _, nd := range pk.n.providers() {
		if nd == p {
			return k, true
		}
	}
	return k, false
}

// providers returns the peer IDs of the providers of the current and the
// previous epoch's topologies, this one left out.
func (n *Node) providers() []peer.ID {
	e := n.cfg.Epochs.At(n.cfg.Now())
	var out []peer.ID
	for _, ep := range []uint64{e, e - 1} {
		t, ok := n.dir.Topology(ep)
		if !ok {
			continue
		}
		for _, p := range t.Providers {
			if p.NodeKey != n.nodeKey && !slices.Contains(out, p.PeerID) {
				out = append(out, p.PeerID)
			}
		}
	}
	return out
}

// publishCard keeps a card a client of this provider publishes, and hands
// it to every other provider. Only the client whose mailbox the card names
// may publish it, and it costs a prepaid packet: the pushes are work.
func (n *Node) publishCard(p peer.ID, body []byte) wire.Status {
	if n.cards == nil {
		return wire.Status{Code: wire.CodeRejected, Reason: "this provider keeps no contact cards"}
	}
	var c card.Signed
	if err := c.UnmarshalBinary(body); err != nil {
		return wire.Status{Code: wire.CodeMalformed, Reason: err.Error()}
	}
	if c.Provider != n.nodeKey || c.Mailbox != wire.MailboxOf([]byte(p)) {
		return wire.Status{Code: wire.CodeRejected, Reason: "the card does not name this provider and your mailbox"}
	}
	if n.prepaid != nil {
		if st, ok := n.prepaid.Charge(p); !ok {
			return st
		}
	}
	err := n.cards.store.Put(&c)
	if errors.Is(err, cards.ErrOlder) {
		n.refund(p)
		return wire.Status{Code: wire.CodeRejected, Reason: "a card issued at the same time or later is already published"}
	}
	if err != nil {
		n.refund(p)
		return wire.Status{Code: wire.CodeRejected, Reason: err.Error()}
	}
	for _, to := range n.providers() {
		n.spawn(func() {
			if err := n.cards.service.Push(n.ctx, to, &c); err != nil {
				// The other provider syncs from this one when it comes back.
				n.log.Debug("card push", "to", to, "err", err)
			}
		})
	}
	return wire.Status{}
}

// lookupCard queues a lookup that came through the mixnet.
func (n *Node) lookupCard(f *frame, payload []byte) {
	defer n.putFrame(f)
	select {
	case n.cards.lookups <- append([]byte(nil), payload...):
	default:
		n.Counters.Inc(mixer.QueueFull)
	}
}

func (n *Node) routineLookups() {
	for {
		select {
		case <-n.ctx.Done():
			return
		case p := <-n.cards.lookups:
			if err := n.answerLookup(p); err != nil {
				n.cards.failed.Add(1)
				n.log.Debug("card lookup not answered", "err", err)
			}
		}
	}
}

// answerLookup sends the answer to a lookup back through its reply block.
func (n *Node) answerLookup(payload []byte) error {
	account, sb, err := cards.DecodeLookup(payload)
	if err != nil {
		return err
	}
	if len(sb) < 8 {
		return errors.New("node: a lookup's reply block without its epoch")
	}
	e := binary.BigEndian.Uint64(sb[len(sb)-8:])
	var s sphinx.SURB
	if err := s.UnmarshalBinary(sb[:len(sb)-8]); err != nil {
		return fmt.Errorf("node: a lookup's reply block: %w", err)
	}
	if s.Geometry() != n.cfg.Geometry {
		return errors.New("node: a lookup's reply block is not of this network's geometry")
	}
	c, err := n.cards.store.Get(account)
	if err != nil && !errors.Is(err, cards.ErrNotFound) {
		return err
	}
	answer, err := cards.EncodeAnswer(c)
	if err != nil {
		return err
	}
	first, pkt, err := sphinx.NewPacketFromSURB(&s, answer)
	if err != nil {
		return err
	}
	next, ok := n.peerOf(e, first)
	if !ok {
		return errors.New("node: a lookup's reply block starts at an unknown relay")
	}
	f := n.getFrame()
	wire.PutFrameEpoch(f.buf, e)
	copy(f.buf[wire.EpochSize:], pkt)
	f.next = next
	n.send(f)
	n.cards.answered.Add(1)
	if c != nil {
		n.cards.found.Add(1)
	}
	return nil
}

// routineCardSync takes, from every other provider, its users' cards:
// once per provider per run, retried until it succeeds, so that a
// provider that was away (or is new) knows the cards published meanwhile.
func (n *Node) routineCardSync() {
	t := time.NewTicker(cardSyncEvery)
	defer t.Stop()
	for {
		for _, p := range n.providers() {
			if n.cards.synced[p] {
				continue
			}
			got, err := n.cards.service.SyncFrom(n.ctx, p)
			if err != nil {
				n.log.Debug("card sync", "from", p, "err", err)
				continue
			}
			n.cards.synced[p] = true
			if got > 0 {
				n.log.Info("contact cards synced", "from", p, "new", got)
			}
		}
		select {
		case <-n.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// cardSyncEvery is how often the sync looks for providers it has not
// synced from yet.
const cardSyncEvery = 5 * time.Second
