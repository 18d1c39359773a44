package lottery

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"flag"
	"math/big"
	mrand "math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/murmurnet/murmur/payments/cheque"
)

var update = flag.Bool("update", false, "rewrite the shared vectors")

// vectorsPath is where the contracts' tests read the vectors (foundry.toml
// lets them read contracts/testdata only).
const vectorsPath = "../../contracts/testdata/lottery.json"

var (
	vault  = common.HexToAddress("0x5FbDB2315678afecb367f091512768055d3d3b36")
	domain = cheque.NewDomain(big.NewInt(31337), vault)
	epoch  = time.Unix(1_800_000_000, 0)
)

// key returns a fixed private key, so that vectors and draws repeat.
func key(t testing.TB, n byte) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte{'k', n}))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func addr(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }

func ticket(t testing.TB) (Ticket, *ecdsa.PrivateKey) {
	payer := key(t, 1)
	var s Secret
	copy(s[:], crypto.Keccak256([]byte("secret")))
	return Ticket{
		Payer: addr(payer), Payee: addr(key(t, 2)), FaceValue: big.NewInt(952_000_000_000_000),
		WinProb: new(big.Int).Lsh(big.NewInt(1), 250), Nonce: 7, Commitment: s.Commitment(), ExpiresAt: 1_800_000_600,
	}, payer
}

func TestDigestMatchesGethEIP712(t *testing.T) {
	tk, _ := ticket(t)
	td := apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {
				{Name: "name", Type: "string"}, {Name: "version", Type: "string"},
				{Name: "chainId", Type: "uint256"}, {Name: "verifyingContract", Type: "address"},
			},
			"LotteryTicket": {
				{Name: "payer", Type: "address"}, {Name: "payee", Type: "address"},
				{Name: "faceValue", Type: "uint256"}, {Name: "winProb", Type: "uint256"},
				{Name: "nonce", Type: "uint64"}, {Name: "commitment", Type: "bytes32"}, {Name: "expiresAt", Type: "uint64"},
			},
		},
		PrimaryType: "LotteryTicket",
		Domain: apitypes.TypedDataDomain{Name: "Murmur Vault", Version: "1",
			ChainId: (*math.HexOrDecimal256)(big.NewInt(31337)), VerifyingContract: vault.Hex()},
		Message: apitypes.TypedDataMessage{
			"payer": tk.Payer.Hex(), "payee": tk.Payee.Hex(), "faceValue": tk.FaceValue.String(), "winProb": tk.WinProb.String(),
			"nonce": "7", "commitment": tk.Commitment.Hex(), "expiresAt": "1800000600",
		},
	}
	want, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Digest(domain, tk)
	if err != nil || common.BytesToHash(want) != got {
		t.Fatalf("digest %x (%v), go-ethereum says %x", got, err, want)
	}
}

func TestSignVerifyAndForgeries(t *testing.T) {
	tk, payer := ticket(t)
	s, err := Sign(domain, tk, payer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(domain, s); err != nil {
		t.Fatal(err)
	}
	if _, err := Sign(domain, tk, key(t, 9)); err == nil {
		t.Fatal("signed with another key than the payer's")
	}
	for name, spoil := range map[string]func(*Signed){
		"face value":   func(s *Signed) { s.FaceValue = new(big.Int).Add(s.FaceValue, big.NewInt(1)) },
		"probability":  func(s *Signed) { s.WinProb = new(big.Int).Lsh(s.WinProb, 1) },
		"payee":        func(s *Signed) { s.Payee = addr(key(t, 3)) },
		"nonce":        func(s *Signed) { s.Nonce++ },
		"commitment":   func(s *Signed) { s.Commitment[0] ^= 1 },
		"expiry":       func(s *Signed) { s.ExpiresAt++ },
		"other domain": func(s *Signed) {},
		"high s": func(s *Signed) {
			n := crypto.S256().Params().N
			hs := new(big.Int).Sub(n, new(big.Int).SetBytes(s.Signature[32:64]))
			hs.FillBytes(s.Signature[32:64])
			s.Signature[64] ^= 1 // 27 ↔ 28: the same signer, malleated
		},
		"bad v": func(s *Signed) { s.Signature[64] = 29 },
	} {
		bad := s
		bad.FaceValue, bad.WinProb = new(big.Int).Set(s.FaceValue), new(big.Int).Set(s.WinProb)
		spoil(&bad)
		d := domain
		if name == "other domain" {
			d = cheque.NewDomain(big.NewInt(1), vault)
		}
		if _, err := Verify(d, bad); !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("%s: Verify = %v, want ErrInvalidSignature", name, err)
		}
	}
	for name, spoil := range map[string]func(*Ticket){
		"zero face":        func(t *Ticket) { t.FaceValue = new(big.Int) },
		"zero probability": func(t *Ticket) { t.WinProb = new(big.Int) },
		"wide probability": func(t *Ticket) { t.WinProb = new(big.Int).Lsh(big.NewInt(1), 256) },
		"to itself":        func(t *Ticket) { t.Payee = t.Payer },
	} {
		bad := tk
		spoil(&bad)
		if _, err := Digest(domain, bad); !errors.Is(err, ErrInvalidTicket) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestClaim(t *testing.T) {
	var secret Secret
	copy(secret[:], crypto.Keccak256([]byte("secret")))
	tk, payer := ticket(t)
	tk.WinProb = new(big.Int).Sub(two256, big.NewInt(1)) // wins unless the draw is 2²⁵⁶−1
	s, _ := Sign(domain, tk, payer)
	if _, err := Claim(domain, s, secret, 1_800_000_000); err != nil {
		t.Fatalf("a sure win: %v", err)
	}
	var other Secret
	if _, err := Claim(domain, s, other, 1_800_000_000); !errors.Is(err, ErrBadReveal) {
		t.Errorf("another secret: %v", err)
	}
	if _, err := Claim(domain, s, secret, tk.ExpiresAt+1); !errors.Is(err, ErrExpired) {
		t.Errorf("past its expiry: %v", err)
	}
	tk.WinProb = big.NewInt(1) // wins only on a zero draw
	s, _ = Sign(domain, tk, payer)
	if _, err := Claim(domain, s, secret, 1_800_000_000); !errors.Is(err, ErrNotWinning) {
		t.Errorf("a losing ticket: %v", err)
	}
}

func TestWinProbFor(t *testing.T) {
	face := big.NewInt(1_000_000)
	for _, ev := range []int64{1, 3, 999_999, 1_000_000} {
		p, ok := WinProbFor(big.NewInt(ev), face)
		if !ok {
			t.Fatalf("%d: refused", ev)
		}
		got := Ticket{FaceValue: face, WinProb: p}.ExpectedValue()
		// Rounded up, then down: the expected value is ev, or ev − 1 at
		// the top where the threshold is capped at 2²⁵⁶ − 1.
		if d := new(big.Int).Sub(big.NewInt(ev), got); d.Sign() < 0 || d.Int64() > 1 {
			t.Errorf("expected %d, the ticket is worth %v", ev, got)
		}
	}
	for _, ev := range []int64{0, -1, 1_000_001} {
		if _, ok := WinProbFor(big.NewInt(ev), face); ok {
			t.Errorf("expected value %d of a face of 1,000,000 allowed", ev)
		}
	}
}

// The draw is fair: at a probability of 1/100, 20,000 tickets win about
// 200 times. Keys and secrets are fixed, so the count repeats.
func TestDrawFrequency(t *testing.T) {
	payerKey := key(t, 1)
	payee := NewPayee(domain, addr(key(t, 2)), time.Minute, bytes.NewReader(bytes.Repeat(crypto.Keccak256([]byte("seed")), 1000)), func() time.Time { return epoch })
	payer := NewPayer(domain, payerKey, time.Hour, func() time.Time { return epoch })
	face := big.NewInt(100_000)
	wins := 0
	for range 20_000 {
		c, _ := payee.Commitment(addr(payerKey))
		payer.Commit(payee.self, c)
		s, err := payer.Pay(payee.self, big.NewInt(1_000), face)
		if err != nil {
			t.Fatal(err)
		}
		_, won, err := payee.Accept(s, big.NewInt(1e18))
		if err != nil {
			t.Fatal(err)
		}
		if won {
			wins++
		}
	}
	// Binomial(20000, 0.01): mean 200, standard deviation 14.1.
	if wins < 200-4*14 || wins > 200+4*14 {
		t.Fatalf("%d wins in 20,000 tickets at 1/100", wins)
	}
	st := payee.Stats()
	if st.Won != uint64(wins) || st.ExpectedWei.Cmp(big.NewInt(20_000*1_000)) != 0 || st.PendingWei.Cmp(new(big.Int).Mul(big.NewInt(int64(wins)), face)) != 0 {
		t.Fatalf("stats %+v after %d wins", st, wins)
	}
}

// Each refusal of a payee, with its reason counted; a win moves the
// commitment on, tickets under the old one still count until its wins are
// claimed, and none after.
func TestPayeeRefusesAndRotates(t *testing.T) {
	now := epoch
	clock := func() time.Time { return now }
	payerKey, payeeKey := key(t, 1), key(t, 2)
	payee := NewPayee(domain, addr(payeeKey), 30*time.Second, nil, clock)
	payer := NewPayer(domain, payerKey, time.Minute, clock)
	cover := new(big.Int).Lsh(big.NewInt(1), 255)
	c0, _ := payee.Commitment(addr(payerKey))

	if _, err := payer.Pay(addr(payeeKey), big.NewInt(1), big.NewInt(10)); err == nil {
		t.Fatal("paid without a commitment")
	}
	payer.Commit(addr(payeeKey), c0)
	lose, _ := payer.Pay(addr(payeeKey), big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), 200)) // all but never wins
	if ev, won, err := payee.Accept(lose, cover); err != nil || won || ev.Sign() != 1 {
		t.Fatalf("a losing ticket: %v %v %v", ev, won, err)
	}
	if _, _, err := payee.Accept(lose, cover); !errors.Is(err, ErrReplayed) {
		t.Errorf("the same ticket again: %v", err)
	}
	big1 := new(big.Int).Lsh(big.NewInt(1), 100)
	dear, _ := payer.Pay(addr(payeeKey), big.NewInt(1), big1)
	if _, _, err := payee.Accept(dear, big.NewInt(1000)); !errors.Is(err, ErrUncovered) {
		t.Errorf("face value above cover: %v", err)
	}
	if s, err := Sign(domain, Ticket{Payer: addr(payerKey), Payee: addr(key(t, 5)), FaceValue: big.NewInt(9), WinProb: big.NewInt(9), Commitment: c0, ExpiresAt: 2e9}, payerKey); err != nil {
		t.Fatal(err)
	} else if _, _, err := payee.Accept(s, cover); !errors.Is(err, ErrWrongPayee) {
		t.Errorf("a ticket to another payee: %v", err)
	}
	unknown, _ := Sign(domain, Ticket{Payer: addr(payerKey), Payee: addr(payeeKey), FaceValue: big.NewInt(9), WinProb: big.NewInt(9), Commitment: common.Hash{1}, ExpiresAt: 2e9}, payerKey)
	if _, _, err := payee.Accept(unknown, cover); !errors.Is(err, ErrUnknownSecret) {
		t.Errorf("a commitment never made: %v", err)
	}
	old, _ := payer.Pay(addr(payeeKey), big.NewInt(1), big.NewInt(1))
	now = now.Add(2 * time.Minute)
	if _, _, err := payee.Accept(old, cover); !errors.Is(err, ErrExpired) {
		t.Errorf("an expired ticket: %v", err)
	}
	forged := lose
	forged.Nonce = 99
	if _, _, err := payee.Accept(forged, cover); !errors.Is(err, ErrInvalidSignature) {
		t.Errorf("a forged ticket: %v", err)
	}

	// A sure win (expected value = face value) moves the commitment on.
	win, _ := payer.Pay(addr(payeeKey), big.NewInt(50), big.NewInt(50))
	straggler, _ := payer.Pay(addr(payeeKey), big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), 200))
	if _, won, err := payee.Accept(win, cover); err != nil || !won {
		t.Fatalf("a sure win: %v %v", won, err)
	}
	c1, _ := payee.Commitment(addr(payerKey))
	if c1 == c0 {
		t.Fatal("the commitment did not move on after a win")
	}
	if _, _, err := payee.Accept(straggler, cover); err != nil {
		t.Errorf("a ticket signed under the old commitment before the payer heard of the new: %v", err)
	}
	ws := payee.Wins()
	if len(ws) != 1 || ws[0].Secret.Commitment() != c0 {
		t.Fatalf("wins %+v", ws)
	}
	if _, err := Claim(domain, ws[0].Ticket, ws[0].Secret, uint64(now.Unix())); err != nil {
		t.Fatalf("the win does not claim: %v", err)
	}
	payee.MarkClaimed(ws[0].Digest)
	late, _ := Sign(domain, Ticket{Payer: addr(payerKey), Payee: addr(payeeKey), FaceValue: big.NewInt(9), WinProb: big.NewInt(9), Nonce: 1000, Commitment: c0, ExpiresAt: 2e9}, payerKey)
	if _, _, err := payee.Accept(late, cover); !errors.Is(err, ErrUnknownSecret) {
		t.Errorf("a ticket under a commitment whose secret the claim revealed: %v", err)
	}
	// The Vault now redeems only nonces above the claimed win's.
	low, _ := Sign(domain, Ticket{Payer: addr(payerKey), Payee: addr(payeeKey), FaceValue: big.NewInt(9), WinProb: big.NewInt(9), Nonce: 0, Commitment: c1, ExpiresAt: 2e9}, payerKey)
	if _, _, err := payee.Accept(low, cover); !errors.Is(err, ErrReplayed) {
		t.Errorf("a nonce below a claimed win's: %v", err)
	}
	st := payee.Stats()
	if st.Won != 1 || st.Claimed != 1 || st.PendingWei.Sign() != 0 || st.Refused[ErrReplayed.Error()] != 2 || st.Refused[ErrUnknownSecret.Error()] != 2 ||
		st.Refused[ErrExpired.Error()] != 1 || st.Refused[ErrInvalidSignature.Error()] != 1 || st.Refused[ErrUncovered.Error()] != 1 || st.Refused[ErrWrongPayee.Error()] != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// A win that expires unclaimed is dropped, and counted as lost; so is one
// below a nonce already claimed.
func TestPayeeDropsDeadWins(t *testing.T) {
	now := epoch
	clock := func() time.Time { return now }
	payerKey, payeeKey := key(t, 1), key(t, 2)
	payee := NewPayee(domain, addr(payeeKey), time.Minute, nil, clock)
	payer := NewPayer(domain, payerKey, time.Hour, clock)
	cover := big.NewInt(1e18)
	win := func() {
		t.Helper()
		c, _ := payee.Commitment(addr(payerKey))
		payer.Commit(addr(payeeKey), c)
		s, _ := payer.Pay(addr(payeeKey), big.NewInt(10), big.NewInt(10))
		if _, won, err := payee.Accept(s, cover); err != nil || !won {
			t.Fatalf("a sure win: %v %v", won, err)
		}
	}
	win()
	now = now.Add(2 * time.Hour)
	if ws := payee.Wins(); len(ws) != 0 {
		t.Fatalf("an expired win is offered for claiming: %+v", ws)
	}
	win() // nonce 1
	win() // nonce 2
	ws := payee.Wins()
	if len(ws) != 2 || ws[0].Ticket.Nonce != 1 || ws[1].Ticket.Nonce != 2 {
		t.Fatalf("wins %+v, want nonces 1 and 2 in order", ws)
	}
	payee.MarkClaimed(ws[1].Digest) // claimed alone: nonce 1 can no longer be
	if ws := payee.Wins(); len(ws) != 0 {
		t.Fatalf("a win below a claimed nonce is offered: %+v", ws)
	}
	if st := payee.Stats(); st.Lost != 2 || st.Claimed != 1 || st.PendingWei.Sign() != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// vector is one shared test vector: the contract's tests read the same
// file (contracts/testdata/lottery.json), so that Go and Solidity agree on
// digests, signatures and draws.
type vector struct {
	Payer      common.Address `json:"payer"`
	Payee      common.Address `json:"payee"`
	FaceValue  string         `json:"faceValue"`
	WinProb    string         `json:"winProb"`
	Nonce      uint64         `json:"nonce"`
	Commitment common.Hash    `json:"commitment"`
	ExpiresAt  uint64         `json:"expiresAt"`
	Secret     common.Hash    `json:"secret"`
	Digest     common.Hash    `json:"digest"`
	Signature  string         `json:"signature"`
	Draw       common.Hash    `json:"draw"`
	Wins       bool           `json:"wins"`
}

type vectorFile struct {
	ChainID   uint64         `json:"chainId"`
	Vault     common.Address `json:"vault"`
	Separator common.Hash    `json:"separator"`
	Vectors   []vector       `json:"vectors"`
}

func makeVectors(t *testing.T) vectorFile {
	f := vectorFile{ChainID: 31337, Vault: vault, Separator: domain.Separator()}
	rng := mrand.New(mrand.NewPCG(13, 17))
	payer := key(t, 1)
	for i := range 8 {
		var secret Secret
		copy(secret[:], crypto.Keccak256([]byte{'s', byte(i)}))
		prob := new(big.Int).Lsh(big.NewInt(1), uint(248+rng.IntN(8))) // 1/256 … 1/2
		tk := Ticket{Payer: addr(payer), Payee: addr(key(t, byte(2+i%3))), FaceValue: big.NewInt(int64(1 + rng.IntN(1e9))),
			WinProb: prob, Nonce: uint64(i), Commitment: secret.Commitment(), ExpiresAt: uint64(1_800_000_000 + i)}
		s, err := Sign(domain, tk, payer)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := Digest(domain, tk)
		f.Vectors = append(f.Vectors, vector{Payer: tk.Payer, Payee: tk.Payee, FaceValue: tk.FaceValue.String(), WinProb: prob.String(),
			Nonce: tk.Nonce, Commitment: tk.Commitment, ExpiresAt: tk.ExpiresAt, Secret: common.Hash(secret), Digest: d,
			Signature: common.Bytes2Hex(s.Signature[:]), Draw: Draw(d, secret), Wins: Wins(d, prob, secret)})
	}
	return f
}

// TestVectors checks testdata/vectors.json against this package; -update
// writes it.
func TestVectors(t *testing.T) {
	want := makeVectors(t)
	b, err := json.MarshalIndent(want, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if *update {
		if err := os.WriteFile(vectorsPath, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b) {
		t.Fatalf("%s differs from what the package computes (go test ./payments/lottery -run TestVectors -update)", vectorsPath)
	}
	var wins, losses int
	for _, v := range want.Vectors {
		if v.Wins {
			wins++
		} else {
			losses++
		}
	}
	if wins == 0 || losses == 0 {
		t.Fatalf("vectors should hold wins and losses: %d and %d", wins, losses)
	}
}

func BenchmarkVerify(b *testing.B) {
	tk, payer := ticket(b)
	s, err := Sign(domain, tk, payer)
	if err != nil {
		b.Fatal(err)
	}
	var secret Secret
	copy(secret[:], crypto.Keccak256([]byte("secret")))
	b.ReportAllocs()
	for b.Loop() {
		d, err := Verify(domain, s)
		if err != nil {
			b.Fatal(err)
		}
		Wins(d, s.WinProb, secret)
	}
}

// A payee restored from its State and Pending after a restart refuses
// what it refused before the restart and still holds its wins; a ticket
// survives its binary encoding, and a malformed one is refused.
func TestPayeeRestoreAndEncoding(t *testing.T) {
	now := epoch
	clock := func() time.Time { return now }
	payerKey, payeeKey := key(t, 1), key(t, 2)
	payee := NewPayee(domain, addr(payeeKey), time.Minute, nil, clock)
	payer := NewPayer(domain, payerKey, time.Hour, clock)
	cover := new(big.Int).Lsh(big.NewInt(1), 255)
	c0, _ := payee.Commitment(addr(payerKey))
	payer.Commit(addr(payeeKey), c0)
	lose, _ := payer.Pay(addr(payeeKey), big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), 200))
	win, _ := payer.Pay(addr(payeeKey), big.NewInt(10), big.NewInt(10))
	for _, s := range []Signed{lose, win} {
		b, err := s.MarshalBinary()
		if err != nil || len(b) != EncodedLen {
			t.Fatalf("encoding: %d bytes, %v", len(b), err)
		}
		var back Signed
		if err := back.UnmarshalBinary(b); err != nil || back.FaceValue.Cmp(s.FaceValue) != 0 || back.WinProb.Cmp(s.WinProb) != 0 ||
			back.Signature != s.Signature || back.Nonce != s.Nonce || back.Commitment != s.Commitment || back.ExpiresAt != s.ExpiresAt {
			t.Fatalf("round trip: %+v, %v", back, err)
		}
		if err := back.UnmarshalBinary(b[1:]); !errors.Is(err, ErrInvalidTicket) {
			t.Errorf("a short ticket: %v", err)
		}
		zero := bytes.Clone(b)
		clear(zero[40:72]) // face value
		if err := back.UnmarshalBinary(zero); !errors.Is(err, ErrInvalidTicket) {
			t.Errorf("a zero face value: %v", err)
		}
	}
	if _, w, err := payee.AcceptWin(lose, cover); err != nil || w != nil {
		t.Fatalf("losing ticket: %v %v", w, err)
	}
	_, w, err := payee.AcceptWin(win, cover)
	if err != nil || w == nil {
		t.Fatalf("sure win: %v %v", w, err)
	}
	st, ok := payee.State(addr(payerKey))
	pending := payee.Pending()
	if !ok || len(pending) != 1 || pending[0].Digest != w.Digest || len(st.Secrets) != 2 {
		t.Fatalf("state %+v, pending %+v", st, pending)
	}

	again := NewPayee(domain, addr(payeeKey), time.Minute, nil, clock)
	if err := again.RestoreWin(*w); err == nil {
		t.Error("a win restored before its payer")
	}
	if err := again.Restore(addr(payerKey), PayerState{Current: common.Hash{1}, Secrets: st.Secrets}); err == nil {
		t.Error("restored a current commitment without its secret")
	}
	if err := again.Restore(addr(payerKey), st); err != nil {
		t.Fatal(err)
	}
	forged := *w
	forged.Secret[0] ^= 1
	if err := again.RestoreWin(forged); err == nil {
		t.Error("restored a win with the wrong secret")
	}
	if err := again.RestoreWin(*w); err != nil {
		t.Fatal(err)
	}
	if _, _, err := again.Accept(lose, cover); !errors.Is(err, ErrReplayed) {
		t.Errorf("a ticket taken before the restart: %v", err)
	}
	if c, _ := again.Commitment(addr(payerKey)); c != st.Current || c == c0 {
		t.Errorf("commitment after restore %s, want %s (moved on from %s)", c, st.Current, c0)
	}
	if ws := again.Wins(); len(ws) != 1 || ws[0].Digest != w.Digest {
		t.Fatalf("wins after restore %+v", ws)
	}
	if got := again.Stats().PendingWei; got.Cmp(big.NewInt(10)) != 0 {
		t.Errorf("pending %v wei after restore, want 10", got)
	}
}

// A ticket from the wire either decodes to a well-formed ticket that
// encodes back to the same bytes, or is refused as ErrInvalidTicket; it
// never panics, and Verify refuses it unless it carries its payer's
// signature.
func FuzzUnmarshalTicket(f *testing.F) {
	tk, k := ticket(f)
	s, err := Sign(domain, tk, k)
	if err != nil {
		f.Fatal(err)
	}
	good, _ := s.MarshalBinary()
	f.Add(good)
	f.Add(good[:EncodedLen-1])
	f.Add(make([]byte, EncodedLen))
	f.Fuzz(func(t *testing.T, b []byte) {
		var got Signed
		if err := got.UnmarshalBinary(b); err != nil {
			if !errors.Is(err, ErrInvalidTicket) {
				t.Fatalf("refused with %v, want ErrInvalidTicket", err)
			}
			return
		}
		back, err := got.MarshalBinary()
		if err != nil || !bytes.Equal(back, b) {
			t.Fatalf("re-encoding: %x, %v", back, err)
		}
		if _, err := Verify(domain, got); err == nil && !bytes.Equal(b, good) {
			t.Fatalf("a ticket other than the signed one verifies: %x", b)
		}
	})
}
