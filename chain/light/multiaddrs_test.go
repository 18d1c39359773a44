package light

import (
	"encoding/hex"
	"errors"
	"testing"

	ma "github.com/multiformats/go-multiaddr"
)

// TestEncodeMultiaddrsMatchesContractFixture pins the encoding: the Foundry
// tests register relays with this exact byte string (contracts/test/Base.t.sol).
func TestEncodeMultiaddrsMatchesContractFixture(t *testing.T) {
	addrs := []ma.Multiaddr{
		ma.StringCast("/ip4/127.0.0.1/tcp/4001"),
		ma.StringCast("/ip4/127.0.0.1/udp/4001/quic-v1"),
	}
	got := hex.EncodeToString(EncodeMultiaddrs(addrs))
	if want := "08047f000001060fa10b047f00000191020fa1cd03"; got != want {
		t.Fatalf("encoding %s, contract fixture %s", got, want)
	}
	back, err := DecodeMultiaddrs(EncodeMultiaddrs(addrs))
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 || !back[0].Equal(addrs[0]) || !back[1].Equal(addrs[1]) {
		t.Fatalf("round trip: %v", back)
	}
}

func TestDecodeMultiaddrsRejectsGarbage(t *testing.T) {
	for _, in := range []string{"09047f000001060fa1", "ff", "0300ffff", "80"} {
		b, _ := hex.DecodeString(in)
		if _, err := DecodeMultiaddrs(b); !errors.Is(err, ErrBadMultiaddrs) {
			t.Errorf("%s: got %v, want ErrBadMultiaddrs", in, err)
		}
	}
}

func FuzzDecodeMultiaddrs(f *testing.F) {
	f.Add([]byte{8, 4, 127, 0, 0, 1, 6, 0x0f, 0xa1})
	f.Add([]byte{0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		addrs, err := DecodeMultiaddrs(b)
		if err != nil {
			return
		}
		// Whatever decodes re-encodes to a form that decodes to the same addresses.
		again, err := DecodeMultiaddrs(EncodeMultiaddrs(addrs))
		if err != nil || len(again) != len(addrs) {
			t.Fatalf("re-decode: %v", err)
		}
	})
}
