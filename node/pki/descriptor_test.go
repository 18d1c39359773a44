package pki

import (
	"bytes"
	"crypto/rand"
	"errors"
	"reflect"
	"strings"
	"testing"

	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/record"
	recpb "github.com/libp2p/go-libp2p/core/record/pb"
	"google.golang.org/protobuf/proto"

	"github.com/murmurnet/murmur/chain"
)

func TestDescriptorSealOpen(t *testing.T) {
	n := newTestNet(t, chain.RoleMix)
	d := n.descriptor(0, 5)
	b := n.seal(t, 0, d)
	if len(b) > MaxDescriptorSize {
		t.Fatalf("sealed descriptor is %d bytes", len(b))
	}
	got, err := Open(b)
	if err != nil {
		t.Fatal(err)
	}
	env, err := record.UnmarshalEnvelope(b)
	if err != nil || !bytes.Equal(env.PayloadType, []byte{0x81, 0x80, 0xc0, 0x01}) {
		t.Fatalf("payload type %x (%v), want the varint of 0x300001", env.PayloadType, err)
	}
	if !reflect.DeepEqual(got, d) {
		t.Fatalf("opened %+v\nwant   %+v", got, d)
	}
	// The browser core's opener, without libp2p, reads the same.
	if light, err := openEnvelope(b); err != nil || !reflect.DeepEqual(light, d) {
		t.Fatalf("openEnvelope: %+v %v\nwant %+v", light, err, d)
	}
	if k, ok := got.SphinxKey(6); !ok || k != sphinxKey(n.ids[0], 6) {
		t.Fatal("next epoch's key missing")
	}
	if _, ok := got.SphinxKey(7); ok {
		t.Fatal("key for an epoch the descriptor does not cover")
	}

	// Only this epoch's key is fine too.
	d.SphinxKeys = d.SphinxKeys[:1]
	d.Params, d.Multiaddrs = nil, nil
	if got, err := Open(n.seal(t, 0, d)); err != nil || !reflect.DeepEqual(got, d) {
		t.Fatalf("one key: %+v %v", got, err)
	}
}

func TestSealRefuses(t *testing.T) {
	n := newTestNet(t, chain.RoleMix, chain.RoleMix)
	d := n.descriptor(0, 5)
	if _, err := Seal(d, n.ids[1].id); err == nil {
		t.Fatal("sealed with a key other than the node key")
	}
	secp, _, _ := lcrypto.GenerateSecp256k1Key(rand.Reader)
	if _, err := Seal(d, secp); err == nil {
		t.Fatal("sealed with a secp256k1 key")
	}
	for name, mutate := range invalidDescriptors() {
		d := n.descriptor(0, 5)
		mutate(d)
		if _, err := Seal(d, n.ids[0].id); err == nil {
			t.Errorf("%s: sealed", name)
		}
	}
	big := n.descriptor(0, 5)
	big.Params = map[string]string{"x": strings.Repeat("a", MaxDescriptorSize)}
	if _, err := Seal(big, n.ids[0].id); err == nil {
		t.Fatal("sealed a descriptor larger than the maximum")
	}
}

func invalidDescriptors() map[string]func(*Descriptor) {
	return map[string]func(*Descriptor){
		"zero node key":     func(d *Descriptor) { d.NodeKey = [32]byte{} },
		"no roles":          func(d *Descriptor) { d.Roles = 0 },
		"unknown role":      func(d *Descriptor) { d.Roles = 8 },
		"no sphinx key":     func(d *Descriptor) { d.SphinxKeys = nil },
		"three sphinx keys": func(d *Descriptor) { d.SphinxKeys = append(d.SphinxKeys, d.SphinxKeys[0]) },
		"key of another epoch": func(d *Descriptor) {
			d.SphinxKeys[0].Epoch++
		},
		"next key of another epoch": func(d *Descriptor) { d.SphinxKeys[1].Epoch += 2 },
		"zero sphinx key":           func(d *Descriptor) { d.SphinxKeys[1].Key = [32]byte{} },
		"bad multiaddr":             func(d *Descriptor) { d.Multiaddrs = []string{"not a multiaddr"} },
		"too many multiaddrs": func(d *Descriptor) {
			d.Multiaddrs = make([]string, MaxMultiaddrs+1)
			for i := range d.Multiaddrs {
				d.Multiaddrs[i] = "/ip4/127.0.0.1/tcp/1"
			}
		},
		"empty price":     func(d *Descriptor) { d.PerHopPriceWei = "" },
		"negative price":  func(d *Descriptor) { d.PerHopPriceWei = "-1" },
		"leading zero":    func(d *Descriptor) { d.PerHopPriceWei = "01" },
		"price too long":  func(d *Descriptor) { d.PerHopPriceWei = strings.Repeat("9", 79) },
		"empty parameter": func(d *Descriptor) { d.Params = map[string]string{"": "x"} },
		"no issue time":   func(d *Descriptor) { d.IssuedAt = 0 },
	}
}

// sealRaw seals any record with any key, bypassing Seal's checks, to build
// what an attacker could send.
func sealRaw(t *testing.T, rec record.Record, key lcrypto.PrivKey) []byte {
	t.Helper()
	env, err := record.Seal(rec, key)
	if err != nil {
		t.Fatal(err)
	}
	b, err := env.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// otherDomain is a descriptor record signed in another domain.
type otherDomain struct{ descriptorRecord }

func (*otherDomain) Domain() string { return "libp2p-peer-record" }

// rawRecord is a descriptor domain record with an arbitrary payload.
type rawRecord struct {
	payload []byte
	codec   []byte
}

func (*rawRecord) Domain() string                   { return DescriptorDomain }
func (r *rawRecord) Codec() []byte                  { return r.codec }
func (r *rawRecord) MarshalRecord() ([]byte, error) { return r.payload, nil }
func (r *rawRecord) UnmarshalRecord([]byte) error   { return nil }

func TestOpenRefuses(t *testing.T) {
	n := newTestNet(t, chain.RoleMix, chain.RoleMix)
	d := n.descriptor(0, 5)
	good := n.seal(t, 0, d)
	payload, _ := (&descriptorRecord{d: d}).MarshalRecord()

	forged := bytes.Clone(good)
	forged[len(forged)-1] ^= 1 // the signature is the envelope's last field

	// A payload changed after signing, with the original signature.
	var env recpb.Envelope
	if err := proto.Unmarshal(good, &env); err != nil {
		t.Fatal(err)
	}
	env.Payload = bytes.Replace(env.Payload, []byte(`"perHopPriceWei":"1000000000"`), []byte(`"perHopPriceWei":"1"`), 1)
	tampered, _ := proto.Marshal(&env)

	secp, _, _ := lcrypto.GenerateSecp256k1Key(rand.Reader)

	cases := map[string][]byte{
		"empty":              nil,
		"garbage":            []byte("hello"),
		"truncated":          good[:len(good)-10],
		"forged signature":   forged,
		"tampered payload":   tampered,
		"signed by another":  sealRaw(t, &descriptorRecord{d: d}, n.ids[1].id), // NodeKey is relay 0's
		"other domain":       sealRaw(t, &otherDomain{descriptorRecord{d: d}}, n.ids[0].id),
		"other payload type": sealRaw(t, &rawRecord{payload: payload, codec: []byte{0x03, 0x01}}, n.ids[0].id),
		"secp256k1 signer":   sealRaw(t, &rawRecord{payload: payload, codec: descriptorCodec}, secp),
		"unknown field":      sealRaw(t, &rawRecord{payload: append(payload[:len(payload)-1:len(payload)-1], []byte(`,"extra":1}`)...), codec: descriptorCodec}, n.ids[0].id),
		"trailing data":      sealRaw(t, &rawRecord{payload: append(bytes.Clone(payload), []byte(`{}`)...), codec: descriptorCodec}, n.ids[0].id),
		"not json":           sealRaw(t, &rawRecord{payload: []byte("nope"), codec: descriptorCodec}, n.ids[0].id),
		"oversize":           append(bytes.Clone(good), make([]byte, MaxDescriptorSize)...),
	}
	for name, mutate := range invalidDescriptors() {
		bad := n.descriptor(0, 5)
		mutate(bad)
		p, _ := (&descriptorRecord{d: bad}).MarshalRecord()
		cases["invalid field: "+name] = sealRaw(t, &rawRecord{payload: p, codec: descriptorCodec}, n.ids[0].id)
	}
	// Sanity: the raw route does produce openable envelopes.
	if _, err := Open(sealRaw(t, &rawRecord{payload: payload, codec: descriptorCodec}, n.ids[0].id)); err != nil {
		t.Fatalf("raw sealing of a good payload: %v", err)
	}
	// Envelopes the browser core's opener refuses for their form alone
	// (libp2p skips an unknown field; for a repeated one, the last wins).
	strict := map[string][]byte{
		"unknown envelope field": append(bytes.Clone(good), 0x32, 0x01, 0x00), // field 6, one byte
		"repeated payload":       append(bytes.Clone(good), 0x1a, 0x01, 0x00),
	}
	for name, b := range cases {
		if d, err := Open(b); !errors.Is(err, ErrInvalidDescriptor) {
			t.Errorf("%s: Open = %+v, %v; want ErrInvalidDescriptor", name, d, err)
		}
		strict[name] = b
	}
	for name, b := range strict {
		if d, err := openEnvelope(b); err == nil {
			t.Errorf("%s: openEnvelope = %+v", name, d)
		}
	}
}

func FuzzOpenDescriptor(f *testing.F) {
	n := &testNet{epochs: Epochs{Genesis: testGenesis, Length: testEpoch}, roles: []chain.Roles{chain.RoleMix}, ids: []identity{fixedIdentity(f, 1)}}
	good := n.seal(f, 0, n.descriptor(0, 5))
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x24, 0x08, 0x01, 0x12, 0x20})
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	f.Add(flipped)
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Open(b)
		// Whatever the browser core's opener accepts, libp2p's accepts as
		// the same descriptor.
		if light, lerr := openEnvelope(b); lerr == nil && len(b) <= MaxDescriptorSize && (err != nil || !reflect.DeepEqual(light, d)) {
			t.Fatalf("openEnvelope opened %+v; Open %+v, %v", light, d, err)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidDescriptor) || d != nil {
				t.Fatalf("Open failed with %v and %v", d, err)
			}
			return
		}
		if len(b) > MaxDescriptorSize {
			t.Fatal("opened an oversize descriptor")
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("opened an invalid descriptor: %v", err)
		}
		// Whatever opens was signed by its node key: only our seed can.
		if d.NodeKey != n.ids[0].nodeKey {
			t.Fatalf("opened a descriptor of %x signed by nobody we know", d.NodeKey)
		}
	})
}
