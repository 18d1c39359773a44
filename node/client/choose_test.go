package client_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node/client"
)

// TestDialChoosesProviderFromRegistry: a client dialled without a
// provider takes one of the registry's active providers, records it, and
// keeps it on the next dial (its mailbox is there); a record that does not
// parse is an error, not a new choice.
func TestDialChoosesProviderFromRegistry(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	nw := exampleNet()
	network, err := nw.Network(ctx)
	if err != nil {
		t.Fatal(err)
	}
	providers := map[[32]byte]bool{}
	for i := range nw.Opts.Providers {
		providers[nw.Result.Relays[i].NodeKey] = true
	}
	dir := t.TempDir()
	o := client.Options{Backend: nw.Backend, Network: &network, DataDir: dir, NoCover: true}
	c, err := client.Dial(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	first := c.Address().Provider
	c.Close()
	if !providers[first] {
		t.Fatalf("the client chose %x, not one of the devnet's %d providers", first, len(providers))
	}
	rec, err := os.ReadFile(filepath.Join(dir, client.ProviderFile))
	if err != nil {
		t.Fatal(err)
	}
	p, err := client.ParseProvider(string(rec[:len(rec)-1]))
	if err != nil || p.NodeKey != first {
		t.Fatalf("the record %q names %x (%v), the client used %x", rec, p.NodeKey, err, first)
	}
	for range 3 {
		c, err := client.Dial(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		again := c.Address().Provider
		c.Close()
		if again != first {
			t.Fatalf("the next dial took provider %x, the first %x", again, first)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, client.ProviderFile), []byte("/ip4/127.0.0.1/tcp/1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if c, err := client.Dial(ctx, o); err == nil {
		c.Close()
		t.Fatal("a provider record without a peer ID was taken")
	}
}

type registry struct {
	relays []chain.Relay
	err    error
}

func (r registry) ActiveRelays(context.Context) ([]chain.Relay, error) { return r.relays, r.err }

// TestChooseProvider: only active providers with an address are chosen;
// a registry without one, or one that cannot be read, is a clear error and
// records nothing.
func TestChooseProvider(t *testing.T) {
	addr := chain.EncodeMultiaddrs([]ma.Multiaddr{ma.StringCast("/ip4/127.0.0.1/tcp/4001"), ma.StringCast("/ip4/127.0.0.1/tcp/4002/ws")})
	mix := chain.Relay{Roles: chain.RoleMix, NodeKey: [32]byte{1}, Multiaddrs: addr}
	mute := chain.Relay{Roles: chain.RoleProvider, NodeKey: [32]byte{2}}
	prov := chain.Relay{Roles: chain.RoleProvider | chain.RoleIssuer, NodeKey: [32]byte{3}, Multiaddrs: addr}
	ctx := context.Background()

	for name, reg := range map[string]registry{
		"no provider":     {relays: []chain.Relay{mix, mute}},
		"registry unread": {err: errors.New("connection refused")},
	} {
		dir := t.TempDir()
		_, _, err := client.ChooseProvider(ctx, reg, dir)
		if err == nil {
			t.Fatalf("%s: a provider was chosen", name)
		}
		if reg.err == nil && !errors.Is(err, client.ErrNoProvider) {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := os.Stat(filepath.Join(dir, client.ProviderFile)); err == nil {
			t.Fatalf("%s: a choice was recorded", name)
		}
	}

	dir := t.TempDir()
	p, s, err := client.ChooseProvider(ctx, registry{relays: []chain.Relay{mix, mute, prov}}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.NodeKey != prov.NodeKey || s != "/ip4/127.0.0.1/tcp/4001/p2p/"+chain.PeerID(prov.NodeKey) {
		t.Fatalf("chose %x at %s", p.NodeKey, s)
	}
	// Recorded: a registry that no longer lists it does not move the client.
	p2, s2, err := client.ChooseProvider(ctx, registry{err: errors.New("down")}, dir)
	if err != nil || p2.NodeKey != p.NodeKey || s2 != s {
		t.Fatalf("second choice %x at %s (%v)", p2.NodeKey, s2, err)
	}
}
