// Package pqxdh is the key agreement that starts a Murmur conversation:
// Signal's PQXDH (revision 3, 2024) on X25519, SHA-256 and ML-KEM-768
// (circl's kem/mlkem/mlkem768, FIPS 203). The initiator takes
// the responder's published bundle (identity key, signed prekey,
// post-quantum prekey, perhaps a one-time prekey) and sends, with its
// first message, an [Init]: its identity key, a fresh ephemeral key and
// an ML-KEM ciphertext. Both ends then hold the same [Secrets], from
// which the Double Ratchet (messaging/ratchet) starts, the responder's
// signed prekey as its first ratchet key.
//
// The bundle's signature is not this package's: in Murmur the whole
// contact card, bundle included, is signed by the owner's Ethereum
// account (EIP-712), which takes the place of PQXDH's XEdDSA signatures
// on the prekeys. Check that signature before calling [Initiate].
//
// An attacker who records the handshake and later breaks X25519 (with a
// quantum computer) still needs the ML-KEM shared secret: the session key
// depends on both.
package pqxdh

import (
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/cloudflare/circl/kem/mlkem/mlkem768"
)

// KDFInfo names the protocol's parameters, as PQXDH's info string does.
const KDFInfo = "Murmur_PQXDH_CURVE25519_SHA-256_ML-KEM-768"

// Sizes of the keys on the wire.
const (
	KeySize        = 32 // an X25519 public key
	PQKeySize      = mlkem768.PublicKeySize
	CiphertextSize = mlkem768.CiphertextSize
)

// Prekey is an X25519 prekey as published: its number (which the Init
// names, so that the responder finds its private half) and public key.
type Prekey struct {
	ID  uint32
	Key [KeySize]byte
}

// PQPrekey is an ML-KEM-768 prekey as published.
type PQPrekey struct {
	ID  uint32
	Key []byte // PQKeySize bytes
}

// Bundle is what the responder publishes for initiators to start
// sessions with: inside its contact card, signed with it.
type Bundle struct {
	Identity     [KeySize]byte
	SignedPrekey Prekey
	PQPrekey     PQPrekey
	OneTime      *Prekey // none when the responder has run out
}

// Init is what the initiator sends with its first message so that the
// responder can compute the same secrets.
type Init struct {
	Identity       [KeySize]byte // the initiator's identity key
	Ephemeral      [KeySize]byte
	SignedPrekeyID uint32
	PQPrekeyID     uint32
	OneTimeID      uint32
	HasOneTime     bool
	Ciphertext     []byte // CiphertextSize bytes
}

// Secrets are what both ends share after the handshake: the Double
// Ratchet's root key and its two initial header keys, and the
// associated data every message of the session is authenticated with
// (the initiator's identity key, then the responder's).
type Secrets struct {
	Root, HeaderA, NextHeaderB [32]byte
	AD                         []byte
}

// ErrBadKey reports a public key that a handshake cannot use: not a
// point, of low order, or of the wrong size.
var ErrBadKey = errors.New("pqxdh: unusable public key")

// Initiate runs the initiator's side against bundle b with its identity
// key, reading the ephemeral key and the encapsulation's randomness
// from rand.
func Initiate(rand io.Reader, identity *ecdh.PrivateKey, b *Bundle) (*Secrets, *Init, error) {
	var pq mlkem768.PublicKey
	if len(b.PQPrekey.Key) != PQKeySize {
		return nil, nil, fmt.Errorf("%w: a post-quantum prekey of %d bytes, want %d", ErrBadKey, len(b.PQPrekey.Key), PQKeySize)
	}
	if err := pq.Unpack(b.PQPrekey.Key); err != nil {
		return nil, nil, fmt.Errorf("%w: the post-quantum prekey: %v", ErrBadKey, err)
	}
	ik, err := publicKey(b.Identity[:], "identity key")
	if err != nil {
		return nil, nil, err
	}
	spk, err := publicKey(b.SignedPrekey.Key[:], "signed prekey")
	if err != nil {
		return nil, nil, err
	}
	ek, err := ecdh.X25519().GenerateKey(rand)
	if err != nil {
		return nil, nil, err
	}
	in := &Init{
		Identity:       [KeySize]byte(identity.PublicKey().Bytes()),
		Ephemeral:      [KeySize]byte(ek.PublicKey().Bytes()),
		SignedPrekeyID: b.SignedPrekey.ID,
		PQPrekeyID:     b.PQPrekey.ID,
	}
	ikm := make([]byte, 32, 32+5*32)
	for i := range 32 {
		ikm[i] = 0xff // PQXDH's F: 32 bytes of 0xFF before the DH outputs
	}
	for _, d := range []struct {
		priv *ecdh.PrivateKey
		pub  *ecdh.PublicKey
	}{{identity, spk}, {ek, ik}, {ek, spk}} {
		out, err := d.priv.ECDH(d.pub)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrBadKey, err)
		}
		ikm = append(ikm, out...)
	}
	if b.OneTime != nil {
		opk, err := publicKey(b.OneTime.Key[:], "one-time prekey")
		if err != nil {
			return nil, nil, err
		}
		out, err := ek.ECDH(opk)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrBadKey, err)
		}
		ikm = append(ikm, out...)
		in.OneTimeID, in.HasOneTime = b.OneTime.ID, true
	}
	var seed [mlkem768.EncapsulationSeedSize]byte
	if _, err := io.ReadFull(rand, seed[:]); err != nil {
		return nil, nil, fmt.Errorf("pqxdh: reading randomness: %w", err)
	}
	var ss [mlkem768.SharedKeySize]byte
	in.Ciphertext = make([]byte, CiphertextSize)
	pq.EncapsulateTo(in.Ciphertext, ss[:], seed[:])
	clear(seed[:])
	ikm = append(ikm, ss[:]...)
	clear(ss[:])
	s := derive(ikm, in.Identity[:], b.Identity[:])
	clear(ikm)
	return s, in, nil
}

// ResponderKeys are the responder's private keys for the prekeys an Init
// names; the caller looks them up by the Init's IDs (and deletes the
// one-time prekey once the session is stored).
type ResponderKeys struct {
	Identity     *ecdh.PrivateKey
	SignedPrekey *ecdh.PrivateKey
	PQPrekey     *mlkem768.PrivateKey
	OneTime      *ecdh.PrivateKey // nil unless the Init names one
}

// Respond runs the responder's side for the Init in with its keys.
func Respond(k *ResponderKeys, in *Init) (*Secrets, error) {
	if k.Identity == nil || k.SignedPrekey == nil || k.PQPrekey == nil {
		return nil, errors.New("pqxdh: the responder's identity key, signed prekey and post-quantum prekey are all needed")
	}
	if in.HasOneTime != (k.OneTime != nil) {
		return nil, errors.New("pqxdh: the one-time prekey the handshake names is not the one given")
	}
	ika, err := publicKey(in.Identity[:], "initiator's identity key")
	if err != nil {
		return nil, err
	}
	eka, err := publicKey(in.Ephemeral[:], "ephemeral key")
	if err != nil {
		return nil, err
	}
	ikm := make([]byte, 32, 32+5*32)
	for i := range 32 {
		ikm[i] = 0xff
	}
	pairs := []struct {
		priv *ecdh.PrivateKey
		pub  *ecdh.PublicKey
	}{{k.SignedPrekey, ika}, {k.Identity, eka}, {k.SignedPrekey, eka}}
	if k.OneTime != nil {
		pairs = append(pairs, struct {
			priv *ecdh.PrivateKey
			pub  *ecdh.PublicKey
		}{k.OneTime, eka})
	}
	for _, d := range pairs {
		out, err := d.priv.ECDH(d.pub)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
		}
		ikm = append(ikm, out...)
	}
	if len(in.Ciphertext) != CiphertextSize {
		return nil, fmt.Errorf("pqxdh: a ciphertext of %d bytes, want %d", len(in.Ciphertext), CiphertextSize)
	}
	// ML-KEM decapsulation never fails on a ciphertext of the right size:
	// a forged one gives an unrelated secret (implicit rejection), and the
	// first message then fails to decrypt.
	var ss [mlkem768.SharedKeySize]byte
	k.PQPrekey.DecapsulateTo(ss[:], in.Ciphertext)
	ikm = append(ikm, ss[:]...)
	clear(ss[:])
	s := derive(ikm, in.Identity[:], k.Identity.PublicKey().Bytes())
	clear(ikm)
	return s, nil
}

// derive is PQXDH's KDF, HKDF-SHA-256 with a zero salt, stretched to the
// ratchet's root key and two header keys.
func derive(ikm, initiator, responder []byte) *Secrets {
	out, err := hkdf.Key(sha256.New, ikm, make([]byte, 32), KDFInfo, 96)
	if err != nil {
		panic(err) // 96 bytes is far below HKDF-SHA-256's limit
	}
	s := &Secrets{
		Root:        [32]byte(out[:32]),
		HeaderA:     [32]byte(out[32:64]),
		NextHeaderB: [32]byte(out[64:]),
		AD:          append(append(make([]byte, 0, 2*KeySize), initiator...), responder...),
	}
	clear(out)
	return s
}

func publicKey(b []byte, what string) (*ecdh.PublicKey, error) {
	k, err := ecdh.X25519().NewPublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadKey, what, err)
	}
	return k, nil
}

// initSize is the encoding of an Init: two keys, three IDs, a flag, the
// ciphertext.
const initSize = 2*KeySize + 3*4 + 1 + CiphertextSize

// MarshalBinary encodes the Init as it travels with the first message.
func (in *Init) MarshalBinary() ([]byte, error) {
	if len(in.Ciphertext) != CiphertextSize {
		return nil, fmt.Errorf("pqxdh: a ciphertext of %d bytes, want %d", len(in.Ciphertext), CiphertextSize)
	}
	b := make([]byte, 0, initSize)
	b = append(b, in.Identity[:]...)
	b = append(b, in.Ephemeral[:]...)
	b = binary.BigEndian.AppendUint32(b, in.SignedPrekeyID)
	b = binary.BigEndian.AppendUint32(b, in.PQPrekeyID)
	b = binary.BigEndian.AppendUint32(b, in.OneTimeID)
	flag := byte(0)
	if in.HasOneTime {
		flag = 1
	}
	b = append(b, flag)
	return append(b, in.Ciphertext...), nil
}

// UnmarshalBinary decodes an Init, refusing a malformed one.
func (in *Init) UnmarshalBinary(b []byte) error {
	if len(b) != initSize {
		return fmt.Errorf("pqxdh: a handshake of %d bytes, want %d", len(b), initSize)
	}
	if b[2*KeySize+12] > 1 || (b[2*KeySize+12] == 0 && binary.BigEndian.Uint32(b[2*KeySize+8:]) != 0) {
		return errors.New("pqxdh: handshake: a malformed one-time prekey field")
	}
	*in = Init{
		Identity:       [KeySize]byte(b[:KeySize]),
		Ephemeral:      [KeySize]byte(b[KeySize : 2*KeySize]),
		SignedPrekeyID: binary.BigEndian.Uint32(b[2*KeySize:]),
		PQPrekeyID:     binary.BigEndian.Uint32(b[2*KeySize+4:]),
		OneTimeID:      binary.BigEndian.Uint32(b[2*KeySize+8:]),
		HasOneTime:     b[2*KeySize+12] == 1,
		Ciphertext:     append([]byte(nil), b[2*KeySize+13:]...),
	}
	return nil
}
