// Package client is the Murmur SDK for applications: it connects to a
// provider, builds routes through the mix network from the epoch's topology,
// sends messages (split into fixed-size Sphinx packets and sealed end to end
// to the recipient's X25519 key), fetches and reassembles what arrives in its
// mailbox, and replies through single-use reply blocks (SURBs) without
// learning where the other side is.
//
// A provider may charge a prepaid packet for every packet, cover included.
// Give the client a ticket wallet ([Config.Wallet]) and it pays as it sends,
// spending tickets at its provider; [Client.BuyTickets] fills the wallet
// from an issuer of the network. See payments.go.
package client
