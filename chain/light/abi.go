package light

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// ErrABI means a contract's answer does not decode as the ABI says it must.
var ErrABI = errors.New("chain: malformed ABI data")

// MaxRelayViews bounds how many entries [DecodeRelayViews] accepts, so
// that a hostile endpoint's length word cannot make it allocate much.
const MaxRelayViews = 1 << 16

// word is v as one big-endian ABI word.
func word(v uint64) []byte {
	w := make([]byte, 32)
	binary.BigEndian.PutUint64(w[24:], v)
	return w
}

// abiData is ABI-encoded return data, read word by word with bounds
// checks: every offset and length comes from the endpoint.
type abiData []byte

func (d abiData) word(at uint64) ([]byte, error) {
	if at > uint64(len(d)) || uint64(len(d))-at < 32 {
		return nil, fmt.Errorf("%w: word at %d of %d bytes", ErrABI, at, len(d))
	}
	return d[at : at+32], nil
}

// uint reads the word at byte offset at as an unsigned integer of at most
// bits bits (≤ 64); higher bits set are an error, as the ABI decoder of
// package chain's bindings treats them.
func (d abiData) uint(at uint64, bits uint) (uint64, error) {
	w, err := d.word(at)
	if err != nil {
		return 0, err
	}
	for _, b := range w[:24] {
		if b != 0 {
			return 0, fmt.Errorf("%w: integer at %d exceeds %d bits", ErrABI, at, bits)
		}
	}
	v := binary.BigEndian.Uint64(w[24:])
	if bits < 64 && v>>bits != 0 {
		return 0, fmt.Errorf("%w: integer at %d exceeds %d bits", ErrABI, at, bits)
	}
	return v, nil
}

// offset reads a head word that points into the data, relative to base.
func (d abiData) offset(at, base uint64) (uint64, error) {
	v, err := d.uint(at, 64)
	if err != nil {
		return 0, err
	}
	if v > uint64(len(d)) || base > uint64(len(d))-v {
		return 0, fmt.Errorf("%w: offset %d at %d points past the end", ErrABI, v, at)
	}
	return base + v, nil
}

// bytes reads a dynamic bytes value that starts (with its length) at at.
func (d abiData) bytes(at uint64) ([]byte, error) {
	n, err := d.uint(at, 64)
	if err != nil {
		return nil, err
	}
	start := at + 32
	if n > uint64(len(d)) || start > uint64(len(d))-n {
		return nil, fmt.Errorf("%w: %d bytes at %d run past the end", ErrABI, n, at)
	}
	out := make([]byte, n) // empty, not nil, as go-ethereum's decoder gives it
	copy(out, d[start:start+n])
	return out, nil
}

// DecodeRelayViews decodes the return data of the registry's
// activeRelays(offset, limit): an IRelayRegistry.RelayView[], each
// (address operator, uint8 roles, Status status, uint128 stake, uint64
// unlockAt, bytes32 nodeKey, bytes multiaddrs).
func DecodeRelayViews(ret []byte) ([]Relay, error) {
	if len(ret)%32 != 0 {
		return nil, fmt.Errorf("%w: %d bytes is not a whole number of words", ErrABI, len(ret))
	}
	d := abiData(ret)
	arr, err := d.offset(0, 0)
	if err != nil {
		return nil, err
	}
	n, err := d.uint(arr, 64)
	if err != nil {
		return nil, err
	}
	if n > MaxRelayViews || n > (uint64(len(d))-arr)/32 {
		return nil, fmt.Errorf("%w: %d entries in %d bytes", ErrABI, n, len(d))
	}
	base := arr + 32 // tuple offsets are relative to the first head word
	out := make([]Relay, 0, n)
	for i := range n {
		t, err := d.offset(base+32*i, base)
		if err != nil {
			return nil, err
		}
		r, err := d.relayView(t)
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func (d abiData) relayView(t uint64) (Relay, error) {
	var r Relay
	w, err := d.word(t)
	if err != nil {
		return r, err
	}
	for _, b := range w[:12] {
		if b != 0 {
			return r, fmt.Errorf("%w: address at %d has high bits set", ErrABI, t)
		}
	}
	r.Operator = common.BytesToAddress(w[12:])
	roles, err := d.uint(t+32, 8)
	if err != nil {
		return r, err
	}
	status, err := d.uint(t+64, 8)
	if err != nil {
		return r, err
	}
	if status > uint64(StatusJailed) {
		return r, fmt.Errorf("%w: status %d is not a registry state", ErrABI, status)
	}
	stake, err := d.word(t + 96)
	if err != nil {
		return r, err
	}
	for _, b := range stake[:16] {
		if b != 0 {
			return r, fmt.Errorf("%w: stake at %d exceeds 128 bits", ErrABI, t+96)
		}
	}
	unlock, err := d.uint(t+128, 64)
	if err != nil {
		return r, err
	}
	key, err := d.word(t + 160)
	if err != nil {
		return r, err
	}
	ma, err := d.offset(t+192, t)
	if err != nil {
		return r, err
	}
	if r.Multiaddrs, err = d.bytes(ma); err != nil {
		return r, err
	}
	r.Roles, r.Status, r.Stake = Roles(roles), Status(status), new(big.Int).SetBytes(stake)
	copy(r.NodeKey[:], key)
	if unlock != 0 {
		if unlock > 1<<62 {
			return r, fmt.Errorf("%w: unlock time %d is out of range", ErrABI, unlock)
		}
		r.UnlockAt = time.Unix(int64(unlock), 0)
	}
	return r, nil
}

// IssuerKey is an issuer's ticket key as the TicketIssuer contract keeps
// it (ITicketIssuer.Key); Value is zero when the issuer published none.
type IssuerKey struct {
	Value     *big.Int // wei a ticket of the key is worth
	ExpiresAt uint64   // Unix seconds
	PublicKey []byte   // 256-byte EIP-2537 G2 point
}

// DecodeIssuerKey decodes the return data of keyOf(issuer, keyEpoch): one
// ITicketIssuer.Key (uint128 value, uint64 expiresAt, bytes publicKey).
func DecodeIssuerKey(ret []byte) (IssuerKey, error) {
	if len(ret)%32 != 0 {
		return IssuerKey{}, fmt.Errorf("%w: %d bytes of return data, not whole words", ErrABI, len(ret))
	}
	d := abiData(ret)
	t, err := d.offset(0, 0)
	if err != nil {
		return IssuerKey{}, err
	}
	v, err := d.word(t)
	if err != nil {
		return IssuerKey{}, err
	}
	for _, b := range v[:16] {
		if b != 0 {
			return IssuerKey{}, fmt.Errorf("%w: key value exceeds 128 bits", ErrABI)
		}
	}
	exp, err := d.uint(t+32, 64)
	if err != nil {
		return IssuerKey{}, err
	}
	p, err := d.offset(t+64, t)
	if err != nil {
		return IssuerKey{}, err
	}
	pub, err := d.bytes(p)
	if err != nil {
		return IssuerKey{}, err
	}
	return IssuerKey{Value: new(big.Int).SetBytes(v), ExpiresAt: exp, PublicKey: pub}, nil
}
