package provider

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/lottery"
	"github.com/murmurnet/murmur/payments/settle"
)

type lotteryChain struct{ domain cheque.Domain }

func (c lotteryChain) ChainID() *big.Int           { return big.NewInt(1337) }
func (c lotteryChain) Contracts() chain.Contracts  { return chain.Contracts{Tickets: common.Address{9}} }
func (c lotteryChain) ChequeDomain() cheque.Domain { return c.domain }
func (c lotteryChain) IssuerKey(context.Context, common.Address, uint64) (chain.IssuerKey, error) {
	return chain.IssuerKey{}, errors.New("no keys here")
}

// TestReceiptsFollowTheCashLimit: the provider acknowledges what an
// issuer paid in tickets, refuses a ticket worth less than its batch,
// and signs no receipt at or above the issuer's cash limit.
func TestReceiptsFollowTheCashLimit(t *testing.T) {
	domain := cheque.NewDomain(big.NewInt(1337), common.Address{8})
	provKey, _ := crypto.GenerateKey()
	issKey, _ := crypto.GenerateKey()
	op, issuer := crypto.PubkeyToAddress(provKey.PublicKey), crypto.PubkeyToAddress(issKey.PublicKey)
	cover := settle.CoverFunc(func(context.Context, common.Address) (*big.Int, error) { return big.NewInt(1e18), nil })
	pp, err := Open(Config{Chain: lotteryChain{domain}, Account: provKey, TicketCover: cover},
		Options{Operator: op, Roles: chain.RoleProvider, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer pp.Close()
	if r, err := pp.receiptFor(issuer); err != nil || r != nil {
		t.Fatalf("a receipt before any ticket: %+v, %v", r, err)
	}
	c, err := pp.lottery.Payer(issuer)
	if err != nil {
		t.Fatal(err)
	}
	commitment, err := c.Commitment()
	if err != nil {
		t.Fatal(err)
	}
	ticket := func(nonce uint64, value int64) lottery.Signed {
		face := big.NewInt(1e15)
		prob, _ := lottery.WinProbFor(big.NewInt(value), face)
		s, err := lottery.Sign(domain, lottery.Ticket{Payer: issuer, Payee: op, FaceValue: face, WinProb: prob, Nonce: nonce,
			Commitment: commitment, ExpiresAt: uint64(time.Now().Add(24 * time.Hour).Unix())}, issKey)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	ctx := context.Background()
	var f *issuerFault
	if err := pp.takeTicket(ctx, issuer, ticket(0, 999), big.NewInt(1000)); !errors.As(err, &f) || f.reason != "short ticket" {
		t.Fatalf("a ticket worth less than its batch: %v", err)
	}
	if err := pp.takeTicket(ctx, issuer, ticket(1, 1000), big.NewInt(1000)); err != nil {
		t.Fatal(err)
	}
	r, err := pp.receiptFor(issuer)
	if err != nil || r == nil || r.CumulativeValue.Int64() != 1000 || r.Issuer != issuer || r.Provider != op {
		t.Fatalf("receipt %+v, %v; want one for 1000 wei", r, err)
	}
	if err := pp.reqs.VerifyReceipt(r); err != nil {
		t.Fatal(err)
	}
	// A request for these tickets went on-chain at 1000 wei: the cash
	// limit falls there, and no receipt of 1000 or more is signed again.
	if _, err := pp.store.lowerCashLimit(issuer, big.NewInt(1000)); err != nil {
		t.Fatal(err)
	}
	if r, err := pp.receiptFor(issuer); err != nil || r != nil {
		t.Fatalf("a receipt at the cash limit: %+v, %v", r, err)
	}
	if st := pp.Stats(); st.TicketPayments != 1 || st.ReceiptsWithheld != 1 {
		t.Fatalf("stats %+v", st)
	}
}
