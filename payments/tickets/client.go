package tickets

import (
	crand "crypto/rand"
	"fmt"
	"io"
	"math/big"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
)

// TicketRequest is a client's ticket in the making: a fresh serial, hashed
// to H and blinded with a random factor r as B = r·H. The client sends B
// to the issuer and passes the issuer's answer S = sk·B to
// [TicketRequest.Finish], which checks it and unblinds σ = r⁻¹·S = sk·H.
//
// The issuer sees only B, which is a uniformly random point of G1
// whatever the serial, so it cannot link the ticket it later redeems to
// this purchase. Keep a request until Finish succeeds: it is the only way
// to turn the paid-for answer into a ticket (see [RestoreTicketRequest]).
type TicketRequest struct {
	key     IssuerKey
	serial  [SerialSize]byte
	r       fr.Element
	h       bls.G1Affine
	blinded bls.G1Affine
}

// NewTicketRequest starts a ticket for issuer key key, with a serial and a
// blinding factor read from rand, in that order; nil means crypto/rand.
func NewTicketRequest(rand io.Reader, key IssuerKey) (*TicketRequest, error) {
	if err := key.Check(); err != nil {
		return nil, err
	}
	if rand == nil {
		rand = crand.Reader
	}
	var serial [SerialSize]byte
	if _, err := io.ReadFull(rand, serial[:]); err != nil {
		return nil, fmt.Errorf("tickets: reading randomness: %w", err)
	}
	r, err := randomScalar(rand)
	if err != nil {
		return nil, err
	}
	return newTicketRequest(key, serial, r), nil
}

// RestoreTicketRequest recreates a request from its key, serial and
// blinding factor (see [TicketRequest.BlindingFactor]), so a client that
// saved them can finish a purchase after a restart.
func RestoreTicketRequest(key IssuerKey, serial [SerialSize]byte, blindingFactor [ScalarSize]byte) (*TicketRequest, error) {
	if err := key.Check(); err != nil {
		return nil, err
	}
	var r fr.Element
	if r.SetBytesCanonical(blindingFactor[:]) != nil || r.IsZero() {
		return nil, fmt.Errorf("%w: blinding factor", ErrMalformed)
	}
	return newTicketRequest(key, serial, r), nil
}

func newTicketRequest(key IssuerKey, serial [SerialSize]byte, r fr.Element) *TicketRequest {
	q := &TicketRequest{key: key, serial: serial, r: r}
	q.h = HashSerial(key.ChainID, key.Epoch, serial)
	q.blinded.ScalarMultiplication(&q.h, r.BigInt(new(big.Int)))
	return q
}

// Key returns the issuer key the ticket is for.
func (q *TicketRequest) Key() IssuerKey { return q.key }

// Serial returns the ticket's serial.
func (q *TicketRequest) Serial() [SerialSize]byte { return q.serial }

// BlindingFactor returns r, 32 bytes big-endian. Whoever learns it can link
// the ticket to its purchase: store it as privately as the ticket.
func (q *TicketRequest) BlindingFactor() [ScalarSize]byte { return q.r.Bytes() }

// Blinded returns B = r·H(serial), the point to send to the issuer.
func (q *TicketRequest) Blinded() bls.G1Affine { return q.blinded }

// Finish checks the issuer's answer to [TicketRequest.Blinded] and returns
// the ticket. An answer that is not a point of G1, or not sk·B for the
// issuer key's sk, is refused with an error wrapping [ErrBadIssuerAnswer]
// (and then the client has paid for nothing: keep the evidence).
func (q *TicketRequest) Finish(blindSig bls.G1Affine) (Ticket, error) {
	if err := checkG1(&blindSig); err != nil {
		return Ticket{}, fmt.Errorf("%w: %w", ErrBadIssuerAnswer, err)
	}
	if !pairingCheck(&blindSig, &q.blinded, &q.key.PublicKey) {
		return Ticket{}, fmt.Errorf("%w: not a signature of the blinded ticket", ErrBadIssuerAnswer)
	}
	var rInv fr.Element
	rInv.Inverse(&q.r)
	t := Ticket{KeyEpoch: q.key.Epoch, Serial: q.serial}
	t.Signature.p.ScalarMultiplication(&blindSig, rInv.BigInt(new(big.Int)))
	return t, nil
}
