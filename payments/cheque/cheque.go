// Package cheque implements Murmur's Vault cheques: off-chain promises of
// payment that the Vault contract honours on-chain.
//
// A cheque says "payer owes payee cumulativeAmount wei in total, ever". A
// payer pays more by signing a new cheque with a larger cumulative amount; the
// payee keeps only the latest and cashes it when it likes, receiving the
// difference to what it already cashed. Cheques are EIP-712 typed data in the
// domain {name: "Murmur Vault", version: "1", chainId, verifyingContract}, so
// a cheque signed for one chain or one vault is worthless on any other.
//
// Use [Domain.Sign] to write a cheque and [Domain.Verify] to check one. The
// digest is computed here with plain keccak256, byte for byte the one the
// contract computes (a test checks it against go-ethereum's EIP-712 encoder
// and the contract itself), because payees verify a cheque every few hundred
// packets and must not pay for a generic typed-data encoder.
package cheque

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Errors a payee can act on.
var (
	// ErrInvalidSignature: the signature is malformed, not canonical (high s),
	// or not by the cheque's payer over this domain.
	ErrInvalidSignature = errors.New("cheque: invalid signature")
	// ErrInvalidAmount: the cumulative amount is missing, negative or wider than 256 bits.
	ErrInvalidAmount = errors.New("cheque: invalid cumulative amount")
)

var (
	domainTypeHash = crypto.Keccak256Hash([]byte("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"))
	chequeTypeHash = crypto.Keccak256Hash([]byte("Cheque(address payer,address payee,uint256 cumulativeAmount)"))
	nameHash       = crypto.Keccak256Hash([]byte("Murmur Vault"))
	versionHash    = crypto.Keccak256Hash([]byte("1"))
	secp256k1HalfN = new(big.Int).Rsh(crypto.S256().Params().N, 1)
)

// Cheque is a promise that Payer owes Payee CumulativeAmount wei in total.
type Cheque struct {
	Payer            common.Address
	Payee            common.Address
	CumulativeAmount *big.Int
}

// Signed is a cheque with the payer's 65-byte signature (r, s, v with v 27 or 28),
// the form the Vault's cash function takes.
type Signed struct {
	Cheque
	Signature [65]byte
}

// Domain is the EIP-712 domain of one Vault deployment.
type Domain struct {
	separator common.Hash
}

// NewDomain returns the domain of the vault at address vault on chain chainID.
func NewDomain(chainID *big.Int, vault common.Address) Domain {
	var buf [5 * 32]byte
	copy(buf[0:], domainTypeHash[:])
	copy(buf[32:], nameHash[:])
	copy(buf[64:], versionHash[:])
	chainID.FillBytes(buf[96:128])
	copy(buf[128+12:], vault[:])
	return Domain{separator: crypto.Keccak256Hash(buf[:])}
}

// Separator returns the EIP-712 domain separator.
func (d Domain) Separator() common.Hash { return d.separator }

// Digest returns the EIP-712 hash the payer signs for c.
func (d Domain) Digest(c Cheque) (common.Hash, error) {
	if c.CumulativeAmount == nil || c.CumulativeAmount.Sign() < 0 || c.CumulativeAmount.BitLen() > 256 {
		return common.Hash{}, ErrInvalidAmount
	}
	var s [4 * 32]byte
	copy(s[0:], chequeTypeHash[:])
	copy(s[32+12:], c.Payer[:])
	copy(s[64+12:], c.Payee[:])
	c.CumulativeAmount.FillBytes(s[96:128])
	return d.TypedDigest(crypto.Keccak256Hash(s[:])), nil
}

// TypedDigest returns the EIP-712 hash of structHash in this domain, for
// the other types the Vault verifies (payments/lottery's tickets).
func (d Domain) TypedDigest(structHash common.Hash) common.Hash {
	var m [2 + 32 + 32]byte
	m[0], m[1] = 0x19, 0x01
	copy(m[2:], d.separator[:])
	copy(m[34:], structHash[:])
	return crypto.Keccak256Hash(m[:])
}

// SignDigest signs an EIP-712 digest in the form the Vault takes: r, s,
// v with v 27 or 28.
func SignDigest(digest common.Hash, key *ecdsa.PrivateKey) ([65]byte, error) {
	var out [65]byte
	sig, err := crypto.Sign(digest[:], key)
	if err != nil {
		return out, err
	}
	copy(out[:], sig)
	out[64] += 27
	return out, nil
}

// Signer returns who signed digest, with the contract's rules
// (OpenZeppelin ECDSA: low s, v 27 or 28); ErrInvalidSignature otherwise.
func Signer(digest common.Hash, sig [65]byte) (common.Address, error) {
	v := sig[64]
	if (v != 27 && v != 28) || new(big.Int).SetBytes(sig[32:64]).Cmp(secp256k1HalfN) > 0 {
		return common.Address{}, ErrInvalidSignature
	}
	sig[64] -= 27
	pub, err := crypto.SigToPub(digest[:], sig[:])
	if err != nil {
		return common.Address{}, ErrInvalidSignature
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// Sign signs c with the payer's key. The key must belong to c.Payer.
func (d Domain) Sign(c Cheque, key *ecdsa.PrivateKey) (Signed, error) {
	if crypto.PubkeyToAddress(key.PublicKey) != c.Payer {
		return Signed{}, fmt.Errorf("cheque: signing key is not the payer %s", c.Payer)
	}
	digest, err := d.Digest(c)
	if err != nil {
		return Signed{}, err
	}
	sig, err := SignDigest(digest, key)
	if err != nil {
		return Signed{}, fmt.Errorf("cheque: sign: %w", err)
	}
	return Signed{Cheque: Cheque{Payer: c.Payer, Payee: c.Payee, CumulativeAmount: new(big.Int).Set(c.CumulativeAmount)}, Signature: sig}, nil
}

// Verify checks that s carries a canonical signature by its payer in this domain,
// with the same rules as the contract (OpenZeppelin ECDSA: low s, v 27 or 28).
func (d Domain) Verify(s Signed) error {
	digest, err := d.Digest(s.Cheque)
	if err != nil {
		return err
	}
	if signer, err := Signer(digest, s.Signature); err != nil || signer != s.Payer {
		return ErrInvalidSignature
	}
	return nil
}
