package chain

import "github.com/mr-tron/base58"

// peerIDPrefix is the identity-multihash header (code 0x00, length 36) and
// protobuf PublicKey header (Type: Ed25519, Data: 32 bytes) that make a libp2p
// peer ID out of an Ed25519 public key.
var peerIDPrefix = []byte{0x00, 0x24, 0x08, 0x01, 0x12, 0x20}

// PeerIDBytes returns the binary libp2p peer ID of the node whose Ed25519
// public key is nodeKey; the registry's peerId view returns the same bytes.
func PeerIDBytes(nodeKey [32]byte) []byte {
	return append(append([]byte{}, peerIDPrefix...), nodeKey[:]...)
}

// PeerID returns the base58 text form of PeerIDBytes ("12D3KooW...").
func PeerID(nodeKey [32]byte) string { return base58.Encode(PeerIDBytes(nodeKey)) }
