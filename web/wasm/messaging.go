//go:build js && wasm

package main

// Conversations in the page, with the Go client's formats: contact cards
// (messaging/card), PQXDH handshakes and Double Ratchet messages kept by
// messaging/session, whose records the page keeps (src/conversations.js:
// IndexedDB) and hands in as an object with all() and write(entries).

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"syscall/js"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/messaging/delivery"
	"github.com/murmurnet/murmur/messaging/session"
)

// registry hands out the numbers JavaScript names a store or an engine
// by.
type registry[T any] struct {
	what, opener string
	mu           sync.Mutex
	items        map[int]T
	next         int
}

func (r *registry[T]) add(x T) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.items == nil {
		r.items, r.next = map[int]T{}, 1
	}
	h := r.next
	r.next++
	r.items[h] = x
	return h
}

func (r *registry[T]) get(v js.Value) (T, error) {
	var zero T
	if v.Type() != js.TypeNumber {
		return zero, fmt.Errorf("%s: want the handle %s gave", r.what, r.opener)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	x, ok := r.items[v.Int()]
	if !ok {
		return zero, fmt.Errorf("%s: unknown handle (closed?)", r.what)
	}
	return x, nil
}

// remove forgets handle v and returns what it named.
func (r *registry[T]) remove(v js.Value) (T, error) {
	x, err := r.get(v)
	if err == nil {
		r.mu.Lock()
		delete(r.items, v.Int())
		r.mu.Unlock()
	}
	return x, err
}

var (
	convStores = registry[*session.Store]{what: "conversations", opener: "openConversations"}
	engines    = registry[*delivery.Engine]{what: "delivery", opener: "openDelivery"}
)

// recordsOf reads the page's records argument (jsRecords).
func recordsOf(v js.Value) (jsRecords, error) {
	if v.Type() != js.TypeObject || v.Get("all").Type() != js.TypeFunction || v.Get("write").Type() != js.TypeFunction {
		return jsRecords{}, errors.New("records: want an object with all() and write(entries)")
	}
	return jsRecords{v}, nil
}

// jsRecords are a store's records as the page keeps them: all() resolves
// to [[name (hex), Uint8Array], …], write(entries) to nothing once the
// entries are durably kept, all of them or none (an entry whose value is
// null deletes its record).
type jsRecords struct{ obj js.Value }

func (r jsRecords) All() (map[string][]byte, error) {
	v, err := await(r.obj.Call("all"))
	if err != nil {
		return nil, err
	}
	if v.Type() != js.TypeObject || v.Get("length").Type() != js.TypeNumber {
		return nil, errors.New("records: all() must give an array of [name, bytes]")
	}
	out := make(map[string][]byte, v.Length())
	for i := range v.Length() {
		e := v.Index(i)
		name, err := hex.DecodeString(e.Index(0).String())
		if err != nil {
			return nil, fmt.Errorf("records: a name that is not hex: %w", err)
		}
		b, err := bytesOf(e.Index(1), "record "+e.Index(0).String())
		if err != nil {
			return nil, err
		}
		out[string(name)] = b
	}
	return out, nil
}

func (r jsRecords) Write(records map[string][]byte) error {
	entries := make([]any, 0, len(records))
	for k, v := range records {
		var val any // null deletes
		if v != nil {
			val = jsBytes(v)
		}
		entries = append(entries, []any{hex.EncodeToString([]byte(k)), val})
	}
	_, err := await(r.obj.Call("write", js.ValueOf(entries)))
	return err
}

func (r jsRecords) Close() error {
	if c := r.obj.Get("close"); c.Type() == js.TypeFunction {
		r.obj.Call("close")
	}
	return nil
}

// openConversations(records) → Promise<handle>: the page's conversations,
// their keys made on first use.
func openConversations(_ context.Context, args []js.Value) (any, error) {
	r, err := recordsOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	s, err := session.New(r)
	if err != nil {
		return nil, err
	}
	return convStores.add(s), nil
}

func conversationsOf(v js.Value) (*session.Store, error) { return convStores.get(v) }

// closeConversations(handle)
func closeConversations(args []js.Value) (any, error) {
	s, err := convStores.remove(arg(args, 0))
	if err != nil {
		return nil, err
	}
	return nil, s.Close()
}

func chainIDOf(v js.Value) (uint64, error) {
	if v.Type() != js.TypeString {
		return 0, errors.New("chain id: want a decimal string")
	}
	id, err := strconv.ParseUint(v.String(), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("chain id: %q is not a chain id", v.String())
	}
	return id, nil
}

func secondsOf(v js.Value, what string) (time.Time, error) {
	if v.Type() != js.TypeNumber || v.Float() < 0 || v.Float() != float64(int64(v.Float())) {
		return time.Time{}, fmt.Errorf("%s: want whole seconds since 1970", what)
	}
	return time.Unix(int64(v.Float()), 0), nil
}

// conversationCard(handle, {chainId, account, provider, mailbox, sealKey,
// issued, expires}) → {typedData, digest, card}: the store's contact card
// for its account to sign (typedData is the JSON for
// eth_signTypedData_v4, digest what it signs), encoded with no signature
// yet (signCard completes it).
func conversationCard(_ context.Context, args []js.Value) (any, error) {
	s, err := conversationsOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	o := arg(args, 1)
	if o.Type() != js.TypeObject {
		return nil, errors.New("card: want {chainId, account, provider, mailbox, sealKey, issued, expires}")
	}
	var addr [3][32]byte
	for i, f := range []string{"provider", "mailbox", "sealKey"} {
		if addr[i], err = fixed32(o.Get(f), f); err != nil {
			return nil, err
		}
	}
	c := s.Card(addr[0], addr[1], addr[2])
	if c.ChainID, err = chainIDOf(o.Get("chainId")); err != nil {
		return nil, err
	}
	if a := o.Get("account"); a.Type() != js.TypeString || !common.IsHexAddress(a.String()) {
		return nil, errors.New("account: want an address")
	}
	c.Account = common.HexToAddress(o.Get("account").String())
	if c.Issued, err = secondsOf(o.Get("issued"), "issued"); err != nil {
		return nil, err
	}
	if c.Expires, err = secondsOf(o.Get("expires"), "expires"); err != nil {
		return nil, err
	}
	if !c.Expires.After(c.Issued) {
		return nil, errors.New("card: it would expire before it is issued")
	}
	td, err := c.TypedDataJSON()
	if err != nil {
		return nil, err
	}
	d, err := c.Digest()
	if err != nil {
		return nil, err
	}
	b, err := (&card.Signed{Card: c}).MarshalBinary()
	if err != nil {
		return nil, err
	}
	return map[string]any{"typedData": string(td), "digest": d.Hex(), "card": jsBytes(b)}, nil
}

// decodeCard reads an encoded card argument.
func decodeCard(v js.Value) (*card.Signed, error) {
	b, err := bytesOf(v, "card")
	if err != nil {
		return nil, err
	}
	var s card.Signed
	if err := s.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return &s, nil
}

// signCard(card, signatureHex) → the card signed: the wallet's signature
// over its digest (65 bytes, v 27/28), checked before it is kept.
func signCard(args []js.Value) (any, error) {
	s, err := decodeCard(arg(args, 0))
	if err != nil {
		return nil, err
	}
	sig := common.FromHex(arg(args, 1).String())
	if len(sig) != 65 {
		return nil, errors.New("signature: want 65 bytes of hex")
	}
	copy(s.Signature[:], sig)
	if err := s.Verify(s.ChainID, s.Issued); err != nil {
		return nil, err
	}
	b, err := s.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return jsBytes(b), nil
}

// signCardLocal(card, privateKeyHex) → signature hex: a local key signs
// the card's digest (tests, tools; a page asks its wallet).
func signCardLocal(args []js.Value) (any, error) {
	s, err := decodeCard(arg(args, 0))
	if err != nil {
		return nil, err
	}
	key, err := crypto.HexToECDSA(trim0x(arg(args, 1).String()))
	if err != nil {
		return nil, errors.New("private key: want 32 bytes of hex")
	}
	signed, err := card.Sign(s.Card, key)
	if err != nil {
		return nil, err
	}
	return hexOf(signed.Signature[:]), nil
}

// verifyCard(card, chainId) → {account, provider, mailbox, sealKey,
// issued, expires}: a card checked for this chain and now (its signature,
// its validity, its keys), or an Error saying why not.
func verifyCard(args []js.Value) (any, error) {
	s, err := decodeCard(arg(args, 0))
	if err != nil {
		return nil, err
	}
	chain, err := chainIDOf(arg(args, 1))
	if err != nil {
		return nil, err
	}
	if err := s.Verify(chain, time.Now()); err != nil {
		return nil, err
	}
	return map[string]any{
		"account": s.Account.Hex(), "provider": jsBytes(s.Provider[:]), "mailbox": jsBytes(s.Mailbox[:]),
		"sealKey": jsBytes(s.SealKey[:]), "issued": float64(s.Issued.Unix()), "expires": float64(s.Expires.Unix()),
	}, nil
}

// startConversation(handle, card, chainId) → Promise<id>: a conversation
// with the card's owner, the card verified first.
func startConversation(_ context.Context, args []js.Value) (any, error) {
	st, err := conversationsOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	s, err := decodeCard(arg(args, 1))
	if err != nil {
		return nil, err
	}
	chain, err := chainIDOf(arg(args, 2))
	if err != nil {
		return nil, err
	}
	if err := s.Verify(chain, time.Now()); err != nil {
		return nil, err
	}
	id, err := st.Start(&s.Card)
	if err != nil {
		return nil, err
	}
	return jsBytes(id[:]), nil
}

// sealMessage(handle, id, plaintext) → Promise<message>: the next message
// of conversation id, its state kept before it is given.
func sealMessage(_ context.Context, args []js.Value) (any, error) {
	st, err := conversationsOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	idb, err := bytesOf(arg(args, 1), "conversation id")
	if err != nil {
		return nil, err
	}
	if len(idb) != len(session.ID{}) {
		return nil, fmt.Errorf("conversation id: %d bytes, want %d", len(idb), len(session.ID{}))
	}
	pt, err := bytesOf(arg(args, 2), "plaintext")
	if err != nil {
		return nil, err
	}
	m, err := st.Seal(session.ID(idb), pt)
	if err != nil {
		return nil, err
	}
	return jsBytes(m), nil
}

// openMessage(handle, message) → Promise<{id, peer, plaintext}>: a message
// of one of our conversations (or the first of a new one), its state kept
// first; a refused message changes nothing kept.
func openMessage(_ context.Context, args []js.Value) (any, error) {
	st, err := conversationsOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	m, err := bytesOf(arg(args, 1), "message")
	if err != nil {
		return nil, err
	}
	id, peer, pt, err := st.Open(m)
	if err != nil {
		return nil, err
	}
	return map[string]any{"id": jsBytes(id[:]), "peer": jsBytes(peer[:]), "plaintext": jsBytes(pt)}, nil
}

// isConversationMessage(bytes) → whether bytes are of a conversation
// message's kind (they may still fail to open).
func isConversationMessage(args []js.Value) (any, error) {
	b, err := bytesOf(arg(args, 0), "message")
	if err != nil {
		return nil, err
	}
	return session.IsMessage(b), nil
}

// Every function that takes a store's or an engine's lock returns a
// Promise: a synchronous call from JavaScript that waited for a lock held
// by a goroutine waiting for JavaScript (an IndexedDB write) would never
// return.

// openDelivery(records, conversations, card, chainId) → Promise<handle>:
// exactly-once conversations (messaging/delivery) over the conversations
// store of handle conversations, as the owner of card (signed, this
// store's), their state in records (as openConversations takes them).
func openDelivery(_ context.Context, args []js.Value) (any, error) {
	r, err := recordsOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	st, err := conversationsOf(arg(args, 1))
	if err != nil {
		return nil, err
	}
	own, err := decodeCard(arg(args, 2))
	if err != nil {
		return nil, err
	}
	chain, err := chainIDOf(arg(args, 3))
	if err != nil {
		return nil, err
	}
	e, err := delivery.New(delivery.Options{Records: r, Sessions: st, Card: own, ChainID: chain})
	if err != nil {
		return nil, err
	}
	return engines.add(e), nil
}

func engineOf(v js.Value) (*delivery.Engine, error) { return engines.get(v) }

func accountOf(v js.Value) (common.Address, error) {
	if v.Type() != js.TypeString || !common.IsHexAddress(v.String()) {
		return common.Address{}, errors.New("account: want an address")
	}
	return common.HexToAddress(v.String()), nil
}

// deliveryStart(handle, card) → Promise: a conversation with the card's
// owner (verified), unless there is one.
func deliveryStart(_ context.Context, args []js.Value) (any, error) {
	e, err := engineOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	c, err := decodeCard(arg(args, 1))
	if err != nil {
		return nil, err
	}
	return nil, e.Start(c, time.Now())
}

// deliveryHasPeer(handle, account) → whether a conversation to send on
// with account exists.
func deliveryHasPeer(_ context.Context, args []js.Value) (any, error) {
	e, err := engineOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	a, err := accountOf(arg(args, 1))
	if err != nil {
		return nil, err
	}
	return e.HasPeer(a), nil
}

// deliveryQueue(handle, account, body) → Promise<seq>: body queued for
// account, stored first.
func deliveryQueue(_ context.Context, args []js.Value) (any, error) {
	e, err := engineOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	a, err := accountOf(arg(args, 1))
	if err != nil {
		return nil, err
	}
	body, err := bytesOf(arg(args, 2), "body")
	if err != nil {
		return nil, err
	}
	id, err := e.Queue(a, body, time.Now())
	if err != nil {
		return nil, err
	}
	return float64(id.Seq), nil
}

// deliveryDue(handle) → Promise<[{provider, mailbox, key, ciphertext}]>:
// the messages due now, sealed, for the page to send with a reply block
// to the address each names.
func deliveryDue(_ context.Context, args []js.Value) (any, error) {
	e, err := engineOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	send, err := e.Due(time.Now())
	out := make([]any, len(send))
	for i, o := range send {
		out[i] = map[string]any{"provider": jsBytes(o.To.Provider[:]), "mailbox": jsBytes(o.To.Mailbox[:]),
			"key": jsBytes(o.To.SealKey[:]), "ciphertext": jsBytes(o.Ciphertext)}
	}
	if err != nil && len(send) == 0 {
		return nil, err
	}
	return out, nil
}

// deliveryNextDue(handle) → milliseconds since 1970 when a message is next
// due, or null.
func deliveryNextDue(_ context.Context, args []js.Value) (any, error) {
	e, err := engineOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	at, ok := e.NextDue()
	if !ok {
		return nil, nil
	}
	return float64(at.UnixMilli()), nil
}

// deliveryHandle(handle, body) → Promise<{conversation, released, ack,
// provider, mailbox, key}>: a message that arrived (or an answer through
// a reply block); conversation is false for a body that is no
// conversation's (the page's own to read). ack, if set, goes back through
// the message's reply block.
func deliveryHandle(_ context.Context, args []js.Value) (any, error) {
	e, err := engineOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	body, err := bytesOf(arg(args, 1), "body")
	if err != nil {
		return nil, err
	}
	h, err := e.Handle(body, time.Now())
	if errors.Is(err, delivery.ErrNotConversation) {
		return map[string]any{"conversation": false}, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]any{"conversation": true, "released": h.Released, "ack": nil}
	if h.Ack != nil {
		out["ack"] = jsBytes(h.Ack)
		out["provider"], out["mailbox"], out["key"] = jsBytes(h.To.Provider[:]), jsBytes(h.To.Mailbox[:]), jsBytes(h.To.SealKey[:])
	}
	return out, nil
}

// deliveryTake(handle) → Promise<{from, body} | null>: the next message
// released, once: gone from the records before it is given.
func deliveryTake(_ context.Context, args []js.Value) (any, error) {
	e, err := engineOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	m, ok, err := e.Take()
	if err != nil || !ok {
		return nil, err
	}
	return map[string]any{"from": m.From.Hex(), "body": jsBytes(m.Body)}, nil
}

// deliveryStatus(handle, account, seq) → "unknown" | "sent" | "delivered"
// | "failed".
func deliveryStatus(_ context.Context, args []js.Value) (any, error) {
	e, err := engineOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	a, err := accountOf(arg(args, 1))
	if err != nil {
		return nil, err
	}
	if arg(args, 2).Type() != js.TypeNumber {
		return nil, errors.New("seq: want a number")
	}
	return e.Status(delivery.MessageID{Peer: a, Seq: uint64(arg(args, 2).Float())}).String(), nil
}

// deliveryStats(handle) → the engine's counts.
func deliveryStats(_ context.Context, args []js.Value) (any, error) {
	e, err := engineOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	s := e.Stats()
	return map[string]any{"received": float64(s.Received), "duplicates": float64(s.Duplicates), "acks": float64(s.Acks),
		"duplicateAcks": float64(s.DuplicateAcks), "unknownSession": float64(s.UnknownSession), "badMessage": float64(s.BadMessage),
		"unbound": float64(s.Unbound), "expired": float64(s.Expired)}, nil
}

// closeDelivery(handle)
func closeDelivery(args []js.Value) (any, error) {
	e, err := engines.remove(arg(args, 0))
	if err != nil {
		return nil, err
	}
	return nil, e.Close()
}
