//go:build !js

package pki

import (
	"bytes"
	"fmt"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/crypto/pb"
	"github.com/libp2p/go-libp2p/core/record"
)

// Seal validates d and signs it with key, the relay's libp2p Ed25519
// identity key, whose public key must be d.NodeKey. It returns the
// marshalled envelope, at most [MaxDescriptorSize] bytes.
func Seal(d *Descriptor, key crypto.PrivKey) ([]byte, error) {
	if key.Type() != pb.KeyType_Ed25519 {
		return nil, fmt.Errorf("pki: seal: key is %s, want Ed25519", key.Type())
	}
	raw, err := key.GetPublic().Raw()
	if err != nil {
		return nil, fmt.Errorf("pki: seal: %w", err)
	}
	if !bytes.Equal(raw, d.NodeKey[:]) {
		return nil, fmt.Errorf("pki: seal: key %x is not the descriptor's node key %x", raw, d.NodeKey)
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("pki: seal: %w", err)
	}
	env, err := record.Seal(&descriptorRecord{d: d}, key)
	if err != nil {
		return nil, fmt.Errorf("pki: seal: %w", err)
	}
	b, err := env.Marshal()
	if err != nil {
		return nil, fmt.Errorf("pki: seal: %w", err)
	}
	if len(b) > MaxDescriptorSize {
		return nil, fmt.Errorf("pki: seal: descriptor is %d bytes, at most %d", len(b), MaxDescriptorSize)
	}
	return b, nil
}

// open checks a sealed descriptor with libp2p's record envelopes. (The
// browser core, without libp2p, opens them with openEnvelope.)
func open(b []byte) (*Descriptor, error) {
	// Look at the key and type before spending a signature check on them.
	env, err := record.UnmarshalEnvelope(b)
	if err != nil {
		return nil, err
	}
	if env.PublicKey.Type() != pb.KeyType_Ed25519 {
		return nil, fmt.Errorf("signed by a %s key, want Ed25519", env.PublicKey.Type())
	}
	if !bytes.Equal(env.PayloadType, descriptorCodec) {
		return nil, fmt.Errorf("payload type %x, want %x", env.PayloadType, descriptorCodec)
	}
	rec := &descriptorRecord{}
	if _, err := record.ConsumeTypedEnvelope(b, rec); err != nil {
		return nil, err
	}
	raw, err := env.PublicKey.Raw()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(raw, rec.d.NodeKey[:]) {
		return nil, fmt.Errorf("signed by %x, not by its node key %x", raw, rec.d.NodeKey)
	}
	return rec.d, nil
}
