// Package client is the Murmur SDK for applications: it connects to a
// provider, builds routes through the mix network from the epoch's topology,
// sends messages (split into fixed-size Sphinx packets and sealed end to end
// to the recipient's X25519 key), fetches and reassembles what arrives in its
// mailbox, and replies through single-use reply blocks (SURBs) without
// learning where the other side is.
//
// # Connecting
//
// [Dial] makes a working client from a network file (`murmur deploy`), an
// RPC endpoint and a data directory (and a provider's multiaddr, or it
// chooses one of the registry's providers once, [ChooseProvider]); it loads or
// creates the client's identity and keys there, opens its ticket wallet,
// and with an Ethereum account pays issuers from that account's Vault
// deposit through a cheque book kept in the same directory:
//
//	c, err := client.Dial(ctx, client.Options{
//		RPC:         "https://rpc.example",
//		NetworkFile: "network.json",
//		DataDir:     "alice", // no Provider: one of the registry's, kept
//		                      // in alice/provider (the mailbox is there)
//		Account:     key, // pays for tickets; nil to spend only tickets given to it
//	})
//	defer c.Close()
//	c.Buy(ctx, 10)                                      // tickets: 10,000 packets
//	c.Send(ctx, to, []byte("hello"), client.SendOptions{WithReply: true})
//	m, err := c.Receive(ctx)                            // blocks until a message arrives
//	c.Reply(ctx, m, []byte("hello back"))               // through m's reply block
//
// Share [Client.Address] with those who should write to the client. The
// examples run against a devnet. [New] is the lower-level constructor,
// for callers that hold the chain, keys and wallet themselves.
//
// # Paying
//
// A provider may charge a prepaid packet for every packet, cover included.
// The client pays as it sends, spending tickets of its wallet at its
// provider; [Client.Buy] (or [Client.BuyTickets] with a payer of one's own)
// fills the wallet from an issuer of the network. See payments.go.
package client
