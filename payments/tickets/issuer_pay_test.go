package tickets_test

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/payments/lottery"
	"github.com/murmurnet/murmur/payments/tickets"
)

// lotteryWorld is a world whose issuer pays redemptions in lottery tickets
// of face value face.
func lotteryWorld(t *testing.T, face *big.Int) *world {
	t.Helper()
	w := newWorld(t)
	w.issuer.Close()
	w.issuerCfg.TicketFace = func() *big.Int { return face }
	w.issuerCfg.Now = func() time.Time { return time.Unix(1_800_000_000, 0) }
	w.openIssuer()
	return w
}

func (w *world) receipt(value *big.Int) tickets.SignedReceipt {
	w.t.Helper()
	r, err := tickets.NewRequestDomain(big.NewInt(testChain), testTicketIssuer).SignReceipt(
		tickets.Receipt{Issuer: w.issuer.Address(), Provider: w.provAddr, CumulativeValue: value}, w.provKey)
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

func batchValue(n int) *big.Int {
	return new(big.Int).Mul(big.NewInt(int64(n)), testValue().Price)
}

// TestRedeemForLotteryTicket: a redemption paid with a lottery ticket worth
// exactly the batch; the retry of a lost answer gets the same ticket; a new
// batch waits for the receipt, whether it comes with the request or alone;
// forged receipts are refused; a cheque after tickets pays only the rest.
func TestRedeemForLotteryTicket(t *testing.T) {
	face := big.NewInt(1e17)
	w := lotteryWorld(t, face)
	secret := lottery.Secret{1, 2, 3}
	by := tickets.PayBy{Commitment: secret.Commitment()}

	first := w.buy(4)
	p, err := w.issuer.RedeemFor(w.signedRequest(w.provKey, first, batchValue(4)), first, by)
	if err != nil {
		t.Fatal(err)
	}
	if p.Ticket == nil || p.Cheque != nil {
		t.Fatalf("paid %+v, want a ticket", p)
	}
	tk := p.Ticket
	if _, err := lottery.Verify(w.domain, *tk); err != nil {
		t.Fatalf("the issuer's ticket does not verify: %v", err)
	}
	if tk.Ticket.Payer != w.issuer.Address() || tk.Payee != w.provAddr || tk.Commitment != by.Commitment ||
		tk.FaceValue.Cmp(face) != 0 || tk.ExpectedValue().Cmp(batchValue(4)) != 0 || tk.Nonce != 0 {
		t.Fatalf("ticket %+v: want face %s, EV %s, nonce 0, to the provider under its commitment", tk.Ticket, face, batchValue(4))
	}
	if want := uint64(1_800_000_000 + 24*3600); tk.ExpiresAt != want {
		t.Fatalf("expires at %d, want %d", tk.ExpiresAt, want)
	}

	// The answer was lost: the same request gets the same ticket, and
	// nothing more is owed.
	again, err := w.issuer.RedeemFor(w.signedRequest(w.provKey, first, batchValue(4)), first, by)
	if err != nil || again.Ticket == nil || again.Ticket.Signature != tk.Signature {
		t.Fatalf("retry: %+v, %v; want the same ticket", again, err)
	}

	// No receipt yet: a new batch is refused, and stays unredeemed.
	second := w.buy(2)
	if _, err := w.issuer.RedeemFor(w.signedRequest(w.provKey, second, batchValue(6)), second, by); !errors.Is(err, tickets.ErrReceiptMissing) {
		t.Fatalf("new batch without a receipt: %v, want ErrReceiptMissing", err)
	}
	// Receipts that do not count: forged, for another provider, below the payment.
	forged := w.receipt(batchValue(4))
	forged.Signature[3] ^= 1
	if err := w.issuer.TakeReceipt(forged); !errors.Is(err, tickets.ErrReceiptSignature) {
		t.Fatalf("forged receipt: %v", err)
	}
	other := testKey(t, 77)
	foreign, _ := tickets.NewRequestDomain(big.NewInt(testChain), testTicketIssuer).SignReceipt(
		tickets.Receipt{Issuer: w.issuer.Address(), Provider: crypto.PubkeyToAddress(other.PublicKey), CumulativeValue: batchValue(4)}, other)
	low := w.receipt(new(big.Int).Sub(batchValue(4), big.NewInt(1)))
	if _, err := w.issuer.RedeemFor(w.signedRequest(w.provKey, second, batchValue(6)), second, tickets.PayBy{Commitment: by.Commitment, Receipt: &foreign}); !errors.Is(err, tickets.ErrReceiptSignature) {
		t.Fatalf("another provider's receipt: %v", err)
	}
	if _, err := w.issuer.RedeemFor(w.signedRequest(w.provKey, second, batchValue(6)), second, tickets.PayBy{Commitment: by.Commitment, Receipt: &low}); !errors.Is(err, tickets.ErrReceiptMissing) {
		t.Fatalf("a receipt for less than was paid: %v", err)
	}

	// The receipt with the request: the batch is paid with the next nonce.
	r4 := w.receipt(batchValue(4))
	p2, err := w.issuer.RedeemFor(w.signedRequest(w.provKey, second, batchValue(6)), second, tickets.PayBy{Commitment: by.Commitment, Receipt: &r4})
	if err != nil {
		t.Fatal(err)
	}
	if p2.Ticket == nil || p2.Ticket.Nonce != 1 || p2.Ticket.ExpectedValue().Cmp(batchValue(2)) != 0 {
		t.Fatalf("second payment %+v, want nonce 1 worth %s", p2.Ticket, batchValue(2))
	}
	// The receipt alone, through TakeReceipt.
	if err := w.issuer.TakeReceipt(w.receipt(batchValue(6))); err != nil {
		t.Fatal(err)
	}
	paid, err := w.issuer.Paid(w.provAddr)
	if err != nil {
		t.Fatal(err)
	}
	if paid.Owed.Cmp(batchValue(6)) != 0 || paid.ByTicket.Cmp(batchValue(6)) != 0 || paid.ByCheque.Sign() != 0 ||
		paid.Tickets != 2 || paid.Receipted.Cmp(batchValue(6)) != 0 || paid.Receipt == nil {
		t.Fatalf("paid %+v", paid)
	}

	// A provider that asks for a cheque now gets one for the batch alone:
	// the tickets paid the rest.
	third := w.buy(3)
	c, err := w.redeemFor(w.provKey, third, batchValue(9))
	if err != nil {
		t.Fatal(err)
	}
	if c.CumulativeAmount.Cmp(batchValue(3)) != 0 {
		t.Fatalf("cheque for %s after tickets, want %s", c.CumulativeAmount, batchValue(3))
	}
	if o, _ := w.issuer.Owed(w.provAddr); o.CumulativeAmount.Cmp(batchValue(3)) != 0 {
		t.Fatalf("Owed cheque for %s, want %s", o.CumulativeAmount, batchValue(3))
	}

	// Everything survives a restart: the next ticket takes the next nonce.
	w.issuer.Close()
	w.openIssuer()
	fourth := w.buy(1)
	p4, err := w.issuer.RedeemFor(w.signedRequest(w.provKey, fourth, batchValue(10)), fourth, by)
	if err != nil || p4.Ticket == nil || p4.Ticket.Nonce != 2 {
		t.Fatalf("after a restart: %+v, %v; want a ticket of nonce 2", p4.Ticket, err)
	}
}

// TestRedeemForChequeIssuer: an issuer without TicketFace pays a cheque
// even to a provider that asks for a ticket.
func TestRedeemForChequeIssuer(t *testing.T) {
	w := newWorld(t)
	ts := w.buy(2)
	p, err := w.issuer.RedeemFor(w.signedRequest(w.provKey, ts, batchValue(2)), ts, tickets.PayBy{Commitment: common.Hash{1}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Cheque == nil || p.Ticket != nil || p.Cheque.CumulativeAmount.Cmp(batchValue(2)) != 0 {
		t.Fatalf("paid %+v, want a cheque for %s", p, batchValue(2))
	}
}
