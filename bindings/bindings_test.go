package bindings_test

import (
	"bytes"
	"context"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/bindings"
	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/payments/cheque"
)

// TestBindingsUpToDate regenerates the bindings from the contracts and fails
// when the committed murmur.go differs: someone changed contracts/src without
// running go generate ./bindings/...
func TestBindingsUpToDate(t *testing.T) {
	if _, err := os.Stat("../node_modules/.bin/forge"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("forge is not installed; CI must run make deps first")
		}
		t.Skip("forge not installed (make deps); cannot check the bindings")
	}
	out := filepath.Join(t.TempDir(), "murmur.go")
	cmd := exec.Command("go", "run", "./internal/gen", "-root", "..", "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("regenerating bindings: %v\n%s", err, b)
	}
	fresh, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("murmur.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Fatal("bindings/murmur.go is stale: run go generate ./bindings/... and commit the result")
	}
}

// TestDeployRegisterCash deploys both contracts on the simulated chain through
// the bindings, registers and stakes a relay, and cashes a cheque that Go
// signed with EIP-712, so Go and Solidity agree on the cheque format.
func TestDeployRegisterCash(t *testing.T) {
	ctx := context.Background()
	deployerKey, _ := crypto.GenerateKey()
	relayKey, _ := crypto.GenerateKey()
	payerKey, _ := crypto.GenerateKey()
	deployer := crypto.PubkeyToAddress(deployerKey.PublicKey)
	operator := crypto.PubkeyToAddress(relayKey.PublicKey)
	payer := crypto.PubkeyToAddress(payerKey.PublicKey)

	sim := chain.NewSimulated(types.GenesisAlloc{
		deployer: {Balance: chain.Ether(100)},
		operator: {Balance: chain.Ether(100)},
		payer:    {Balance: chain.Ether(100)},
	})
	defer sim.Close()
	chainID := big.NewInt(1337)

	addrs, err := chain.Deploy(ctx, sim, bind.NewKeyedTransactor(deployerKey, chainID), chain.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}

	// Read the wiring back through the raw bindings.
	reg := bindings.NewRelayRegistry()
	regC := reg.Instance(sim, addrs.Registry)
	isEnforcer, err := bind.Call(regC, nil, reg.PackIsEnforcer(addrs.Vault), reg.UnpackIsEnforcer)
	if err != nil || !isEnforcer {
		t.Fatalf("registry does not name the vault its enforcer: %v %v", isEnforcer, err)
	}
	vault := bindings.NewVault()
	vaultC := vault.Instance(sim, addrs.Vault)
	vaultReg, err := bind.Call(vaultC, nil, vault.PackRegistry(), vault.UnpackRegistry)
	if err != nil || vaultReg != addrs.Registry {
		t.Fatalf("vault points at registry %s, want %s (%v)", vaultReg, addrs.Registry, err)
	}

	c, err := chain.Dial(ctx, sim, addrs)
	if err != nil {
		t.Fatal(err)
	}

	// Register and stake a relay.
	relayAuth := bind.NewKeyedTransactor(relayKey, chainID)
	nodeKey := [32]byte{0xee, 1, 2, 3}
	addrsBin := common.FromHex("08047f000001060fa1")
	if _, err := c.Register(ctx, relayAuth, chain.RoleMix|chain.RoleProvider, nodeKey, addrsBin, chain.Ether(2)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddStake(ctx, relayAuth, chain.Ether(1)); err != nil {
		t.Fatal(err)
	}
	active, err := c.ActiveRelays(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(active) != 1 || active[0].Operator != operator || active[0].Stake.Cmp(chain.Ether(3)) != 0 ||
		active[0].NodeKey != nodeKey || !bytes.Equal(active[0].Multiaddrs, addrsBin) || active[0].Status != chain.StatusActive {
		t.Fatalf("active set = %+v", active)
	}

	// The payer deposits and pays the relay with two cheques signed in Go.
	payerAuth := bind.NewKeyedTransactor(payerKey, chainID)
	if _, err := c.Deposit(ctx, payerAuth, chain.Ether(5)); err != nil {
		t.Fatal(err)
	}
	digestOnChain, err := bind.Call(vaultC, nil,
		vault.PackChequeDigest(bindings.IVaultCheque{Payer: payer, Payee: operator, CumulativeAmount: chain.Ether(1)}),
		vault.UnpackChequeDigest)
	if err != nil {
		t.Fatal(err)
	}
	digestGo, _ := c.ChequeDomain().Digest(cheque.Cheque{Payer: payer, Payee: operator, CumulativeAmount: chain.Ether(1)})
	if common.Hash(digestOnChain) != digestGo {
		t.Fatalf("EIP-712 digest: contract %x, Go %x", digestOnChain, digestGo)
	}

	before, _ := sim.BalanceAt(ctx, operator, nil)
	gasPrice := new(big.Int)
	for i, amount := range []*big.Int{chain.Ether(1), new(big.Int).Add(chain.Ether(2), big.NewInt(5e17))} {
		s, err := c.ChequeDomain().Sign(cheque.Cheque{Payer: payer, Payee: operator, CumulativeAmount: amount}, payerKey)
		if err != nil {
			t.Fatal(err)
		}
		paid, r, err := c.Cash(ctx, relayAuth, s)
		if err != nil {
			t.Fatalf("cash %d: %v", i, err)
		}
		want := chain.Ether(1)
		if i == 1 {
			want = big.NewInt(15e17)
		}
		if paid.Cmp(want) != 0 {
			t.Fatalf("cash %d paid %s, want %s", i, paid, want)
		}
		gasPrice.Add(gasPrice, new(big.Int).Mul(r.EffectiveGasPrice, new(big.Int).SetUint64(r.GasUsed)))
	}
	after, _ := sim.BalanceAt(ctx, operator, nil)
	gotGain := new(big.Int).Sub(after, before)
	wantGain := new(big.Int).Sub(big.NewInt(25e17), gasPrice)
	if gotGain.Cmp(wantGain) != 0 {
		t.Fatalf("payee gained %s, want 2.5 ETH minus gas = %s", gotGain, wantGain)
	}
	bal, _ := c.VaultBalance(ctx, payer)
	if bal.Cmp(big.NewInt(25e17)) != 0 {
		t.Fatalf("payer's vault balance %s, want 2.5 ETH", bal)
	}
}
