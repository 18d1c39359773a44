package tickets_test

import (
	"crypto/ecdsa"
	"errors"
	"math/big"
	"sync"
	"testing"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/tickets"
)

func TestSellCheques(t *testing.T) {
	w := newWorld(t)
	key := w.current()
	price := key.Value.Price
	reqs, blinded := w.requests(key, 2)
	twice := new(big.Int).Mul(big.NewInt(2), price)
	sale := func(pay cheque.Signed) error {
		_, err := w.issuer.Sell(tickets.SaleRequest{Epoch: key.Epoch, Value: key.Value, Payment: pay, Blinded: blinded})
		return err
	}
	payer := w.clientAddr()
	signed := func(c cheque.Cheque, d cheque.Domain) cheque.Signed {
		s, err := d.Sign(c, w.client)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	// Short by one wei.
	short := w.pay(new(big.Int).Sub(twice, big.NewInt(1)))
	if err := sale(short); !errors.Is(err, tickets.ErrInsufficientPayment) {
		t.Fatalf("short cheque: %v, want ErrInsufficientPayment", err)
	}
	w.paid.Sub(w.paid, short.CumulativeAmount) // refused: not owed

	// Not to the issuer, for another vault, forged.
	c := cheque.Cheque{Payer: payer, Payee: w.issuer.Address(), CumulativeAmount: twice}
	toOther := c
	toOther.Payee = common.Address{1}
	otherVault := cheque.NewDomain(big.NewInt(testChain), common.Address{2})
	forged := signed(c, w.domain)
	forged.CumulativeAmount = new(big.Int).Mul(twice, big.NewInt(10))
	for name, pay := range map[string]cheque.Signed{
		"other payee":  signed(toOther, w.domain),
		"other vault":  signed(c, otherVault),
		"forged":       forged,
		"other signer": mustSign(t, w.domain, cheque.Cheque{Payer: payer, Payee: w.issuer.Address(), CumulativeAmount: twice}, testKey(t, 77), payer),
	} {
		if err := sale(pay); !errors.Is(err, tickets.ErrBadCheque) {
			t.Errorf("%s: %v, want ErrBadCheque", name, err)
		}
	}
	if _, ok, _ := w.issuer.Payment(payer); ok {
		t.Fatal("a refused cheque was stored")
	}

	// A bad blinded point: refused before the payment is taken.
	bad := append([]bls.G1Affine{blinded[0]}, notInG1())
	_, err := w.issuer.Sell(tickets.SaleRequest{Epoch: key.Epoch, Value: key.Value, Payment: signed(c, w.domain), Blinded: bad})
	if !errors.Is(err, tickets.ErrNotInSubgroup) {
		t.Fatalf("blinded point outside G1: %v, want ErrNotInSubgroup", err)
	}
	if _, err := w.issuer.SignBlinded(key.Epoch, []bls.G1Affine{{}}); !errors.Is(err, tickets.ErrInfinity) {
		t.Fatalf("blinded infinity: %v, want ErrInfinity", err)
	}

	// Exact payment works.
	good := w.pay(twice)
	sigs, err := w.issuer.Sell(tickets.SaleRequest{Epoch: key.Epoch, Value: key.Value, Payment: good, Blinded: blinded})
	if err != nil {
		t.Fatal(err)
	}
	for i := range reqs {
		if _, err := reqs[i].Finish(sigs[i]); err != nil {
			t.Fatal(err)
		}
	}
	// The same cheque for other tickets, or an older one, is stale (the
	// same order again is a retry: TestSellRetriedAcrossRestart).
	_, others := w.requests(key, 2)
	if _, err := w.issuer.Sell(tickets.SaleRequest{Epoch: key.Epoch, Value: key.Value, Payment: good, Blinded: others}); !errors.Is(err, tickets.ErrStaleCheque) {
		t.Fatalf("cheque replayed: %v, want ErrStaleCheque", err)
	}
	older := signed(cheque.Cheque{Payer: payer, Payee: w.issuer.Address(), CumulativeAmount: price}, w.domain)
	if err := sale(older); !errors.Is(err, tickets.ErrStaleCheque) {
		t.Fatalf("older cheque: %v, want ErrStaleCheque", err)
	}
	// Increased, but by less than the price of two tickets.
	if err := sale(w.pay(price)); !errors.Is(err, tickets.ErrInsufficientPayment) {
		t.Fatalf("cheque raised by one ticket for two: %v, want ErrInsufficientPayment", err)
	}
	w.paid.Sub(w.paid, price)

	// Paying more than asked is accepted; the next cheque counts from there.
	over := w.pay(new(big.Int).Mul(big.NewInt(5), price))
	if err := sale(over); err != nil {
		t.Fatal(err)
	}
	last, ok, err := w.issuer.Payment(payer)
	if err != nil || !ok || last.CumulativeAmount.Cmp(over.CumulativeAmount) != 0 || last.Signature != over.Signature {
		t.Fatalf("Payment = %v, %v, %v; want the overpaying cheque", last.CumulativeAmount, ok, err)
	}
	if _, err := w.issuer.Sell(tickets.SaleRequest{Epoch: key.Epoch, Value: key.Value, Payment: w.pay(big.NewInt(0)), Blinded: others}); !errors.Is(err, tickets.ErrStaleCheque) {
		t.Fatalf("cheque not raised after an overpayment: %v, want ErrStaleCheque", err)
	}
	if _, err := w.issuer.Sell(tickets.SaleRequest{Epoch: key.Epoch, Value: key.Value, Payment: w.pay(twice)}); err == nil {
		t.Fatal("sold zero tickets")
	}

	// The payer's total survives a restart.
	w.issuer.Close()
	w.openIssuer()
	if _, err := w.issuer.Sell(tickets.SaleRequest{Epoch: key.Epoch, Value: key.Value, Payment: over, Blinded: others}); !errors.Is(err, tickets.ErrStaleCheque) {
		t.Fatalf("cheque replayed after a restart: %v, want ErrStaleCheque", err)
	}

	// The payments to cash, and what was cashed of them; totals only grow.
	ps, err := w.issuer.Payments()
	if err != nil || len(ps) != 1 || ps[0].CumulativeAmount.Cmp(last.CumulativeAmount) != 0 || ps[0].Signature != last.Signature || ps[0].Payer != payer || ps[0].Payee != w.issuer.Address() {
		t.Fatalf("Payments = %+v, %v; want the overpaying cheque alone", ps, err)
	}
	for _, total := range []*big.Int{price, twice, price} {
		if err := w.issuer.MarkCashed(payer, total); err != nil {
			t.Fatal(err)
		}
	}
	if c, err := w.issuer.Cashed(payer); err != nil || c.Cmp(twice) != 0 {
		t.Fatalf("Cashed = %v, %v; want %v", c, err, twice)
	}
}

// TestSellConcurrent: one cheque, many simultaneous orders for other
// tickets: one wins.
func TestSellConcurrent(t *testing.T) {
	w := newWorld(t)
	key := w.current()
	pay := w.pay(key.Value.Price)
	orders := make([][]bls.G1Affine, 8)
	for i := range orders {
		_, orders[i] = w.requests(key, 1)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for _, blinded := range orders {
		wg.Go(func() {
			_, err := w.issuer.Sell(tickets.SaleRequest{Epoch: key.Epoch, Value: key.Value, Payment: pay, Blinded: blinded})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case !errors.Is(err, tickets.ErrStaleCheque):
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("one cheque bought tickets %d times", won)
	}
}

// TestSellRetriedAcrossRestart: a client that lost the answer retries the
// same order with the same cheque, after the issuer restarted: it gets the
// same signatures and pays nothing more; the cheque buys no other tickets.
func TestSellRetriedAcrossRestart(t *testing.T) {
	w := newWorld(t)
	key := w.current()
	_, blinded := w.requests(key, 2)
	pay := w.pay(new(big.Int).Mul(big.NewInt(2), key.Value.Price))
	req := tickets.SaleRequest{Epoch: key.Epoch, Value: key.Value, Payment: pay, Blinded: blinded}
	first, err := w.issuer.Sell(req)
	if err != nil {
		t.Fatal(err)
	}
	w.issuer.Close()
	w.openIssuer()
	again, err := w.issuer.Sell(req)
	if err != nil {
		t.Fatalf("retry after a restart: %v", err)
	}
	for i := range first {
		if !first[i].Equal(&again[i]) {
			t.Fatalf("signature %d differs on retry", i)
		}
	}
	if got, _, _ := w.issuer.Payment(pay.Payer); got.CumulativeAmount.Cmp(pay.CumulativeAmount) != 0 {
		t.Fatalf("the issuer books %v after the retry, want %v", got.CumulativeAmount, pay.CumulativeAmount)
	}
	_, other := w.requests(key, 2)
	req.Blinded = other
	if _, err := w.issuer.Sell(req); !errors.Is(err, tickets.ErrStaleCheque) {
		t.Fatalf("the cheque bought other tickets: %v, want ErrStaleCheque", err)
	}
}

// mustSign signs c with key, which is not c.Payer's: a cheque claiming
// payer but signed by someone else.
func mustSign(t *testing.T, d cheque.Domain, c cheque.Cheque, k *ecdsa.PrivateKey, payer common.Address) cheque.Signed {
	t.Helper()
	c.Payer = crypto.PubkeyToAddress(k.PublicKey)
	s, err := d.Sign(c, k)
	if err != nil {
		t.Fatal(err)
	}
	s.Payer = payer
	return s
}
