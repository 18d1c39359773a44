package mixer

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSchedulerScripts runs the scenarios in testdata/scheduler_*.txt.
//
// A script is a list of commands, one per line; blank lines and lines
// starting with # are ignored. The clock starts at a fixed instant and
// moves only with tick. Commands:
//
//	new cap=N                          replace the scheduler by an empty one of capacity N (default 1024)
//	push id=ID delay=D                 push ID for release at now+D (D may be negative)
//	push-many n=N delay=MIN..MAX seed=S [prefix=P]
//	                                   push ids P0..P(N-1) (default prefix m) with delays uniform in [MIN, MAX)
//	tick D                             advance the clock by D (may be negative)
//	pop                                PopReady(now), checking only the invariants
//	expect-ready [ID...]               PopReady(now) returns exactly these, in this order
//	expect-ready-count N               PopReady(now) returns N items
//	expect-next D | none               Next() is now+D, or the scheduler is empty
//	expect-len N                       Len() is N
//	expect-full                        the previous push failed with ErrFull
//
// A push that fails must be followed by expect-full. Every PopReady is
// also checked for the invariants: everything returned is due, in release
// order with ties in push order, returned once, and nothing due is left
// behind.
func TestSchedulerScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/scheduler_*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scripts in testdata")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			runSchedulerScript(t, f)
		})
	}
}

type scriptItem struct {
	id  string
	at  time.Time
	seq int
}

type schedScript struct {
	t       *testing.T
	pos     string // file:line of the current command
	s       *Scheduler[string]
	now     time.Time
	pushed  map[string]scriptItem
	popped  map[string]bool
	seq     int
	lastErr error // error of the previous push, until expect-full consumes it
	buf     []string
}

func runSchedulerScript(t *testing.T, path string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	st := &schedScript{t: t, now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	st.reset(1024)
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		st.pos = fmt.Sprintf("%s:%d", filepath.Base(path), line)
		fields := strings.Fields(text)
		if st.lastErr != nil && fields[0] != "expect-full" {
			t.Fatalf("%s: previous push failed unexpectedly: %v", st.pos, st.lastErr)
		}
		st.run(fields[0], fields[1:])
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if st.lastErr != nil {
		t.Fatalf("%s: last push failed unexpectedly: %v", st.pos, st.lastErr)
	}
}

func (st *schedScript) fatalf(format string, args ...any) {
	st.t.Helper()
	st.t.Fatalf("%s: %s", st.pos, fmt.Sprintf(format, args...))
}

func (st *schedScript) reset(capacity int) {
	st.s = NewScheduler[string](capacity)
	st.pushed = make(map[string]scriptItem)
	st.popped = make(map[string]bool)
}

// kv parses key=value arguments.
func (st *schedScript) kv(args []string) map[string]string {
	m := make(map[string]string)
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			st.fatalf("argument %q is not key=value", a)
		}
		m[k] = v
	}
	return m
}

func (st *schedScript) dur(s string) time.Duration {
	d, err := time.ParseDuration(s)
	if err != nil {
		st.fatalf("%v", err)
	}
	return d
}

func (st *schedScript) num(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		st.fatalf("%v", err)
	}
	return n
}

func (st *schedScript) push(id string, delay time.Duration) {
	if _, dup := st.pushed[id]; dup {
		st.fatalf("id %q pushed twice", id)
	}
	at := st.now.Add(delay)
	if err := st.s.Push(id, at); err != nil {
		st.lastErr = err
		return
	}
	st.pushed[id] = scriptItem{id: id, at: at, seq: st.seq}
	st.seq++
}

// pop calls PopReady and checks its invariants.
func (st *schedScript) pop() []string {
	st.buf = st.s.PopReady(st.now, st.buf[:0])
	var prev *scriptItem
	for _, id := range st.buf {
		it, ok := st.pushed[id]
		if !ok {
			st.fatalf("PopReady returned %q, never pushed", id)
		}
		if st.popped[id] {
			st.fatalf("PopReady returned %q twice", id)
		}
		st.popped[id] = true
		if it.at.After(st.now) {
			st.fatalf("PopReady returned %q due at %v, before its time (now %v)", id, it.at.Sub(st.now), st.now)
		}
		if prev != nil && (it.at.Before(prev.at) || it.at.Equal(prev.at) && it.seq < prev.seq) {
			st.fatalf("PopReady returned %q before %q out of order", prev.id, id)
		}
		prev = &it
	}
	if next, ok := st.s.Next(); ok && !next.After(st.now) {
		st.fatalf("PopReady left an item due at %v", next.Sub(st.now))
	}
	return st.buf
}

func (st *schedScript) run(cmd string, args []string) {
	switch cmd {
	case "new":
		st.reset(st.num(st.kv(args)["cap"]))

	case "push":
		m := st.kv(args)
		if m["id"] == "" {
			st.fatalf("push needs id=")
		}
		st.push(m["id"], st.dur(m["delay"]))

	case "push-many":
		m := st.kv(args)
		n := st.num(m["n"])
		lo, hi, ok := strings.Cut(m["delay"], "..")
		if !ok {
			st.fatalf("push-many delay must be MIN..MAX")
		}
		dlo, dhi := st.dur(lo), st.dur(hi)
		prefix := m["prefix"]
		if prefix == "" {
			prefix = "m"
		}
		r := rand.New(rand.NewPCG(uint64(st.num(m["seed"])), 0))
		for i := range n {
			st.push(fmt.Sprintf("%s%d", prefix, i), dlo+time.Duration(r.Int64N(int64(dhi-dlo))))
			if st.lastErr != nil {
				st.fatalf("push-many: push %d: %v", i, st.lastErr)
			}
		}

	case "tick":
		if len(args) != 1 {
			st.fatalf("tick takes one duration")
		}
		st.now = st.now.Add(st.dur(args[0]))

	case "pop":
		st.pop()

	case "expect-ready":
		got := st.pop()
		if len(got) == 0 && len(args) == 0 {
			return
		}
		if !slices.Equal(got, args) {
			st.fatalf("ready = %v, want %v", got, args)
		}

	case "expect-ready-count":
		if got := len(st.pop()); got != st.num(args[0]) {
			st.fatalf("ready count = %d, want %s", got, args[0])
		}

	case "expect-next":
		next, ok := st.s.Next()
		switch {
		case args[0] == "none":
			if ok {
				st.fatalf("Next() = now+%v, want none", next.Sub(st.now))
			}
		case !ok:
			st.fatalf("Next() = none, want now+%s", args[0])
		case next.Sub(st.now) != st.dur(args[0]):
			st.fatalf("Next() = now+%v, want now+%s", next.Sub(st.now), args[0])
		}

	case "expect-len":
		if got := st.s.Len(); got != st.num(args[0]) {
			st.fatalf("Len() = %d, want %s", got, args[0])
		}

	case "expect-full":
		if !errors.Is(st.lastErr, ErrFull) {
			st.fatalf("previous push error = %v, want ErrFull", st.lastErr)
		}
		st.lastErr = nil

	default:
		st.fatalf("unknown command %q", cmd)
	}
}

func TestNewSchedulerPanicsOnBadCapacity(t *testing.T) {
	for _, c := range []int{0, -1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewScheduler(%d) did not panic", c)
				}
			}()
			NewScheduler[int](c)
		}()
	}
}

// TestSchedulerReleasesReferences checks that popped slots are zeroed, so
// the backing array does not keep a returned buffer alive.
func TestSchedulerReleasesReferences(t *testing.T) {
	s := NewScheduler[*[64]byte](4)
	t0 := time.Unix(0, 0)
	for i := range 4 {
		if err := s.Push(new([64]byte), t0.Add(time.Duration(i))); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(s.PopReady(t0.Add(time.Hour), nil)); got != 4 {
		t.Fatalf("popped %d, want 4", got)
	}
	for i, e := range s.heap[:cap(s.heap)] {
		if e.item != nil {
			t.Errorf("slot %d still references an item", i)
		}
	}
}

// TestSchedulerMonotonicClock checks that times read from time.Now are
// ordered by their monotonic reading, as the node's timer will use them.
func TestSchedulerMonotonicClock(t *testing.T) {
	s := NewScheduler[int](2)
	now := time.Now()
	if err := s.Push(1, now.Add(time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if got := s.PopReady(now, nil); len(got) != 0 {
		t.Fatalf("released early: %v", got)
	}
	if got := s.PopReady(now.Add(time.Millisecond), nil); !slices.Equal(got, []int{1}) {
		t.Fatalf("PopReady = %v, want [1]", got)
	}
}

// BenchmarkSchedulerPushPop measures the steady state of a relay's delay
// queue: 10,000 packets waiting, one arriving and one leaving per
// operation. It must not allocate.
func BenchmarkSchedulerPushPop(b *testing.B) {
	const depth = 10_000
	s := NewScheduler[*[2048]byte](depth + 1)
	r := rand.New(rand.NewPCG(1, 2))
	pkt := new([2048]byte)
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	mean := 50 * time.Millisecond
	for range depth {
		if err := s.Push(pkt, now.Add(ExpDelay(r, mean))); err != nil {
			b.Fatal(err)
		}
	}
	// Advance the clock by the mean gap between departures, so that on
	// average one packet leaves per push.
	step := mean / depth
	ready := make([]*[2048]byte, 0, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		now = now.Add(step)
		if err := s.Push(pkt, now.Add(ExpDelay(r, mean))); err != nil {
			// Keep the queue from filling if departures fall behind.
			ready = s.PopReady(now.Add(time.Second), ready[:0])
		}
		ready = s.PopReady(now, ready[:0])
	}
}
