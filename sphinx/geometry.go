package sphinx

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
)

// Sizes fixed by version 1 of the construction.
const (
	// GroupElementSize is the size of the header's group element α (an
	// X25519 public key).
	GroupElementSize = 32
	// MACSize is the size of a header MAC γ.
	MACSize = 16
	// payloadTagSize is the number of zero bytes that open the payload
	// plaintext so that the final recipient detects tampering.
	payloadTagSize = 16
	// payloadLenSize is the size of the big-endian length of the user
	// payload that follows the zero bytes.
	payloadLenSize = 4
	// PayloadOverhead is what the payload block adds to the user payload.
	PayloadOverhead = payloadTagSize + payloadLenSize
)

// Limits enforced by [Geometry.Validate].
const (
	MaxHops = 32
	// MinRoutingInfoSize fits the largest command of version 1
	// ([SURBReply]) and a MAC.
	MinRoutingInfoSize = MACSize + maxCommandSize
	MaxRoutingInfoSize = 1024
	MinPayloadSize     = 16
	MaxPayloadSize     = 1 << 20
)

// Geometry fixes the sizes of every packet of a network. All nodes and
// clients of one network use the same geometry; the network announces its
// [Geometry.Hash]. A Geometry is a plain value: compare it with ==.
type Geometry struct {
	// Hops is the maximum number of hops of a path, final hop included.
	// Shorter paths are padded so that no hop learns the path length.
	Hops int
	// PayloadSize is the largest user payload, in bytes. Every packet
	// carries this many bytes of payload space (plus [PayloadOverhead]).
	PayloadSize int
	// RoutingInfoSize is the per-hop routing information, in bytes: one
	// encoded command, zero-padded, followed by a [MACSize]-byte MAC for the
	// next hop. At least [MinRoutingInfoSize]; more leaves room for command
	// types added later.
	RoutingInfoSize int
}

// DefaultGeometry returns the geometry of a default Murmur network: 5 hops,
// 2 KiB of user payload and 80 bytes of routing information per hop, so a
// packet is 2516 bytes long.
func DefaultGeometry() Geometry {
	return Geometry{Hops: 5, PayloadSize: 2048, RoutingInfoSize: 80}
}

// Validate reports whether g is usable, wrapping [ErrInvalidGeometry].
func (g Geometry) Validate() error {
	switch {
	case g.Hops < 1 || g.Hops > MaxHops:
		return fmt.Errorf("%w: Hops %d not in [1, %d]", ErrInvalidGeometry, g.Hops, MaxHops)
	case g.RoutingInfoSize < MinRoutingInfoSize || g.RoutingInfoSize > MaxRoutingInfoSize:
		return fmt.Errorf("%w: RoutingInfoSize %d not in [%d, %d]", ErrInvalidGeometry,
			g.RoutingInfoSize, MinRoutingInfoSize, MaxRoutingInfoSize)
	case g.PayloadSize < MinPayloadSize || g.PayloadSize > MaxPayloadSize:
		return fmt.Errorf("%w: PayloadSize %d not in [%d, %d]", ErrInvalidGeometry,
			g.PayloadSize, MinPayloadSize, MaxPayloadSize)
	}
	return nil
}

// routingSize is the size of β, the encrypted routing information.
func (g Geometry) routingSize() int { return g.Hops * g.RoutingInfoSize }

// HeaderSize is the size of a packet header: group element α, routing
// information β and MAC γ.
func (g Geometry) HeaderSize() int { return GroupElementSize + g.routingSize() + MACSize }

// payloadBlockSize is the size of the encrypted payload δ.
func (g Geometry) payloadBlockSize() int { return g.PayloadSize + PayloadOverhead }

// PacketSize is the size of every packet of this geometry.
func (g Geometry) PacketSize() int { return g.HeaderSize() + g.payloadBlockSize() }

// commandSize is the room for a command in one hop's routing information.
func (g Geometry) commandSize() int { return g.RoutingInfoSize - MACSize }

// geometryEncodingSize is the size of Geometry.appendBinary's output.
const geometryEncodingSize = 1 + 2 + 4

// appendBinary appends the canonical encoding of a valid geometry:
// Hops (1 byte), RoutingInfoSize (2 bytes), PayloadSize (4 bytes), big-endian.
func (g Geometry) appendBinary(b []byte) []byte {
	b = append(b, byte(g.Hops))
	b = binary.BigEndian.AppendUint16(b, uint16(g.RoutingInfoSize))
	return binary.BigEndian.AppendUint32(b, uint32(g.PayloadSize))
}

// parseGeometry reads what appendBinary wrote and validates it.
func parseGeometry(b []byte) (Geometry, error) {
	if len(b) < geometryEncodingSize {
		return Geometry{}, fmt.Errorf("%w: truncated", ErrInvalidGeometry)
	}
	g := Geometry{
		Hops:            int(b[0]),
		RoutingInfoSize: int(binary.BigEndian.Uint16(b[1:])),
		PayloadSize:     int(binary.BigEndian.Uint32(b[3:])),
	}
	return g, g.Validate()
}

// geometryHashLabel names the construction; it changes with any change to
// the wire format, and so does every geometry hash.
const geometryHashLabel = "murmur/sphinx/v1 geometry"

// Hash identifies the geometry and the version of the construction: SHA-256
// of "murmur/sphinx/v1 geometry" followed by Hops (1 byte),
// RoutingInfoSize (2 bytes) and PayloadSize (4 bytes), big-endian. It is
// stable across releases as long as the wire format does not change, and
// every key derivation is bound to it, so that packets of one geometry
// fail the MAC check under another. The result is meaningful only for a
// valid geometry.
func (g Geometry) Hash() [32]byte {
	var buf [len(geometryHashLabel) + geometryEncodingSize]byte
	b := append(buf[:0], geometryHashLabel...)
	b = g.appendBinary(b)
	return sha256.Sum256(b)
}
