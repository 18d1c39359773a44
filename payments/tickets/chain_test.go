package tickets_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"
	"time"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/tickets"
)

// onChain is a deployment on the embedded chain with an issuer (staked, key
// published on-chain), a provider relay and a client.
type onChain struct {
	t        *testing.T
	ctx      context.Context
	sim      *chain.Simulated
	c        *chain.Client
	issuer   *tickets.Issuer
	key      tickets.IssuerKey
	provider *tickets.Provider
	provKey  *ecdsa.PrivateKey
	provAddr common.Address
	issAddr  common.Address
	client   *ecdsa.PrivateKey
	auth     map[common.Address]*bind.TransactOpts
	domain   tickets.RequestDomain
}

func newOnChain(t *testing.T) *onChain {
	t.Helper()
	o := &onChain{t: t, ctx: context.Background(), auth: map[common.Address]*bind.TransactOpts{}}
	keys := make([]*ecdsa.PrivateKey, 4) // deployer, issuer, provider, client
	alloc := types.GenesisAlloc{}
	for i := range keys {
		keys[i], _ = crypto.GenerateKey()
		a := crypto.PubkeyToAddress(keys[i].PublicKey)
		alloc[a] = types.Account{Balance: chain.Ether(100)}
		o.auth[a] = bind.NewKeyedTransactor(keys[i], big.NewInt(1337))
	}
	o.issAddr = crypto.PubkeyToAddress(keys[1].PublicKey)
	o.provKey, o.provAddr = keys[2], crypto.PubkeyToAddress(keys[2].PublicKey)
	o.client = keys[3]
	o.sim = chain.NewSimulated(alloc)
	t.Cleanup(func() { o.sim.Close() })

	addrs, err := chain.Deploy(o.ctx, o.sim, o.auth[crypto.PubkeyToAddress(keys[0].PublicKey)], chain.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if o.c, err = chain.Dial(o.ctx, o.sim, addrs); err != nil {
		t.Fatal(err)
	}
	o.domain = tickets.NewRequestDomain(big.NewInt(1337), addrs.Tickets)
	o.must(o.c.Register(o.ctx, o.auth[o.issAddr], chain.RoleIssuer, [32]byte{1}, nil, chain.Ether(5)))
	o.must(o.c.Register(o.ctx, o.auth[o.provAddr], chain.RoleProvider, [32]byte{2}, nil, chain.Ether(2)))
	// The issuer keeps a vault deposit to pay providers from.
	o.must(o.c.Deposit(o.ctx, o.auth[o.issAddr], chain.Ether(1)))

	o.issuer, err = tickets.OpenIssuer(tickets.IssuerConfig{
		Dir: t.TempDir(), ChainID: 1337, Vault: addrs.Vault, Account: keys[1], Retain: 2, TicketIssuer: addrs.Tickets,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.issuer.Close() })
	if o.key, err = o.issuer.Rotate(tickets.Value{Packets: 1000, Price: big.NewInt(1e15)}); err != nil {
		t.Fatal(err)
	}
	pk := tickets.EncodeG2EIP2537(&o.key.PublicKey)
	o.must(o.c.PublishKey(o.ctx, o.auth[o.issAddr], o.key.Epoch, pk[:], o.key.Value.Price, time.Now().Add(24*time.Hour)))

	ring := tickets.NewKeyring(1337, 2)
	if err := ring.Add(o.key); err != nil {
		t.Fatal(err)
	}
	if o.provider, err = tickets.OpenProvider(tickets.ProviderConfig{Dir: t.TempDir(), Keys: ring}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.provider.Close() })
	return o
}

func (o *onChain) must(_ *types.Receipt, err error) {
	o.t.Helper()
	if err != nil {
		o.t.Fatal(err)
	}
}

func (o *onChain) balance(a common.Address) *big.Int {
	o.t.Helper()
	b, err := o.sim.BalanceAt(o.ctx, a, nil)
	if err != nil {
		o.t.Fatal(err)
	}
	return b
}

// buy has the client buy n tickets with a cheque, which the issuer cashes.
func (o *onChain) buy(n int) []tickets.Ticket {
	o.t.Helper()
	clientAddr := crypto.PubkeyToAddress(o.client.PublicKey)
	if v, _ := o.c.VaultBalance(o.ctx, clientAddr); v.Sign() == 0 {
		o.must(o.c.Deposit(o.ctx, o.auth[clientAddr], chain.Ether(1)))
	}
	last, _, err := o.issuer.Payment(clientAddr)
	if err != nil {
		o.t.Fatal(err)
	}
	paid := new(big.Int)
	if last.CumulativeAmount != nil {
		paid.Set(last.CumulativeAmount)
	}
	reqs := make([]*tickets.TicketRequest, n)
	blinded := make([]bls.G1Affine, n)
	for i := range reqs {
		if reqs[i], err = tickets.NewTicketRequest(nil, o.key); err != nil {
			o.t.Fatal(err)
		}
		blinded[i] = reqs[i].Blinded()
	}
	paid.Add(paid, new(big.Int).Mul(big.NewInt(int64(n)), o.key.Value.Price))
	pay, err := o.c.ChequeDomain().Sign(cheque.Cheque{Payer: clientAddr, Payee: o.issAddr, CumulativeAmount: paid}, o.client)
	if err != nil {
		o.t.Fatal(err)
	}
	sigs, err := o.issuer.Sell(tickets.SaleRequest{Epoch: o.key.Epoch, Value: o.key.Value, Payment: pay, Blinded: blinded})
	if err != nil {
		o.t.Fatal(err)
	}
	// The issuer takes its money.
	got, _, err := o.c.Cash(o.ctx, o.auth[o.issAddr], pay)
	if err != nil || got.Cmp(new(big.Int).Mul(big.NewInt(int64(n)), o.key.Value.Price)) != 0 {
		o.t.Fatalf("issuer cashed %v (%v)", got, err)
	}
	ts := make([]tickets.Ticket, n)
	for i := range reqs {
		if ts[i], err = reqs[i].Finish(sigs[i]); err != nil {
			o.t.Fatal(err)
		}
	}
	return ts
}

// requestFor signs the redemption request for ts the provider sends off-chain.
func (o *onChain) requestFor(ts []tickets.Ticket) tickets.SignedRequest {
	o.t.Helper()
	owed, err := o.issuer.Owed(o.provAddr)
	if err != nil {
		o.t.Fatal(err)
	}
	r := tickets.RedemptionRequest{Issuer: o.issAddr, Provider: o.provAddr, KeyEpoch: o.key.Epoch,
		CumulativeAmount: new(big.Int).Add(owed.CumulativeAmount, new(big.Int).Mul(big.NewInt(int64(len(ts))), o.key.Value.Price))}
	for _, t := range ts {
		r.Serials = append(r.Serials, t.Serial)
	}
	s, err := o.domain.Sign(r, o.provKey)
	if err != nil {
		o.t.Fatal(err)
	}
	return s
}

func serialsOf(ts []tickets.Ticket) [][32]byte {
	out := make([][32]byte, len(ts))
	for i, t := range ts {
		out[i] = t.Serial
	}
	return out
}

// TestBuySpendRedeemCash: a client buys tickets with a cheque, spends them at
// a provider, the provider redeems them off-chain for a cheque and cashes it.
func TestBuySpendRedeemCash(t *testing.T) {
	o := newOnChain(t)
	ts := o.buy(5)
	if err := o.provider.AcceptBatch(ts, o.key.Value); err != nil {
		t.Fatal(err)
	}
	if err := o.provider.Accept(ts[0], o.key.Value); !errors.Is(err, tickets.ErrAlreadySpent) {
		t.Fatalf("double spend at the provider: %v", err)
	}
	pending, err := o.provider.Pending(tickets.MaxBatch)
	if err != nil || len(pending) != 5 {
		t.Fatalf("pending %d (%v)", len(pending), err)
	}
	payout, err := o.issuer.Redeem(o.requestFor(pending), pending)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.issuer.Redeem(o.requestFor(pending), pending); err == nil {
		t.Fatal("double redemption at the issuer accepted")
	}
	if err := o.provider.MarkRedeemed(pending); err != nil {
		t.Fatal(err)
	}
	paid, _, err := o.c.Cash(o.ctx, o.auth[o.provAddr], payout)
	if err != nil {
		t.Fatal(err)
	}
	if want := big.NewInt(5e15); paid.Cmp(want) != 0 {
		t.Fatalf("provider cashed %s, want %s", paid, want)
	}
	if v, _ := o.c.VaultBalance(o.ctx, o.issAddr); v.Cmp(new(big.Int).Sub(chain.Ether(1), big.NewInt(5e15))) != 0 {
		t.Fatalf("issuer vault %s", chain.FormatEther(v))
	}
}

// TestOnChainRedemptionAgainstRefusingIssuer: the issuer never answers, so the
// provider redeems on-chain and is paid from the issuer's stake.
func TestOnChainRedemptionAgainstRefusingIssuer(t *testing.T) {
	o := newOnChain(t)
	ts := o.buy(4)
	if err := o.provider.AcceptBatch(ts, o.key.Value); err != nil {
		t.Fatal(err)
	}
	agg, err := tickets.Aggregate(ts)
	if err != nil {
		t.Fatal(err)
	}
	sig := agg.EIP2537()
	stakeBefore := mustRelay(t, o, o.issAddr).Stake
	balBefore := o.balance(o.provAddr)
	paid, r, err := o.c.RedeemTickets(o.ctx, o.auth[o.provAddr], o.issAddr, o.key.Epoch, o.key.Value.Price, serialsOf(ts), sig[:])
	if err != nil {
		t.Fatal(err)
	}
	owed := big.NewInt(4e15)
	if paid.Cmp(owed) != 0 {
		t.Fatalf("paid %s, want %s", paid, owed)
	}
	if got := new(big.Int).Sub(stakeBefore, mustRelay(t, o, o.issAddr).Stake); got.Cmp(owed) != 0 {
		t.Fatalf("issuer stake moved by %s, want %s", got, owed)
	}
	fee := new(big.Int).Mul(r.EffectiveGasPrice, new(big.Int).SetUint64(r.GasUsed))
	if got := new(big.Int).Sub(o.balance(o.provAddr), balBefore); got.Cmp(new(big.Int).Sub(owed, fee)) != 0 {
		t.Fatalf("provider gained %s, want %s minus gas", got, owed)
	}
	t.Logf("on-chain redemption of 4 tickets: %d gas", r.GasUsed)

	// A replay, and a forged batch, are refused on-chain with typed errors.
	_, _, err = o.c.RedeemTickets(o.ctx, o.auth[o.provAddr], o.issAddr, o.key.Epoch, o.key.Value.Price, serialsOf(ts), sig[:])
	var re *chain.RevertError
	if !errors.As(err, &re) || re.Name != "AlreadyRedeemed" {
		t.Fatalf("replayed batch: %v", err)
	}
	more := o.buy(2)
	wrong, _ := tickets.Aggregate(more[:1])
	wsig := wrong.EIP2537()
	_, _, err = o.c.RedeemTickets(o.ctx, o.auth[o.provAddr], o.issAddr, o.key.Epoch, o.key.Value.Price, serialsOf(more), wsig[:])
	if !errors.As(err, &re) || re.Name != "InvalidSignature" {
		t.Fatalf("forged batch: %v", err)
	}
}

// TestDoubleRedemptionSlashed: a provider paid off-chain that also redeems
// on-chain is proven to have done so with its own request, and slashed.
func TestDoubleRedemptionSlashed(t *testing.T) {
	o := newOnChain(t)
	ts := o.buy(3)
	if err := o.provider.AcceptBatch(ts, o.key.Value); err != nil {
		t.Fatal(err)
	}
	payout, err := o.issuer.Redeem(o.requestFor(ts), ts)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.c.Cash(o.ctx, o.auth[o.provAddr], payout); err != nil {
		t.Fatal(err)
	}
	// The cheating provider redeems the same tickets on-chain too.
	agg, _ := tickets.Aggregate(ts)
	sig := agg.EIP2537()
	if _, _, err := o.c.RedeemTickets(o.ctx, o.auth[o.provAddr], o.issAddr, o.key.Epoch, o.key.Value.Price, serialsOf(ts), sig[:]); err != nil {
		t.Fatal(err)
	}
	// The issuer finds its evidence and proves it.
	ev, ok, err := o.issuer.Evidence(o.key.Epoch, ts[1].Serial)
	if err != nil || !ok {
		t.Fatalf("no evidence for a redeemed ticket: %v", err)
	}
	req := chain.RedemptionRequest{Issuer: ev.Issuer, Provider: ev.Provider, KeyEpoch: ev.KeyEpoch,
		SerialsHash: ev.SerialsHash(), CumulativeAmount: ev.CumulativeAmount}
	digest, err := o.c.RedemptionRequestDigest(o.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if goDigest, _ := o.domain.Digest(&ev.RedemptionRequest); goDigest != digest {
		t.Fatalf("request digest: Go %x, contract %x", goDigest, digest)
	}
	slashed, _, err := o.c.ProveDoubleRedemption(o.ctx, o.auth[o.issAddr], req, ev.Signature[:], ev.Serials, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := big.NewInt(2e15); slashed.Cmp(want) != 0 {
		t.Fatalf("slashed %s, want %s", slashed, want)
	}
	if r := mustRelay(t, o, o.provAddr); r.Status != chain.StatusJailed {
		t.Fatalf("provider status %s, want jailed", r.Status)
	}
}

func mustRelay(t *testing.T, o *onChain, a common.Address) chain.Relay {
	t.Helper()
	r, err := o.c.Relay(o.ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestDoubleRedemptionWithReceiptSlashed: an issuer that paid a
// redemption with a lottery ticket proves a provider's double redemption
// with the provider's receipt for it, its digest computed alike in Go and
// in the contract; a receipt for less than the request proves nothing.
func TestDoubleRedemptionWithReceiptSlashed(t *testing.T) {
	o := newOnChain(t)
	ts := o.buy(3)
	if err := o.provider.AcceptBatch(ts, o.key.Value); err != nil {
		t.Fatal(err)
	}
	value := new(big.Int).Mul(big.NewInt(3), o.key.Value.Price)
	req := o.requestFor(ts)
	// The issuer here pays by cheque; what matters on-chain is that nothing
	// is cashed, and that the receipt shows the payment.
	if _, err := o.issuer.Redeem(req, ts); err != nil {
		t.Fatal(err)
	}
	receipt, err := o.domain.SignReceipt(tickets.Receipt{Issuer: o.issAddr, Provider: o.provAddr, CumulativeValue: value}, o.provKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.issuer.TakeReceipt(receipt); err != nil {
		t.Fatal(err)
	}
	digest, err := o.c.ReceiptDigest(o.ctx, o.issAddr, o.provAddr, value)
	if err != nil {
		t.Fatal(err)
	}
	if goDigest, _ := o.domain.ReceiptDigest(&receipt.Receipt); goDigest != digest {
		t.Fatalf("receipt digest: Go %x, contract %x", goDigest, digest)
	}
	agg, _ := tickets.Aggregate(ts)
	sig := agg.EIP2537()
	if _, _, err := o.c.RedeemTickets(o.ctx, o.auth[o.provAddr], o.issAddr, o.key.Epoch, o.key.Value.Price, serialsOf(ts), sig[:]); err != nil {
		t.Fatal(err)
	}
	ev, ok, err := o.issuer.Evidence(o.key.Epoch, ts[0].Serial)
	if err != nil || !ok {
		t.Fatalf("no evidence: %v", err)
	}
	paid, err := o.issuer.Paid(o.provAddr)
	if err != nil || paid.Receipt == nil {
		t.Fatalf("no receipt kept: %+v, %v", paid, err)
	}
	creq := chain.RedemptionRequest{Issuer: ev.Issuer, Provider: ev.Provider, KeyEpoch: ev.KeyEpoch,
		SerialsHash: ev.SerialsHash(), CumulativeAmount: ev.CumulativeAmount}
	low, _ := o.domain.SignReceipt(tickets.Receipt{Issuer: o.issAddr, Provider: o.provAddr, CumulativeValue: new(big.Int).Sub(value, big.NewInt(1))}, o.provKey)
	var re *chain.RevertError
	if _, _, err := o.c.ProveDoubleRedemptionWithReceipt(o.ctx, o.auth[o.issAddr], creq, ev.Signature[:], ev.Serials, 0, low.CumulativeValue, low.Signature[:]); !errors.As(err, &re) || re.Name != "ReceiptTooLow" {
		t.Fatalf("a receipt below the request: %v, want ReceiptTooLow", err)
	}
	slashed, _, err := o.c.ProveDoubleRedemptionWithReceipt(o.ctx, o.auth[o.issAddr], creq, ev.Signature[:], ev.Serials, 0, paid.Receipt.CumulativeValue, paid.Receipt.Signature[:])
	if err != nil {
		t.Fatal(err)
	}
	if want := big.NewInt(2e15); slashed.Cmp(want) != 0 {
		t.Fatalf("slashed %s, want %s", slashed, want)
	}
}
