package sphinx_test

import (
	"crypto/rand"
	"fmt"
	"log"

	"github.com/murmurnet/murmur/sphinx"
)

// relay is a node of the example network.
type relay struct {
	id  sphinx.NodeID
	key *sphinx.PrivateKey
}

func newRelays(n int) []relay {
	rs := make([]relay, n)
	for i := range rs {
		rs[i].id[0] = byte(i + 1)
		k, err := sphinx.GenerateKey(rand.Reader)
		if err != nil {
			log.Fatal(err)
		}
		rs[i].key = k
	}
	return rs
}

func Example() {
	g := sphinx.DefaultGeometry()
	relays := newRelays(3)
	mailbox := sphinx.MailboxID{42}

	// The sender.
	path := []sphinx.Hop{
		{ID: relays[0].id, PublicKey: relays[0].key.Public(), Command: sphinx.Relay{Next: relays[1].id, Delay: 40}},
		{ID: relays[1].id, PublicKey: relays[1].key.Public(), Command: sphinx.Relay{Next: relays[2].id, Delay: 75}},
		{ID: relays[2].id, PublicKey: relays[2].key.Public(), Command: sphinx.Deliver{Mailbox: mailbox}},
	}
	packet, err := sphinx.NewPacket(rand.Reader, g, path, []byte("hello, mixnet"))
	if err != nil {
		log.Fatal(err)
	}

	// The relays.
	proc, err := sphinx.NewProcessor(g)
	if err != nil {
		log.Fatal(err)
	}
	replays := sphinx.NewReplaySet(1000)
	const epoch = 1
	replays.Rotate(epoch)
	for _, r := range relays {
		res, err := proc.Unwrap(r.key, packet)
		if err != nil {
			log.Fatal(err)
		}
		if err := replays.CheckAndAdd(epoch, res.Tag); err != nil {
			log.Fatal(err)
		}
		switch cmd := res.Command.(type) {
		case sphinx.Relay:
			fmt.Printf("relay to node %d after %d ms\n", cmd.Next[0], cmd.Delay)
			packet = res.Packet
		case sphinx.Deliver:
			fmt.Printf("deliver %q to mailbox %d\n", res.Payload, cmd.Mailbox[0])
		}
	}
	// Output:
	// relay to node 2 after 40 ms
	// relay to node 3 after 75 ms
	// deliver "hello, mixnet" to mailbox 42
}

func ExampleNewSURB() {
	g := sphinx.DefaultGeometry()
	relays := newRelays(2)

	// The receiver builds a SURB to its own mailbox and keeps the keys.
	reply := sphinx.SURBReply{Mailbox: sphinx.MailboxID{7}, ID: sphinx.SURBID{1}}
	surb, keys, err := sphinx.NewSURB(rand.Reader, g, []sphinx.Hop{
		{ID: relays[0].id, PublicKey: relays[0].key.Public(), Command: sphinx.Relay{Next: relays[1].id}},
		{ID: relays[1].id, PublicKey: relays[1].key.Public(), Command: reply},
	})
	if err != nil {
		log.Fatal(err)
	}
	wire, _ := surb.MarshalBinary()

	// The correspondent replies without learning where the reply goes.
	var received sphinx.SURB
	if err := received.UnmarshalBinary(wire); err != nil {
		log.Fatal(err)
	}
	first, packet, err := sphinx.NewPacketFromSURB(&received, []byte("got it"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("send to node", first[0])

	// The relays carry it; the receiver's provider stores it.
	proc, _ := sphinx.NewProcessor(g)
	var stored []byte
	for _, r := range relays {
		res, err := proc.Unwrap(r.key, packet)
		if err != nil {
			log.Fatal(err)
		}
		packet, stored = res.Packet, res.Payload
	}

	// The receiver opens it.
	msg, err := keys.Decrypt(stored)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q\n", msg)
	// Output:
	// send to node 1
	// "got it"
}
