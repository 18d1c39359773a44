// Package session keeps a user's conversations in its records (badger on
// disk; IndexedDB in the browser's core): its identity and prekeys (the
// private halves of its contact card's keys), and one Double Ratchet
// state per conversation, each stored, durably, before the message it
// made or opened is handed back, so that a crash neither reuses a
// message key nor loses a message. It starts conversations from a peer's
// card (PQXDH, messaging/pqxdh), accepts those others start, and refuses
// a handshake replayed to it.
//
// On the wire a message is 0x01 ‖ handshake ‖ ratchet message (a
// conversation's first messages, until the peer answers) or 0x02 ‖
// ratchet message. Nothing in either names the conversation: the
// receiver finds it by the header keys that open the ratchet header.
package session

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/cloudflare/circl/kem/mlkem/mlkem768"

	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/messaging/pqxdh"
	"github.com/murmurnet/murmur/messaging/ratchet"
)

// Message kinds, the first byte of a message.
const (
	kindHandshake = 0x01
	kindRatchet   = 0x02
)

// ID names a conversation in this store (never on the wire).
type ID [16]byte

// Errors of Open.
var (
	ErrUnknownSession    = errors.New("session: the message belongs to no conversation of this store")
	ErrReplayedHandshake = errors.New("session: a handshake seen before, for a conversation this store no longer has")
	ErrUnknownPrekey     = errors.New("session: the handshake is for a prekey this store does not have")
	ErrMalformed         = errors.New("session: malformed message")
)

// Records is where a Store keeps what it must not lose: its keys, its
// conversations, the handshakes it accepted. [Open] keeps them in badger
// on disk; the browser's core keeps them in IndexedDB.
type Records interface {
	// All returns every record, keyed by name, when the store opens.
	All() (map[string][]byte, error)
	// Write stores records, all of them or none, durably before it
	// returns; a nil value deletes its record.
	Write(records map[string][]byte) error
	Close() error
}

// Store holds the conversations of one identity. It is safe for
// concurrent use.
type Store struct {
	db       Records
	mu       sync.Mutex
	identity *ecdh.PrivateKey
	spk      *ecdh.PrivateKey
	spkID    uint32
	pq       *mlkem768.PrivateKey
	pqPub    []byte
	pqID     uint32
	sessions map[ID]*conversation
	seen     map[string]ID // handshakes accepted (seenKey) → their conversation
}

// conversation is one session as kept in memory and on disk.
type conversation struct {
	peer    [pqxdh.KeySize]byte // the peer's identity key
	ad      []byte
	pending []byte // our handshake, sent with each message until the peer answers
	state   *ratchet.State
}

// Names of the store's records.
const (
	keyIdentity = "identity"
	keyPrekeys  = "prekeys"
	prefixConv  = "c/" // then the conversation's ID
	prefixSeen  = "h/" // then 16 bytes of the handshake's hash
)

// New opens the store whose records are db, making the keys on first
// use. The store owns db: Close closes it.
func New(db Records) (*Store, error) {
	s := &Store{db: db, sessions: map[ID]*conversation{}, seen: map[string]ID{}}
	if err := s.load(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// load reads the keys (making them on first use) and every conversation.
func (s *Store) load() error {
	all, err := s.db.All()
	if err != nil {
		return fmt.Errorf("session: reading the records: %w", err)
	}
	made := map[string][]byte{}
	getOrMake := func(key string, make func() ([]byte, error)) ([]byte, error) {
		if v, ok := all[key]; ok {
			return v, nil
		}
		v, err := make()
		made[key] = v
		return v, err
	}
	id, err := getOrMake(keyIdentity, func() ([]byte, error) {
		k, err := ecdh.X25519().GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		return k.Bytes(), nil
	})
	if err != nil {
		return err
	}
	if s.identity, err = ecdh.X25519().NewPrivateKey(id); err != nil {
		return fmt.Errorf("session: the stored identity key: %w", err)
	}
	pk, err := getOrMake(keyPrekeys, func() ([]byte, error) {
		// Random prekey IDs: a handshake meant for another store names
		// prekeys this one does not have.
		b := make([]byte, 4+32+4+mlkem768.KeySeedSize)
		_, err := io.ReadFull(rand.Reader, b)
		return b, err
	})
	if err != nil {
		return err
	}
	if len(pk) != 4+32+4+mlkem768.KeySeedSize {
		return fmt.Errorf("session: stored prekeys of %d bytes", len(pk))
	}
	s.spkID, s.pqID = binary.BigEndian.Uint32(pk), binary.BigEndian.Uint32(pk[36:])
	if s.spk, err = ecdh.X25519().NewPrivateKey(pk[4:36]); err != nil {
		return fmt.Errorf("session: the stored signed prekey: %w", err)
	}
	pub, priv := mlkem768.NewKeyFromSeed(pk[40:])
	s.pq, s.pqPub = priv, make([]byte, pqxdh.PQKeySize)
	pub.Pack(s.pqPub)

	for k, v := range all {
		switch {
		case strings.HasPrefix(k, prefixConv):
			if len(k) != len(prefixConv)+len(ID{}) {
				return fmt.Errorf("session: a conversation record named %x", k)
			}
			var id ID
			copy(id[:], k[len(prefixConv):])
			c, err := decodeConversation(v)
			if err != nil {
				return fmt.Errorf("session: conversation %x: %w", id, err)
			}
			s.sessions[id] = c
		case strings.HasPrefix(k, prefixSeen):
			if len(v) != len(ID{}) {
				return fmt.Errorf("session: a handshake record of %d bytes", len(v))
			}
			s.seen[k] = ID(v)
		}
	}
	if len(made) > 0 {
		return s.db.Write(made)
	}
	return nil
}

// Card returns the keys and address part of this store's contact card,
// for its owner to complete (account, chain, validity) and sign: the
// store's keys, and the Murmur address (provider, mailbox, sealing key)
// its messages reach it at.
func (s *Store) Card(provider, mailbox, sealKey [32]byte) card.Card {
	s.mu.Lock()
	defer s.mu.Unlock()
	return card.Card{
		Identity:     [pqxdh.KeySize]byte(s.identity.PublicKey().Bytes()),
		SignedPrekey: pqxdh.Prekey{ID: s.spkID, Key: [pqxdh.KeySize]byte(s.spk.PublicKey().Bytes())},
		PQPrekey:     pqxdh.PQPrekey{ID: s.pqID, Key: bytes.Clone(s.pqPub)},
		Provider:     provider,
		Mailbox:      mailbox,
		SealKey:      sealKey,
	}
}

// Start begins a conversation with the owner of c, which the caller has
// verified ([card.Signed.Verify]).
func (s *Store) Start(c *card.Card) (ID, error) {
	sec, init, err := pqxdh.Initiate(rand.Reader, s.identity, c.Bundle())
	if err != nil {
		return ID{}, err
	}
	st, err := ratchet.NewInitiator(rand.Reader, sec.Root, sec.HeaderA, sec.NextHeaderB, c.SignedPrekey.Key[:])
	if err != nil {
		return ID{}, err
	}
	hs, err := init.MarshalBinary()
	if err != nil {
		return ID{}, err
	}
	var id ID
	rand.Read(id[:])
	conv := &conversation{peer: c.Identity, ad: sec.AD, pending: hs, state: st}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.save(id, conv, ""); err != nil {
		return ID{}, err
	}
	s.sessions[id] = conv
	return id, nil
}

// Seal encrypts plaintext for conversation id. The new state is on disk
// before the message is returned.
func (s *Store) Seal(id ID, plaintext []byte) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	conv, ok := s.sessions[id]
	if !ok {
		return nil, fmt.Errorf("%w: %x", ErrUnknownSession, id)
	}
	next := *conv
	next.state = cloneState(conv.state)
	m, err := next.state.Encrypt(rand.Reader, plaintext, conv.ad)
	if err != nil {
		return nil, err
	}
	if err := s.save(id, &next, ""); err != nil {
		return nil, err
	}
	*conv = next
	if conv.pending != nil {
		return append(append([]byte{kindHandshake}, conv.pending...), m...), nil
	}
	return append([]byte{kindRatchet}, m...), nil
}

// Open decrypts a message for one of the store's conversations, starting
// a new one for a handshake not seen before. It returns the
// conversation, the peer's identity key and the plaintext; the new state
// is on disk first. A message refused changes nothing stored.
func (s *Store) Open(msg []byte) (ID, [pqxdh.KeySize]byte, []byte, error) {
	var none [pqxdh.KeySize]byte
	if len(msg) < 1 {
		return ID{}, none, nil, ErrMalformed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch msg[0] {
	case kindRatchet:
		return s.openRatchet(msg[1:])
	case kindHandshake:
		if len(msg) < 1+handshakeSize {
			return ID{}, none, nil, ErrMalformed
		}
		return s.openHandshake(msg[1:1+handshakeSize], msg[1+handshakeSize:])
	}
	return ID{}, none, nil, fmt.Errorf("%w: kind 0x%02x", ErrMalformed, msg[0])
}

// IsMessage reports whether msg is of a session message kind (it may
// still fail to open).
func IsMessage(msg []byte) bool {
	return len(msg) > 0 && (msg[0] == kindHandshake || msg[0] == kindRatchet)
}

var handshakeSize = func() int {
	b, _ := (&pqxdh.Init{Ciphertext: make([]byte, pqxdh.CiphertextSize)}).MarshalBinary()
	return len(b)
}()

// openRatchet finds the conversation whose header keys open m.
func (s *Store) openRatchet(m []byte) (ID, [pqxdh.KeySize]byte, []byte, error) {
	var none [pqxdh.KeySize]byte
	for id, conv := range s.sessions {
		if !conv.state.Recognizes(m) {
			continue
		}
		pt, next, err := s.tryOpen(conv, m)
		if err != nil {
			return id, conv.peer, nil, err
		}
		next.pending = nil // the peer answered: it has our handshake
		if err := s.save(id, next, ""); err != nil {
			return ID{}, none, nil, err
		}
		*conv = *next
		return id, conv.peer, pt, nil
	}
	return ID{}, none, nil, ErrUnknownSession
}

// tryOpen decrypts m with a copy of conv's state.
func (s *Store) tryOpen(conv *conversation, m []byte) ([]byte, *conversation, error) {
	next := *conv
	next.state = cloneState(conv.state)
	pt, err := next.state.Decrypt(rand.Reader, m, conv.ad)
	return pt, &next, err
}

// openHandshake opens the first messages of a conversation someone else
// started: the handshake, then its ratchet message.
func (s *Store) openHandshake(hs, m []byte) (ID, [pqxdh.KeySize]byte, []byte, error) {
	var none [pqxdh.KeySize]byte
	var init pqxdh.Init
	if err := init.UnmarshalBinary(hs); err != nil {
		return ID{}, none, nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	seen := seenKey(hs)
	// A later message of a conversation begun with this handshake (the
	// initiator repeats it until we answer).
	prior, seenBefore := s.seen[seen]
	if seenBefore {
		conv, ok := s.sessions[prior]
		if !ok {
			return ID{}, none, nil, ErrReplayedHandshake
		}
		pt, next, err := s.tryOpen(conv, m)
		if err != nil {
			return prior, conv.peer, nil, err
		}
		if err := s.save(prior, next, ""); err != nil {
			return ID{}, none, nil, err
		}
		*conv = *next
		return prior, conv.peer, pt, nil
	}

	if init.SignedPrekeyID != s.spkID || init.PQPrekeyID != s.pqID || init.HasOneTime {
		return ID{}, none, nil, fmt.Errorf("%w: signed prekey %d, post-quantum prekey %d", ErrUnknownPrekey, init.SignedPrekeyID, init.PQPrekeyID)
	}
	sec, err := pqxdh.Respond(&pqxdh.ResponderKeys{Identity: s.identity, SignedPrekey: s.spk, PQPrekey: s.pq}, &init)
	if err != nil {
		return ID{}, none, nil, err
	}
	st, err := ratchet.NewResponder(sec.Root, sec.HeaderA, sec.NextHeaderB, s.spk)
	if err != nil {
		return ID{}, none, nil, err
	}
	conv := &conversation{peer: init.Identity, ad: sec.AD, state: st}
	// A forged handshake gives secrets that open nothing: nothing is
	// stored unless the first message opens.
	pt, err := conv.state.Decrypt(rand.Reader, m, conv.ad)
	if err != nil {
		return ID{}, none, nil, err
	}
	var id ID
	rand.Read(id[:])
	if err := s.save(id, conv, seen); err != nil {
		return ID{}, none, nil, err
	}
	s.sessions[id] = conv
	s.seen[seen] = id
	return id, conv.peer, pt, nil
}

// seenKey is where a handshake's conversation is recorded.
func seenKey(hs []byte) string {
	h := sha256.Sum256(hs)
	return prefixSeen + string(h[:16])
}

// save writes conv (and, for a new conversation from a handshake, the
// handshake's record, seen) in one durable write.
func (s *Store) save(id ID, conv *conversation, seen string) error {
	v, err := conv.encode()
	if err != nil {
		return err
	}
	w := map[string][]byte{prefixConv + string(id[:]): v}
	if seen != "" {
		w[seen] = bytes.Clone(id[:])
	}
	return s.db.Write(w)
}

func cloneState(st *ratchet.State) *ratchet.State {
	b, err := st.MarshalBinary()
	if err != nil {
		panic(err) // a state in use always encodes
	}
	var t ratchet.State
	if err := t.UnmarshalBinary(b); err != nil {
		panic(err)
	}
	return &t
}

// encode: version, peer, AD length and AD, pending length and pending,
// the ratchet state.
func (c *conversation) encode() ([]byte, error) {
	st, err := c.state.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b := []byte{1}
	b = append(b, c.peer[:]...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(c.ad)))
	b = append(b, c.ad...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(c.pending)))
	b = append(b, c.pending...)
	return append(b, st...), nil
}

func decodeConversation(b []byte) (*conversation, error) {
	if len(b) < 1+pqxdh.KeySize+2 || b[0] != 1 {
		return nil, errors.New("malformed record")
	}
	c := &conversation{peer: [pqxdh.KeySize]byte(b[1 : 1+pqxdh.KeySize])}
	r := b[1+pqxdh.KeySize:]
	field := func() ([]byte, error) {
		if len(r) < 2 || len(r) < 2+int(binary.BigEndian.Uint16(r)) {
			return nil, errors.New("malformed record")
		}
		n := int(binary.BigEndian.Uint16(r))
		f := bytes.Clone(r[2 : 2+n])
		r = r[2+n:]
		return f, nil
	}
	var err error
	if c.ad, err = field(); err != nil {
		return nil, err
	}
	if c.pending, err = field(); err != nil {
		return nil, err
	}
	if len(c.pending) == 0 {
		c.pending = nil
	}
	c.state = new(ratchet.State)
	if err := c.state.UnmarshalBinary(r); err != nil {
		return nil, err
	}
	return c, nil
}
