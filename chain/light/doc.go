// Package light reads what a client needs of a Murmur deployment, and
// nothing more, over plain Ethereum JSON-RPC: the chain's ID, block
// headers (number, time, hash), the registry's epoch clock and its
// active set as of a block. It also holds the deployment's record types
// (network file, contract addresses, registry entries) that package
// chain re-exports.
//
// It exists for the browser: go-ethereum's client, its core/types and the
// abigen bindings weigh about 8 MB of gzipped WebAssembly, against a
// budget of 3 MB for the whole page. So this package encodes its few
// calls and decodes their answers by hand (the registry's ABI, checked
// against package chain's bindings on a real node in its tests), and
// leaves the transport to its user: [Caller] is one JSON-RPC exchange,
// which the browser core makes with fetch and native code with
// [HTTPCaller].
//
//	r, err := light.Open(ctx, light.HTTPCaller(url, nil), network)
//	epochs, err := pki.EpochsFrom(ctx, r)
//	snaps, err := pki.NewSnapshots(r, epochs, pki.SnapshotOptions{})
package light
