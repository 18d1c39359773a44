// Package sphinx implements the Sphinx packet format of Murmur: layered
// encryption that carries a fixed-size message through a path of mix nodes
// so that each node learns only the previous and the next hop, single-use
// reply blocks (SURBs) for replying to a receiver who stays hidden, and
// the replay protection a relay needs. It does no networking.
//
// The wire format is specified in docs/spec/sphinx.md, with test vectors in
// testdata/vectors.json; docs/adr/0002-sphinx-construction.md records the
// choice of primitives.
//
// # Sending
//
// Every packet of a network has the same size, fixed by the network's
// [Geometry] ([DefaultGeometry]: 5 hops, 2 KiB of payload). A client picks
// a path of up to Geometry.Hops nodes, each with its public key for the
// epoch and a [Command], and builds a packet:
//
//	path := []sphinx.Hop{
//		{ID: provider, PublicKey: providerKey, Command: sphinx.Relay{Next: mix1, Delay: 40}},
//		{ID: mix1, PublicKey: mix1Key, Command: sphinx.Relay{Next: exit, Delay: 75}},
//		{ID: exit, PublicKey: exitKey, Command: sphinx.Deliver{Mailbox: mailbox}},
//	}
//	packet, err := sphinx.NewPacket(rand.Reader, g, path, message)
//	// send packet to path[0].ID
//
// Intermediate hops carry [Relay] commands; the final hop carries [Deliver]
// (store in a mailbox), [SURBReply] (a reply, store in a mailbox) or
// [Drop] (cover traffic, discard).
//
// # Relaying
//
// A relay makes one [Processor] for the network's geometry and one
// [ReplaySet], and for each packet read off the wire:
//
//	res, err := proc.Unwrap(epochKey, buf) // in place, no allocation but the command
//	if err != nil { drop }
//	if err := replays.CheckAndAdd(epoch, res.Tag); err != nil { drop }
//	switch cmd := res.Command.(type) {
//	case sphinx.Relay:     // wait cmd.Delay ms, send res.Packet to cmd.Next
//	case sphinx.Deliver:   // store res.Payload in cmd.Mailbox
//	case sphinx.SURBReply: // store res.Payload and cmd.ID in cmd.Mailbox
//	case sphinx.Drop:      // discard
//	}
//
// Unwrap works in place on the caller's buffer, so a relay can take
// buffers from a pool and forward them as they are.
//
// # Replying
//
// A receiver that wants a reply without revealing its provider builds a
// path to its own mailbox ending in a [SURBReply] command, calls
// [NewSURB], sends the [SURB] to its correspondent and keeps the
// [SURBKeys], indexed by [SURBKeys.ID]. The correspondent calls
// [NewPacketFromSURB]; when the reply arrives in the mailbox, the receiver
// opens it with [SURBKeys.Decrypt].
//
// # Guarantees
//
//   - All packets of a geometry have the same size, and a hop cannot tell
//     its position on the path or the path's length, the final hop
//     included: shorter paths are padded.
//   - A hop checks the header MAC, in constant time, before it trusts or
//     changes anything; a packet made for another key or another geometry,
//     or altered in its header, fails with [ErrInvalidMAC].
//   - The payload is encrypted with LIONESS, a wide-block cipher: a change
//     to any bit of it on the way turns the whole payload into noise, which
//     the final hop (or [SURBKeys.Decrypt] for a reply) reports as
//     [ErrPayloadTampered].
//   - Unwrap returns an error or a valid result for any input, never
//     panics, and does two X25519 scalar multiplications at a relay hop
//     (one at the final hop).
//   - Each packet has a [ReplayTag] per hop; a [ReplaySet] detects a packet
//     seen before under the same key.
//
// # What it does not do
//
//   - It does not hide timing or volume: mixing delays, cover traffic and
//     rate limits are the relay's and client's work.
//   - Intermediate hops cannot detect payload tampering; only the final
//     recipient can. A tampered packet still travels to the end.
//   - It does not protect the payload from the final hop: for [Deliver]
//     the provider sees the plaintext, so end-to-end encryption of the
//     message is the application's.
//   - It does not authenticate the sender to anyone, and a SURB does not
//     tell the receiver who replied.
//   - Keys are the caller's to rotate: a relay drops expired epoch keys
//     and rotates its [ReplaySet] with them.
//   - Unwrap does not check replays itself, so that it stays a pure
//     function; the caller must consult a [ReplaySet].
package sphinx

//go:generate go run ./internal/vectorgen -o testdata
