package wire

import (
	"encoding/binary"
	"fmt"
)

// Prepaid packets. A provider that charges for packets keeps a balance of
// prepaid packets per client; the client buys it with tickets
// (payments/tickets) in a Spend request, and every Send or Forward costs
// one packet. With no packets left the provider answers Send and Forward
// with [CodeUnpaid].
//
//	0x06 Spend   request:  empty (a balance query), or
//	                       issuer key (96, compressed G2) ‖ n (2) ‖ n × ticket (88)
//	0x82 Spent   response: balance (8) ‖ credited packets (8) ‖
//	                       m (2) ‖ m × (ticket index (2) ‖ SpendCode (1)) ‖ reason (UTF-8, the rest)
//
// The issuer key is the public key of the tickets' key epoch, exactly as
// the issuer published it; it tells the provider which issuer the tickets
// are from (a ticket names only its key epoch). All n tickets are of that
// key's epoch, 1 to [MaxSpend] of them. The answer lists the refused
// tickets, by index in the request; the others are credited. Balance is
// what the client has after the request. A provider that does not charge
// answers a Spend with a status ([CodeRejected]).
const (
	TypeSpend Type = 0x06
	TypeSpent Type = 0x82
)

// Sizes of the parts of a Spend request. They are those of package
// payments/tickets (a compressed G2 public key, a ticket's wire form); wire
// treats them as opaque bytes.
const (
	IssuerKeySize = 96
	TicketSize    = 88
)

// MaxSpend bounds the tickets of one Spend request.
const MaxSpend = 256

// MaxSpendBody is the largest Spend body.
const MaxSpendBody = IssuerKeySize + 2 + MaxSpend*TicketSize

// SpendCode says why a provider refused one ticket of a Spend.
type SpendCode uint8

// Refusal codes of a Spend. A ticket refused with a code that
// [SpendCode.Retryable] reports was not recorded as spent: the client
// keeps it and may spend it again later. The others are worthless.
const (
	SpendMalformed    SpendCode = 1 // the ticket does not decode, or is not of the named key's epoch
	SpendBadSignature SpendCode = 2 // the signature does not verify under the issuer key: forged or altered
	SpendAlreadySpent SpendCode = 3 // the provider accepted this ticket before
	SpendDuplicate    SpendCode = 4 // the ticket occurs twice in the request
	SpendExpired      SpendCode = 5 // the issuer key has expired
	SpendUnknownKey   SpendCode = 6 // the provider does not know the issuer key (yet): not published, or not by an issuer of the network
	SpendUnavailable  SpendCode = 7 // the provider could not record the ticket; nothing was spent
	numSpendCodes               = 8 // keep last
)

var spendCodeNames = [numSpendCodes]string{
	SpendMalformed:    "malformed",
	SpendBadSignature: "bad_signature",
	SpendAlreadySpent: "already_spent",
	SpendDuplicate:    "duplicate",
	SpendExpired:      "expired",
	SpendUnknownKey:   "unknown_key",
	SpendUnavailable:  "unavailable",
}

// String returns the code's name in snake case (a metric label), or
// "unknown".
func (c SpendCode) String() string {
	if c == 0 || c >= numSpendCodes {
		return "unknown"
	}
	return spendCodeNames[c]
}

// Retryable reports whether a ticket refused with c is still unspent.
func (c SpendCode) Retryable() bool { return c == SpendUnknownKey || c == SpendUnavailable }

// SpendCodes returns every declared code, in order.
func SpendCodes() []SpendCode {
	cs := make([]SpendCode, 0, numSpendCodes-1)
	for c := SpendCode(1); c < numSpendCodes; c++ {
		cs = append(cs, c)
	}
	return cs
}

// Spend is a Spend request: tickets of one issuer key.
type Spend struct {
	IssuerKey [IssuerKeySize]byte
	Tickets   [][]byte // TicketSize bytes each
}

// EncodeSpend encodes a Spend request with 1 to MaxSpend tickets.
func EncodeSpend(s Spend) ([]byte, error) {
	if len(s.Tickets) == 0 || len(s.Tickets) > MaxSpend {
		return nil, fmt.Errorf("wire: spend of %d tickets, want 1 to %d", len(s.Tickets), MaxSpend)
	}
	b := make([]byte, 0, IssuerKeySize+2+TicketSize*len(s.Tickets))
	b = append(b, s.IssuerKey[:]...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(s.Tickets)))
	for _, t := range s.Tickets {
		if len(t) != TicketSize {
			return nil, fmt.Errorf("wire: ticket of %d bytes, want %d", len(t), TicketSize)
		}
		b = append(b, t...)
	}
	return b, nil
}

// DecodeSpend decodes a Spend request. An empty body is a balance query:
// ok is false and so is the error.
func DecodeSpend(b []byte) (s Spend, ok bool, err error) {
	if len(b) == 0 {
		return Spend{}, false, nil
	}
	if len(b) < IssuerKeySize+2 {
		return Spend{}, false, fmt.Errorf("%w: spend of %d bytes", ErrMalformed, len(b))
	}
	copy(s.IssuerKey[:], b)
	n := int(binary.BigEndian.Uint16(b[IssuerKeySize:]))
	rest := b[IssuerKeySize+2:]
	if n == 0 || n > MaxSpend || len(rest) != n*TicketSize {
		return Spend{}, false, fmt.Errorf("%w: spend of %d tickets in %d bytes", ErrMalformed, n, len(rest))
	}
	s.Tickets = make([][]byte, n)
	for i := range s.Tickets {
		s.Tickets[i] = rest[i*TicketSize : (i+1)*TicketSize : (i+1)*TicketSize]
	}
	return s, true, nil
}

// Refusal is one refused ticket of a Spend.
type Refusal struct {
	Index int
	Code  SpendCode
}

// Spent is a provider's answer to a Spend.
type Spent struct {
	// Balance is the client's prepaid packets after the request.
	Balance uint64
	// Credited is what this request added.
	Credited uint64
	// Refused are the refused tickets, in request order.
	Refused []Refusal
	// Reason explains the refusals, for people; at most MaxReason bytes.
	Reason string
}

// EncodeSpent encodes a Spent response.
func EncodeSpent(s Spent) []byte {
	r := s.Reason
	if len(r) > MaxReason {
		r = r[:MaxReason]
	}
	b := make([]byte, 0, 18+3*len(s.Refused)+len(r))
	b = binary.BigEndian.AppendUint64(b, s.Balance)
	b = binary.BigEndian.AppendUint64(b, s.Credited)
	b = binary.BigEndian.AppendUint16(b, uint16(len(s.Refused)))
	for _, f := range s.Refused {
		b = binary.BigEndian.AppendUint16(b, uint16(f.Index))
		b = append(b, byte(f.Code))
	}
	return append(b, r...)
}

// DecodeSpent decodes a Spent response.
func DecodeSpent(b []byte) (Spent, error) {
	if len(b) < 18 {
		return Spent{}, fmt.Errorf("%w: spent of %d bytes", ErrMalformed, len(b))
	}
	s := Spent{Balance: binary.BigEndian.Uint64(b), Credited: binary.BigEndian.Uint64(b[8:])}
	m := int(binary.BigEndian.Uint16(b[16:]))
	rest := b[18:]
	if m > MaxSpend || len(rest) < 3*m || len(rest)-3*m > MaxReason {
		return Spent{}, fmt.Errorf("%w: spent with %d refusals in %d bytes", ErrMalformed, m, len(rest))
	}
	prev := -1
	for i := range m {
		idx := int(binary.BigEndian.Uint16(rest[3*i:]))
		if idx <= prev || idx >= MaxSpend {
			return Spent{}, fmt.Errorf("%w: refusal of ticket %d after %d", ErrMalformed, idx, prev)
		}
		prev = idx
		s.Refused = append(s.Refused, Refusal{Index: idx, Code: SpendCode(rest[3*i+2])})
	}
	s.Reason = string(rest[3*m:])
	return s, nil
}
