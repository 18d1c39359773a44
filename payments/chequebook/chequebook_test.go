package chequebook_test

import (
	"context"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/payments/chequebook"
)

// A client's cheques to an issuer are cumulative and written down before
// they leave; the payer refuses a cheque its vault deposit cannot back,
// and a payer whose book was lost starts again from what the issuer
// cashed, on a real (simulated) chain.
func TestPayerOnChain(t *testing.T) {
	ctx := context.Background()
	key, _ := crypto.GenerateKey()
	issuerKey, _ := crypto.GenerateKey()
	me, issuer := crypto.PubkeyToAddress(key.PublicKey), crypto.PubkeyToAddress(issuerKey.PublicKey)
	sim := chain.NewSimulated(types.GenesisAlloc{me: {Balance: chain.Ether(10)}, issuer: {Balance: chain.Ether(10)}})
	t.Cleanup(func() { sim.Close() })
	auth := bind.NewKeyedTransactor(key, big.NewInt(1337))
	addrs, err := chain.Deploy(ctx, sim, auth, chain.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	c, err := chain.Dial(ctx, sim, addrs)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p, err := chequebook.NewPayer(ctx, c, key, dir)
	if err != nil {
		t.Fatal(err)
	}
	price := big.NewInt(3e15)
	if _, err := p.Pay(issuer, price); !errors.Is(err, chequebook.ErrVaultShort) {
		t.Fatalf("a cheque with an empty vault: %v", err)
	}
	if _, err := c.Deposit(ctx, auth, big.NewInt(1e16)); err != nil {
		t.Fatal(err)
	}
	first, err := p.Pay(issuer, price)
	if err != nil || first.CumulativeAmount.Cmp(price) != 0 || first.Payer != me || first.Payee != issuer {
		t.Fatalf("first cheque %+v, %v", first.Cheque, err)
	}
	if err := c.ChequeDomain().Verify(first); err != nil {
		t.Fatal(err)
	}
	second, err := p.Pay(issuer, price)
	if err != nil || second.CumulativeAmount.Cmp(big.NewInt(6e15)) != 0 {
		t.Fatalf("second cheque %v, %v", second.CumulativeAmount, err)
	}
	// 9e15 of promises fit in a 1e16 deposit, 12e15 do not.
	if err := p.CheckCover(issuer, price); err != nil {
		t.Fatal(err)
	}
	if err := p.CheckCover(issuer, big.NewInt(5e15)); !errors.Is(err, chequebook.ErrVaultShort) {
		t.Fatalf("promises beyond the deposit: %v", err)
	}
	// The book is on disk: a new payer goes on from it.
	again, err := chequebook.NewPayer(ctx, c, key, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Paid(issuer); got.Cmp(big.NewInt(6e15)) != 0 {
		t.Fatalf("paid after reopening: %v", got)
	}
	// The issuer cashes the second cheque; the book is lost; a new payer
	// starts from what was cashed, so its next cheque is not stale.
	if _, _, err := c.Cash(ctx, bind.NewKeyedTransactor(issuerKey, big.NewInt(1337)), second); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, chequebook.File)); err != nil {
		t.Fatal(err)
	}
	lost, err := chequebook.NewPayer(ctx, c, key, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Deposit(ctx, auth, big.NewInt(1e16)); err != nil {
		t.Fatal(err)
	}
	third, err := lost.Pay(issuer, price)
	if err != nil || third.CumulativeAmount.Cmp(big.NewInt(9e15)) != 0 {
		t.Fatalf("after losing the book: %v, %v", third.CumulativeAmount, err)
	}
}
