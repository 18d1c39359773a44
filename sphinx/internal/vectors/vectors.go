// Package vectors makes the test vectors of package sphinx and the seed
// corpus of its fuzz tests. Both are deterministic: the randomness comes
// from [NewRand] with fixed seeds. The vectorgen command writes them to
// sphinx/testdata; the tests of package sphinx make them again and compare.
package vectors

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/murmurnet/murmur/sphinx"
	"golang.org/x/crypto/chacha20"
)

// Rand is a deterministic byte stream: the ChaCha20 keystream (RFC 8439,
// nonce and counter zero) keyed with SHA-256 of a seed string.
type Rand struct{ c *chacha20.Cipher }

// NewRand returns the stream for seed.
func NewRand(seed string) *Rand {
	k := sha256.Sum256([]byte(seed))
	c, err := chacha20.NewUnauthenticatedCipher(k[:], make([]byte, chacha20.NonceSize))
	if err != nil {
		panic(err)
	}
	return &Rand{c}
}

// Read fills p with the next bytes of the stream. It never fails.
func (r *Rand) Read(p []byte) (int, error) {
	clear(p)
	r.c.XORKeyStream(p, p)
	return len(p), nil
}

// Hex is a byte string written as lowercase hex in JSON.
type Hex []byte

func (h Hex) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(h)), nil }

func (h *Hex) UnmarshalText(b []byte) error {
	d, err := hex.DecodeString(string(b))
	*h = d
	return err
}

// File is the content of sphinx/testdata/vectors.json.
type File struct {
	Comment string         `json:"comment"`
	Packets []PacketVector `json:"packets"`
	SURBs   []SURBVector   `json:"surbs"`
}

// Geometry is a sphinx.Geometry with its hash.
type Geometry struct {
	Hops            int `json:"hops"`
	PayloadSize     int `json:"payload_size"`
	RoutingInfoSize int `json:"routing_info_size"`
	Hash            Hex `json:"hash"`
}

// Value returns the sphinx.Geometry.
func (g Geometry) Value() sphinx.Geometry {
	return sphinx.Geometry{Hops: g.Hops, PayloadSize: g.PayloadSize, RoutingInfoSize: g.RoutingInfoSize}
}

// Hop is one hop of a path with the node's private key.
type Hop struct {
	ID         Hex `json:"id"`
	PrivateKey Hex `json:"private_key"`
	PublicKey  Hex `json:"public_key"`
	Command    Hex `json:"command"` // encoded, without padding
}

// Step is what one hop computes from the packet it receives.
type Step struct {
	Command Hex `json:"command"`
	Tag     Hex `json:"tag"`
	Packet  Hex `json:"packet,omitempty"`  // to forward (Relay)
	Payload Hex `json:"payload,omitempty"` // final hop
}

// PacketVector is a packet made with sphinx.NewPacket and its journey.
type PacketVector struct {
	Name     string   `json:"name"`
	Geometry Geometry `json:"geometry"`
	// RandSeed seeds the randomness given to NewPacket.
	RandSeed string `json:"rand_seed"`
	Path     []Hop  `json:"path"`
	Payload  Hex    `json:"payload"`
	Packet   Hex    `json:"packet"`
	Steps    []Step `json:"steps"`
}

// SURBVector is a SURB made with sphinx.NewSURB, a reply sent with it and
// the reply's journey.
type SURBVector struct {
	Name     string   `json:"name"`
	Geometry Geometry `json:"geometry"`
	// RandSeed seeds the randomness given to NewSURB.
	RandSeed string `json:"rand_seed"`
	Path     []Hop  `json:"path"`
	SURB     Hex    `json:"surb"`
	SURBKeys Hex    `json:"surb_keys"`
	Reply    Hex    `json:"reply"`
	Packet   Hex    `json:"packet"`
	Steps    []Step `json:"steps"`
}

// spec describes one vector to make.
type spec struct {
	name     string
	g        sphinx.Geometry
	hops     int
	final    func(r *Rand) sphinx.Command
	payload  int // bytes of payload
	surb     bool
	geometry Geometry
}

func deliver(r *Rand) sphinx.Command {
	var m sphinx.MailboxID
	r.Read(m[:])
	return sphinx.Deliver{Mailbox: m}
}

func drop(*Rand) sphinx.Command { return sphinx.Drop{} }

func surbReply(r *Rand) sphinx.Command {
	var c sphinx.SURBReply
	r.Read(c.Mailbox[:])
	r.Read(c.ID[:])
	return c
}

var small = sphinx.Geometry{Hops: 3, PayloadSize: sphinx.MinPayloadSize, RoutingInfoSize: sphinx.MinRoutingInfoSize}

func specs() []spec {
	d := sphinx.DefaultGeometry()
	return []spec{
		{name: "small-2-hops-deliver", g: small, hops: 2, final: deliver, payload: 5},
		{name: "default-1-hop-deliver", g: d, hops: 1, final: deliver, payload: 11},
		{name: "default-3-hops-drop", g: d, hops: 3, final: drop, payload: 0},
		{name: "default-5-hops-deliver", g: d, hops: 5, final: deliver, payload: d.PayloadSize},
		{name: "default-3-hops-surb", g: d, hops: 3, final: surbReply, payload: 100, surb: true},
	}
}

// node is a test relay.
type node struct {
	id   sphinx.NodeID
	priv *sphinx.PrivateKey
}

// makePath draws the nodes and commands of a path from r.
func makePath(s spec, r *Rand) ([]node, []sphinx.Hop, error) {
	nodes := make([]node, s.hops)
	path := make([]sphinx.Hop, s.hops)
	for i := range nodes {
		r.Read(nodes[i].id[:])
		k, err := sphinx.GenerateKey(r)
		if err != nil {
			return nil, nil, err
		}
		nodes[i].priv = k
	}
	for i := range path {
		path[i] = sphinx.Hop{ID: nodes[i].id, PublicKey: nodes[i].priv.Public()}
		if i < len(path)-1 {
			var d [2]byte
			r.Read(d[:])
			path[i].Command = sphinx.Relay{Next: nodes[i+1].id, Delay: uint32(d[0])<<8 | uint32(d[1])}
		} else {
			path[i].Command = s.final(r)
		}
	}
	return nodes, path, nil
}

func hops(nodes []node, path []sphinx.Hop) []Hop {
	out := make([]Hop, len(path))
	for i := range path {
		out[i] = Hop{
			ID:         nodes[i].id[:],
			PrivateKey: nodes[i].priv.Bytes(),
			PublicKey:  Hex(path[i].PublicKey[:]),
			Command:    sphinx.AppendCommand(nil, path[i].Command),
		}
	}
	return out
}

func geometry(g sphinx.Geometry) Geometry {
	h := g.Hash()
	return Geometry{Hops: g.Hops, PayloadSize: g.PayloadSize, RoutingInfoSize: g.RoutingInfoSize, Hash: h[:]}
}

// Walk unwraps packet at each key in turn and records each step. It is
// used both to make the vectors and, in tests, to check them.
func Walk(g sphinx.Geometry, keys []*sphinx.PrivateKey, packet []byte) ([]Step, error) {
	p, err := sphinx.NewProcessor(g)
	if err != nil {
		return nil, err
	}
	buf := append([]byte(nil), packet...)
	steps := make([]Step, len(keys))
	for i, k := range keys {
		res, err := p.Unwrap(k, buf)
		if err != nil {
			return nil, fmt.Errorf("hop %d: %w", i, err)
		}
		steps[i] = Step{
			Command: sphinx.AppendCommand(nil, res.Command),
			Tag:     append(Hex(nil), res.Tag[:]...),
		}
		if res.Packet != nil {
			steps[i].Packet = append(Hex(nil), res.Packet...)
		} else {
			steps[i].Payload = append(Hex(nil), res.Payload...)
		}
	}
	return steps, nil
}

// Generate makes the test vectors.
func Generate() (*File, error) {
	f := &File{
		Comment: "Test vectors of the Murmur Sphinx packet format (docs/spec/sphinx.md). " +
			"Made by sphinx/internal/vectorgen; do not edit. Byte strings are hex. " +
			"rand_seed: the randomness given to NewPacket/NewSURB is the ChaCha20 keystream " +
			"(RFC 8439, nonce 0, counter 0) keyed with SHA-256(rand_seed).",
	}
	for _, s := range specs() {
		keyRand := NewRand("murmur/sphinx/v1 vectors: path of " + s.name)
		nodes, path, err := makePath(s, keyRand)
		if err != nil {
			return nil, err
		}
		payload := make([]byte, s.payload)
		keyRand.Read(payload)
		keys := make([]*sphinx.PrivateKey, len(nodes))
		for i := range nodes {
			keys[i] = nodes[i].priv
		}
		seed := "murmur/sphinx/v1 vectors: " + s.name
		if !s.surb {
			pkt, err := sphinx.NewPacket(NewRand(seed), s.g, path, payload)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.name, err)
			}
			steps, err := Walk(s.g, keys, pkt)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.name, err)
			}
			f.Packets = append(f.Packets, PacketVector{
				Name: s.name, Geometry: geometry(s.g), RandSeed: seed,
				Path: hops(nodes, path), Payload: payload, Packet: pkt, Steps: steps,
			})
			continue
		}
		surb, surbKeys, err := sphinx.NewSURB(NewRand(seed), s.g, path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		_, pkt, err := sphinx.NewPacketFromSURB(surb, payload)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		steps, err := Walk(s.g, keys, pkt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		sb, _ := surb.MarshalBinary()
		kb, _ := surbKeys.MarshalBinary()
		f.SURBs = append(f.SURBs, SURBVector{
			Name: s.name, Geometry: geometry(s.g), RandSeed: seed,
			Path: hops(nodes, path), SURB: sb, SURBKeys: kb, Reply: payload, Packet: pkt, Steps: steps,
		})
	}
	return f, nil
}

// Marshal returns the JSON encoding of f as written to vectors.json.
func (f *File) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// FuzzKeySeed seeds the private key that FuzzUnwrap unwraps with:
// sphinx.GenerateKey(NewRand(FuzzKeySeed)).
const FuzzKeySeed = "murmur/sphinx/v1 fuzz key"

// FuzzSeeds returns the seed corpus of the fuzz tests: for each fuzz
// target, named inputs.
func FuzzSeeds() (map[string]map[string][]byte, error) {
	g := sphinx.DefaultGeometry()
	r := NewRand("murmur/sphinx/v1 fuzz seeds")
	key, err := sphinx.GenerateKey(NewRand(FuzzKeySeed))
	if err != nil {
		return nil, err
	}
	var other sphinx.NodeID
	r.Read(other[:])
	otherKey, err := sphinx.GenerateKey(r)
	if err != nil {
		return nil, err
	}
	mailbox := sphinx.MailboxID{0x6d}
	final := []sphinx.Hop{{ID: sphinx.NodeID{1}, PublicKey: key.Public(), Command: sphinx.Deliver{Mailbox: mailbox}}}
	relay := []sphinx.Hop{
		{ID: sphinx.NodeID{1}, PublicKey: key.Public(), Command: sphinx.Relay{Next: other, Delay: 50}},
		{ID: other, PublicKey: otherKey.Public(), Command: sphinx.Drop{}},
	}
	surbPath := []sphinx.Hop{
		{ID: sphinx.NodeID{1}, PublicKey: key.Public(), Command: sphinx.SURBReply{Mailbox: mailbox, ID: sphinx.SURBID{7}}},
	}
	finalPkt, err := sphinx.NewPacket(r, g, final, []byte("fuzz"))
	if err != nil {
		return nil, err
	}
	relayPkt, err := sphinx.NewPacket(r, g, relay, []byte("fuzz"))
	if err != nil {
		return nil, err
	}
	surb, surbKeys, err := sphinx.NewSURB(r, g, surbPath)
	if err != nil {
		return nil, err
	}
	_, surbPkt, err := sphinx.NewPacketFromSURB(surb, []byte("reply"))
	if err != nil {
		return nil, err
	}
	surbBytes, _ := surb.MarshalBinary()
	keyBytes, _ := surbKeys.MarshalBinary()
	smallSURB, _, err := sphinx.NewSURB(r, small, []sphinx.Hop{
		{ID: other, PublicKey: otherKey.Public(), Command: sphinx.SURBReply{}},
	})
	if err != nil {
		return nil, err
	}
	smallSURBBytes, _ := smallSURB.MarshalBinary()

	return map[string]map[string][]byte{
		"FuzzUnwrap": {
			"final-deliver": finalPkt,
			"relay":         relayPkt,
			"surb-reply":    surbPkt,
			"truncated":     finalPkt[:len(finalPkt)-1],
			"empty":         {},
		},
		"FuzzDecodeCommand": {
			"relay":      sphinx.AppendCommand(nil, sphinx.Relay{Next: other, Delay: 1234}),
			"deliver":    sphinx.AppendCommand(nil, sphinx.Deliver{Mailbox: mailbox}),
			"surb-reply": sphinx.AppendCommand(nil, sphinx.SURBReply{Mailbox: mailbox, ID: sphinx.SURBID{9}}),
			"drop":       sphinx.AppendCommand(nil, sphinx.Drop{}),
			"padded":     append(sphinx.AppendCommand(nil, sphinx.Drop{}), make([]byte, 63)...),
			"unknown":    {0x7f},
			"zero":       {0},
		},
		"FuzzUnmarshalSURB": {
			"default":   surbBytes,
			"small":     smallSURBBytes,
			"keys":      keyBytes,
			"truncated": surbBytes[:40],
		},
	}, nil
}

// CorpusFile encodes one []byte input in the format of go test's fuzzing
// corpus files.
func CorpusFile(b []byte) []byte {
	return fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", b)
}
