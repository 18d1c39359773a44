package cheque

import (
	"encoding/json"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

// TestDigestMatchesGethEIP712 checks the hand-rolled digest against go-ethereum's
// generic EIP-712 encoder, an independent implementation of the standard.
func TestDigestMatchesGethEIP712(t *testing.T) {
	vault := common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")
	c := Cheque{
		Payer:            common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
		Payee:            common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
		CumulativeAmount: new(big.Int).Mul(big.NewInt(123456789), big.NewInt(1e12)),
	}
	td := apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {
				{Name: "name", Type: "string"}, {Name: "version", Type: "string"},
				{Name: "chainId", Type: "uint256"}, {Name: "verifyingContract", Type: "address"},
			},
			"Cheque": {
				{Name: "payer", Type: "address"}, {Name: "payee", Type: "address"},
				{Name: "cumulativeAmount", Type: "uint256"},
			},
		},
		PrimaryType: "Cheque",
		Domain: apitypes.TypedDataDomain{
			Name: "Murmur Vault", Version: "1",
			ChainId: (*math.HexOrDecimal256)(big.NewInt(31337)), VerifyingContract: vault.Hex(),
		},
		Message: apitypes.TypedDataMessage{
			"payer": c.Payer.Hex(), "payee": c.Payee.Hex(), "cumulativeAmount": c.CumulativeAmount.String(),
		},
	}
	want, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatal(err)
	}
	got, err := NewDomain(big.NewInt(31337), vault).Digest(c)
	if err != nil {
		t.Fatal(err)
	}
	if common.BytesToHash(want) != got {
		t.Fatalf("digest %x, go-ethereum says %x", got, want)
	}
}

func TestSignVerify(t *testing.T) {
	key, _ := crypto.GenerateKey()
	payer := crypto.PubkeyToAddress(key.PublicKey)
	payee := common.HexToAddress("0x1000000000000000000000000000000000000001")
	d := NewDomain(big.NewInt(1337), common.HexToAddress("0x2000000000000000000000000000000000000002"))
	s, err := d.Sign(Cheque{Payer: payer, Payee: payee, CumulativeAmount: big.NewInt(1e18)}, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Verify(s); err != nil {
		t.Fatalf("valid cheque refused: %v", err)
	}

	mutations := map[string]func(*Signed){
		"amount raised":   func(s *Signed) { s.CumulativeAmount = big.NewInt(2e18) },
		"other payee":     func(s *Signed) { s.Payee = payer },
		"other payer":     func(s *Signed) { s.Payer = payee },
		"bad v":           func(s *Signed) { s.Signature[64] = 29 },
		"flipped r bit":   func(s *Signed) { s.Signature[3] ^= 1 },
		"zero signature":  func(s *Signed) { s.Signature = [65]byte{} },
		"malleable twin":  func(s *Signed) { malleate(s) },
		"nil amount":      func(s *Signed) { s.CumulativeAmount = nil },
		"negative amount": func(s *Signed) { s.CumulativeAmount = big.NewInt(-1) },
	}
	for name, mutate := range mutations {
		t.Run(name, func(t *testing.T) {
			m := s
			m.CumulativeAmount = new(big.Int).Set(s.CumulativeAmount)
			mutate(&m)
			if err := d.Verify(m); err == nil {
				t.Fatal("mutated cheque accepted")
			}
		})
	}

	otherChain := NewDomain(big.NewInt(1), common.HexToAddress("0x2000000000000000000000000000000000000002"))
	if err := otherChain.Verify(s); err != ErrInvalidSignature {
		t.Fatalf("cheque for another chain: %v, want ErrInvalidSignature", err)
	}
	otherVault := NewDomain(big.NewInt(1337), common.HexToAddress("0x3000000000000000000000000000000000000003"))
	if err := otherVault.Verify(s); err != ErrInvalidSignature {
		t.Fatalf("cheque for another vault: %v, want ErrInvalidSignature", err)
	}
}

func TestSignRefusesForeignKey(t *testing.T) {
	key, _ := crypto.GenerateKey()
	d := NewDomain(big.NewInt(1337), common.Address{})
	_, err := d.Sign(Cheque{Payer: common.Address{1}, CumulativeAmount: big.NewInt(1)}, key)
	if err == nil {
		t.Fatal("signed a cheque for a payer whose key it is not")
	}
}

// malleate turns s into its high-s twin, which recovers the same address but
// which the contract (and Verify) must refuse.
func malleate(s *Signed) {
	n := crypto.S256().Params().N
	sv := new(big.Int).SetBytes(s.Signature[32:64])
	new(big.Int).Sub(n, sv).FillBytes(s.Signature[32:64])
	s.Signature[64] ^= 1 // 27 <-> 28
}

func BenchmarkVerify(b *testing.B) {
	key, _ := crypto.GenerateKey()
	d := NewDomain(big.NewInt(1337), common.Address{9})
	s, _ := d.Sign(Cheque{Payer: crypto.PubkeyToAddress(key.PublicKey), Payee: common.Address{1}, CumulativeAmount: big.NewInt(12345)}, key)
	b.ReportAllocs()
	for b.Loop() {
		if err := d.Verify(s); err != nil {
			b.Fatal(err)
		}
	}
}

// A cheque from a neighbour arrives as JSON on /murmur/cheque/1: whatever
// decodes, Verify accepts only the cheque its payer signed, and nothing
// panics.
func FuzzVerifyJSONCheque(f *testing.F) {
	d := NewDomain(big.NewInt(1337), common.Address{9})
	key, err := crypto.ToECDSA(crypto.Keccak256([]byte("fuzz payer")))
	if err != nil {
		f.Fatal(err)
	}
	s, err := d.Sign(Cheque{Payer: crypto.PubkeyToAddress(key.PublicKey), Payee: common.Address{2}, CumulativeAmount: big.NewInt(1000)}, key)
	if err != nil {
		f.Fatal(err)
	}
	good, _ := json.Marshal(s)
	f.Add(good)
	f.Add([]byte(`{"CumulativeAmount": -1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var got Signed
		if json.Unmarshal(b, &got) != nil {
			return
		}
		if d.Verify(got) == nil && (got.Payer != s.Payer || got.Payee != s.Payee || got.CumulativeAmount.Cmp(s.CumulativeAmount) != 0 || got.Signature != s.Signature) {
			t.Fatalf("another cheque verifies: %+v", got)
		}
	})
}
