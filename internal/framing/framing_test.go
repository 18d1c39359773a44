package framing

import (
	"bytes"
	"errors"
	"testing"
)

func TestMsgRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMsg(&buf, Type(2), []byte("hello")); err != nil {
		t.Fatal(err)
	}
	typ, body, err := ReadMsg(&buf, 100)
	if err != nil || typ != Type(2) || string(body) != "hello" {
		t.Fatalf("got %v %q %v", typ, body, err)
	}
}

func TestReadMsgRefusesOversizedBody(t *testing.T) {
	var buf bytes.Buffer
	_ = WriteMsg(&buf, Type(2), make([]byte, 101))
	if _, _, err := ReadMsg(&buf, 100); !errors.Is(err, ErrMalformed) {
		t.Fatalf("got %v, want ErrMalformed", err)
	}
	// A header claiming 4 GiB is refused before anything is allocated.
	if _, _, err := ReadMsg(bytes.NewReader([]byte{2, 0xff, 0xff, 0xff, 0xff}), MaxBody); !errors.Is(err, ErrMalformed) {
		t.Fatalf("got %v, want ErrMalformed", err)
	}
}
