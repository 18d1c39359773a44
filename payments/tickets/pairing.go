package tickets

import (
	"sync"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
)

// lines are the precomputed Miller-loop lines of a fixed G2 point.
type lines = [2][len(bls.LoopCounter) - 1]bls.LineEvaluationAff

var (
	g2Gen, negG2Gen = func() (g, neg bls.G2Affine) {
		_, _, _, g = bls.Generators()
		neg.Neg(&g)
		return g, neg
	}()
	negG2Lines = sync.OnceValue(func() *lines {
		l := bls.PrecomputeLines(negG2Gen)
		return &l
	})
)

// pairingCheck reports whether e(sig, G2) = e(h, pk), computed as the
// single check e(sig, −G2)·e(h, pk) = 1.
func pairingCheck(sig, h *bls.G1Affine, pk *bls.G2Affine) bool {
	ok, err := bls.PairingCheck([]bls.G1Affine{*sig, *h}, []bls.G2Affine{negG2Gen, *pk})
	return err == nil && ok
}

// pairingCheckFixed reports whether ∏ e(ps[i], Q_i) = 1 where ls[i] are the
// precomputed lines of Q_i.
func pairingCheckFixed(ps []bls.G1Affine, ls []*lines) bool {
	// The Miller loop scales the lines in place: give it copies.
	buf := make([]lines, len(ls))
	for i, l := range ls {
		buf[i] = *l
	}
	ok, err := bls.PairingCheckFixedQ(ps, buf)
	return err == nil && ok
}
