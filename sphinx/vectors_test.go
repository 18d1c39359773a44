package sphinx_test

import (
	"bytes"
	"crypto/ecdh"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/murmurnet/murmur/sphinx"
	"github.com/murmurnet/murmur/sphinx/internal/vectors"
)

func readVectors(t *testing.T) (*vectors.File, []byte) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f vectors.File
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return &f, b
}

// TestVectorsRegenerate makes the vectors again, with the same seeds, and
// compares them byte for byte with the committed file: any change to the
// wire format shows up here.
func TestVectorsRegenerate(t *testing.T) {
	f, err := vectors.Generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	stored, want := readVectors(t)
	if bytes.Equal(got, want) {
		return
	}
	for i := range min(len(f.Packets), len(stored.Packets)) {
		if !bytes.Equal(f.Packets[i].Packet, stored.Packets[i].Packet) {
			t.Errorf("vector %s: packet differs", f.Packets[i].Name)
		}
	}
	t.Fatal("testdata/vectors.json differs from what the generator makes; if the wire format changed on purpose, run go generate ./sphinx/...")
}

// TestVectorsCreate makes each stored packet again from its stored inputs
// (keys, path, payload, randomness seed) through the public API.
func TestVectorsCreate(t *testing.T) {
	f, _ := readVectors(t)
	if len(f.Packets) == 0 || len(f.SURBs) == 0 {
		t.Fatal("no vectors")
	}
	for _, v := range f.Packets {
		g := v.Geometry.Value()
		if h := g.Hash(); !bytes.Equal(h[:], v.Geometry.Hash) {
			t.Errorf("%s: geometry hash %x, stored %x", v.Name, h, v.Geometry.Hash)
		}
		path, _ := decodePath(t, v.Path)
		pkt, err := sphinx.NewPacket(vectors.NewRand(v.RandSeed), g, path, v.Payload)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		if !bytes.Equal(pkt, v.Packet) {
			t.Errorf("%s: NewPacket differs from the stored packet", v.Name)
		}
	}
	for _, v := range f.SURBs {
		g := v.Geometry.Value()
		path, _ := decodePath(t, v.Path)
		s, k, err := sphinx.NewSURB(vectors.NewRand(v.RandSeed), g, path)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		sb, _ := s.MarshalBinary()
		kb, _ := k.MarshalBinary()
		if !bytes.Equal(sb, v.SURB) || !bytes.Equal(kb, v.SURBKeys) {
			t.Errorf("%s: NewSURB differs from the stored SURB", v.Name)
		}
	}
}

// TestVectorsFromSecrets makes each stored packet again with
// NewPacketFromSecrets, from the key chain the relays see: hop i's α is the
// one in the packet it receives, its secret X25519(its key, α).
func TestVectorsFromSecrets(t *testing.T) {
	f, _ := readVectors(t)
	for _, v := range f.Packets {
		g := v.Geometry.Value()
		path, _ := decodePath(t, v.Path)
		chain := vectorChain(t, v)
		rnd := vectors.NewRand(v.RandSeed)
		rnd.Read(make([]byte, 32)) // the ephemeral key NewPacket drew
		pkt, err := sphinx.NewPacketFromSecrets(rnd, g, path, chain, v.Payload)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		if !bytes.Equal(pkt, v.Packet) {
			t.Errorf("%s: NewPacketFromSecrets differs from the stored packet", v.Name)
		}
		if _, err := sphinx.NewPacketFromSecrets(rnd, g, path, chain[1:], v.Payload); !errors.Is(err, sphinx.ErrInvalidPath) {
			t.Errorf("%s: a chain one hop short: %v, want ErrInvalidPath", v.Name, err)
		}
		chain[0].Secret[0] ^= 1
		pkt, err = sphinx.NewPacketFromSecrets(vectors.NewRand(v.RandSeed), g, path, chain, v.Payload)
		if err != nil {
			t.Fatal(err)
		}
		_, keys := decodePath(t, v.Path)
		proc, _ := sphinx.NewProcessor(g)
		if _, err := proc.Unwrap(keys[0], pkt); !errors.Is(err, sphinx.ErrInvalidMAC) {
			t.Errorf("%s: a wrong secret: the first hop says %v, want ErrInvalidMAC", v.Name, err)
		}
	}
}

// vectorChain returns the key chain of a stored packet as its hops find
// it.
func vectorChain(t *testing.T, v vectors.PacketVector) []sphinx.HopSecret {
	t.Helper()
	chain := make([]sphinx.HopSecret, len(v.Path))
	in := v.Packet
	for i, h := range v.Path {
		k, err := ecdh.X25519().NewPrivateKey(h.PrivateKey)
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
		in = v.Steps[i].Packet
	}
	return chain
}

// TestVectorsUnwrap takes each stored packet through its stored path, hop
// by hop, and compares every intermediate result with the stored one.
func TestVectorsUnwrap(t *testing.T) {
	f, _ := readVectors(t)
	for _, v := range f.Packets {
		g := v.Geometry.Value()
		_, keys := decodePath(t, v.Path)
		checkSteps(t, v.Name, g, keys, v.Packet, v.Steps)
		final := v.Steps[len(v.Steps)-1]
		if !bytes.Equal(final.Payload, v.Payload) {
			t.Errorf("%s: final payload differs from the payload sent", v.Name)
		}
	}
	for _, v := range f.SURBs {
		g := v.Geometry.Value()
		_, keys := decodePath(t, v.Path)
		var s sphinx.SURB
		var k sphinx.SURBKeys
		if err := s.UnmarshalBinary(v.SURB); err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		if err := k.UnmarshalBinary(v.SURBKeys); err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		first, pkt, err := sphinx.NewPacketFromSURB(&s, v.Reply)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first[:], v.Path[0].ID) || !bytes.Equal(pkt, v.Packet) {
			t.Errorf("%s: reply packet differs", v.Name)
		}
		checkSteps(t, v.Name, g, keys, v.Packet, v.Steps)
		got, err := k.Decrypt(v.Steps[len(v.Steps)-1].Payload)
		if err != nil || !bytes.Equal(got, v.Reply) {
			t.Errorf("%s: decrypted reply %x, %v; want %x", v.Name, got, err, v.Reply)
		}
	}
}

func checkSteps(t *testing.T, name string, g sphinx.Geometry, keys []*sphinx.PrivateKey, pkt []byte, want []vectors.Step) {
	t.Helper()
	got, err := vectors.Walk(g, keys, pkt)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d steps, want %d", name, len(got), len(want))
	}
	for i := range got {
		a, b := got[i], want[i]
		if !bytes.Equal(a.Command, b.Command) || !bytes.Equal(a.Tag, b.Tag) ||
			!bytes.Equal(a.Packet, b.Packet) || !bytes.Equal(a.Payload, b.Payload) {
			t.Errorf("%s: hop %d differs from the stored step", name, i)
		}
	}
}

func decodePath(t *testing.T, hops []vectors.Hop) ([]sphinx.Hop, []*sphinx.PrivateKey) {
	t.Helper()
	path := make([]sphinx.Hop, len(hops))
	keys := make([]*sphinx.PrivateKey, len(hops))
	for i, h := range hops {
		k, err := sphinx.NewPrivateKey(h.PrivateKey)
		if err != nil {
			t.Fatal(err)
		}
		if pub := k.Public(); !bytes.Equal(pub[:], h.PublicKey) {
			t.Fatalf("hop %d: public key does not match the private key", i)
		}
		c, err := sphinx.DecodeCommand(h.Command)
		if err != nil {
			t.Fatal(err)
		}
		path[i] = sphinx.Hop{ID: sphinx.NodeID(h.ID), PublicKey: k.Public(), Command: c}
		keys[i] = k
	}
	return path, keys
}

// TestFuzzCorpusCurrent checks that the committed seed corpus is what the
// generator makes.
func TestFuzzCorpusCurrent(t *testing.T) {
	seeds, err := vectors.FuzzSeeds()
	if err != nil {
		t.Fatal(err)
	}
	for target, inputs := range seeds {
		for name, in := range inputs {
			file := filepath.Join("testdata", "fuzz", target, name)
			want := vectors.CorpusFile(in)
			got, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s is stale; run go generate ./sphinx/...", file)
			}
		}
	}
}
