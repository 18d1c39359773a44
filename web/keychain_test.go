package web

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/edwards25519"
	"golang.org/x/crypto/chacha20"

	"github.com/murmurnet/murmur/sphinx"
)

// storedVectors is the part of sphinx/testdata/vectors.json this test
// reads.
type storedVectors struct {
	Packets []struct {
		Name     string
		Geometry struct {
			Hops            int    `json:"hops"`
			PayloadSize     int    `json:"payload_size"`
			RoutingInfoSize int    `json:"routing_info_size"`
			Hash            string `json:"hash"`
		}
		RandSeed string `json:"rand_seed"`
		Path     []struct {
			ID         string `json:"id"`
			PrivateKey string `json:"private_key"`
			PublicKey  string `json:"public_key"`
			Command    string `json:"command"`
		}
		Payload string
		Packet  string
		Steps   []struct {
			Packet string
		}
	}
}

// vectorRand is the randomness a stored vector was made with: the ChaCha20
// keystream keyed with SHA-256 of its seed (the vectors file says so).
func vectorRand(seed string) *chacha20.Cipher {
	k := sha256.Sum256([]byte(seed))
	c, _ := chacha20.NewUnauthenticatedCipher(k[:], make([]byte, chacha20.NonceSize))
	return c
}

type streamReader struct{ c *chacha20.Cipher }

func (r streamReader) Read(p []byte) (int, error) {
	clear(p)
	r.c.XORKeyStream(p, p)
	return len(p), nil
}

// TestJSKeyChain checks the page's sender key chain (src/keychain.js, with
// WebCrypto's X25519 under Node.js) against the Go vectors: from each
// vector's ephemeral key it must find the α and shared secret each hop
// finds, and the core's Go code must build the stored packet from that
// chain byte for byte. The scalar arithmetic mod ℓ (src/scalar.js) is
// checked against filippo.io/edwards25519 on random and extreme values, and
// routes with a low-order or malformed key are refused with a reason.
func TestJSKeyChain(t *testing.T) {
	needNodeModules(t)
	b, err := os.ReadFile(filepath.Join("..", "sphinx", "testdata", "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f storedVectors
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	type vec struct {
		R            string   `json:"r"`
		Keys         []string `json:"keys"`
		GeometryHash string   `json:"geometryHash"`
	}
	type pair struct {
		A string `json:"a"` // below ℓ
		B string `json:"b"` // any 32 bytes
		C string `json:"c"` // any 32 bytes
	}
	var in struct {
		Vectors   []vec      `json:"vectors"`
		Scalars   []pair     `json:"scalars"`
		BadRoutes [][]string `json:"badRoutes"`
	}
	for _, v := range f.Packets {
		var r [32]byte
		vectorRand(v.RandSeed).XORKeyStream(r[:], r[:])
		x := vec{R: hex.EncodeToString(r[:]), GeometryHash: v.Geometry.Hash}
		for _, h := range v.Path {
			x.Keys = append(x.Keys, h.PublicKey)
		}
		in.Vectors = append(in.Vectors, x)
	}
	// Scalars: a below ℓ, b any 32 bytes; the extremes first.
	ellMinusOne := edwards25519.NewScalar().Subtract(edwards25519.NewScalar(), scalarOne())
	ones := bytes.Repeat([]byte{0xff}, 32)
	zero := make([]byte, 32)
	in.Scalars = append(in.Scalars,
		pair{hex.EncodeToString(zero), hex.EncodeToString(ones), hex.EncodeToString(ones)},
		pair{hex.EncodeToString(ellMinusOne.Bytes()), hex.EncodeToString(ones), hex.EncodeToString(zero)},
		pair{hex.EncodeToString(ellMinusOne.Bytes()), hex.EncodeToString(ellMinusOne.Bytes()), hex.EncodeToString(ellMinusOne.Bytes())},
		pair{hex.EncodeToString(scalarOne().Bytes()), hex.EncodeToString(zero), hex.EncodeToString(ones)})
	for range 2000 {
		var wide [64]byte
		rand.Read(wide[:])
		a, _ := edwards25519.NewScalar().SetUniformBytes(wide[:])
		in.Scalars = append(in.Scalars, pair{hex.EncodeToString(a.Bytes()), hex.EncodeToString(wide[:32]), hex.EncodeToString(wide[32:])})
	}
	good := f.Packets[0].Path[0].PublicKey
	in.BadRoutes = [][]string{
		{good, hex.EncodeToString(make([]byte, 32))}, // the point of order 1 (u = 0): no shared secret
		{good, good[:62]}, // 31 bytes
	}

	var out struct {
		Chains   []string
		Products []string // a·b
		Wide     []string // c·b
		Eighths  []string // b/8
		X25519   []struct {
			E  string
			OK bool
		}
		Errors      []string
		RouteErrors []string
		Encoded     string
	}
	runNode(t, "test/keychain.mjs", in, &out)

	for i, v := range f.Packets {
		want := storedChain(t, v.Packet, v.Path, v.Steps)
		got := unhex(t, out.Chains[i])
		if len(got) != 64*len(want) {
			t.Fatalf("%s: a chain of %d bytes for %d hops", v.Name, len(got), len(want))
		}
		chain := make([]sphinx.HopSecret, len(want))
		for j := range chain {
			chain[j] = sphinx.HopSecret{Alpha: [32]byte(got[64*j:]), Secret: [32]byte(got[64*j+32:])}
			if chain[j] != want[j] {
				t.Errorf("%s: hop %d: the page's α or secret is not the one the hop finds", v.Name, j)
			}
		}
		path := make([]sphinx.Hop, len(v.Path))
		for j, h := range v.Path {
			c, err := sphinx.DecodeCommand(unhex(t, h.Command))
			if err != nil {
				t.Fatal(err)
			}
			path[j] = sphinx.Hop{ID: sphinx.NodeID(unhex(t, h.ID)), PublicKey: sphinx.PublicKey(unhex(t, h.PublicKey)), Command: c}
		}
		rnd := streamReader{vectorRand(v.RandSeed)}
		rnd.Read(make([]byte, 32)) // the ephemeral key, given to the page
		g := sphinx.Geometry{Hops: v.Geometry.Hops, PayloadSize: v.Geometry.PayloadSize, RoutingInfoSize: v.Geometry.RoutingInfoSize}
		pkt, err := sphinx.NewPacketFromSecrets(rnd, g, path, chain, unhex(t, v.Payload))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(pkt, unhex(t, v.Packet)) {
			t.Errorf("%s: the packet from the page's chain is not the stored one", v.Name)
		}
	}

	inv8 := scalarFromUint(8)
	inv8.Invert(inv8)
	twoTo254 := wideScalar(append(make([]byte, 31), 0x40)) // 2^254: byte 31 is 0x40
	for i, p := range in.Scalars {
		a, err := edwards25519.NewScalar().SetCanonicalBytes(unhex(t, p.A))
		if err != nil {
			t.Fatal(err)
		}
		b := wideScalar(unhex(t, p.B))
		if want := edwards25519.NewScalar().Multiply(a, b).Bytes(); out.Products[i] != hex.EncodeToString(want) {
			t.Errorf("%x·%x mod ℓ: the page says %s, want %x", a.Bytes(), unhex(t, p.B), out.Products[i], want)
		}
		if want := edwards25519.NewScalar().Multiply(wideScalar(unhex(t, p.C)), b).Bytes(); out.Wide[i] != hex.EncodeToString(want) {
			t.Errorf("%x·%x mod ℓ: the page says %s, want %x", unhex(t, p.C), unhex(t, p.B), out.Wide[i], want)
		}
		if want := edwards25519.NewScalar().Multiply(b, inv8).Bytes(); out.Eighths[i] != hex.EncodeToString(want) {
			t.Errorf("%x/8 mod ℓ: the page says %s, want %x", unhex(t, p.B), out.Eighths[i], want)
		}
		// x25519Scalar is given u = y/8 and must give e with
		// X25519(e, P) = u([y]P): checked on the base point.
		// It may fail only when neither (±y - 2^254)/8 mod ℓ is below
		// 2^251 (here for the extremes; 2^-126 of random scalars).
		y := edwards25519.NewScalar().Multiply(a, scalarFromUint(8))
		fits := false
		for _, sy := range []*edwards25519.Scalar{y, edwards25519.NewScalar().Negate(y)} {
			z := edwards25519.NewScalar().Subtract(sy, twoTo254)
			fits = fits || z.Multiply(z, inv8).Bytes()[31]>>3 == 0
		}
		if out.X25519[i].OK != fits {
			t.Errorf("x25519Scalar(%x): ok %v, want %v", a.Bytes(), out.X25519[i].OK, fits)
		}
		if !fits {
			continue
		}
		want := new(edwards25519.Point).ScalarBaseMult(y).BytesMontgomery()
		e, _ := ecdh.X25519().NewPrivateKey(unhex(t, out.X25519[i].E))
		if got := e.PublicKey().Bytes(); !bytes.Equal(got, want) {
			t.Errorf("x25519Scalar(%x): X25519(e, 9) = %x, want %x", a.Bytes(), got, want)
		}
	}

	for i, why := range []string{"want an array of hops", "no command", "hop 0 id: want 32 bytes", "hop 0 delay", "SURB id: want 16 bytes"} {
		if i >= len(out.RouteErrors) || !strings.Contains(out.RouteErrors[i], why) {
			t.Errorf("bad route %d: refused with %q, want %q", i, out.RouteErrors, why)
		}
	}
	// An encoded hop is what the core decodes: id, key, command.
	enc := unhex(t, out.Encoded)
	const hopSize = 32 + 32 + sphinx.MinRoutingInfoSize - sphinx.MACSize
	if len(enc) != 2*hopSize {
		t.Fatalf("two hops encoded in %d bytes", len(enc))
	}
	for i, want := range []sphinx.Command{sphinx.Relay{Delay: 258}, sphinx.Deliver{}} {
		c, err := sphinx.DecodeCommand(enc[i*hopSize+64 : (i+1)*hopSize])
		if err != nil || c != want {
			t.Errorf("hop %d encoded as %v (%v), want %v", i, c, err, want)
		}
	}
	for i, why := range []string{"no shared secret", "32 bytes"} {
		if !strings.Contains(out.Errors[i], why) {
			t.Errorf("bad route %d: %q, want an error saying %q", i, out.Errors[i], why)
		}
	}
}

// storedChain is the chain a stored packet's hops find: hop i's α is in
// the packet it receives, its secret is X25519(its key, α).
func storedChain(t *testing.T, packet string, path []struct {
	ID         string `json:"id"`
	PrivateKey string `json:"private_key"`
	PublicKey  string `json:"public_key"`
	Command    string `json:"command"`
}, steps []struct{ Packet string }) []sphinx.HopSecret {
	t.Helper()
	chain := make([]sphinx.HopSecret, len(path))
	in := unhex(t, packet)
	for i, h := range path {
		k, err := ecdh.X25519().NewPrivateKey(unhex(t, h.PrivateKey))
		if err != nil {
			t.Fatal(err)
		}
		alpha, err := ecdh.X25519().NewPublicKey(in[:32])
		if err != nil {
			t.Fatal(err)
		}
		s, err := k.ECDH(alpha)
		if err != nil {
			t.Fatal(err)
		}
		chain[i] = sphinx.HopSecret{Alpha: [32]byte(in[:32]), Secret: [32]byte(s)}
		if i+1 < len(path) {
			in = unhex(t, steps[i].Packet)
		}
	}
	return chain
}

func scalarOne() *edwards25519.Scalar { return scalarFromUint(1) }

func scalarFromUint(v byte) *edwards25519.Scalar {
	var b [32]byte
	b[0] = v
	s, _ := edwards25519.NewScalar().SetCanonicalBytes(b[:])
	return s
}

// wideScalar is b (32 bytes, any value) mod ℓ.
func wideScalar(b []byte) *edwards25519.Scalar {
	var wide [64]byte
	copy(wide[:], b)
	s, _ := edwards25519.NewScalar().SetUniformBytes(wide[:])
	return s
}

// runNode runs a Node.js script of web/test as `node script args… in.json
// out.json`, with in (JSON), and decodes what it writes into out.
func runNode(t *testing.T, script string, in, out any, args ...string) {
	t.Helper()
	dir := t.TempDir()
	inPath, outPath := filepath.Join(dir, "in.json"), filepath.Join(dir, "out.json")
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(inPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	argv := append(append([]string{script}, args...), inPath, outPath)
	if o, err := exec.Command("node", argv...).CombinedOutput(); err != nil {
		t.Fatalf("node %s: %v\n%s", strings.Join(argv[:len(argv)-2], " "), err, o)
	}
	b, err = os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatal(err)
	}
}
