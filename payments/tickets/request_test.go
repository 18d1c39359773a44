package tickets_test

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/payments/tickets"
)

func TestRedeemRefusesBadRequests(t *testing.T) {
	w := newWorld(t)
	ts := w.buy(2)
	d := tickets.NewRequestDomain(big.NewInt(testChain), testTicketIssuer)
	base := func() tickets.RedemptionRequest {
		return tickets.RedemptionRequest{
			Issuer: w.issuer.Address(), Provider: w.provAddr, KeyEpoch: ts[0].KeyEpoch,
			Serials:          [][32]byte{ts[0].Serial, ts[1].Serial},
			CumulativeAmount: new(big.Int).Mul(big.NewInt(2), testValue().Price),
		}
	}
	sign := func(r tickets.RedemptionRequest) tickets.SignedRequest {
		s, err := d.Sign(r, w.provKey)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	// Signed by someone else than the provider it names.
	forged := sign(base())
	forged.Provider = crypto.PubkeyToAddress(w.client.PublicKey)
	if _, err := w.issuer.Redeem(forged, ts); !errors.Is(err, tickets.ErrRequestSignature) {
		t.Fatalf("forged request: %v", err)
	}
	// Serials other than the tickets'.
	other := base()
	other.Serials[1][0] ^= 1
	if _, err := w.issuer.Redeem(sign(other), ts); !errors.Is(err, tickets.ErrRequestMismatch) {
		t.Fatalf("mismatched serials: %v", err)
	}
	// Asking for more than the tickets are worth.
	greedy := base()
	greedy.CumulativeAmount.Add(greedy.CumulativeAmount, big.NewInt(1))
	if _, err := w.issuer.Redeem(sign(greedy), ts); !errors.Is(err, tickets.ErrRequestAmount) {
		t.Fatalf("greedy request: %v", err)
	}
	// For another issuer.
	elsewhere := base()
	elsewhere.Issuer = w.provAddr
	if _, err := w.issuer.Redeem(sign(elsewhere), ts); !errors.Is(err, tickets.ErrRequestMismatch) {
		t.Fatalf("request for another issuer: %v", err)
	}
	// Nothing was redeemed by the refusals: the right request works, and is kept.
	if _, err := w.issuer.Redeem(sign(base()), ts); err != nil {
		t.Fatal(err)
	}
	ev, ok, err := w.issuer.Evidence(ts[1].KeyEpoch, ts[1].Serial)
	if err != nil || !ok || ev.Provider != w.provAddr || len(ev.Serials) != 2 || ev.Serials[1] != ts[1].Serial {
		t.Fatalf("evidence: %+v %v %v", ev, ok, err)
	}
	if err := d.Verify(&ev); err != nil {
		t.Fatalf("stored evidence no longer verifies: %v", err)
	}
	if _, ok, _ := w.issuer.Evidence(ts[1].KeyEpoch, [32]byte{9}); ok {
		t.Fatal("evidence for a ticket never redeemed")
	}
}
