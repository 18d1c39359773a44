package sphinx

import (
	"crypto/sha256"
	"testing"

	"golang.org/x/crypto/chacha20"
)

// testRand is a deterministic randomness source for tests: the ChaCha20
// keystream keyed by SHA-256(seed). It is the same stream as
// internal/vectors.NewRand, which these in-package tests cannot import
// (internal/vectors imports sphinx).
type testRand struct{ c *chacha20.Cipher }

func newTestRand(seed string) *testRand {
	k := sha256.Sum256([]byte(seed))
	c, err := chacha20.NewUnauthenticatedCipher(k[:], make([]byte, chacha20.NonceSize))
	if err != nil {
		panic(err)
	}
	return &testRand{c}
}

func (r *testRand) Read(p []byte) (int, error) {
	clear(p)
	r.c.XORKeyStream(p, p)
	return len(p), nil
}

// testNode is a relay with its key.
type testNode struct {
	id   NodeID
	priv *PrivateKey
}

func newTestNodes(t testing.TB, rnd *testRand, n int) []testNode {
	t.Helper()
	nodes := make([]testNode, n)
	for i := range nodes {
		rnd.Read(nodes[i].id[:])
		k, err := GenerateKey(rnd)
		if err != nil {
			t.Fatal(err)
		}
		nodes[i].priv = k
	}
	return nodes
}

// testPath returns a path through nodes that ends with final.
func testPath(nodes []testNode, final Command) []Hop {
	path := make([]Hop, len(nodes))
	for i, n := range nodes {
		path[i] = Hop{ID: n.id, PublicKey: n.priv.Public()}
		if i < len(nodes)-1 {
			path[i].Command = Relay{Next: nodes[i+1].id, Delay: uint32(100 * (i + 1))}
		} else {
			path[i].Command = final
		}
	}
	return path
}

func mustProcessor(t testing.TB, g Geometry) *Processor {
	t.Helper()
	p, err := NewProcessor(g)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
