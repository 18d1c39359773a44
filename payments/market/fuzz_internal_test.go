package market

import (
	"bytes"
	"errors"
	"io"
	"math/big"
	"math/rand/v2"
	"testing"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/tickets"
)

// The market's decoders read what any peer sends. Each either refuses the
// bytes as malformed or decodes what encodes back to the same bytes; none
// panics. `make fuzz` runs them for longer.

func refusedAsMalformed(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, errMalformed) {
		t.Fatalf("refused with %v, want a malformed message", err)
	}
}

func testRandReader() io.Reader { return rand.NewChaCha8([32]byte{3}) }

func fuzzKey(f *testing.F) tickets.IssuerKey {
	k, err := tickets.GenerateIssuerKey(testRandReader(), 31337, 3, tickets.Value{Packets: 1000, Price: big.NewInt(2e12), Fee: big.NewInt(7e10)})
	if err != nil {
		f.Fatal(err)
	}
	return k.Public()
}

func FuzzDecodeOrder(f *testing.F) {
	key := fuzzKey(f)
	req, err := tickets.NewTicketRequest(nil, key)
	if err != nil {
		f.Fatal(err)
	}
	pay := cheque.Signed{Cheque: cheque.Cheque{CumulativeAmount: big.NewInt(5)}}
	f.Add(encodeOrder(key, pay, []bls.G1Affine{req.Blinded()}))
	f.Add(make([]byte, orderHead))
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := decodeOrder(b)
		if err != nil {
			refusedAsMalformed(t, err)
			return
		}
		again := encodeOrder(tickets.IssuerKey{Epoch: o.Epoch, Value: o.Value}, o.Payment, o.Blinded)
		if !bytes.Equal(again, b) {
			t.Fatalf("decoded %x, encodes back as %x", b, again)
		}
	})
}

func FuzzDecodeCatalog(f *testing.F) {
	key := fuzzKey(f)
	f.Add(encodeCatalog([20]byte{1}, []tickets.IssuerKey{key}))
	f.Add(make([]byte, 22))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCatalog(b)
		if err != nil {
			refusedAsMalformed(t, err)
			return
		}
		if again := encodeCatalog(c.Issuer, c.Keys); !bytes.Equal(again, b) {
			t.Fatalf("decoded %x, encodes back as %x", b, again)
		}
	})
}

func FuzzDecodeRedemption(f *testing.F) {
	f.Add(make([]byte, redemptionHead+tickets.TicketSize))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		req, ts, err := decodeRedemption(b)
		if err != nil {
			refusedAsMalformed(t, err)
			return
		}
		if again := encodeRedemption(&req, ts); !bytes.Equal(again, b) {
			t.Fatalf("decoded %x, encodes back as %x", b, again)
		}
	})
}

func FuzzDecodeRefusal(f *testing.F) {
	f.Add(encodeRefusal(refusal{code: CodeUnderpaid, want: big.NewInt(9), have: big.NewInt(3), refused: []TicketRefusal{{Index: 1, Code: CodeBadCheque}}, reason: "short"}))
	f.Add([]byte{0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeRefusal(b)
		if err != nil {
			refusedAsMalformed(t, err)
			return
		}
		if len(r.reason) > MaxReason {
			t.Fatalf("a reason of %d bytes", len(r.reason))
		}
	})
}

func FuzzDecodeSigs(f *testing.F) {
	f.Add(encodeSigs(nil), 0)
	f.Add([]byte{0, 1}, 1)
	f.Fuzz(func(t *testing.T, b []byte, n int) {
		sigs, err := decodeSigs(b, n)
		if err != nil {
			refusedAsMalformed(t, err)
			return
		}
		if again := encodeSigs(sigs); !bytes.Equal(again, b) {
			t.Fatalf("decoded %x, encodes back as %x", b, again)
		}
	})
}

func FuzzDecodeLotteryRedemption(f *testing.F) {
	f.Add(append(append([]byte{1}, make([]byte, payByHead-1)...), make([]byte, redemptionHead+tickets.TicketSize)...))
	f.Add(make([]byte, payByHead))
	f.Fuzz(func(t *testing.T, b []byte) {
		by, req, ts, err := decodeLotteryRedemption(b)
		if err != nil {
			refusedAsMalformed(t, err)
			return
		}
		if again := encodeLotteryRedemption(by, &req, ts); !bytes.Equal(again, b) {
			t.Fatalf("decoded %x, encodes back as %x", b, again)
		}
	})
}

func FuzzDecodeReceipt(f *testing.F) {
	f.Add(make([]byte, receiptSize))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeReceipt(b)
		if err != nil {
			refusedAsMalformed(t, err)
			return
		}
		if again := encodeReceipt(&r); !bytes.Equal(again, b) {
			t.Fatalf("decoded %x, encodes back as %x", b, again)
		}
	})
}
