package tickets_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"testing"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"

	"github.com/murmurnet/murmur/payments/tickets"
)

// TestVectorFile checks every value of the committed test vectors
// (written by internal/vectorgen, whose own test checks that the file is
// what it writes) with the package's API, independently of the generator.
func TestVectorFile(t *testing.T) {
	raw, err := os.ReadFile("../../contracts/testdata/tickets.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		ChainID             uint64 `json:"chainId"`
		KeyEpoch            uint64 `json:"keyEpoch"`
		DST                 string `json:"dst"`
		SecretKey           string `json:"secretKey"`
		PublicKey           string `json:"publicKey"`
		PublicKeyCompressed string `json:"publicKeyCompressed"`
		HashToCurve         []struct {
			DST, Msg, Point string
		} `json:"hashToCurve"`
		Tickets []struct {
			Serial, BlindingFactor, HashPoint, Blinded, BlindSignature string
			Signature, SignatureCompressed, Wire                       string
		} `json:"tickets"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		t.Fatal(err)
	}
	if f.ChainID != 31337 || f.KeyEpoch != 7 || f.DST != "MURMUR-V1-TICKET-CHAIN-31337-EPOCH-7_BLS12381G1_XMD:SHA-256_SSWU_RO_" {
		t.Fatalf("vectors for chain %d epoch %d, DST %q", f.ChainID, f.KeyEpoch, f.DST)
	}
	if f.DST != tickets.DST(f.ChainID, f.KeyEpoch) {
		t.Fatal("DST differs from tickets.DST")
	}

	value := tickets.Value{Packets: 1, Price: big.NewInt(1)} // not in the file, not signed
	sk, err := tickets.NewSecretKey(unhex(t, f.SecretKey), f.ChainID, f.KeyEpoch, value)
	if err != nil {
		t.Fatal(err)
	}
	pub := sk.Public()
	pk, err := tickets.DecodeG2EIP2537(unhex(t, f.PublicKey))
	if err != nil || !pk.Equal(&pub.PublicKey) {
		t.Fatalf("publicKey is not sk·G2 (%v)", err)
	}
	pkc, err := tickets.DecodeG2(unhex(t, f.PublicKeyCompressed))
	if err != nil || !pkc.Equal(&pk) {
		t.Fatalf("publicKeyCompressed differs from publicKey (%v)", err)
	}

	projectDST, rfc := 0, map[string]bool{}
	for i, h := range f.HashToCurve {
		want, err := bls.HashToG1(unhex(t, h.Msg), []byte(h.DST))
		if err != nil {
			t.Fatal(err)
		}
		got, err := tickets.DecodeG1EIP2537(unhex(t, h.Point))
		if err != nil || !got.Equal(&want) {
			t.Errorf("hashToCurve[%d]: point differs (%v)", i, err)
		}
		switch h.DST {
		case f.DST:
			projectDST++
		case "QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_":
			for _, v := range rfc9380Vectors {
				if h.Msg == "0x"+hex.EncodeToString([]byte(v.msg)) {
					if hex.EncodeToString(got.X.Marshal()) != v.x || hex.EncodeToString(got.Y.Marshal()) != v.y {
						t.Errorf("hashToCurve[%d] differs from RFC 9380 for %q", i, v.msg)
					}
					rfc[v.msg] = true
				}
			}
		}
	}
	if projectDST < 2 || !rfc[""] || !rfc["abc"] {
		t.Errorf("hashToCurve has %d project vectors and RFC vectors %v; want ≥ 2 and \"\", \"abc\"", projectDST, rfc)
	}

	if len(f.Tickets) != 8 {
		t.Errorf("%d tickets, want 8", len(f.Tickets))
	}
	keys := tickets.NewKeyring(f.ChainID, 0)
	if err := keys.Add(pub); err != nil {
		t.Fatal(err)
	}
	var all []tickets.Ticket
	for i, v := range f.Tickets {
		serial := [32]byte(unhex(t, v.Serial))
		r := [32]byte(unhex(t, v.BlindingFactor))
		req, err := tickets.RestoreTicketRequest(pub, serial, r)
		if err != nil {
			t.Fatal(err)
		}
		point := func(name, s string) bls.G1Affine {
			p, err := tickets.DecodeG1EIP2537(unhex(t, s))
			if err != nil {
				t.Fatalf("ticket %d %s: %v", i, name, err)
			}
			return p
		}
		h := tickets.HashSerial(f.ChainID, f.KeyEpoch, serial)
		if p := point("hashPoint", v.HashPoint); !p.Equal(&h) {
			t.Errorf("ticket %d: hashPoint is not H(serial)", i)
		}
		b := req.Blinded()
		if p := point("blinded", v.Blinded); !p.Equal(&b) {
			t.Errorf("ticket %d: blinded is not r·H", i)
		}
		s, _ := sk.SignBlinded([]bls.G1Affine{b})
		if p := point("blindSignature", v.BlindSignature); !p.Equal(&s[0]) {
			t.Errorf("ticket %d: blindSignature is not sk·B", i)
		}
		tk, err := req.Finish(s[0])
		if err != nil {
			t.Fatal(err)
		}
		if p, q := point("signature", v.Signature), tk.Signature.Point(); !p.Equal(&q) {
			t.Errorf("ticket %d: signature is not r⁻¹·S", i)
		}
		if sc := tk.Signature.Bytes(); "0x"+hex.EncodeToString(sc[:]) != v.SignatureCompressed {
			t.Errorf("ticket %d: signatureCompressed differs", i)
		}
		wire, err := tickets.DecodeTicket(unhex(t, v.Wire))
		if err != nil || wire != tk {
			t.Errorf("ticket %d: wire form does not decode to the ticket (%v)", i, err)
		}
		if sig := wire.SignatureEIP2537(); "0x"+hex.EncodeToString(sig[:]) != v.Signature {
			t.Errorf("ticket %d: SignatureEIP2537 differs from signature", i)
		}
		if err := pub.Verify(wire); err != nil {
			t.Errorf("ticket %d: %v", i, err)
		}
		if err := keys.Verify(wire); err != nil {
			t.Errorf("ticket %d: %v", i, err)
		}
		all = append(all, wire)
	}
	if err := keys.VerifyBatch(testRand(1), all); err != nil {
		t.Error(err)
	}
}

// TestAggregate checks the aggregate signature the on-chain redemption
// takes: e(Σσᵢ, −G2)·e(ΣHᵢ, pk) = 1, and not for a batch with a forgery.
func TestAggregate(t *testing.T) {
	sk, _ := tickets.GenerateIssuerKey(testRand(1), testChain, 4, testValue())
	pub := sk.Public()
	rnd := testRand(2)
	ts := make([]tickets.Ticket, 5)
	var hsum bls.G1Jac
	for i := range ts {
		ts[i] = sign(t, rnd, sk)
		h := tickets.HashSerial(testChain, 4, ts[i].Serial)
		hsum.AddMixed(&h)
	}
	var h bls.G1Affine
	h.FromJacobian(&hsum)
	_, _, _, g2 := bls.Generators()
	g2.Neg(&g2)
	check := func(ts []tickets.Ticket) bool {
		agg, err := tickets.Aggregate(ts)
		if err != nil {
			t.Fatal(err)
		}
		ok, err := bls.PairingCheck([]bls.G1Affine{agg.Point(), h}, []bls.G2Affine{g2, pub.PublicKey})
		return err == nil && ok
	}
	if !check(ts) {
		t.Fatal("aggregate of valid tickets does not verify")
	}
	ts[3].Signature = ts[1].Signature
	if check(ts) {
		t.Fatal("aggregate with a forged ticket verifies")
	}
	if _, err := tickets.Aggregate(nil); !errors.Is(err, tickets.ErrInfinity) {
		t.Fatalf("empty aggregate: %v, want ErrInfinity", err)
	}
}
