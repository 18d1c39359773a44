package test

import (
	"context"
	"math/big"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/internal/testutil"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/lottery"
)

// exchangeTicket sends one lottery message (a ticket, or nil to ask for a
// commitment) to a relay over the cheque protocol and returns its status
// and the commitment it answers with.
func exchangeTicket(ctx context.Context, h host.Host, to peer.ID, s *lottery.Signed) (wire.Status, common.Hash, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	st, err := h.NewStream(ctx, to, node.ChequeProtocol)
	if err != nil {
		return wire.Status{}, common.Hash{}, err
	}
	defer st.Close()
	st.SetDeadline(time.Now().Add(5 * time.Second))
	typ, body := wire.TypeCommit, []byte(nil)
	if s != nil {
		typ = wire.TypeTicket
		if body, err = s.MarshalBinary(); err != nil {
			return wire.Status{}, common.Hash{}, err
		}
	}
	if err := wire.WriteMsg(st, typ, body); err != nil {
		return wire.Status{}, common.Hash{}, err
	}
	_, rb, err := wire.ReadMsg(st, 1024)
	if err != nil {
		return wire.Status{}, common.Hash{}, err
	}
	status, err := wire.DecodeStatus(rb)
	if err != nil {
		return wire.Status{}, common.Hash{}, err
	}
	var c common.Hash
	if ct, cb, err := wire.ReadMsg(st, 64); err == nil && ct == wire.TypeCommitment && len(cb) == 32 {
		c = common.BytesToHash(cb)
	}
	return status, c, nil
}

// TestOnChainLotteryHopByHop: a neighbour pays a relay with lottery
// tickets over the cheque protocol; the relay takes the good ones, refuses
// a replayed, a forged, an uncovered and a short-lived one with a reason,
// and its cashing loop claims every win at the Vault, which pays it the
// face values from the payer's deposit, to the wei.
func TestOnChainLotteryHopByHop(t *testing.T) {
	pc, accts := newPayChain(t, 0)
	payeeAcc, payerAcc := accts[0], accts[1]
	payee := pc.newRelay(payeeAcc, chain.RoleProvider, chain.Ether(1), func(cfg *node.Config) {
		cfg.Settlement = node.ChainSettlement(pc.c, payeeAcc.key)
		cfg.Cashing.Every = 200 * time.Millisecond
	})
	deposit := chain.Ether(1)
	pc.must(pc.c.Deposit(pc.ctx, payerAcc.auth, deposit))
	payer := pc.newPayer(payerAcc, chain.Ether(1))
	pc.waitNextEpoch()
	if err := payee.Start(pc.ctx); err != nil {
		t.Fatal(err)
	}
	payer.h.Peerstore().AddAddrs(payee.Host().ID(), payee.Addrs(), time.Hour)
	to := payee.Host().ID()

	// The payee hands out a commitment once it can place the payer.
	var commitment common.Hash
	testutil.WaitFor(t, testutil.Remaining(pc.ctx, 20*time.Second), "a commitment", func() bool {
		st, c, err := exchangeTicket(pc.ctx, payer.h, to, nil)
		commitment = c
		return err == nil && st.Code == wire.CodeOK && c != (common.Hash{})
	})

	d := pc.c.ChequeDomain()
	face, expected := big.NewInt(1e15), big.NewInt(2e14) // wins one time in five
	prob, _ := lottery.WinProbFor(expected, face)
	sign := func(nonce uint64, c common.Hash, face *big.Int, valid time.Duration) lottery.Signed {
		s, err := lottery.Sign(d, lottery.Ticket{Payer: payerAcc.addr, Payee: payeeAcc.addr, FaceValue: face, WinProb: prob,
			Nonce: nonce, Commitment: c, ExpiresAt: uint64(time.Now().Add(valid).Unix())}, payerAcc.key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	const n = 40
	var first lottery.Signed
	for i := range uint64(n) {
		s := sign(i, commitment, face, 24*time.Hour)
		if i == 0 {
			first = s
		}
		st, c, err := exchangeTicket(pc.ctx, payer.h, to, &s)
		if err != nil || st.Code != wire.CodeOK {
			t.Fatalf("ticket %d: %+v %v", i, st, err)
		}
		commitment = c
	}
	refusals := map[string]lottery.Signed{
		"nonce already used":                           first,
		"invalid signature":                            func() lottery.Signed { s := sign(n, commitment, face, 24*time.Hour); s.Nonce++; return s }(),
		"not covered by the payer's deposit and stake": sign(n, commitment, chain.Ether(10), 24*time.Hour),
		"must stay valid":                              sign(n, commitment, face, time.Minute),
		"did not make, or has retired":                 sign(n, common.Hash{1}, face, 24*time.Hour),
	}
	for want, s := range refusals {
		st, _, err := exchangeTicket(pc.ctx, payer.h, to, &s)
		if err != nil || st.Code != wire.CodeRejected || !strings.Contains(st.Reason, want) {
			t.Errorf("want a refusal saying %q: %+v %v", want, st, err)
		}
	}

	won := payee.Earnings().Stats.TicketsWon
	if won == 0 {
		t.Fatalf("no win in %d tickets at one in five", n)
	}
	testutil.WaitFor(t, testutil.Remaining(pc.ctx, 30*time.Second), "the wins to be claimed", func() bool {
		return payee.Earnings().WinsClaimed >= won
	})
	e := payee.Earnings()
	paid := new(big.Int).Mul(face, new(big.Int).SetUint64(won))
	wantWei(t, "claimed by the cashing loop", e.ClaimedWei, paid)
	if len(e.Tickets) != 1 || len(e.Tickets[0].Pending) != 0 || e.Tickets[0].Claimed.Cmp(paid) != 0 ||
		e.Tickets[0].Received.Cmp(new(big.Int).Mul(expected, big.NewInt(n))) != 0 {
		t.Fatalf("ticket holdings %+v", e.Tickets)
	}
	bal, err := pc.c.VaultBalance(pc.ctx, payerAcc.addr)
	if err != nil {
		t.Fatal(err)
	}
	wantWei(t, "payer's deposit after the claims", bal, new(big.Int).Sub(deposit, paid))
	if next, err := pc.c.NextTicketNonce(pc.ctx, payerAcc.addr, payeeAcc.addr); err != nil || next == 0 {
		t.Fatalf("vault's next nonce %d, %v", next, err)
	}
	t.Logf("%d tickets, %d won, claimed in %d transactions for %d gas", n, won, e.CashTxs, e.CashGas)
}

// TestOnChainIssuerPaysProviderByLottery: an issuer pays each of a
// provider's redemptions with one lottery ticket worth the batch, drawn on
// its vault deposit; the provider acknowledges each with a receipt; the
// provider's cashing loop claims the wins on-chain, and the issuer's
// deposit goes down by exactly their face value, the provider's balance
// up by it less the gas.
func TestOnChainIssuerPaysProviderByLottery(t *testing.T) {
	pc, accts := newPayChain(t, 0)
	issAcc, provAcc, clientAcc := accts[0], accts[1], accts[2]
	const price, packets, n, rounds = 1e15, 10, 2, 6
	// The first ticket's face is below its batch, so it is made one wei
	// above it and all but surely wins; the others win one time in two.
	var faces atomic.Int64
	issuer := pc.newRelay(issAcc, chain.RoleIssuer, chain.Ether(2), func(cfg *node.Config) {
		cfg.Issuing = node.ChainIssuing(pc.c, issAcc.key, big.NewInt(price), packets)
		cfg.Issuing.TicketFace = func() *big.Int {
			if faces.Add(1) == 1 {
				return big.NewInt(1)
			}
			return big.NewInt(2 * n * price)
		}
	})
	provider := pc.newRelay(provAcc, chain.RoleProvider, chain.Ether(1), func(cfg *node.Config) {
		pp := node.ChainPrepaid(pc.c, provAcc.key)
		pp.RedeemEvery = time.Hour
		cfg.Prepaid = pp
	})
	deposit := chain.Ether(1)
	pc.must(pc.c.Deposit(pc.ctx, issAcc.auth, deposit))
	pc.must(pc.c.Deposit(pc.ctx, clientAcc.auth, chain.Ether(1)))
	pc.waitNextEpoch()
	if err := issuer.Start(pc.ctx); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, testutil.Remaining(pc.ctx, time.Minute), "the issuer's key on-chain", func() bool { return issuer.IssuerStatus().Published })
	if err := provider.Start(pc.ctx); err != nil {
		t.Fatal(err)
	}
	b := pc.newBuyer(clientAcc, issuer, provider)
	c := dialProvider(t, pc.ctx, b.h, provider)
	c.register()
	for range rounds {
		key, ts := b.buy(issuer, n)
		if s := c.spend(key, ts); s.Credited != n*packets {
			t.Fatalf("spent %d tickets: %+v", n, s)
		}
		if err := provider.RedeemTickets(pc.ctx); err != nil {
			t.Fatal(err)
		}
	}
	value := big.NewInt(rounds * n * price)
	books, err := issuer.Issuer().Paid(provAcc.addr)
	if err != nil {
		t.Fatal(err)
	}
	if books.Tickets != rounds || books.ByTicket.Cmp(value) != 0 || books.ByCheque.Sign() != 0 || books.Receipted.Cmp(value) != 0 {
		t.Fatalf("the issuer's books %+v, want %d tickets worth %s, all acknowledged", books, rounds, value)
	}
	st := provider.PrepaidStats()
	if st.TicketPayments != rounds || st.ReceiptsSent != rounds || st.Redeemed != rounds*n {
		t.Fatalf("provider stats %+v", st)
	}
	h := provider.Earnings().IssuerTickets
	if len(h) != 1 || h[0].Received.Cmp(value) != 0 || len(h[0].Pending) == 0 {
		t.Fatalf("issuer tickets %+v, want %s wei taken and a win pending", h, value)
	}
	pendingWei := h[0].PendingWei

	start, before := pc.head(), pc.balance(provAcc.addr)
	got, err := provider.CashCheques(pc.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantWei(t, "claimed", got, pendingWei)
	e := provider.Earnings()
	if h := e.IssuerTickets; len(h[0].Pending) != 0 || h[0].Claimed.Cmp(pendingWei) != 0 {
		t.Fatalf("after the claim: %+v", h)
	}
	fees, txs := pc.feesSince(start, pc.c.Contracts().Vault, provAcc.addr)
	if txs != 1 {
		t.Fatalf("%d claim transactions, want 1", txs)
	}
	wantWei(t, "provider's balance change", new(big.Int).Sub(pc.balance(provAcc.addr), before), new(big.Int).Sub(pendingWei, fees))
	left, err := pc.c.VaultBalance(pc.ctx, issAcc.addr)
	if err != nil {
		t.Fatal(err)
	}
	wantWei(t, "the issuer's deposit", left, new(big.Int).Sub(deposit, pendingWei))
	if next, err := pc.c.NextTicketNonce(pc.ctx, issAcc.addr, provAcc.addr); err != nil || next == 0 {
		t.Fatalf("the vault's next nonce from the issuer: %d (%v)", next, err)
	}
	t.Logf("%d redemptions paid in lottery tickets worth %s wei; %d won %s wei, claimed in one transaction of %d gas",
		rounds, value, len(h[0].Pending), pendingWei, e.CashGas)
}
