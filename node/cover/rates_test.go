package cover

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestDefaultRatesValid(t *testing.T) {
	r := DefaultRates()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	// The latency budget of the package doc: 500 ms payload wait plus 5
	// hops of 50 ms.
	if got, want := r.ExpectedLatency(5), 750*time.Millisecond; got != want {
		t.Errorf("ExpectedLatency(5) = %v, want %v", got, want)
	}
}

func TestValidateRejects(t *testing.T) {
	for name, mut := range map[string]func(*Rates){
		"zero P":    func(r *Rates) { r.LambdaP = 0 },
		"neg L":     func(r *Rates) { r.LambdaL = -1 },
		"NaN D":     func(r *Rates) { r.LambdaD = math.NaN() },
		"Inf M":     func(r *Rates) { r.LambdaM = math.Inf(1) },
		"huge P":    func(r *Rates) { r.LambdaP = MaxRate + 1 },
		"zero mu":   func(r *Rates) { r.Mu = 0 },
		"huge mu":   func(r *Rates) { r.Mu = MaxMu + 1 },
		"negative ": func(r *Rates) { r.Mu = -time.Second },
	} {
		r := DefaultRates()
		mut(&r)
		if err := r.Validate(); !errors.Is(err, ErrInvalidRates) {
			t.Errorf("%s: Validate() = %v, want ErrInvalidRates", name, err)
		}
	}
}

func TestParamsRoundTrip(t *testing.T) {
	check := func(r Rates) {
		t.Helper()
		p := r.Params()
		got, err := ParseParams(p)
		if err != nil {
			t.Fatalf("ParseParams(%v): %v", p, err)
		}
		if got != r {
			t.Fatalf("round trip of %+v via %v gave %+v", r, p, got)
		}
	}
	r := DefaultRates()
	check(r)
	want := map[string]string{"lambda_p": "2", "lambda_l": "0.5", "lambda_d": "0.5", "lambda_m": "1", "mu": "20"}
	for k, v := range want {
		if r.Params()[k] != v {
			t.Errorf("Params()[%q] = %q, want %q", k, r.Params()[k], v)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 10_000 {
		check(Rates{
			LambdaP: rng.Float64()*MaxRate + 1e-9,
			LambdaL: math.Exp(rng.Float64()*10 - 5),
			LambdaD: rng.Float64() + 1e-3,
			LambdaM: float64(1 + rng.IntN(100)),
			Mu:      time.Duration(1 + rng.Int64N(int64(MaxMu))),
		})
	}
}

func TestParseParamsErrors(t *testing.T) {
	for name, mut := range map[string]func(map[string]string){
		"missing":    func(p map[string]string) { delete(p, KeyLambdaL) },
		"missing mu": func(p map[string]string) { delete(p, KeyMu) },
		"garbage":    func(p map[string]string) { p[KeyLambdaP] = "fast" },
		"zero":       func(p map[string]string) { p[KeyLambdaD] = "0" },
		"NaN":        func(p map[string]string) { p[KeyLambdaM] = "NaN" },
		"mu zero":    func(p map[string]string) { p[KeyMu] = "0" },
		"mu NaN":     func(p map[string]string) { p[KeyMu] = "NaN" },
		"mu Inf":     func(p map[string]string) { p[KeyMu] = "+Inf" },
		"mu slow":    func(p map[string]string) { p[KeyMu] = "1e-9" },
	} {
		p := DefaultRates().Params()
		mut(p)
		if _, err := ParseParams(p); !errors.Is(err, ErrInvalidRates) {
			t.Errorf("%s: ParseParams = %v, want ErrInvalidRates", name, err)
		}
	}
	p := DefaultRates().Params()
	p["future_key"] = "x"
	if _, err := ParseParams(p); err != nil {
		t.Errorf("unknown key: %v", err)
	}
}
