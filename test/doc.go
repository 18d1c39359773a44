// Package test holds Murmur's integration tests: the same flows the unit
// tests run on the embedded chain, run against real development chains
// (anvil from the npm toolchain, geth --dev built from source) that the tests
// start on 127.0.0.1 and stop.
package test
