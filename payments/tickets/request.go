package tickets

import (
	"crypto/ecdsa"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// RedemptionRequest is a provider's request to redeem tickets of one key
// epoch off-chain for a cheque of CumulativeAmount (everything the issuer owes
// the provider once these are paid). The provider signs it with EIP-712 in
// the TicketIssuer contract's domain; the issuer keeps it, because a provider
// that also redeems one of these tickets on-chain after cashing that cheque
// can be proven to have done so with it (TicketIssuer.proveDoubleRedemption)
// and is slashed.
type RedemptionRequest struct {
	Issuer           common.Address
	Provider         common.Address
	KeyEpoch         uint64
	Serials          [][32]byte
	CumulativeAmount *big.Int
}

// SignedRequest is a RedemptionRequest with the provider's 65-byte signature.
type SignedRequest struct {
	RedemptionRequest
	Signature [65]byte
}

// Errors of redemption requests.
var (
	ErrRequestSignature = errors.New("tickets: redemption request not signed by its provider")
	ErrRequestMismatch  = errors.New("tickets: redemption request does not match the tickets")
	ErrRequestAmount    = errors.New("tickets: redemption request asks for the wrong cumulative amount")
)

// AmountError is an [ErrRequestAmount] that says what the issuer would owe
// the provider after the batch: the amount a provider whose record is
// behind (a lost answer, a restored store) should ask for.
type AmountError struct {
	Asked, Owes *big.Int
}

func (e *AmountError) Error() string {
	return fmt.Sprintf("%v: asks for %s, the issuer will owe %s", ErrRequestAmount, e.Asked, e.Owes)
}

// Unwrap makes an AmountError an [ErrRequestAmount].
func (e *AmountError) Unwrap() error { return ErrRequestAmount }

var (
	requestTypeHash = crypto.Keccak256Hash([]byte("RedemptionRequest(address issuer,address provider,uint64 keyEpoch,bytes32 serialsHash,uint256 cumulativeAmount)"))
	domainTypeHash  = crypto.Keccak256Hash([]byte("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"))
	halfN           = new(big.Int).Rsh(crypto.S256().Params().N, 1)
)

// SerialsHash is keccak256 of the serials concatenated, as the contract hashes them.
func (r *RedemptionRequest) SerialsHash() common.Hash {
	b := make([]byte, 0, 32*len(r.Serials))
	for _, s := range r.Serials {
		b = append(b, s[:]...)
	}
	return crypto.Keccak256Hash(b)
}

// RequestDomain is the EIP-712 domain of one TicketIssuer deployment
// (name "Murmur Tickets", version "1").
type RequestDomain struct{ separator common.Hash }

// NewRequestDomain returns the domain of the TicketIssuer at contract on chainID.
func NewRequestDomain(chainID *big.Int, contract common.Address) RequestDomain {
	var b [5 * 32]byte
	copy(b[0:], domainTypeHash[:])
	copy(b[32:], crypto.Keccak256([]byte("Murmur Tickets")))
	copy(b[64:], crypto.Keccak256([]byte("1")))
	chainID.FillBytes(b[96:128])
	copy(b[128+12:], contract[:])
	return RequestDomain{separator: crypto.Keccak256Hash(b[:])}
}

// Digest returns the EIP-712 hash a provider signs for r.
func (d RequestDomain) Digest(r *RedemptionRequest) (common.Hash, error) {
	if r.CumulativeAmount == nil || r.CumulativeAmount.Sign() < 0 || r.CumulativeAmount.BitLen() > 256 {
		return common.Hash{}, fmt.Errorf("%w: bad cumulative amount", ErrRequestAmount)
	}
	var s [6 * 32]byte
	copy(s[0:], requestTypeHash[:])
	copy(s[32+12:], r.Issuer[:])
	copy(s[64+12:], r.Provider[:])
	binary.BigEndian.PutUint64(s[96+24:], r.KeyEpoch)
	sh := r.SerialsHash()
	copy(s[128:], sh[:])
	r.CumulativeAmount.FillBytes(s[160:192])
	structHash := crypto.Keccak256Hash(s[:])
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, d.separator[:], structHash[:]), nil
}

// Sign signs r with the provider's key.
func (d RequestDomain) Sign(r RedemptionRequest, key *ecdsa.PrivateKey) (SignedRequest, error) {
	if crypto.PubkeyToAddress(key.PublicKey) != r.Provider {
		return SignedRequest{}, fmt.Errorf("tickets: signing key is not the provider %s", r.Provider)
	}
	h, err := d.Digest(&r)
	if err != nil {
		return SignedRequest{}, err
	}
	sig, err := crypto.Sign(h[:], key)
	if err != nil {
		return SignedRequest{}, err
	}
	out := SignedRequest{RedemptionRequest: r}
	copy(out.Signature[:], sig)
	out.Signature[64] += 27
	return out, nil
}

// Verify checks that s is signed by its provider, with the contract's rules
// (65 bytes, low s, v 27 or 28).
func (d RequestDomain) Verify(s *SignedRequest) error {
	h, err := d.Digest(&s.RedemptionRequest)
	if err != nil {
		return err
	}
	if !recoversTo(h, s.Signature, s.Provider) {
		return ErrRequestSignature
	}
	return nil
}

// encodeSignedRequest is the issuer's storage form of s.
func encodeSignedRequest(s *SignedRequest) []byte {
	b := make([]byte, 0, 20+20+8+32+65+2+32*len(s.Serials))
	b = append(b, s.Issuer[:]...)
	b = append(b, s.Provider[:]...)
	b = binary.BigEndian.AppendUint64(b, s.KeyEpoch)
	b = append(b, s.CumulativeAmount.FillBytes(make([]byte, 32))...)
	b = append(b, s.Signature[:]...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(s.Serials)))
	for _, x := range s.Serials {
		b = append(b, x[:]...)
	}
	return b
}

func decodeSignedRequest(b []byte) (SignedRequest, error) {
	const head = 20 + 20 + 8 + 32 + 65 + 2
	if len(b) < head {
		return SignedRequest{}, errors.New("tickets: corrupt stored request")
	}
	var s SignedRequest
	copy(s.Issuer[:], b[0:20])
	copy(s.Provider[:], b[20:40])
	s.KeyEpoch = binary.BigEndian.Uint64(b[40:48])
	s.CumulativeAmount = new(big.Int).SetBytes(b[48:80])
	copy(s.Signature[:], b[80:145])
	n := int(binary.BigEndian.Uint16(b[145:147]))
	if len(b) != head+32*n {
		return SignedRequest{}, errors.New("tickets: corrupt stored request")
	}
	s.Serials = make([][32]byte, n)
	for i := range s.Serials {
		copy(s.Serials[i][:], b[head+32*i:])
	}
	return s, nil
}
