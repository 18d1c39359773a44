package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/tickets"
)

func TestSpendSizesAreThoseOfTickets(t *testing.T) {
	if wire.TicketSize != tickets.TicketSize || wire.IssuerKeySize != tickets.G2CompressedSize {
		t.Fatalf("wire sizes %d, %d; tickets %d, %d", wire.TicketSize, wire.IssuerKeySize, tickets.TicketSize, tickets.G2CompressedSize)
	}
}

func TestSpendRoundTrip(t *testing.T) {
	s := wire.Spend{Tickets: [][]byte{bytes.Repeat([]byte{1}, wire.TicketSize), bytes.Repeat([]byte{2}, wire.TicketSize)}}
	s.IssuerKey[0] = 7
	b, err := wire.EncodeSpend(s)
	if err != nil {
		t.Fatal(err)
	}
	got, ok, err := wire.DecodeSpend(b)
	if err != nil || !ok || got.IssuerKey != s.IssuerKey || len(got.Tickets) != 2 || !bytes.Equal(got.Tickets[1], s.Tickets[1]) {
		t.Fatalf("decoded %+v, %v, %v", got, ok, err)
	}
	if _, ok, err := wire.DecodeSpend(nil); ok || err != nil {
		t.Fatalf("empty spend is a balance query: %v, %v", ok, err)
	}
	for _, bad := range [][]byte{b[:10], b[:len(b)-1], append(b, 0), append(b[:wire.IssuerKeySize:wire.IssuerKeySize], 0, 0)} {
		if _, _, err := wire.DecodeSpend(bad); !errors.Is(err, wire.ErrMalformed) {
			t.Errorf("spend of %d bytes: %v", len(bad), err)
		}
	}
	if _, err := wire.EncodeSpend(wire.Spend{}); err == nil {
		t.Error("encoded a spend of no tickets")
	}
	if _, err := wire.EncodeSpend(wire.Spend{Tickets: [][]byte{{1}}}); err == nil {
		t.Error("encoded a short ticket")
	}
}

func TestSpentRoundTrip(t *testing.T) {
	s := wire.Spent{Balance: 1 << 40, Credited: 3000, Refused: []wire.Refusal{{Index: 1, Code: wire.SpendBadSignature}, {Index: 4, Code: wire.SpendUnknownKey}}, Reason: "forged"}
	b := wire.EncodeSpent(s)
	got, err := wire.DecodeSpent(b)
	if err != nil || got.Balance != s.Balance || got.Credited != s.Credited || len(got.Refused) != 2 || got.Refused[1] != s.Refused[1] || got.Reason != "forged" {
		t.Fatalf("decoded %+v, %v", got, err)
	}
	// Refusals must be in order, without repeats.
	bad := wire.EncodeSpent(wire.Spent{Refused: []wire.Refusal{{Index: 4}, {Index: 1}}})
	if _, err := wire.DecodeSpent(bad); !errors.Is(err, wire.ErrMalformed) {
		t.Fatalf("refusals out of order: %v", err)
	}
	if _, err := wire.DecodeSpent(b[:17]); !errors.Is(err, wire.ErrMalformed) {
		t.Fatalf("truncated: %v", err)
	}
}

func TestSpendCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range wire.SpendCodes() {
		if c.String() == "unknown" || seen[c.String()] {
			t.Fatalf("code %d named %q", c, c)
		}
		seen[c.String()] = true
	}
	if !wire.SpendUnknownKey.Retryable() || !wire.SpendUnavailable.Retryable() || wire.SpendBadSignature.Retryable() || wire.SpendAlreadySpent.Retryable() {
		t.Fatal("retryable codes")
	}
	if wire.SpendCode(0).String() != "unknown" || wire.SpendCode(200).String() != "unknown" {
		t.Fatal("undeclared codes have names")
	}
}
