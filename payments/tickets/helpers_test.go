package tickets_test

import (
	"crypto/ecdsa"
	"io"
	"math/big"
	"math/rand/v2"
	"testing"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/tickets"
)

const testChain = 31337

var testVault = common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")

// testRand returns a deterministic randomness source.
func testRand(seed uint64) io.Reader {
	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	return rand.NewChaCha8(s)
}

func testValue() tickets.Value {
	return tickets.Value{Packets: 1000, Price: big.NewInt(2_000_000_000_000)}
}

func testKey(t testing.TB, seed uint64) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(crypto.S256(), testRand(1000+seed))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// world is an issuer, a provider that trusts it, and a client with a
// Vault account.
type world struct {
	t         testing.TB
	issuerDir string
	issuerCfg tickets.IssuerConfig
	issuer    *tickets.Issuer
	keys      *tickets.Keyring
	provDir   string
	provider  *tickets.Provider
	provAddr  common.Address
	provKey   *ecdsa.PrivateKey
	client    *ecdsa.PrivateKey
	domain    cheque.Domain
	paid      *big.Int // client's cumulative payment to the issuer
	rand      io.Reader
}

func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{
		t:         t,
		issuerDir: t.TempDir(),
		provDir:   t.TempDir(),
		provKey:   testKey(t, 3),
		client:    testKey(t, 1),
		domain:    cheque.NewDomain(big.NewInt(testChain), testVault),
		paid:      new(big.Int),
		rand:      testRand(7),
	}
	w.provAddr = crypto.PubkeyToAddress(w.provKey.PublicKey)
	w.issuerCfg = tickets.IssuerConfig{
		Dir: w.issuerDir, ChainID: testChain, Vault: testVault,
		Account: testKey(t, 2), Retain: 2, Rand: testRand(8), TicketIssuer: testTicketIssuer,
	}
	w.openIssuer()
	if _, err := w.issuer.Rotate(testValue()); err != nil {
		t.Fatal(err)
	}
	w.keys = tickets.NewKeyring(testChain, 2)
	for _, k := range w.issuer.Keys() {
		if err := w.keys.Add(k); err != nil {
			t.Fatal(err)
		}
	}
	w.openProvider()
	return w
}

func (w *world) openIssuer() {
	w.t.Helper()
	is, err := tickets.OpenIssuer(w.issuerCfg)
	if err != nil {
		w.t.Fatal(err)
	}
	w.issuer = is
	w.t.Cleanup(func() { is.Close() })
}

func (w *world) openProvider() {
	w.t.Helper()
	p, err := tickets.OpenProvider(tickets.ProviderConfig{Dir: w.provDir, Keys: w.keys, Rand: testRand(9)})
	if err != nil {
		w.t.Fatal(err)
	}
	w.provider = p
	w.t.Cleanup(func() { p.Close() })
}

// rotate makes the issuer rotate and the provider learn the new key.
func (w *world) rotate(v tickets.Value) tickets.IssuerKey {
	w.t.Helper()
	k, err := w.issuer.Rotate(v)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := w.keys.Add(k); err != nil {
		w.t.Fatal(err)
	}
	return k
}

func (w *world) current() tickets.IssuerKey {
	w.t.Helper()
	k, ok := w.keys.Current()
	if !ok {
		w.t.Fatal("no current key")
	}
	return k
}

// pay returns a cheque raising the client's cumulative payment by amount.
func (w *world) pay(amount *big.Int) cheque.Signed {
	w.t.Helper()
	w.paid.Add(w.paid, amount)
	s, err := w.domain.Sign(cheque.Cheque{
		Payer: crypto.PubkeyToAddress(w.client.PublicKey), Payee: w.issuer.Address(),
		CumulativeAmount: new(big.Int).Set(w.paid),
	}, w.client)
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

// requests starts n ticket requests for key.
func (w *world) requests(key tickets.IssuerKey, n int) ([]*tickets.TicketRequest, []bls.G1Affine) {
	w.t.Helper()
	reqs := make([]*tickets.TicketRequest, n)
	blinded := make([]bls.G1Affine, n)
	for i := range reqs {
		r, err := tickets.NewTicketRequest(w.rand, key)
		if err != nil {
			w.t.Fatal(err)
		}
		reqs[i], blinded[i] = r, r.Blinded()
	}
	return reqs, blinded
}

// buy buys n tickets of the current key, paying exactly.
func (w *world) buy(n int) []tickets.Ticket {
	w.t.Helper()
	return w.buyFrom(w.current(), n)
}

func (w *world) buyFrom(key tickets.IssuerKey, n int) []tickets.Ticket {
	w.t.Helper()
	reqs, blinded := w.requests(key, n)
	price := new(big.Int).Mul(big.NewInt(int64(n)), key.Value.Price)
	sigs, err := w.issuer.Sell(tickets.SaleRequest{Epoch: key.Epoch, Value: key.Value, Payment: w.pay(price), Blinded: blinded})
	if err != nil {
		w.t.Fatal(err)
	}
	ts := make([]tickets.Ticket, n)
	for i, r := range reqs {
		if ts[i], err = r.Finish(sigs[i]); err != nil {
			w.t.Fatal(err)
		}
	}
	return ts
}

func (w *world) clientAddr() common.Address { return crypto.PubkeyToAddress(w.client.PublicKey) }

// signWith makes a ticket signed by k, bypassing the issuer.
func (w *world) signWith(k *tickets.SecretKey) tickets.Ticket {
	w.t.Helper()
	req, err := tickets.NewTicketRequest(w.rand, k.Public())
	if err != nil {
		w.t.Fatal(err)
	}
	s, err := k.SignBlinded([]bls.G1Affine{req.Blinded()})
	if err != nil {
		w.t.Fatal(err)
	}
	tk, err := req.Finish(s[0])
	if err != nil {
		w.t.Fatal(err)
	}
	return tk
}

// testTicketIssuer is the TicketIssuer contract address the tests' requests are signed for.
var testTicketIssuer = common.HexToAddress("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0")

// redeem redeems ts (all of one key epoch) for the test provider.
func (w *world) redeem(ts []tickets.Ticket) (cheque.Signed, error) {
	return w.redeemAs(w.provKey, ts)
}

// redeemAs builds and signs the redemption request a provider holding key
// would send for ts, asking for what the issuer owes it plus their value.
func (w *world) redeemAs(key *ecdsa.PrivateKey, ts []tickets.Ticket) (cheque.Signed, error) {
	w.t.Helper()
	owed, err := w.issuer.Owed(crypto.PubkeyToAddress(key.PublicKey))
	if err != nil {
		w.t.Fatal(err)
	}
	amount := new(big.Int).Set(owed.CumulativeAmount)
	for _, t := range ts {
		if k, err := w.keys.Key(t.KeyEpoch); err == nil {
			amount.Add(amount, k.Value.Price)
		}
	}
	return w.redeemFor(key, ts, amount)
}

// redeemFor signs a redemption request of ts by the provider holding key
// for the cumulative amount given.
func (w *world) redeemFor(key *ecdsa.PrivateKey, ts []tickets.Ticket, amount *big.Int) (cheque.Signed, error) {
	w.t.Helper()
	return w.issuer.Redeem(w.signedRequest(key, ts, amount), ts)
}

// signedRequest is the redemption request of ts by the provider holding
// key, for the cumulative amount given.
func (w *world) signedRequest(key *ecdsa.PrivateKey, ts []tickets.Ticket, amount *big.Int) tickets.SignedRequest {
	w.t.Helper()
	req := tickets.RedemptionRequest{Issuer: w.issuer.Address(), Provider: crypto.PubkeyToAddress(key.PublicKey), CumulativeAmount: amount}
	for _, t := range ts {
		req.KeyEpoch = t.KeyEpoch
		req.Serials = append(req.Serials, t.Serial)
	}
	s, err := tickets.NewRequestDomain(big.NewInt(testChain), testTicketIssuer).Sign(req, key)
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}
