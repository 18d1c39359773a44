package sphinx_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/murmurnet/murmur/sphinx"
	"github.com/murmurnet/murmur/sphinx/internal/vectors"
)

// The seed corpus of these targets is in testdata/fuzz, written by
// internal/vectorgen (go generate).

// FuzzUnwrap checks that Unwrap returns an error or a consistent result
// for any byte string, and never panics.
func FuzzUnwrap(f *testing.F) {
	g := sphinx.DefaultGeometry()
	p, err := sphinx.NewProcessor(g)
	if err != nil {
		f.Fatal(err)
	}
	key, err := sphinx.GenerateKey(vectors.NewRand(vectors.FuzzKeySeed))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := bytes.Clone(data)
		res, err := p.Unwrap(key, in)
		if err != nil {
			if res.Command != nil || res.Packet != nil || res.Payload != nil {
				t.Fatalf("error %v with a result", err)
			}
			if (err == sphinx.ErrPacketSize || err == sphinx.ErrInvalidMAC) && !bytes.Equal(in, data) {
				t.Fatalf("%v, but the packet was changed", err)
			}
			for _, want := range []error{sphinx.ErrPacketSize, sphinx.ErrInvalidMAC, sphinx.ErrUnknownCommand,
				sphinx.ErrInvalidCommand, sphinx.ErrPayloadTampered} {
				if err == want {
					return
				}
			}
			t.Fatalf("unexpected error %v", err)
		}
		switch res.Command.(type) {
		case sphinx.Relay:
			if len(res.Packet) != g.PacketSize() || res.Payload != nil {
				t.Fatalf("relay result %d-byte packet, payload %v", len(res.Packet), res.Payload != nil)
			}
		case sphinx.SURBReply:
			if len(res.Payload) != g.PayloadSize+sphinx.PayloadOverhead || res.Packet != nil {
				t.Fatal("bad SURB reply result")
			}
		case sphinx.Deliver, sphinx.Drop:
			if len(res.Payload) > g.PayloadSize || res.Packet != nil {
				t.Fatal("bad final result")
			}
		default:
			t.Fatalf("unknown command %T", res.Command)
		}
	})
}

// FuzzDecodeCommand checks that decoding never panics and that what
// decodes re-encodes to the same bytes, up to the zero padding.
func FuzzDecodeCommand(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := sphinx.DecodeCommand(data)
		if err != nil {
			if c != nil {
				t.Fatal("error with a command")
			}
			if !errors.Is(err, sphinx.ErrUnknownCommand) && !errors.Is(err, sphinx.ErrInvalidCommand) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		enc := sphinx.AppendCommand(nil, c)
		if !bytes.HasPrefix(data, enc) || bytes.Count(data[len(enc):], []byte{0}) != len(data)-len(enc) {
			t.Fatalf("%x decodes to %#v, which encodes to %x", data, c, enc)
		}
		if sphinx.CommandType(data[0]) != c.Type() {
			t.Fatalf("type %x decodes to %T", data[0], c)
		}
	})
}

// FuzzUnmarshalSURB checks that decoding a SURB or SURB keys never panics
// and that what decodes re-encodes to the same bytes and can be used.
func FuzzUnmarshalSURB(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		var s sphinx.SURB
		if err := s.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, sphinx.ErrInvalidSURB) {
				t.Fatalf("SURB: unexpected error %v", err)
			}
		} else {
			enc, err := s.MarshalBinary()
			if err != nil || !bytes.Equal(enc, data) {
				t.Fatalf("SURB does not re-encode: %v", err)
			}
			if _, pkt, err := sphinx.NewPacketFromSURB(&s, []byte("x")); err != nil || len(pkt) != s.Geometry().PacketSize() {
				t.Fatalf("decoded SURB unusable: %v", err)
			}
		}
		var k sphinx.SURBKeys
		if err := k.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, sphinx.ErrInvalidSURB) {
				t.Fatalf("SURBKeys: unexpected error %v", err)
			}
			return
		}
		enc, err := k.MarshalBinary()
		if err != nil || !bytes.Equal(enc, data) {
			t.Fatalf("SURBKeys do not re-encode: %v", err)
		}
	})
}
