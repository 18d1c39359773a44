package market_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"io"
	"math/big"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p"
	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/market"
	"github.com/murmurnet/murmur/payments/tickets"
	"github.com/murmurnet/murmur/payments/wallet"
)

const testChain = 31337

var (
	testVault        = common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")
	testTicketIssuer = common.HexToAddress("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0")
)

// waitFor bounds every exchange of these tests.
const waitFor = 20 * time.Second

func testRand(seed uint64) io.Reader {
	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	return rand.NewChaCha8(s)
}

func testValue() tickets.Value {
	return tickets.Value{Packets: 1000, Price: big.NewInt(2_000_000_000_000), Fee: big.NewInt(70_000_000_000)}
}

func testKey(t testing.TB, seed uint64) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(crypto.S256(), testRand(1000+seed))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), waitFor)
	t.Cleanup(cancel)
	return c
}

func newHost(t *testing.T, id lcrypto.PrivKey) host.Host {
	t.Helper()
	opts := []libp2p.Option{libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableRelay()}
	if id != nil {
		opts = append(opts, libp2p.Identity(id))
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// world is an issuer serving the market on one host, and a client with a
// Vault account and a wallet on another.
type world struct {
	t         *testing.T
	issuer    *tickets.Issuer
	issuerID  lcrypto.PrivKey
	issuerH   host.Host
	server    *market.Server
	client    host.Host
	clientKey *ecdsa.PrivateKey
	domain    cheque.Domain
	paid      *big.Int // the client's cumulative payment to the issuer
	key       tickets.IssuerKey
	keys      *tickets.Keyring
	wallet    *wallet.Wallet
}

func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldWith(t, func(*tickets.IssuerConfig) {})
}

// newWorldWith is newWorld with an issuer configured by set.
func newWorldWith(t *testing.T, set func(*tickets.IssuerConfig)) *world {
	t.Helper()
	w := &world{
		t:         t,
		clientKey: testKey(t, 1),
		domain:    cheque.NewDomain(big.NewInt(testChain), testVault),
		paid:      new(big.Int),
	}
	cfg := tickets.IssuerConfig{
		Dir: t.TempDir(), ChainID: testChain, Vault: testVault, Account: testKey(t, 2),
		TicketIssuer: testTicketIssuer, Retain: 2, Rand: testRand(8),
	}
	set(&cfg)
	is, err := tickets.OpenIssuer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { is.Close() })
	w.issuer = is
	if w.key, err = is.Rotate(testValue()); err != nil {
		t.Fatal(err)
	}
	w.keys = tickets.NewKeyring(testChain, 2)
	if err := w.keys.Add(w.key); err != nil {
		t.Fatal(err)
	}
	if w.issuerID, _, err = lcrypto.GenerateEd25519Key(testRand(20)); err != nil {
		t.Fatal(err)
	}
	w.issuerH = newHost(t, w.issuerID)
	w.serve()
	w.client = newHost(t, nil)
	w.client.Peerstore().AddAddrs(w.issuerH.ID(), w.issuerH.Addrs(), peerstore.PermanentAddrTTL)
	if w.wallet, err = wallet.Open(filepath.Join(t.TempDir(), "wallet"), bytes.Repeat([]byte{7}, wallet.SecretSize)); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) serve() {
	srv := market.Serve(w.issuerH, w.issuer, market.ServeOptions{})
	w.server = srv
	w.t.Cleanup(func() { srv.Close() })
}

func (w *world) payer() common.Address { return crypto.PubkeyToAddress(w.clientKey.PublicKey) }

func (w *world) cheque(amount *big.Int) cheque.Signed {
	w.t.Helper()
	s, err := w.domain.Sign(cheque.Cheque{Payer: w.payer(), Payee: w.issuer.Address(), CumulativeAmount: amount}, w.clientKey)
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

// pay is a cheque book: it raises the cumulative payment by price.
func (w *world) pay(price *big.Int) (cheque.Signed, error) {
	w.paid.Add(w.paid, price)
	return w.cheque(new(big.Int).Set(w.paid)), nil
}

func (w *world) buy(n int) []tickets.Ticket {
	w.t.Helper()
	ts, err := market.Buy(ctx(w.t), w.client, w.issuerH.ID(), w.key, n, w.pay, w.wallet)
	if err != nil {
		w.t.Fatal(err)
	}
	return ts
}

func (w *world) balance() int {
	n := 0
	for _, b := range w.wallet.Balance() {
		n += b.Tickets
	}
	return n
}

// lastPayment returns the cumulative amount of the last cheque the issuer
// accepted from the client.
func (w *world) lastPayment() *big.Int {
	w.t.Helper()
	c, ok, err := w.issuer.Payment(w.payer())
	if err != nil {
		w.t.Fatal(err)
	}
	if !ok {
		return new(big.Int)
	}
	return c.CumulativeAmount
}

// begin records a purchase of n tickets in the wallet, paid with pay, as
// Buy does before it sends the order.
func (w *world) begin(n int, pay cheque.Signed) wallet.Purchase {
	w.t.Helper()
	reqs := make([]*tickets.TicketRequest, n)
	for i := range reqs {
		var err error
		if reqs[i], err = tickets.NewTicketRequest(nil, w.key); err != nil {
			w.t.Fatal(err)
		}
	}
	id, err := w.wallet.Begin(w.issuerH.ID().String(), w.key, reqs, pay)
	if err != nil {
		w.t.Fatal(err)
	}
	p, _ := w.wallet.Purchase(id)
	return p
}

func TestKeys(t *testing.T) {
	w := newWorld(t)
	next, err := w.issuer.Rotate(tickets.Value{Packets: 500, Price: big.NewInt(7)})
	if err != nil {
		t.Fatal(err)
	}
	c, err := market.Keys(ctx(t), w.client, w.issuerH.ID())
	if err != nil {
		t.Fatal(err)
	}
	if c.Issuer != w.issuer.Address() || len(c.Keys) != 2 || !c.Keys[0].Equal(w.key) || !c.Keys[1].Equal(next) {
		t.Fatalf("catalog %+v; want the issuer's address and keys %d, %d", c, w.key.Epoch, next.Epoch)
	}
	if cur, ok := c.Current(); !ok || !cur.Equal(next) {
		t.Fatal("Current is not the newest key")
	}
}

func TestBuy(t *testing.T) {
	w := newWorld(t)
	ts := w.buy(3)
	if len(ts) != 3 {
		t.Fatalf("bought %d tickets, want 3", len(ts))
	}
	if err := w.keys.VerifyBatch(testRand(3), ts); err != nil {
		t.Fatalf("bought tickets do not verify: %v", err)
	}
	if w.balance() != 3 || len(w.wallet.Pending()) != 0 {
		t.Fatalf("wallet after buying: %d tickets, %d pending", w.balance(), len(w.wallet.Pending()))
	}
	if got := w.lastPayment(); got.Cmp(w.paid) != 0 {
		t.Fatalf("issuer accepted %v, client paid %v", got, w.paid)
	}
	// And again: the issuer counts from the last cheque.
	w.buy(2)
	if w.balance() != 5 {
		t.Fatalf("balance %d after buying 3 and 2", w.balance())
	}
	if _, err := market.Buy(ctx(t), w.client, w.issuerH.ID(), w.key, 0, w.pay, w.wallet); err == nil {
		t.Fatal("bought 0 tickets")
	}
}

func TestBuyUnderpaid(t *testing.T) {
	w := newWorld(t)
	short := func(price *big.Int) (cheque.Signed, error) {
		return w.cheque(new(big.Int).Sub(price, big.NewInt(1))), nil
	}
	_, err := market.Buy(ctx(t), w.client, w.issuerH.ID(), w.key, 2, short, w.wallet)
	var re *market.RefusalError
	if !errors.As(err, &re) || re.Code != market.CodeUnderpaid {
		t.Fatalf("underpaid order: %v, want a RefusalError with CodeUnderpaid", err)
	}
	price := new(big.Int).Mul(big.NewInt(2), w.key.Value.SalePrice())
	if re.Want.Cmp(price) != 0 || re.Have.Cmp(new(big.Int).Sub(price, big.NewInt(1))) != 0 {
		t.Fatalf("refusal says want %v have %v; want %v and one wei less", re.Want, re.Have, price)
	}
	if !errors.Is(err, tickets.ErrInsufficientPayment) || !errors.Is(err, market.ErrRefused) {
		t.Fatalf("%v does not match ErrInsufficientPayment and ErrRefused", err)
	}
	if !strings.Contains(err.Error(), "underpaid by 1 wei") {
		t.Fatalf("error %q does not say by how much", err)
	}
	if w.balance() != 0 || len(w.wallet.Pending()) != 0 {
		t.Fatal("a refused purchase left tickets or a pending entry")
	}
	w.buy(1) // the refused cheque was not counted
}

func TestBuyForgedCheque(t *testing.T) {
	w := newWorld(t)
	forger := testKey(t, 66)
	forged := func(price *big.Int) (cheque.Signed, error) {
		s, err := w.domain.Sign(cheque.Cheque{Payer: crypto.PubkeyToAddress(forger.PublicKey), Payee: w.issuer.Address(), CumulativeAmount: price}, forger)
		s.Payer = w.payer() // claims to be the client
		return s, err
	}
	_, err := market.Buy(ctx(t), w.client, w.issuerH.ID(), w.key, 1, forged, w.wallet)
	var re *market.RefusalError
	if !errors.As(err, &re) || re.Code != market.CodeBadCheque || !errors.Is(err, tickets.ErrBadCheque) {
		t.Fatalf("forged cheque: %v, want CodeBadCheque", err)
	}
	if len(w.wallet.Pending()) != 0 || w.lastPayment().Sign() != 0 {
		t.Fatal("forged cheque left a pending purchase or was stored")
	}

	// A cheque to someone else is no better.
	other := func(price *big.Int) (cheque.Signed, error) {
		return w.domain.Sign(cheque.Cheque{Payer: w.payer(), Payee: common.Address{1}, CumulativeAmount: price}, w.clientKey)
	}
	if _, err := market.Buy(ctx(t), w.client, w.issuerH.ID(), w.key, 1, other, w.wallet); !errors.Is(err, tickets.ErrBadCheque) {
		t.Fatalf("cheque to another payee: %v, want ErrBadCheque", err)
	}
}

func TestBuyWrongKey(t *testing.T) {
	w := newWorld(t)
	wrongValue := w.key
	wrongValue.Value = tickets.Value{Packets: 1, Price: big.NewInt(1)}
	if _, err := market.Buy(ctx(t), w.client, w.issuerH.ID(), wrongValue, 1, w.pay, w.wallet); !errors.Is(err, tickets.ErrWrongValue) {
		t.Fatalf("order of the wrong value: %v, want ErrWrongValue", err)
	}
	w.paid.SetInt64(0)
	unknown := w.key
	unknown.Epoch = 9
	if _, err := market.Buy(ctx(t), w.client, w.issuerH.ID(), unknown, 1, w.pay, w.wallet); !errors.Is(err, tickets.ErrUnknownEpoch) {
		t.Fatalf("order for an unknown epoch: %v, want ErrUnknownEpoch", err)
	}
	if len(w.wallet.Pending()) != 0 {
		t.Fatal("refused orders left pending purchases")
	}
}

// TestIssuerUnreachable: the issuer's host is down. The purchase stays
// pending with its cheque; once the issuer is back, Resume finishes it.
func TestIssuerUnreachable(t *testing.T) {
	w := newWorld(t)
	id := w.issuerH.ID()
	w.server.Close()
	w.issuerH.Close()

	_, err := market.Buy(ctx(t), w.client, id, w.key, 2, w.pay, w.wallet)
	if !errors.Is(err, market.ErrUnreachable) || !strings.Contains(err.Error(), "issuer unreachable") {
		t.Fatalf("Buy from a closed host: %v, want ErrUnreachable", err)
	}
	pending := w.wallet.Pending()
	if len(pending) != 1 || pending[0].Issuer != id.String() || pending[0].Payment.CumulativeAmount.Cmp(w.paid) != 0 {
		t.Fatalf("pending after an unreachable issuer: %+v", pending)
	}
	if _, err := market.Buy(ctx(t), w.client, id, w.key, 1, w.pay, w.wallet); !errors.Is(err, market.ErrPendingPurchase) {
		t.Fatalf("Buy with a purchase pending: %v, want ErrPendingPurchase", err)
	}

	// The issuer comes back on a new address.
	w.issuerH = newHost(t, w.issuerID)
	w.serve()
	w.client.Peerstore().ClearAddrs(id)
	w.client.Peerstore().AddAddrs(id, w.issuerH.Addrs(), peerstore.PermanentAddrTTL)
	w.client.Network().(*swarm.Swarm).Backoff().Clear(id)

	ts, err := market.Resume(ctx(t), w.client, w.wallet, pending[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || w.balance() != 2 || len(w.wallet.Pending()) != 0 {
		t.Fatalf("after Resume: %d tickets returned, balance %d, %d pending", len(ts), w.balance(), len(w.wallet.Pending()))
	}
	if w.lastPayment().Cmp(w.paid) != 0 {
		t.Fatal("the issuer did not take the pending cheque")
	}
}

// TestResumeLostAnswer: the client paid, the issuer sold, the answer was
// lost. Resume gets the same signatures without paying again; the same
// cheque cannot buy other tickets; and the issuer remembers the sale
// across a restart of its server.
func TestResumeLostAnswer(t *testing.T) {
	w := newWorld(t)
	pay, _ := w.pay(new(big.Int).Mul(big.NewInt(2), w.key.Value.SalePrice()))
	p := w.begin(2, pay)
	if err := market.SendOrder(ctx(t), w.client, w.issuerH.ID(), p); err != nil {
		t.Fatal(err)
	}
	if w.lastPayment().Cmp(w.paid) != 0 {
		t.Fatal("the issuer did not sell")
	}

	ts, err := market.Resume(ctx(t), w.client, w.wallet, p.ID)
	if err != nil {
		t.Fatalf("Resume after a lost answer: %v", err)
	}
	if len(ts) != 2 || w.balance() != 2 || len(w.wallet.Pending()) != 0 {
		t.Fatalf("after Resume: %d tickets, balance %d, %d pending", len(ts), w.balance(), len(w.wallet.Pending()))
	}
	if err := w.keys.VerifyBatch(testRand(4), ts); err != nil {
		t.Fatal(err)
	}
	if w.lastPayment().Cmp(w.paid) != 0 {
		t.Fatal("the retried order moved the issuer's books")
	}

	// The same cheque with other blinded tickets buys nothing.
	q := w.begin(2, pay)
	_, err = market.Resume(ctx(t), w.client, w.wallet, q.ID)
	if !errors.Is(err, tickets.ErrStaleCheque) {
		t.Fatalf("a paid cheque reused for other tickets: %v, want ErrStaleCheque", err)
	}
	if _, ok := w.wallet.Purchase(q.ID); !ok {
		t.Fatal("a resumed purchase refused as stale was dropped")
	}
	if err := w.wallet.Abandon(q.ID); err != nil {
		t.Fatal(err)
	}

	// The issuer keeps the sale on disk: after its server restarts, the
	// lost answer is still got by Resume, without paying again.
	pay, _ = w.pay(w.key.Value.SalePrice())
	r := w.begin(1, pay)
	if err := market.SendOrder(ctx(t), w.client, w.issuerH.ID(), r); err != nil {
		t.Fatal(err)
	}
	w.server.Close()
	w.serve()
	ts, err = market.Resume(ctx(t), w.client, w.wallet, r.ID)
	if err != nil || len(ts) != 1 {
		t.Fatalf("Resume after the issuer restarted: %d tickets, %v", len(ts), err)
	}
	if _, ok := w.wallet.Purchase(r.ID); ok {
		t.Fatal("a resumed purchase is still pending")
	}
	if w.lastPayment().Cmp(w.paid) != 0 {
		t.Fatal("the retried order moved the issuer's books")
	}
}

// TestBadIssuerAnswer: an issuer that signs with another key is caught,
// and nothing is stored.
func TestBadIssuerAnswer(t *testing.T) {
	w := newWorld(t)
	rogue, err := tickets.GenerateIssuerKey(testRand(30), testChain, w.key.Epoch, testValue())
	if err != nil {
		t.Fatal(err)
	}
	fake := newHost(t, nil)
	market.ServeFake(fake, nil, func(req tickets.SaleRequest) []bls.G1Affine {
		sigs, _ := rogue.SignBlinded(req.Blinded)
		return sigs
	})
	w.client.Peerstore().AddAddrs(fake.ID(), fake.Addrs(), peerstore.PermanentAddrTTL)
	_, err = market.Buy(ctx(t), w.client, fake.ID(), w.key, 2, w.pay, w.wallet)
	if !errors.Is(err, tickets.ErrBadIssuerAnswer) {
		t.Fatalf("answer signed with another key: %v, want ErrBadIssuerAnswer", err)
	}
	if w.balance() != 0 || len(w.wallet.Pending()) != 1 {
		t.Fatalf("after a bad answer: balance %d, %d pending; want 0 and the evidence", w.balance(), len(w.wallet.Pending()))
	}
}

// TestNoAnswer: an issuer that never answers is given up on at the
// context's deadline, and the purchase stays pending.
func TestNoAnswer(t *testing.T) {
	w := newWorld(t)
	done := make(chan struct{})
	silent := newHost(t, nil)
	t.Cleanup(func() { close(done) })
	market.ServeFake(silent, done, nil)
	w.client.Peerstore().AddAddrs(silent.ID(), silent.Addrs(), peerstore.PermanentAddrTTL)

	c, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := market.Buy(c, w.client, silent.ID(), w.key, 1, w.pay, w.wallet)
	if !errors.Is(err, market.ErrNoAnswer) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("silent issuer: %v, want ErrNoAnswer at the deadline", err)
	}
	if len(w.wallet.Pending()) != 1 {
		t.Fatal("a purchase without answer was dropped")
	}
}

// provider is a provider that accepts tickets and redeems them over the
// market.
type provider struct {
	*tickets.Provider
	key      *ecdsa.PrivateKey
	addr     common.Address
	requests tickets.RequestDomain
}

func newProvider(t *testing.T, w *world) *provider {
	p, err := tickets.OpenProvider(tickets.ProviderConfig{Dir: t.TempDir(), Keys: w.keys, Rand: testRand(9)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	k := testKey(t, 3)
	return &provider{Provider: p, key: k, addr: crypto.PubkeyToAddress(k.PublicKey),
		requests: tickets.NewRequestDomain(big.NewInt(testChain), testTicketIssuer)}
}

// request signs a redemption request for ts asking for amount.
func (p *provider) request(t *testing.T, issuer common.Address, ts []tickets.Ticket, amount *big.Int) tickets.SignedRequest {
	t.Helper()
	r := tickets.RedemptionRequest{Issuer: issuer, Provider: p.addr, KeyEpoch: ts[0].KeyEpoch, CumulativeAmount: amount}
	for _, tk := range ts {
		r.Serials = append(r.Serials, tk.Serial)
	}
	s, err := p.requests.Sign(r, p.key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRedeem(t *testing.T) {
	w := newWorld(t)
	prov := newProvider(t, w)
	w.buy(3)
	spent, err := w.wallet.Take(3)
	if err != nil {
		t.Fatal(err)
	}
	if err := prov.AcceptBatch(spent, w.key.Value); err != nil {
		t.Fatal(err)
	}
	pending, err := prov.Pending(tickets.MaxBatch)
	if err != nil || len(pending) != 3 {
		t.Fatalf("provider pending: %d, %v", len(pending), err)
	}
	value := new(big.Int).Mul(big.NewInt(3), w.key.Value.Price)
	req := prov.request(t, w.issuer.Address(), pending, value)

	// Asking for too much is refused, with the right amount.
	greedy := prov.request(t, w.issuer.Address(), pending, new(big.Int).Add(value, big.NewInt(5)))
	_, err = market.Redeem(ctx(t), w.client, w.issuerH.ID(), greedy, pending)
	var re *market.RefusalError
	if !errors.As(err, &re) || re.Code != market.CodeWrongAmount || re.Want.Cmp(value) != 0 || !errors.Is(err, tickets.ErrRequestAmount) {
		t.Fatalf("greedy request: %v, want CodeWrongAmount with want %v", err, value)
	}
	// A request signed by someone else is refused.
	forged := prov.request(t, w.issuer.Address(), pending, value)
	forged.Signature[10] ^= 1
	if _, err := market.Redeem(ctx(t), w.client, w.issuerH.ID(), forged, pending); !errors.Is(err, tickets.ErrRequestSignature) {
		t.Fatalf("request with a bad signature: %v, want ErrRequestSignature", err)
	}
	// A request for other tickets is caught before sending.
	if _, err := market.Redeem(ctx(t), w.client, w.issuerH.ID(), req, pending[:2]); !errors.Is(err, tickets.ErrRequestMismatch) {
		t.Fatalf("request for other tickets: %v, want ErrRequestMismatch", err)
	}

	payout, err := market.Redeem(ctx(t), w.client, w.issuerH.ID(), req, pending)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.domain.Verify(payout); err != nil || payout.Payer != w.issuer.Address() || payout.Payee != prov.addr || payout.CumulativeAmount.Cmp(value) != 0 {
		t.Fatalf("payout %+v (%v); want a valid cheque for %v", payout.Cheque, err, value)
	}
	if err := prov.MarkRedeemed(pending); err != nil {
		t.Fatal(err)
	}

	// The same tickets again, asking to be paid twice: the issuer says
	// what it owes, and asking for that (a retry after a lost answer)
	// gets the same cheque.
	twice := prov.request(t, w.issuer.Address(), pending, new(big.Int).Mul(big.NewInt(2), value))
	_, err = market.Redeem(ctx(t), w.client, w.issuerH.ID(), twice, pending)
	if !errors.As(err, &re) || re.Code != market.CodeWrongAmount || re.Want == nil || re.Want.Cmp(value) != 0 {
		t.Fatalf("redeeming twice: %v, want a wrong amount refusal saying the issuer owes %v", err, value)
	}
	again, err := market.Redeem(ctx(t), w.client, w.issuerH.ID(), req, pending)
	if err != nil || again.CumulativeAmount.Cmp(value) != 0 {
		t.Fatalf("retry after a lost answer: %v, %v; want the cheque for %v again", again.CumulativeAmount, err, value)
	}

	// Another provider with the same tickets: refused, and named.
	other := *prov
	other.key = testKey(t, 4)
	other.addr = crypto.PubkeyToAddress(other.key.PublicKey)
	stolen := other.request(t, w.issuer.Address(), pending, value)
	_, err = market.Redeem(ctx(t), w.client, w.issuerH.ID(), stolen, pending)
	var be *tickets.BatchError
	if !errors.As(err, &re) || re.Code != market.CodeTicketsRefused || !errors.As(err, &be) || len(be.Refused()) != 3 || !errors.Is(err, tickets.ErrDoubleRedeem) {
		t.Fatalf("redeeming another's tickets: %v, want every ticket refused as double redeemed", err)
	}
	if !strings.Contains(err.Error(), "already redeemed") {
		t.Fatalf("error %q does not say why", err)
	}
}

// TestRedeemForgedTicket: a ticket with a bad signature is named, the
// others are not redeemed either.
func TestRedeemForgedTicket(t *testing.T) {
	w := newWorld(t)
	prov := newProvider(t, w)
	ts := w.buy(2)
	forged := ts[1]
	forged.Serial[0] ^= 1
	batch := []tickets.Ticket{ts[0], forged}
	value := new(big.Int).Mul(big.NewInt(2), w.key.Value.Price)
	_, err := market.Redeem(ctx(t), w.client, w.issuerH.ID(), prov.request(t, w.issuer.Address(), batch, value), batch)
	var be *tickets.BatchError
	if !errors.As(err, &be) || len(be.Refused()) != 1 || be.Refused()[0] != 1 || !errors.Is(be.Errs[1], tickets.ErrBadSignature) {
		t.Fatalf("forged ticket: %v, want ticket 1 refused for its signature", err)
	}
	owed, err := w.issuer.Owed(prov.addr)
	if err != nil || owed.CumulativeAmount.Sign() != 0 {
		t.Fatalf("issuer owes %v after a refused batch", owed.CumulativeAmount)
	}
}

func TestMalformedRequests(t *testing.T) {
	w := newWorld(t)
	order := func(n int, point []byte) []byte {
		b := make([]byte, 8+8+32+137)
		b = append(b, byte(n>>8), byte(n))
		for range n {
			b = append(b, point...)
		}
		return b
	}
	var inf [48]byte
	inf[0] = 0xc0 // compressed point at infinity
	for name, c := range map[string]struct {
		typ  uint8
		body []byte
	}{
		"unknown type":      {0x42, nil},
		"key query body":    {0x01, []byte{1}},
		"empty order":       {0x02, nil},
		"order of none":     {0x02, order(0, nil)},
		"order truncated":   {0x02, order(2, inf[:])[:250]},
		"blinded infinity":  {0x02, order(1, inf[:])},
		"blinded garbage":   {0x02, order(1, bytes.Repeat([]byte{0xff}, 48))},
		"short redemption":  {0x03, make([]byte, 100)},
		"answer type":       {0x81, nil},
		"oversized request": {0x02, make([]byte, 200_000)},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := market.RawRequest(ctx(t), w.client, w.issuerH.ID(), c.typ, c.body)
			var re *market.RefusalError
			if !errors.As(err, &re) || re.Code != market.CodeMalformed {
				t.Fatalf("%v, want a CodeMalformed refusal", err)
			}
		})
	}
	// The server still works.
	w.buy(1)
}
