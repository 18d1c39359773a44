package tickets

import (
	"math/rand/v2"
	"testing"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
)

// TestHashUncleared checks that clearing the cofactor of hashUncleared,
// as batch verification does, gives bls.HashToG1, and that clearing it
// after a linear combination equals the combination of the hashes.
func TestHashUncleared(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 50 {
		var serial [SerialSize]byte
		for j := range serial {
			serial[j] = byte(rng.Uint32())
		}
		dst := []byte(DST(uint64(i)*7919, uint64(i)))
		want, err := bls.HashToG1(serial[:], dst)
		if err != nil {
			t.Fatal(err)
		}
		p := hashUncleared(dst, &serial)
		if p.IsInSubGroup() {
			t.Errorf("#%d: uncleared point already in G1 (possible, but not 50 times)", i)
		}
		var got bls.G1Affine
		got.FromJacobian(p.ClearCofactor(&p))
		if !got.Equal(&want) {
			t.Fatalf("#%d: cleared hash differs from HashToG1", i)
		}
	}
}
