// Package ratchet is the Double Ratchet with header encryption that every
// message of a Murmur conversation is encrypted with: Signal's
// specification (revision 4, 2025), section 4 ("Double Ratchet with
// header encryption"), on X25519, HKDF-SHA-256, HMAC-SHA-256 and
// ChaCha20-Poly1305.
//
// The mixnet hides who talks to whom; the ratchet gives the conversation
// forward secrecy (a key taken today opens none of the messages before
// it) and post-compromise security (one round trip after a compromise,
// the thief reads nothing more). Header encryption keeps the ratchet
// public keys and message numbers, which would link a conversation's
// messages to each other, away from everyone but the two ends: the
// providers that hold the messages in mailboxes included.
//
// A [State] is one end of one session. It is set up from the secret of a
// key agreement (X3DH or PQXDH, elsewhere) with [NewInitiator] and
// [NewResponder]; [State.Encrypt] and [State.Decrypt] change it, and the
// caller must store it ([State.MarshalBinary]) durably after each call
// and before it acknowledges or sends the message: a state restored from
// before an Encrypt would reuse a message key. A Decrypt that fails
// leaves the state as it was.
package ratchet

import (
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/chacha20poly1305"
)

// Bounds on the message keys kept for messages not yet received (skipped
// over by a later one). MaxSkip is the specification's MAX_SKIP: how far
// ahead of the next expected message one message may be. MaxSkipped bounds
// the keys kept in all, across chains; past it the oldest are dropped and
// their messages, should they still come, cannot be read. A reliable
// delivery layer retransmits within seconds, so a gap of a thousand
// messages is an attack or a bug, not a slow network.
const (
	MaxSkip    = 1000
	MaxSkipped = 2000
)

// Sizes of a message's parts: the encrypted header (nonce, header,
// tag) comes first, then the body sealed with the message key.
const (
	headerSize    = 32 + 4 + 4 // ratchet public key, PN, N
	encHeaderSize = chacha20poly1305.NonceSizeX + headerSize + chacha20poly1305.Overhead
	// Overhead is how many bytes a message adds to its plaintext.
	Overhead = encHeaderSize + chacha20poly1305.Overhead
)

// Errors of Decrypt: each leaves the state unchanged.
var (
	// ErrHeader: no header key of the session opens the header (a
	// message for another session, corrupted, or from too far back).
	ErrHeader = errors.New("ratchet: the header does not decrypt with any header key of the session")
	// ErrTooFarAhead: the message is more than MaxSkip messages ahead of
	// its chain.
	ErrTooFarAhead = errors.New("ratchet: the message skips more message keys than the bound")
	// ErrReplay: the message's key was used already (a duplicate) or
	// dropped.
	ErrReplay = errors.New("ratchet: the message was received already, or its key was dropped")
	// ErrBody: the header opened but the body does not authenticate.
	ErrBody = errors.New("ratchet: the message body does not authenticate")
	// ErrShort: fewer bytes than a message has.
	ErrShort = errors.New("ratchet: message too short")
)

// A key is 32 bytes; ok tells a set key from an unset one (the
// specification's "None").
type key struct {
	b  [32]byte
	ok bool
}

// skippedKey is the key of message n of the chain whose header key is hk.
type skippedKey struct {
	hk [32]byte
	n  uint32
	mk [32]byte
}

// State is one end of a Double Ratchet session. It is not safe for
// concurrent use.
type State struct {
	dhs                  *ecdh.PrivateKey // our ratchet key pair
	dhr                  []byte           // their ratchet public key; nil before their first message
	rk                   [32]byte
	cks, ckr             key // sending and receiving chain keys
	hks, hkr, nhks, nhkr key // header keys, now and after the next DH step
	ns, nr, pn           uint32
	skipped              []skippedKey // oldest first
}

// NewInitiator sets up the session of the party that sends first (Alice):
// sk and the two header keys come from the key agreement, and
// responderRatchet is the responder's ratchet public key (in X3DH, its
// signed prekey). rand supplies the ratchet key pairs.
func NewInitiator(rand io.Reader, sk, sharedHKA, sharedNHKB [32]byte, responderRatchet []byte) (*State, error) {
	dhr, err := ecdh.X25519().NewPublicKey(responderRatchet)
	if err != nil {
		return nil, fmt.Errorf("ratchet: the responder's ratchet key: %w", err)
	}
	dhs, err := ecdh.X25519().GenerateKey(rand)
	if err != nil {
		return nil, err
	}
	s := &State{dhs: dhs, dhr: dhr.Bytes(), hks: key{sharedHKA, true}, nhkr: key{sharedNHKB, true}}
	out, err := dhs.ECDH(dhr)
	if err != nil {
		return nil, fmt.Errorf("ratchet: the responder's ratchet key: %w", err)
	}
	var ck, nhk [32]byte
	s.rk, ck, nhk = kdfRK(sk, out)
	s.cks, s.nhks = key{ck, true}, key{nhk, true}
	return s, nil
}

// NewResponder sets up the session of the party that receives first (Bob)
// from the key agreement's secret and header keys and its ratchet key
// pair (in X3DH, its signed prekey).
func NewResponder(sk, sharedHKA, sharedNHKB [32]byte, ratchet *ecdh.PrivateKey) (*State, error) {
	if ratchet == nil || ratchet.Curve() != ecdh.X25519() {
		return nil, errors.New("ratchet: the responder's ratchet key must be an X25519 private key")
	}
	return &State{dhs: ratchet, rk: sk, nhks: key{sharedNHKB, true}, nhkr: key{sharedHKA, true}}, nil
}

// kdfRK is the specification's KDF_RK_HE: HKDF-SHA-256 with the root key
// as salt over a DH output, giving the next root key, a chain key and the
// next header key.
func kdfRK(rk [32]byte, dhOut []byte) (root, chain, nextHeader [32]byte) {
	out, err := hkdf.Key(sha256.New, dhOut, rk[:], "murmur ratchet root", 96)
	if err != nil {
		panic(err) // 96 bytes is far below HKDF-SHA-256's limit
	}
	copy(root[:], out[:32])
	copy(chain[:], out[32:64])
	copy(nextHeader[:], out[64:])
	clear(out)
	return
}

// kdfCK is KDF_CK: HMAC-SHA-256 of the chain key over 0x01 gives the
// message key, over 0x02 the next chain key.
func kdfCK(ck *[32]byte) (mk [32]byte) {
	m := hmac.New(sha256.New, ck[:])
	m.Write([]byte{1})
	m.Sum(mk[:0])
	m.Reset()
	m.Write([]byte{2})
	m.Sum(ck[:0])
	return mk
}

// messageAEAD derives the body's key and nonce from a message key: each
// message key seals one message, so a fixed derivation is safe.
func messageAEAD(mk *[32]byte) (aead interface {
	Seal(dst, nonce, plaintext, ad []byte) []byte
	Open(dst, nonce, ciphertext, ad []byte) ([]byte, error)
}, nonce []byte) {
	out, err := hkdf.Key(sha256.New, mk[:], nil, "murmur ratchet message", chacha20poly1305.KeySize+chacha20poly1305.NonceSize)
	if err != nil {
		panic(err)
	}
	a, err := chacha20poly1305.New(out[:chacha20poly1305.KeySize])
	if err != nil {
		panic(err)
	}
	nonce = out[chacha20poly1305.KeySize:]
	clear(out[:chacha20poly1305.KeySize])
	return a, nonce
}

// Encrypt returns the message for plaintext: the encrypted header, then
// the body sealed with the next message key and authenticated with ad
// (the session's associated data: both identity keys) and the encrypted
// header. rand supplies the header's nonce.
func (s *State) Encrypt(rand io.Reader, plaintext, ad []byte) ([]byte, error) {
	if !s.cks.ok || !s.hks.ok {
		return nil, errors.New("ratchet: this end cannot send before the first message from the other")
	}
	var h [headerSize]byte
	copy(h[:32], s.dhs.PublicKey().Bytes())
	binary.BigEndian.PutUint32(h[32:], s.pn)
	binary.BigEndian.PutUint32(h[36:], s.ns)
	out := make([]byte, encHeaderSize, Overhead+len(plaintext))
	nonce := out[:chacha20poly1305.NonceSizeX]
	if _, err := io.ReadFull(rand, nonce); err != nil {
		return nil, fmt.Errorf("ratchet: reading randomness: %w", err)
	}
	ha, err := chacha20poly1305.NewX(s.hks.b[:])
	if err != nil {
		return nil, err
	}
	ha.Seal(out[:len(nonce)], nonce, h[:], nil)

	next := s.cks.b
	mk := kdfCK(&next)
	aead, bn := messageAEAD(&mk)
	clear(mk[:])
	out = aead.Seal(out, bn, plaintext, concat(ad, out[:encHeaderSize]))
	s.cks.b = next
	s.ns++
	return out, nil
}

// Decrypt opens msg, a message of the session, authenticated with ad.
// On an error the state is unchanged.
func (s *State) Decrypt(rand io.Reader, msg, ad []byte) ([]byte, error) {
	if len(msg) < Overhead {
		return nil, ErrShort
	}
	t := s.clone()
	pt, err := t.decrypt(rand, msg, ad)
	if err != nil {
		t.wipe()
		return nil, err
	}
	s.wipe()
	*s = *t
	return pt, nil
}

// Recognizes reports whether one of the session's header keys opens
// msg's header: whether msg is (or claims to be) of this session. It
// changes nothing; a receiver with many sessions asks each before it
// decrypts.
func (s *State) Recognizes(msg []byte) bool {
	if len(msg) < Overhead {
		return false
	}
	enc := msg[:encHeaderSize]
	for _, k := range []key{s.hkr, s.nhkr} {
		if k.ok {
			if _, ok := openHeader(&k.b, enc); ok {
				return true
			}
		}
	}
	tried := map[[32]byte]bool{}
	for i := range s.skipped {
		if hk := s.skipped[i].hk; !tried[hk] {
			tried[hk] = true
			if _, ok := openHeader(&hk, enc); ok {
				return true
			}
		}
	}
	return false
}

func (s *State) decrypt(rand io.Reader, msg, ad []byte) ([]byte, error) {
	encHeader, body := msg[:encHeaderSize], msg[encHeaderSize:]
	aad := concat(ad, encHeader)

	// A message skipped over before: its key is kept under its header key.
	tried := map[[32]byte]bool{}
	for i := range s.skipped {
		hk := s.skipped[i].hk
		if tried[hk] {
			continue
		}
		tried[hk] = true
		h, ok := openHeader(&hk, encHeader)
		if !ok {
			continue
		}
		n := binary.BigEndian.Uint32(h[36:])
		for j := range s.skipped {
			if sk := &s.skipped[j]; sk.hk == hk && sk.n == n {
				pt, err := openBody(&sk.mk, body, aad)
				if err != nil {
					return nil, err
				}
				clear(sk.mk[:])
				s.skipped = append(s.skipped[:j], s.skipped[j+1:]...)
				return pt, nil
			}
		}
		// The header is of a chain we keep keys of, but this number's
		// key is not kept: it was used, or dropped.
		if !s.hkr.ok || hk != s.hkr.b {
			return nil, ErrReplay
		}
	}

	var h [headerSize]byte
	var ok, step bool
	if s.hkr.ok {
		h, ok = openHeader(&s.hkr.b, encHeader)
	}
	if !ok && s.nhkr.ok {
		h, ok = openHeader(&s.nhkr.b, encHeader)
		step = ok
	}
	if !ok {
		return nil, ErrHeader
	}
	pn, n := binary.BigEndian.Uint32(h[32:]), binary.BigEndian.Uint32(h[36:])
	if step {
		if err := s.skip(pn); err != nil {
			return nil, err
		}
		if err := s.dhRatchet(rand, h[:32]); err != nil {
			return nil, err
		}
	} else if n < s.nr {
		return nil, ErrReplay
	}
	if err := s.skip(n); err != nil {
		return nil, err
	}
	mk := kdfCK(&s.ckr.b)
	s.nr++
	pt, err := openBody(&mk, body, aad)
	clear(mk[:])
	return pt, err
}

// skip keeps the keys of the receiving chain's messages before number
// until.
func (s *State) skip(until uint32) error {
	if !s.ckr.ok {
		return nil
	}
	if until > s.nr && until-s.nr > MaxSkip {
		return ErrTooFarAhead
	}
	for s.nr < until {
		s.skipped = append(s.skipped, skippedKey{hk: s.hkr.b, n: s.nr, mk: kdfCK(&s.ckr.b)})
		s.nr++
	}
	if over := len(s.skipped) - MaxSkipped; over > 0 {
		for i := range over {
			clear(s.skipped[i].mk[:])
		}
		s.skipped = append(s.skipped[:0], s.skipped[over:]...)
	}
	return nil
}

// dhRatchet is DHRatchetHE: the other end's new ratchet key starts a new
// receiving chain, and a new key pair of ours a new sending chain.
func (s *State) dhRatchet(rand io.Reader, theirs []byte) error {
	dhr, err := ecdh.X25519().NewPublicKey(theirs)
	if err != nil {
		return ErrHeader
	}
	s.pn, s.ns, s.nr = s.ns, 0, 0
	s.hks, s.hkr = s.nhks, s.nhkr
	s.dhr = dhr.Bytes()
	out, err := s.dhs.ECDH(dhr)
	if err != nil {
		return ErrHeader // a low-order key: no honest end sends one
	}
	var ck, nhk [32]byte
	s.rk, ck, nhk = kdfRK(s.rk, out)
	s.ckr, s.nhkr = key{ck, true}, key{nhk, true}
	if s.dhs, err = ecdh.X25519().GenerateKey(rand); err != nil {
		return err
	}
	if out, err = s.dhs.ECDH(dhr); err != nil {
		return ErrHeader
	}
	s.rk, ck, nhk = kdfRK(s.rk, out)
	s.cks, s.nhks = key{ck, true}, key{nhk, true}
	return nil
}

func openHeader(hk *[32]byte, enc []byte) (h [headerSize]byte, ok bool) {
	a, err := chacha20poly1305.NewX(hk[:])
	if err != nil {
		return h, false
	}
	nonce := enc[:chacha20poly1305.NonceSizeX]
	if _, err := a.Open(h[:0], nonce, enc[len(nonce):], nil); err != nil {
		return h, false
	}
	return h, true
}

func openBody(mk *[32]byte, body, aad []byte) ([]byte, error) {
	aead, nonce := messageAEAD(mk)
	pt, err := aead.Open(nil, nonce, body, aad)
	if err != nil {
		return nil, ErrBody
	}
	return pt, nil
}

func concat(a, b []byte) []byte {
	return append(append(make([]byte, 0, len(a)+len(b)), a...), b...)
}

// clone returns a deep copy of s for a Decrypt that may fail.
func (s *State) clone() *State {
	t := *s
	t.dhr = append([]byte(nil), s.dhr...)
	t.skipped = append([]skippedKey(nil), s.skipped...)
	return &t
}

// wipe clears the copies of secrets that s holds apart from others; the
// ratchet private key is shared with clones and left to the collector.
func (s *State) wipe() {
	clear(s.skipped)
}

// Equal reports whether two states are the same session at the same
// point (tests, and a check after a restore).
func (s *State) Equal(t *State) bool {
	a, err1 := s.MarshalBinary()
	b, err2 := t.MarshalBinary()
	return err1 == nil && err2 == nil && subtle.ConstantTimeCompare(a, b) == 1
}
