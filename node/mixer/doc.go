// Package mixer is the deterministic core of a Murmur relay's mix
// pipeline: the delay queue that holds packets for their Loopix delay, the
// sampler that picks those delays, the per-peer rate limiter and the drop
// counters. It does no I/O, starts no goroutines and reads no clock and
// no global random source: time and randomness are arguments, so a test
// drives it with a fake clock and a seeded generator and gets the same
// result every run (the shape of etcd's raft core).
//
// # Delaying packets
//
// A relay that unwraps a Sphinx packet with a Relay command holds it for
// the delay the sender chose, then forwards it. The node keeps one
// [Scheduler] behind a mutex and a timer goroutine:
//
//	s := mixer.NewScheduler[*packet](100_000)
//
//	// on each unwrapped packet
//	if err := s.Push(pkt, now.Add(time.Duration(cmd.Delay)*time.Millisecond)); err != nil {
//		counters.Inc(mixer.QueueFull) // drop it
//	}
//
//	// when the timer fires
//	ready = s.PopReady(now, ready[:0])
//	// send every packet of ready; then re-arm the timer for s.Next()
//
// Packets leave in order of release time, and packets due at the same
// instant leave in the order they arrived. The queue is bounded: a relay
// that is fed faster than it can send drops packets with [ErrFull] rather
// than growing without limit.
//
// # Choosing delays
//
// Loopix delays are exponential, so that a mix's output is a Poisson
// process whatever the timing of its input. A client picks the delay of
// each hop with [ExpDelay] or [FillDelays] from its own generator and
// writes it into the Sphinx Relay command with [Millis]. The same sampler
// gives the gaps between cover-traffic packets sent at a rate λ (mean
// 1/λ). The generator must be unpredictable to an observer, so seed it
// from crypto/rand, for example rand.New(rand.NewChaCha8(seed)).
//
// # Rate limiting and counters
//
// [RateLimiter] is a token bucket per peer, with a bounded table of
// peers; [Counters] counts dropped packets by [Reason], cheaply enough to
// be called for every packet, and [Counters.Snapshot] is what the node
// exports as metrics.
//
// # Concurrency
//
// [Scheduler] is not safe for concurrent use; its owner serializes calls.
// [RateLimiter] and [Counters] are safe for concurrent use, since every
// connection's reader calls them.
package mixer
