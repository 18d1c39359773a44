package sphinx

import "errors"

// Errors that a caller can act on. Functions of this package return them
// wrapped with context, so test with [errors.Is].
var (
	// ErrInvalidGeometry is returned for a [Geometry] that fails
	// [Geometry.Validate].
	ErrInvalidGeometry = errors.New("sphinx: invalid geometry")

	// ErrInvalidPath is returned by [NewPacket] and [NewSURB] for a path
	// that is empty, longer than the geometry allows, has commands in the
	// wrong places, or names a public key that is not a valid X25519 key.
	ErrInvalidPath = errors.New("sphinx: invalid path")

	// ErrPayloadTooLarge is returned when a payload exceeds
	// [Geometry.PayloadSize].
	ErrPayloadTooLarge = errors.New("sphinx: payload too large")

	// ErrPacketSize is returned by [Processor.Unwrap] for a packet whose
	// length is not [Geometry.PacketSize]: truncated, padded, or of another
	// geometry.
	ErrPacketSize = errors.New("sphinx: wrong packet size")

	// ErrInvalidMAC is returned by [Processor.Unwrap] when the header is not
	// authentic for the given key: the packet was made for another key or
	// another geometry, or its group element, routing information or MAC was
	// altered. Nothing in such a packet was trusted or changed.
	ErrInvalidMAC = errors.New("sphinx: invalid header MAC")

	// ErrUnknownCommand is returned for a routing command whose type byte
	// this version of the package does not know.
	ErrUnknownCommand = errors.New("sphinx: unknown command type")

	// ErrInvalidCommand is returned for a routing command of a known type
	// whose encoding is malformed (too short, or non-zero padding).
	ErrInvalidCommand = errors.New("sphinx: malformed command")

	// ErrPayloadTampered is returned at the final hop by
	// [Processor.Unwrap], and by [SURBKeys.Decrypt], when the payload was
	// modified anywhere on the way (or, for a SURB reply, when the wrong
	// keys are used).
	ErrPayloadTampered = errors.New("sphinx: payload tampered")

	// ErrInvalidSURB is returned when decoding a malformed [SURB] or
	// [SURBKeys].
	ErrInvalidSURB = errors.New("sphinx: malformed SURB")

	// ErrReplay is returned by [ReplaySet.CheckAndAdd] for a tag already
	// seen in the same epoch.
	ErrReplay = errors.New("sphinx: replayed packet")

	// ErrReplaySetFull is returned by [ReplaySet.CheckAndAdd] when an
	// epoch's table has no room left. The packet must be dropped: the set
	// fails closed rather than let a replay through.
	ErrReplaySetFull = errors.New("sphinx: replay set full")

	// ErrUnknownEpoch is returned by [ReplaySet.CheckAndAdd] for an epoch
	// that is neither the current nor the previous one.
	ErrUnknownEpoch = errors.New("sphinx: epoch not tracked by replay set")
)

// errUnluckyScalar reports, with probability about 2^-125 per hop, an
// ephemeral scalar that cannot be used; packet construction retries with
// fresh randomness.
var errUnluckyScalar = errors.New("sphinx: unusable ephemeral scalar")
