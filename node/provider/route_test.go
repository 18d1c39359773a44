package provider

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRouteScripts runs the scenarios in testdata/route_*.txt: where one
// issuer's tickets are redeemed after each off-chain attempt.
//
// Commands (one per line; # starts a comment):
//
//	grace D                     the RedeemGrace (default 10m)
//	chain yes|no                whether the provider can redeem on-chain (default yes)
//	tick D                      advance the clock
//	paid | fault | over-limit   an attempt went so; the next line checks the decision
//	expect next-batch|wait|on-chain
//	expect-failing D            how long the issuer has been failing
func TestRouteScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/route_*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in testdata (%v)", err)
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txt"), func(t *testing.T) {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var r route
			now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
			grace, chain := 10*time.Minute, true
			var got next
			sc := bufio.NewScanner(f)
			for line := 1; sc.Scan(); line++ {
				fs := strings.Fields(sc.Text())
				if len(fs) == 0 || strings.HasPrefix(fs[0], "#") {
					continue
				}
				fatalf := func(format string, args ...any) {
					t.Helper()
					t.Fatalf("%s:%d: "+format, append([]any{filepath.Base(path), line}, args...)...)
				}
				dur := func(s string) time.Duration {
					d, err := time.ParseDuration(s)
					if err != nil {
						fatalf("bad duration %q", s)
					}
					return d
				}
				switch fs[0] {
				case "grace":
					grace = dur(fs[1])
				case "chain":
					chain = fs[1] == "yes"
				case "tick":
					now = now.Add(dur(fs[1]))
				case "paid":
					got = r.after(attemptPaid, now, grace, chain)
				case "fault":
					got = r.after(attemptFault, now, grace, chain)
				case "over-limit":
					got = r.after(attemptOverLimit, now, grace, chain)
				case "expect":
					if got.String() != fs[1] {
						fatalf("%s, want %s", got, fs[1])
					}
				case "expect-failing":
					if d := r.failingFor(now); d != dur(fs[1]) {
						fatalf("failing for %s, want %s", d, fs[1])
					}
				default:
					fatalf("unknown command %q", fs[0])
				}
			}
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}
