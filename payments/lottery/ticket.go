// Package lottery implements Murmur's probabilistic payments (ADR 0010):
// lottery tickets that pay their face value with a known probability, so
// that what goes on-chain grows with the value moved, not with the number
// of tickets, payers or payees.
//
// A payer owes a payee some amount per packet. Instead of a cheque for
// each few hundred packets, it signs tickets: each is worth FaceValue wei
// if it wins, and wins with probability WinProb / 2²⁵⁶, so its expected
// value is FaceValue × WinProb / 2²⁵⁶. The payee claims only the winners,
// on-chain, from the payer's Vault deposit; the face value is chosen so
// that a claim's gas is a small share of it (econ: GasFactor × the gas of a
// win).
//
// # Who draws the lottery
//
// Neither side may choose the outcome (the Livepeer TicketBroker's
// commit–reveal):
//
//  1. the payee picks a secret and gives the payer its commitment,
//     keccak256(secret) ([NewSecret]);
//  2. the payer signs tickets naming the commitment and a nonce it never
//     repeats under that commitment ([Payer]);
//  3. a ticket wins when keccak256(ticket digest ‖ secret) < WinProb
//     ([Signed.Wins]).
//
// Nonces rise with every ticket of a payer to a payee, across
// commitments, and the Vault (Vault.redeemTickets) pays a pair's winners
// only in rising nonce order: one word per pair is the whole replay
// protection. So a payee claims its wins in nonce order ([Payee.Wins]);
// a win that arrives after a later one was claimed is worthless.
//
// The payer cannot bias the draw: it signs without knowing the secret. The
// payee cannot either: the secret is fixed by the commitment before any
// ticket names it, and the digest covers every field of the ticket (the
// signature is left out of the draw, so that ECDSA's malleable signatures
// give the payee no second try). A claim reveals the secret, so the payee
// moves to a new commitment after every win ([Payee.Accept] does), and
// takes no more tickets under a commitment once it hands its wins out to
// be claimed ([Payee.Wins]). Only the payee may redeem its wins: a copy of
// the highest-nonce ticket of its batch, sent first, would void the rest.
// It takes only tickets that stay valid for its claim window.
//
// # What a payee risks
//
// A ticket is a claim on the payer's Vault deposit, backed by its stake as
// a cheque is (ADR 0009): a payer that signs more winning tickets than its
// deposit covers is paid out of its stake and jailed. The most a payee loses
// to a payer that overcommits is what the stake leaves unpaid; a payee
// bounds it by taking tickets only while FaceValue stays under the payer's
// cover ([Payee.Accept] refuses larger ones).
package lottery

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/payments/cheque"
)

// Errors, each a reason a ticket or a claim is refused.
var (
	ErrInvalidSignature = errors.New("lottery: invalid signature")
	ErrInvalidTicket    = errors.New("lottery: invalid ticket") // zero face value, probability or payee; an amount wider than 256 bits
	ErrExpired          = errors.New("lottery: ticket expired")
	ErrWrongPayee       = errors.New("lottery: ticket names another payee")
	ErrUnknownSecret    = errors.New("lottery: ticket names a commitment the payee did not make, or has retired")
	ErrReplayed         = errors.New("lottery: nonce already used under this commitment")
	ErrBadReveal        = errors.New("lottery: the secret does not match the ticket's commitment")
	ErrNotWinning       = errors.New("lottery: the ticket does not win")
	ErrUncovered        = errors.New("lottery: the face value is more than the payer's cover")
)

var ticketTypeHash = crypto.Keccak256Hash([]byte(
	"LotteryTicket(address payer,address payee,uint256 faceValue,uint256 winProb,uint64 nonce,bytes32 commitment,uint64 expiresAt)"))

// two256 is 2²⁵⁶: WinProb is a probability in units of 1/2²⁵⁶.
var two256 = new(big.Int).Lsh(big.NewInt(1), 256)

// Ticket is a payer's promise of FaceValue wei to Payee if the ticket wins.
type Ticket struct {
	Payer, Payee common.Address
	FaceValue    *big.Int // wei paid if it wins
	// WinProb is the winning threshold: the ticket wins when its draw,
	// read as a 256-bit number, is below it. 2²⁵⁶−1 wins (almost) always.
	WinProb    *big.Int
	Nonce      uint64      // never repeated by the payer under one commitment
	Commitment common.Hash // keccak256 of the payee's secret
	ExpiresAt  uint64      // unix seconds after which it cannot be claimed
}

// Signed is a ticket with the payer's 65-byte signature (r, s, v with v 27
// or 28), as the Vault takes it.
type Signed struct {
	Ticket
	Signature [65]byte
}

// Secret is a payee's lottery secret; its commitment is keccak256(secret).
type Secret [32]byte

// NewSecret draws a secret.
func NewSecret() (Secret, error) {
	var s Secret
	_, err := rand.Read(s[:])
	return s, err
}

// Commitment is what the payee gives payers: keccak256(secret).
func (s Secret) Commitment() common.Hash { return crypto.Keccak256Hash(s[:]) }

// ExpectedValue is what the ticket is worth on average, in wei, rounded down.
func (t Ticket) ExpectedValue() *big.Int {
	v := new(big.Int).Mul(t.FaceValue, t.WinProb)
	return v.Rsh(v, 256)
}

// WinProbFor returns the threshold that makes a ticket of face value
// face worth expected wei on average (rounded up, so that the payee is
// never paid less than expected), and false when expected is not in
// (0, face].
func WinProbFor(expected, face *big.Int) (*big.Int, bool) {
	if expected == nil || face == nil || expected.Sign() <= 0 || face.Cmp(expected) < 0 {
		return nil, false
	}
	p := new(big.Int).Mul(expected, two256)
	p.Add(p, new(big.Int).Sub(face, big.NewInt(1)))
	p.Quo(p, face)
	if p.BitLen() > 256 {
		p.Sub(two256, big.NewInt(1))
	}
	return p, true
}

func (t Ticket) check() error {
	for _, v := range []*big.Int{t.FaceValue, t.WinProb} {
		if v == nil || v.Sign() <= 0 || v.BitLen() > 256 {
			return ErrInvalidTicket
		}
	}
	if t.Payee == (common.Address{}) || t.Payer == (common.Address{}) || t.Payee == t.Payer {
		return ErrInvalidTicket
	}
	return nil
}

// Digest returns the EIP-712 hash the payer signs, in the Vault's domain
// (the one of its cheques, [cheque.NewDomain]).
func Digest(d cheque.Domain, t Ticket) (common.Hash, error) {
	if err := t.check(); err != nil {
		return common.Hash{}, err
	}
	var s [8 * 32]byte
	copy(s[0:], ticketTypeHash[:])
	copy(s[32+12:], t.Payer[:])
	copy(s[64+12:], t.Payee[:])
	t.FaceValue.FillBytes(s[96:128])
	t.WinProb.FillBytes(s[128:160])
	new(big.Int).SetUint64(t.Nonce).FillBytes(s[160:192])
	copy(s[192:224], t.Commitment[:])
	new(big.Int).SetUint64(t.ExpiresAt).FillBytes(s[224:256])
	return d.TypedDigest(crypto.Keccak256Hash(s[:])), nil
}

// Sign signs t with the payer's key, which must be t.Payer's.
func Sign(d cheque.Domain, t Ticket, key *ecdsa.PrivateKey) (Signed, error) {
	if crypto.PubkeyToAddress(key.PublicKey) != t.Payer {
		return Signed{}, fmt.Errorf("lottery: signing key is not the payer %s", t.Payer)
	}
	digest, err := Digest(d, t)
	if err != nil {
		return Signed{}, err
	}
	sig, err := cheque.SignDigest(digest, key)
	if err != nil {
		return Signed{}, fmt.Errorf("lottery: sign: %w", err)
	}
	s := Signed{Ticket: t, Signature: sig}
	s.FaceValue, s.WinProb = new(big.Int).Set(t.FaceValue), new(big.Int).Set(t.WinProb)
	return s, nil
}

// Verify checks that s is well formed and carries a canonical signature by
// its payer in domain d (OpenZeppelin's rules: low s, v 27 or 28), and
// returns its digest.
func Verify(d cheque.Domain, s Signed) (common.Hash, error) {
	digest, err := Digest(d, s.Ticket)
	if err != nil {
		return common.Hash{}, err
	}
	if signer, err := cheque.Signer(digest, s.Signature); err != nil || signer != s.Payer {
		return common.Hash{}, ErrInvalidSignature
	}
	return digest, nil
}

// Draw is the ticket's draw under secret: keccak256(digest ‖ secret).
func Draw(digest common.Hash, secret Secret) common.Hash {
	var b [64]byte
	copy(b[:32], digest[:])
	copy(b[32:], secret[:])
	return crypto.Keccak256Hash(b[:])
}

// Wins reports whether the ticket of this digest and threshold wins under
// secret. It does not check the secret against the commitment ([Claim] does).
func Wins(digest common.Hash, winProb *big.Int, secret Secret) bool {
	draw := Draw(digest, secret)
	return new(big.Int).SetBytes(draw[:]).Cmp(winProb) < 0
}

// Claim checks a winning ticket as the Vault does before it pays: a valid
// signature, not expired at now (unix seconds), the secret revealing the
// commitment, and a winning draw. It returns the ticket's digest, the key
// the Vault records so that no ticket is paid twice.
func Claim(d cheque.Domain, s Signed, secret Secret, now uint64) (common.Hash, error) {
	digest, err := Verify(d, s)
	if err != nil {
		return common.Hash{}, err
	}
	if now > s.ExpiresAt {
		return common.Hash{}, ErrExpired
	}
	if secret.Commitment() != s.Commitment {
		return common.Hash{}, ErrBadReveal
	}
	if !Wins(digest, s.WinProb, secret) {
		return common.Hash{}, ErrNotWinning
	}
	return digest, nil
}

// EncodedLen is the length of a signed ticket's binary encoding.
const EncodedLen = 2*common.AddressLength + 2*32 + 8 + 32 + 8 + 65

// MarshalBinary encodes s as payer ‖ payee ‖ face value (32) ‖ win
// probability (32) ‖ nonce (8) ‖ commitment ‖ expiry (8) ‖ signature (65),
// integers big-endian: how tickets travel between relays and are stored.
func (s Signed) MarshalBinary() ([]byte, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	b := make([]byte, EncodedLen)
	o := copy(b, s.Payer[:])
	o += copy(b[o:], s.Payee[:])
	s.FaceValue.FillBytes(b[o : o+32])
	s.WinProb.FillBytes(b[o+32 : o+64])
	o += 64
	binary.BigEndian.PutUint64(b[o:], s.Nonce)
	o += 8
	o += copy(b[o:], s.Commitment[:])
	binary.BigEndian.PutUint64(b[o:], s.ExpiresAt)
	copy(b[o+8:], s.Signature[:])
	return b, nil
}

// UnmarshalBinary decodes what MarshalBinary encodes. It checks the
// ticket's form, not its signature ([Verify] does).
func (s *Signed) UnmarshalBinary(b []byte) error {
	if len(b) != EncodedLen {
		return fmt.Errorf("%w: %d bytes, want %d", ErrInvalidTicket, len(b), EncodedLen)
	}
	var t Signed
	o := copy(t.Payer[:], b)
	o += copy(t.Payee[:], b[o:])
	t.FaceValue = new(big.Int).SetBytes(b[o : o+32])
	t.WinProb = new(big.Int).SetBytes(b[o+32 : o+64])
	o += 64
	t.Nonce = binary.BigEndian.Uint64(b[o:])
	o += 8
	o += copy(t.Commitment[:], b[o:])
	t.ExpiresAt = binary.BigEndian.Uint64(b[o:])
	copy(t.Signature[:], b[o+8:])
	if err := t.check(); err != nil {
		return err
	}
	*s = t
	return nil
}
