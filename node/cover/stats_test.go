package cover

import (
	"math"
	"slices"
	"time"
)

// ksC01 is c(α) of the Kolmogorov–Smirnov test at α = 0.01:
// sqrt(-ln(α/2)/2).
const ksC01 = 1.628

// ksExp returns the one-sample Kolmogorov–Smirnov statistic of xs
// against the exponential distribution with the given rate. xs is sorted
// in place.
func ksExp(xs []float64, rate float64) float64 {
	slices.Sort(xs)
	n := float64(len(xs))
	d := 0.0
	for i, x := range xs {
		f := 1 - math.Exp(-rate*x)
		d = max(d, f-float64(i)/n, float64(i+1)/n-f)
	}
	return d
}

// ks2 returns the two-sample Kolmogorov–Smirnov statistic of a and b,
// which are sorted in place.
func ks2(a, b []float64) float64 {
	slices.Sort(a)
	slices.Sort(b)
	na, nb := float64(len(a)), float64(len(b))
	i, j, d := 0, 0, 0.0
	for i < len(a) && j < len(b) {
		x := min(a[i], b[j])
		for i < len(a) && a[i] == x {
			i++
		}
		for j < len(b) && b[j] == x {
			j++
		}
		d = max(d, math.Abs(float64(i)/na-float64(j)/nb))
	}
	return d
}

// ks2Crit is the two-sample critical value at α = 0.01.
func ks2Crit(n, m int) float64 {
	return ksC01 * math.Sqrt(float64(n+m)/float64(n*m))
}

// gaps returns the gaps between consecutive times, in seconds.
func gaps(ts []time.Time) []float64 {
	g := make([]float64, 0, len(ts))
	for i := 1; i < len(ts); i++ {
		g = append(g, ts[i].Sub(ts[i-1]).Seconds())
	}
	return g
}
