package tickets_test

import (
	"errors"
	"math/big"
	"testing"

	"github.com/murmurnet/murmur/payments/tickets"
)

// TestEndToEnd buys tickets against a cheque, spends them at the provider,
// and redeems them at the issuer for a cheque that verifies.
func TestEndToEnd(t *testing.T) {
	w := newWorld(t)
	key := w.current()
	ts := w.buy(5)

	// The bearer's tickets travel in wire form.
	for i := range ts {
		b := ts[i].Bytes()
		d, err := tickets.DecodeTicket(b[:])
		if err != nil {
			t.Fatal(err)
		}
		if d != ts[i] {
			t.Fatalf("ticket %d changed on the wire", i)
		}
		if err := key.Verify(d); err != nil {
			t.Fatalf("ticket %d: %v", i, err)
		}
	}
	if err := w.provider.Accept(ts[0], key.Value); err != nil {
		t.Fatal(err)
	}
	if err := w.provider.AcceptBatch(ts[1:], key.Value); err != nil {
		t.Fatal(err)
	}

	pending, err := w.provider.Pending(100)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != len(ts) {
		t.Fatalf("%d pending tickets, want %d", len(pending), len(ts))
	}
	c, err := w.redeem(pending)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.domain.Verify(c); err != nil {
		t.Fatalf("redemption cheque does not verify: %v", err)
	}
	want := new(big.Int).Mul(big.NewInt(5), key.Value.Price)
	if c.Payer != w.issuer.Address() || c.Payee != w.provAddr || c.CumulativeAmount.Cmp(want) != 0 {
		t.Fatalf("cheque %s→%s for %v, want issuer→provider for %v", c.Payer, c.Payee, c.CumulativeAmount, want)
	}
	if err := w.provider.MarkRedeemed(pending); err != nil {
		t.Fatal(err)
	}
	if pending, _ := w.provider.Pending(100); len(pending) != 0 {
		t.Fatalf("%d tickets still pending after redemption", len(pending))
	}

	// A second round: the provider's cumulative total grows.
	more := w.buy(2)
	if err := w.provider.AcceptBatch(more, key.Value); err != nil {
		t.Fatal(err)
	}
	pending, _ = w.provider.Pending(100)
	c2, err := w.redeem(pending)
	if err != nil {
		t.Fatal(err)
	}
	want.Add(want, new(big.Int).Mul(big.NewInt(2), key.Value.Price))
	if c2.CumulativeAmount.Cmp(want) != 0 {
		t.Fatalf("second cheque for %v, want %v", c2.CumulativeAmount, want)
	}
	owed, err := w.issuer.Owed(w.provAddr)
	if err != nil || owed.CumulativeAmount.Cmp(want) != 0 || w.domain.Verify(owed) != nil {
		t.Fatalf("Owed = %v, %v; want a valid cheque for %v", owed.CumulativeAmount, err, want)
	}

	// The issuer kept the client's last cheque to cash.
	last, ok, err := w.issuer.Payment(w.clientAddr())
	if err != nil || !ok || last.CumulativeAmount.Cmp(w.paid) != 0 || w.domain.Verify(last) != nil {
		t.Fatalf("Payment = %v, %v, %v; want the client's cheque for %v", last.CumulativeAmount, ok, err, w.paid)
	}
}

func TestDoubleSpendAtProvider(t *testing.T) {
	w := newWorld(t)
	key := w.current()
	ts := w.buy(3)
	if err := w.provider.AcceptBatch(ts[:2], key.Value); err != nil {
		t.Fatal(err)
	}
	if err := w.provider.Accept(ts[0], key.Value); !errors.Is(err, tickets.ErrAlreadySpent) {
		t.Fatalf("spent twice: %v, want ErrAlreadySpent", err)
	}

	// After a restart too.
	if err := w.provider.Close(); err != nil {
		t.Fatal(err)
	}
	w.openProvider()
	if err := w.provider.Accept(ts[1], key.Value); !errors.Is(err, tickets.ErrAlreadySpent) {
		t.Fatalf("spent twice across a restart: %v, want ErrAlreadySpent", err)
	}
	err := w.provider.AcceptBatch(ts, key.Value)
	assertRefused(t, err, map[int]error{0: tickets.ErrAlreadySpent, 1: tickets.ErrAlreadySpent})
	// The good ticket of that batch was accepted.
	if err := w.provider.Accept(ts[2], key.Value); !errors.Is(err, tickets.ErrAlreadySpent) {
		t.Fatalf("good ticket of a mixed batch not accepted: %v", err)
	}
	pending, err := w.provider.Pending(100)
	if err != nil || len(pending) != 3 {
		t.Fatalf("Pending = %d tickets, %v; want 3 after the restart", len(pending), err)
	}
}

func TestDoubleRedeem(t *testing.T) {
	w := newWorld(t)
	ts := w.buy(3)
	price := testValue().Price
	times := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), price) }
	first, err := w.redeem(ts[:2])
	if err != nil {
		t.Fatal(err)
	}

	// Another provider cannot redeem them again.
	_, err = w.redeemAs(w.client, ts)
	assertRefused(t, err, map[int]error{0: tickets.ErrDoubleRedeem, 1: tickets.ErrDoubleRedeem})

	// The same provider, retrying a batch whose answer it lost, gets the
	// same cheque again; asking to be paid twice fails on the amount.
	again, err := w.redeemFor(w.provKey, ts[:2], first.CumulativeAmount)
	if err != nil {
		t.Fatalf("retry of a redeemed batch: %v", err)
	}
	if again.CumulativeAmount.Cmp(times(2)) != 0 {
		t.Fatalf("retry paid %v, want %v", again.CumulativeAmount, times(2))
	}
	if _, err := w.redeemFor(w.provKey, ts[:2], times(4)); !errors.Is(err, tickets.ErrRequestAmount) {
		t.Fatalf("paid twice for a batch: %v, want ErrRequestAmount", err)
	}

	// All or nothing: ts[2] was not redeemed by the refused batches, and
	// nothing was added to the provider's total.
	c, err := w.redeem(ts[2:])
	if err != nil {
		t.Fatal(err)
	}
	if c.CumulativeAmount.Cmp(times(3)) != 0 {
		t.Fatalf("cumulative %v after 3 tickets, want %v", c.CumulativeAmount, times(3))
	}

	// A redeemed ticket stays redeemed across a restart, and for another
	// provider.
	w.issuer.Close()
	w.openIssuer()
	_, err = w.redeemAs(w.client, ts[2:])
	assertRefused(t, err, map[int]error{0: tickets.ErrDoubleRedeem})
}

func TestDuplicateSerialInBatch(t *testing.T) {
	w := newWorld(t)
	key := w.current()
	ts := w.buy(2)
	batch := []tickets.Ticket{ts[0], ts[1], ts[0]}

	err := w.keys.VerifyBatch(testRand(1), batch)
	assertRefused(t, err, map[int]error{2: tickets.ErrDuplicateSerial})

	_, err = w.redeem(batch)
	assertRefused(t, err, map[int]error{2: tickets.ErrDuplicateSerial})

	err = w.provider.AcceptBatch(batch, key.Value)
	assertRefused(t, err, map[int]error{2: tickets.ErrDuplicateSerial})
	if p, _ := w.provider.Pending(10); len(p) != 2 {
		t.Fatalf("%d pending, want 2", len(p))
	}
}

func TestForgedSignature(t *testing.T) {
	w := newWorld(t)
	key := w.current()
	ts := w.buy(2)

	// Another serial under the same signature.
	forged := ts[0]
	forged.Serial[0] ^= 1
	// Another ticket's signature.
	swapped := ts[0]
	swapped.Signature = ts[1].Signature
	// Signed by a key the issuer does not use for this epoch.
	rogue, err := tickets.GenerateIssuerKey(testRand(99), testChain, key.Epoch, key.Value)
	if err != nil {
		t.Fatal(err)
	}
	other := w.signWith(rogue)
	// Signed for the same epoch on another chain.
	foreign, err := tickets.GenerateIssuerKey(testRand(98), testChain+1, key.Epoch, key.Value)
	if err != nil {
		t.Fatal(err)
	}
	otherChain := w.signWith(foreign)
	// The zero Signature.
	zero := ts[0]
	zero.Signature = tickets.Signature{}

	cases := map[string]struct {
		t    tickets.Ticket
		want error
	}{
		"altered serial": {forged, tickets.ErrBadSignature},
		"swapped sig":    {swapped, tickets.ErrBadSignature},
		"rogue key":      {other, tickets.ErrBadSignature},
		"other chain":    {otherChain, tickets.ErrBadSignature},
		"zero signature": {zero, tickets.ErrInfinity},
		"other epoch":    {withEpoch(ts[0], key.Epoch+1), tickets.ErrUnknownEpoch},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if err := w.keys.Verify(c.t); !errors.Is(err, c.want) {
				t.Errorf("Keyring.Verify: %v, want %v", err, c.want)
			}
			if err := key.Verify(c.t); !errors.Is(err, c.want) {
				t.Errorf("IssuerKey.Verify: %v, want %v", err, c.want)
			}
			if err := w.provider.Accept(c.t, key.Value); !errors.Is(err, c.want) {
				t.Errorf("Provider.Accept: %v, want %v", err, c.want)
			}
			_, err := w.redeem([]tickets.Ticket{c.t})
			assertRefused(t, err, map[int]error{0: c.want})
		})
	}
	if p, _ := w.provider.Pending(10); len(p) != 0 {
		t.Fatalf("provider accepted %d forged tickets", len(p))
	}
}

func TestEpochs(t *testing.T) {
	w := newWorld(t) // epoch 0, retain 2
	k0 := w.current()
	old := w.buy(1)[0]
	w.rotate(testValue()) // 1
	mid := w.buy(1)[0]
	w.rotate(testValue()) // 2
	w.rotate(testValue()) // 3: epoch 0 expires
	k3 := w.current()
	if k3.Epoch != 3 {
		t.Fatalf("current epoch %d, want 3", k3.Epoch)
	}
	if err := w.keys.Verify(old); !errors.Is(err, tickets.ErrExpiredEpoch) {
		t.Fatalf("ticket of epoch 0 at epoch 3: %v, want ErrExpiredEpoch", err)
	}
	if err := w.provider.Accept(old, k0.Value); !errors.Is(err, tickets.ErrExpiredEpoch) {
		t.Fatalf("provider: %v, want ErrExpiredEpoch", err)
	}
	_, err := w.redeem([]tickets.Ticket{old})
	assertRefused(t, err, map[int]error{0: tickets.ErrExpiredEpoch})
	if _, err := w.redeem([]tickets.Ticket{mid}); err != nil {
		t.Fatalf("ticket of epoch 1 at epoch 3, retain 2, not redeemed: %v", err)
	}
	if err := w.keys.Verify(mid); err != nil {
		t.Fatalf("ticket of epoch 1 at epoch 3, retain 2: %v", err)
	}
	if err := w.keys.Verify(withEpoch(mid, 9)); !errors.Is(err, tickets.ErrUnknownEpoch) {
		t.Fatalf("ticket of a future epoch: %v, want ErrUnknownEpoch", err)
	}
	if _, err := w.issuer.Sell(tickets.SaleRequest{Epoch: 0, Value: k0.Value}); !errors.Is(err, tickets.ErrExpiredEpoch) {
		t.Fatalf("sale for an expired epoch: %v, want ErrExpiredEpoch", err)
	}
	if _, err := w.issuer.SignBlinded(7, nil); !errors.Is(err, tickets.ErrUnknownEpoch) {
		t.Fatalf("signing with an unknown epoch: %v, want ErrUnknownEpoch", err)
	}
	if err := w.keys.Add(k0); !errors.Is(err, tickets.ErrExpiredEpoch) {
		t.Fatalf("adding an expired key: %v, want ErrExpiredEpoch", err)
	}
	rogue, _ := tickets.GenerateIssuerKey(testRand(5), testChain, 2, testValue())
	if err := w.keys.Add(rogue.Public()); err == nil {
		t.Fatal("keyring took a second key for epoch 2")
	}
	foreign, _ := tickets.GenerateIssuerKey(testRand(5), testChain+1, 4, testValue())
	if err := w.keys.Add(foreign.Public()); !errors.Is(err, tickets.ErrWrongChain) {
		t.Fatalf("key of another chain: %v, want ErrWrongChain", err)
	}

	// The issuer's keys survive a restart, and expired ones are gone.
	before := w.issuer.Keys()
	w.issuer.Close()
	w.openIssuer()
	after := w.issuer.Keys()
	if len(after) != 3 || len(before) != 3 {
		t.Fatalf("%d keys before restart, %d after; want 3", len(before), len(after))
	}
	for i := range after {
		if !after[i].Equal(before[i]) {
			t.Fatalf("key %d changed across restart", i)
		}
	}
	ts := w.buy(1)
	if err := w.provider.Accept(ts[0], k3.Value); err != nil {
		t.Fatalf("ticket bought after an issuer restart: %v", err)
	}
}

func TestWrongValue(t *testing.T) {
	w := newWorld(t)
	cheap := tickets.Value{Packets: 10, Price: big.NewInt(1)}
	k0 := w.current()
	t0 := w.buy(1)[0]
	k1 := w.rotate(cheap)
	t1 := w.buy(1)[0]

	if err := w.provider.Accept(t1, k0.Value); !errors.Is(err, tickets.ErrWrongValue) {
		t.Fatalf("cheap ticket spent as an expensive one: %v, want ErrWrongValue", err)
	}
	err := w.provider.AcceptBatch([]tickets.Ticket{t0, t1}, k1.Value)
	assertRefused(t, err, map[int]error{0: tickets.ErrWrongValue})

	// A client that expects another value than the key's is refused
	// before it pays.
	_, blinded := w.requests(k1, 1)
	_, err = w.issuer.Sell(tickets.SaleRequest{Epoch: k1.Epoch, Value: k0.Value, Payment: w.pay(k0.Value.Price), Blinded: blinded})
	if !errors.Is(err, tickets.ErrWrongValue) {
		t.Fatalf("sale at the wrong value: %v, want ErrWrongValue", err)
	}

	// Redemption pays each ticket's own key's price (one request per key epoch).
	if _, err := w.redeem([]tickets.Ticket{t0}); err != nil {
		t.Fatal(err)
	}
	c, err := w.redeem([]tickets.Ticket{t1})
	if err != nil {
		t.Fatal(err)
	}
	if want := new(big.Int).Add(k0.Value.Price, k1.Value.Price); c.CumulativeAmount.Cmp(want) != 0 {
		t.Fatalf("redeemed for %v, want %v", c.CumulativeAmount, want)
	}
}

func assertRefused(t *testing.T, err error, want map[int]error) {
	t.Helper()
	var be *tickets.BatchError
	if !errors.As(err, &be) {
		t.Fatalf("error %v, want a BatchError refusing %v", err, want)
	}
	for i, e := range be.Errs {
		if want[i] == nil && e != nil {
			t.Errorf("ticket %d refused: %v", i, e)
		}
		if want[i] != nil && !errors.Is(e, want[i]) {
			t.Errorf("ticket %d: %v, want %v", i, e, want[i])
		}
	}
}

func withEpoch(t tickets.Ticket, e uint64) tickets.Ticket {
	t.KeyEpoch = e
	return t
}
