package settle

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/payments/cheque"
)

func TestSentSignalsEveryChequeInterval(t *testing.T) {
	alice, bob := newParty(t), newParty(t)
	l := openClosing(t, t.TempDir(), options(alice, newFakeCover()))
	d := mustOut(t, l, bob.addr, testPrice)
	for i := 1; i <= 35; i++ {
		if got, want := d.Sent(), i%10 == 0; got != want {
			t.Fatalf("Sent() for packet %d = %v, want %v", i, got, want)
		}
	}
}

func TestChequeBillsPacketsSent(t *testing.T) {
	alice, bob := newParty(t), newParty(t)
	l := openClosing(t, t.TempDir(), options(alice, newFakeCover()))
	d := mustOut(t, l, bob.addr, testPrice)

	if _, ok := d.Latest(); ok {
		t.Fatal("Latest before any cheque reports one")
	}
	if _, err := d.Cheque(); !errors.Is(err, ErrNothingOwed) {
		t.Fatalf("Cheque with nothing sent: %v, want ErrNothingOwed", err)
	}
	sendN(d, 13)
	s := mustCheque(t, d)
	if s.Payer != alice.addr || s.Payee != bob.addr {
		t.Errorf("cheque from %s to %s, want %s to %s", s.Payer, s.Payee, alice.addr, bob.addr)
	}
	wantAmount(t, "first cheque", s.CumulativeAmount, wei(13, testPrice))
	if err := testDomain.Verify(s); err != nil {
		t.Errorf("cheque does not verify: %v", err)
	}
	if _, err := d.Cheque(); !errors.Is(err, ErrNothingOwed) {
		t.Fatalf("second Cheque with nothing new: %v, want ErrNothingOwed", err)
	}
	sendN(d, 7)
	wantAmount(t, "second cheque", mustCheque(t, d).CumulativeAmount, wei(20, testPrice))

	latest, ok := d.Latest()
	if !ok {
		t.Fatal("no Latest after two cheques")
	}
	wantAmount(t, "Latest", latest.CumulativeAmount, wei(20, testPrice))
	// The caller's copy is its own.
	latest.CumulativeAmount.SetInt64(1)
	again, _ := d.Latest()
	wantAmount(t, "Latest after the caller changed its copy", again.CumulativeAmount, wei(20, testPrice))
	if st := l.Stats(); st.ChequesSigned != 2 {
		t.Errorf("ChequesSigned = %d, want 2", st.ChequesSigned)
	}
}

func TestChequesMonotonicAcrossReopen(t *testing.T) {
	alice, bob := newParty(t), newParty(t)
	dir := t.TempDir()
	opts := options(alice, newFakeCover())

	l := open(t, dir, opts)
	d := mustOut(t, l, bob.addr, testPrice)
	sendN(d, 25)
	first := mustCheque(t, d)
	sendN(d, 3) // unbilled, saved by Close
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	l = openClosing(t, dir, opts)
	got := debtTo(t, l, bob.addr)
	wantAmount(t, "restored latest", got.Latest.CumulativeAmount, first.CumulativeAmount)
	if got.Latest.Signature != first.Signature {
		t.Error("restored latest has another signature")
	}
	wantAmount(t, "restored unbilled", got.Unbilled, wei(3, testPrice))
	d = mustOut(t, l, bob.addr, testPrice)
	sendN(d, 4)
	wantAmount(t, "cheque after reopen", mustCheque(t, d).CumulativeAmount, wei(25+3+4, testPrice))
}

// A crash loses the packets counted since the last write; the ledger then
// owes one more cheque interval, so the next cheque is never lower than
// one signed before, nor short of what was sent.
func TestChequesMonotonicAcrossCrash(t *testing.T) {
	alice, bob := newParty(t), newParty(t)
	dir := t.TempDir()
	opts := options(alice, newFakeCover())

	l := openClosing(t, dir, opts)
	d := mustOut(t, l, bob.addr, testPrice)
	sendN(d, 20)
	first := mustCheque(t, d)
	sendN(d, 6) // forgotten by the crash

	crashed := openClosing(t, crashCopy(t, dir), opts)
	got := debtTo(t, crashed, bob.addr)
	wantAmount(t, "latest after crash", got.Latest.CumulativeAmount, first.CumulativeAmount)
	wantAmount(t, "unbilled after crash (one interval)", got.Unbilled, wei(10, testPrice))
	d = mustOut(t, crashed, bob.addr, testPrice)
	second := mustCheque(t, d)
	wantAmount(t, "cheque after crash", second.CumulativeAmount, wei(30, testPrice))
	if second.CumulativeAmount.Cmp(wei(26, testPrice)) < 0 {
		t.Error("cheque after the crash pays less than what was sent")
	}

	// A clean close after the crash clears the marker: no second top-up.
	if err := crashed.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCleanCloseOwesNoTopUp(t *testing.T) {
	alice, bob := newParty(t), newParty(t)
	dir := t.TempDir()
	opts := options(alice, newFakeCover())
	l := open(t, dir, opts)
	d := mustOut(t, l, bob.addr, testPrice)
	sendN(d, 10)
	mustCheque(t, d)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l = openClosing(t, dir, opts)
	wantAmount(t, "unbilled after a clean close", debtTo(t, l, bob.addr).Unbilled, new(big.Int))
}

func TestPriceChangeKeepsOldPriceForCountedPackets(t *testing.T) {
	alice, bob := newParty(t), newParty(t)
	l := openClosing(t, t.TempDir(), options(alice, newFakeCover()))
	p1, p2 := testPrice, big.NewInt(3_000_000_019)

	d := mustOut(t, l, bob.addr, p1)
	sendN(d, 7)
	if d2 := mustOut(t, l, bob.addr, p2); d2 != d {
		t.Fatal("Out returned another handle for the same payee")
	}
	// The due signal keeps its rhythm across the price change.
	if due := sendN(d, 5); due != 1 {
		t.Errorf("cheques due in packets 8..12: %d, want 1", due)
	}
	want := new(big.Int).Add(wei(7, p1), wei(5, p2))
	wantAmount(t, "cheque across a price change", mustCheque(t, d).CumulativeAmount, want)
	wantAmount(t, "Debts price", debtTo(t, l, bob.addr).Price, p2)
}

func TestZeroPriceOwesNothing(t *testing.T) {
	alice, bob := newParty(t), newParty(t)
	l := openClosing(t, t.TempDir(), options(alice, newFakeCover()))
	d := mustOut(t, l, bob.addr, nil)
	sendN(d, 50)
	if _, err := d.Cheque(); !errors.Is(err, ErrNothingOwed) {
		t.Fatalf("Cheque at price zero: %v, want ErrNothingOwed", err)
	}
}

func TestSignerWithWrongKeyIsCaught(t *testing.T) {
	alice, bob, mallory := newParty(t), newParty(t), newParty(t)
	opts := options(alice, newFakeCover())
	// A signer for another account, and one for another vault.
	for name, signer := range map[string]Signer{
		"wrong key": func(c cheque.Cheque) (cheque.Signed, error) {
			c.Payer = mallory.addr
			s, err := testDomain.Sign(c, mallory.key)
			s.Payer = alice.addr
			return s, err
		},
		"wrong domain": KeySigner(cheque.NewDomain(big.NewInt(1), common.HexToAddress("0xbb")), alice.key),
	} {
		t.Run(name, func(t *testing.T) {
			opts.Signer = signer
			l := openClosing(t, t.TempDir(), opts)
			d := mustOut(t, l, bob.addr, testPrice)
			sendN(d, 10)
			if _, err := d.Cheque(); err == nil {
				t.Fatal("Cheque with a bad signer succeeded")
			}
			if _, ok := d.Latest(); ok {
				t.Error("a bad cheque was kept")
			}
			wantAmount(t, "unbilled", debtTo(t, l, bob.addr).Unbilled, wei(10, testPrice))
		})
	}
}
