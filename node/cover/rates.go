package cover

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// ErrInvalidRates is wrapped by every error of [Rates.Validate] and
// [ParseParams].
var ErrInvalidRates = errors.New("cover: invalid rates")

// MaxRate is the largest event rate, in events per second, that
// [Rates.Validate] accepts for any process. It is far above any sensible
// setting and keeps the mean gap between events at 100 µs or more.
const MaxRate = 10_000

// MaxMu is the largest mean per-hop delay [Rates.Validate] accepts.
const MaxMu = time.Hour

// Keys of the cover-traffic parameters in a relay descriptor, as written
// by [Rates.Params] and read by [ParseParams]. Every value is a decimal
// rate in events per second, as in the Loopix paper: the mix delay is
// announced as its rate μ = 1/[Rates.Mu].
const (
	KeyLambdaP = "lambda_p"
	KeyLambdaL = "lambda_l"
	KeyLambdaD = "lambda_d"
	KeyLambdaM = "lambda_m"
	KeyMu      = "mu"
)

// Rates are the parameters of Loopix cover traffic. The λ fields are
// rates of Poisson processes in events per second; Mu is the mean
// per-hop mixing delay (1/μ in the paper's notation).
type Rates struct {
	// LambdaP is the rate of a client's payload stream: at each event the
	// client sends its next queued real packet, or a drop packet if none
	// is queued. It is the ceiling on a client's real sending rate.
	LambdaP float64
	// LambdaL is the rate of a client's loop packets (routed back to the
	// client itself).
	LambdaL float64
	// LambdaD is the rate of a client's drop packets (sent to a random
	// provider, which discards them).
	LambdaD float64
	// LambdaM is the rate of a mix's own loop packets.
	LambdaM float64
	// Mu is the mean of the exponential delay each mix adds per hop.
	Mu time.Duration
}

// DefaultRates returns the defaults described in the package
// documentation: λP = 2/s, λL = 0.5/s, λD = 0.5/s, λM = 1/s and a mean
// per-hop delay of 50 ms.
func DefaultRates() Rates {
	return Rates{
		LambdaP: 2,
		LambdaL: 0.5,
		LambdaD: 0.5,
		LambdaM: 1,
		Mu:      50 * time.Millisecond,
	}
}

// Validate reports whether every rate is a finite number in (0, [MaxRate]]
// and Mu is in (0, [MaxMu]]. The error wraps [ErrInvalidRates].
func (r Rates) Validate() error {
	for _, f := range []struct {
		key string
		v   float64
	}{
		{KeyLambdaP, r.LambdaP},
		{KeyLambdaL, r.LambdaL},
		{KeyLambdaD, r.LambdaD},
		{KeyLambdaM, r.LambdaM},
	} {
		if math.IsNaN(f.v) || f.v <= 0 || f.v > MaxRate {
			return fmt.Errorf("%w: %s = %v, want in (0, %d]", ErrInvalidRates, f.key, f.v, MaxRate)
		}
	}
	if r.Mu <= 0 || r.Mu > MaxMu {
		return fmt.Errorf("%w: mean hop delay %v, want in (0, %v]", ErrInvalidRates, r.Mu, MaxMu)
	}
	return nil
}

// ExpectedLatency is the mean one-way latency that cover-traffic
// shaping and mixing add to a real packet on a route of the given number
// of mixing hops, when the client's queue is empty: the mean wait for
// the next payload event (1/λP) plus hops·Mu. It excludes link latency.
func (r Rates) ExpectedLatency(hops int) time.Duration {
	return meanGap(r.LambdaP) + time.Duration(hops)*r.Mu
}

// Params returns the rates as relay-descriptor parameters under the Key
// constants, each a decimal number of events per second written with
// the fewest digits that read back exactly.
func (r Rates) Params() map[string]string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	return map[string]string{
		KeyLambdaP: f(r.LambdaP),
		KeyLambdaL: f(r.LambdaL),
		KeyLambdaD: f(r.LambdaD),
		KeyLambdaM: f(r.LambdaM),
		KeyMu:      f(float64(time.Second) / float64(r.Mu)),
	}
}

// ParseParams reads rates written by [Rates.Params]. Every Key constant
// must be present; other keys are ignored, so descriptors can grow. The
// result is validated. Errors wrap [ErrInvalidRates].
func ParseParams(p map[string]string) (Rates, error) {
	get := func(key string) (float64, error) {
		s, ok := p[key]
		if !ok {
			return 0, fmt.Errorf("%w: missing %s", ErrInvalidRates, key)
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: %s: %w", ErrInvalidRates, key, err)
		}
		return v, nil
	}
	var r Rates
	var err error
	for _, f := range []struct {
		key string
		dst *float64
	}{
		{KeyLambdaP, &r.LambdaP},
		{KeyLambdaL, &r.LambdaL},
		{KeyLambdaD, &r.LambdaD},
		{KeyLambdaM, &r.LambdaM},
	} {
		if *f.dst, err = get(f.key); err != nil {
			return Rates{}, err
		}
	}
	mu, err := get(KeyMu)
	if err != nil {
		return Rates{}, err
	}
	// Reject before converting: a zero, negative, NaN or tiny rate does
	// not give a usable duration.
	if !(mu >= float64(time.Second)/float64(MaxMu)) || math.IsInf(mu, 0) {
		return Rates{}, fmt.Errorf("%w: %s = %v, want at least %v", ErrInvalidRates, KeyMu, mu, float64(time.Second)/float64(MaxMu))
	}
	r.Mu = time.Duration(math.Round(float64(time.Second) / mu))
	if err := r.Validate(); err != nil {
		return Rates{}, err
	}
	return r, nil
}

// meanGap is the mean gap between events of a Poisson process of the
// given rate in events per second.
func meanGap(rate float64) time.Duration {
	return time.Duration(float64(time.Second) / rate)
}
