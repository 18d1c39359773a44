package market

import (
	"bufio"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCoverScripts runs the scenarios in testdata/cover_*.txt: whether an
// issuer sells against a client's cheque, given its vault.
//
// Commands (one per line; # starts a comment):
//
//	sale amount=A [last=L] cashed=C cover=V   a cheque of cumulative amount A; the payer's last accepted one is L (none if absent)
//	expect sell|no-check|uncovered [unclaimed=U]
//	                                          sold after the cover check, sold without one (a retry), or refused
func TestCoverScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/cover_*.txt")
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
			var got string
			var unclaimed *big.Int
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
				kv := map[string]string{}
				for _, a := range fs[1:] {
					k, v, _ := strings.Cut(a, "=")
					kv[k] = v
				}
				amount := func(s string) *big.Int {
					v, ok := new(big.Int).SetString(strings.ReplaceAll(s, "_", ""), 10)
					if !ok {
						fatalf("bad amount %q", s)
					}
					return v
				}
				switch fs[0] {
				case "sale":
					var last *big.Int
					if v, ok := kv["last"]; ok {
						last = amount(v)
					}
					a := amount(kv["amount"])
					unclaimed = nil
					switch u, ok := covered(a, amount(kv["cashed"]), amount(kv["cover"])); {
					case !needsCover(a, last):
						got = "no-check"
					case ok:
						got, unclaimed = "sell", u
					default:
						got, unclaimed = "uncovered", u
					}
				case "expect":
					if got != fs[1] {
						fatalf("%s, want %s", got, fs[1])
					}
					if u, ok := kv["unclaimed"]; ok && (unclaimed == nil || unclaimed.Cmp(amount(u)) != 0) {
						fatalf("unclaimed %v, want %s", unclaimed, u)
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
