package settlement

import (
	"context"
	"crypto/rand"
	"math/big"
	mrand "math/rand/v2"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p"
	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/settle"
)

// pricedNeighbours knows the relays of peers and prices a packet by its
// epoch, as prices by position do when layers are dealt again each epoch.
type pricedNeighbours struct {
	self  [32]byte
	peers map[peer.ID]relay
}

type relay struct {
	id   peer.ID
	op   common.Address
	key  [32]byte
	priv lcrypto.PrivKey
}

func epochPrice(key [32]byte, e uint64) *big.Int {
	return big.NewInt(int64(1000*(1+int(key[0])) + 300*int(e%3)))
}

func (n pricedNeighbours) OperatorOf(p peer.ID) (common.Address, [32]byte, bool) {
	v, ok := n.peers[p]
	return v.op, v.key, ok
}
func (n pricedNeighbours) PerHopPrice(key [32]byte, e uint64) *big.Int { return epochPrice(key, e) }
func (n pricedNeighbours) SelfPrice(e uint64) *big.Int                 { return epochPrice(n.self, e) }
func (n pricedNeighbours) PeerOf(op common.Address) (peer.ID, bool) {
	for id, r := range n.peers {
		if r.op == op {
			return id, true
		}
	}
	return "", false
}

// newEnd opens the hop-by-hop accounts of relay number i, which knows the
// relays of peers.
func newEnd(t *testing.T, i byte, peers map[peer.ID]relay) (relay, *HopByHop) {
	pk, _, _ := lcrypto.GenerateEd25519Key(rand.Reader)
	id, _ := peer.IDFromPrivateKey(pk)
	key, _ := crypto.GenerateKey()
	r := relay{id: id, op: crypto.PubkeyToAddress(key.PublicKey), key: [32]byte{i}}
	domain := cheque.NewDomain(big.NewInt(1337), common.HexToAddress("0xaa"))
	cfg := Settlement{Domain: domain, Signer: settle.KeySigner(domain, key),
		Cover: settle.CoverFunc(func(context.Context, common.Address) (*big.Int, error) {
			return new(big.Int).Lsh(big.NewInt(1), 100), nil
		}), ChequeEvery: 1 << 40, RefuseAbove: 1 << 41}
	h, err := OpenHopByHop(cfg, HopByHopOptions{Self: r.op, Dir: t.TempDir(), Neighbours: pricedNeighbours{self: r.key, peers: peers}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return r, h
}

// Both ends of a link price each packet by its epoch, so when the
// packets of two epochs interleave (an epoch's grace period) their books
// still agree to the wei: the payer's cheque pays exactly what the payee
// counted.
func TestBooksAgreeAcrossEpochPrices(t *testing.T) {
	payerKnows, payeeKnows := map[peer.ID]relay{}, map[peer.ID]relay{}
	payer, payerH := newEnd(t, 1, payerKnows)
	payee, payeeH := newEnd(t, 2, payeeKnows)
	payerKnows[payee.id], payeeKnows[payer.id] = payee, payer

	// 2,000 packets of epochs 10 to 13, each epoch overlapping the next.
	rng := mrand.New(mrand.NewPCG(1, 2))
	var debt *settle.Debt
	var credit *settle.Credit
	var debtEpoch, creditEpoch uint64
	want := new(big.Int)
	for i := range 2000 {
		e := uint64(10 + i/500)
		if i%500 > 400 && rng.IntN(2) == 0 {
			e++
		}
		if debt == nil || e != debtEpoch {
			debt, debtEpoch = payerH.Debt(payee.id, e), e
		}
		if credit == nil || e != creditEpoch {
			credit, creditEpoch = payeeH.Credit(payer.id, e), e
		}
		debt.Sent()
		if !credit.Received() {
			t.Fatalf("packet %d refused", i)
		}
		want.Add(want, epochPrice(payee.key, e))
	}
	s, err := debt.Cheque()
	if err != nil {
		t.Fatal(err)
	}
	if s.CumulativeAmount.Cmp(want) != 0 {
		t.Fatalf("the payer's cheque is for %s wei, its packets cost %s", s.CumulativeAmount, want)
	}
	if err := credit.Accept(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	hs, err := payeeH.Ledger().Holdings()
	if err != nil || len(hs) != 1 {
		t.Fatalf("holdings %v, %v", hs, err)
	}
	if hs[0].Unpaid.Sign() != 0 || hs[0].Latest.CumulativeAmount.Cmp(want) != 0 {
		t.Fatalf("the payee holds a cheque for %s wei and counts %s wei unpaid; want %s and 0", hs[0].Latest.CumulativeAmount, hs[0].Unpaid, want)
	}
}

// Two relays on real libp2p hosts pay by lottery ticket: the payer asks
// the payee's commitment, pays with tickets worth exactly what it owes,
// and a ticket that could not be delivered (the payee was not listening)
// is delivered again before the next one, so the payee's books end at
// zero owed.
func TestLotteryOverTheWire(t *testing.T) {
	ctx := context.Background()
	payerKnows, payeeKnows := map[peer.ID]relay{}, map[peer.ID]relay{}
	face := func(context.Context) (*big.Int, error) { return big.NewInt(1e12), nil }
	payer, payerH := newLotteryEnd(t, 1, payerKnows, face)
	payee, payeeH := newLotteryEnd(t, 2, payeeKnows, nil)
	payerKnows[payee.id], payeeKnows[payer.id] = payee, payer
	hosts := map[peer.ID]host.Host{}
	for _, e := range []struct {
		r relay
		h *HopByHop
	}{{payer, payerH}, {payee, payeeH}} {
		hst := newHost(t, e.r)
		hosts[e.r.id] = hst
		e.h.Start(ctx, hst)
	}
	hosts[payer.id].Peerstore().AddAddrs(payee.id, hosts[payee.id].Addrs(), time.Hour)

	debt, credit := payerH.Debt(payee.id, 1), payeeH.Credit(payer.id, 1)
	send := func(n int) {
		for range n {
			debt.Sent()
			credit.Received()
		}
	}
	unpaid := func() *big.Int {
		hs, _ := payeeH.Ledger().Holdings()
		if len(hs) != 1 {
			t.Fatalf("holdings %+v", hs)
		}
		return hs[0].Unpaid
	}
	send(100)
	if err := payerH.SettleUp(ctx); err != nil {
		t.Fatal(err)
	}
	if u := unpaid(); u.Sign() != 0 {
		t.Fatalf("%s wei unpaid after the first ticket", u)
	}
	// The payee stops listening: the next ticket is signed but lost.
	hosts[payee.id].RemoveStreamHandler(ChequeProtocol)
	send(50)
	if err := payerH.SettleUp(ctx); err == nil || refused(err) {
		t.Fatalf("a ticket to a relay that does not listen: %v", err)
	}
	hosts[payee.id].SetStreamHandler(ChequeProtocol, payeeH.handleCheque)
	send(30)
	if err := payerH.SettleUp(ctx); err != nil {
		t.Fatal(err)
	}
	if u := unpaid(); u.Sign() != 0 {
		t.Fatalf("%s wei unpaid after the lost ticket was delivered again", u)
	}
	want := new(big.Int).Mul(big.NewInt(180), epochPrice(payee.key, 1))
	paid := payerH.Ledger().Debts()[0].TicketsPaid
	if paid.Cmp(want) != 0 {
		t.Fatalf("paid %s wei in tickets, the packets cost %s", paid, want)
	}
	th := payeeH.Ledger().TicketHoldings()
	if len(th) != 1 || th[0].Received.Cmp(want) != 0 {
		t.Fatalf("the payee took %+v, want %s wei", th, want)
	}
	if st := payeeH.Ledger().Stats(); st.TicketsAccepted != 3 {
		t.Fatalf("payee stats %+v, want 3 tickets", st)
	}
}

func newLotteryEnd(t *testing.T, i byte, peers map[peer.ID]relay, face func(context.Context) (*big.Int, error)) (relay, *HopByHop) {
	pk, _, _ := lcrypto.GenerateEd25519Key(rand.Reader)
	id, _ := peer.IDFromPrivateKey(pk)
	key, _ := crypto.GenerateKey()
	r := relay{id: id, op: crypto.PubkeyToAddress(key.PublicKey), key: [32]byte{i}, priv: pk}
	domain := cheque.NewDomain(big.NewInt(1337), common.HexToAddress("0xaa"))
	cfg := Settlement{Domain: domain, Signer: settle.KeySigner(domain, key),
		Cover: settle.CoverFunc(func(context.Context, common.Address) (*big.Int, error) {
			return new(big.Int).Lsh(big.NewInt(1), 100), nil
		}), ChequeEvery: 1 << 40, RefuseAbove: 1 << 41}
	if face != nil {
		cfg.Tickets, cfg.Face = settle.KeyTicketSigner(domain, key), face
	}
	h, err := OpenHopByHop(cfg, HopByHopOptions{Self: r.op, Dir: t.TempDir(), Neighbours: pricedNeighbours{self: r.key, peers: peers}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return r, h
}

func newHost(t *testing.T, r relay) host.Host {
	h, err := libp2p.New(libp2p.Identity(r.priv), libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}
