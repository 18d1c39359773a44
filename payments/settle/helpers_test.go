package settle

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/payments/cheque"
)

var (
	testDomain = cheque.NewDomain(big.NewInt(1337), common.HexToAddress("0x00000000000000000000000000000000000000aa"))
	// An awkward price, so that arithmetic slips show to the wei.
	testPrice = big.NewInt(1_000_000_007)
)

// wei returns n packets at price p.
func wei(n int64, p *big.Int) *big.Int { return new(big.Int).Mul(big.NewInt(n), p) }

type party struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

func newParty(t testing.TB) party {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return party{key: k, addr: crypto.PubkeyToAddress(k.PublicKey)}
}

// fakeCover answers from a table, or fails while down.
type fakeCover struct {
	mu    sync.Mutex
	vals  map[common.Address]*big.Int
	down  bool
	calls int
}

func newFakeCover() *fakeCover { return &fakeCover{vals: make(map[common.Address]*big.Int)} }

func (f *fakeCover) Cover(_ context.Context, payer common.Address) (*big.Int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.down {
		return nil, errors.New("connection refused")
	}
	if v, ok := f.vals[payer]; ok {
		return new(big.Int).Set(v), nil
	}
	return new(big.Int), nil
}

func (f *fakeCover) set(payer common.Address, v *big.Int) {
	f.mu.Lock()
	f.vals[payer] = v
	f.mu.Unlock()
}

func (f *fakeCover) setDown(down bool) {
	f.mu.Lock()
	f.down = down
	f.mu.Unlock()
}

func (f *fakeCover) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// plenty is a cover no test cheque reaches.
var plenty = new(big.Int).Lsh(big.NewInt(1), 128)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Unix(1_700_000_000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// options returns options for p's ledger with the given cover, sending a
// cheque every 10 packets and refusing above 30.
func options(p party, cover Cover) Options {
	return Options{
		Self:        p.addr,
		Domain:      testDomain,
		Signer:      KeySigner(testDomain, p.key),
		Cover:       cover,
		ChequeEvery: 10,
	}
}

func open(t testing.TB, dir string, opts Options) *Ledger {
	t.Helper()
	l, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return l
}

// openClosing opens a ledger that is closed at the end of the test.
func openClosing(t testing.TB, dir string, opts Options) *Ledger {
	t.Helper()
	l := open(t, dir, opts)
	t.Cleanup(func() {
		if !l.closed.Load() {
			if err := l.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		}
	})
	return l
}

// crashCopy copies the files of the open ledger in dir into a new
// directory, as a crash would leave them: what the synced writes put on
// disk, and no clean shutdown. The original stays open (badger holds a
// lock on it).
func crashCopy(t testing.TB, dir string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || e.Name() == "LOCK" {
			continue
		}
		copyFile(t, filepath.Join(dir, e.Name()), filepath.Join(dst, e.Name()))
	}
	return dst
}

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func sendN(d *Debt, n int) (due int) {
	for range n {
		if d.Sent() {
			due++
		}
	}
	return due
}

func receiveN(c *Credit, n int) (taken int) {
	for range n {
		if c.Received() {
			taken++
		}
	}
	return taken
}

func mustOut(t testing.TB, l *Ledger, payee common.Address, price *big.Int) *Debt {
	t.Helper()
	d, err := l.Out(payee, price)
	if err != nil {
		t.Fatalf("Out: %v", err)
	}
	return d
}

func mustIn(t testing.TB, l *Ledger, payer common.Address, price *big.Int) *Credit {
	t.Helper()
	c, err := l.In(payer, price)
	if err != nil {
		t.Fatalf("In: %v", err)
	}
	return c
}

func mustCheque(t testing.TB, d *Debt) cheque.Signed {
	t.Helper()
	s, err := d.Cheque()
	if err != nil {
		t.Fatalf("Cheque: %v", err)
	}
	return s
}

func wantAmount(t testing.TB, what string, got, want *big.Int) {
	t.Helper()
	if got == nil || got.Cmp(want) != 0 {
		t.Errorf("%s = %v wei, want %v", what, got, want)
	}
}

// holdingOf returns the Holdings entry for payer.
func holdingOf(t testing.TB, l *Ledger, payer common.Address) Holding {
	t.Helper()
	hs, err := l.Holdings()
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hs {
		if h.Payer == payer {
			return h
		}
	}
	t.Fatalf("no holding for %s", payer)
	return Holding{}
}

// debtTo returns the Debts entry for payee.
func debtTo(t testing.TB, l *Ledger, payee common.Address) Liability {
	t.Helper()
	for _, d := range l.Debts() {
		if d.Payee == payee {
			return d
		}
	}
	t.Fatalf("no debt to %s", payee)
	return Liability{}
}
