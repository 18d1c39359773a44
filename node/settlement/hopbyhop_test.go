package settlement

import (
	"context"
	"crypto/rand"
	"math/big"
	mrand "math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
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
	id  peer.ID
	op  common.Address
	key [32]byte
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
