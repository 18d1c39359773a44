package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/murmurnet/murmur/bindings"
	"github.com/murmurnet/murmur/payments/cheque"
)

type actor struct {
	key  *ecdsa.PrivateKey
	addr common.Address
	auth *bind.TransactOpts
}

type fixture struct {
	sim *Simulated
	c   *Client
	// deployer, relay, payer, payee
	d, r, p, q actor
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{}
	alloc := types.GenesisAlloc{}
	for _, a := range []*actor{&f.d, &f.r, &f.p, &f.q} {
		a.key, _ = crypto.GenerateKey()
		a.addr = crypto.PubkeyToAddress(a.key.PublicKey)
		a.auth = bind.NewKeyedTransactor(a.key, big.NewInt(1337))
		alloc[a.addr] = types.Account{Balance: Ether(1000)}
	}
	f.sim = NewSimulated(alloc)
	t.Cleanup(func() { f.sim.Close() })
	ctx := context.Background()
	addrs, err := Deploy(ctx, f.sim, f.d.auth, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if f.c, err = Dial(ctx, f.sim, addrs); err != nil {
		t.Fatal(err)
	}
	return f
}

func wantRevert[T any](t *testing.T, err error, substr string) *T {
	t.Helper()
	var re *RevertError
	if !errors.As(err, &re) {
		t.Fatalf("got %v, want a revert", err)
	}
	v, ok := re.Value.(*T)
	if !ok {
		t.Fatalf("got revert %s (%T), want %T", re.Name, re.Value, v)
	}
	if !strings.Contains(re.Error(), substr) {
		t.Fatalf("message %q does not contain %q", re.Error(), substr)
	}
	return v
}

func TestRegisterRevertsAreTyped(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.c.Register(ctx, f.r.auth, RoleMix, [32]byte{1}, nil, big.NewInt(5e17))
	e := wantRevert[bindings.RelayRegistryStakeBelowMinimum](t, err, "stake below minimum (have 0.5 ETH, need 1 ETH)")
	if e.Need.Cmp(Ether(1)) != 0 {
		t.Fatalf("need = %s", e.Need)
	}

	if _, err := f.c.Register(ctx, f.r.auth, RoleMix, [32]byte{1}, nil, Ether(1)); err != nil {
		t.Fatal(err)
	}
	_, err = f.c.Register(ctx, f.r.auth, RoleMix, [32]byte{2}, nil, Ether(1))
	wantRevert[bindings.RelayRegistryAlreadyRegistered](t, err, "already registered")
	_, err = f.c.Register(ctx, f.p.auth, RoleMix, [32]byte{1}, nil, Ether(1))
	wantRevert[bindings.RelayRegistryNodeKeyTaken](t, err, "already registered by")
	_, err = f.c.Register(ctx, f.p.auth, 0, [32]byte{3}, nil, Ether(1))
	wantRevert[bindings.RelayRegistryInvalidRoles](t, err, "invalid role bitmask 0")
	_, err = f.c.WithdrawStake(ctx, f.r.auth)
	wantRevert[bindings.RelayRegistryExitNotAnnounced](t, err, "must announce its exit")
}

func TestExitAndWithdrawAfterUnbonding(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.c.Register(ctx, f.r.auth, RoleProvider, [32]byte{7}, nil, Ether(2)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.AnnounceExit(ctx, f.r.auth); err != nil {
		t.Fatal(err)
	}
	rel, err := f.c.Relay(ctx, f.r.addr)
	if err != nil || rel.Status != StatusExiting || rel.UnlockAt.IsZero() {
		t.Fatalf("after exit: %+v %v", rel, err)
	}
	_, err = f.c.WithdrawStake(ctx, f.r.auth)
	wantRevert[bindings.RelayRegistryStillUnbonding](t, err, "still unbonding until")

	if err := f.sim.AdjustTime(DefaultParams().UnbondingDelay); err != nil {
		t.Fatal(err)
	}
	before, _ := f.sim.BalanceAt(ctx, f.r.addr, nil)
	r, err := f.c.WithdrawStake(ctx, f.r.auth)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := f.sim.BalanceAt(ctx, f.r.addr, nil)
	fee := new(big.Int).Mul(r.EffectiveGasPrice, new(big.Int).SetUint64(r.GasUsed))
	if got := new(big.Int).Sub(after, before); got.Cmp(new(big.Int).Sub(Ether(2), fee)) != 0 {
		t.Fatalf("withdrew %s, want 2 ETH minus fee", got)
	}
	if rel, _ := f.c.Relay(ctx, f.r.addr); rel.Status != StatusNone {
		t.Fatalf("entry not deleted: %+v", rel)
	}
}

func TestCashRevertsAreTyped(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.c.Deposit(ctx, f.p.auth, Ether(1)); err != nil {
		t.Fatal(err)
	}
	d := f.c.ChequeDomain()
	s, _ := d.Sign(cheque.Cheque{Payer: f.p.addr, Payee: f.q.addr, CumulativeAmount: Ether(1)}, f.p.key)
	if _, _, err := f.c.Cash(ctx, f.q.auth, s); err != nil {
		t.Fatal(err)
	}
	_, _, err := f.c.Cash(ctx, f.q.auth, s)
	wantRevert[bindings.VaultStaleCheque](t, err, "stale cheque (promises 1 ETH, already cashed 1 ETH)")

	forged := s
	forged.CumulativeAmount = Ether(2)
	_, _, err = f.c.Cash(ctx, f.q.auth, forged)
	wantRevert[bindings.VaultInvalidSignature](t, err, "not the payer's")

	otherChain := cheque.NewDomain(big.NewInt(1), f.c.Contracts().Vault)
	s2, _ := otherChain.Sign(cheque.Cheque{Payer: f.p.addr, Payee: f.q.addr, CumulativeAmount: Ether(2)}, f.p.key)
	_, _, err = f.c.Cash(ctx, f.q.auth, s2)
	wantRevert[bindings.VaultInvalidSignature](t, err, "not the payer's")

	// Paying oneself would take the deposit back without the notice.
	self, _ := d.Sign(cheque.Cheque{Payer: f.p.addr, Payee: f.p.addr, CumulativeAmount: Ether(1)}, f.p.key)
	_, _, err = f.c.Cash(ctx, f.p.auth, self)
	wantRevert[bindings.VaultSelfPayment](t, err, "to itself")

	// An empty vault and no stake: nothing to pay with.
	s3, _ := d.Sign(cheque.Cheque{Payer: f.p.addr, Payee: f.q.addr, CumulativeAmount: Ether(3)}, f.p.key)
	_, _, err = f.c.Cash(ctx, f.q.auth, s3)
	wantRevert[bindings.VaultChequeUncovered](t, err, "neither deposit nor stake")
}

func TestBounceCoveredFromStake(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// The payer is a relay: its stake backs its cheques.
	if _, err := f.c.Register(ctx, f.p.auth, RoleMix, [32]byte{9}, nil, Ether(3)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.Deposit(ctx, f.p.auth, Ether(1)); err != nil {
		t.Fatal(err)
	}
	s, _ := f.c.ChequeDomain().Sign(cheque.Cheque{Payer: f.p.addr, Payee: f.q.addr, CumulativeAmount: Ether(2)}, f.p.key)
	paid, _, err := f.c.Cash(ctx, f.r.auth, s) // a third party sends it
	if err != nil {
		t.Fatal(err)
	}
	if paid.Cmp(Ether(2)) != 0 {
		t.Fatalf("paid %s, want 2 ETH", paid)
	}
	rel, _ := f.c.Relay(ctx, f.p.addr)
	if rel.Status != StatusJailed || rel.Stake.Cmp(Ether(2)) != 0 {
		t.Fatalf("payer after bounce: status %s stake %s", rel.Status, FormatEther(rel.Stake))
	}
}

func TestVaultWithdrawalNotice(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.c.Deposit(ctx, f.p.auth, Ether(4)); err != nil {
		t.Fatal(err)
	}
	_, err := f.c.WithdrawDeposit(ctx, f.p.auth)
	wantRevert[bindings.VaultNoWithdrawalAnnounced](t, err, "no withdrawal announced")
	_, err = f.c.AnnounceWithdrawal(ctx, f.p.auth, Ether(5))
	wantRevert[bindings.VaultInsufficientBalance](t, err, "have 4 ETH, need 5 ETH")
	if _, err := f.c.AnnounceWithdrawal(ctx, f.p.auth, Ether(3)); err != nil {
		t.Fatal(err)
	}
	_, err = f.c.WithdrawDeposit(ctx, f.p.auth)
	wantRevert[bindings.VaultWithdrawalLocked](t, err, "withdrawal notice runs until")
	if err := f.sim.AdjustTime(DefaultParams().WithdrawalNotice); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.WithdrawDeposit(ctx, f.p.auth); err != nil {
		t.Fatal(err)
	}
	if bal, _ := f.c.VaultBalance(ctx, f.p.addr); bal.Cmp(Ether(1)) != 0 {
		t.Fatalf("balance %s, want 1 ETH", FormatEther(bal))
	}
}

func TestDialRefusesWrongAddress(t *testing.T) {
	f := newFixture(t)
	_, err := Dial(context.Background(), f.sim, Contracts{Registry: f.c.Contracts().Registry, Vault: common.Address{0x42}})
	if !errors.Is(err, ErrNoContract) {
		t.Fatalf("got %v, want ErrNoContract", err)
	}
}

func TestDialEndpointDown(t *testing.T) {
	// A port that was just free: nothing listens there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	ec, err := ethclient.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = Dial(ctx, ec, Contracts{})
	if err == nil || !strings.Contains(err.Error(), "chain id") || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("got %v, want a chain id error naming the refused connection", err)
	}
}

func TestFormatEther(t *testing.T) {
	for _, c := range []struct {
		wei  *big.Int
		want string
	}{
		{big.NewInt(0), "0 ETH"},
		{Ether(3), "3 ETH"},
		{big.NewInt(5e17), "0.5 ETH"},
		{big.NewInt(1), "0.000000000000000001 ETH"},
		{big.NewInt(-15e17), "-1.5 ETH"},
		{nil, "0 ETH"},
	} {
		if got := FormatEther(c.wei); got != c.want {
			t.Errorf("FormatEther(%v) = %q, want %q", c.wei, got, c.want)
		}
	}
}

func TestDeployRefusesBadParams(t *testing.T) {
	f := newFixture(t)
	p := DefaultParams()
	p.EpochLength = 0
	if _, err := Deploy(context.Background(), f.sim, f.d.auth, p); err == nil {
		t.Fatal("deployed with a zero epoch")
	}
}

func TestPeerIDMatchesRegistry(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	key := [32]byte{0xab, 0xcd}
	if _, err := f.c.Register(ctx, f.r.auth, RoleMix, key, nil, Ether(1)); err != nil {
		t.Fatal(err)
	}
	onChain, err := call(ctx, f.c.registry, registryABI.PackPeerId(f.r.addr), registryABI.UnpackPeerId)
	if err != nil {
		t.Fatal(err)
	}
	if string(onChain) != string(PeerIDBytes(key)) {
		t.Fatalf("registry peerId %x, Go %x", onChain, PeerIDBytes(key))
	}
	if id := PeerID(key); !strings.HasPrefix(id, "12D3KooW") {
		t.Fatalf("peer ID %s does not look like an Ed25519 libp2p ID", id)
	}
}

func TestLastBlockBeforeAndActiveRelaysAt(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.c.Register(ctx, f.r.auth, RoleMix, [32]byte{1}, nil, Ether(1)); err != nil {
		t.Fatal(err)
	}
	mid, err := f.sim.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.sim.AdjustTime(time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.Register(ctx, f.p.auth, RoleProvider, [32]byte{2}, nil, Ether(1)); err != nil {
		t.Fatal(err)
	}
	// A moment after the first registration and before the second: that block.
	b, err := f.c.LastBlockBefore(ctx, time.Unix(int64(mid.Time)+1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if b.Number != mid.Number.Uint64() || b.Hash != mid.Hash() {
		t.Fatalf("last block before: %d %s, want %s %s", b.Number, b.Hash, mid.Number, mid.Hash())
	}
	then, err := f.c.ActiveRelaysAt(ctx, new(big.Int).SetUint64(b.Number))
	if err != nil {
		t.Fatal(err)
	}
	now, err := f.c.ActiveRelays(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(then) != 1 || len(now) != 2 {
		t.Fatalf("active then %d, now %d; want 1 and 2", len(then), len(now))
	}
	if _, err := f.c.LastBlockBefore(ctx, time.Unix(0, 0)); err == nil {
		t.Fatal("found a block before 1970")
	}
}

func TestParseEther(t *testing.T) {
	for in, want := range map[string]string{"1": "1000000000000000000", "0.25": "250000000000000000", "2 ETH": "2000000000000000000", "0.000000000000000001": "1"} {
		got, err := ParseEther(in)
		if err != nil || got.String() != want {
			t.Errorf("ParseEther(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "-1", "0.0000000000000000001"} {
		if _, err := ParseEther(in); err == nil {
			t.Errorf("ParseEther(%q) accepted", in)
		}
	}
}
