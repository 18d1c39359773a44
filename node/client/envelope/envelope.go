// Package envelope is the end-to-end layer of Murmur's messages, beneath
// the Sphinx packets and above nothing: a message (and the reply block it
// carries, if any) is cut into fragments that each fill one packet's
// payload, each sealed for the recipient's X25519 key so that the exit
// provider, which removes the last Sphinx layer, sees only ciphertext; the
// recipient opens them and reassembles the message. It is pure Go with no
// network or disk, so that the Go client (package client) and the browser
// client (web/, compiled to WebAssembly) share one implementation.
package envelope

import (
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"golang.org/x/crypto/chacha20poly1305"
)

// Fragment layout, before sealing:
//
//	version (1) ‖ flags (1) ‖ message id (16) ‖ index (2) ‖ total (2) ‖ body
//
// Sealed for the recipient's X25519 key R with a fresh ephemeral key E:
//
//	E.pub (32) ‖ ChaCha20-Poly1305(k, nonce 0, fragment, ad = E.pub ‖ R)
//	k = HKDF-SHA256(X25519(E, R), salt = E.pub ‖ R, info = "murmur-e2e-v1")
//
// The exit provider, which removes the last Sphinx layer, sees only this.
const (
	fragmentVersion = 1
	fragmentHeader  = 1 + 1 + 16 + 2 + 2
	sealOverhead    = 32 + chacha20poly1305.Overhead
	// FragmentOverhead is what each Sphinx payload spends on framing and sealing.
	FragmentOverhead = fragmentHeader + sealOverhead
	maxFragments     = 1024
)

// Fragment flags.
const (
	FlagHasSURB = 1 << 0 // the body of fragment 0 starts with a length-prefixed SURB for the reply
	FlagLoop    = 1 << 1 // a cover loop the client sent itself; the first 8 bytes of the id are its LoopID
)

// Errors of the end-to-end layer.
var (
	ErrNotForUs       = errors.New("envelope: message does not decrypt with our key")
	ErrBadFragment    = errors.New("envelope: malformed fragment")
	ErrMessageTooLong = errors.New("envelope: message too long")
)

// Fragment is one piece of a message, as sealed in one Sphinx payload.
type Fragment struct {
	Flags        byte
	ID           [16]byte // the same for every fragment of a message
	Index, Total uint16
	Body         []byte
}

// Seal seals f for recipient with a fresh ephemeral key.
func Seal(rand io.Reader, recipient *ecdh.PublicKey, f Fragment) ([]byte, error) {
	eph, err := ecdh.X25519().GenerateKey(rand)
	if err != nil {
		return nil, err
	}
	shared, err := eph.ECDH(recipient)
	if err != nil {
		return nil, err
	}
	aead, ad, err := fragmentAEAD(shared, eph.PublicKey().Bytes(), recipient.Bytes())
	if err != nil {
		return nil, err
	}
	plain := make([]byte, 0, fragmentHeader+len(f.Body))
	plain = append(plain, fragmentVersion, f.Flags)
	plain = append(plain, f.ID[:]...)
	plain = binary.BigEndian.AppendUint16(plain, f.Index)
	plain = binary.BigEndian.AppendUint16(plain, f.Total)
	plain = append(plain, f.Body...)
	out := append([]byte{}, eph.PublicKey().Bytes()...)
	return aead.Seal(out, make([]byte, chacha20poly1305.NonceSize), plain, ad), nil
}

// Open opens a fragment sealed for priv: [ErrNotForUs] if it is not,
// [ErrBadFragment] if it is malformed.
func Open(priv *ecdh.PrivateKey, b []byte) (Fragment, error) {
	if len(b) < sealOverhead+fragmentHeader {
		return Fragment{}, ErrBadFragment
	}
	ephPub, err := ecdh.X25519().NewPublicKey(b[:32])
	if err != nil {
		return Fragment{}, ErrBadFragment
	}
	shared, err := priv.ECDH(ephPub)
	if err != nil {
		return Fragment{}, ErrNotForUs
	}
	aead, ad, err := fragmentAEAD(shared, b[:32], priv.PublicKey().Bytes())
	if err != nil {
		return Fragment{}, err
	}
	plain, err := aead.Open(nil, make([]byte, chacha20poly1305.NonceSize), b[32:], ad)
	if err != nil {
		return Fragment{}, ErrNotForUs
	}
	if plain[0] != fragmentVersion {
		return Fragment{}, fmt.Errorf("%w: version %d", ErrBadFragment, plain[0])
	}
	f := Fragment{Flags: plain[1]}
	copy(f.ID[:], plain[2:18])
	f.Index = binary.BigEndian.Uint16(plain[18:])
	f.Total = binary.BigEndian.Uint16(plain[20:])
	f.Body = plain[fragmentHeader:]
	if f.Total == 0 || f.Total > maxFragments || f.Index >= f.Total {
		return Fragment{}, fmt.Errorf("%w: index %d of %d", ErrBadFragment, f.Index, f.Total)
	}
	return f, nil
}

func fragmentAEAD(shared, ephPub, recipient []byte) (aeadCipher, []byte, error) {
	ad := append(append([]byte{}, ephPub...), recipient...)
	key, err := hkdf.Key(sha256.New, shared, ad, "murmur-e2e-v1", chacha20poly1305.KeySize)
	if err != nil {
		return nil, nil, err
	}
	aead, err := chacha20poly1305.New(key)
	return aead, ad, err
}

type aeadCipher interface {
	Seal(dst, nonce, plaintext, additionalData []byte) []byte
	Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
}

// Split cuts a message into sealed fragments of at most payloadSize bytes.
// When surb is not nil it travels at the head of the first fragment.
func Split(rand io.Reader, recipient *ecdh.PublicKey, payloadSize int, msg, surb []byte) ([][]byte, error) {
	room := payloadSize - FragmentOverhead
	if room <= 2 {
		return nil, fmt.Errorf("envelope: payload size %d leaves no room for data", payloadSize)
	}
	var flags byte
	data := msg
	if surb != nil {
		flags |= FlagHasSURB
		data = append(binary.BigEndian.AppendUint16(nil, uint16(len(surb))), surb...)
		data = append(data, msg...)
	}
	total := (len(data) + room - 1) / room
	if total == 0 {
		total = 1
	}
	if total > maxFragments {
		return nil, fmt.Errorf("%w: %d bytes need %d fragments, at most %d", ErrMessageTooLong, len(msg), total, maxFragments)
	}
	var id [16]byte
	if _, err := io.ReadFull(rand, id[:]); err != nil {
		return nil, err
	}
	out := make([][]byte, 0, total)
	for i := range total {
		end := min((i+1)*room, len(data))
		sealed, err := Seal(rand, recipient, Fragment{Flags: flags, ID: id, Index: uint16(i), Total: uint16(total), Body: data[i*room : end]})
		if err != nil {
			return nil, err
		}
		out = append(out, sealed)
	}
	return out, nil
}

// Message is a whole message received.
type Message struct {
	Body []byte
	// ReplySURB, when not nil, lets the receiver answer the sender without
	// knowing where it is (see Client.Reply).
	ReplySURB []byte
	// IsReply is set on answers that came back through one of our reply blocks.
	IsReply  bool
	Received time.Time
}

// Reassembler collects fragments until their message is whole. It holds at
// most maxPending incomplete messages and forgets those older than maxAge,
// so a flood of stray fragments cannot grow it without bound.
type Reassembler struct {
	maxPending int
	maxAge     time.Duration
	pending    map[[16]byte]*partial
}

type partial struct {
	first  time.Time
	flags  byte
	parts  [][]byte
	filled int
}

// NewReassembler returns a reassembler holding at most maxPending
// incomplete messages, none older than maxAge.
func NewReassembler(maxPending int, maxAge time.Duration) *Reassembler {
	return &Reassembler{maxPending: maxPending, maxAge: maxAge, pending: map[[16]byte]*partial{}}
}

// Add takes one opened fragment and returns the message when it is complete.
func (r *Reassembler) Add(f Fragment, now time.Time) (*Message, error) {
	for id, p := range r.pending {
		if now.Sub(p.first) > r.maxAge {
			delete(r.pending, id)
		}
	}
	p, ok := r.pending[f.ID]
	if !ok {
		if f.Total == 1 {
			return finish(f.Flags, [][]byte{f.Body}, now)
		}
		if len(r.pending) >= r.maxPending {
			return nil, fmt.Errorf("envelope: %d incomplete messages pending; fragment dropped", len(r.pending))
		}
		p = &partial{first: now, flags: f.Flags, parts: make([][]byte, f.Total)}
		r.pending[f.ID] = p
	}
	if int(f.Total) != len(p.parts) {
		return nil, fmt.Errorf("%w: fragment says %d parts, message has %d", ErrBadFragment, f.Total, len(p.parts))
	}
	if p.parts[f.Index] == nil {
		p.parts[f.Index] = f.Body
		p.filled++
	}
	if p.filled < len(p.parts) {
		return nil, nil
	}
	delete(r.pending, f.ID)
	return finish(p.flags, p.parts, now)
}

func finish(flags byte, parts [][]byte, now time.Time) (*Message, error) {
	var data []byte
	for _, p := range parts {
		data = append(data, p...)
	}
	m := &Message{Received: now}
	if flags&FlagHasSURB != 0 {
		if len(data) < 2 {
			return nil, fmt.Errorf("%w: SURB length missing", ErrBadFragment)
		}
		n := int(binary.BigEndian.Uint16(data))
		if 2+n > len(data) {
			return nil, fmt.Errorf("%w: SURB of %d bytes in %d", ErrBadFragment, n, len(data)-2)
		}
		m.ReplySURB = data[2 : 2+n]
		data = data[2+n:]
	}
	m.Body = data
	return m, nil
}
