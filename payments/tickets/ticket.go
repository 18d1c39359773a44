package tickets

import (
	"encoding/binary"
	"fmt"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
)

// TicketSize is the size of a ticket's wire form:
//
//	keyEpoch (8, big-endian) ‖ serial (32) ‖ signature (48, compressed G1)
const TicketSize = 8 + SerialSize + G1CompressedSize

// Signature is a ticket signature: a point of G1 other than infinity.
// Values come from [DecodeTicket], [ParseSignature] or
// [TicketRequest.Finish], which check this, so that verifiers need not.
// The zero Signature is invalid.
type Signature struct {
	p bls.G1Affine
}

// ParseSignature parses a compressed G1 point (48 bytes). Errors:
// [ErrMalformed], [ErrNotOnCurve], [ErrNotInSubgroup], [ErrInfinity].
func ParseSignature(b []byte) (Signature, error) {
	p, err := DecodeG1(b)
	if err != nil {
		return Signature{}, err
	}
	return Signature{p: p}, nil
}

// Bytes returns the signature as a compressed G1 point.
func (s Signature) Bytes() [G1CompressedSize]byte { return s.p.Bytes() }

// EIP2537 returns the signature in the 128-byte form of the EIP-2537
// precompiles.
func (s Signature) EIP2537() [G1EIP2537Size]byte { return EncodeG1EIP2537(&s.p) }

// Point returns the signature as a curve point.
func (s Signature) Point() bls.G1Affine { return s.p }

// Ticket is a bearer token: whoever holds it can spend it once at a
// provider for the value of the issuer key of KeyEpoch.
type Ticket struct {
	KeyEpoch  uint64
	Serial    [SerialSize]byte
	Signature Signature
}

// ID identifies the ticket in spent sets: keyEpoch ‖ serial.
func (t *Ticket) ID() [8 + SerialSize]byte {
	var id [8 + SerialSize]byte
	binary.BigEndian.PutUint64(id[:8], t.KeyEpoch)
	copy(id[8:], t.Serial[:])
	return id
}

// SignatureEIP2537 returns the ticket's signature in the 128-byte form the
// EIP-2537 precompiles and the on-chain verifier take.
func (t *Ticket) SignatureEIP2537() [G1EIP2537Size]byte { return t.Signature.EIP2537() }

// Bytes returns the wire form of t (see [TicketSize]).
func (t *Ticket) Bytes() [TicketSize]byte {
	var b [TicketSize]byte
	binary.BigEndian.PutUint64(b[:8], t.KeyEpoch)
	copy(b[8:8+SerialSize], t.Serial[:])
	sig := t.Signature.p.Bytes()
	copy(b[8+SerialSize:], sig[:])
	return b
}

// DecodeTicket parses the wire form of a ticket. It checks the encoding of
// the signature, not the signature itself. Errors: [ErrMalformed] (wrong
// length or flags, non-canonical coordinate), [ErrNotOnCurve],
// [ErrNotInSubgroup], [ErrInfinity].
func DecodeTicket(b []byte) (Ticket, error) {
	if len(b) != TicketSize {
		return Ticket{}, fmt.Errorf("%w: ticket of %d bytes, want %d", ErrMalformed, len(b), TicketSize)
	}
	var t Ticket
	t.KeyEpoch = binary.BigEndian.Uint64(b[:8])
	copy(t.Serial[:], b[8:8+SerialSize])
	sig, err := ParseSignature(b[8+SerialSize:])
	if err != nil {
		return Ticket{}, fmt.Errorf("tickets: ticket signature: %w", err)
	}
	t.Signature = sig
	return t, nil
}

// MarshalBinary returns the wire form of t.
func (t *Ticket) MarshalBinary() ([]byte, error) {
	b := t.Bytes()
	return b[:], nil
}

// UnmarshalBinary sets t from its wire form, as [DecodeTicket].
func (t *Ticket) UnmarshalBinary(b []byte) error {
	d, err := DecodeTicket(b)
	if err != nil {
		return err
	}
	*t = d
	return nil
}

// Aggregate returns the sum of the tickets' signatures. For tickets of one
// key epoch, e(Σσᵢ, −G2)·e(ΣHᵢ, pk) = 1: the on-chain redemption takes a
// batch's serials with this one aggregate signature (see
// [Signature.EIP2537]). It fails with [ErrInfinity] if the sum is the point
// at infinity, which valid tickets of distinct serials never give.
func Aggregate(ts []Ticket) (Signature, error) {
	var sum bls.G1Jac
	for i := range ts {
		sum.AddMixed(&ts[i].Signature.p)
	}
	var s Signature
	s.p.FromJacobian(&sum)
	if s.p.IsInfinity() {
		return Signature{}, ErrInfinity
	}
	return s, nil
}
