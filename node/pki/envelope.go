package pki

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// openEnvelope checks a sealed descriptor without libp2p: it reads the
// libp2p signed envelope (record.Envelope: field 1 the signer's public key
// as a crypto.pb.PublicKey {1: key type, 2: key bytes}, 2 the payload
// type, 3 the payload, 5 the signature) and verifies its Ed25519
// signature over the envelope's signed form (each of domain, payload type
// and payload prefixed by its length as a uvarint). The browser core
// opens descriptors with it: libp2p's key and record packages would add
// 1.5 MB of gzipped WebAssembly to the page for this one check.
//
// It is stricter than libp2p's proto decoding (no unknown, repeated or
// missing fields), so that whatever it accepts, [Open] on a native build
// accepts as the same descriptor; the tests hold it to that.
func openEnvelope(b []byte) (*Descriptor, error) {
	f, err := protoFields(b, map[protowire.Number]protowire.Type{1: protowire.BytesType, 2: protowire.BytesType, 3: protowire.BytesType, 5: protowire.BytesType})
	if err != nil {
		return nil, fmt.Errorf("envelope: %w", err)
	}
	key, err := protoFields(f[1], map[protowire.Number]protowire.Type{1: protowire.VarintType, 2: protowire.BytesType})
	if err != nil {
		return nil, fmt.Errorf("envelope public key: %w", err)
	}
	kt, n := protowire.ConsumeVarint(key[1])
	if n != len(key[1]) {
		return nil, errors.New("envelope public key: bad key type")
	}
	if kt != ed25519KeyType {
		return nil, fmt.Errorf("signed by a key of type %d, want Ed25519", kt)
	}
	if len(key[2]) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("Ed25519 key of %d bytes", len(key[2]))
	}
	if !bytes.Equal(f[2], descriptorCodec) {
		return nil, fmt.Errorf("payload type %x, want %x", f[2], descriptorCodec)
	}
	if !ed25519.Verify(ed25519.PublicKey(key[2]), signedForm(DescriptorDomain, f[2], f[3]), f[5]) {
		return nil, errors.New("failed to validate envelope: invalid signature")
	}
	rec := &descriptorRecord{}
	if err := rec.UnmarshalRecord(f[3]); err != nil {
		return nil, err
	}
	if !bytes.Equal(key[2], rec.d.NodeKey[:]) {
		return nil, fmt.Errorf("signed by %x, not by its node key %x", key[2], rec.d.NodeKey)
	}
	return rec.d, nil
}

// ed25519KeyType is crypto.pb.KeyType_Ed25519.
const ed25519KeyType = 1

// protoFields reads a protobuf message that has exactly the given fields,
// each once and of its wire type: bytes (length-delimited) fields as their
// contents, varint fields as their encoding.
func protoFields(b []byte, want map[protowire.Number]protowire.Type) (map[protowire.Number][]byte, error) {
	out := make(map[protowire.Number][]byte, len(want))
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		if wt, ok := want[num]; !ok || wt != typ {
			return nil, fmt.Errorf("unexpected field %d of wire type %d", num, typ)
		}
		b = b[n:]
		var v []byte
		switch typ {
		case protowire.BytesType:
			v, n = protowire.ConsumeBytes(b)
		case protowire.VarintType:
			_, n = protowire.ConsumeVarint(b)
			if n >= 0 {
				v = b[:n]
			}
		}
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		b = b[n:]
		if _, dup := out[num]; dup {
			return nil, fmt.Errorf("field %d repeated", num)
		}
		out[num] = v
	}
	for num := range want {
		if _, ok := out[num]; !ok {
			return nil, fmt.Errorf("field %d missing", num)
		}
	}
	return out, nil
}

// signedForm is what a libp2p envelope's signature covers.
func signedForm(domain string, payloadType, payload []byte) []byte {
	var b []byte
	for _, f := range [][]byte{[]byte(domain), payloadType, payload} {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}
