package light

import (
	"encoding/binary"
	"errors"
	"fmt"

	ma "github.com/multiformats/go-multiaddr"
)

// ErrBadMultiaddrs means a registry entry's multiaddrs field does not decode.
var ErrBadMultiaddrs = errors.New("chain: malformed multiaddrs")

// EncodeMultiaddrs packs addresses as the registry stores them: each binary
// multiaddr prefixed by its length as a uvarint. Binary multiaddrs are short
// (an IPv4 TCP address is 8 bytes), which keeps registration cheap.
func EncodeMultiaddrs(addrs []ma.Multiaddr) []byte {
	var out []byte
	for _, a := range addrs {
		b := a.Bytes()
		out = binary.AppendUvarint(out, uint64(len(b)))
		out = append(out, b...)
	}
	return out
}

// DecodeMultiaddrs unpacks what EncodeMultiaddrs packed.
func DecodeMultiaddrs(b []byte) ([]ma.Multiaddr, error) {
	var out []ma.Multiaddr
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, fmt.Errorf("%w: bad length prefix", ErrBadMultiaddrs)
		}
		a, err := ma.NewMultiaddrBytes(b[k : k+int(n)])
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadMultiaddrs, err)
		}
		out = append(out, a)
		b = b[k+int(n):]
	}
	return out, nil
}
