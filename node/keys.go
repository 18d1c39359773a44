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

	"github.com/murmurnet/murmur/internal/atomicfile"
	"github.com/murmurnet/murmur/sphinx"
)

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
