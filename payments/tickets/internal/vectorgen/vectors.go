package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"

	"github.com/murmurnet/murmur/payments/tickets"
)

const (
	chainID  = 31337
	keyEpoch = 7
	// rfcDST is the DST of the RFC 9380 Appendix J.9.1 vectors.
	rfcDST = "QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_"
)

// File is the shape of tickets.json. Byte strings are 0x-prefixed hex;
// points are in the EIP-2537 form unless named …Compressed.
type File struct {
	ChainID             uint64       `json:"chainId"`
	KeyEpoch            uint64       `json:"keyEpoch"`
	DST                 string       `json:"dst"`
	SecretKey           string       `json:"secretKey"`
	PublicKey           string       `json:"publicKey"`
	PublicKeyCompressed string       `json:"publicKeyCompressed"`
	HashToCurve         []HashVector `json:"hashToCurve"`
	Tickets             []Ticket     `json:"tickets"`
}

// HashVector is hash_to_curve(msg) under dst.
type HashVector struct {
	DST   string `json:"dst"`
	Msg   string `json:"msg"`
	Point string `json:"point"`
}

// Ticket is one ticket's life: serial and blinding factor chosen by the
// client, H = hash(serial), B = r·H, S = sk·B, σ = r⁻¹·S = sk·H.
type Ticket struct {
	Serial              string `json:"serial"`
	BlindingFactor      string `json:"blindingFactor"`
	HashPoint           string `json:"hashPoint"`
	Blinded             string `json:"blinded"`
	BlindSignature      string `json:"blindSignature"`
	Signature           string `json:"signature"`
	SignatureCompressed string `json:"signatureCompressed"`
	Wire                string `json:"wire"`
}

func hx(b []byte) string { return "0x" + hex.EncodeToString(b) }

func g1(p bls.G1Affine) string {
	b := tickets.EncodeG1EIP2537(&p)
	return hx(b[:])
}

// generate returns the contents of tickets.json.
func generate() ([]byte, error) {
	rng := rand.NewChaCha8(sha256.Sum256([]byte("murmur/payments/tickets test vectors v1")))
	value := tickets.Value{Packets: 1000, Price: big.NewInt(1_000_000_000_000)}
	sk, err := tickets.GenerateIssuerKey(rng, chainID, keyEpoch, value)
	if err != nil {
		return nil, err
	}
	pub := sk.Public()
	skb := sk.Bytes()
	pk := tickets.EncodeG2EIP2537(&pub.PublicKey)
	pkc := pub.PublicKey.Bytes()
	f := File{
		ChainID:             chainID,
		KeyEpoch:            keyEpoch,
		DST:                 tickets.DST(chainID, keyEpoch),
		SecretKey:           hx(skb[:]),
		PublicKey:           hx(pk[:]),
		PublicKeyCompressed: hx(pkc[:]),
	}

	ff := [32]byte{}
	for i := range ff {
		ff[i] = 0xff
	}
	for _, h := range []struct {
		dst string
		msg []byte
	}{
		{f.DST, nil},
		{f.DST, make([]byte, 32)},
		{f.DST, ff[:]},
		{rfcDST, nil},
		{rfcDST, []byte("abc")},
		{rfcDST, []byte("abcdef0123456789")},
	} {
		p, err := bls.HashToG1(h.msg, []byte(h.dst))
		if err != nil {
			return nil, err
		}
		f.HashToCurve = append(f.HashToCurve, HashVector{DST: h.dst, Msg: hx(h.msg), Point: g1(p)})
	}

	for i := range 8 {
		req, err := tickets.NewTicketRequest(rng, pub)
		if err != nil {
			return nil, err
		}
		// The last two serials are the extremes, 0x00…00 and 0xff…ff.
		if i >= 6 {
			serial := [32]byte{}
			if i == 7 {
				serial = ff
			}
			if req, err = tickets.RestoreTicketRequest(pub, serial, req.BlindingFactor()); err != nil {
				return nil, err
			}
		}
		serial, r := req.Serial(), req.BlindingFactor()
		blinded := req.Blinded()
		s, err := sk.SignBlinded([]bls.G1Affine{blinded})
		if err != nil {
			return nil, err
		}
		t, err := req.Finish(s[0])
		if err != nil {
			return nil, err
		}
		if err := pub.Verify(t); err != nil {
			return nil, fmt.Errorf("ticket %d: %w", i, err)
		}
		sc := t.Signature.Bytes()
		wire := t.Bytes()
		sig := t.SignatureEIP2537()
		f.Tickets = append(f.Tickets, Ticket{
			Serial:              hx(serial[:]),
			BlindingFactor:      hx(r[:]),
			HashPoint:           g1(tickets.HashSerial(chainID, keyEpoch, serial)),
			Blinded:             g1(blinded),
			BlindSignature:      g1(s[0]),
			Signature:           hx(sig[:]),
			SignatureCompressed: hx(sc[:]),
			Wire:                hx(wire[:]),
		})
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
