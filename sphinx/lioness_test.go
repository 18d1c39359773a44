package sphinx

import (
	"bytes"
	"testing"

	"golang.org/x/crypto/blake2b"
)

func TestLionessRoundTrip(t *testing.T) {
	rnd := newTestRand("lioness")
	for _, n := range []int{33, 64, 100, 2068} {
		var key [32]byte
		rnd.Read(key[:])
		plain := make([]byte, n)
		rnd.Read(plain)
		block := bytes.Clone(plain)
		lionessEncrypt(&key, block)
		if bytes.Equal(block, plain) {
			t.Fatal("encryption changed nothing")
		}
		c := bytes.Clone(block)
		lionessDecrypt(&key, block)
		if !bytes.Equal(block, plain) {
			t.Fatalf("n=%d: decrypt(encrypt(p)) != p", n)
		}
		// Any flipped bit of the ciphertext garbles the whole plaintext,
		// both halves.
		for _, pos := range []int{0, 31, 32, n / 2, n - 1} {
			d := bytes.Clone(c)
			d[pos] ^= 0x10
			lionessDecrypt(&key, d)
			if same := countEqual(d[:32], plain[:32]); same > 8 {
				t.Errorf("n=%d flip %d: %d of the first 32 bytes survive", n, pos, same)
			}
			if same := countEqual(d[32:], plain[32:]); same > 8+(n-32)/32 {
				t.Errorf("n=%d flip %d: %d of the last %d bytes survive", n, pos, same, n-32)
			}
		}
	}
}

func countEqual(a, b []byte) int {
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return n
}

func TestPrefixKeyedHash(t *testing.T) {
	key := [32]byte{1, 2, 3}
	buf := []byte("0123456789abcdef0123456789abcdef and the message")
	orig := bytes.Clone(buf)
	got := prefixKeyedHash(&key, buf)
	want := blake2b.Sum256(append(key[:], orig[32:]...))
	if got != want {
		t.Errorf("prefixKeyedHash = %x, want %x", got, want)
	}
	if !bytes.Equal(buf, orig) {
		t.Errorf("buffer not restored")
	}
}
