package wire

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

func TestBodiesRoundTrip(t *testing.T) {
	ids := []uint64{1, 2, 1 << 60}
	got, err := DecodeAck(EncodeAck(ids))
	if err != nil || !reflect.DeepEqual(got, ids) {
		t.Fatalf("ack: %v %v", got, err)
	}
	msgs := []Message{{ID: 7, Payload: []byte("a")}, {ID: 9, Payload: []byte{}}}
	gm, err := DecodeMessages(EncodeMessages(msgs))
	if err != nil || len(gm) != 2 || gm[0].ID != 7 || string(gm[0].Payload) != "a" || gm[1].ID != 9 {
		t.Fatalf("messages: %+v %v", gm, err)
	}
	st, err := DecodeStatus(EncodeStatus(Status{Code: CodeRejected, Reason: "replay"}))
	if err != nil || st.Code != CodeRejected || st.Reason != "replay" {
		t.Fatalf("status: %+v %v", st, err)
	}
	if st.Err() == nil || (Status{}).Err() != nil {
		t.Fatal("Status.Err")
	}
	n, err := DecodeFetch(EncodeFetch(300))
	if err != nil || n != 300 {
		t.Fatalf("fetch: %d %v", n, err)
	}
}

func TestDecodersRejectGarbage(t *testing.T) {
	cases := map[string]func([]byte) error{
		"ack":      func(b []byte) error { _, err := DecodeAck(b); return err },
		"messages": func(b []byte) error { _, err := DecodeMessages(b); return err },
		"status":   func(b []byte) error { _, err := DecodeStatus(b); return err },
		"fetch":    func(b []byte) error { _, err := DecodeFetch(b); return err },
	}
	inputs := [][]byte{nil, {0}, {0, 5, 1}, {0xff, 0xff}, {0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9}}
	for name, dec := range cases {
		for _, in := range inputs {
			if err := dec(in); err != nil && !errors.Is(err, ErrMalformed) {
				t.Errorf("%s(%x): error %v does not wrap ErrMalformed", name, in, err)
			}
		}
	}
	if _, err := DecodeMessages([]byte{0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9}); err == nil {
		t.Error("truncated message accepted")
	}
}

func FuzzDecodeMessages(f *testing.F) {
	f.Add(EncodeMessages([]Message{{ID: 1, Payload: []byte("x")}}))
	f.Add([]byte{0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		msgs, err := DecodeMessages(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if !bytes.Equal(EncodeMessages(msgs), b) {
			t.Fatal("decoded messages do not re-encode to the input")
		}
	})
}

func FuzzDecodeAck(f *testing.F) {
	f.Add(EncodeAck([]uint64{1, 2}))
	f.Fuzz(func(t *testing.T, b []byte) {
		ids, err := DecodeAck(b)
		if err == nil && !bytes.Equal(EncodeAck(ids), b) {
			t.Fatal("decoded ack does not re-encode to the input")
		}
	})
}

// A spend request or answer from the wire decodes to what encodes back to
// the same bytes, or is refused as malformed; it never panics.
func FuzzDecodeSpend(f *testing.F) {
	good, _ := EncodeSpend(Spend{Tickets: [][]byte{make([]byte, TicketSize)}})
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, ok, err := DecodeSpend(b)
		switch {
		case err != nil:
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("refused with %v, want ErrMalformed", err)
			}
		case !ok:
			if len(b) != 0 {
				t.Fatalf("%d bytes read as a balance query", len(b))
			}
		default:
			again, err := EncodeSpend(s)
			if err != nil || !bytes.Equal(again, b) {
				t.Fatalf("decoded %x, encodes back as %x (%v)", b, again, err)
			}
		}
	})
}

func FuzzDecodeSpent(f *testing.F) {
	f.Add(EncodeSpent(Spent{}))
	f.Add([]byte{0, 1, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeSpent(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("refused with %v, want ErrMalformed", err)
			}
			return
		}
		if again := EncodeSpent(s); !bytes.Equal(again, b) {
			t.Fatalf("decoded %x, encodes back as %x", b, again)
		}
	})
}
