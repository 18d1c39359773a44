package light

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

// ErrNoContract means there is no code at a configured contract address:
// the wrong chain, or a deployment that has not happened.
var ErrNoContract = errors.New("chain: no contract code at address")

// Caller makes one JSON-RPC exchange: it posts request (a JSON-RPC 2.0
// request object) to the endpoint and returns the response's body.
type Caller func(ctx context.Context, request []byte) (response []byte, err error)

// RPCError is an error object a JSON-RPC endpoint answered with.
type RPCError struct {
	Method  string
	Code    int
	Message string
}

func (e *RPCError) Error() string {
	return fmt.Sprintf("rpc %s: %s (code %d)", e.Method, e.Message, e.Code)
}

// Reader reads one deployment through a [Caller]. It provides what
// pki.EpochsFrom and pki.NewSnapshots read, and is safe for concurrent use.
type Reader struct {
	call Caller
	net  Network
	id   atomic.Uint64
}

// Open checks that the endpoint behind call serves the chain of network
// file n and has code at its three contracts, and returns a reader of it.
func Open(ctx context.Context, call Caller, n Network) (*Reader, error) {
	if err := n.Check(); err != nil {
		return nil, err
	}
	r := &Reader{call: call, net: n}
	var id hexutil.Big
	if err := r.rpc(ctx, "eth_chainId", &id); err != nil {
		return nil, fmt.Errorf("chain: chain id: %w", err)
	}
	if got := (*big.Int)(&id); !got.IsUint64() || got.Uint64() != n.ChainID {
		return nil, fmt.Errorf("%w: the network file is for chain %d, the RPC endpoint serves chain %s", ErrNetworkFile, n.ChainID, got)
	}
	for _, a := range []common.Address{n.Contracts.Registry, n.Contracts.Vault, n.Contracts.Tickets} {
		var code hexutil.Bytes
		if err := r.rpc(ctx, "eth_getCode", &code, a, "latest"); err != nil {
			return nil, fmt.Errorf("chain: reading code at %s: %w", a, err)
		}
		if len(code) == 0 {
			return nil, fmt.Errorf("%w %s", ErrNoContract, a)
		}
	}
	return r, nil
}

// Network returns the network file the reader was opened with.
func (r *Reader) Network() Network { return r.net }

// HeaderByNumber returns a block's header, the head's for a nil number.
func (r *Reader) HeaderByNumber(ctx context.Context, number *big.Int) (Header, error) {
	var b *struct {
		Number    hexutil.Uint64 `json:"number"`
		Timestamp hexutil.Uint64 `json:"timestamp"`
		Hash      common.Hash    `json:"hash"`
	}
	if err := r.rpc(ctx, "eth_getBlockByNumber", &b, blockTag(number), false); err != nil {
		return Header{}, err
	}
	if b == nil {
		return Header{}, fmt.Errorf("chain: block %s not found", blockTag(number))
	}
	return Header{Number: uint64(b.Number), Time: uint64(b.Timestamp), Hash: b.Hash}, nil
}

// LastBlockBefore returns the header of the last block whose timestamp is
// before t (see the package function [LastBlockBefore]).
func (r *Reader) LastBlockBefore(ctx context.Context, t time.Time) (Header, error) {
	return LastBlockBefore(ctx, r.HeaderByNumber, t)
}

// EpochClock returns the registry's genesis time and epoch length.
func (r *Reader) EpochClock(ctx context.Context) (genesis time.Time, length time.Duration, err error) {
	g, err := r.uintCall(ctx, "genesis()")
	if err != nil {
		return time.Time{}, 0, err
	}
	l, err := r.uintCall(ctx, "epochLength()")
	if err != nil {
		return time.Time{}, 0, err
	}
	return time.Unix(int64(g), 0), time.Duration(l) * time.Second, nil
}

// activePage is how many entries one activeRelays call returns (as
// package chain reads them).
const activePage = 100

// ActiveRelaysAt returns the registry's whole active set as of block
// number, read in pages, all at that block.
func (r *Reader) ActiveRelaysAt(ctx context.Context, number *big.Int) ([]Relay, error) {
	var out []Relay
	for offset := uint64(0); ; offset += activePage {
		data := selector("activeRelays(uint256,uint256)")
		data = append(data, word(offset)...)
		data = append(data, word(activePage)...)
		ret, err := r.ethCall(ctx, r.net.Contracts.Registry, data, number)
		if err != nil {
			return nil, fmt.Errorf("chain: active relays at block %s: %w", blockTag(number), err)
		}
		page, err := DecodeRelayViews(ret)
		if err != nil {
			return nil, fmt.Errorf("chain: active relays at block %s: %w", blockTag(number), err)
		}
		out = append(out, page...)
		if len(page) < activePage {
			return out, nil
		}
	}
}

// uintCall calls a registry view without arguments that returns one
// integer that fits 64 bits.
func (r *Reader) uintCall(ctx context.Context, sig string) (uint64, error) {
	ret, err := r.ethCall(ctx, r.net.Contracts.Registry, selector(sig), nil)
	if err != nil {
		return 0, fmt.Errorf("chain: registry %s: %w", sig, err)
	}
	d := abiData(ret)
	v, err := d.uint(0, 64)
	if err != nil {
		return 0, fmt.Errorf("chain: registry %s: %w", sig, err)
	}
	return v, nil
}

func (r *Reader) ethCall(ctx context.Context, to common.Address, data []byte, number *big.Int) ([]byte, error) {
	var ret hexutil.Bytes
	call := map[string]any{"to": to, "data": hexutil.Bytes(data)}
	if err := r.rpc(ctx, "eth_call", &ret, call, blockTag(number)); err != nil {
		return nil, err
	}
	return ret, nil
}

// rpc makes one JSON-RPC request and decodes its result into result.
func (r *Reader) rpc(ctx context.Context, method string, result any, params ...any) error {
	if params == nil {
		params = []any{}
	}
	id := r.id.Add(1)
	req, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	if err != nil {
		return err
	}
	body, err := r.call(ctx, req)
	if err != nil {
		return fmt.Errorf("rpc %s: %w", method, err)
	}
	var resp struct {
		ID     json.RawMessage `json:"id"`
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return fmt.Errorf("rpc %s: the endpoint's answer is not JSON-RPC: %w", method, err)
	}
	if resp.Error != nil {
		return &RPCError{Method: method, Code: resp.Error.Code, Message: resp.Error.Message}
	}
	if string(resp.ID) != strconv.FormatUint(id, 10) {
		return fmt.Errorf("rpc %s: answer to request %s, want %d", method, resp.ID, id)
	}
	if len(resp.Result) == 0 {
		return fmt.Errorf("rpc %s: no result", method)
	}
	if err := json.Unmarshal(resp.Result, result); err != nil {
		return fmt.Errorf("rpc %s: result: %w", method, err)
	}
	return nil
}

// blockTag is a block number as JSON-RPC names it, "latest" for nil.
func blockTag(n *big.Int) string {
	if n == nil {
		return "latest"
	}
	return hexutil.EncodeBig(n)
}

// HeaderFunc reads a block header, the head's for a nil number.
type HeaderFunc func(ctx context.Context, number *big.Int) (Header, error)

// LastBlockBefore returns the header of the last block whose timestamp is
// before t, by binary search over block numbers. It is how every node
// picks the same block to read an epoch's state and seed from. It fails
// if the genesis block is not before t.
func LastBlockBefore(ctx context.Context, header HeaderFunc, t time.Time) (Header, error) {
	ts := uint64(t.Unix())
	head, err := header(ctx, nil)
	if err != nil {
		return Header{}, fmt.Errorf("chain: head: %w", err)
	}
	if head.Time < ts {
		return head, nil
	}
	first, err := header(ctx, new(big.Int))
	if err != nil {
		return Header{}, fmt.Errorf("chain: genesis: %w", err)
	}
	if first.Time >= ts {
		return Header{}, fmt.Errorf("chain: no block before %s", t.UTC().Format(time.RFC3339))
	}
	lo, hi := uint64(0), head.Number // invariant: block lo is before t (checked), block hi is not
	best := first
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		h, err := header(ctx, new(big.Int).SetUint64(mid))
		if err != nil {
			return Header{}, fmt.Errorf("chain: block %d: %w", mid, err)
		}
		if h.Time < ts {
			lo, best = mid, h
		} else {
			hi = mid
		}
	}
	return best, nil
}

// selector is the first four bytes of keccak256 of a function signature.
func selector(sig string) []byte { return crypto.Keccak256([]byte(sig))[:4] }

// IssuerKey returns issuer's ticket key of keyEpoch from the TicketIssuer
// contract, which every client reads alike: a key an issuer showed only
// to some clients would let it tell whose tickets it redeems.
func (r *Reader) IssuerKey(ctx context.Context, issuer common.Address, keyEpoch uint64) (IssuerKey, error) {
	data := selector("keyOf(address,uint64)")
	data = append(data, common.LeftPadBytes(issuer[:], 32)...)
	data = append(data, word(keyEpoch)...)
	ret, err := r.ethCall(ctx, r.net.Contracts.Tickets, data, nil)
	if err != nil {
		return IssuerKey{}, fmt.Errorf("chain: key %d of issuer %s: %w", keyEpoch, issuer, err)
	}
	k, err := DecodeIssuerKey(ret)
	if err != nil {
		return IssuerKey{}, fmt.Errorf("chain: key %d of issuer %s: %w", keyEpoch, issuer, err)
	}
	return k, nil
}
