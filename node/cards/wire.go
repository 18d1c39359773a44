package cards

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/internal/framing"
	"github.com/murmurnet/murmur/messaging/card"
)

// Protocol is the libp2p protocol between providers: a provider pushes
// its users' new cards to the others, and hands them to one that syncs.
const Protocol = "/murmur/cards/1"

// Message types of Protocol; a TypeStatus (node/wire's encoding) answers
// each request, after the cards of a sync.
const (
	TypePush framing.Type = 0x01 // request: an encoded card naming the pusher as its provider
	TypeSync framing.Type = 0x02 // request: empty; answered by TypeCard messages, then a status
	TypeCard framing.Type = 0x03 // response to a sync: an encoded card
)

// LookupMailbox is the mailbox a card lookup is addressed to at a
// provider: a Deliver there is a question for the directory, never
// stored. It is a hash, so no client's mailbox (another hash, of a peer
// ID) is it.
var LookupMailbox = [32]byte(sha256.Sum256([]byte("murmur card lookup v1")))

// Lookup request and answer versions, their first byte.
const (
	lookupVersion = 1
	answerFound   = 1
	answerNone    = 2
)

// MaxSURB bounds a lookup's reply block, with the epoch it is for.
const MaxSURB = 1 << 12

// EncodeLookup is the payload of a lookup for account, to be answered
// through surb (a client's reply block with its epoch).
func EncodeLookup(account common.Address, surb []byte) ([]byte, error) {
	if len(surb) == 0 || len(surb) > MaxSURB {
		return nil, fmt.Errorf("cards: a reply block of %d bytes", len(surb))
	}
	b := append([]byte{lookupVersion}, account[:]...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(surb)))
	return append(b, surb...), nil
}

// DecodeLookup decodes a lookup payload (which may be padded after its end).
func DecodeLookup(p []byte) (account common.Address, surb []byte, err error) {
	if len(p) < 1+20+2 || p[0] != lookupVersion {
		return account, nil, fmt.Errorf("%w: not a card lookup", framing.ErrMalformed)
	}
	account = common.Address(p[1:21])
	n := int(binary.BigEndian.Uint16(p[21:23]))
	if n == 0 || n > MaxSURB || len(p) < 23+n {
		return account, nil, fmt.Errorf("%w: a lookup's reply block of %d bytes in %d", framing.ErrMalformed, n, len(p)-23)
	}
	return account, p[23 : 23+n], nil
}

// EncodeAnswer is the answer to a lookup: the card, or that none is kept
// (c nil).
func EncodeAnswer(c *card.Signed) ([]byte, error) {
	if c == nil {
		return []byte{answerNone}, nil
	}
	b, err := c.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return append([]byte{answerFound}, b...), nil
}

// DecodeAnswer decodes an answer (which may be padded after its end): the
// card, not yet verified, or ErrNotFound.
func DecodeAnswer(p []byte) (*card.Signed, error) {
	switch {
	case len(p) >= 1 && p[0] == answerNone:
		return nil, ErrNotFound
	case len(p) >= 1+card.EncodedSize && p[0] == answerFound:
		var c card.Signed
		if err := c.UnmarshalBinary(p[1 : 1+card.EncodedSize]); err != nil {
			return nil, fmt.Errorf("%w: %v", framing.ErrMalformed, err)
		}
		return &c, nil
	}
	return nil, fmt.Errorf("%w: not a card answer", framing.ErrMalformed)
}
