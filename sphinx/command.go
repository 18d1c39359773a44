package sphinx

import "encoding/binary"

// NodeID names a relay: its libp2p Ed25519 public key.
type NodeID [32]byte

// MailboxID names a mailbox at a provider.
type MailboxID [32]byte

// SURBID names a single-use reply block, so that its receiver finds the
// [SURBKeys] that decrypt a reply.
type SURBID [16]byte

// CommandType is the first byte of an encoded command. Version 1 defines
// the types below; a node rejects any other with [ErrUnknownCommand]. New
// command types get new numbers: a number is never reused with another
// meaning, so the encoding stays backward compatible as it grows.
type CommandType byte

// Command types of version 1. Zero is never a valid type, so that an
// all-zero routing slot does not decode.
const (
	CommandRelay     CommandType = 0x01
	CommandDeliver   CommandType = 0x02
	CommandSURBReply CommandType = 0x03
	CommandDrop      CommandType = 0x04
)

// Encoded sizes, type byte included.
const (
	relaySize     = 1 + 32 + 4
	deliverSize   = 1 + 32
	surbReplySize = 1 + 32 + 16
	dropSize      = 1

	maxCommandSize = surbReplySize
)

// A Command tells one hop what to do with a packet. It is one of [Relay],
// [Deliver], [SURBReply] and [Drop]; the set is closed and grows only with
// new versions of this package.
//
// On the wire a command is its type byte followed by a fixed-size body
// (big-endian integers), zero-padded to the room the geometry gives it.
type Command interface {
	// Type returns the command's type byte.
	Type() CommandType
	// put writes the encoding into b, which is exactly encodedLen bytes.
	put(b []byte)
	encodedLen() int
}

// Relay tells an intermediate hop to forward the packet to Next after
// holding it for Delay milliseconds.
type Relay struct {
	Next  NodeID
	Delay uint32 // milliseconds
}

// Deliver tells the final hop (a provider) to store the payload in Mailbox.
type Deliver struct {
	Mailbox MailboxID
}

// SURBReply tells the final hop (the receiver's provider) that the packet
// is a reply sent with a SURB: store the still-encrypted payload in Mailbox,
// together with ID, for the receiver to decrypt with [SURBKeys.Decrypt].
type SURBReply struct {
	Mailbox MailboxID
	ID      SURBID
}

// Drop tells the final hop to discard the packet: cover traffic.
type Drop struct{}

func (Relay) Type() CommandType     { return CommandRelay }
func (Deliver) Type() CommandType   { return CommandDeliver }
func (SURBReply) Type() CommandType { return CommandSURBReply }
func (Drop) Type() CommandType      { return CommandDrop }

func (Relay) encodedLen() int     { return relaySize }
func (Deliver) encodedLen() int   { return deliverSize }
func (SURBReply) encodedLen() int { return surbReplySize }
func (Drop) encodedLen() int      { return dropSize }

func (c Relay) put(b []byte) {
	b[0] = byte(CommandRelay)
	copy(b[1:33], c.Next[:])
	binary.BigEndian.PutUint32(b[33:37], c.Delay)
}

func (c Deliver) put(b []byte) {
	b[0] = byte(CommandDeliver)
	copy(b[1:33], c.Mailbox[:])
}

func (c SURBReply) put(b []byte) {
	b[0] = byte(CommandSURBReply)
	copy(b[1:33], c.Mailbox[:])
	copy(b[33:49], c.ID[:])
}

func (Drop) put(b []byte) { b[0] = byte(CommandDrop) }

// isFinal reports whether c may end a path.
func isFinal(c Command) bool {
	switch c.(type) {
	case Deliver, SURBReply, Drop:
		return true
	}
	return false
}

// AppendCommand appends the encoding of c (without padding) to b.
func AppendCommand(b []byte, c Command) []byte {
	n := len(b)
	b = append(b, make([]byte, c.encodedLen())...)
	c.put(b[n:])
	return b
}

// DecodeCommand decodes a command from b, which may carry zero padding
// after the command (as a routing slot does). It returns
// [ErrUnknownCommand] for an unknown type byte and [ErrInvalidCommand] for
// a short body or non-zero padding. The errors are the bare sentinels, so
// that decoding allocates nothing on the packet path.
func DecodeCommand(b []byte) (Command, error) {
	if len(b) == 0 {
		return nil, ErrInvalidCommand
	}
	var n int
	switch CommandType(b[0]) {
	case CommandRelay:
		n = relaySize
	case CommandDeliver:
		n = deliverSize
	case CommandSURBReply:
		n = surbReplySize
	case CommandDrop:
		n = dropSize
	default:
		return nil, ErrUnknownCommand
	}
	if len(b) < n {
		return nil, ErrInvalidCommand
	}
	var pad byte
	for _, x := range b[n:] {
		pad |= x
	}
	if pad != 0 {
		return nil, ErrInvalidCommand
	}
	switch CommandType(b[0]) {
	case CommandRelay:
		return Relay{Next: NodeID(b[1:33]), Delay: binary.BigEndian.Uint32(b[33:37])}, nil
	case CommandDeliver:
		return Deliver{Mailbox: MailboxID(b[1:33])}, nil
	case CommandSURBReply:
		return SURBReply{Mailbox: MailboxID(b[1:33]), ID: SURBID(b[33:49])}, nil
	default:
		return Drop{}, nil
	}
}
