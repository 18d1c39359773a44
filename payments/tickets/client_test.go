package tickets_test

import (
	"errors"
	"testing"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fr"

	"github.com/murmurnet/murmur/payments/tickets"
)

func TestBadIssuerAnswer(t *testing.T) {
	sk, _ := tickets.GenerateIssuerKey(testRand(1), testChain, 3, testValue())
	other, _ := tickets.GenerateIssuerKey(testRand(2), testChain, 3, testValue())
	rnd := testRand(3)
	req, err := tickets.NewTicketRequest(rnd, sk.Public())
	if err != nil {
		t.Fatal(err)
	}
	req2, _ := tickets.NewTicketRequest(rnd, sk.Public())
	blinded := []bls.G1Affine{req.Blinded()}
	wrongKey, _ := other.SignBlinded(blinded)
	otherReq, _ := sk.SignBlinded([]bls.G1Affine{req2.Blinded()})
	right, _ := sk.SignBlinded(blinded)
	_, _, g1, _ := bls.Generators()
	outside := notInG1()
	// The right answer shifted by a point T of small order (r·P for P
	// outside G1) passes the pairing check, which cannot see T; only the
	// subgroup check catches it.
	var torsion, shifted bls.G1Affine
	torsion.ScalarMultiplication(&outside, fr.Modulus())
	if torsion.IsInfinity() {
		t.Fatal("no torsion point")
	}
	shifted.Add(&right[0], &torsion)
	_, _, _, g2 := bls.Generators()
	var negG2 bls.G2Affine
	negG2.Neg(&g2)
	pk := sk.Public().PublicKey
	if ok, _ := bls.PairingCheck([]bls.G1Affine{shifted, blinded[0]}, []bls.G2Affine{negG2, pk}); !ok {
		t.Fatal("the shifted answer fails the pairing check: this test no longer shows why Finish checks the subgroup")
	}

	for name, s := range map[string]bls.G1Affine{
		"wrong key":         wrongKey[0],
		"other request":     otherReq[0],
		"generator":         g1,
		"infinity":          {},
		"the blinded point": blinded[0],
		"outside G1":        outside,
		"shifted":           shifted,
	} {
		if _, err := req.Finish(s); !errors.Is(err, tickets.ErrBadIssuerAnswer) {
			t.Errorf("%s: %v, want ErrBadIssuerAnswer", name, err)
		}
	}
	tk, err := req.Finish(right[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := sk.Public().Verify(tk); err != nil {
		t.Fatal(err)
	}
	if tk.Serial != req.Serial() || tk.KeyEpoch != 3 {
		t.Fatal("ticket does not carry the request's serial and epoch")
	}
}

// TestRestoreTicketRequest: a client that saved serial and blinding factor
// finishes the purchase after a restart.
func TestRestoreTicketRequest(t *testing.T) {
	sk, _ := tickets.GenerateIssuerKey(testRand(1), testChain, 3, testValue())
	req, err := tickets.NewTicketRequest(testRand(2), sk.Public())
	if err != nil {
		t.Fatal(err)
	}
	s, _ := sk.SignBlinded([]bls.G1Affine{req.Blinded()})
	want, err := req.Finish(s[0])
	if err != nil {
		t.Fatal(err)
	}
	again, err := tickets.RestoreTicketRequest(sk.Public(), req.Serial(), req.BlindingFactor())
	if err != nil {
		t.Fatal(err)
	}
	if b1, b2 := again.Blinded(), req.Blinded(); !b1.Equal(&b2) {
		t.Fatal("restored request blinds differently")
	}
	got, err := again.Finish(s[0])
	if err != nil || got != want {
		t.Fatalf("restored request finished to %v, %v", got, err)
	}
	if _, err := tickets.RestoreTicketRequest(sk.Public(), req.Serial(), [32]byte{}); !errors.Is(err, tickets.ErrMalformed) {
		t.Fatalf("zero blinding factor: %v, want ErrMalformed", err)
	}
	// The secret key round-trips too.
	b := sk.Bytes()
	sk2, err := tickets.NewSecretKey(b[:], testChain, 3, testValue())
	if err != nil || !sk2.Public().Equal(sk.Public()) {
		t.Fatalf("NewSecretKey(Bytes()) = %v", err)
	}
}

// TestBlindingHidesSerial: two requests for the same serial blind to
// unrelated points, so the issuer cannot recognise a serial.
func TestBlindingHidesSerial(t *testing.T) {
	sk, _ := tickets.GenerateIssuerKey(testRand(1), testChain, 3, testValue())
	a, _ := tickets.NewTicketRequest(testRand(2), sk.Public())
	f := a.BlindingFactor()
	f[31] ^= 1
	b, err := tickets.RestoreTicketRequest(sk.Public(), a.Serial(), f)
	if err != nil {
		t.Fatal(err)
	}
	h := tickets.HashSerial(testChain, 3, a.Serial())
	ba, bb := a.Blinded(), b.Blinded()
	if ba.Equal(&bb) || ba.Equal(&h) {
		t.Fatal("blinded point does not depend on the blinding factor")
	}
}
