package web

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/node/client/envelope"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/sphinx"
)

// buildCore compiles web/wasm for js/wasm and returns the module's path
// and the wasm_exec.js of the same Go.
func buildCore(t *testing.T) (wasm, wasmExec string) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("node is needed to run the WebAssembly core (make deps installs the npm toolchain): ", err)
	}
	wasm = filepath.Join(t.TempDir(), "murmur.wasm")
	cmd := exec.Command("go", "build", "-o", wasm, "./wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the core: %v\n%s", err, out)
	}
	root, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	return wasm, filepath.Join(strings.TrimSpace(string(root)), "lib", "wasm", "wasm_exec.js")
}

// runJS runs web/test/interop.mjs in mode with in, and decodes its output into out.
func runJS(t *testing.T, wasm, wasmExec, mode string, in, out any) {
	t.Helper()
	runCoreScript(t, "test/interop.mjs", wasm, wasmExec, mode, in, out)
}

// runCoreScript runs a script of web/test that loads the core, in mode
// with in, and decodes its output into out.
func runCoreScript(t *testing.T, script, wasm, wasmExec, mode string, in, out any) {
	t.Helper()
	runNode(t, script, in, out, wasm, wasmExec, mode)
}

type hop struct {
	ID  string `json:"id"`
	Key string `json:"key"`
}

type jsCheque struct {
	ChainID   string `json:"chainId"`
	Vault     string `json:"vault"`
	Payer     string `json:"payer"`
	Payee     string `json:"payee"`
	Amount    string `json:"amount"`
	Key       string `json:"key,omitempty"`
	Signature string `json:"signature,omitempty"`
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestWasmInterop: the WebAssembly core and the Go packages read each
// other's bytes. The core (under Node.js) sends a message with a reply
// block through five Sphinx hops that Go relays unwrap and a Go recipient
// opens; the Go side answers through the reply block, and the core opens
// the answer. The core opens a message Go sealed for it, and refuses one
// sealed for another key. Cheques signed by the core verify in Go, and a
// cheque signed in Go is checked by the core (a forged one refused).
func TestWasmInterop(t *testing.T) {
	wasm, wasmExec := buildCore(t)
	g := sphinx.DefaultGeometry()
	keys := make([]*sphinx.PrivateKey, 5) // provider0, mix1, mix2, mix3, provider1
	ids := make([]sphinx.NodeID, 5)
	var relays []hop
	for i := range keys {
		k, err := sphinx.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = k
		rand.Read(ids[i][:])
		pub := k.Public()
		relays = append(relays, hop{ID: hex.EncodeToString(ids[i][:]), Key: hex.EncodeToString(pub[:])})
	}
	goKey, _ := ecdh.X25519().GenerateKey(rand.Reader)
	jsKey, _ := ecdh.X25519().GenerateKey(rand.Reader)
	var goMailbox, jsMailbox sphinx.MailboxID
	rand.Read(goMailbox[:])
	rand.Read(jsMailbox[:])
	const epoch = 7
	const message = "hello from the browser, through five hops"

	fromGo, err := envelope.Split(rand.Reader, jsKey.PublicKey(), g.PayloadSize, bytes.Repeat([]byte("hello from go "), 300), nil)
	if err != nil {
		t.Fatal(err)
	}
	var entries []string
	for _, f := range fromGo {
		entries = append(entries, hex.EncodeToString(append([]byte{wire.EntryDeliver}, f...)))
	}
	vault := common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")
	domain := cheque.NewDomain(big.NewInt(1337), vault)
	jsPayerKey, _ := crypto.GenerateKey()
	toPay := cheque.Cheque{Payer: crypto.PubkeyToAddress(jsPayerKey.PublicKey), Payee: common.Address{0xaa}, CumulativeAmount: big.NewInt(3_592_954_220)}
	goPayerKey, _ := crypto.GenerateKey()
	goSigned, err := domain.Sign(cheque.Cheque{Payer: crypto.PubkeyToAddress(goPayerKey.PublicKey), Payee: common.Address{0xbb}, CumulativeAmount: big.NewInt(42)}, goPayerKey)
	if err != nil {
		t.Fatal(err)
	}

	in := map[string]any{
		"relays": relays, "epoch": epoch, "message": message,
		"goKey": hex.EncodeToString(goKey.PublicKey().Bytes()), "goMailbox": hex.EncodeToString(goMailbox[:]),
		"jsPrivate": hex.EncodeToString(jsKey.Bytes()), "jsMailbox": hex.EncodeToString(jsMailbox[:]),
		"goEntries": entries,
		"cheque": jsCheque{ChainID: "1337", Vault: vault.Hex(), Payer: toPay.Payer.Hex(), Payee: toPay.Payee.Hex(), Amount: toPay.CumulativeAmount.String(),
			Key: hex.EncodeToString(crypto.FromECDSA(jsPayerKey))},
		"goCheque": jsCheque{ChainID: "1337", Vault: vault.Hex(), Payer: goSigned.Payer.Hex(), Payee: goSigned.Payee.Hex(), Amount: "42",
			Signature: "0x" + hex.EncodeToString(goSigned.Signature[:])},
	}
	var out struct {
		Frames               []string `json:"frames"`
		Keys                 string   `json:"keys"`
		SURBID               string   `json:"surbId"`
		GoMessage            *string  `json:"goMessage"`
		StrangerError        string   `json:"strangerError"`
		ChequeSignature      string   `json:"chequeSignature"`
		ChequeDigest         string   `json:"chequeDigest"`
		GoChequeSigner       string   `json:"goChequeSigner"`
		ForgedChequeError    string   `json:"forgedChequeError"`
		ForgedChequeAccepted bool     `json:"forgedChequeAccepted"`
		NewPacketMicros      float64  `json:"newPacketMicros"`
	}
	runJS(t, wasm, wasmExec, "send", in, &out)

	// Go relays unwrap the core's packets; the Go recipient opens them.
	proc, err := sphinx.NewProcessor(g)
	if err != nil {
		t.Fatal(err)
	}
	reasm := envelope.NewReassembler(8, time.Minute)
	var got *envelope.Message
	for _, fh := range out.Frames {
		f := unhex(t, fh)
		if len(f) != wire.EpochSize+g.PacketSize() || binary.BigEndian.Uint64(f[:wire.EpochSize]) != epoch {
			t.Fatalf("frame of %d bytes for epoch %d", len(f), binary.BigEndian.Uint64(f[:8]))
		}
		pkt := f[wire.EpochSize:]
		for i, k := range keys {
			res, err := proc.Unwrap(k, pkt)
			if err != nil {
				t.Fatalf("hop %d: %v", i, err)
			}
			switch cmd := res.Command.(type) {
			case sphinx.Relay:
				if i == 4 || cmd.Next != ids[i+1] {
					t.Fatalf("hop %d relays to %x", i, cmd.Next)
				}
				pkt = res.Packet
			case sphinx.Deliver:
				if i != 4 || cmd.Mailbox != goMailbox {
					t.Fatalf("hop %d delivers to %x", i, cmd.Mailbox)
				}
				frag, err := envelope.Open(goKey, res.Payload)
				if err != nil {
					t.Fatal(err)
				}
				if m, err := reasm.Add(frag, time.Now()); err != nil {
					t.Fatal(err)
				} else if m != nil {
					got = m
				}
			default:
				t.Fatalf("hop %d: command %T", i, cmd)
			}
		}
	}
	if got == nil || string(got.Body) != message || len(got.ReplySURB) < 8 {
		t.Fatalf("the Go recipient got %+v", got)
	}

	// The Go side answers through the reply block: mix1 → mix2 → mix3 → provider0.
	s := got.ReplySURB
	if e := binary.BigEndian.Uint64(s[len(s)-8:]); e != epoch {
		t.Fatalf("reply block for epoch %d", e)
	}
	var surb sphinx.SURB
	if err := surb.UnmarshalBinary(s[:len(s)-8]); err != nil {
		t.Fatal(err)
	}
	first, pkt, err := sphinx.NewPacketFromSURB(&surb, []byte("reply from go"))
	if err != nil {
		t.Fatal(err)
	}
	if first != ids[1] {
		t.Fatalf("reply goes first to %x, want mix1", first)
	}
	var replyPayload []byte
	for i, k := range []*sphinx.PrivateKey{keys[1], keys[2], keys[3], keys[0]} {
		res, err := proc.Unwrap(k, pkt)
		if err != nil {
			t.Fatalf("reply hop %d: %v", i, err)
		}
		if r, ok := res.Command.(sphinx.SURBReply); ok {
			if i != 3 || r.Mailbox != jsMailbox || hex.EncodeToString(r.ID[:]) != out.SURBID {
				t.Fatalf("reply hop %d stores in %x under %x", i, r.Mailbox, r.ID)
			}
			replyPayload = res.Payload
			break
		}
		pkt = res.Packet
	}
	var reply struct {
		Body string `json:"body"`
	}
	runJS(t, wasm, wasmExec, "reply", map[string]string{"keys": out.Keys, "payload": hex.EncodeToString(replyPayload)}, &reply)
	if reply.Body != "reply from go" {
		t.Fatalf("the core opened the reply as %q", reply.Body)
	}

	// The core opened Go's sealed message, and refused one not for it.
	if out.GoMessage == nil || *out.GoMessage != strings.Repeat("hello from go ", 300) {
		t.Fatalf("the core reassembled %v", out.GoMessage)
	}
	if !strings.Contains(out.StrangerError, "does not decrypt") {
		t.Fatalf("a fragment for another key: %q", out.StrangerError)
	}

	// Cheques, both ways.
	var sig [65]byte
	copy(sig[:], common.FromHex(out.ChequeSignature))
	if err := domain.Verify(cheque.Signed{Cheque: toPay, Signature: sig}); err != nil {
		t.Fatalf("the core's cheque: %v", err)
	}
	if d, _ := domain.Digest(toPay); d.Hex() != out.ChequeDigest {
		t.Fatalf("cheque digest: core %s, Go %s", out.ChequeDigest, d.Hex())
	}
	if out.GoChequeSigner != goSigned.Payer.Hex() {
		t.Fatalf("the core read Go's cheque as signed by %s", out.GoChequeSigner)
	}
	if out.ForgedChequeAccepted || !strings.Contains(out.ForgedChequeError, "invalid signature") {
		t.Fatalf("a cheque for another amount: accepted %v, %q", out.ForgedChequeAccepted, out.ForgedChequeError)
	}

	// Packet creation, core under Node.js against Go, same route (figures only).
	path := []sphinx.Hop{}
	for i := range 5 {
		h := sphinx.Hop{ID: ids[i], PublicKey: keys[i].Public(), Command: sphinx.Relay{Next: ids[min(i+1, 4)]}}
		if i == 4 {
			h.Command = sphinx.Deliver{Mailbox: goMailbox}
		}
		path = append(path, h)
	}
	payload := make([]byte, g.PayloadSize)
	const n = 200
	start := time.Now()
	for range n {
		if _, err := sphinx.NewPacket(rand.Reader, g, path, payload); err != nil {
			t.Fatal(err)
		}
	}
	goMicros := float64(time.Since(start).Microseconds()) / n
	t.Logf("NewPacket: %.0f µs in WebAssembly under Node.js, %.0f µs in Go (%.1f×)", out.NewPacketMicros, goMicros, out.NewPacketMicros/goMicros)
}
