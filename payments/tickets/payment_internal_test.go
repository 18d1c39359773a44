package tickets

import (
	"bufio"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/murmurnet/murmur/payments/cheque"
)

// TestPaymentScripts runs the scenarios in testdata/payment_*.txt against
// decidePayment: how an issuer takes a cheque for an order.
//
// Commands (one per line; # starts a comment). A signature and an order
// are named by one word each:
//
//	pay amount=A sig=S order=O price=P   decide a cheque of cumulative amount A, signature S, for order O of price P
//	expect keep|retry|stale|insufficient the decision; keep records the cheque as the payer's last
func TestPaymentScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/payment_*.txt")
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
			var last paymentRecord
			var pay cheque.Signed
			var order [32]byte
			var keep bool
			var derr error
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
				case "pay":
					pay = cheque.Signed{Cheque: cheque.Cheque{CumulativeAmount: amount(kv["amount"])}}
					copy(pay.Signature[:], kv["sig"])
					order = [32]byte{}
					copy(order[:], kv["order"])
					keep, derr = decidePayment(last, pay, amount(kv["price"]), order)
				case "expect":
					var got string
					switch {
					case keep && derr == nil:
						got = "keep"
						last = paymentRecord{found: true, amount: pay.CumulativeAmount, signature: pay.Signature, order: order}
					case derr == nil:
						got = "retry"
					case errors.Is(derr, ErrStaleCheque):
						got = "stale"
					case errors.Is(derr, ErrInsufficientPayment):
						got = "insufficient"
					default:
						got = derr.Error()
					}
					if got != fs[1] {
						fatalf("%s (%v), want %s", got, derr, fs[1])
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
