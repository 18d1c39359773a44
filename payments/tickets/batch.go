package tickets

import (
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/consensys/gnark-crypto/ecc"
	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fp"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/hash_to_curve"
)

// Batch verification. For tickets i with signature σᵢ, message point Hᵢ
// and issuer key pkᵢ, and random 128-bit coefficients cᵢ, the batch is good
// if
//
//	e(Σᵢ cᵢσᵢ, −G2) · ∏_epochs e(Σ_{i in epoch} cᵢHᵢ, pk_epoch) = 1
//
// one multi-pairing with one pair per key epoch plus one, after two
// multi-scalar multiplications. A batch with a bad ticket fails this check
// except with probability about 2⁻¹²⁸; it is then bisected (with the same
// coefficients) down to single tickets, checked without coefficients.
//
// Hᵢ = clear_cofactor(Pᵢ), where Pᵢ = Q₀ + Q₁ is hash_to_curve before
// its last step (RFC 9380 §3). Clearing the cofactor is multiplication by
// the constant h_eff, so Σ cᵢHᵢ = clear_cofactor(Σ cᵢPᵢ): the batch clears
// the cofactor once per key instead of once per ticket, which saves a
// fifth of the work. Each step is gnark-crypto's; TestHashUncleared checks
// the composition against bls.HashToG1.

// batchItem is one ticket in batch verification.
type batchItem struct {
	idx    int // in the caller's batch
	v      *verifier
	serial *[SerialSize]byte
	sig    bls.G1Affine
	p      bls.G1Affine // Pᵢ: the message point before cofactor clearing
	c      fr.Element
}

// verifyItems sets errs[it.idx] to ErrBadSignature for every bad item.
func verifyItems(rand io.Reader, items []batchItem, errs []error) error {
	if len(items) == 0 {
		return nil
	}
	hashItems(items)
	if len(items) == 1 {
		if !checkOne(&items[0]) {
			errs[items[0].idx] = ErrBadSignature
		}
		return nil
	}
	buf := make([]byte, 16*len(items))
	if _, err := io.ReadFull(rand, buf); err != nil {
		return fmt.Errorf("tickets: reading batch coefficients: %w", err)
	}
	for i := range items {
		var c [fr.Bytes]byte
		copy(c[16:], buf[16*i:16*i+16])
		c[31] |= 1 // never zero, which would hide a bad ticket
		items[i].c.SetBytes(c[:])
	}
	if !checkCombined(items) {
		findBad(items, errs)
	}
	return nil
}

// hashItems computes Pᵢ for every item, on all CPUs for large batches.
func hashItems(items []batchItem) {
	ps := make([]bls.G1Jac, len(items))
	workers := min(runtime.GOMAXPROCS(0), len(items)/8)
	if workers <= 1 {
		for i := range items {
			ps[i] = hashUncleared(items[i].v.dst, items[i].serial)
		}
	} else {
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := w; i < len(items); i += workers {
					ps[i] = hashUncleared(items[i].v.dst, items[i].serial)
				}
			})
		}
		wg.Wait()
	}
	for i, p := range bls.BatchJacobianToAffineG1(ps) {
		items[i].p = p
	}
}

// hashUncleared is RFC 9380 hash_to_curve for BLS12381G1_XMD:SHA-256_SSWU_RO_
// without the final clear_cofactor: the body of bls.HashToG1 up to there.
func hashUncleared(dst []byte, serial *[SerialSize]byte) bls.G1Jac {
	u, err := fp.Hash(serial[:], dst, 2)
	if err != nil {
		panic("tickets: hash to field: " + err.Error()) // only for a DST over 255 bytes
	}
	q0 := bls.MapToCurve1(&u[0])
	q1 := bls.MapToCurve1(&u[1])
	hash_to_curve.G1Isogeny(&q0.X, &q0.Y)
	hash_to_curve.G1Isogeny(&q1.X, &q1.Y)
	var j0, j1 bls.G1Jac
	j0.FromAffine(&q0)
	j1.FromAffine(&q1).AddAssign(&j0)
	return j1
}

// findBad marks the bad items of items, which hold at least one.
func findBad(items []batchItem, errs []error) {
	if len(items) == 1 {
		// The combined check of a single item is the plain check with a
		// non-zero coefficient: the item is bad.
		errs[items[0].idx] = ErrBadSignature
		return
	}
	left, right := items[:len(items)/2], items[len(items)/2:]
	if checkAny(left) {
		findBad(right, errs) // the bad ones are all on the right
		return
	}
	findBad(left, errs)
	if !checkAny(right) {
		findBad(right, errs)
	}
}

func checkAny(items []batchItem) bool {
	if len(items) == 1 {
		return checkOne(&items[0])
	}
	return checkCombined(items)
}

// checkOne checks e(σ, −G2)·e(H, pk) = 1.
func checkOne(it *batchItem) bool {
	var h bls.G1Jac
	h.FromAffine(&it.p).ClearCofactor(&h)
	var ha bls.G1Affine
	ha.FromJacobian(&h)
	return pairingCheckFixed([]bls.G1Affine{it.sig, ha}, []*lines{negG2Lines(), it.v.lines})
}

var msmConfig = ecc.MultiExpConfig{}

// checkCombined checks the random linear combination of items.
func checkCombined(items []batchItem) bool {
	sigs := make([]bls.G1Affine, len(items))
	cs := make([]fr.Element, len(items))
	for i := range items {
		sigs[i] = items[i].sig
		cs[i] = items[i].c
	}
	var s bls.G1Jac
	if _, err := s.MultiExp(sigs, cs, msmConfig); err != nil {
		return false
	}
	ps := make([]bls.G1Affine, 1, 2)
	ps[0].FromJacobian(&s)
	ls := []*lines{negG2Lines()}

	// Group the message points by key; keys are few and usually one.
	var groups []*verifier
	for i := range items {
		if !containsPtr(groups, items[i].v) {
			groups = append(groups, items[i].v)
		}
	}
	// Reuse the buffers, done with.
	hs := sigs[:0]
	cs2 := cs[:0]
	for _, v := range groups {
		hs, cs2 = hs[:0], cs2[:0]
		for i := range items {
			if items[i].v == v {
				hs = append(hs, items[i].p)
				cs2 = append(cs2, items[i].c)
			}
		}
		var h bls.G1Jac
		if _, err := h.MultiExp(hs, cs2, msmConfig); err != nil {
			return false
		}
		h.ClearCofactor(&h)
		var ha bls.G1Affine
		ha.FromJacobian(&h)
		ps = append(ps, ha)
		ls = append(ls, v.lines)
	}
	return pairingCheckFixed(ps, ls)
}

func containsPtr(vs []*verifier, v *verifier) bool {
	for _, w := range vs {
		if w == v {
			return true
		}
	}
	return false
}
