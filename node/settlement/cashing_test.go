package settlement

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/settle"
)

// TestCashingScripts runs the scenarios in testdata/cashing_*.txt.
//
// A script is a list of commands, one per line; blank lines and lines
// starting with # are ignored. Payers are named by one word; each name is
// an address. Amounts are in wei. Commands:
//
//	new [above=N] [factor=F]            a new loop (floor N, gas factor F) over the holders declared after it
//	holder NAME [broken]                add a holder named NAME (broken: its Holdings fails)
//	cheque HOLDER PAYER amount=A [cashed=C] [cover=V] [limit=L]
//	                                    HOLDER holds PAYER's cheque of A, C of it cashed
//	gas-price P | error                 the casher's gas price from now on
//	result PAYER total=T [gas=G] [from-stake=S] | PAYER fail [gas=G]
//	                                    queue the result of the next cash of PAYER's cheque;
//	                                    by default a cash pays the cheque in full for 50,000 gas
//	round                               Round: cash at the gas-aware threshold
//	cash-all                            CashAbove(nil), as on exit
//	cash-now HOLDER PAYER...            CashNow for these payers of HOLDER
//	expect-cashed [PAYER...]            the casher was asked to cash these, in this order, since the last expect-cashed
//	expect-got N                        the last command received N wei
//	expect-error [TEXT] | expect-ok     the last command failed (its error contains TEXT) or did not
//	expect-threshold N                  Threshold now is N
//	expect-holding HOLDER PAYER cashed=C
//	expect-stats key=value...           Stats fields: txs gas rounds threshold gas-per-tx bounced from-stake failures withheld forced
func TestCashingScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/cashing_*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scripts in testdata")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			runCashingScript(t, f)
		})
	}
}

// fakeHolder is a settle.Holder in memory.
type fakeHolder struct {
	held   map[common.Address]settle.Holding
	broken bool
}

func (h *fakeHolder) Holdings() ([]settle.Holding, error) {
	if h.broken {
		return nil, errors.New("store unreadable")
	}
	out := make([]settle.Holding, 0, len(h.held))
	for _, v := range h.held {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b settle.Holding) int { return a.Payer.Cmp(b.Payer) })
	return out, nil
}

func (h *fakeHolder) MarkCashed(payer common.Address, total *big.Int) error {
	v, ok := h.held[payer]
	if !ok {
		return fmt.Errorf("no cheque from %s", payer)
	}
	if total.Cmp(v.Cashed) > 0 {
		nv := settle.HoldingOf(v.Latest, new(big.Int).Set(total))
		nv.Cover, nv.Limit = v.Cover, v.Limit
		h.held[payer] = nv
	}
	return nil
}

// fakeCasher is a Casher with scripted results.
type fakeCasher struct {
	price    *big.Int
	priceErr error
	queued   map[common.Address][]chain.CashResult // Total nil: the cash fails
	asked    []common.Address
}

func (f *fakeCasher) GasPrice(context.Context) (*big.Int, error) { return f.price, f.priceErr }

func (f *fakeCasher) Cash(_ context.Context, s cheque.Signed) (chain.CashResult, error) {
	f.asked = append(f.asked, s.Payer)
	if q := f.queued[s.Payer]; len(q) > 0 {
		f.queued[s.Payer] = q[1:]
		if q[0].Total == nil {
			return q[0], errors.New("reverted")
		}
		return q[0], nil
	}
	return chain.CashResult{Total: new(big.Int).Set(s.CumulativeAmount), Gas: 50_000}, nil
}

type cashScript struct {
	t       *testing.T
	pos     string
	casher  *fakeCasher
	cfg     Config
	names   map[string]common.Address
	holders map[string]*fakeHolder
	sources []Source
	loop    *Cashing
	got     *big.Int
	err     error
}

func runCashingScript(t *testing.T, path string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st := &cashScript{t: t, names: map[string]common.Address{}}
	st.reset(nil)
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		st.pos = fmt.Sprintf("%s:%d", filepath.Base(path), line)
		fs := strings.Fields(text)
		st.run(fs[0], fs[1:])
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

func (st *cashScript) fatalf(format string, args ...any) {
	st.t.Helper()
	st.t.Fatalf("%s: "+format, append([]any{st.pos}, args...)...)
}

func (st *cashScript) reset(kv map[string]string) {
	st.casher = &fakeCasher{queued: map[common.Address][]chain.CashResult{}}
	st.cfg = Config{Casher: st.casher}
	if v, ok := kv["above"]; ok {
		st.cfg.Above = st.amount(v)
	}
	if v, ok := kv["factor"]; ok {
		st.cfg.GasFactor = uint64(st.amount(v).Int64())
	}
	st.holders, st.sources, st.loop = map[string]*fakeHolder{}, nil, nil
}

// cashing returns the loop over the holders declared so far.
func (st *cashScript) cashing() *Cashing {
	if st.loop == nil {
		st.loop = NewCashing(st.cfg, nil, st.sources...)
	}
	return st.loop
}

func (st *cashScript) addr(name string) common.Address {
	a, ok := st.names[name]
	if !ok {
		a = common.BigToAddress(big.NewInt(int64(len(st.names) + 1)))
		st.names[name] = a
	}
	return a
}

func (st *cashScript) name(a common.Address) string {
	for k, v := range st.names {
		if v == a {
			return k
		}
	}
	return a.Hex()
}

func (st *cashScript) amount(s string) *big.Int {
	st.t.Helper()
	v, ok := new(big.Int).SetString(strings.ReplaceAll(s, "_", ""), 10)
	if !ok {
		st.fatalf("bad amount %q", s)
	}
	return v
}

func (st *cashScript) kv(args []string) (map[string]string, []string) {
	kv := map[string]string{}
	var rest []string
	for _, a := range args {
		if k, v, ok := strings.Cut(a, "="); ok {
			kv[k] = v
		} else {
			rest = append(rest, a)
		}
	}
	return kv, rest
}

func (st *cashScript) holder(name string) *fakeHolder {
	h, ok := st.holders[name]
	if !ok {
		st.fatalf("no holder %q", name)
	}
	return h
}

func (st *cashScript) run(cmd string, args []string) {
	st.t.Helper()
	kv, rest := st.kv(args)
	ctx := context.Background()
	switch cmd {
	case "new":
		st.reset(kv)
	case "holder":
		h := &fakeHolder{held: map[common.Address]settle.Holding{}, broken: slices.Contains(rest, "broken")}
		st.holders[rest[0]] = h
		st.sources = append(st.sources, Source{Name: rest[0], Holder: h})
		st.loop = nil
	case "cheque":
		payer := st.addr(rest[1])
		s := cheque.Signed{Cheque: cheque.Cheque{Payer: payer, CumulativeAmount: st.amount(kv["amount"])}}
		cashed := new(big.Int)
		if v, ok := kv["cashed"]; ok {
			cashed = st.amount(v)
		}
		h := settle.HoldingOf(s, cashed)
		if v, ok := kv["cover"]; ok {
			h.Cover = st.amount(v)
		}
		if v, ok := kv["limit"]; ok {
			h.Limit = st.amount(v)
		}
		st.holder(rest[0]).held[payer] = h
	case "gas-price":
		if rest[0] == "error" {
			st.casher.priceErr = errors.New("endpoint down")
		} else {
			st.casher.price, st.casher.priceErr = st.amount(rest[0]), nil
		}
	case "result":
		var r chain.CashResult
		if v, ok := kv["gas"]; ok {
			r.Gas = st.amount(v).Uint64()
		}
		if !slices.Contains(rest, "fail") {
			r.Total = st.amount(kv["total"])
		}
		if v, ok := kv["from-stake"]; ok {
			r.FromStake = st.amount(v)
		}
		p := st.addr(rest[0])
		st.casher.queued[p] = append(st.casher.queued[p], r)
	case "round":
		st.got, st.err = st.cashing().Round(ctx)
	case "cash-all":
		st.got, st.err = st.cashing().CashAbove(ctx, nil)
	case "cash-now":
		payers := map[common.Address]bool{}
		for _, p := range rest[1:] {
			payers[st.addr(p)] = true
		}
		st.got, _, st.err = st.cashing().CashNow(ctx, Source{Name: rest[0], Holder: st.holder(rest[0])}, payers)
	case "expect-cashed":
		var got []string
		for _, a := range st.casher.asked {
			got = append(got, st.name(a))
		}
		if !slices.Equal(got, rest) {
			st.fatalf("cashed %v, want %v", got, rest)
		}
		st.casher.asked = nil
	case "expect-got":
		if st.got == nil || st.got.Cmp(st.amount(rest[0])) != 0 {
			st.fatalf("received %v, want %s", st.got, rest[0])
		}
	case "expect-ok":
		if st.err != nil {
			st.fatalf("error %v", st.err)
		}
	case "expect-error":
		if st.err == nil || !strings.Contains(st.err.Error(), strings.Join(rest, " ")) {
			st.fatalf("error %v, want one containing %q", st.err, strings.Join(rest, " "))
		}
	case "expect-threshold":
		got, err := st.cashing().Threshold(ctx)
		if err != nil || got.Cmp(st.amount(rest[0])) != 0 {
			st.fatalf("threshold %v (%v), want %s", got, err, rest[0])
		}
	case "expect-holding":
		h, ok := st.holder(rest[0]).held[st.addr(rest[1])]
		if !ok || h.Cashed.Cmp(st.amount(kv["cashed"])) != 0 {
			st.fatalf("holding %+v, want cashed %s", h, kv["cashed"])
		}
	case "expect-stats":
		s := st.cashing().Stats()
		fields := map[string]string{
			"txs": fmt.Sprint(s.Txs), "gas": fmt.Sprint(s.Gas), "rounds": fmt.Sprint(s.Rounds),
			"threshold": fmt.Sprint(s.Threshold), "gas-per-tx": fmt.Sprint(s.GasPerTx),
			"bounced": fmt.Sprint(s.Bounced), "from-stake": fmt.Sprint(s.FromStake),
			"failures": fmt.Sprint(s.Failures), "withheld": fmt.Sprint(s.Withheld), "forced": fmt.Sprint(s.Forced),
		}
		for k, want := range kv {
			got, ok := fields[k]
			if !ok {
				st.fatalf("no stat %q", k)
			}
			if w, err := strconv.ParseUint(strings.ReplaceAll(want, "_", ""), 10, 64); err == nil {
				want = fmt.Sprint(w)
			}
			if got != want {
				st.fatalf("stat %s = %s, want %s", k, got, want)
			}
		}
	default:
		st.fatalf("unknown command %q", cmd)
	}
}
