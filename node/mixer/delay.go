package mixer

import (
	"math"
	"math/rand/v2"
	"time"
)

// MaxDelayFactor caps a sampled delay at this many times the mean.
//
// An exponential distribution has no upper bound, and a packet held for
// an hour is as good as lost, so [ExpDelay] truncates. The cap changes
// almost nothing: a sample exceeds 20 means with probability e^-20 ≈
// 2·10^-9, and the mean of the capped distribution is mean·(1-e^-20).
// The memorylessness that makes a mix's output Poisson is untouched for
// all practical purposes.
const MaxDelayFactor = 20

// ExpDelay returns a delay drawn from the exponential distribution with
// the given mean, capped at [MaxDelayFactor]·mean. It returns 0 for a
// mean that is not positive.
//
// It draws one value from r by inversion (-mean·ln(1-U)), so a given
// generator state always yields the same delay. r is not safe for
// concurrent use; give each goroutine its own.
func ExpDelay(r *rand.Rand, mean time.Duration) time.Duration {
	if mean <= 0 {
		return 0
	}
	// 1-U is in (0, 1], so the logarithm is finite; its largest value,
	// -ln(2^-53) ≈ 36.7, is beyond the cap.
	x := -math.Log1p(-r.Float64())
	if x >= MaxDelayFactor {
		return MaxDelayFactor * mean
	}
	return time.Duration(x * float64(mean))
}

// FillDelays sets each element of dst to an independent [ExpDelay] with
// the given mean. A client calls it with one slot per Relay hop of a
// route; the total latency of the route is then the sum, whose mean is
// len(dst)·mean.
func FillDelays(r *rand.Rand, mean time.Duration, dst []time.Duration) {
	for i := range dst {
		dst[i] = ExpDelay(r, mean)
	}
}

// Millis converts d to the whole milliseconds that a Sphinx Relay command
// carries, rounding to nearest. Negative durations become 0 and durations
// beyond the field's range become the largest value (about 49 days), so
// the conversion never wraps around.
func Millis(d time.Duration) uint32 {
	if d <= 0 {
		return 0
	}
	// Compare before adding half a millisecond, so that a huge d cannot
	// overflow.
	if d >= math.MaxUint32*time.Millisecond {
		return math.MaxUint32
	}
	return uint32((d + time.Millisecond/2) / time.Millisecond)
}
