// Package card is Murmur's contact card: what a user publishes so that
// others can reach them by Ethereum address, bound to that account by an
// EIP-712 signature (eth_signTypedData_v4, so a browser wallet signs it
// as it signs a cheque). A card names the keys a conversation starts
// from (the identity key and the two signed prekeys of PQXDH,
// messaging/pqxdh) and where to write (the provider's node key and the
// mailbox there).
//
// The signature takes the place of PQXDH's prekey signatures: whoever
// holds the account vouches for every key on the card. A card is signed
// for one chain (the EIP-712 domain's chainId), issued at a time and
// valid until another; [Signed.Verify] refuses a card of another chain,
// an expired one, one whose signature is not the account's, and one
// whose keys a handshake could not use.
package card

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/messaging/pqxdh"
)

// Card is a user's contact card, unsigned.
type Card struct {
	ChainID      uint64
	Account      common.Address
	Identity     [pqxdh.KeySize]byte
	SignedPrekey pqxdh.Prekey
	PQPrekey     pqxdh.PQPrekey
	// Provider (its Sphinx node key), Mailbox and SealKey (the X25519 key
	// the client's packets are sealed for) are the user's Murmur address.
	Provider [32]byte
	Mailbox  [32]byte
	SealKey  [32]byte
	Issued   time.Time // to the second
	Expires  time.Time
}

// Signed is a card with its account's 65-byte signature (r, s, v with v
// 27 or 28).
type Signed struct {
	Card
	Signature [65]byte
}

// Errors of Verify.
var (
	ErrSignature = errors.New("card: the signature is not the account's")
	ErrChain     = errors.New("card: signed for another chain")
	ErrExpired   = errors.New("card: expired")
	ErrNotYet    = errors.New("card: issued in the future")
	ErrKeys      = errors.New("card: a key on the card is unusable")
)

// The EIP-712 types of a card. The digest is computed here with plain
// keccak256 (as payments/cheque computes a cheque's), byte for byte what
// go-ethereum's apitypes computes from TypedDataJSON (the tests hold the
// two together): apitypes would bring most of go-ethereum into the
// browser's WebAssembly core.
const (
	domainType = "EIP712Domain(string name,string version,uint256 chainId)"
	cardType   = "ContactCard(address account,bytes32 identityKey,uint32 signedPrekeyId,bytes32 signedPrekey," +
		"uint32 pqPrekeyId,bytes pqPrekey,bytes32 provider,bytes32 mailbox,bytes32 sealKey,uint64 issued,uint64 expires)"
	domainName    = "Murmur Contact Card"
	domainVersion = "1"
)

var (
	domainTypeHash = crypto.Keccak256Hash([]byte(domainType))
	cardTypeHash   = crypto.Keccak256Hash([]byte(cardType))
)

// Digest returns the EIP-712 hash the account signs.
func (c *Card) Digest() (common.Hash, error) {
	if c.Issued.Unix() < 0 || c.Expires.Unix() < 0 {
		return common.Hash{}, errors.New("card: a time before 1970")
	}
	var dom [4 * 32]byte
	copy(dom[0:], domainTypeHash[:])
	copy(dom[32:], crypto.Keccak256([]byte(domainName)))
	copy(dom[64:], crypto.Keccak256([]byte(domainVersion)))
	binary.BigEndian.PutUint64(dom[96+24:], c.ChainID)

	var st [12 * 32]byte
	w := st[:]
	word := func() []byte { p := w[:32]; w = w[32:]; return p }
	copy(word(), cardTypeHash[:])
	copy(word()[12:], c.Account[:])
	copy(word(), c.Identity[:])
	binary.BigEndian.PutUint32(word()[28:], c.SignedPrekey.ID)
	copy(word(), c.SignedPrekey.Key[:])
	binary.BigEndian.PutUint32(word()[28:], c.PQPrekey.ID)
	copy(word(), crypto.Keccak256(c.PQPrekey.Key))
	copy(word(), c.Provider[:])
	copy(word(), c.Mailbox[:])
	copy(word(), c.SealKey[:])
	binary.BigEndian.PutUint64(word()[24:], uint64(c.Issued.Unix()))
	binary.BigEndian.PutUint64(word()[24:], uint64(c.Expires.Unix()))

	var m [2 + 32 + 32]byte
	m[0], m[1] = 0x19, 0x01
	copy(m[2:], crypto.Keccak256(dom[:]))
	copy(m[34:], crypto.Keccak256(st[:]))
	return crypto.Keccak256Hash(m[:]), nil
}

// TypedDataJSON returns the card as the EIP-712 typed data its account
// signs, in the JSON that eth_signTypedData_v4 takes (a page hands it to
// its wallet).
func (c *Card) TypedDataJSON() ([]byte, error) {
	type field struct {
		Name string `json:"name"`
		Type string `json:"type"`
	}
	hex := func(b []byte) string { return hexutil.Encode(b) }
	return json.Marshal(map[string]any{
		"types": map[string][]field{
			"EIP712Domain": {{"name", "string"}, {"version", "string"}, {"chainId", "uint256"}},
			"ContactCard": {
				{"account", "address"}, {"identityKey", "bytes32"}, {"signedPrekeyId", "uint32"},
				{"signedPrekey", "bytes32"}, {"pqPrekeyId", "uint32"}, {"pqPrekey", "bytes"},
				{"provider", "bytes32"}, {"mailbox", "bytes32"}, {"sealKey", "bytes32"},
				{"issued", "uint64"}, {"expires", "uint64"},
			},
		},
		"primaryType": "ContactCard",
		"domain":      map[string]any{"name": domainName, "version": domainVersion, "chainId": fmt.Sprint(c.ChainID)},
		"message": map[string]any{
			"account":        c.Account.Hex(),
			"identityKey":    hex(c.Identity[:]),
			"signedPrekeyId": fmt.Sprint(c.SignedPrekey.ID),
			"signedPrekey":   hex(c.SignedPrekey.Key[:]),
			"pqPrekeyId":     fmt.Sprint(c.PQPrekey.ID),
			"pqPrekey":       hex(c.PQPrekey.Key),
			"provider":       hex(c.Provider[:]),
			"mailbox":        hex(c.Mailbox[:]),
			"sealKey":        hex(c.SealKey[:]),
			"issued":         fmt.Sprint(c.Issued.Unix()),
			"expires":        fmt.Sprint(c.Expires.Unix()),
		},
	})
}

// Sign signs c with the account's key (tests and tools; a page asks its
// wallet for eth_signTypedData_v4 over TypedData instead).
func Sign(c Card, key *ecdsa.PrivateKey) (*Signed, error) {
	if crypto.PubkeyToAddress(key.PublicKey) != c.Account {
		return nil, errors.New("card: the key is not the card's account's")
	}
	d, err := c.Digest()
	if err != nil {
		return nil, err
	}
	sig, err := crypto.Sign(d[:], key)
	if err != nil {
		return nil, err
	}
	s := &Signed{Card: c}
	copy(s.Signature[:], sig)
	s.Signature[64] += 27
	return s, nil
}

var secp256k1HalfN = new(big.Int).Rsh(crypto.S256().Params().N, 1)

// Verify checks that the card is for chainID, valid at now, its keys
// usable, and signed by its account.
func (s *Signed) Verify(chainID uint64, now time.Time) error {
	if s.ChainID != chainID {
		return fmt.Errorf("%w: chain %d, this network is chain %d", ErrChain, s.ChainID, chainID)
	}
	if now.Before(s.Issued) {
		return fmt.Errorf("%w: at %s", ErrNotYet, s.Issued.UTC().Format(time.RFC3339))
	}
	if !now.Before(s.Expires) {
		return fmt.Errorf("%w at %s", ErrExpired, s.Expires.UTC().Format(time.RFC3339))
	}
	if err := s.keysUsable(); err != nil {
		return err
	}
	sig := s.Signature
	if sig[64] != 27 && sig[64] != 28 {
		return fmt.Errorf("%w: v = %d", ErrSignature, sig[64])
	}
	if new(big.Int).SetBytes(sig[32:64]).Cmp(secp256k1HalfN) > 0 {
		return fmt.Errorf("%w: not canonical (high s)", ErrSignature)
	}
	sig[64] -= 27
	d, err := s.Digest()
	if err != nil {
		return err
	}
	pub, err := crypto.SigToPub(d[:], sig[:])
	if err != nil {
		return fmt.Errorf("%w: %v", ErrSignature, err)
	}
	if got := crypto.PubkeyToAddress(*pub); got != s.Account {
		return fmt.Errorf("%w: signed by %s, the card names %s", ErrSignature, got.Hex(), s.Account.Hex())
	}
	return nil
}

// keysUsable runs the initiator's side of a handshake against the card's
// bundle with a throwaway identity: what Initiate would refuse, Verify
// refuses first.
func (s *Signed) keysUsable() error {
	id, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	if _, _, err := pqxdh.Initiate(rand.Reader, id, s.Bundle()); err != nil {
		return fmt.Errorf("%w: %v", ErrKeys, err)
	}
	return nil
}

// Bundle is the card's part for [pqxdh.Initiate].
func (c *Card) Bundle() *pqxdh.Bundle {
	return &pqxdh.Bundle{Identity: c.Identity, SignedPrekey: c.SignedPrekey,
		PQPrekey: pqxdh.PQPrekey{ID: c.PQPrekey.ID, Key: append([]byte(nil), c.PQPrekey.Key...)}}
}

// encodingVersion is the first byte of an encoded card.
const encodingVersion = 1

// EncodedSize is the size of an encoded signed card.
const EncodedSize = 1 + 8 + 20 + pqxdh.KeySize + 4 + pqxdh.KeySize + 4 + pqxdh.PQKeySize + 32 + 32 + 32 + 8 + 8 + 65

// MarshalBinary encodes the signed card as it is published and fetched.
func (s *Signed) MarshalBinary() ([]byte, error) {
	if len(s.PQPrekey.Key) != pqxdh.PQKeySize {
		return nil, fmt.Errorf("%w: a post-quantum prekey of %d bytes", ErrKeys, len(s.PQPrekey.Key))
	}
	if s.Issued.Unix() < 0 || s.Expires.Unix() < 0 {
		return nil, errors.New("card: a time before 1970")
	}
	b := make([]byte, 0, EncodedSize)
	b = append(b, encodingVersion)
	b = binary.BigEndian.AppendUint64(b, s.ChainID)
	b = append(b, s.Account[:]...)
	b = append(b, s.Identity[:]...)
	b = binary.BigEndian.AppendUint32(b, s.SignedPrekey.ID)
	b = append(b, s.SignedPrekey.Key[:]...)
	b = binary.BigEndian.AppendUint32(b, s.PQPrekey.ID)
	b = append(b, s.PQPrekey.Key...)
	b = append(b, s.Provider[:]...)
	b = append(b, s.Mailbox[:]...)
	b = append(b, s.SealKey[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(s.Issued.Unix()))
	b = binary.BigEndian.AppendUint64(b, uint64(s.Expires.Unix()))
	return append(b, s.Signature[:]...), nil
}

// UnmarshalBinary decodes a signed card. It checks the encoding only:
// call Verify before trusting it.
func (s *Signed) UnmarshalBinary(b []byte) error {
	if len(b) != EncodedSize {
		return fmt.Errorf("card: %d bytes, want %d", len(b), EncodedSize)
	}
	if b[0] != encodingVersion {
		return fmt.Errorf("card: encoding version %d, want %d", b[0], encodingVersion)
	}
	r := b[1:]
	take := func(n int) []byte { p := r[:n]; r = r[n:]; return p }
	var c Signed
	c.ChainID = binary.BigEndian.Uint64(take(8))
	c.Account = common.Address(take(20))
	c.Identity = [pqxdh.KeySize]byte(take(pqxdh.KeySize))
	c.SignedPrekey.ID = binary.BigEndian.Uint32(take(4))
	c.SignedPrekey.Key = [pqxdh.KeySize]byte(take(pqxdh.KeySize))
	c.PQPrekey.ID = binary.BigEndian.Uint32(take(4))
	c.PQPrekey.Key = append([]byte(nil), take(pqxdh.PQKeySize)...)
	c.Provider = [32]byte(take(32))
	c.Mailbox = [32]byte(take(32))
	c.SealKey = [32]byte(take(32))
	issued, expires := binary.BigEndian.Uint64(take(8)), binary.BigEndian.Uint64(take(8))
	if issued > 1<<62 || expires > 1<<62 {
		return errors.New("card: a time out of range")
	}
	c.Issued, c.Expires = time.Unix(int64(issued), 0), time.Unix(int64(expires), 0)
	c.Signature = [65]byte(take(65))
	*s = c
	return nil
}
