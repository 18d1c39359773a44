package tickets_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/murmurnet/murmur/payments/tickets"
)

// FuzzDecodeTicket checks that DecodeTicket never panics, refuses with one
// of the named errors, and accepts only canonical encodings: whatever it
// accepts encodes back to the same bytes. The seed corpus is in
// testdata/fuzz/FuzzDecodeTicket.
func FuzzDecodeTicket(f *testing.F) {
	f.Add(make([]byte, tickets.TicketSize))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		tk, err := tickets.DecodeTicket(b)
		if err != nil {
			for _, e := range []error{tickets.ErrMalformed, tickets.ErrNotOnCurve, tickets.ErrNotInSubgroup, tickets.ErrInfinity} {
				if errors.Is(err, e) {
					return
				}
			}
			t.Fatalf("unnamed error: %v", err)
		}
		if again := tk.Bytes(); !bytes.Equal(again[:], b) {
			t.Fatalf("decoded %x, encodes back as %x", b, again)
		}
		if p := tk.Signature.Point(); !p.IsInSubGroup() || p.IsInfinity() {
			t.Fatal("accepted a signature outside G1")
		}
	})
}
