package tickets

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Receipt is a provider's acknowledgement that Issuer has paid it
// CumulativeValue wei in all for the tickets it redeemed: the face value of
// the cheques it holds from the issuer plus the expected value of the
// lottery tickets it took. It is signed with EIP-712 in the TicketIssuer
// contract's domain (PaymentReceipt(address issuer,address provider,uint256
// cumulativeValue)).
//
// A cashed cheque shows on-chain that a redemption was paid; a lottery
// ticket does not (most never win). So an issuer that pays in tickets
// takes the provider's receipt as that proof: with the receipt and a
// signed request of no more than its value, TicketIssuer
// .proveDoubleRedemptionWithReceipt slashes a provider that also redeemed
// one of the request's tickets on-chain. A provider signs a receipt only
// for value it took, so a receipt cannot be turned against it for a
// request that was never paid; an issuer refuses new redemptions while a
// ticket it paid is not acknowledged, so what it risks to a provider that
// never signs is one batch.
type Receipt struct {
	Issuer, Provider common.Address
	CumulativeValue  *big.Int
}

// SignedReceipt is a Receipt with the provider's 65-byte signature (r, s,
// v with v 27 or 28).
type SignedReceipt struct {
	Receipt
	Signature [65]byte
}

// ErrReceiptSignature: a receipt not signed by its provider.
var ErrReceiptSignature = errors.New("tickets: payment receipt not signed by its provider")

var receiptTypeHash = crypto.Keccak256Hash([]byte("PaymentReceipt(address issuer,address provider,uint256 cumulativeValue)"))

// ReceiptDigest returns the EIP-712 hash a provider signs for r.
func (d RequestDomain) ReceiptDigest(r *Receipt) (common.Hash, error) {
	if r.CumulativeValue == nil || r.CumulativeValue.Sign() < 0 || r.CumulativeValue.BitLen() > 256 {
		return common.Hash{}, fmt.Errorf("tickets: receipt for a bad amount %v", r.CumulativeValue)
	}
	var s [4 * 32]byte
	copy(s[0:], receiptTypeHash[:])
	copy(s[32+12:], r.Issuer[:])
	copy(s[64+12:], r.Provider[:])
	r.CumulativeValue.FillBytes(s[96:128])
	structHash := crypto.Keccak256Hash(s[:])
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, d.separator[:], structHash[:]), nil
}

// SignReceipt signs r with the provider's key.
func (d RequestDomain) SignReceipt(r Receipt, key *ecdsa.PrivateKey) (SignedReceipt, error) {
	if crypto.PubkeyToAddress(key.PublicKey) != r.Provider {
		return SignedReceipt{}, fmt.Errorf("tickets: signing key is not the provider %s", r.Provider)
	}
	h, err := d.ReceiptDigest(&r)
	if err != nil {
		return SignedReceipt{}, err
	}
	sig, err := crypto.Sign(h[:], key)
	if err != nil {
		return SignedReceipt{}, err
	}
	out := SignedReceipt{Receipt: Receipt{Issuer: r.Issuer, Provider: r.Provider, CumulativeValue: new(big.Int).Set(r.CumulativeValue)}}
	copy(out.Signature[:], sig)
	out.Signature[64] += 27
	return out, nil
}

// VerifyReceipt checks that s is signed by its provider, with the
// contract's rules (low s, v 27 or 28).
func (d RequestDomain) VerifyReceipt(s *SignedReceipt) error {
	h, err := d.ReceiptDigest(&s.Receipt)
	if err != nil {
		return err
	}
	if !recoversTo(h, s.Signature, s.Provider) {
		return ErrReceiptSignature
	}
	return nil
}

// recoversTo reports whether sig (v 27 or 28, low s) over h is by signer.
func recoversTo(h common.Hash, sig [65]byte, signer common.Address) bool {
	v := sig[64]
	if (v != 27 && v != 28) || new(big.Int).SetBytes(sig[32:64]).Cmp(halfN) > 0 {
		return false
	}
	sig[64] -= 27
	pub, err := crypto.SigToPub(h[:], sig[:])
	return err == nil && crypto.PubkeyToAddress(*pub) == signer
}
