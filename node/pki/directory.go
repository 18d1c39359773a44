package pki

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/murmurnet/murmur/sphinx"
)

// Directory holds the descriptors a node has accepted, per epoch, for the
// epochs around the current one: the one before (packets still in flight),
// the current one, and the next (relays publish early). A descriptor is
// accepted ([Directory.Add]) only if it is validly sealed by a relay of its
// epoch's [Topology], which the directory must be given
// ([Directory.SetTopology]). Epochs that fall out of the window are
// forgotten. It does no I/O and is safe for concurrent use.
type Directory struct {
	epochs Epochs
	now    func() time.Time

	mu      sync.RWMutex
	topos   map[uint64]*Topology
	descs   map[uint64]map[[32]byte]held
	changed chan struct{} // closed and replaced on every change
}

type held struct {
	d      *Descriptor
	sealed []byte
}

// NewDirectory returns an empty directory on the epoch clock epochs. now is
// the wall clock (nil for time.Now); tests inject their own.
func NewDirectory(epochs Epochs, now func() time.Time) *Directory {
	if epochs.Length <= 0 {
		panic("pki: NewDirectory without an epoch length")
	}
	if now == nil {
		now = time.Now
	}
	return &Directory{
		epochs:  epochs,
		now:     now,
		topos:   map[uint64]*Topology{},
		descs:   map[uint64]map[[32]byte]held{},
		changed: make(chan struct{}),
	}
}

// Epochs returns the directory's epoch clock.
func (d *Directory) Epochs() Epochs { return d.epochs }

// Epoch returns the current epoch on the directory's clock.
func (d *Directory) Epoch() uint64 { return d.epochs.At(d.now()) }

// tracks reports whether epoch e is in the window around current.
func tracks(current, e uint64) bool { return e+1 >= current && e <= current+1 }

// SetTopology gives the directory the topology of its epoch, replacing any
// it had (and dropping descriptors of relays that are not in the new
// one). Topologies of epochs before the window are ignored.
func (d *Directory) SetTopology(t *Topology) {
	d.mu.Lock()
	defer d.mu.Unlock()
	cur := d.epochs.At(d.now())
	d.pruneLocked(cur)
	if t.Epoch+1 < cur {
		return
	}
	d.topos[t.Epoch] = t
	for k := range d.descs[t.Epoch] {
		if !t.Contains(k) {
			delete(d.descs[t.Epoch], k)
		}
	}
	d.notifyLocked()
}

// Topology returns the topology of epoch e, if the directory has it.
func (d *Directory) Topology(e uint64) (*Topology, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	t, ok := d.topos[e]
	return t, ok
}

// Add opens a sealed descriptor and keeps it. It fails with
//   - [ErrInvalidDescriptor] if [Open] refuses it, or its operator or
//     roles are not the registry's;
//   - [ErrWrongEpoch] if its epoch is not the current, previous or next one;
//   - [ErrNoTopology] if the directory has no topology for its epoch yet;
//   - [ErrNotInTopology] if its node key is not a relay of that topology;
//   - [ErrStaleDescriptor] if the directory holds a descriptor of the same
//     node and epoch issued later, or at the same time with other contents.
//
// Adding a descriptor the directory already holds is a no-op that
// succeeds.
func (d *Directory) Add(b []byte) error {
	_, err := d.add(b)
	return err
}

// add is Add that also reports whether the directory changed.
func (d *Directory) add(b []byte) (bool, error) {
	desc, err := Open(b)
	if err != nil {
		return false, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	cur := d.epochs.At(d.now())
	d.pruneLocked(cur)
	if !tracks(cur, desc.Epoch) {
		return false, fmt.Errorf("%w: descriptor of %x is for epoch %d, current epoch is %d", ErrWrongEpoch, desc.NodeKey[:8], desc.Epoch, cur)
	}
	t, ok := d.topos[desc.Epoch]
	if !ok {
		return false, fmt.Errorf("%w: epoch %d", ErrNoTopology, desc.Epoch)
	}
	n, ok := t.Node(desc.NodeKey)
	if !ok {
		return false, fmt.Errorf("%w: %x is not an active relay of epoch %d", ErrNotInTopology, desc.NodeKey, desc.Epoch)
	}
	if n.Operator != desc.Operator || n.Roles != desc.Roles {
		return false, fmt.Errorf("%w: %x claims operator %s roles %d, the registry says %s roles %d",
			ErrInvalidDescriptor, desc.NodeKey[:8], desc.Operator, desc.Roles, n.Operator, n.Roles)
	}
	epoch := d.descs[desc.Epoch]
	if epoch == nil {
		epoch = map[[32]byte]held{}
		d.descs[desc.Epoch] = epoch
	}
	if old, ok := epoch[desc.NodeKey]; ok {
		switch {
		case desc.IssuedAt == old.d.IssuedAt && bytes.Equal(b, old.sealed):
			return false, nil
		case desc.IssuedAt <= old.d.IssuedAt:
			return false, fmt.Errorf("%w: %x epoch %d issued at %d, holding one issued at %d",
				ErrStaleDescriptor, desc.NodeKey[:8], desc.Epoch, desc.IssuedAt, old.d.IssuedAt)
		}
	}
	epoch[desc.NodeKey] = held{d: desc, sealed: slices.Clone(b)}
	d.notifyLocked()
	return true, nil
}

// AddAll adds every sealed descriptor of bs (as fetched by
// [FetchDescriptors]) and returns how many were new or newer, and the
// errors of those refused, joined.
func (d *Directory) AddAll(bs [][]byte) (int, error) {
	var (
		added int
		errs  []error
	)
	for _, b := range bs {
		changed, err := d.add(b)
		if err != nil {
			errs = append(errs, err)
		} else if changed {
			added++
		}
	}
	return added, errors.Join(errs...)
}

// Get returns the descriptor of the relay with node key k for epoch e. The
// descriptor is shared; do not modify it.
func (d *Directory) Get(e uint64, k [32]byte) (*Descriptor, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	h, ok := d.descs[e][k]
	return h.d, ok
}

// All returns the descriptors of epoch e, sorted by node key. They are
// shared; do not modify them.
func (d *Directory) All(e uint64) []*Descriptor {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]*Descriptor, 0, len(d.descs[e]))
	for _, k := range sortedKeys(d.descs[e]) {
		out = append(out, d.descs[e][k].d)
	}
	return out
}

// Sealed returns the sealed descriptors of epoch e, sorted by node key, as
// they were received: what the /murmur/pki/1 protocol serves.
func (d *Directory) Sealed(e uint64) [][]byte {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([][]byte, 0, len(d.descs[e]))
	for _, k := range sortedKeys(d.descs[e]) {
		out = append(out, d.descs[e][k].sealed)
	}
	return out
}

func sortedKeys(m map[[32]byte]held) [][32]byte {
	keys := make([][32]byte, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	return keys
}

// SphinxKey returns the Sphinx public key with which to build a packet of
// epoch e for the relay with node key k: the key in the relay's descriptor
// of epoch e or, until that one arrives, the next-epoch key in its
// descriptor of epoch e-1.
func (d *Directory) SphinxKey(e uint64, k [32]byte) (sphinx.PublicKey, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if h, ok := d.descs[e][k]; ok {
		if key, ok := h.d.SphinxKey(e); ok {
			return key, true
		}
	}
	if e > 0 {
		if h, ok := d.descs[e-1][k]; ok {
			return h.d.SphinxKey(e)
		}
	}
	return sphinx.PublicKey{}, false
}

// Prune forgets the topologies and descriptors of epochs before the
// previous one. Add and SetTopology prune as they go; call Prune to free
// memory at an epoch boundary when nothing else happens.
func (d *Directory) Prune() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pruneLocked(d.epochs.At(d.now()))
}

func (d *Directory) pruneLocked(cur uint64) {
	pruned := false
	for e := range d.topos {
		if e+1 < cur {
			delete(d.topos, e)
			pruned = true
		}
	}
	for e := range d.descs {
		if e+1 < cur {
			delete(d.descs, e)
			pruned = true
		}
	}
	if pruned {
		d.notifyLocked()
	}
}

// Changed returns a channel that is closed at the next change of the
// directory (a descriptor or topology added, an epoch forgotten). To wait
// for a condition, take the channel, check the condition, then wait on the
// channel.
func (d *Directory) Changed() <-chan struct{} {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.changed
}

func (d *Directory) notifyLocked() {
	close(d.changed)
	d.changed = make(chan struct{})
}
