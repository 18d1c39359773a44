package identity

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"
)

func TestIdentityPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "identity.key")
	a, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Equals(b) {
		t.Fatal("identity changed across loads")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("identity file mode %v, want 0600", fi.Mode().Perm())
	}
	if err := os.WriteFile(path, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreate(path); err == nil {
		t.Fatal("garbage identity accepted")
	}
}

func TestNodeKeyIsThePeersKey(t *testing.T) {
	id, err := LoadOrCreate(filepath.Join(t.TempDir(), "identity.key"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := NodeKey(id)
	if err != nil {
		t.Fatal(err)
	}
	p, err := peer.IDFromPrivateKey(id)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := NodeKeyOf(p); !ok || got != k {
		t.Fatalf("NodeKeyOf(peer) = %x, %v; NodeKey = %x", got, ok, k)
	}
}
