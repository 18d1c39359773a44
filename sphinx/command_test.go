package sphinx

import (
	"bytes"
	"errors"
	"testing"
)

func TestCommandRoundTrip(t *testing.T) {
	for _, c := range []Command{
		Relay{Next: NodeID{1, 2, 3, 31: 4}, Delay: 0xdeadbeef},
		Relay{},
		Deliver{Mailbox: MailboxID{9, 31: 9}},
		SURBReply{Mailbox: MailboxID{5}, ID: SURBID{1, 15: 2}},
		Drop{},
	} {
		b := AppendCommand([]byte{0xaa}, c)
		if b[0] != 0xaa || len(b) != 1+c.encodedLen() || CommandType(b[1]) != c.Type() {
			t.Fatalf("AppendCommand(%#v) = %x", c, b)
		}
		got, err := DecodeCommand(b[1:])
		if err != nil || got != c {
			t.Fatalf("DecodeCommand(%x) = %#v, %v; want %#v", b[1:], got, err, c)
		}
		padded := append(b[1:len(b):len(b)], make([]byte, 40)...)
		if got, err := DecodeCommand(padded); err != nil || got != c {
			t.Fatalf("padded: DecodeCommand = %#v, %v", got, err)
		}
		if c.encodedLen() > 1 {
			if _, err := DecodeCommand(b[1 : len(b)-1]); !errors.Is(err, ErrInvalidCommand) {
				t.Errorf("%T truncated: error %v, want ErrInvalidCommand", c, err)
			}
		}
		padded[len(padded)-1] = 1
		if _, err := DecodeCommand(padded); !errors.Is(err, ErrInvalidCommand) {
			t.Errorf("%T with non-zero padding: error %v, want ErrInvalidCommand", c, err)
		}
	}
}

func TestCommandEncodingPinned(t *testing.T) {
	got := AppendCommand(nil, Relay{Next: NodeID{0x11}, Delay: 0x01020304})
	want := append(append([]byte{0x01, 0x11}, make([]byte, 31)...), 1, 2, 3, 4)
	if !bytes.Equal(got, want) {
		t.Errorf("Relay encodes as %x, want %x", got, want)
	}
	got = AppendCommand(nil, SURBReply{Mailbox: MailboxID{0x22}, ID: SURBID{0x33}})
	want = append(append(append([]byte{0x03, 0x22}, make([]byte, 31)...), 0x33), make([]byte, 15)...)
	if !bytes.Equal(got, want) {
		t.Errorf("SURBReply encodes as %x, want %x", got, want)
	}
}

func TestDecodeCommandErrors(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		want error
	}{
		{nil, ErrInvalidCommand},
		{[]byte{0}, ErrUnknownCommand},
		{make([]byte, 64), ErrUnknownCommand},
		{[]byte{0x05}, ErrUnknownCommand},
		{[]byte{0xff, 0, 0}, ErrUnknownCommand},
		{[]byte{byte(CommandRelay)}, ErrInvalidCommand},
		{[]byte{byte(CommandDrop), 1}, ErrInvalidCommand},
	} {
		if _, err := DecodeCommand(tc.in); err != tc.want {
			t.Errorf("DecodeCommand(%x) error %v, want %v", tc.in, err, tc.want)
		}
	}
}

func TestCommandsFitMinimumGeometry(t *testing.T) {
	g := Geometry{Hops: 1, PayloadSize: MinPayloadSize, RoutingInfoSize: MinRoutingInfoSize}
	for _, c := range []Command{Relay{}, Deliver{}, SURBReply{}, Drop{}} {
		if c.encodedLen() > g.commandSize() {
			t.Errorf("%T is %d bytes, room is %d", c, c.encodedLen(), g.commandSize())
		}
	}
}
