// Package wire encodes what Murmur nodes and clients send each other over
// libp2p streams (docs/adr/0006-relay-network.md):
//
//   - on the mix protocol, frames of a fixed size: the epoch whose key
//     wraps the packet (8 bytes, big-endian) followed by the Sphinx packet;
//   - on the client protocol, typed messages: type (1 byte), body length
//     (4 bytes, big-endian), body. A client sends a request and reads one
//     response, then the next request on the same stream.
//
// Every decoder bounds what it reads before it allocates, and rejects
// malformed input with an error wrapping [ErrMalformed].
package wire

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/murmurnet/murmur/internal/framing"
)

// Protocol IDs.
const (
	MixProtocol    = "/murmur/mix/1"
	ClientProtocol = "/murmur/client/1"
)

// ErrMalformed is wrapped by every decoding error caused by bad input.
var ErrMalformed = framing.ErrMalformed

// EpochSize is the size of the epoch prefix of a mix frame.
const EpochSize = 8

// PutFrameEpoch writes the epoch prefix of a mix frame.
func PutFrameEpoch(frame []byte, epoch uint64) { binary.BigEndian.PutUint64(frame, epoch) }

// FrameEpoch reads the epoch prefix of a mix frame.
func FrameEpoch(frame []byte) uint64 { return binary.BigEndian.Uint64(frame) }

// Type is a client-protocol message type; messages are framed by package
// internal/framing.
type Type = framing.Type

// Client-protocol message types. Requests are sent by clients, responses by providers.
const (
	TypeRegister Type = 0x01 // request: empty body; lasts as long as the stream
	TypeSend     Type = 0x02 // request: mix frame (epoch ‖ packet)
	TypeFetch    Type = 0x03 // request: max messages (2 bytes)
	TypeAck      Type = 0x04 // request: count (2 bytes) ‖ ids (8 bytes each)
	TypeForward  Type = 0x05 // request: first hop (32) ‖ mix frame: a SURB packet, passed on unopened
	// TypePublishCard (0x07; 0x06 is TypeSpend) is a request: a contact
	// card (messaging/card encoding) naming the provider and the client's
	// mailbox, for the provider's card directory (node/cards).
	TypePublishCard Type = 0x07
	TypeCheque      Type = 0x20 // relay to relay on the cheque protocol: a JSON cheque.Signed
	TypeTicket      Type = 0x21 // relay to relay on the cheque protocol: a lottery ticket (lottery.Signed binary)
	TypeCommit      Type = 0x22 // relay to relay on the cheque protocol: asks the payee's lottery commitment; empty
	// TypeCommitment follows the status of a TypeTicket or TypeCommit: the
	// 32-byte commitment the payer's next tickets must name.
	TypeCommitment Type = 0x83
	TypeStatus     Type = 0x80 // response: code (1 byte) ‖ reason (UTF-8)
	TypeMessages   Type = 0x81 // response: count (2) ‖ {id (8) ‖ len (4) ‖ payload}...
)

// MaxBody bounds any client-protocol body.
const MaxBody = framing.MaxBody

// WriteMsg writes one message.
func WriteMsg(w io.Writer, t Type, body []byte) error { return framing.WriteMsg(w, t, body) }

// ReadMsg reads one message whose body is at most max bytes.
func ReadMsg(r io.Reader, max int) (Type, []byte, error) { return framing.ReadMsg(r, max) }

// SizeError is a message whose body is larger than the reader accepts. It
// wraps ErrMalformed. The body has not been read.
type SizeError = framing.SizeError

// Status codes of a TypeStatus response.
type Code uint8

// Status codes.
const (
	CodeOK            Code = 0
	CodeMalformed     Code = 1 // the request did not decode
	CodeNotRegistered Code = 2 // the client must register first
	CodeRejected      Code = 3 // the packet was refused (reason says why)
	CodeBusy          Code = 4 // the provider is overloaded; retry later
	CodeUnpaid        Code = 5 // no prepaid balance left
	CodeInternal      Code = 6
)

// Status is a provider's answer to a request.
type Status struct {
	Code   Code
	Reason string
}

// Err returns nil for CodeOK and a *StatusError otherwise.
func (s Status) Err() error {
	if s.Code == CodeOK {
		return nil
	}
	return &StatusError{s}
}

// StatusError is a refusal reported by the provider.
type StatusError struct{ Status Status }

func (e *StatusError) Error() string {
	return fmt.Sprintf("provider refused (code %d): %s", e.Status.Code, e.Status.Reason)
}

// MaxReason bounds a status reason.
const MaxReason = 512

// EncodeStatus encodes a status body.
func EncodeStatus(s Status) []byte {
	r := s.Reason
	if len(r) > MaxReason {
		r = r[:MaxReason]
	}
	return append([]byte{byte(s.Code)}, r...)
}

// DecodeStatus decodes a status body.
func DecodeStatus(b []byte) (Status, error) {
	if len(b) < 1 || len(b) > 1+MaxReason {
		return Status{}, fmt.Errorf("%w: status of %d bytes", ErrMalformed, len(b))
	}
	return Status{Code: Code(b[0]), Reason: string(b[1:])}, nil
}

// EncodeFetch encodes a fetch request for at most max messages.
func EncodeFetch(max uint16) []byte { return binary.BigEndian.AppendUint16(nil, max) }

// DecodeFetch decodes a fetch request.
func DecodeFetch(b []byte) (uint16, error) {
	if len(b) != 2 {
		return 0, fmt.Errorf("%w: fetch of %d bytes", ErrMalformed, len(b))
	}
	return binary.BigEndian.Uint16(b), nil
}

// MaxAck bounds the ids of one ack.
const MaxAck = 1024

// EncodeAck encodes an ack of ids.
func EncodeAck(ids []uint64) []byte {
	b := binary.BigEndian.AppendUint16(nil, uint16(len(ids)))
	for _, id := range ids {
		b = binary.BigEndian.AppendUint64(b, id)
	}
	return b
}

// DecodeAck decodes an ack.
func DecodeAck(b []byte) ([]uint64, error) {
	if len(b) < 2 {
		return nil, fmt.Errorf("%w: ack of %d bytes", ErrMalformed, len(b))
	}
	n := int(binary.BigEndian.Uint16(b))
	if n > MaxAck || len(b) != 2+8*n {
		return nil, fmt.Errorf("%w: ack of %d ids in %d bytes", ErrMalformed, n, len(b))
	}
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = binary.BigEndian.Uint64(b[2+8*i:])
	}
	return ids, nil
}

// Message is one mailbox message in a fetch response.
type Message struct {
	ID      uint64
	Payload []byte
}

// MaxMessages bounds the messages of one fetch response.
const MaxMessages = 512

// EncodeMessages encodes a fetch response.
func EncodeMessages(msgs []Message) []byte {
	b := binary.BigEndian.AppendUint16(nil, uint16(len(msgs)))
	for _, m := range msgs {
		b = binary.BigEndian.AppendUint64(b, m.ID)
		b = binary.BigEndian.AppendUint32(b, uint32(len(m.Payload)))
		b = append(b, m.Payload...)
	}
	return b
}

// DecodeMessages decodes a fetch response.
func DecodeMessages(b []byte) ([]Message, error) {
	if len(b) < 2 {
		return nil, fmt.Errorf("%w: messages of %d bytes", ErrMalformed, len(b))
	}
	n := int(binary.BigEndian.Uint16(b))
	if n > MaxMessages {
		return nil, fmt.Errorf("%w: %d messages", ErrMalformed, n)
	}
	b = b[2:]
	msgs := make([]Message, 0, n)
	for range n {
		if len(b) < 12 {
			return nil, fmt.Errorf("%w: truncated message header", ErrMalformed)
		}
		id := binary.BigEndian.Uint64(b)
		l := binary.BigEndian.Uint32(b[8:])
		b = b[12:]
		if uint64(l) > uint64(len(b)) {
			return nil, fmt.Errorf("%w: message of %d bytes, %d left", ErrMalformed, l, len(b))
		}
		msgs = append(msgs, Message{ID: id, Payload: b[:l:l]})
		b = b[l:]
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrMalformed, len(b))
	}
	return msgs, nil
}

// MailboxOf is the mailbox of the client with libp2p identity peerID:
// SHA-256("murmur-mailbox-v1" ‖ peer ID). A provider serves a mailbox only to
// the peer it belongs to, which the libp2p handshake authenticates.
func MailboxOf(peerID []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte("murmur-mailbox-v1"))
	h.Write(peerID)
	var m [32]byte
	h.Sum(m[:0])
	return m
}

// Mailbox entries start with a kind, so that a client knows how to open them.
const (
	EntryDeliver   byte = 1 // kind ‖ Sphinx payload (sealed end to end)
	EntrySURBReply byte = 2 // kind ‖ SURB id (16) ‖ Sphinx payload (opened with that SURB's keys)
)
