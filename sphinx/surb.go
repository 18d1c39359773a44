package sphinx

import (
	"fmt"
	"io"
)

// A SURB (single-use reply block) lets its holder send one packet to the
// receiver who made it without learning the path, the receiver's provider
// or its mailbox. The receiver makes it with [NewSURB], hands it over (for
// example inside a message, encoded with [SURB.MarshalBinary]) and keeps
// the matching [SURBKeys]. The holder sends a reply with
// [NewPacketFromSURB].
//
// A SURB carries a complete packet header, so every hop of its path sees
// the same replay tag each time it is used: a second use is dropped as a
// replay. Use each SURB once, within the epochs of its hops' keys.
type SURB struct {
	g        Geometry
	firstHop NodeID
	key      [32]byte // LIONESS key of the reply's innermost layer
	header   []byte
}

// SURBKeys are what the receiver of a SURB keeps to read the reply.
type SURBKeys struct {
	g    Geometry
	id   SURBID
	key  [32]byte   // LIONESS key of the innermost layer, as in the SURB
	hops [][32]byte // payload key of each hop of the path
}

// NewSURB builds a reply block for path, which must end with a
// [SURBReply] command at the receiver's provider, and the keys to decrypt
// the reply. rand must be a cryptographically secure source; like
// [NewPacket], it reads the ephemeral key and padding, then 32 bytes of
// payload key.
func NewSURB(rand io.Reader, g Geometry, path []Hop) (*SURB, *SURBKeys, error) {
	if err := g.Validate(); err != nil {
		return nil, nil, err
	}
	if err := checkPath(g, path); err != nil {
		return nil, nil, err
	}
	reply, ok := path[len(path)-1].Command.(SURBReply)
	if !ok {
		return nil, nil, fmt.Errorf("%w: a SURB's final command must be SURBReply", ErrInvalidPath)
	}
	header := make([]byte, g.HeaderSize())
	keys, err := buildHeader(rand, g, path, header)
	if err != nil {
		return nil, nil, err
	}
	s := &SURB{g: g, firstHop: path[0].ID, header: header}
	k := &SURBKeys{g: g, id: reply.ID, hops: make([][32]byte, len(keys))}
	for i := range keys {
		k.hops[i] = keys[i].payload
	}
	clear(keys)
	if _, err := io.ReadFull(rand, s.key[:]); err != nil {
		return nil, nil, fmt.Errorf("sphinx: reading randomness: %w", err)
	}
	k.key = s.key
	return s, k, nil
}

// Geometry returns the geometry of the packets s makes. A sender should
// check that it is its network's.
func (s *SURB) Geometry() Geometry { return s.g }

// FirstHop returns the node to which a reply made with s must be sent.
func (s *SURB) FirstHop() NodeID { return s.firstHop }

// NewPacketFromSURB builds the reply packet that carries payload (at most
// s.Geometry().PayloadSize bytes) along the SURB's path. The packet must be
// sent to firstHop.
func NewPacketFromSURB(s *SURB, payload []byte) (firstHop NodeID, packet []byte, err error) {
	g := s.g
	if g.Validate() != nil || len(s.header) != g.HeaderSize() {
		return NodeID{}, nil, fmt.Errorf("%w: not made by NewSURB or UnmarshalBinary", ErrInvalidSURB)
	}
	if len(payload) > g.PayloadSize {
		return NodeID{}, nil, fmt.Errorf("%w: %d bytes, geometry allows %d", ErrPayloadTooLarge, len(payload), g.PayloadSize)
	}
	packet = make([]byte, g.PacketSize())
	copy(packet, s.header)
	block := packet[g.HeaderSize():]
	encodePayload(block, payload)
	lionessEncrypt(&s.key, block)
	return s.firstHop, packet, nil
}

// ID returns the ID carried by the SURB's [SURBReply] command, which the
// receiver's provider stores with the reply.
func (k *SURBKeys) ID() SURBID { return k.id }

// Decrypt opens a reply: payload is the [Result.Payload] that the final
// hop returned for the [SURBReply] command. It returns
// [ErrPayloadTampered] if the reply was modified on the way or these are
// not the keys of its SURB. payload is not modified.
func (k *SURBKeys) Decrypt(payload []byte) ([]byte, error) {
	if k.g.Validate() != nil || len(k.hops) == 0 {
		return nil, fmt.Errorf("%w: keys not made by NewSURB or UnmarshalBinary", ErrInvalidSURB)
	}
	if len(payload) != k.g.payloadBlockSize() {
		return nil, fmt.Errorf("%w: reply payload is %d bytes, want %d", ErrPacketSize, len(payload), k.g.payloadBlockSize())
	}
	block := append([]byte(nil), payload...)
	// The hops removed layers π_0, …, π_(n-1) in turn; put them back in
	// reverse order, then remove the sender's layer.
	for i := len(k.hops) - 1; i >= 0; i-- {
		lionessEncrypt(&k.hops[i], block)
	}
	lionessDecrypt(&k.key, block)
	return decodePayload(block)
}

// surbVersion is the first byte of the encodings of SURB and SURBKeys.
const surbVersion = 0x01

// MarshalBinary encodes s:
//
//	version (1 byte, 0x01) ‖ geometry (7 bytes) ‖ first hop (32) ‖ key (32) ‖ header
//
// where geometry is Hops (1 byte), RoutingInfoSize (2), PayloadSize (4),
// big-endian, and header is HeaderSize bytes.
func (s *SURB) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, 1+geometryEncodingSize+32+32+len(s.header))
	b = append(b, surbVersion)
	b = s.g.appendBinary(b)
	b = append(b, s.firstHop[:]...)
	b = append(b, s.key[:]...)
	return append(b, s.header...), nil
}

// UnmarshalBinary decodes what [SURB.MarshalBinary] produced. It returns
// an error wrapping [ErrInvalidSURB] for any other input.
func (s *SURB) UnmarshalBinary(b []byte) error {
	g, rest, err := parseSURBPrefix(b)
	if err != nil {
		return err
	}
	if len(rest) != 32+32+g.HeaderSize() {
		return fmt.Errorf("%w: %d bytes after the geometry, want %d", ErrInvalidSURB, len(rest), 32+32+g.HeaderSize())
	}
	*s = SURB{
		g:        g,
		firstHop: NodeID(rest[:32]),
		key:      [32]byte(rest[32:64]),
		header:   append([]byte(nil), rest[64:]...),
	}
	return nil
}

// MarshalBinary encodes k:
//
//	version (1 byte, 0x01) ‖ geometry (7 bytes) ‖ ID (16) ‖ key (32) ‖ n (1) ‖ n hop keys (32 each)
func (k *SURBKeys) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, 1+geometryEncodingSize+16+32+1+32*len(k.hops))
	b = append(b, surbVersion)
	b = k.g.appendBinary(b)
	b = append(b, k.id[:]...)
	b = append(b, k.key[:]...)
	b = append(b, byte(len(k.hops)))
	for i := range k.hops {
		b = append(b, k.hops[i][:]...)
	}
	return b, nil
}

// UnmarshalBinary decodes what [SURBKeys.MarshalBinary] produced. It
// returns an error wrapping [ErrInvalidSURB] for any other input.
func (k *SURBKeys) UnmarshalBinary(b []byte) error {
	g, rest, err := parseSURBPrefix(b)
	if err != nil {
		return err
	}
	if len(rest) < 16+32+1 {
		return fmt.Errorf("%w: truncated", ErrInvalidSURB)
	}
	n := int(rest[48])
	if n < 1 || n > g.Hops {
		return fmt.Errorf("%w: %d hops, geometry allows 1 to %d", ErrInvalidSURB, n, g.Hops)
	}
	if len(rest) != 16+32+1+32*n {
		return fmt.Errorf("%w: wrong length", ErrInvalidSURB)
	}
	*k = SURBKeys{g: g, id: SURBID(rest[:16]), key: [32]byte(rest[16:48]), hops: make([][32]byte, n)}
	for i := range k.hops {
		k.hops[i] = [32]byte(rest[49+32*i:])
	}
	return nil
}

// parseSURBPrefix reads the version and geometry that open both encodings.
func parseSURBPrefix(b []byte) (Geometry, []byte, error) {
	if len(b) < 1+geometryEncodingSize {
		return Geometry{}, nil, fmt.Errorf("%w: truncated", ErrInvalidSURB)
	}
	if b[0] != surbVersion {
		return Geometry{}, nil, fmt.Errorf("%w: unknown version 0x%02x", ErrInvalidSURB, b[0])
	}
	g, err := parseGeometry(b[1:])
	if err != nil {
		return Geometry{}, nil, fmt.Errorf("%w: %w", ErrInvalidSURB, err)
	}
	return g, b[1+geometryEncodingSize:], nil
}
