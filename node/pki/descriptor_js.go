//go:build js

package pki

// open checks a sealed descriptor: in the browser core, without libp2p.
func open(b []byte) (*Descriptor, error) { return openEnvelope(b) }
