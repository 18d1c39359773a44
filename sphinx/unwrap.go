package sphinx

import (
	"crypto/subtle"

	"golang.org/x/crypto/chacha20"
)

// ReplayTag identifies a packet at one hop for replay detection: two
// packets with the same tag under the same key are the same packet. See
// [ReplaySet].
type ReplayTag [32]byte

// Result is what a hop learns from a packet.
type Result struct {
	// Command is what this hop must do.
	Command Command
	// Packet is the packet to forward to the next hop, for a [Relay]
	// command; nil otherwise. It aliases the buffer given to Unwrap.
	Packet []byte
	// Payload is set at the final hop; it aliases the buffer given to
	// Unwrap. For [Deliver] and [Drop] it is the user payload, checked for
	// tampering. For [SURBReply] it is the reply still encrypted under the
	// SURB's keys, g.PayloadSize+PayloadOverhead bytes, to be stored in the
	// mailbox and opened by [SURBKeys.Decrypt].
	Payload []byte
	// Tag is the packet's replay tag at this hop. Check it with
	// [ReplaySet.CheckAndAdd] before acting on the packet.
	Tag ReplayTag
}

// Processor unwraps packets of one geometry at a relay. It holds no
// mutable state and is safe for concurrent use by any number of goroutines.
// Make one with [NewProcessor]; the zero value is not usable.
type Processor struct {
	g  Geometry
	gh [32]byte
}

// NewProcessor returns a Processor for packets of geometry g.
func NewProcessor(g Geometry) (*Processor, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	return &Processor{g: g, gh: g.Hash()}, nil
}

// Geometry returns the geometry of p.
func (p *Processor) Geometry() Geometry { return p.g }

// Unwrap removes one layer of a packet with the hop's private key. It
// works in place: packet is overwritten, and the returned Packet or
// Payload alias it, so the caller can pass a pooled buffer and forward it
// as it is. Unwrap does not check replays: the caller passes Result.Tag to
// a [ReplaySet].
//
// Any byte string gives an error or a valid result. The errors are
// [ErrPacketSize] and [ErrInvalidMAC], which leave packet untouched, and,
// after the header was found authentic, [ErrUnknownCommand] or
// [ErrInvalidCommand] (a command this version cannot carry out) and, at the
// final hop, [ErrPayloadTampered]; after these three the content of packet
// is unspecified. They are returned bare, never wrapped, so that a flood of
// bad packets costs no allocation. priv must come from [GenerateKey] or
// [NewPrivateKey].
//
// A relay hop costs two X25519 scalar multiplications, one to compute the
// shared secret and one to blind the group element for the next hop; the
// final hop needs only the first.
func (p *Processor) Unwrap(priv *PrivateKey, packet []byte) (Result, error) {
	g := &p.g
	if len(packet) != g.PacketSize() {
		return Result{}, ErrPacketSize
	}
	S := g.RoutingInfoSize
	B := g.routingSize()
	alphaBytes := packet[:GroupElementSize]
	room := packet[:GroupElementSize+B] // α ‖ β; α is the room for the MAC key
	beta := room[GroupElementSize:]
	gamma := packet[GroupElementSize+B : g.HeaderSize()]
	block := packet[g.HeaderSize():]

	alpha := [32]byte(alphaBytes)
	var secret [32]byte
	if !x25519Shared(&secret, (*[32]byte)(&priv.secret), &alpha) {
		// A low-order α gives a secret anyone knows: never trust it.
		return Result{}, ErrInvalidMAC
	}
	var keys hopKeys
	deriveHopKeys(&keys, &p.gh, &alpha, &secret)
	clear(secret[:])
	defer clearHopKeys(&keys)

	mac := headerMAC(&keys.mac, room)
	if subtle.ConstantTimeCompare(mac[:], gamma) != 1 {
		return Result{}, ErrInvalidMAC
	}

	// Decrypt β ‖ 0^S, take the first slot, shift the rest to the front.
	var slot [MaxRoutingInfoSize]byte
	stream, _ := chacha20.NewUnauthenticatedCipher(keys.header[:], zeroNonce[:])
	stream.XORKeyStream(beta, beta)
	copy(slot[:S], beta[:S])
	copy(beta, beta[S:])
	tail := beta[B-S:]
	clear(tail)
	stream.XORKeyStream(tail, tail)

	cmd, err := DecodeCommand(slot[:S-MACSize])
	if err != nil {
		return Result{}, err
	}
	res := Result{Command: cmd, Tag: keys.tag}

	lionessDecrypt(&keys.payload, block)

	switch cmd.(type) {
	case Relay:
		// Blind α for the next hop and take its MAC from the slot.
		// α is not of low order (checked above) and a clamped scalar is not
		// a multiple of ℓ, so the result is never zero.
		var next [32]byte
		x25519Shared(&next, &keys.blind, &alpha)
		copy(alphaBytes, next[:])
		copy(gamma, slot[S-MACSize:S])
		res.Packet = packet
	case SURBReply:
		res.Payload = block
	default: // Deliver, Drop
		payload, err := decodePayload(block)
		if err != nil {
			return Result{}, err
		}
		res.Payload = payload
	}
	return res, nil
}

func clearHopKeys(k *hopKeys) { *k = hopKeys{} }
