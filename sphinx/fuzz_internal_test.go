package sphinx

import (
	"bytes"
	"testing"

	"golang.org/x/crypto/chacha20"
)

// FuzzUnwrapAuthentic complements FuzzUnwrap, whose random packets almost
// never pass the MAC check: it forges packets with a valid MAC whose
// decrypted routing information and payload are the fuzzer's bytes, to
// reach the code after the MAC check (command decoding, payload checks).
func FuzzUnwrapAuthentic(f *testing.F) {
	g := Geometry{Hops: 2, PayloadSize: 64, RoutingInfoSize: MinRoutingInfoSize}
	p := mustProcessor(f, g)
	rnd := newTestRand("fuzz authentic")
	priv, _ := GenerateKey(rnd)
	var eph, alpha, secret [32]byte
	rnd.Read(eph[:])
	x25519Base(&alpha, &eph)
	x25519Shared(&secret, (*[32]byte)(&priv.secret), &alpha)
	var keys hopKeys
	gh := g.Hash()
	deriveHopKeys(&keys, &gh, &alpha, &secret)
	B := g.routingSize()
	rho := make([]byte, B)
	c, _ := chacha20.NewUnauthenticatedCipher(keys.header[:], zeroNonce[:])
	c.XORKeyStream(rho, rho)

	block := make([]byte, g.payloadBlockSize())
	encodePayload(block, []byte("hello"))
	f.Add(AppendCommand(nil, Relay{Next: NodeID{1}, Delay: 9}), block)
	f.Add(AppendCommand(nil, Deliver{Mailbox: MailboxID{2}}), block)
	f.Add(AppendCommand(nil, SURBReply{ID: SURBID{3}}), block)
	f.Add(AppendCommand(nil, Drop{}), []byte{1})
	f.Add([]byte{0x09}, block)

	f.Fuzz(func(t *testing.T, routing, payload []byte) {
		pkt := make([]byte, g.PacketSize())
		copy(pkt, alpha[:])
		beta := pkt[GroupElementSize : GroupElementSize+B]
		copy(beta, routing)
		plainRouting := bytes.Clone(beta)
		xorBytes(beta, rho)
		mac := headerMAC(&keys.mac, pkt[:GroupElementSize+B])
		copy(pkt[GroupElementSize+B:], mac[:])
		blk := pkt[g.HeaderSize():]
		copy(blk, payload)
		plainPayload := bytes.Clone(blk)
		lionessEncrypt(&keys.payload, blk)

		res, err := p.Unwrap(priv, pkt)
		wantCmd, cmdErr := DecodeCommand(plainRouting[:g.commandSize()])
		if cmdErr != nil {
			if err != cmdErr {
				t.Fatalf("command error %v, Unwrap error %v", cmdErr, err)
			}
			return
		}
		if res.Command != nil && res.Command != wantCmd {
			t.Fatalf("command %#v, want %#v", res.Command, wantCmd)
		}
		switch wantCmd.(type) {
		case Relay:
			if err != nil || len(res.Packet) != g.PacketSize() {
				t.Fatalf("relay: %v", err)
			}
			if !bytes.Equal(res.Packet[GroupElementSize+B:g.HeaderSize()], plainRouting[g.commandSize():g.RoutingInfoSize]) {
				t.Fatal("next MAC not taken from the routing information")
			}
		case SURBReply:
			if err != nil || !bytes.Equal(res.Payload, plainPayload) {
				t.Fatalf("SURB reply: %v", err)
			}
		default:
			want, wantErr := decodePayload(plainPayload)
			if err != wantErr || !bytes.Equal(res.Payload, want) {
				t.Fatalf("final: payload %x, %v; want %x, %v", res.Payload, err, want, wantErr)
			}
		}
	})
}
