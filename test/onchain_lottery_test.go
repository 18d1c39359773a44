package test

import (
	"context"
	"math/big"
	"strings"
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
