package node

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/murmurnet/murmur/internal/atomicfile"
	"github.com/murmurnet/murmur/sphinx"
)

// LoadOrCreateIdentity reads the relay's libp2p Ed25519 identity from path,
// creating it (mode 0600) if the file does not exist.
func LoadOrCreateIdentity(path string) (crypto.PrivKey, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		k, err := crypto.UnmarshalPrivateKey(b)
		if err != nil {
			return nil, fmt.Errorf("node: identity %s: %w", path, err)
		}
		if k.Type() != crypto.Ed25519 {
			return nil, fmt.Errorf("node: identity %s is a %s key, want Ed25519", path, k.Type())
		}
		return k, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("node: identity: %w", err)
	}
	k, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		return nil, err
	}
	b, err = crypto.MarshalPrivateKey(k)
	if err != nil {
		return nil, err
	}
	if err := atomicfile.Write(path, b); err != nil {
		return nil, fmt.Errorf("node: identity: %w", err)
	}
	return k, nil
}

// NodeKey returns the 32-byte Ed25519 public key of an identity: the
// registry's nodeKey and the Sphinx NodeID.
func NodeKey(id crypto.PrivKey) ([32]byte, error) {
	var k [32]byte
	raw, err := id.GetPublic().Raw()
	if err != nil {
		return k, err
	}
	if len(raw) != 32 {
		return k, fmt.Errorf("node: identity public key is %d bytes, want an Ed25519 key", len(raw))
	}
	copy(k[:], raw)
	return k, nil
}

// epochKeys keeps the relay's X25519 Sphinx keys, one per epoch, on disk so
// that a restarted relay still unwraps what was sent to it. Keys older than
// the previous epoch are deleted: once gone, recorded traffic of that epoch
// cannot be unwrapped by anyone (forward secrecy at epoch granularity).
type epochKeys struct {
	dir string
	mu  sync.RWMutex
	m   map[uint64]*sphinx.PrivateKey
}

func openEpochKeys(dir string) (*epochKeys, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	ks := &epochKeys{dir: dir, m: map[uint64]*sphinx.PrivateKey{}}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".key")
		if !ok {
			continue
		}
		epoch, err := strconv.ParseUint(name, 10, 64)
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		k, err := sphinx.NewPrivateKey(b)
		if err != nil {
			return nil, fmt.Errorf("node: sphinx key for epoch %d: %w", epoch, err)
		}
		ks.m[epoch] = k
	}
	return ks, nil
}

// ensure makes sure keys exist for epochs e and e+1 and deletes keys older
// than e-1.
func (ks *epochKeys) ensure(e uint64) error {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	for _, epoch := range []uint64{e, e + 1} {
		if _, ok := ks.m[epoch]; ok {
			continue
		}
		k, err := sphinx.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		if err := atomicfile.Write(filepath.Join(ks.dir, strconv.FormatUint(epoch, 10)+".key"), k.Bytes()); err != nil {
			return err
		}
		ks.m[epoch] = k
	}
	for epoch := range ks.m {
		if epoch+1 < e {
			delete(ks.m, epoch)
			if err := os.Remove(filepath.Join(ks.dir, strconv.FormatUint(epoch, 10)+".key")); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// get returns the key of epoch e, if the relay still has it.
func (ks *epochKeys) get(e uint64) (*sphinx.PrivateKey, bool) {
	ks.mu.RLock()
	defer ks.mu.RUnlock()
	k, ok := ks.m[e]
	return k, ok
}
