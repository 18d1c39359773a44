// Package identity keeps the libp2p Ed25519 identity of a relay or a
// client on disk, and names it the way the rest of Murmur does: its
// 32-byte public key is a relay's registry nodeKey and its Sphinx node ID,
// and the peer ID libp2p authenticates carries it. Relays (package node),
// clients (package node/client) and the tools around them share it, so
// that none of them imports another for it.
package identity

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/internal/atomicfile"
)

// LoadOrCreate reads the libp2p Ed25519 identity at path, creating it (mode
// 0600) if the file does not exist.
func LoadOrCreate(path string) (crypto.PrivKey, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		k, err := crypto.UnmarshalPrivateKey(b)
		if err != nil {
			return nil, fmt.Errorf("identity %s: %w", path, err)
		}
		if k.Type() != crypto.Ed25519 {
			return nil, fmt.Errorf("identity %s is a %s key, want Ed25519", path, k.Type())
		}
		return k, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("identity: %w", err)
	}
	k, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		return nil, err
	}
	b, err = crypto.MarshalPrivateKey(k)
	if err != nil {
		return nil, err
	}
	if err := atomicfile.Write(path, b); err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	return k, nil
}

// NodeKey returns the 32-byte Ed25519 public key of an identity: the
// registry's nodeKey and the Sphinx NodeID.
func NodeKey(id crypto.PrivKey) ([32]byte, error) {
	var k [32]byte
	raw, err := id.GetPublic().Raw()
	if err != nil {
		return k, err
	}
	if len(raw) != 32 {
		return k, fmt.Errorf("identity: public key is %d bytes, want an Ed25519 key", len(raw))
	}
	copy(k[:], raw)
	return k, nil
}

// NodeKeyOf returns the Ed25519 public key (registry nodeKey) of peer p,
// which its peer ID embeds; false if p is not an Ed25519 peer.
func NodeKeyOf(p peer.ID) ([32]byte, bool) {
	var k [32]byte
	raw, err := p.ExtractPublicKey()
	if err != nil {
		return k, false
	}
	b, err := raw.Raw()
	if err != nil || len(b) != 32 {
		return k, false
	}
	copy(k[:], b)
	return k, true
}
