package sphinx

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"sync"
)

// ReplaySet remembers the replay tags of the packets a relay processed, per
// epoch, so that it can drop a packet it has already seen. A relay keeps
// the Sphinx keys of the current and the previous epoch; the set keeps the
// tags of the same two epochs and forgets an epoch's tags when its key
// expires, since a packet for an expired key cannot be unwrapped anyway.
//
// Each epoch has a fixed-size open-addressing table (linear probing) of
// 32-bit fingerprints, in 64 shards with a lock each, so that a
// pool of workers can use the set concurrently. Memory does not grow with
// traffic: an epoch takes about 5.1 bytes per tag of capacity, 51 MB for
// 10 million tags, so 102 MB for the two live epochs (see
// [ReplaySet.EpochMemory]). Tables are allocated when an epoch first
// becomes current and reused afterwards.
//
// A tag added to an epoch is always found again (no false negatives). A
// fresh tag is taken for a replay only when its fingerprint equals that of
// a tag in its probe sequence: at the maximum load of 80% the expected
// probe sequence of a miss is 13 slots, so the false-positive rate is
// about 13/2^32 ≈ 3·10^-9 per packet. When an epoch holds as many tags as
// its capacity allows, [ReplaySet.CheckAndAdd] fails closed with
// [ErrReplaySetFull].
type ReplaySet struct {
	capacity int
	seed     maphash.Seed

	mu   sync.RWMutex       // guards gens; the shards have their own locks
	gens [2]*replayEpochSet // current and previous epoch, either may be nil
}

// replayShards is the number of independently locked parts of an epoch's
// table.
const (
	replayShardBits = 6
	replayShards    = 1 << replayShardBits
)

// replayMaxLoad is the fraction of a shard's slots that may hold tags.
const replayMaxLoad = 0.8

type replayEpochSet struct {
	epoch  uint64
	shards [replayShards]replayShard
}

type replayShard struct {
	mu    sync.Mutex
	slots []uint32 // fingerprints; 0 means empty
	n     int      // tags held
	max   int      // tags allowed
	_     [64]byte // keep the locks of neighbouring shards on separate cache lines
}

// NewReplaySet returns a set that holds up to capacityPerEpoch tags for
// each of two epochs. Size it for the relay's peak packet rate times the
// epoch length, with a margin. It allocates nothing until
// [ReplaySet.Rotate] is first called.
func NewReplaySet(capacityPerEpoch int) *ReplaySet {
	return &ReplaySet{capacity: max(capacityPerEpoch, 1), seed: maphash.MakeSeed()}
}

// shardLimits returns how many tags a shard may hold and how many slots
// it has. Tags spread over shards binomially, so a shard gets room for
// its mean share plus six standard deviations: the set fills up before
// capacity is reached with probability below 10^-7.
func (s *ReplaySet) shardLimits() (maxTags, slots int) {
	mean := float64(s.capacity) / replayShards
	maxTags = int(math.Ceil(mean+6*math.Sqrt(mean))) + 8
	slots = int(math.Ceil(float64(maxTags) / replayMaxLoad))
	return maxTags, slots
}

// EpochMemory returns the bytes of table that one epoch takes.
func (s *ReplaySet) EpochMemory() int {
	_, slots := s.shardLimits()
	return replayShards * slots * 4
}

// Rotate makes epoch the current epoch. The epoch before it stays
// tracked; every other epoch's tags are forgotten and its memory reused.
// Call it when the relay starts using the key of a new epoch, before
// adding tags of that epoch. Rotating to an epoch already tracked only
// forgets epochs other than it and the one before.
func (s *ReplaySet) Rotate(epoch uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keep [2]*replayEpochSet
	var spare *replayEpochSet
	for _, e := range s.gens {
		switch {
		case e == nil:
		case e.epoch == epoch:
			keep[0] = e
		case epoch > 0 && e.epoch == epoch-1:
			keep[1] = e
		default:
			spare = e
		}
	}
	if keep[0] == nil {
		if spare == nil {
			spare = s.newEpochSet()
		} else {
			for i := range spare.shards {
				sh := &spare.shards[i]
				clear(sh.slots)
				sh.n = 0
			}
		}
		spare.epoch = epoch
		keep[0] = spare
	}
	s.gens = keep
}

func (s *ReplaySet) newEpochSet() *replayEpochSet {
	maxTags, slots := s.shardLimits()
	e := new(replayEpochSet)
	for i := range e.shards {
		e.shards[i].slots = make([]uint32, slots)
		e.shards[i].max = maxTags
	}
	return e
}

// CheckAndAdd records tag for epoch and returns nil if it was not there
// yet, or [ErrReplay] if it was. It returns [ErrUnknownEpoch] for an epoch
// the set does not track (see [ReplaySet.Rotate]) and [ErrReplaySetFull]
// when the epoch's table is full; in every error case the packet must be
// dropped. It is safe for concurrent use and allocates nothing.
func (s *ReplaySet) CheckAndAdd(epoch uint64, tag ReplayTag) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var e *replayEpochSet
	for _, g := range s.gens {
		if g != nil && g.epoch == epoch {
			e = g
		}
	}
	if e == nil {
		return ErrUnknownEpoch
	}
	// The table position comes from a keyed hash with a secret seed, so
	// that a sender, who knows the tags of its own packets, cannot aim
	// them at one region of the table. The fingerprint comes from the tag
	// itself; the two are independent.
	h := maphash.Bytes(s.seed, tag[:])
	fp := binary.LittleEndian.Uint32(tag[:4])
	if fp == 0 {
		fp = 1
	}
	sh := &e.shards[h>>(64-replayShardBits)]
	n := uint64(len(sh.slots))
	i := (h & (1<<32 - 1)) * n >> 32 // uniform in [0, n) without a division
	sh.mu.Lock()
	defer sh.mu.Unlock()
	for {
		switch sh.slots[i] {
		case fp:
			return ErrReplay
		case 0:
			if sh.n >= sh.max {
				return ErrReplaySetFull
			}
			sh.slots[i] = fp
			sh.n++
			return nil
		}
		if i++; i == n {
			i = 0
		}
	}
}
