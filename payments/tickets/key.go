package tickets

import (
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
)

// SerialSize is the size of a ticket serial, the signed message.
const SerialSize = 32

// ScalarSize is the size of an encoded scalar (a secret key or blinding
// factor): 32 bytes, big-endian, less than the group order r.
const ScalarSize = fr.Bytes

// DST returns the domain-separation tag with which serials are hashed to G1
// for the issuer key of keyEpoch on chain chainID:
//
//	"MURMUR-V1-TICKET-CHAIN-" + decimal(chainID) + "-EPOCH-" + decimal(keyEpoch) + "_BLS12381G1_XMD:SHA-256_SSWU_RO_"
//
// Binding the chain and key epoch into the hash means a signature is
// valid for one issuer key only, even if an issuer reused a secret key.
func DST(chainID, keyEpoch uint64) string {
	return "MURMUR-V1-TICKET-CHAIN-" + strconv.FormatUint(chainID, 10) +
		"-EPOCH-" + strconv.FormatUint(keyEpoch, 10) + "_BLS12381G1_XMD:SHA-256_SSWU_RO_"
}

// HashSerial hashes a serial to G1 with RFC 9380 hash_to_curve, suite
// BLS12381G1_XMD:SHA-256_SSWU_RO_, under [DST](chainID, keyEpoch). The
// result is the message point H that an issuer key signs.
func HashSerial(chainID, keyEpoch uint64, serial [SerialSize]byte) bls.G1Affine {
	return hashSerial([]byte(DST(chainID, keyEpoch)), &serial)
}

func hashSerial(dst []byte, serial *[SerialSize]byte) bls.G1Affine {
	h, err := bls.HashToG1(serial[:], dst)
	if err != nil {
		// Only for a DST longer than 255 bytes, which DST never returns.
		panic("tickets: hash to curve: " + err.Error())
	}
	return h
}

// Value is what every ticket signed by one issuer key is worth. The issuer
// cannot see what it signs, so the value is a property of the key, not of
// the ticket: an issuer sells tickets of different values under different
// keys, and a ticket is worth the value of the key of its epoch.
type Value struct {
	// Packets is the number of packets a provider lets the bearer send.
	Packets uint64
	// Price is what the issuer pays a provider for redeeming one ticket,
	// in wei: the key's value on-chain, which the TicketIssuer contract
	// pays from the issuer's stake.
	Price *big.Int
	// Fee is the issuer's share of a sale, in wei: a buyer pays Price +
	// Fee a ticket (ADR 0010: the issuer's costs are paid from it). Nil is
	// zero. It is not on-chain: providers and the contract see Price only.
	Fee *big.Int
}

// SalePrice is what a buyer pays for one ticket: Price + Fee.
func (v Value) SalePrice() *big.Int {
	p := new(big.Int)
	if v.Price != nil {
		p.Set(v.Price)
	}
	if v.Fee != nil {
		p.Add(p, v.Fee)
	}
	return p
}

// FeeWei is Fee, zero if nil.
func (v Value) FeeWei() *big.Int {
	if v.Fee == nil {
		return new(big.Int)
	}
	return new(big.Int).Set(v.Fee)
}

// Equal reports whether v and w are the same value.
func (v Value) Equal(w Value) bool {
	if v.Price == nil || w.Price == nil {
		return v.Packets == w.Packets && v.Price == nil && w.Price == nil && v.FeeWei().Cmp(w.FeeWei()) == 0
	}
	return v.Packets == w.Packets && v.Price.Cmp(w.Price) == 0 && v.FeeWei().Cmp(w.FeeWei()) == 0
}

func (v Value) String() string {
	if v.Fee != nil && v.Fee.Sign() > 0 {
		return fmt.Sprintf("%d packets for %v wei (%v to the provider, %v to the issuer)", v.Packets, v.SalePrice(), v.Price, v.Fee)
	}
	return fmt.Sprintf("%d packets for %v wei", v.Packets, v.Price)
}

// copyValue returns v with amounts of its own.
func copyValue(v Value) Value {
	out := Value{Packets: v.Packets}
	if v.Price != nil {
		out.Price = new(big.Int).Set(v.Price)
	}
	if v.Fee != nil {
		out.Fee = new(big.Int).Set(v.Fee)
	}
	return out
}

// Copy returns v with amounts of its own, so that neither copy can change
// the other's.
func (v Value) Copy() Value { return copyValue(v) }

func (v Value) check() error {
	if v.Packets == 0 {
		return errors.New("tickets: value of zero packets")
	}
	if v.Price == nil || v.Price.Sign() < 0 || v.Price.BitLen() > 256 {
		return errors.New("tickets: price missing, negative or wider than 256 bits")
	}
	if v.Fee != nil && (v.Fee.Sign() < 0 || v.SalePrice().BitLen() > 256) {
		return errors.New("tickets: fee negative, or the sale price wider than 256 bits")
	}
	return nil
}

// IssuerKey is the public key of an issuer for one key epoch, with the
// value of the tickets it signs. Issuers publish it; clients, providers and
// the chain verify tickets against it.
type IssuerKey struct {
	ChainID   uint64
	Epoch     uint64
	PublicKey bls.G2Affine // sk·G2
	Value     Value
}

// Check reports whether k is usable: its public key is a point of G2 other
// than infinity and its value is set.
func (k IssuerKey) Check() error {
	if err := checkG2(&k.PublicKey); err != nil {
		return fmt.Errorf("tickets: issuer key for epoch %d: %w", k.Epoch, err)
	}
	return k.Value.check()
}

// Equal reports whether k and o are the same key.
func (k IssuerKey) Equal(o IssuerKey) bool {
	return k.ChainID == o.ChainID && k.Epoch == o.Epoch &&
		k.PublicKey.Equal(&o.PublicKey) && k.Value.Equal(o.Value)
}

// DST returns [DST](k.ChainID, k.Epoch).
func (k IssuerKey) DST() string { return DST(k.ChainID, k.Epoch) }

// Verify checks t against k: the ticket must be of k's epoch and its
// signature must verify. It does not check whether t was spent. To verify
// many tickets, use a [Keyring], which is several times faster.
func (k IssuerKey) Verify(t Ticket) error {
	if t.KeyEpoch != k.Epoch {
		return fmt.Errorf("%w: ticket of epoch %d, key of epoch %d", ErrUnknownEpoch, t.KeyEpoch, k.Epoch)
	}
	if t.Signature.p.IsInfinity() {
		return ErrInfinity
	}
	h := HashSerial(k.ChainID, k.Epoch, t.Serial)
	if !pairingCheck(&t.Signature.p, &h, &k.PublicKey) {
		return ErrBadSignature
	}
	return nil
}

// SecretKey is an issuer's signing key for one key epoch.
type SecretKey struct {
	pub IssuerKey
	sk  fr.Element
	big *big.Int
}

// GenerateIssuerKey creates a signing key for key epoch epoch on chain
// chainID, for tickets of value v, with randomness from rand (normally
// crypto/rand.Reader).
func GenerateIssuerKey(rand io.Reader, chainID, epoch uint64, v Value) (*SecretKey, error) {
	sk, err := randomScalar(rand)
	if err != nil {
		return nil, err
	}
	return newSecretKey(sk, chainID, epoch, v)
}

// NewSecretKey returns the signing key with the secret scalar b, as
// [SecretKey.Bytes] returns it.
func NewSecretKey(b []byte, chainID, epoch uint64, v Value) (*SecretKey, error) {
	var sk fr.Element
	if len(b) != ScalarSize || sk.SetBytesCanonical(b) != nil || sk.IsZero() {
		return nil, fmt.Errorf("%w: secret key", ErrMalformed)
	}
	return newSecretKey(sk, chainID, epoch, v)
}

func newSecretKey(sk fr.Element, chainID, epoch uint64, v Value) (*SecretKey, error) {
	if err := v.check(); err != nil {
		return nil, err
	}
	k := &SecretKey{sk: sk, big: sk.BigInt(new(big.Int))}
	k.pub = IssuerKey{ChainID: chainID, Epoch: epoch, Value: copyValue(v)}
	k.pub.PublicKey.ScalarMultiplicationBase(k.big)
	return k, nil
}

// Public returns the issuer key to publish.
func (k *SecretKey) Public() IssuerKey {
	pub := k.pub
	pub.Value = copyValue(k.pub.Value)
	return pub
}

// Bytes returns the secret scalar, 32 bytes big-endian. Keep it secret.
func (k *SecretKey) Bytes() [ScalarSize]byte { return k.sk.Bytes() }

// SignBlinded signs blinded tickets: it returns sk·B for each B. It does
// not ask for payment; see [Issuer.Sell]. Every B must be a point of G1
// other than infinity, or SignBlinded signs nothing and returns an error
// naming the first bad point: signing a point outside G1 would leak
// information about the key.
func (k *SecretKey) SignBlinded(blinded []bls.G1Affine) ([]bls.G1Affine, error) {
	if err := checkBlinded(blinded); err != nil {
		return nil, err
	}
	return k.signChecked(blinded), nil
}

func checkBlinded(blinded []bls.G1Affine) error {
	for i := range blinded {
		if err := checkG1(&blinded[i]); err != nil {
			return fmt.Errorf("tickets: blinded ticket %d: %w", i, err)
		}
	}
	return nil
}

func (k *SecretKey) signChecked(blinded []bls.G1Affine) []bls.G1Affine {
	jac := make([]bls.G1Jac, len(blinded))
	for i := range blinded {
		jac[i].FromAffine(&blinded[i])
		jac[i].ScalarMultiplication(&jac[i], k.big)
	}
	return bls.BatchJacobianToAffineG1(jac)
}

// randomScalar returns a uniformly random non-zero scalar: 48 bytes from
// rand reduced mod r (bias below 2⁻¹²⁸).
func randomScalar(rand io.Reader) (fr.Element, error) {
	var buf [48]byte
	var s fr.Element
	for s.IsZero() {
		if _, err := io.ReadFull(rand, buf[:]); err != nil {
			return s, fmt.Errorf("tickets: reading randomness: %w", err)
		}
		s.SetBytes(buf[:])
	}
	return s, nil
}
