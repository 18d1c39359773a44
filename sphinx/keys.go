package sphinx

import (
	"crypto/subtle"
	"fmt"
	"io"

	"github.com/cloudflare/circl/dh/x25519"
)

// PublicKey is a node's X25519 public key for Sphinx, published for an
// epoch in its descriptor.
type PublicKey [32]byte

// PrivateKey is a node's X25519 private key for Sphinx. A relay keeps one
// per epoch and drops it when the epoch expires. The zero value is not
// usable; make one with [GenerateKey] or [NewPrivateKey].
type PrivateKey struct {
	secret x25519.Key
	public PublicKey
}

// GenerateKey returns a new private key drawn from rand (use
// [crypto/rand.Reader]).
func GenerateKey(rand io.Reader) (*PrivateKey, error) {
	var b [32]byte
	if _, err := io.ReadFull(rand, b[:]); err != nil {
		return nil, fmt.Errorf("sphinx: reading randomness: %w", err)
	}
	return NewPrivateKey(b[:])
}

// NewPrivateKey returns the private key with the given 32 bytes (an
// X25519 scalar as in RFC 7748; it is clamped when used).
func NewPrivateKey(b []byte) (*PrivateKey, error) {
	if len(b) != 32 {
		return nil, fmt.Errorf("sphinx: private key is %d bytes, want 32", len(b))
	}
	k := new(PrivateKey)
	copy(k.secret[:], b)
	x25519.KeyGen((*x25519.Key)(&k.public), &k.secret)
	return k, nil
}

// Bytes returns a copy of the 32 bytes of the key.
func (k *PrivateKey) Bytes() []byte {
	b := k.secret
	return b[:]
}

// Public returns the public key of k.
func (k *PrivateKey) Public() PublicKey { return k.public }

// x25519Shared sets out to X25519(secret, public) and reports whether the
// result is not all zero, that is whether public was not a low-order point.
// It is the one scalar multiplication used everywhere in this package.
func x25519Shared(out, secret *[32]byte, public *[32]byte) bool {
	x25519.Shared((*x25519.Key)(out), (*x25519.Key)(secret), (*x25519.Key)(public))
	var zero [32]byte
	return subtle.ConstantTimeCompare(out[:], zero[:]) == 0
}

// x25519Base sets out to X25519(secret, 9), the public key of secret.
func x25519Base(out, secret *[32]byte) {
	x25519.KeyGen((*x25519.Key)(out), (*x25519.Key)(secret))
}
