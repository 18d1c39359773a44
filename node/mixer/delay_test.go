package mixer

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestExpDelayDistribution draws 100,000 delays from a fixed seed and
// checks them against the exponential distribution: the mean, a few
// quantiles, and the Kolmogorov–Smirnov distance to the CDF.
func TestExpDelayDistribution(t *testing.T) {
	const n = 100_000
	mean := 100 * time.Millisecond
	r := rand.New(rand.NewPCG(42, 1))
	xs := make([]float64, n) // in units of the mean
	var sum float64
	for i := range xs {
		d := ExpDelay(r, mean)
		if d < 0 || d > MaxDelayFactor*mean {
			t.Fatalf("sample %d = %v out of [0, %v]", i, d, MaxDelayFactor*mean)
		}
		xs[i] = float64(d) / float64(mean)
		sum += xs[i]
	}

	// The standard error of the sample mean is 1/sqrt(n) ≈ 0.3%.
	if m := sum / n; math.Abs(m-1) > 0.02 {
		t.Errorf("sample mean = %.4f·mean, want within 2%% of 1", m)
	}

	slices.Sort(xs)
	for _, q := range []float64{0.1, 0.5, 0.9, 0.99} {
		want := -math.Log(1 - q)
		got := xs[int(q*n)]
		if math.Abs(got-want)/want > 0.05 {
			t.Errorf("quantile %.2f = %.4f·mean, want %.4f·mean within 5%%", q, got, want)
		}
	}

	// KS statistic; 1.63/sqrt(n) is the critical value at the 1% level.
	var ks float64
	for i, x := range xs {
		f := 1 - math.Exp(-x)
		ks = max(ks, math.Abs(f-float64(i)/n), math.Abs(float64(i+1)/n-f))
	}
	if crit := 1.63 / math.Sqrt(n); ks > crit {
		t.Errorf("KS distance = %.5f, want below %.5f", ks, crit)
	}
}

// constSource is a rand.Source that always returns the same value, to
// reach the ends of the sampler's range.
type constSource uint64

func (c constSource) Uint64() uint64 { return uint64(c) }

func TestExpDelayBounds(t *testing.T) {
	mean := 40 * time.Millisecond

	// The largest uniform draw gives -ln(2^-53) ≈ 36.7 means: capped.
	if got, want := ExpDelay(rand.New(constSource(math.MaxUint64)), mean), MaxDelayFactor*mean; got != want {
		t.Errorf("ExpDelay at the top of the range = %v, want the cap %v", got, want)
	}
	// The smallest gives 0.
	if got := ExpDelay(rand.New(constSource(0)), mean); got != 0 {
		t.Errorf("ExpDelay at the bottom of the range = %v, want 0", got)
	}
	// A mean that is not positive gives 0 without drawing.
	for _, m := range []time.Duration{0, -time.Second} {
		if got := ExpDelay(rand.New(constSource(1<<63)), m); got != 0 {
			t.Errorf("ExpDelay(mean %v) = %v, want 0", m, got)
		}
	}
}

func TestFillDelaysDeterministic(t *testing.T) {
	a := make([]time.Duration, 5)
	b := make([]time.Duration, 5)
	FillDelays(rand.New(rand.NewChaCha8([32]byte{1})), 50*time.Millisecond, a)
	FillDelays(rand.New(rand.NewChaCha8([32]byte{1})), 50*time.Millisecond, b)
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different delays: %v and %v", a, b)
	}
	if slices.Equal(a[:1], a[1:2]) {
		t.Fatalf("hops got the same delay: %v", a)
	}
	FillDelays(rand.New(rand.NewChaCha8([32]byte{1})), 50*time.Millisecond, nil) // no-op, no panic
}

func TestMillis(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want uint32
	}{
		{-time.Second, 0},
		{0, 0},
		{499 * time.Microsecond, 0},
		{500 * time.Microsecond, 1},
		{1499 * time.Microsecond, 1},
		{40 * time.Millisecond, 40},
		{math.MaxUint32 * time.Millisecond, math.MaxUint32},
		{math.MaxInt64, math.MaxUint32},
	} {
		if got := Millis(tc.d); got != tc.want {
			t.Errorf("Millis(%v) = %d, want %d", tc.d, got, tc.want)
		}
	}
}

func BenchmarkExpDelay(b *testing.B) {
	r := rand.New(rand.NewChaCha8([32]byte{}))
	b.ReportAllocs()
	for b.Loop() {
		ExpDelay(r, 50*time.Millisecond)
	}
}
