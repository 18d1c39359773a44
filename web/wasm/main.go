//go:build js && wasm

// Command wasm is the core of Murmur's browser client, compiled to
// WebAssembly: the same Go that the Go client runs for everything that
// must match byte for byte (Sphinx packets and reply blocks, end-to-end
// sealing and fragments, frames, Vault cheques, contact cards and
// conversations: messaging/card, messaging/session), exposed to JavaScript as
// the global object murmurCore. The page does the rest: the libp2p
// connection to its provider (js-libp2p), storage, and asking the wallet
// to sign (EIP-1193).
//
// Build: GOOS=js GOARCH=wasm go build -o murmur.wasm ./web/wasm, and load
// it with the wasm_exec.js of the same Go release (web/README.md).
//
// Every function takes and returns plain values: byte strings as
// Uint8Array, amounts and chain IDs as decimal strings, addresses as hex
// strings. A failure throws an Error whose message says why.
package main

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"syscall/js"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/node/client/envelope"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/sphinx"
)

// geometryHash names the geometry in every hop's key derivation.
var geometryHash = sphinx.DefaultGeometry().Hash()

func main() {
	core := map[string]any{
		"version":            "1",
		"payloadSize":        sphinx.DefaultGeometry().PayloadSize,
		"packetSize":         sphinx.DefaultGeometry().PacketSize(),
		"keyPair":            export(keyPair),
		"x25519Public":       export(x25519Public),
		"split":              export(split),
		"open":               export(open),
		"newReassembler":     export(newReassembler),
		"reassemble":         export(reassemble),
		"newPacket":          export(newPacket),
		"newPacketFromChain": export(newPacketFromChain),
		"hopSize":            hopSize,
		"geometryHash":       jsBytes(geometryHash[:]),
		"newSURB":            export(newSURB),
		"decryptReply":       export(decryptReply),
		"replyBody":          export(replyBody),
		"openEntry":          export(openEntry),
		"frame":              export(frame),
		"chequeDigest":       export(chequeDigest),
		"signCheque":         export(signCheque),
		"chequeSigner":       export(chequeSigner),
		"mailboxOf":          export(mailboxOf),
		"openNetwork":        exportAsync(openNetwork),
		"epochNow":           export(epochNow),
		"topology":           exportAsync(topology),
		"addDescriptors":     export(addDescriptors),
		"route":              exportAsync(route),
		"issuers":            exportAsync(issuers),
		"issuerKey":          exportAsync(issuerKey),
		"parseAddress":       export(parseAddress),
		"formatAddress":      export(formatAddress),
		"flagLoop":           envelope.FlagLoop,
		"coverRates":         export(coverRates),
		"newShaper":          export(newShaper),
		"shaperEnqueue":      export(shaperEnqueue),
		"shaperNext":         export(shaperNext),
		"shaperTick":         export(shaperTick),
		"shaperClose":        export(shaperClose),
		"loopPayload":        export(loopPayload),

		"cardSize":              card.EncodedSize,
		"openConversations":     exportAsync(openConversations),
		"closeConversations":    export(closeConversations),
		"conversationCard":      exportAsync(conversationCard),
		"signCard":              export(signCard),
		"signCardLocal":         export(signCardLocal),
		"verifyCard":            export(verifyCard),
		"startConversation":     exportAsync(startConversation),
		"sealMessage":           exportAsync(sealMessage),
		"openMessage":           exportAsync(openMessage),
		"isConversationMessage": export(isConversationMessage),
		"openDelivery":          exportAsync(openDelivery),
		"deliveryStart":         exportAsync(deliveryStart),
		"deliveryHasPeer":       exportAsync(deliveryHasPeer),
		"deliveryQueue":         exportAsync(deliveryQueue),
		"deliveryDue":           exportAsync(deliveryDue),
		"deliveryNextDue":       exportAsync(deliveryNextDue),
		"deliveryHandle":        exportAsync(deliveryHandle),
		"deliveryTake":          exportAsync(deliveryTake),
		"deliveryStatus":        exportAsync(deliveryStatus),
		"deliveryStats":         exportAsync(deliveryStats),
		"closeDelivery":         export(closeDelivery),
	}
	js.Global().Set("murmurCore", js.ValueOf(core))
	if ready := js.Global().Get("murmurCoreReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {}
}

// export wraps f so that JavaScript gets its result, or an Error thrown
// with its message.
func export(f func(args []js.Value) (any, error)) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) (out any) {
		defer func() {
			if r := recover(); r != nil {
				out = throw(fmt.Errorf("murmur core: %v", r))
			}
		}()
		v, err := f(args)
		if err != nil {
			return throw(err)
		}
		return v
	})
}

// throw returns a rejected value: syscall/js cannot throw, so the caller's
// wrapper (web/src/core.js) turns {error} into an exception.
func throw(err error) any { return map[string]any{"error": err.Error()} }

func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

// bytesOf copies a Uint8Array argument into Go.
func bytesOf(v js.Value, what string) ([]byte, error) {
	if v.Type() != js.TypeObject || !v.InstanceOf(js.Global().Get("Uint8Array")) {
		return nil, fmt.Errorf("%s: want a Uint8Array", what)
	}
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b, nil
}

func fixed32(v js.Value, what string) ([32]byte, error) {
	var out [32]byte
	b, err := bytesOf(v, what)
	if err != nil {
		return out, err
	}
	if len(b) != 32 {
		return out, fmt.Errorf("%s: %d bytes, want 32", what, len(b))
	}
	copy(out[:], b)
	return out, nil
}

// jsBytes copies b into a new Uint8Array.
func jsBytes(b []byte) js.Value {
	a := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

func keyPair([]js.Value) (any, error) {
	k, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return map[string]any{"private": jsBytes(k.Bytes()), "public": jsBytes(k.PublicKey().Bytes())}, nil
}

// x25519Public(private) → the public key of an X25519 private key.
func x25519Public(args []js.Value) (any, error) {
	k, err := privateKey(arg(args, 0))
	if err != nil {
		return nil, err
	}
	return jsBytes(k.PublicKey().Bytes()), nil
}

// split(recipientPublic, message, surb?) → [sealed fragment, ...]
func split(args []js.Value) (any, error) {
	rk, err := fixed32(arg(args, 0), "recipient key")
	if err != nil {
		return nil, err
	}
	recipient, err := ecdh.X25519().NewPublicKey(rk[:])
	if err != nil {
		return nil, fmt.Errorf("recipient key: %w", err)
	}
	msg, err := bytesOf(arg(args, 1), "message")
	if err != nil {
		return nil, err
	}
	var surb []byte
	if v := arg(args, 2); !v.IsNull() && !v.IsUndefined() {
		if surb, err = bytesOf(v, "reply block"); err != nil {
			return nil, err
		}
	}
	frags, err := envelope.Split(rand.Reader, recipient, sphinx.DefaultGeometry().PayloadSize, msg, surb)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(frags))
	for i, f := range frags {
		out[i] = jsBytes(f)
	}
	return out, nil
}

func privateKey(v js.Value) (*ecdh.PrivateKey, error) {
	b, err := fixed32(v, "private key")
	if err != nil {
		return nil, err
	}
	return ecdh.X25519().NewPrivateKey(b[:])
}

// open(private, sealed) → {flags, id, index, total, body}
func open(args []js.Value) (any, error) {
	priv, err := privateKey(arg(args, 0))
	if err != nil {
		return nil, err
	}
	sealed, err := bytesOf(arg(args, 1), "sealed fragment")
	if err != nil {
		return nil, err
	}
	f, err := envelope.Open(priv, sealed)
	if err != nil {
		return nil, err
	}
	return map[string]any{"flags": int(f.Flags), "id": jsBytes(f.ID[:]), "index": int(f.Index), "total": int(f.Total), "body": jsBytes(f.Body)}, nil
}

var (
	reasmMu sync.Mutex
	reasms  = map[int]*envelope.Reassembler{}
	nextID  = 1
)

func newReassembler([]js.Value) (any, error) {
	reasmMu.Lock()
	defer reasmMu.Unlock()
	id := nextID
	nextID++
	reasms[id] = envelope.NewReassembler(256, 10*time.Minute)
	return id, nil
}

// reassemble(handle, fragment) → {body, replySURB} when whole, else null
func reassemble(args []js.Value) (any, error) {
	reasmMu.Lock()
	r := reasms[arg(args, 0).Int()]
	reasmMu.Unlock()
	if r == nil {
		return nil, errors.New("unknown reassembler")
	}
	v := arg(args, 1)
	id, err := bytesOf(v.Get("id"), "fragment id")
	if err != nil || len(id) != 16 {
		return nil, errors.New("fragment id: want 16 bytes")
	}
	body, err := bytesOf(v.Get("body"), "fragment body")
	if err != nil {
		return nil, err
	}
	f := envelope.Fragment{Flags: byte(v.Get("flags").Int()), Index: uint16(v.Get("index").Int()), Total: uint16(v.Get("total").Int()), Body: body}
	copy(f.ID[:], id)
	reasmMu.Lock()
	m, err := r.Add(f, time.Now())
	reasmMu.Unlock()
	if err != nil || m == nil {
		return nil, err
	}
	out := map[string]any{"body": jsBytes(m.Body), "replySURB": nil}
	if m.ReplySURB != nil {
		out["replySURB"] = jsBytes(m.ReplySURB)
	}
	return out, nil
}

// path reads a route: [{id, key, relay: {next, delay}} | {…, deliver: {mailbox}} | {…, surbReply: {mailbox, id}}]
func path(v js.Value) ([]sphinx.Hop, error) {
	if v.Type() != js.TypeObject || v.Get("length").Type() != js.TypeNumber {
		return nil, errors.New("route: want an array of hops")
	}
	hops := make([]sphinx.Hop, v.Get("length").Int())
	for i := range hops {
		h := v.Index(i)
		id, err := fixed32(h.Get("id"), fmt.Sprintf("hop %d id", i))
		if err != nil {
			return nil, err
		}
		key, err := fixed32(h.Get("key"), fmt.Sprintf("hop %d key", i))
		if err != nil {
			return nil, err
		}
		hops[i] = sphinx.Hop{ID: id, PublicKey: key}
		switch {
		case h.Get("relay").Truthy():
			next, err := fixed32(h.Get("relay").Get("next"), fmt.Sprintf("hop %d next", i))
			if err != nil {
				return nil, err
			}
			hops[i].Command = sphinx.Relay{Next: next, Delay: uint32(h.Get("relay").Get("delay").Int())}
		case h.Get("deliver").Truthy():
			mb, err := fixed32(h.Get("deliver").Get("mailbox"), fmt.Sprintf("hop %d mailbox", i))
			if err != nil {
				return nil, err
			}
			hops[i].Command = sphinx.Deliver{Mailbox: mb}
		case h.Get("surbReply").Truthy():
			mb, err := fixed32(h.Get("surbReply").Get("mailbox"), fmt.Sprintf("hop %d mailbox", i))
			if err != nil {
				return nil, err
			}
			hops[i].Command = sphinx.SURBReply{Mailbox: mb}
		case h.Get("drop").Truthy():
			hops[i].Command = sphinx.Drop{}
		default:
			return nil, fmt.Errorf("hop %d: no command (relay, deliver, surbReply or drop)", i)
		}
	}
	return hops, nil
}

// newPacket(route, payload) → packet
func newPacket(args []js.Value) (any, error) {
	hops, err := path(arg(args, 0))
	if err != nil {
		return nil, err
	}
	payload, err := bytesOf(arg(args, 1), "payload")
	if err != nil {
		return nil, err
	}
	pkt, err := sphinx.NewPacket(rand.Reader, sphinx.DefaultGeometry(), hops, payload)
	if err != nil {
		return nil, err
	}
	return jsBytes(pkt), nil
}

// newPacketFromChain(input, n) → packet: newPacket for a sender that ran
// the key chain itself (src/keychain.js). input holds, for a route of n
// hops, the route encoded (src/packet.js: hopSize bytes a hop, its id, its
// key and its command zero-padded), then the chain (α_i ‖ s_i, 64 bytes a
// hop), then the payload. One buffer, not objects: each value read across
// syscall/js costs microseconds, a route's objects more than the packet.
func newPacketFromChain(args []js.Value) (any, error) {
	in, err := bytesOf(arg(args, 0), "input")
	if err != nil {
		return nil, err
	}
	defer clear(in)
	nv := arg(args, 1)
	if nv.Type() != js.TypeNumber {
		return nil, errors.New("hops: want the number of hops")
	}
	n := nv.Int()
	if n < 1 || n > sphinx.MaxHops || len(in) < n*(hopSize+64) {
		return nil, fmt.Errorf("input: %d bytes for %d hops, want %d a hop and the payload", len(in), n, hopSize+64)
	}
	hops := make([]sphinx.Hop, n)
	for i := range hops {
		b := in[i*hopSize : (i+1)*hopSize]
		c, err := sphinx.DecodeCommand(b[64:])
		if err != nil {
			return nil, fmt.Errorf("hop %d: %w", i, err)
		}
		hops[i] = sphinx.Hop{ID: sphinx.NodeID(b[:32]), PublicKey: sphinx.PublicKey(b[32:64]), Command: c}
	}
	cb := in[n*hopSize : n*(hopSize+64)]
	chain := make([]sphinx.HopSecret, n)
	for i := range chain {
		chain[i].Alpha = [32]byte(cb[64*i:])
		chain[i].Secret = [32]byte(cb[64*i+32:])
	}
	pkt, err := sphinx.NewPacketFromSecrets(rand.Reader, sphinx.DefaultGeometry(), hops, chain, in[n*(hopSize+64):])
	clear(chain)
	if err != nil {
		return nil, err
	}
	return jsBytes(pkt), nil
}

// hopSize is the size of an encoded hop: id, key, and room for the largest
// command (the smallest routing slot less its MAC).
const hopSize = 32 + 32 + sphinx.MinRoutingInfoSize - sphinx.MACSize

// newSURB(route, epoch) → {surb, keys, id}: the reply block as the Go
// client sends it (its bytes, then the epoch whose keys its header is
// wrapped for, 8 bytes big-endian), the keys that decrypt the reply, and
// its id. The last hop's surbReply names the mailbox; the id is drawn here.
func newSURB(args []js.Value) (any, error) {
	hops, err := path(arg(args, 0))
	if err != nil {
		return nil, err
	}
	epoch, err := epochOf(arg(args, 1))
	if err != nil {
		return nil, err
	}
	last := &hops[len(hops)-1]
	r, ok := last.Command.(sphinx.SURBReply)
	if !ok {
		return nil, errors.New("route: a reply block's last hop must be surbReply")
	}
	if _, err := rand.Read(r.ID[:]); err != nil {
		return nil, err
	}
	last.Command = r
	s, keys, err := sphinx.NewSURB(rand.Reader, sphinx.DefaultGeometry(), hops)
	if err != nil {
		return nil, err
	}
	sb, err := s.MarshalBinary()
	if err != nil {
		return nil, err
	}
	kb, err := keys.MarshalBinary()
	if err != nil {
		return nil, err
	}
	id := keys.ID()
	return map[string]any{"surb": jsBytes(binary.BigEndian.AppendUint64(sb, epoch)), "keys": jsBytes(kb), "id": jsBytes(id[:])}, nil
}

// decryptReply(keys, payload) → body
func decryptReply(args []js.Value) (any, error) {
	kb, err := bytesOf(arg(args, 0), "reply keys")
	if err != nil {
		return nil, err
	}
	var keys sphinx.SURBKeys
	if err := keys.UnmarshalBinary(kb); err != nil {
		return nil, err
	}
	payload, err := bytesOf(arg(args, 1), "reply payload")
	if err != nil {
		return nil, err
	}
	body, err := keys.Decrypt(payload)
	if err != nil {
		return nil, err
	}
	return jsBytes(body), nil
}

// replyBody(surb, payload) → the body of a Forward request to the
// provider (first hop ‖ epoch ‖ packet) answering through the reply block
// a message carried (as newSURB and the Go client write it).
func replyBody(args []js.Value) (any, error) {
	b, err := bytesOf(arg(args, 0), "reply block")
	if err != nil {
		return nil, err
	}
	if len(b) < 8 {
		return nil, errors.New("reply block: too short")
	}
	e := binary.BigEndian.Uint64(b[len(b)-8:])
	var s sphinx.SURB
	if err := s.UnmarshalBinary(b[:len(b)-8]); err != nil {
		return nil, fmt.Errorf("reply block: %w", err)
	}
	payload, err := bytesOf(arg(args, 1), "payload")
	if err != nil {
		return nil, err
	}
	first, pkt, err := sphinx.NewPacketFromSURB(&s, payload)
	if err != nil {
		return nil, err
	}
	return jsBytes(append(append([]byte{}, first[:]...), frameOf(e, pkt)...)), nil
}

// openEntry(private, entry) → {kind: "fragment", fragment} for a message
// fragment sealed for private, or {kind: "reply", id, payload} for an
// answer through one of our reply blocks (decrypt it with its keys).
func openEntry(args []js.Value) (any, error) {
	entry, err := bytesOf(arg(args, 1), "mailbox entry")
	if err != nil {
		return nil, err
	}
	if len(entry) < 1 {
		return nil, envelope.ErrBadFragment
	}
	switch entry[0] {
	case wire.EntryDeliver:
		f, err := open([]js.Value{arg(args, 0), jsBytes(entry[1:])})
		if err != nil {
			return nil, err
		}
		return map[string]any{"kind": "fragment", "fragment": f}, nil
	case wire.EntrySURBReply:
		if len(entry) < 1+16 {
			return nil, envelope.ErrBadFragment
		}
		return map[string]any{"kind": "reply", "id": jsBytes(entry[1:17]), "payload": jsBytes(entry[17:])}, nil
	}
	return nil, fmt.Errorf("unknown mailbox entry kind %d", entry[0])
}

func epochOf(v js.Value) (uint64, error) {
	if v.Type() != js.TypeNumber || v.Float() < 0 || v.Float() != float64(uint64(v.Float())) {
		return 0, errors.New("epoch: want a non-negative integer")
	}
	return uint64(v.Float()), nil
}

func frameOf(e uint64, pkt []byte) []byte {
	f := make([]byte, wire.EpochSize+len(pkt))
	wire.PutFrameEpoch(f, e)
	copy(f[wire.EpochSize:], pkt)
	return f
}

// frame(epoch, packet) → epoch ‖ packet, as providers take packets
func frame(args []js.Value) (any, error) {
	e, err := epochOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	pkt, err := bytesOf(arg(args, 1), "packet")
	if err != nil {
		return nil, err
	}
	return jsBytes(frameOf(e, pkt)), nil
}

// chequeOf reads (chainId, vault, payer, payee, cumulativeAmount).
func chequeOf(args []js.Value) (cheque.Domain, cheque.Cheque, error) {
	chainID, ok := new(big.Int).SetString(arg(args, 0).String(), 10)
	if !ok {
		return cheque.Domain{}, cheque.Cheque{}, errors.New("chain id: want a decimal string")
	}
	var addrs [3]common.Address
	for i, what := range []string{"vault", "payer", "payee"} {
		s := arg(args, 1+i).String()
		if !common.IsHexAddress(s) {
			return cheque.Domain{}, cheque.Cheque{}, fmt.Errorf("%s: %q is not an address", what, s)
		}
		addrs[i] = common.HexToAddress(s)
	}
	amount, ok := new(big.Int).SetString(arg(args, 4).String(), 10)
	if !ok {
		return cheque.Domain{}, cheque.Cheque{}, errors.New("cumulative amount: want a decimal string")
	}
	return cheque.NewDomain(chainID, addrs[0]), cheque.Cheque{Payer: addrs[1], Payee: addrs[2], CumulativeAmount: amount}, nil
}

// chequeDigest(chainId, vault, payer, payee, amount) → 0x digest, what the
// payer signs (eth_signTypedData_v4 signs the same).
func chequeDigest(args []js.Value) (any, error) {
	d, c, err := chequeOf(args)
	if err != nil {
		return nil, err
	}
	h, err := d.Digest(c)
	if err != nil {
		return nil, err
	}
	return h.Hex(), nil
}

// signCheque(chainId, vault, payer, payee, amount, privateKeyHex) → 0x
// signature (65 bytes, v 27/28): a local key, for tests and tools.
func signCheque(args []js.Value) (any, error) {
	d, c, err := chequeOf(args)
	if err != nil {
		return nil, err
	}
	key, err := crypto.HexToECDSA(trim0x(arg(args, 5).String()))
	if err != nil {
		return nil, errors.New("private key: want 32 bytes of hex")
	}
	s, err := d.Sign(c, key)
	if err != nil {
		return nil, err
	}
	return hexOf(s.Signature[:]), nil
}

// chequeSigner(chainId, vault, payer, payee, amount, signatureHex) → the
// address that signed, to check a wallet's answer before sending it.
func chequeSigner(args []js.Value) (any, error) {
	d, c, err := chequeOf(args)
	if err != nil {
		return nil, err
	}
	raw := common.FromHex(arg(args, 5).String())
	if len(raw) != 65 {
		return nil, errors.New("signature: want 65 bytes of hex")
	}
	var sig [65]byte
	copy(sig[:], raw)
	if err := d.Verify(cheque.Signed{Cheque: c, Signature: sig}); err != nil {
		return nil, err
	}
	return c.Payer.Hex(), nil
}

// mailboxOf(peerId) → the mailbox a provider keeps for the client of
// that libp2p peer ID (its binary multihash).
func mailboxOf(args []js.Value) (any, error) {
	id, err := bytesOf(arg(args, 0), "peer id")
	if err != nil {
		return nil, err
	}
	m := wire.MailboxOf(id)
	return jsBytes(m[:]), nil
}

func trim0x(s string) string {
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		return s[2:]
	}
	return s
}

func hexOf(b []byte) string { return "0x" + common.Bytes2Hex(b) }
