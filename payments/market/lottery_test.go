package market_test

import (
	"errors"
	"math/big"
	"testing"

	"github.com/murmurnet/murmur/payments/lottery"
	"github.com/murmurnet/murmur/payments/market"
	"github.com/murmurnet/murmur/payments/tickets"
)

// spend has the world's client buy n tickets and the provider take them,
// and returns them.
func (w *world) spend(t *testing.T, prov *provider, n int) []tickets.Ticket {
	t.Helper()
	w.buy(n)
	ts, err := w.wallet.Take(n)
	if err != nil {
		t.Fatal(err)
	}
	if err := prov.AcceptBatch(ts, w.key.Value); err != nil {
		t.Fatal(err)
	}
	return ts
}

// TestRedeemForTicket: over libp2p, an issuer that pays in lottery tickets
// answers a lottery redemption with a ticket worth the batch; the next
// batch is refused until the provider's receipt arrives, alone or with the
// request; a forged receipt is refused with its code.
func TestRedeemForTicket(t *testing.T) {
	face := big.NewInt(5e16)
	w := newWorldWith(t, func(c *tickets.IssuerConfig) { c.TicketFace = func() *big.Int { return face } })
	prov := newProvider(t, w)
	secret := lottery.Secret{9}
	by := tickets.PayBy{Commitment: secret.Commitment()}
	price := w.key.Value.Price
	val := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), price) }

	ts := w.spend(t, prov, 3)
	p, err := market.RedeemFor(ctx(t), w.client, w.issuerH.ID(), prov.request(t, w.issuer.Address(), ts, val(3)), ts, by)
	if err != nil {
		t.Fatal(err)
	}
	if p.Ticket == nil || p.Ticket.ExpectedValue().Cmp(val(3)) != 0 || p.Ticket.FaceValue.Cmp(face) != 0 {
		t.Fatalf("payment %+v, want a ticket of face %s worth %s", p, face, val(3))
	}
	if _, err := lottery.Verify(w.domain, *p.Ticket); err != nil {
		t.Fatal(err)
	}

	more := w.spend(t, prov, 2)
	_, err = market.RedeemFor(ctx(t), w.client, w.issuerH.ID(), prov.request(t, w.issuer.Address(), more, val(5)), more, by)
	var re *market.RefusalError
	if !errors.As(err, &re) || re.Code != market.CodeReceiptMissing || !errors.Is(err, tickets.ErrReceiptMissing) {
		t.Fatalf("a new batch before the receipt: %v, want CodeReceiptMissing", err)
	}

	receipt, err := prov.requests.SignReceipt(tickets.Receipt{Issuer: w.issuer.Address(), Provider: prov.addr, CumulativeValue: val(3)}, prov.key)
	if err != nil {
		t.Fatal(err)
	}
	forged := receipt
	forged.Signature[10] ^= 1
	if err := market.SendReceipt(ctx(t), w.client, w.issuerH.ID(), forged); !errors.As(err, &re) || re.Code != market.CodeReceiptSignature {
		t.Fatalf("forged receipt: %v, want CodeReceiptSignature", err)
	}
	if err := market.SendReceipt(ctx(t), w.client, w.issuerH.ID(), receipt); err != nil {
		t.Fatal(err)
	}
	p2, err := market.RedeemFor(ctx(t), w.client, w.issuerH.ID(), prov.request(t, w.issuer.Address(), more, val(5)), more, by)
	if err != nil {
		t.Fatal(err)
	}
	if p2.Ticket == nil || p2.Ticket.Nonce != 1 || p2.Ticket.ExpectedValue().Cmp(val(2)) != 0 {
		t.Fatalf("second payment %+v", p2.Ticket)
	}

	// The receipt may also ride with the next request.
	last := w.spend(t, prov, 1)
	r5, _ := prov.requests.SignReceipt(tickets.Receipt{Issuer: w.issuer.Address(), Provider: prov.addr, CumulativeValue: val(5)}, prov.key)
	p3, err := market.RedeemFor(ctx(t), w.client, w.issuerH.ID(), prov.request(t, w.issuer.Address(), last, val(6)), last,
		tickets.PayBy{Commitment: by.Commitment, Receipt: &r5})
	if err != nil || p3.Ticket == nil || p3.Ticket.Nonce != 2 {
		t.Fatalf("with the receipt in the request: %+v, %v", p3, err)
	}
	st := w.server.Stats()
	if st.TicketsPaid != 3 || st.Receipts != 1 || st.Refused["last ticket payment not acknowledged"] != 1 || st.Refused["receipt not signed by its provider"] != 1 {
		t.Fatalf("server stats %+v", st)
	}
}

// TestRedeemForChequeIssuer: an issuer that pays by cheque answers a
// lottery redemption with its cheque.
func TestRedeemForChequeIssuer(t *testing.T) {
	w := newWorld(t)
	prov := newProvider(t, w)
	ts := w.spend(t, prov, 2)
	value := new(big.Int).Mul(big.NewInt(2), w.key.Value.Price)
	p, err := market.RedeemFor(ctx(t), w.client, w.issuerH.ID(), prov.request(t, w.issuer.Address(), ts, value), ts,
		tickets.PayBy{Commitment: lottery.Secret{1}.Commitment()})
	if err != nil {
		t.Fatal(err)
	}
	if p.Cheque == nil || p.Cheque.CumulativeAmount.Cmp(value) != 0 || w.domain.Verify(*p.Cheque) != nil {
		t.Fatalf("payment %+v, want a valid cheque for %s", p, value)
	}
}
