package pki

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain/light"
	"github.com/murmurnet/murmur/sphinx"
)

// Limits of a descriptor, checked by [Seal] and [Open].
const (
	// MaxDescriptorSize bounds a sealed descriptor (the whole envelope);
	// [Open] refuses anything larger before parsing it.
	MaxDescriptorSize = 8 << 10
	// MaxMultiaddrs bounds Descriptor.Multiaddrs.
	MaxMultiaddrs = 16
	// MaxParams bounds Descriptor.Params.
	MaxParams = 64
)

// Descriptor parameters of a ticket issuer (a relay with
// [light.RoleIssuer]): what one of its tickets costs and pays for. Clients
// read them to choose an issuer; providers credit a ticket with
// ParamTicketPackets packets.
const (
	ParamTicketPriceWei = "ticket_price_wei" // decimal wei
	ParamTicketPackets  = "ticket_packets"   // decimal
)

// DescriptorDomain is the libp2p signed-envelope domain of descriptors: a
// signature over a descriptor cannot be passed off as a signature in any
// other domain, nor the other way round. The envelope's payload type is the
// multicodec private-use code 0x300001 as an unsigned varint (0x81 0x80
// 0xc0 0x01), and its payload the descriptor's JSON.
const DescriptorDomain = "murmur-descriptor"

// descriptorCodec is the envelope payload type of descriptors.
var descriptorCodec = binary.AppendUvarint(nil, 0x300001)

// EpochKey is a relay's X25519 Sphinx public key for one epoch.
type EpochKey struct {
	Epoch uint64
	Key   sphinx.PublicKey
}

// Descriptor is what a relay publishes about itself for an epoch, sealed
// by [Seal] with its libp2p identity key. Its NodeKey, Operator and Roles
// must be the relay's registry entry; the rest is the relay's own word.
type Descriptor struct {
	NodeKey  [32]byte // libp2p Ed25519 public key, the one that signs
	Operator common.Address
	Roles    light.Roles
	Epoch    uint64
	// SphinxKeys holds the key of Epoch first, then optionally the key of
	// Epoch+1, so that packets can be built for the next epoch before its
	// descriptors spread.
	SphinxKeys     []EpochKey
	Multiaddrs     []string          // text multiaddrs the relay listens on
	PerHopPriceWei string            // decimal wei per packet forwarded
	Params         map[string]string // network parameters (mu, lambdas, ...); opaque here
	IssuedAt       int64             // unix seconds; a later descriptor replaces an earlier one
}

// SphinxKey returns the descriptor's Sphinx key for epoch e, if it has one.
func (d *Descriptor) SphinxKey(e uint64) (sphinx.PublicKey, bool) {
	for _, k := range d.SphinxKeys {
		if k.Epoch == e {
			return k.Key, true
		}
	}
	return sphinx.PublicKey{}, false
}

// Validate checks the descriptor's fields: a non-zero node key, known
// roles, this epoch's Sphinx key (and at most the next one's), at most
// [MaxMultiaddrs] parseable multiaddrs, a decimal price below 2^256, at
// most [MaxParams] parameters with non-empty names, and a positive
// IssuedAt. It does not check the signature or the registry.
func (d *Descriptor) Validate() error {
	if d.NodeKey == ([32]byte{}) {
		return errors.New("zero node key")
	}
	if d.Roles == 0 || d.Roles&^(light.RoleProvider|light.RoleMix|light.RoleIssuer) != 0 {
		return fmt.Errorf("invalid roles %d", d.Roles)
	}
	switch len(d.SphinxKeys) {
	case 2:
		if d.Epoch == math.MaxUint64 || d.SphinxKeys[1].Epoch != d.Epoch+1 {
			return fmt.Errorf("second Sphinx key is for epoch %d, want %d", d.SphinxKeys[1].Epoch, d.Epoch+1)
		}
		if d.SphinxKeys[1].Key == (sphinx.PublicKey{}) {
			return errors.New("zero Sphinx key")
		}
		fallthrough
	case 1:
		if d.SphinxKeys[0].Epoch != d.Epoch {
			return fmt.Errorf("first Sphinx key is for epoch %d, want %d", d.SphinxKeys[0].Epoch, d.Epoch)
		}
		if d.SphinxKeys[0].Key == (sphinx.PublicKey{}) {
			return errors.New("zero Sphinx key")
		}
	default:
		return fmt.Errorf("%d Sphinx keys, want this epoch's and optionally the next's", len(d.SphinxKeys))
	}
	if len(d.Multiaddrs) > MaxMultiaddrs {
		return fmt.Errorf("%d multiaddrs, at most %d", len(d.Multiaddrs), MaxMultiaddrs)
	}
	for _, s := range d.Multiaddrs {
		if _, err := ma.NewMultiaddr(s); err != nil {
			return fmt.Errorf("multiaddr %q: %v", s, err)
		}
	}
	if !isDecimal(d.PerHopPriceWei, 78) {
		return fmt.Errorf("price %q is not a decimal number of wei", d.PerHopPriceWei)
	}
	if len(d.Params) > MaxParams {
		return fmt.Errorf("%d parameters, at most %d", len(d.Params), MaxParams)
	}
	for k := range d.Params {
		if k == "" {
			return errors.New("parameter with an empty name")
		}
	}
	if d.IssuedAt <= 0 {
		return fmt.Errorf("issuedAt %d is not positive", d.IssuedAt)
	}
	return nil
}

// isDecimal reports whether s is a canonical non-negative decimal integer
// ("0", or no leading zero) of at most max digits.
func isDecimal(s string, max int) bool {
	if s == "" || len(s) > max || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Open checks a sealed descriptor and returns it. It refuses, with
// [ErrInvalidDescriptor], anything larger than [MaxDescriptorSize] (before
// parsing), an envelope that is not signed by an Ed25519 key in the
// descriptor domain with the descriptor payload type, a signature that
// does not verify, a payload that is not a valid [Descriptor], and a
// descriptor whose NodeKey is not the signing key. It does not consult the
// registry; [Directory.Add] does.
func Open(b []byte) (*Descriptor, error) {
	if len(b) > MaxDescriptorSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrInvalidDescriptor, len(b), MaxDescriptorSize)
	}
	d, err := open(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidDescriptor, err)
	}
	return d, nil
}

// descriptorRecord is a [Descriptor] as a libp2p record.Record. It is not
// registered with record.RegisterType: [Open] names the type it expects.
type descriptorRecord struct{ d *Descriptor }

func (*descriptorRecord) Domain() string { return DescriptorDomain }
func (*descriptorRecord) Codec() []byte  { return descriptorCodec }

func (r *descriptorRecord) MarshalRecord() ([]byte, error) { return json.Marshal(toWire(r.d)) }

// UnmarshalRecord decodes the JSON payload strictly: no unknown fields, no
// trailing data, and the result must pass [Descriptor.Validate].
func (r *descriptorRecord) UnmarshalRecord(b []byte) error {
	var w descriptorWire
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return fmt.Errorf("payload: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("payload: trailing data")
	}
	d := fromWire(&w)
	if err := d.Validate(); err != nil {
		return err
	}
	r.d = d
	return nil
}

// descriptorWire is the JSON payload of a descriptor.
type descriptorWire struct {
	NodeKey        common.Hash       `json:"nodeKey"`
	Operator       common.Address    `json:"operator"`
	Roles          light.Roles       `json:"roles"`
	Epoch          uint64            `json:"epoch"`
	SphinxKeys     []epochKeyWire    `json:"sphinxKeys"`
	Multiaddrs     []string          `json:"multiaddrs"`
	PerHopPriceWei string            `json:"perHopPriceWei"`
	Params         map[string]string `json:"params,omitempty"`
	IssuedAt       int64             `json:"issuedAt"`
}

type epochKeyWire struct {
	Epoch uint64        `json:"epoch"`
	Key   hexutil.Bytes `json:"key"`
}

func toWire(d *Descriptor) *descriptorWire {
	w := &descriptorWire{
		NodeKey:        d.NodeKey,
		Operator:       d.Operator,
		Roles:          d.Roles,
		Epoch:          d.Epoch,
		Multiaddrs:     d.Multiaddrs,
		PerHopPriceWei: d.PerHopPriceWei,
		Params:         d.Params,
		IssuedAt:       d.IssuedAt,
	}
	for _, k := range d.SphinxKeys {
		w.SphinxKeys = append(w.SphinxKeys, epochKeyWire{Epoch: k.Epoch, Key: k.Key[:]})
	}
	return w
}

func fromWire(w *descriptorWire) *Descriptor {
	d := &Descriptor{
		NodeKey:        w.NodeKey,
		Operator:       w.Operator,
		Roles:          w.Roles,
		Epoch:          w.Epoch,
		Multiaddrs:     w.Multiaddrs,
		PerHopPriceWei: w.PerHopPriceWei,
		Params:         w.Params,
		IssuedAt:       w.IssuedAt,
	}
	for _, k := range w.SphinxKeys {
		var pk sphinx.PublicKey
		if len(k.Key) != len(pk) {
			// Leave a zero key, which Validate refuses.
			d.SphinxKeys = append(d.SphinxKeys, EpochKey{Epoch: k.Epoch})
			continue
		}
		copy(pk[:], k.Key)
		d.SphinxKeys = append(d.SphinxKeys, EpochKey{Epoch: k.Epoch, Key: pk})
	}
	return d
}
