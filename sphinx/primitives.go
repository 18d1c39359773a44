package sphinx

import (
	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/chacha20"
)

// This file holds the symmetric primitives of the construction, all built
// from BLAKE2b (golang.org/x/crypto/blake2b) and ChaCha20
// (golang.org/x/crypto/chacha20). docs/spec/sphinx.md defines them in the
// same terms; docs/adr/0002-sphinx-construction.md says why these.
//
// Keyed hashing uses BLAKE2b in prefix-key mode, H(K ‖ M): BLAKE2b has no
// length extension, so this is a PRF and a MAC. Unlike blake2b.New with a
// key, blake2b.Sum256 and Sum512 allocate nothing, which keeps the relay's
// unwrap free of allocations.

// Domain-separation labels. They are part of the wire format.
const (
	hopKDFLabel     = "murmur/sphinx/v1 hop"
	lionessKDFLabel = "murmur/sphinx/v1 lioness"
)

// hopKeys are the keys one hop derives from its shared secret.
type hopKeys struct {
	header  [32]byte // ChaCha20 key of the routing-information stream ρ
	mac     [32]byte // key of the header MAC μ
	payload [32]byte // LIONESS key π of the payload layer
	blind   [32]byte // X25519 scalar that blinds α for the next hop
	tag     [32]byte // replay tag
}

// deriveHopKeys computes the keys of a hop from the geometry hash, the
// group element α the hop received and the shared secret s:
//
//	out_j = BLAKE2b-512("murmur/sphinx/v1 hop" ‖ j ‖ geometryHash ‖ α ‖ s), j = 0, 1, 2
//	header ‖ mac ‖ payload ‖ blind ‖ tag = first 160 bytes of out_0 ‖ out_1 ‖ out_2
func deriveHopKeys(k *hopKeys, geometryHash, alpha, secret *[32]byte) {
	var in [len(hopKDFLabel) + 1 + 3*32]byte
	copy(in[:], hopKDFLabel)
	copy(in[len(hopKDFLabel)+1:], geometryHash[:])
	copy(in[len(hopKDFLabel)+1+32:], alpha[:])
	copy(in[len(hopKDFLabel)+1+64:], secret[:])

	in[len(hopKDFLabel)] = 0
	out := blake2b.Sum512(in[:])
	copy(k.header[:], out[0:32])
	copy(k.mac[:], out[32:64])
	in[len(hopKDFLabel)] = 1
	out = blake2b.Sum512(in[:])
	copy(k.payload[:], out[0:32])
	copy(k.blind[:], out[32:64])
	in[len(hopKDFLabel)] = 2
	out = blake2b.Sum512(in[:])
	copy(k.tag[:], out[0:32])
	clear(out[:])
	clear(in[:])
}

// prefixKeyedHash returns BLAKE2b-256(key ‖ buf[32:]). The first 32 bytes
// of buf are the room for the key: they are overwritten with the key for the
// computation and restored before returning. This lets the MAC and the
// LIONESS hash run over data inside the packet without a copy or an
// allocation.
func prefixKeyedHash(key *[32]byte, buf []byte) [32]byte {
	var saved [32]byte
	copy(saved[:], buf[:32])
	copy(buf[:32], key[:])
	h := blake2b.Sum256(buf)
	copy(buf[:32], saved[:])
	return h
}

// headerMAC returns γ = first 16 bytes of BLAKE2b-256(μ ‖ β) where
// buf = room(32) ‖ β.
func headerMAC(mac *[32]byte, buf []byte) [MACSize]byte {
	h := prefixKeyedHash(mac, buf)
	return [MACSize]byte(h[:MACSize])
}

// zeroNonce is the ChaCha20 nonce of every stream of the construction: each
// key is used for a single stream. Streams are ChaCha20 as in RFC 8439 with
// the block counter starting at 0. Callers create them with
// chacha20.NewUnauthenticatedCipher directly (it fails only for wrong
// sizes), so that the inlined constructor keeps the cipher on their stack.
var zeroNonce [chacha20.NonceSize]byte

// lionessKeys are the four round keys of LIONESS.
type lionessKeys [4][32]byte

// expandLioness derives the round keys of a LIONESS key:
//
//	K1 ‖ K2 = BLAKE2b-512("murmur/sphinx/v1 lioness" ‖ 0 ‖ key)
//	K3 ‖ K4 = BLAKE2b-512("murmur/sphinx/v1 lioness" ‖ 1 ‖ key)
func expandLioness(k *lionessKeys, key *[32]byte) {
	var in [len(lionessKDFLabel) + 1 + 32]byte
	copy(in[:], lionessKDFLabel)
	copy(in[len(lionessKDFLabel)+1:], key[:])
	out := blake2b.Sum512(in[:])
	copy(k[0][:], out[:32])
	copy(k[1][:], out[32:])
	in[len(lionessKDFLabel)] = 1
	out = blake2b.Sum512(in[:])
	copy(k[2][:], out[:32])
	copy(k[3][:], out[32:])
	clear(out[:])
	clear(in[:])
}

// LIONESS (Anderson and Biham, 1996) over a block L ‖ R with |L| = 32:
//
//	encrypt: R ^= S(K1 ^ L); L ^= H(K2, R); R ^= S(K3 ^ L); L ^= H(K4, R)
//	decrypt: L ^= H(K4, R); R ^= S(K3 ^ L); L ^= H(K2, R); R ^= S(K1 ^ L)
//
// S(k) is the ChaCha20 keystream of key k and H(K, R) = BLAKE2b-256(K ‖ R).
// It is a strong pseudorandom permutation of the whole block: changing any
// bit of a ciphertext turns the whole decryption into noise.

func lionessStreamRound(k *[32]byte, block []byte) {
	var key [32]byte
	for i := range key {
		key[i] = k[i] ^ block[i]
	}
	s, _ := chacha20.NewUnauthenticatedCipher(key[:], zeroNonce[:])
	s.XORKeyStream(block[32:], block[32:])
	clear(key[:])
}

func lionessHashRound(k *[32]byte, block []byte) {
	h := prefixKeyedHash(k, block)
	for i := range h {
		block[i] ^= h[i]
	}
}

// lionessEncrypt encrypts block (at least 33 bytes) in place.
func lionessEncrypt(key *[32]byte, block []byte) {
	var k lionessKeys
	expandLioness(&k, key)
	lionessStreamRound(&k[0], block)
	lionessHashRound(&k[1], block)
	lionessStreamRound(&k[2], block)
	lionessHashRound(&k[3], block)
	clear(k[:])
}

// lionessDecrypt decrypts block (at least 33 bytes) in place.
func lionessDecrypt(key *[32]byte, block []byte) {
	var k lionessKeys
	expandLioness(&k, key)
	lionessHashRound(&k[3], block)
	lionessStreamRound(&k[2], block)
	lionessHashRound(&k[1], block)
	lionessStreamRound(&k[0], block)
	clear(k[:])
}
