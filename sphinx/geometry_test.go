package sphinx

import (
	"encoding/hex"
	"errors"
	"testing"
)

func TestDefaultGeometry(t *testing.T) {
	g := DefaultGeometry()
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	if g.Hops != 5 || g.PayloadSize != 2048 {
		t.Fatalf("DefaultGeometry() = %+v, want 5 hops and 2048 bytes of payload", g)
	}
	if got, want := g.HeaderSize(), 32+5*80+16; got != want {
		t.Errorf("HeaderSize() = %d, want %d", got, want)
	}
	if got, want := g.PacketSize(), 32+5*80+16+16+4+2048; got != want {
		t.Errorf("PacketSize() = %d, want %d", got, want)
	}
}

// TestGeometryHashPinned pins the hash of the default geometry: it is
// announced by networks, so it must not change unless the wire format
// does (and then the label's version changes too). Independently:
// sha256(b"murmur/sphinx/v1 geometry" + bytes([5]) + (80).to_bytes(2) + (2048).to_bytes(4))
func TestGeometryHashPinned(t *testing.T) {
	h := DefaultGeometry().Hash()
	if got, want := hex.EncodeToString(h[:]), "8e35af3f24bede2881d81a45af791dee14e8f6cb13a0424c10e9891976df68ec"; got != want {
		t.Fatalf("DefaultGeometry().Hash() = %s, want %s", got, want)
	}
}

func TestGeometryHashDistinguishes(t *testing.T) {
	d := DefaultGeometry()
	seen := map[[32]byte]Geometry{d.Hash(): d}
	for _, g := range []Geometry{
		{Hops: 4, PayloadSize: 2048, RoutingInfoSize: 80},
		{Hops: 5, PayloadSize: 2049, RoutingInfoSize: 80},
		{Hops: 5, PayloadSize: 2048, RoutingInfoSize: 81},
		{Hops: 4, PayloadSize: 2048, RoutingInfoSize: 100}, // same packet size as the default
	} {
		h := g.Hash()
		if other, ok := seen[h]; ok {
			t.Fatalf("%+v and %+v have the same hash", g, other)
		}
		seen[h] = g
	}
	if d.Hash() != DefaultGeometry().Hash() {
		t.Fatal("hash is not deterministic")
	}
}

func TestGeometryValidate(t *testing.T) {
	ok := DefaultGeometry()
	for _, tc := range []struct {
		g     Geometry
		valid bool
	}{
		{ok, true},
		{Geometry{Hops: 1, PayloadSize: MinPayloadSize, RoutingInfoSize: MinRoutingInfoSize}, true},
		{Geometry{Hops: MaxHops, PayloadSize: MaxPayloadSize, RoutingInfoSize: MaxRoutingInfoSize}, true},
		{Geometry{}, false},
		{Geometry{Hops: 0, PayloadSize: 2048, RoutingInfoSize: 80}, false},
		{Geometry{Hops: -1, PayloadSize: 2048, RoutingInfoSize: 80}, false},
		{Geometry{Hops: MaxHops + 1, PayloadSize: 2048, RoutingInfoSize: 80}, false},
		{Geometry{Hops: 5, PayloadSize: MinPayloadSize - 1, RoutingInfoSize: 80}, false},
		{Geometry{Hops: 5, PayloadSize: MaxPayloadSize + 1, RoutingInfoSize: 80}, false},
		{Geometry{Hops: 5, PayloadSize: 2048, RoutingInfoSize: MinRoutingInfoSize - 1}, false},
		{Geometry{Hops: 5, PayloadSize: 2048, RoutingInfoSize: MaxRoutingInfoSize + 1}, false},
	} {
		err := tc.g.Validate()
		if tc.valid && err != nil {
			t.Errorf("%+v: %v", tc.g, err)
		}
		if !tc.valid && !errors.Is(err, ErrInvalidGeometry) {
			t.Errorf("%+v: error %v, want ErrInvalidGeometry", tc.g, err)
		}
	}
	if _, err := NewProcessor(Geometry{}); !errors.Is(err, ErrInvalidGeometry) {
		t.Errorf("NewProcessor(zero geometry) error %v, want ErrInvalidGeometry", err)
	}
	if _, err := NewPacket(newTestRand(""), Geometry{}, nil, nil); !errors.Is(err, ErrInvalidGeometry) {
		t.Errorf("NewPacket(zero geometry) error %v, want ErrInvalidGeometry", err)
	}
}

func TestGeometryEncoding(t *testing.T) {
	g := Geometry{Hops: 7, PayloadSize: 70000, RoutingInfoSize: 300}
	b := g.appendBinary(nil)
	if len(b) != geometryEncodingSize {
		t.Fatalf("encoding is %d bytes, want %d", len(b), geometryEncodingSize)
	}
	got, err := parseGeometry(b)
	if err != nil || got != g {
		t.Fatalf("parseGeometry = %+v, %v; want %+v", got, err, g)
	}
	if _, err := parseGeometry(b[:6]); !errors.Is(err, ErrInvalidGeometry) {
		t.Errorf("truncated: error %v", err)
	}
}
