package tickets_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"

	"github.com/murmurnet/murmur/payments/tickets"
)

// TestBatchBisection mixes bad tickets into batches of good ones, across
// two key epochs, and checks that batch verification finds exactly them.
func TestBatchBisection(t *testing.T) {
	sk0, err := tickets.GenerateIssuerKey(testRand(1), testChain, 0, testValue())
	if err != nil {
		t.Fatal(err)
	}
	sk1, err := tickets.GenerateIssuerKey(testRand(2), testChain, 1, testValue())
	if err != nil {
		t.Fatal(err)
	}
	keys := tickets.NewKeyring(testChain, 1)
	for _, k := range []*tickets.SecretKey{sk0, sk1} {
		if err := keys.Add(k.Public()); err != nil {
			t.Fatal(err)
		}
	}
	rnd := testRand(3)
	good := make([]tickets.Ticket, 100)
	for i := range good {
		sk := sk0
		if i%3 == 0 {
			sk = sk1
		}
		good[i] = sign(t, rnd, sk)
	}
	if err := keys.VerifyBatch(rnd, good); err != nil {
		t.Fatalf("good batch refused: %v", err)
	}

	rng := rand.New(rand.NewPCG(4, 5))
	random := func(n int) []int { return rng.Perm(100)[:n] }
	all := make([]int, 100)
	for i := range all {
		all[i] = i
	}
	for _, bad := range [][]int{{0}, {99}, {50}, {37, 38}, {0, 99}, random(3), random(10), random(33), all} {
		t.Run(fmt.Sprint(len(bad), bad[:min(len(bad), 4)]), func(t *testing.T) {
			batch := slices.Clone(good)
			for n, i := range bad {
				batch[i] = corrupt(batch[i], n, good)
			}
			err := keys.VerifyBatch(rnd, batch)
			var be *tickets.BatchError
			if !errors.As(err, &be) {
				t.Fatalf("batch with %d bad tickets: %v", len(bad), err)
			}
			want := slices.Sorted(slices.Values(bad))
			if got := be.Refused(); !slices.Equal(got, want) {
				t.Fatalf("refused %v, want %v", got, want)
			}
			for _, i := range want {
				if !errors.Is(be.Errs[i], tickets.ErrBadSignature) {
					t.Errorf("ticket %d: %v, want ErrBadSignature", i, be.Errs[i])
				}
			}
		})
	}
}

// TestBatchSmall covers the sizes where batch verification takes
// shortcuts: empty, one ticket, two.
func TestBatchSmall(t *testing.T) {
	sk, _ := tickets.GenerateIssuerKey(testRand(1), testChain, 0, testValue())
	keys := tickets.NewKeyring(testChain, 0)
	if err := keys.Add(sk.Public()); err != nil {
		t.Fatal(err)
	}
	rnd := testRand(2)
	a, b := sign(t, rnd, sk), sign(t, rnd, sk)
	bad := corrupt(a, 0, nil)
	for _, c := range []struct {
		batch []tickets.Ticket
		want  []int
	}{
		{nil, nil},
		{[]tickets.Ticket{a}, nil},
		{[]tickets.Ticket{bad}, []int{0}},
		{[]tickets.Ticket{a, b}, nil},
		{[]tickets.Ticket{b, bad}, []int{1}},
		{[]tickets.Ticket{bad, b}, []int{0}},
	} {
		err := keys.VerifyBatch(rnd, c.batch)
		var got []int
		if be := (*tickets.BatchError)(nil); errors.As(err, &be) {
			got = be.Refused()
		} else if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("batch of %d: refused %v, want %v", len(c.batch), got, c.want)
		}
	}
}

// TestBatchRandFailure: without coefficients, nothing is accepted.
func TestBatchRandFailure(t *testing.T) {
	sk, _ := tickets.GenerateIssuerKey(testRand(1), testChain, 0, testValue())
	keys := tickets.NewKeyring(testChain, 0)
	keys.Add(sk.Public())
	rnd := testRand(2)
	batch := []tickets.Ticket{sign(t, rnd, sk), sign(t, rnd, sk)}
	err := keys.VerifyBatch(failingReader{}, batch)
	var be *tickets.BatchError
	if err == nil || errors.As(err, &be) {
		t.Fatalf("VerifyBatch with a failing rand: %v, want a plain error", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

// corrupt returns a bad variant of t, choosing among several kinds of
// badness by n.
func corrupt(t tickets.Ticket, n int, others []tickets.Ticket) tickets.Ticket {
	switch n % 3 {
	case 0:
		t.Serial[n%32] ^= 0x80
	case 1:
		// The signature of another good ticket.
		if len(others) > 0 {
			o := others[(n*7+1)%len(others)]
			if o.Serial != t.Serial {
				t.Signature = o.Signature
				return t
			}
		}
		t.Serial[0] ^= 1
	case 2:
		// Twice the right signature: in G1, valid-looking, wrong.
		p := t.Signature.Point()
		p.Double(&p)
		b := p.Bytes()
		s, err := tickets.ParseSignature(b[:])
		if err != nil {
			panic(err)
		}
		t.Signature = s
	}
	return t
}

func sign(t testing.TB, rnd interface{ Read([]byte) (int, error) }, sk *tickets.SecretKey) tickets.Ticket {
	t.Helper()
	req, err := tickets.NewTicketRequest(rnd, sk.Public())
	if err != nil {
		t.Fatal(err)
	}
	s, err := sk.SignBlinded([]bls.G1Affine{req.Blinded()})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := req.Finish(s[0])
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// TestBatchCancellingForgeries: two forged signatures whose errors cancel
// out (σ₁+D, σ₂−D) pass a batch check without random coefficients; with
// them, both are caught.
func TestBatchCancellingForgeries(t *testing.T) {
	sk, _ := tickets.GenerateIssuerKey(testRand(1), testChain, 0, testValue())
	keys := tickets.NewKeyring(testChain, 0)
	if err := keys.Add(sk.Public()); err != nil {
		t.Fatal(err)
	}
	rnd := testRand(2)
	batch := make([]tickets.Ticket, 10)
	for i := range batch {
		batch[i] = sign(t, rnd, sk)
	}
	_, _, d, _ := bls.Generators()
	shift := func(tk tickets.Ticket, neg bool) tickets.Ticket {
		p := tk.Signature.Point()
		if neg {
			p.Sub(&p, &d)
		} else {
			p.Add(&p, &d)
		}
		b := p.Bytes()
		s, err := tickets.ParseSignature(b[:])
		if err != nil {
			t.Fatal(err)
		}
		tk.Signature = s
		return tk
	}
	batch[2], batch[7] = shift(batch[2], false), shift(batch[7], true)
	for range 5 {
		err := keys.VerifyBatch(rnd, batch)
		var be *tickets.BatchError
		if !errors.As(err, &be) || !slices.Equal(be.Refused(), []int{2, 7}) {
			t.Fatalf("cancelling forgeries: %v, want tickets 2 and 7 refused", err)
		}
	}
}
