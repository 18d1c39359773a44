package pki

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/murmurnet/murmur/chain/light"
	"github.com/murmurnet/murmur/internal/atomicfile"
)

// Snapshot is the registry state of one epoch: the active relays at block
// B_e, the last block whose timestamp is before the start of the epoch,
// and that block's hash, the epoch's seed (ADR 0006).
//
// A snapshot is shared by everything that asked for it; treat it as
// read-only.
type Snapshot struct {
	Epoch     uint64
	Block     uint64      // B_e
	BlockHash common.Hash // B_e's hash: the topology seed
	Relays    []light.Relay
	// Stale is set on a snapshot carried forward from an earlier epoch
	// because the chain could not be read (see [Snapshots.Get]).
	Stale bool
}

// Chain is what [Snapshots] reads from an Ethereum endpoint: a
// *light.Reader, or a *chain.Client through [FromClient]; tests provide
// their own.
type Chain interface {
	// HeaderByNumber returns a block header, the head's for a nil number.
	HeaderByNumber(ctx context.Context, number *big.Int) (light.Header, error)
	// LastBlockBefore returns the last block whose timestamp is before t.
	LastBlockBefore(ctx context.Context, t time.Time) (light.Header, error)
	// ActiveRelaysAt returns the registry's active set as of a block.
	ActiveRelaysAt(ctx context.Context, number *big.Int) ([]light.Relay, error)
}

// DefaultKeep is how many epochs of snapshots [NewSnapshots] keeps unless
// told otherwise.
const DefaultKeep = 8

// SnapshotOptions configure [NewSnapshots].
type SnapshotOptions struct {
	// Dir is the directory of the disk cache, created if need be; empty
	// for none.
	Dir string
	// Keep is how many of the most recent epochs are kept, on disk and in
	// memory; 0 means [DefaultKeep].
	Keep int
	// Logger reports cache writes that failed; nil for none.
	Logger *slog.Logger
}

// Snapshots returns the [Snapshot] of an epoch: from memory, else from its
// directory on disk, else from the chain, which it then writes to disk. A
// node that has read an epoch once keeps it across restarts and while its
// endpoint is down. Only final epochs are read (see [ErrEpochNotFinal]), so
// what is cached never changes, short of a reorganisation of the chain
// below B_e.
//
// It is safe for concurrent use.
type Snapshots struct {
	chain  Chain
	epochs Epochs
	dir    string
	keep   int
	log    *slog.Logger

	mu  sync.Mutex // guards mem
	mem map[uint64]Snapshot

	fetch sync.Mutex // one chain read at a time
}

// NewSnapshots returns a snapshot source for the deployment whose epoch
// clock is epochs. c may be nil, to serve only what is cached on disk.
func NewSnapshots(c Chain, epochs Epochs, opts SnapshotOptions) (*Snapshots, error) {
	if epochs.Length <= 0 {
		return nil, errors.New("pki: snapshots need an epoch length")
	}
	if opts.Keep <= 0 {
		opts.Keep = DefaultKeep
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Dir != "" {
		if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
			return nil, fmt.Errorf("pki: snapshot directory: %w", err)
		}
	}
	return &Snapshots{chain: c, epochs: epochs, dir: opts.Dir, keep: opts.Keep, log: opts.Logger, mem: map[uint64]Snapshot{}}, nil
}

// Epochs returns the epoch clock the snapshots follow.
func (s *Snapshots) Epochs() Epochs { return s.epochs }

// Get returns the snapshot of epoch e. It fails with [ErrEpochNotFinal]
// while the chain has no block at or after the epoch's start, and with
// [ErrSnapshotUnavailable] (wrapping the chain's error) when the epoch is
// not cached and the chain cannot be read.
func (s *Snapshots) Get(ctx context.Context, e uint64) (Snapshot, error) {
	if snap, ok := s.cached(e); ok {
		return snap, nil
	}
	s.fetch.Lock()
	defer s.fetch.Unlock()
	if snap, ok := s.cached(e); ok { // read by another caller meanwhile
		return snap, nil
	}
	snap, diskErr := s.load(e)
	if diskErr == nil {
		s.remember(snap)
		return snap, nil
	}
	if s.chain == nil {
		return Snapshot{}, fmt.Errorf("%w: epoch %d: %w", ErrSnapshotUnavailable, e, diskErr)
	}
	snap, err := s.read(ctx, e)
	if errors.Is(err, ErrEpochNotFinal) {
		return Snapshot{}, err
	}
	if err != nil {
		if prev, ok := s.latestBefore(e); ok {
			// The chain is down: carry the newest known state forward, so the
			// network keeps mixing. Every node with the same cache computes
			// the same topology from it. It is not cached, so the chain is
			// asked again next time.
			s.log.Warn("pki: chain unavailable, carrying a snapshot forward", "epoch", e, "from", prev.Epoch, "err", err)
			prev.Epoch, prev.Stale = e, true
			return prev, nil
		}
		if errors.Is(diskErr, os.ErrNotExist) {
			return Snapshot{}, fmt.Errorf("%w: epoch %d is not cached and the chain failed: %w", ErrSnapshotUnavailable, e, err)
		}
		return Snapshot{}, fmt.Errorf("%w: epoch %d: cache: %v; chain: %w", ErrSnapshotUnavailable, e, diskErr, err)
	}
	if err := s.store(snap); err != nil {
		// The snapshot is good; only the cache failed. Serve it.
		s.log.Warn("pki: snapshot not cached on disk", "epoch", e, "dir", s.dir, "err", err)
	}
	s.remember(snap)
	return snap, nil
}

// latestBefore returns the newest snapshot, in memory or on disk, of an
// epoch before e, and at most keep epochs before it.
func (s *Snapshots) latestBefore(e uint64) (Snapshot, bool) {
	for back := uint64(1); back <= uint64(s.keep) && back <= e; back++ {
		if snap, ok := s.cached(e - back); ok {
			return snap, true
		}
		if snap, err := s.load(e - back); err == nil {
			return snap, true
		}
	}
	return Snapshot{}, false
}

func (s *Snapshots) cached(e uint64) (Snapshot, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap, ok := s.mem[e]
	return snap, ok
}

func (s *Snapshots) remember(snap Snapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mem[snap.Epoch] = snap
	if len(s.mem) <= s.keep {
		return
	}
	epochs := make([]uint64, 0, len(s.mem))
	for e := range s.mem {
		epochs = append(epochs, e)
	}
	slices.Sort(epochs)
	for _, e := range epochs[:len(epochs)-s.keep] {
		delete(s.mem, e)
	}
}

// read reads epoch e from the chain.
func (s *Snapshots) read(ctx context.Context, e uint64) (Snapshot, error) {
	if e > uint64(math.MaxInt64/int64(s.epochs.Length)) {
		return Snapshot{}, fmt.Errorf("%w: epoch %d is out of range", ErrEpochNotFinal, e)
	}
	start := s.epochs.Start(e)
	head, err := s.chain.HeaderByNumber(ctx, nil)
	if err != nil {
		return Snapshot{}, fmt.Errorf("chain head: %w", err)
	}
	if head.Time < uint64(start.Unix()) {
		return Snapshot{}, fmt.Errorf("%w: epoch %d starts at %s, the chain head (block %d) is at %s",
			ErrEpochNotFinal, e, start.UTC().Format(time.RFC3339), head.Number, time.Unix(int64(head.Time), 0).UTC().Format(time.RFC3339))
	}
	b, err := s.chain.LastBlockBefore(ctx, start)
	if err != nil {
		return Snapshot{}, err
	}
	snap := Snapshot{Epoch: e, Block: b.Number, BlockHash: b.Hash}
	// The registry records its deployment time as genesis, so B_0 is the
	// block before the registry existed: nobody was active yet.
	if b.Time < uint64(s.epochs.Genesis.Unix()) {
		return snap, nil
	}
	snap.Relays, err = s.chain.ActiveRelaysAt(ctx, new(big.Int).SetUint64(b.Number))
	if err != nil {
		return Snapshot{}, err
	}
	return snap, nil
}

// --- disk cache --------------------------------------------------------------

const snapshotVersion = 1

type snapshotFile struct {
	Version   int          `json:"version"`
	Epoch     uint64       `json:"epoch"`
	Block     uint64       `json:"block"`
	BlockHash common.Hash  `json:"blockHash"`
	Relays    []relayEntry `json:"relays"`
}

type relayEntry struct {
	Operator   common.Address `json:"operator"`
	Roles      light.Roles    `json:"roles"`
	Status     light.Status   `json:"status"`
	Stake      string         `json:"stake"`              // wei, decimal
	UnlockAt   int64          `json:"unlockAt,omitempty"` // unix seconds; 0 while active
	NodeKey    common.Hash    `json:"nodeKey"`
	Multiaddrs hexutil.Bytes  `json:"multiaddrs"`
}

func (s *Snapshots) path(e uint64) string {
	return filepath.Join(s.dir, "snapshot-"+strconv.FormatUint(e, 10)+".json")
}

func (s *Snapshots) load(e uint64) (Snapshot, error) {
	if s.dir == "" {
		return Snapshot{}, fmt.Errorf("no snapshot cache: %w", os.ErrNotExist)
	}
	b, err := os.ReadFile(s.path(e))
	if err != nil {
		return Snapshot{}, err
	}
	var f snapshotFile
	if err := json.Unmarshal(b, &f); err != nil {
		return Snapshot{}, fmt.Errorf("%s: %w", s.path(e), err)
	}
	if f.Version != snapshotVersion || f.Epoch != e {
		return Snapshot{}, fmt.Errorf("%s: version %d epoch %d, want version %d epoch %d", s.path(e), f.Version, f.Epoch, snapshotVersion, e)
	}
	snap := Snapshot{Epoch: f.Epoch, Block: f.Block, BlockHash: f.BlockHash, Relays: make([]light.Relay, 0, len(f.Relays))}
	for _, r := range f.Relays {
		stake, ok := new(big.Int).SetString(r.Stake, 10)
		if !ok {
			return Snapshot{}, fmt.Errorf("%s: bad stake %q", s.path(e), r.Stake)
		}
		rel := light.Relay{Operator: r.Operator, Roles: r.Roles, Status: r.Status, Stake: stake, NodeKey: r.NodeKey, Multiaddrs: r.Multiaddrs}
		if r.UnlockAt != 0 {
			rel.UnlockAt = time.Unix(r.UnlockAt, 0)
		}
		snap.Relays = append(snap.Relays, rel)
	}
	return snap, nil
}

// store writes snap to disk atomically (temporary file, fsync, rename) and
// removes the files of epochs older than the keep most recent.
func (s *Snapshots) store(snap Snapshot) error {
	if s.dir == "" {
		return nil
	}
	f := snapshotFile{Version: snapshotVersion, Epoch: snap.Epoch, Block: snap.Block, BlockHash: snap.BlockHash, Relays: make([]relayEntry, 0, len(snap.Relays))}
	for _, r := range snap.Relays {
		e := relayEntry{Operator: r.Operator, Roles: r.Roles, Status: r.Status, Stake: "0", NodeKey: r.NodeKey, Multiaddrs: r.Multiaddrs}
		if r.Stake != nil {
			e.Stake = r.Stake.String()
		}
		if !r.UnlockAt.IsZero() {
			e.UnlockAt = r.UnlockAt.Unix()
		}
		f.Relays = append(f.Relays, e)
	}
	b, err := json.MarshalIndent(f, "", "\t")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(s.path(snap.Epoch), b); err != nil {
		return err
	}
	return s.prune()
}

func (s *Snapshots) prune() error {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	var epochs []uint64
	for _, ent := range entries {
		name, ok := strings.CutPrefix(ent.Name(), "snapshot-")
		if !ok {
			continue
		}
		name, ok = strings.CutSuffix(name, ".json")
		if !ok {
			continue
		}
		if e, err := strconv.ParseUint(name, 10, 64); err == nil {
			epochs = append(epochs, e)
		}
	}
	if len(epochs) <= s.keep {
		return nil
	}
	slices.Sort(epochs)
	var errs []error
	for _, e := range epochs[:len(epochs)-s.keep] {
		if err := os.Remove(s.path(e)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
