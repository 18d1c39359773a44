package pki

import "errors"

// Errors that a caller can act on. Functions of this package return them
// wrapped with context, so test with [errors.Is].
var (
	// ErrEpochNotFinal is returned by [Snapshots.Get] for an epoch whose
	// state block is not settled yet: the chain has no block at or after
	// the start of the epoch, so a later block could still be the last one
	// before it. Try again once the epoch has begun on the chain.
	ErrEpochNotFinal = errors.New("pki: epoch not final on chain yet")

	// ErrSnapshotUnavailable is returned by [Snapshots.Get] when an epoch's
	// snapshot is neither cached nor readable from the chain. The error
	// also wraps the chain's error.
	ErrSnapshotUnavailable = errors.New("pki: snapshot unavailable")

	// ErrInvalidDescriptor is returned by [Open] and [Directory.Add] for
	// bytes that are not a well-formed descriptor envelope signed by the
	// descriptor's own node key, and by [Directory.Add] for a descriptor
	// whose operator or roles differ from the registry's.
	ErrInvalidDescriptor = errors.New("pki: invalid descriptor")

	// ErrWrongEpoch is returned by [Directory.Add] for a descriptor of an
	// epoch the directory does not track (it tracks the current epoch, the
	// one before and the one after).
	ErrWrongEpoch = errors.New("pki: descriptor for an untracked epoch")

	// ErrNoTopology is returned by [Directory.Add] for a descriptor of a
	// tracked epoch whose topology the directory has not been given yet
	// (see [Directory.SetTopology]). It is transient.
	ErrNoTopology = errors.New("pki: no topology for the descriptor's epoch")

	// ErrNotInTopology is returned by [Directory.Add] for a descriptor
	// whose node key is not an active relay of its epoch's snapshot.
	ErrNotInTopology = errors.New("pki: node not in the epoch's topology")

	// ErrStaleDescriptor is returned by [Directory.Add] for a descriptor
	// older than the one already held for the same node and epoch, or
	// issued at the same time with different contents.
	ErrStaleDescriptor = errors.New("pki: stale descriptor")

	// ErrFetch is returned by [FetchDescriptors] when the peer's answer
	// breaks the /murmur/pki/1 protocol (too many or too large entries,
	// truncated).
	ErrFetch = errors.New("pki: malformed fetch response")
)
