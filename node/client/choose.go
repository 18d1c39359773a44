package client

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strings"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/internal/atomicfile"
)

// ProviderFile, in a client's data directory, names the provider the
// client chose from the registry. The choice is kept because the
// client's address names its provider: the mailbox messages to it wait
// in is there.
const ProviderFile = "provider"

// ErrNoProvider: the registry lists no active provider a client could use.
var ErrNoProvider = errors.New("client: the registry lists no active provider with an address")

// ActiveRelays is what [ChooseProvider] reads of the registry; a
// *chain.Client is one.
type ActiveRelays interface {
	ActiveRelays(ctx context.Context) ([]chain.Relay, error)
}

// StoredProvider is the provider recorded in dir's [ProviderFile]; ok is
// false if there is none. A file that does not parse is an error, not a
// reason to choose again: that would move the client's mailbox.
func StoredProvider(dir string) (p Provider, addr string, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, ProviderFile))
	if errors.Is(err, fs.ErrNotExist) {
		return Provider{}, "", false, nil
	}
	if err != nil {
		return Provider{}, "", false, err
	}
	addr = strings.TrimSpace(string(b))
	if p, err = ParseProvider(addr); err != nil {
		return Provider{}, "", false, fmt.Errorf("client: %s: %w", filepath.Join(dir, ProviderFile), err)
	}
	return p, addr, true, nil
}

// ChooseProvider returns the provider of the client whose data directory
// is dir: the one it chose before, or else one drawn at random (so that
// clients spread over providers) from the registry's active providers,
// which it records in dir's [ProviderFile].
func ChooseProvider(ctx context.Context, reg ActiveRelays, dir string) (Provider, string, error) {
	if p, addr, ok, err := StoredProvider(dir); ok || err != nil {
		return p, addr, err
	}
	relays, err := reg.ActiveRelays(ctx)
	if err != nil {
		return Provider{}, "", fmt.Errorf("client: reading the registry's providers: %w", err)
	}
	var addrs []string
	for _, r := range relays {
		if r.Roles&chain.RoleProvider == 0 {
			continue
		}
		if a, ok := providerAddr(r); ok {
			addrs = append(addrs, a)
		}
	}
	if len(addrs) == 0 {
		return Provider{}, "", ErrNoProvider
	}
	i, err := rand.Int(rand.Reader, big.NewInt(int64(len(addrs))))
	if err != nil {
		return Provider{}, "", err
	}
	addr := addrs[i.Int64()]
	p, err := ParseProvider(addr)
	if err != nil {
		return Provider{}, "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Provider{}, "", err
	}
	if err := atomicfile.Write(filepath.Join(dir, ProviderFile), []byte(addr+"\n")); err != nil {
		return Provider{}, "", err
	}
	return p, addr, nil
}

// providerAddr is the first address a relay registered, with its peer ID.
func providerAddr(r chain.Relay) (string, bool) {
	as, err := chain.DecodeMultiaddrs(r.Multiaddrs)
	if err != nil || len(as) == 0 {
		return "", false
	}
	p2p, err := ma.NewMultiaddr("/p2p/" + chain.PeerID(r.NodeKey))
	if err != nil {
		return "", false
	}
	return as[0].Encapsulate(p2p).String(), true
}
