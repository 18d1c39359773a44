// Package framing reads and writes the typed, length-prefixed messages that
// Murmur's request/response protocols share: type (1 byte), body length (4
// bytes, big-endian), body. The client protocol (node/wire) and the ticket
// market (payments/market) define their own types on top of it; framing
// knows none of them, so that both can depend on it without depending on
// each other.
//
// A reader bounds the body before it allocates: a body larger than the
// reader accepts is a [*SizeError], which wraps [ErrMalformed], and is left
// unread so that the caller may skip it and answer.
package framing

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ErrMalformed is wrapped by every decoding error caused by bad input, here
// and in the protocols built on framing.
var ErrMalformed = errors.New("wire: malformed message")

// Type is a message type; each protocol names its own.
type Type uint8

// MaxBody bounds any body.
const MaxBody = 4 << 20

// HeaderSize is the size of a message header: type and body length.
const HeaderSize = 5

// WriteMsg writes one message.
func WriteMsg(w io.Writer, t Type, body []byte) error {
	if len(body) > MaxBody {
		return fmt.Errorf("wire: body of %d bytes exceeds %d", len(body), MaxBody)
	}
	var h [HeaderSize]byte
	h[0] = byte(t)
	binary.BigEndian.PutUint32(h[1:], uint32(len(body)))
	if _, err := w.Write(h[:]); err != nil {
		return err
	}
	_, err := w.Write(body)
	return err
}

// ReadMsg reads one message whose body is at most max bytes.
func ReadMsg(r io.Reader, max int) (Type, []byte, error) {
	var h [HeaderSize]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(h[1:])
	if int64(n) > int64(max) || n > MaxBody {
		return 0, nil, &SizeError{Size: n, Max: max}
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return 0, nil, err
	}
	return Type(h[0]), body, nil
}

// SizeError is a message whose body is larger than the reader accepts. It
// wraps ErrMalformed. The body has not been read.
type SizeError struct {
	Size uint32
	Max  int
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("wire: malformed message: body of %d bytes exceeds %d", e.Size, e.Max)
}

// Unwrap makes a SizeError match ErrMalformed.
func (e *SizeError) Unwrap() error { return ErrMalformed }
