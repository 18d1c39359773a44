// Package pki is Murmur's public-key infrastructure: who the relays of an
// epoch are, which mix sits in which layer, and which Sphinx key to build a
// packet with for each of them (ADR 0006). The on-chain registry is the
// root of trust; everything else is signed by a relay and checked against
// it.
//
// # Epochs, snapshots and topologies
//
// Time is cut into epochs by the registry's clock ([Epochs], read with
// [EpochsFrom]): epoch e starts at genesis + e·length. The state of epoch e
// is read at B_e, the last block whose timestamp is before the epoch's
// start: the active relays at B_e, and B_e's hash as the seed. [Snapshots]
// returns this [Snapshot], reading it from the chain once and caching it on
// disk, so that a node restarted while its endpoint is down still knows the
// epochs it has seen:
//
//	epochs, err := pki.EpochsFrom(ctx, client) // client is a *chain.Client
//	snaps, err := pki.NewSnapshots(pki.FromClient(client), epochs, pki.SnapshotOptions{Dir: dataDir + "/pki"})
//	snap, err := snaps.Get(ctx, epochs.At(time.Now()))
//	top := pki.NewTopology(snap, pki.DefaultLayers)
//
// [NewTopology] is a pure function of the snapshot: providers are the
// active relays with the provider role, mixes are ordered by
// keccak256(seed ‖ nodeKey) and dealt round-robin into the layers. Every
// node and client reading the same chain computes the same [Topology].
//
// # Descriptors
//
// Each epoch a relay publishes a [Descriptor]: its Sphinx keys for the
// epoch and the next, its addresses, its price, network parameters.
// [Seal] signs it with the relay's libp2p Ed25519 identity key in a libp2p
// signed envelope (domain [DescriptorDomain]); [Open] verifies the
// signature and that the signer is the descriptor's node key.
//
// A [Directory] holds the descriptors of the previous, current and next
// epoch, and accepts a descriptor only if its signer is a relay of that
// epoch's topology, which the node gives it with [Directory.SetTopology]:
//
//	dir := pki.NewDirectory(epochs, nil)
//	dir.SetTopology(top)
//	err := dir.Add(sealed)                  // ErrNotInTopology, ErrStaleDescriptor, ...
//	key, ok := dir.SphinxKey(epoch, nodeKey) // to build a packet of that epoch
//
// # Gossip and fetching
//
// Relays run a [Gossip] on their libp2p host: it joins the GossipSub topic
// [DescriptorTopic] with the directory as validator, so that only
// descriptors this relay accepts travel on through it, republishes the
// relay's own descriptors, and serves [FetchProtocol]. Clients, which do
// not gossip, fetch the descriptors of an epoch from their provider:
//
//	sealed, err := pki.FetchDescriptors(ctx, h, provider, epoch)
//	n, err := dir.AddAll(sealed) // each one is checked
//
// # What it guarantees, and what it does not
//
//   - A descriptor in a [Directory] was signed by the Ed25519 key registered
//     as the node key of an active relay of its epoch, and names that
//     relay's operator and roles as the registry does.
//   - A snapshot is only read once the chain has a block at or after the
//     start of its epoch ([ErrEpochNotFinal] before), so B_e cannot move
//     afterwards, short of a reorganisation. Snapshots are not re-checked
//     against the chain once cached.
//   - The rest of a descriptor (addresses, price, parameters, Sphinx keys)
//     is the relay's word; this package checks its form, not its truth.
//   - It keeps no history beyond the directory's three epochs and the
//     snapshot cache's most recent ones.
package pki
