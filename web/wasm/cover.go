//go:build js && wasm

package main

import (
	"crypto/ecdh"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"sync"
	"syscall/js"
	"time"

	"github.com/murmurnet/murmur/node/client/envelope"
	"github.com/murmurnet/murmur/node/cover"
)

// Cover traffic for the page: the Go client's three Poisson processes
// (package node/cover's ClientShaper, the same code, seeded from
// crypto.getRandomValues through crypto/rand) and its loop packets. The
// page keeps the timer and the queue of frames; the shaper only says, for
// each event, whether its slot carries the next real packet (named by the
// page's number for it), a drop or a loop. Times cross as milliseconds
// since the Unix epoch (Date.now()).

var (
	shaperMu   sync.Mutex
	shapers    = map[int]*cover.ClientShaper[int]{}
	nextShaper = 1
)

// coverRates(net, epoch, providerNodeKeyHex) → {lambdaP, lambdaL, lambdaD,
// lambdaM, muMs}: the rates the provider's descriptor of the epoch (or of
// the one before) announces, as the Go client reads them; cover's
// defaults when it announces none. A provider announcing rates that do
// not parse is an error, not a reason to fall back.
func coverRates(args []js.Value) (any, error) {
	n, err := networkOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	e, err := epochOf(arg(args, 1))
	if err != nil {
		return nil, err
	}
	b, err := hex.DecodeString(arg(args, 2).String())
	if err != nil || len(b) != 32 {
		return nil, fmt.Errorf("provider: want a 32-byte node key in hex")
	}
	var k [32]byte
	copy(k[:], b)
	r := cover.DefaultRates()
	for _, ep := range []uint64{e, e - 1} {
		if d, ok := n.dir.Get(ep, k); ok && len(d.Params) > 0 {
			if r, err = cover.ParseParams(d.Params); err != nil {
				return nil, fmt.Errorf("the provider announces bad cover rates: %w", err)
			}
			break
		}
	}
	return ratesJS(r), nil
}

func ratesJS(r cover.Rates) map[string]any {
	return map[string]any{"lambdaP": r.LambdaP, "lambdaL": r.LambdaL, "lambdaD": r.LambdaD, "lambdaM": r.LambdaM,
		"muMs": float64(r.Mu) / float64(time.Millisecond)}
}

func ratesOf(v js.Value) (cover.Rates, error) {
	if v.Type() != js.TypeObject {
		return cover.Rates{}, fmt.Errorf("rates: want {lambdaP, lambdaL, lambdaD, lambdaM, muMs}")
	}
	num := func(k string) float64 {
		if x := v.Get(k); x.Type() == js.TypeNumber {
			return x.Float()
		}
		return -1 // refused by Validate, naming the key
	}
	r := cover.Rates{LambdaP: num("lambdaP"), LambdaL: num("lambdaL"), LambdaD: num("lambdaD"), LambdaM: num("lambdaM"),
		Mu: time.Duration(num("muMs") * float64(time.Millisecond))}
	if r.LambdaM < 0 {
		r.LambdaM = cover.DefaultRates().LambdaM // a client's rates need not name the mixes'
	}
	return r, r.Validate()
}

func msTime(v js.Value, what string) (time.Time, error) {
	if v.Type() != js.TypeNumber {
		return time.Time{}, fmt.Errorf("%s: want milliseconds since the epoch", what)
	}
	return time.UnixMilli(int64(v.Float())), nil
}

func jsMs(t time.Time) float64 { return float64(t.UnixMilli()) }

// newShaper(rates, queueCap, nowMs) → handle: the client's processes, their
// first events drawn after now.
func newShaper(args []js.Value) (any, error) {
	r, err := ratesOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	if arg(args, 1).Type() != js.TypeNumber {
		return nil, fmt.Errorf("queue capacity: want a number")
	}
	now, err := msTime(arg(args, 2), "now")
	if err != nil {
		return nil, err
	}
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		return nil, err
	}
	sh, err := cover.NewClientShaper[int](r, arg(args, 1).Int(), rand.New(rand.NewChaCha8(seed)), now)
	if err != nil {
		return nil, err
	}
	shaperMu.Lock()
	defer shaperMu.Unlock()
	h := nextShaper
	nextShaper++
	shapers[h] = sh
	return h, nil
}

func shaperOf(v js.Value) (*cover.ClientShaper[int], error) {
	if v.Type() != js.TypeNumber {
		return nil, fmt.Errorf("not a shaper handle")
	}
	shaperMu.Lock()
	defer shaperMu.Unlock()
	sh, ok := shapers[v.Int()]
	if !ok {
		return nil, fmt.Errorf("no shaper %d (closed?)", v.Int())
	}
	return sh, nil
}

// shaperEnqueue(handle, nowMs, item): queues real packet number item for
// the first payload slot after now; throws when the queue is full (the
// page sends faster than λP allows).
func shaperEnqueue(args []js.Value) (any, error) {
	sh, err := shaperOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	now, err := msTime(arg(args, 1), "now")
	if err != nil {
		return nil, err
	}
	if arg(args, 2).Type() != js.TypeNumber {
		return nil, fmt.Errorf("item: want a number")
	}
	if err := sh.Enqueue(now, arg(args, 2).Int()); err != nil {
		return nil, fmt.Errorf("%w (%d packets queued)", err, sh.Len())
	}
	return nil, nil
}

// shaperNext(handle) → the time of the next event, in ms.
func shaperNext(args []js.Value) (any, error) {
	sh, err := shaperOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	return jsMs(sh.Next()), nil
}

// shaperTick(handle, nowMs) → [{kind: "real"|"drop"|"loop", item, atMs}]:
// every event due by now, in order.
func shaperTick(args []js.Value) (any, error) {
	sh, err := shaperOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	now, err := msTime(arg(args, 1), "now")
	if err != nil {
		return nil, err
	}
	var out []any
	for _, ev := range sh.Tick(now) {
		e := map[string]any{"atMs": jsMs(ev.At)}
		switch ev.Kind {
		case cover.Real:
			e["kind"], e["item"] = "real", ev.Item
		case cover.Drop:
			e["kind"] = "drop"
		case cover.Loop:
			e["kind"] = "loop"
		}
		out = append(out, e)
	}
	return out, nil
}

// shaperClose(handle) forgets the shaper.
func shaperClose(args []js.Value) (any, error) {
	if _, err := shaperOf(arg(args, 0)); err != nil {
		return nil, err
	}
	shaperMu.Lock()
	delete(shapers, arg(args, 0).Int())
	shaperMu.Unlock()
	return nil, nil
}

// loopPayload(ownPublic) → {payload, id}: a loop's payload, a fragment
// sealed for our own key with the loop flag, as the Go client sends;
// the id tells the loop from others when it comes back.
func loopPayload(args []js.Value) (any, error) {
	pub, err := bytesOf(arg(args, 0), "own public key")
	if err != nil {
		return nil, err
	}
	k, err := ecdh.X25519().NewPublicKey(pub)
	if err != nil {
		return nil, err
	}
	var id [16]byte
	if _, err := crand.Read(id[:]); err != nil {
		return nil, err
	}
	p, err := envelope.Seal(crand.Reader, k, envelope.Fragment{Flags: envelope.FlagLoop, ID: id, Total: 1})
	if err != nil {
		return nil, err
	}
	return map[string]any{"payload": jsBytes(p), "id": jsBytes(id[:])}, nil
}
