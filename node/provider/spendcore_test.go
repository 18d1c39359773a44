package provider

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
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/tickets"
)

// TestSpendScripts runs the scenarios in testdata/spend_*.txt against
// decideSpend with fake books.
//
// A script is a list of commands, one per line; blank lines and lines
// starting with # are ignored. The clock starts at a fixed instant and
// moves only with tick. A ticket is written as its key epoch, or x for
// one that does not decode. Commands:
//
//	key NAME epoch=E packets=P expires=D       the provider knows key NAME of epoch E, worth P packets, expiring at now+D
//	key NAME error=unknown|expired              looking key NAME up fails so
//	balance N                                   the client's balance
//	fail balance|credit                         the next balance read or credit fails
//	accept RESULT...                            the spent set answers the next batch: one of ok, bad_signature,
//	                                            already_spent, duplicate, expired, unknown_key per ticket; or unavailable
//	redeem-batch N                              a redemption is due once N tickets wait (default 100)
//	tick D                                      advance the clock
//	spend key=NAME T...                         a Spend of tickets T of key NAME
//	expect-batch [I...]                         the request indexes that went to the spent set (none: it was not asked)
//	expect-refused [I:CODE...]                  the refusals of the answer
//	expect-credited N / expect-balance N        the answer's Credited and Balance
//	expect-status CODE | none                   the answer is a status of this code (internal, ...), or a Spent
//	expect-reason TEXT                          the answer's reason contains TEXT
//	expect-waiting N / expect-redeem-now yes|no tickets waiting for redemption; whether a redemption is due now
func TestSpendScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/spend_*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scripts in testdata")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) { runSpendScript(t, f) })
	}
}

type fakeKey struct {
	k   knownKey
	err error
}

// fakeBooks is a spendBooks and spentSet in memory.
type fakeBooks struct {
	keys                    map[[96]byte]fakeKey
	bal                     uint64
	failBalance, failCredit bool
	accept                  []string // answer to the next batch
	asked                   []tickets.Ticket
	askedBatch              bool
	pending                 int64
}

func (f *fakeBooks) balance(peer.ID) (uint64, error) {
	if f.failBalance {
		f.failBalance = false
		return 0, errors.New("disk gone")
	}
	return f.bal, nil
}

func (f *fakeBooks) credit(_ peer.ID, n uint64) (uint64, error) {
	if f.failCredit {
		f.failCredit = false
		return 0, errors.New("disk gone")
	}
	f.bal += n
	return f.bal, nil
}

func (f *fakeBooks) key(_ context.Context, pub [96]byte, epoch uint64) (knownKey, spentSet, error) {
	k, ok := f.keys[pub]
	switch {
	case !ok:
		return knownKey{}, nil, fmt.Errorf("unknown issuer key for epoch %d", epoch)
	case k.err != nil:
		return knownKey{}, nil, k.err
	case k.k.epoch != epoch:
		return k.k, nil, fmt.Errorf("the key is of epoch %d, the tickets of epoch %d", k.k.epoch, epoch)
	}
	return k.k, f, nil
}

var spendResults = map[string]error{
	"ok": nil, "bad_signature": tickets.ErrBadSignature, "already_spent": tickets.ErrAlreadySpent,
	"duplicate": tickets.ErrDuplicateSerial, "expired": tickets.ErrExpiredEpoch, "unknown_key": tickets.ErrUnknownEpoch,
}

func (f *fakeBooks) AcceptBatch(ts []tickets.Ticket, _ tickets.Value) error {
	f.asked, f.askedBatch = ts, true
	a := f.accept
	f.accept = nil
	if len(a) == 1 && a[0] == "unavailable" {
		return errors.New("disk gone")
	}
	be := &tickets.BatchError{Errs: make([]error, len(ts))}
	bad := false
	for i := range ts {
		if i < len(a) {
			be.Errs[i] = spendResults[a[i]]
			bad = bad || be.Errs[i] != nil
		}
	}
	if bad {
		return be
	}
	return nil
}

func (f *fakeBooks) waiting(n int) int64 { f.pending += int64(n); return f.pending }

func pubOf(name string) (pub [96]byte) { copy(pub[:], name); return pub }

// decodeScriptTicket decodes a script ticket: its key epoch, or x.
func decodeScriptTicket(b []byte) (tickets.Ticket, error) {
	e, err := strconv.ParseUint(string(b), 10, 64)
	if err != nil {
		return tickets.Ticket{}, errors.New("does not decode")
	}
	var t tickets.Ticket
	t.KeyEpoch = e
	t.Serial[0] = byte(len(b)) // distinct enough for the fake
	return t, nil
}

var statusCodes = map[string]wire.Code{"internal": wire.CodeInternal, "malformed": wire.CodeMalformed}

func runSpendScript(t *testing.T, path string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	books := &fakeBooks{keys: map[[96]byte]fakeKey{}}
	redeemBatch := 100
	var o spendOutcome
	var reqTickets []string
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fatalf := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("%s:%d: "+format, append([]any{filepath.Base(path), line}, args...)...)
		}
		fs := strings.Fields(text)
		kv := map[string]string{}
		var rest []string
		for _, a := range fs[1:] {
			if k, v, ok := strings.Cut(a, "="); ok {
				kv[k] = v
			} else {
				rest = append(rest, a)
			}
		}
		num := func(s string) uint64 {
			v, err := strconv.ParseUint(strings.ReplaceAll(s, "_", ""), 10, 64)
			if err != nil {
				fatalf("bad number %q", s)
			}
			return v
		}
		dur := func(s string) time.Duration {
			d, err := time.ParseDuration(s)
			if err != nil {
				fatalf("bad duration %q", s)
			}
			return d
		}
		switch fs[0] {
		case "key":
			switch kv["error"] {
			case "unknown":
				books.keys[pubOf(rest[0])] = fakeKey{err: errors.New("unknown issuer key")}
			case "expired":
				books.keys[pubOf(rest[0])] = fakeKey{err: fmt.Errorf("key too old: %w", tickets.ErrExpiredEpoch)}
			default:
				books.keys[pubOf(rest[0])] = fakeKey{k: knownKey{
					issuer: common.Address{1}, epoch: num(kv["epoch"]), packets: num(kv["packets"]),
					price: big.NewInt(1000), expires: now.Add(dur(kv["expires"])),
				}}
			}
		case "balance":
			books.bal = num(rest[0])
		case "fail":
			switch rest[0] {
			case "balance":
				books.failBalance = true
			case "credit":
				books.failCredit = true
			default:
				fatalf("fail %q", rest[0])
			}
		case "accept":
			books.accept = rest
		case "redeem-batch":
			redeemBatch = int(num(rest[0]))
		case "tick":
			now = now.Add(dur(rest[0]))
		case "spend":
			req := wire.Spend{IssuerKey: pubOf(kv["key"])}
			for _, r := range rest {
				req.Tickets = append(req.Tickets, []byte(r))
			}
			reqTickets = rest
			books.asked, books.askedBatch = nil, false
			o = decideSpend(context.Background(), books, now, "client", req, decodeScriptTicket, redeemBatch)
		case "expect-batch":
			var got []string
			if books.askedBatch {
				for _, tk := range books.asked {
					got = append(got, fmt.Sprint(tk.KeyEpoch))
				}
			}
			var want []string
			for _, i := range rest {
				want = append(want, reqTickets[num(i)])
			}
			if !slices.Equal(got, want) {
				fatalf("batch of epochs %v, want %v (indexes %v)", got, want, rest)
			}
		case "expect-refused":
			var got []string
			for _, r := range o.out.Refused {
				got = append(got, fmt.Sprintf("%d:%s", r.Index, r.Code))
			}
			if !slices.Equal(got, rest) {
				fatalf("refused %v, want %v", got, rest)
			}
		case "expect-credited":
			if o.out.Credited != num(rest[0]) {
				fatalf("credited %d, want %s", o.out.Credited, rest[0])
			}
		case "expect-balance":
			if o.out.Balance != num(rest[0]) {
				fatalf("balance %d, want %s", o.out.Balance, rest[0])
			}
		case "expect-status":
			switch {
			case rest[0] == "none" && o.status != nil:
				fatalf("status %+v, want a Spent", *o.status)
			case rest[0] != "none" && (o.status == nil || o.status.Code != statusCodes[rest[0]]):
				fatalf("status %+v, want %s", o.status, rest[0])
			}
		case "expect-reason":
			want := strings.Join(rest, " ")
			got := o.out.Reason
			if o.status != nil {
				got = o.status.Reason
			}
			if !strings.Contains(got, want) {
				fatalf("reason %q, want it to contain %q", got, want)
			}
		case "expect-waiting":
			if books.pending != int64(num(rest[0])) {
				fatalf("%d waiting, want %s", books.pending, rest[0])
			}
		case "expect-redeem-now":
			if o.redeemNow != (rest[0] == "yes") {
				fatalf("redeem now %v, want %s", o.redeemNow, rest[0])
			}
		default:
			fatalf("unknown command %q", fs[0])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}
