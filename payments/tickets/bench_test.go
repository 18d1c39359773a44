package tickets_test

import (
	"testing"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"

	"github.com/murmurnet/murmur/payments/tickets"
)

func benchTickets(b *testing.B, n int) (*tickets.SecretKey, *tickets.Keyring, []tickets.Ticket) {
	b.Helper()
	sk, err := tickets.GenerateIssuerKey(testRand(1), testChain, 7, testValue())
	if err != nil {
		b.Fatal(err)
	}
	keys := tickets.NewKeyring(testChain, 0)
	if err := keys.Add(sk.Public()); err != nil {
		b.Fatal(err)
	}
	rnd := testRand(2)
	ts := make([]tickets.Ticket, n)
	for i := range ts {
		req, err := tickets.NewTicketRequest(rnd, sk.Public())
		if err != nil {
			b.Fatal(err)
		}
		s, err := sk.SignBlinded([]bls.G1Affine{req.Blinded()})
		if err != nil {
			b.Fatal(err)
		}
		if ts[i], err = req.Finish(s[0]); err != nil {
			b.Fatal(err)
		}
	}
	return sk, keys, ts
}

// BenchmarkIssue measures the issuer's work for one ticket: checking the
// blinded point and signing it.
func BenchmarkIssue(b *testing.B) {
	sk, _, _ := benchTickets(b, 0)
	req, err := tickets.NewTicketRequest(testRand(3), sk.Public())
	if err != nil {
		b.Fatal(err)
	}
	blinded := []bls.G1Affine{req.Blinded()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sk.SignBlinded(blinded); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify measures verifying one ticket, hash to curve included.
func BenchmarkVerify(b *testing.B) {
	_, keys, ts := benchTickets(b, 1)
	b.ReportAllocs()
	for b.Loop() {
		if err := keys.Verify(ts[0]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyBatch100 measures batch verification of 100 good tickets.
func BenchmarkVerifyBatch100(b *testing.B) {
	_, keys, ts := benchTickets(b, 100)
	rnd := testRand(4)
	b.ReportAllocs()
	for b.Loop() {
		if err := keys.VerifyBatch(rnd, ts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100, "ns/ticket")
}

// BenchmarkDecodeTicket measures parsing a ticket's wire form, which
// decompresses the signature and checks that it is in G1.
func BenchmarkDecodeTicket(b *testing.B) {
	_, _, ts := benchTickets(b, 1)
	wire := ts[0].Bytes()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tickets.DecodeTicket(wire[:]); err != nil {
			b.Fatal(err)
		}
	}
}
