//go:build js && wasm

package main

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/ethereum/go-ethereum/common"
	"math/big"
	"strconv"
	"sync"
	"syscall/js"
	"time"

	"github.com/mr-tron/base58"

	"github.com/murmurnet/murmur/chain/light"
	"github.com/murmurnet/murmur/node/pki"
)

// The network as the page sees it: the deployment read over the chain's
// JSON-RPC (package chain/light, whose requests go out by fetch), the
// registry snapshot of each epoch and its topology (package pki, as the
// Go client computes them), and the relays' signed descriptors, which the
// page fetches from its provider (/murmur/pki/1) and the core verifies.

type network struct {
	ch     *light.Reader
	epochs pki.Epochs
	snaps  *pki.Snapshots
	dir    *pki.Directory
	layers int
}

var (
	netMu    sync.Mutex
	networks = map[int]*network{}
	nextNet  = 1
)

// promise runs f off the JavaScript event loop (it may wait on fetch) and
// returns a Promise of its result; a failure rejects it with an Error.
func promise(f func(ctx context.Context) (any, error)) js.Value {
	return js.Global().Get("Promise").New(js.FuncOf(func(_ js.Value, pa []js.Value) any {
		resolve, reject := pa[0], pa[1]
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			v, err := func() (v any, err error) {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("murmur core: %v", r)
					}
				}()
				return f(ctx)
			}()
			if err != nil {
				reject.Invoke(js.Global().Get("Error").New(err.Error()))
				return
			}
			resolve.Invoke(js.ValueOf(v))
		}()
		return nil
	}))
}

func exportAsync(f func(ctx context.Context, args []js.Value) (any, error)) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		args = append([]js.Value(nil), args...)
		return promise(func(ctx context.Context) (any, error) { return f(ctx, args) })
	})
}

func networkOf(v js.Value) (*network, error) {
	if v.Type() != js.TypeNumber {
		return nil, errors.New("network: want the handle openNetwork gave")
	}
	netMu.Lock()
	defer netMu.Unlock()
	n := networks[v.Int()]
	if n == nil {
		return nil, errors.New("network: unknown handle")
	}
	return n, nil
}

// openNetwork(rpcURL, networkFileJSON, layers?) → Promise<handle>: checks
// that the endpoint serves the network file's chain and deployment.
func openNetwork(ctx context.Context, args []js.Value) (any, error) {
	url := arg(args, 0)
	if url.Type() != js.TypeString {
		return nil, errors.New("rpc: want the chain's JSON-RPC URL")
	}
	nf := arg(args, 1)
	if nf.Type() != js.TypeString {
		return nil, errors.New("network: want the network file's JSON text")
	}
	n, err := light.ParseNetwork([]byte(nf.String()))
	if err != nil {
		return nil, err
	}
	layers := pki.DefaultLayers
	if l := arg(args, 2); l.Type() == js.TypeNumber {
		layers = l.Int()
	}
	ch, err := light.Open(ctx, fetchCaller(url.String()), n)
	if err != nil {
		return nil, fmt.Errorf("rpc %s: %w", url.String(), err)
	}
	epochs, err := pki.EpochsFrom(ctx, ch)
	if err != nil {
		return nil, err
	}
	snaps, err := pki.NewSnapshots(ch, epochs, pki.SnapshotOptions{})
	if err != nil {
		return nil, err
	}
	netMu.Lock()
	defer netMu.Unlock()
	id := nextNet
	nextNet++
	networks[id] = &network{ch: ch, epochs: epochs, snaps: snaps, dir: pki.NewDirectory(epochs, time.Now), layers: layers}
	return id, nil
}

// epochNow(handle) → the epoch the network's clock is in.
func epochNow(args []js.Value) (any, error) {
	n, err := networkOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	return float64(n.epochs.At(time.Now())), nil
}

// topology(handle, epoch) → Promise<{epoch, providers: [hex], layers: [[hex]]}>:
// the relays of the epoch's registry snapshot, dealt into layers (or, just
// after a boundary the chain has no block of yet, the previous epoch's).
func topology(ctx context.Context, args []js.Value) (any, error) {
	_, _, t, err := epochTopology(ctx, args)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"epoch": float64(t.Epoch)}
	var provs []any
	for _, p := range t.Providers {
		provs = append(provs, hex.EncodeToString(p.NodeKey[:]))
	}
	var layers []any
	for _, l := range t.Layers {
		var ms []any
		for _, m := range l {
			ms = append(ms, hex.EncodeToString(m.NodeKey[:]))
		}
		layers = append(layers, ms)
	}
	out["providers"], out["layers"] = provs, layers
	return out, nil
}

// epochTopology reads the (handle, epoch) arguments of topology and route.
func epochTopology(ctx context.Context, args []js.Value) (*network, uint64, *pki.Topology, error) {
	n, err := networkOf(arg(args, 0))
	if err != nil {
		return nil, 0, nil, err
	}
	e, err := epochOf(arg(args, 1))
	if err != nil {
		return nil, 0, nil, err
	}
	t, err := n.topologyOf(ctx, e)
	return n, e, t, err
}

func (n *network) topologyOf(ctx context.Context, e uint64) (*pki.Topology, error) {
	if t, ok := n.dir.Topology(e); ok {
		return t, nil
	}
	snap, err := n.snaps.Get(ctx, e)
	if errors.Is(err, pki.ErrEpochNotFinal) && e > 0 {
		snap, err = n.snaps.Get(ctx, e-1)
	}
	if err != nil {
		return nil, err
	}
	t := pki.NewTopology(snap, n.layers)
	t.Epoch = e
	n.dir.SetTopology(t)
	return t, nil
}

// addDescriptors(handle, [sealed descriptor, ...]) → how many were new;
// each is verified (its relay's signature) before it is used.
func addDescriptors(args []js.Value) (any, error) {
	n, err := networkOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	v := arg(args, 1)
	if v.Type() != js.TypeObject || v.Get("length").Type() != js.TypeNumber {
		return nil, errors.New("descriptors: want an array of Uint8Array")
	}
	bs := make([][]byte, v.Get("length").Int())
	for i := range bs {
		if bs[i], err = bytesOf(v.Index(i), fmt.Sprintf("descriptor %d", i)); err != nil {
			return nil, err
		}
	}
	added, err := n.dir.AddAll(bs)
	return added, nil // refused descriptors are left out; the route says what it lacks
}

// issuers(handle, epoch) → Promise<[{nodeKey, operator, addrs, priceWei,
// packets}]>: the ticket issuers of the epoch's topology, with the
// multiaddrs their descriptors announce (else the registry's) and their
// offer (priceWei "" and packets 0 without a descriptor). The page adds
// /p2p/<peer id>, which js-libp2p derives from the node key.
func issuers(ctx context.Context, args []js.Value) (any, error) {
	n, e, t, err := epochTopology(ctx, args)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, nd := range t.Issuers {
		var addrs []any
		price, packets := "", 0.0
		for _, ep := range []uint64{e, e - 1} {
			if d, ok := n.dir.Get(ep, nd.NodeKey); ok {
				for _, a := range d.Multiaddrs {
					addrs = append(addrs, a)
				}
				price = d.Params[pki.ParamTicketPriceWei]
				if p, err := strconv.ParseUint(d.Params[pki.ParamTicketPackets], 10, 64); err == nil {
					packets = float64(p)
				}
				break
			}
		}
		if len(addrs) == 0 {
			for _, a := range nd.Multiaddrs {
				addrs = append(addrs, a.String())
			}
		}
		out = append(out, map[string]any{"nodeKey": hex.EncodeToString(nd.NodeKey[:]), "operator": nd.Operator.Hex(),
			"addrs": addrs, "priceWei": price, "packets": packets})
	}
	return out, nil
}

// issuerKey(handle, issuer, keyEpoch) → Promise<{value, expiresAt,
// publicKey}>: the key the TicketIssuer contract holds for the issuer
// (value "0" when it published none; publicKey the 256-byte EIP-2537 G2
// point), what every client sees alike.
func issuerKey(ctx context.Context, args []js.Value) (any, error) {
	n, err := networkOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	a := arg(args, 1)
	if a.Type() != js.TypeString || !common.IsHexAddress(a.String()) {
		return nil, errors.New("issuer: want an address in hex")
	}
	e, err := epochOf(arg(args, 2))
	if err != nil {
		return nil, err
	}
	k, err := n.ch.IssuerKey(ctx, common.HexToAddress(a.String()), e)
	if err != nil {
		return nil, err
	}
	return map[string]any{"value": k.Value.String(), "expiresAt": float64(k.ExpiresAt), "publicKey": jsBytes(k.PublicKey)}, nil
}

// route(handle, epoch, ownProvider, destProvider) → Promise<{own, mixes, to}>:
// hops {id, key} (hex) for this client's provider, one mix per layer drawn
// at random, and the recipient's provider, with their Sphinx keys of epoch.
func route(ctx context.Context, args []js.Value) (any, error) {
	n, e, t, err := epochTopology(ctx, args)
	if err != nil {
		return nil, err
	}
	hop := func(hexKey string, what string) (map[string]any, error) {
		b, err := hex.DecodeString(hexKey)
		if err != nil || len(b) != 32 {
			return nil, fmt.Errorf("%s: want a 32-byte node key in hex", what)
		}
		var k [32]byte
		copy(k[:], b)
		if !t.Contains(k) {
			return nil, fmt.Errorf("%s %s is not in the topology of epoch %d", what, hexKey[:16], e)
		}
		pub, ok := n.dir.SphinxKey(e, k)
		if !ok {
			return nil, fmt.Errorf("no descriptor of %s %s for epoch %d: fetch its descriptors from the provider", what, hexKey[:16], e)
		}
		return map[string]any{"id": hexKey, "key": hex.EncodeToString(pub[:])}, nil
	}
	own, err := hop(arg(args, 2).String(), "own provider")
	if err != nil {
		return nil, err
	}
	to, err := hop(arg(args, 3).String(), "recipient's provider")
	if err != nil {
		return nil, err
	}
	var mixes []any
	for i, l := range t.Layers {
		if len(l) == 0 {
			return nil, fmt.Errorf("layer %d of epoch %d has no mix", i+1, e)
		}
		r, err := crand.Int(crand.Reader, big.NewInt(int64(len(l))))
		if err != nil {
			return nil, err
		}
		m, err := hop(hex.EncodeToString(l[r.Int64()].NodeKey[:]), fmt.Sprintf("layer %d mix", i+1))
		if err != nil {
			return nil, err
		}
		mixes = append(mixes, m)
	}
	return map[string]any{"own": own, "mixes": mixes, "to": to, "epoch": float64(e)}, nil
}

// parseAddress(address) → {provider, mailbox, key} (hex): a Murmur address
// as the Go client writes it (base58 of provider node key ‖ mailbox ‖ key).
func parseAddress(args []js.Value) (any, error) {
	b, err := base58.Decode(arg(args, 0).String())
	if err != nil || len(b) != 96 {
		return nil, fmt.Errorf("%q is not a Murmur address", arg(args, 0).String())
	}
	return map[string]any{"provider": hex.EncodeToString(b[:32]), "mailbox": hex.EncodeToString(b[32:64]), "key": hex.EncodeToString(b[64:])}, nil
}

// formatAddress(provider, mailbox, key) → the address others write to.
func formatAddress(args []js.Value) (any, error) {
	var b []byte
	for i, what := range []string{"provider", "mailbox", "key"} {
		x, err := fixed32(arg(args, i), what)
		if err != nil {
			return nil, err
		}
		b = append(b, x[:]...)
	}
	return base58.Encode(b), nil
}

// fetchCaller posts JSON-RPC requests to url with the browser's fetch
// (net/http would add its weight to the page for the same call).
func fetchCaller(url string) light.Caller {
	return func(ctx context.Context, body []byte) ([]byte, error) {
		abort := js.Global().Get("AbortController").New()
		stop := context.AfterFunc(ctx, func() { abort.Call("abort") })
		defer stop()
		headers := js.Global().Get("Object").New()
		headers.Set("Content-Type", "application/json")
		opts := js.Global().Get("Object").New()
		opts.Set("method", "POST")
		opts.Set("headers", headers)
		opts.Set("body", string(body))
		opts.Set("signal", abort.Get("signal"))
		resp, err := await(js.Global().Call("fetch", url, opts))
		if err != nil {
			return nil, err
		}
		if !resp.Get("ok").Bool() {
			return nil, fmt.Errorf("HTTP %d %s", resp.Get("status").Int(), resp.Get("statusText").String())
		}
		buf, err := await(resp.Call("arrayBuffer"))
		if err != nil {
			return nil, err
		}
		u := js.Global().Get("Uint8Array").New(buf)
		out := make([]byte, u.Get("length").Int())
		js.CopyBytesToGo(out, u)
		return out, nil
	}
}

// await blocks the calling goroutine (never the event loop's) until the
// promise p settles.
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, a []js.Value) any {
		ch <- result{v: arg(a, 0)}
		return nil
	})
	defer then.Release()
	catch := js.FuncOf(func(_ js.Value, a []js.Value) any {
		msg := "rejected"
		if e := arg(a, 0); e.Type() == js.TypeObject && e.Get("message").Type() == js.TypeString {
			msg = e.Get("message").String()
		} else if e.Type() != js.TypeUndefined {
			msg = e.String()
		}
		ch <- result{err: errors.New(msg)}
		return nil
	})
	defer catch.Release()
	p.Call("then", then, catch)
	r := <-ch
	return r.v, r.err
}
