package sphinx

import (
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"io"

	"filippo.io/edwards25519"
	"golang.org/x/crypto/chacha20"
)

// Hop is one step of a path: the node, its Sphinx public key for the
// current epoch, and what it must do with the packet.
type Hop struct {
	ID        NodeID
	PublicKey PublicKey
	// Command is a [Relay] naming the next hop's ID on every hop but the
	// last, and a [Deliver], [SURBReply] or [Drop] on the last.
	Command Command
}

// NewPacket builds a packet that travels along path and delivers payload,
// which is at most g.PayloadSize bytes, to the final hop. The packet goes to
// path[0].ID. rand must be a cryptographically secure source (use
// [crypto/rand.Reader]); a packet is fully determined by its inputs and the
// bytes read from rand.
//
// The path may be shorter than g.Hops: the header is padded so that no hop,
// the final one included, learns how many hops the path has.
func NewPacket(rand io.Reader, g Geometry, path []Hop, payload []byte) ([]byte, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if len(payload) > g.PayloadSize {
		return nil, fmt.Errorf("%w: %d bytes, geometry allows %d", ErrPayloadTooLarge, len(payload), g.PayloadSize)
	}
	if err := checkPath(g, path); err != nil {
		return nil, err
	}
	packet := make([]byte, g.PacketSize())
	keys, err := buildHeader(rand, g, path, packet[:g.HeaderSize()])
	if err != nil {
		return nil, err
	}
	encryptPayload(g, keys, packet, payload)
	return packet, nil
}

// HopSecret is what a sender shares with one hop of a path: the group
// element α_i the hop receives and the X25519 shared secret s_i = [y_i]P_i
// (docs/spec/sphinx.md, "Sender").
type HopSecret struct {
	Alpha  [32]byte
	Secret [32]byte
}

// NewPacketFromSecrets builds the packet that [NewPacket] builds, for a
// sender that ran the key chain itself: chain[i] is hop i's [HopSecret],
// computed from an ephemeral key as the spec says. The browser client does
// so because its X25519 is WebCrypto's, native code that the WebAssembly
// core can only reach asynchronously. rand gives the header's padding
// (NewPacket reads the same bytes after the 32 of the ephemeral key).
//
// A chain that does not follow the spec gives a packet that the first hop
// with a wrong secret refuses, its MAC failing; nothing here can tell.
func NewPacketFromSecrets(rand io.Reader, g Geometry, path []Hop, chain []HopSecret, payload []byte) ([]byte, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if len(payload) > g.PayloadSize {
		return nil, fmt.Errorf("%w: %d bytes, geometry allows %d", ErrPayloadTooLarge, len(payload), g.PayloadSize)
	}
	if err := checkPath(g, path); err != nil {
		return nil, err
	}
	if len(chain) != len(path) {
		return nil, fmt.Errorf("%w: %d hop secrets for %d hops", ErrInvalidPath, len(chain), len(path))
	}
	gh := g.Hash()
	keys := make([]hopKeys, len(path))
	for i := range chain {
		deriveHopKeys(&keys[i], &gh, &chain[i].Alpha, &chain[i].Secret)
	}
	packet := make([]byte, g.PacketSize())
	if err := wrapHeader(rand, g, path, keys, &chain[0].Alpha, packet[:g.HeaderSize()]); err != nil {
		clear(keys)
		return nil, err
	}
	encryptPayload(g, keys, packet, payload)
	return packet, nil
}

// encryptPayload writes payload into packet's payload block, encrypted in
// one LIONESS layer per hop, and erases keys.
func encryptPayload(g Geometry, keys []hopKeys, packet, payload []byte) {
	block := packet[g.HeaderSize():]
	encodePayload(block, payload)
	for i := len(keys) - 1; i >= 0; i-- {
		lionessEncrypt(&keys[i].payload, block)
	}
	clear(keys)
}

// checkPath checks the length of path and the commands of its hops.
func checkPath(g Geometry, path []Hop) error {
	n := len(path)
	if n == 0 || n > g.Hops {
		return fmt.Errorf("%w: %d hops, geometry allows 1 to %d", ErrInvalidPath, n, g.Hops)
	}
	for i, h := range path {
		if h.Command == nil {
			return fmt.Errorf("%w: hop %d has no command", ErrInvalidPath, i)
		}
		if h.Command.encodedLen() > g.commandSize() {
			return fmt.Errorf("%w: hop %d: command does not fit the geometry", ErrInvalidPath, i)
		}
		if i == n-1 {
			if !isFinal(h.Command) {
				return fmt.Errorf("%w: final hop has command type 0x%02x, want Deliver, SURBReply or Drop",
					ErrInvalidPath, h.Command.Type())
			}
			continue
		}
		r, ok := h.Command.(Relay)
		if !ok {
			return fmt.Errorf("%w: hop %d has command type 0x%02x, want Relay", ErrInvalidPath, i, h.Command.Type())
		}
		if r.Next != path[i+1].ID {
			return fmt.Errorf("%w: hop %d relays to a node that is not hop %d", ErrInvalidPath, i, i+1)
		}
	}
	return nil
}

// maxScalarAttempts bounds the retries for errUnluckyScalar, which has
// probability about 2^-125 per hop; reaching the bound means a broken rand.
const maxScalarAttempts = 4

// buildHeader writes into header (g.HeaderSize() bytes) the header of a
// packet for path, which checkPath accepted, and returns the keys of each
// hop. It reads 32 bytes from rand for the ephemeral key r (again on the rare
// retry) and then (g.Hops-len(path))·g.RoutingInfoSize bytes of padding.
func buildHeader(rand io.Reader, g Geometry, path []Hop, header []byte) ([]hopKeys, error) {
	gh := g.Hash()
	n := len(path)
	keys := make([]hopKeys, n)
	var alpha0 [32]byte
	var err error
	for range maxScalarAttempts {
		var r [32]byte
		if _, err := io.ReadFull(rand, r[:]); err != nil {
			return nil, fmt.Errorf("sphinx: reading randomness: %w", err)
		}
		alpha0, err = deriveSenderKeys(keys, &gh, path, &r)
		clear(r[:])
		if err != errUnluckyScalar {
			break
		}
	}
	if err != nil {
		clear(keys)
		return nil, err
	}
	if err := wrapHeader(rand, g, path, keys, &alpha0, header); err != nil {
		clear(keys)
		return nil, err
	}
	return keys, nil
}

// wrapHeader writes into header the header of a packet for path whose hops
// have keys and whose first hop receives alpha0, reading the padding from
// rand.
func wrapHeader(rand io.Reader, g Geometry, path []Hop, keys []hopKeys, alpha0 *[32]byte, header []byte) error {
	n := len(path)
	S := g.RoutingInfoSize
	B := g.routingSize()
	// streams[i] is hop i's routing-information keystream ρ_i, B+S bytes.
	streams := make([]byte, n*(B+S))
	for i := range n {
		c, _ := chacha20.NewUnauthenticatedCipher(keys[i].header[:], zeroNonce[:])
		c.XORKeyStream(streams[i*(B+S):(i+1)*(B+S)], streams[i*(B+S):(i+1)*(B+S)])
	}
	rho := func(i int) []byte { return streams[i*(B+S) : (i+1)*(B+S)] }

	// The filler φ is what the hops before the last one shift into the
	// end of β: after hop i-1, the last i·S bytes of β are φ_i.
	filler := make([]byte, 0, (n-1)*S)
	for i := 1; i < n; i++ {
		filler = append(filler, make([]byte, S)...)
		xorBytes(filler, rho(i - 1)[B-(i-1)*S:])
	}

	// β of the final hop: its command, random padding, the filler.
	room := header[:GroupElementSize+B] // 32 bytes of room for the MAC key, then β
	beta := room[GroupElementSize:]
	clear(beta[:S])
	path[n-1].Command.put(beta[:path[n-1].Command.encodedLen()])
	if _, err := io.ReadFull(rand, beta[S:B-(n-1)*S]); err != nil {
		return fmt.Errorf("sphinx: reading randomness: %w", err)
	}
	xorBytes(beta[:B-(n-1)*S], rho(n-1))
	copy(beta[B-(n-1)*S:], filler)
	gamma := headerMAC(&keys[n-1].mac, room)

	// Wrap the other hops from the last to the first.
	for i := n - 2; i >= 0; i-- {
		copy(beta[S:], beta[:B-S])
		clear(beta[:S])
		path[i].Command.put(beta[:path[i].Command.encodedLen()])
		copy(beta[S-MACSize:S], gamma[:])
		xorBytes(beta, rho(i))
		gamma = headerMAC(&keys[i].mac, room)
	}
	copy(header[:GroupElementSize], alpha0[:])
	copy(header[GroupElementSize+B:], gamma[:])
	clear(streams)
	return nil
}

// deriveSenderKeys computes the keys of every hop of path from the
// ephemeral secret r and returns α_0 = X25519(r, 9).
//
// With y_0 = clamp(r) and y_(i+1) = y_i·clamp(b_i) mod ℓ, where b_i is
// hop i's blinding key, hop i receives α_i = [y_i]G and shares
// s_i = [y_i]P_i with the sender. Keeping the product y_i (arithmetic
// mod ℓ with filippo.io/edwards25519's Scalar) costs the sender two scalar
// multiplications per hop, the same as a relay.
func deriveSenderKeys(keys []hopKeys, gh *[32]byte, path []Hop, r *[32]byte) (alpha0 [32]byte, err error) {
	var y, b edwards25519.Scalar
	setClamped(&y, r)
	for i := range path {
		e, ok := x25519Scalar(&y)
		if !ok {
			return alpha0, errUnluckyScalar
		}
		var alpha, secret [32]byte
		x25519Base(&alpha, &e)
		pub := [32]byte(path[i].PublicKey)
		if !x25519Shared(&secret, &e, &pub) {
			return alpha0, fmt.Errorf("%w: hop %d has a low-order public key", ErrInvalidPath, i)
		}
		if i == 0 {
			alpha0 = alpha
		}
		deriveHopKeys(&keys[i], gh, &alpha, &secret)
		clear(secret[:])
		clear(e[:])
		y.Multiply(&y, setClamped(&b, &keys[i].blind))
	}
	y, b = edwards25519.Scalar{}, edwards25519.Scalar{}
	return alpha0, nil
}

// xorBytes sets dst[i] ^= src[i] for i < len(dst); src must be as long.
func xorBytes(dst, src []byte) {
	subtle.XORBytes(dst, dst, src[:len(dst)])
}

// encodePayload writes the payload plaintext: 16 zero bytes, the length of
// payload as 4 bytes big-endian, payload, zero padding.
func encodePayload(block, payload []byte) {
	clear(block[:payloadTagSize])
	binary.BigEndian.PutUint32(block[payloadTagSize:], uint32(len(payload)))
	n := copy(block[PayloadOverhead:], payload)
	clear(block[PayloadOverhead+n:])
}

// decodePayload checks a decrypted payload block and returns the user
// payload within it, or ErrPayloadTampered.
func decodePayload(block []byte) ([]byte, error) {
	var acc byte
	for _, b := range block[:payloadTagSize] {
		acc |= b
	}
	n := binary.BigEndian.Uint32(block[payloadTagSize:])
	if acc != 0 || uint64(n) > uint64(len(block)-PayloadOverhead) {
		return nil, ErrPayloadTampered
	}
	return block[PayloadOverhead : PayloadOverhead+int(n)], nil
}
