package ratchet

import (
	"crypto/ecdh"
	"encoding/binary"
	"errors"
	"fmt"
)

// stateVersion is the first byte of an encoded State.
const stateVersion = 1

// fixedStateSize is the encoding's size without the skipped keys: version,
// our private key, their public key (flag, key), the root key, six keys
// (flag, key), three counters, the number of skipped keys.
const fixedStateSize = 1 + 32 + 33 + 32 + 6*33 + 3*4 + 4

const skippedSize = 32 + 4 + 32

// MarshalBinary encodes the state, secrets included: store it where only
// its owner can read it.
func (s *State) MarshalBinary() ([]byte, error) {
	if s.dhs == nil {
		return nil, errors.New("ratchet: an empty state")
	}
	b := make([]byte, 0, fixedStateSize+len(s.skipped)*skippedSize)
	b = append(b, stateVersion)
	b = append(b, s.dhs.Bytes()...)
	var dhr key
	if s.dhr != nil {
		dhr = key{[32]byte(s.dhr), true}
	}
	b = appendKey(b, dhr)
	b = append(b, s.rk[:]...)
	for _, k := range []key{s.cks, s.ckr, s.hks, s.hkr, s.nhks, s.nhkr} {
		b = appendKey(b, k)
	}
	b = binary.BigEndian.AppendUint32(b, s.ns)
	b = binary.BigEndian.AppendUint32(b, s.nr)
	b = binary.BigEndian.AppendUint32(b, s.pn)
	b = binary.BigEndian.AppendUint32(b, uint32(len(s.skipped)))
	for _, sk := range s.skipped {
		b = append(b, sk.hk[:]...)
		b = binary.BigEndian.AppendUint32(b, sk.n)
		b = append(b, sk.mk[:]...)
	}
	return b, nil
}

func appendKey(b []byte, k key) []byte {
	if !k.ok {
		return append(append(b, 0), make([]byte, 32)...)
	}
	return append(append(b, 1), k.b[:]...)
}

// UnmarshalBinary decodes a state MarshalBinary encoded, refusing a
// malformed one whole.
func (s *State) UnmarshalBinary(b []byte) error {
	if len(b) < fixedStateSize {
		return fmt.Errorf("ratchet: a state of %d bytes, want at least %d", len(b), fixedStateSize)
	}
	if b[0] != stateVersion {
		return fmt.Errorf("ratchet: state version %d, want %d", b[0], stateVersion)
	}
	var t State
	var err error
	if t.dhs, err = ecdh.X25519().NewPrivateKey(b[1:33]); err != nil {
		return fmt.Errorf("ratchet: state: %w", err)
	}
	rest := b[33:]
	var keyErr error
	next := func() key {
		var k key
		switch rest[0] {
		case 0:
			if [32]byte(rest[1:33]) != ([32]byte{}) {
				keyErr = errors.New("ratchet: state: an unset key that is not zero")
			}
		case 1:
			k.ok = true
			k.b = [32]byte(rest[1:33])
		default:
			keyErr = fmt.Errorf("ratchet: state: key flag %d", rest[0])
		}
		rest = rest[33:]
		return k
	}
	if dhr := next(); dhr.ok {
		if _, err := ecdh.X25519().NewPublicKey(dhr.b[:]); err != nil {
			return fmt.Errorf("ratchet: state: %w", err)
		}
		t.dhr = dhr.b[:]
	}
	t.rk = [32]byte(rest[:32])
	rest = rest[32:]
	for _, k := range []*key{&t.cks, &t.ckr, &t.hks, &t.hkr, &t.nhks, &t.nhkr} {
		*k = next()
	}
	if keyErr != nil {
		return keyErr
	}
	t.ns = binary.BigEndian.Uint32(rest)
	t.nr = binary.BigEndian.Uint32(rest[4:])
	t.pn = binary.BigEndian.Uint32(rest[8:])
	n := binary.BigEndian.Uint32(rest[12:])
	rest = rest[16:]
	if n > MaxSkipped || uint64(len(rest)) != uint64(n)*skippedSize {
		return fmt.Errorf("ratchet: state: %d skipped keys in %d bytes", n, len(rest))
	}
	t.skipped = make([]skippedKey, n)
	for i := range t.skipped {
		t.skipped[i] = skippedKey{hk: [32]byte(rest[:32]), n: binary.BigEndian.Uint32(rest[32:]), mk: [32]byte(rest[36:68])}
		rest = rest[skippedSize:]
	}
	*s = t
	return nil
}
