package test

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/json"
	"errors"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/murmurnet/murmur/internal/testutil"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/libp2p/go-libp2p"
	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/market"
	"github.com/murmurnet/murmur/payments/tickets"
	"github.com/murmurnet/murmur/payments/wallet"
)

// These tests run the relay's payments against contracts on a real anvil
// chain: gas-aware cashing, a bounced cheque claimed from the payer's
// stake, and tickets redeemed on-chain from an issuer that went away.
// Every one checks balances on-chain to the wei.

// payChain is a deployment on anvil with funded accounts.
type payChain struct {
	t      *testing.T
	ctx    context.Context
	ec     *ethclient.Client
	c      *chain.Client
	epochs pki.Epochs
}

// payAccount is a funded account.
type payAccount struct {
	key  *ecdsa.PrivateKey
	addr common.Address
	auth *bind.TransactOpts
}

// epochLength is short so that relays registered during a test form a
// topology within seconds.
const epochLength = 3 * time.Second

func newPayChain(t *testing.T, withdrawalNotice time.Duration) (*payChain, []payAccount) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 55*time.Second)
	t.Cleanup(cancel)
	dev := startAnvil(t)
	rc, err := rpc.DialContext(ctx, dev.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rc.Close)
	ec := ethclient.NewClient(rc)
	id, err := ec.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	accts := make([]payAccount, 5)
	addrs := make([]common.Address, len(accts))
	for i := range accts {
		k, _ := crypto.GenerateKey()
		accts[i] = payAccount{key: k, addr: crypto.PubkeyToAddress(k.PublicKey), auth: bind.NewKeyedTransactor(k, id)}
		addrs[i] = accts[i].addr
	}
	if err := chain.FundFromNode(ctx, rc, ec, chain.Ether(100), addrs...); err != nil {
		t.Fatal(err)
	}
	params := chain.DefaultParams()
	params.EpochLength = epochLength
	if withdrawalNotice > 0 {
		params.WithdrawalNotice = withdrawalNotice
	}
	contracts, err := chain.Deploy(ctx, ec, accts[0].auth, params)
	if err != nil {
		t.Fatal(err)
	}
	pc := &payChain{t: t, ctx: ctx, ec: ec}
	if pc.c, err = chain.Dial(ctx, ec, contracts); err != nil {
		t.Fatal(err)
	}
	if pc.epochs, err = pki.EpochsFrom(ctx, pc.c); err != nil {
		t.Fatal(err)
	}
	return pc, accts[1:]
}

func (pc *payChain) must(_ any, err error) {
	pc.t.Helper()
	if err != nil {
		pc.t.Fatal(err)
	}
}

func (pc *payChain) balance(a common.Address) *big.Int {
	pc.t.Helper()
	b, err := pc.ec.BalanceAt(pc.ctx, a, nil)
	if err != nil {
		pc.t.Fatal(err)
	}
	return b
}

func (pc *payChain) relay(a common.Address) chain.Relay {
	pc.t.Helper()
	r, err := pc.c.Relay(pc.ctx, a)
	if err != nil {
		pc.t.Fatal(err)
	}
	return r
}

// feesSince sums the gas fees account paid in transactions to contract
// from block from on: what the account's balance lost besides value.
func (pc *payChain) feesSince(from uint64, contract, account common.Address) (fees *big.Int, txs int) {
	pc.t.Helper()
	logs, err := pc.ec.FilterLogs(pc.ctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(from), Addresses: []common.Address{contract}})
	if err != nil {
		pc.t.Fatal(err)
	}
	fees, seen := new(big.Int), map[common.Hash]bool{}
	// Each transaction once, and only account's.
	for _, l := range logs {
		if seen[l.TxHash] {
			continue
		}
		seen[l.TxHash] = true
		tx, _, err := pc.ec.TransactionByHash(pc.ctx, l.TxHash)
		if err != nil {
			pc.t.Fatal(err)
		}
		sender, err := pc.ec.TransactionSender(pc.ctx, tx, l.BlockHash, l.TxIndex)
		if err != nil {
			pc.t.Fatal(err)
		}
		if sender != account {
			continue
		}
		txs++
		r, err := pc.ec.TransactionReceipt(pc.ctx, l.TxHash)
		if err != nil {
			pc.t.Fatal(err)
		}
		fees.Add(fees, new(big.Int).Mul(r.EffectiveGasPrice, new(big.Int).SetUint64(r.GasUsed)))
	}
	return fees, txs
}

func (pc *payChain) head() uint64 {
	pc.t.Helper()
	h, err := pc.ec.HeaderByNumber(pc.ctx, nil)
	if err != nil {
		pc.t.Fatal(err)
	}
	return h.Number.Uint64()
}

// waitNextEpoch waits for the first epoch whose topology holds what is
// registered now, as the devnet does: relays join at an epoch boundary.
func (pc *payChain) waitNextEpoch() {
	pc.t.Helper()
	h, err := pc.ec.HeaderByNumber(pc.ctx, nil)
	if err != nil {
		pc.t.Fatal(err)
	}
	e := pc.epochs.At(time.Unix(int64(h.Time), 0)) + 1
	select {
	case <-time.After(time.Until(pc.epochs.Start(e))):
	case <-pc.ctx.Done():
		pc.t.Fatal(pc.ctx.Err())
	}
}

// newRelay makes a relay node for op and registers it on-chain.
func (pc *payChain) newRelay(op payAccount, roles chain.Roles, stake *big.Int, mod func(*node.Config)) *node.Node {
	pc.t.Helper()
	id, _, _ := lcrypto.GenerateEd25519Key(rand.Reader)
	cfg := node.Config{
		DataDir: pc.t.TempDir(), Identity: id, Operator: op.addr, Roles: roles, Layers: 1,
		ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}, Chain: pki.FromClient(pc.c), Epochs: pc.epochs,
		NoCover: true, ReplayCapacity: 1000, PerHopPriceWei: "1000",
		Cashing: node.ChainCashing(pc.c, op.key),
	}
	if mod != nil {
		mod(&cfg)
	}
	n, err := node.New(cfg)
	if err != nil {
		pc.t.Fatal(err)
	}
	pc.t.Cleanup(func() { n.Close() })
	pc.must(pc.c.Register(pc.ctx, op.auth, roles, n.NodeKey(), chain.EncodeMultiaddrs(n.Addrs()), stake))
	return n
}

// payerHost is a relay that pays its neighbour with cheques and does
// nothing else: a libp2p host with a registry entry.
type payerHost struct {
	h   host.Host
	acc payAccount
	pc  *payChain
}

func (pc *payChain) newPayer(acc payAccount, stake *big.Int) *payerHost {
	pc.t.Helper()
	id, _, _ := lcrypto.GenerateEd25519Key(rand.Reader)
	h, err := libp2p.New(libp2p.Identity(id), libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		pc.t.Fatal(err)
	}
	pc.t.Cleanup(func() { h.Close() })
	key, err := identity.NodeKey(id)
	if err != nil {
		pc.t.Fatal(err)
	}
	pc.must(pc.c.Register(pc.ctx, acc.auth, chain.RoleMix, key, chain.EncodeMultiaddrs(h.Addrs()), stake))
	return &payerHost{h: h, acc: acc, pc: pc}
}

// pay signs a cheque of amount in all to payee and delivers it over the
// cheque protocol, retrying while the payee cannot place us yet (it has
// not loaded the topology).
func (p *payerHost) pay(payee *node.Node, amount *big.Int) {
	p.pc.t.Helper()
	s, err := p.pc.c.ChequeDomain().Sign(cheque.Cheque{Payer: p.acc.addr, Payee: payee.Config().Operator, CumulativeAmount: amount}, p.acc.key)
	if err != nil {
		p.pc.t.Fatal(err)
	}
	p.h.Peerstore().AddAddrs(payee.Host().ID(), payee.Addrs(), time.Hour)
	var last error
	for try := 0; try < 50; try++ {
		if last = deliverCheque(p.pc.ctx, p.h, payee.Host().ID(), s); last == nil {
			return
		}
		select {
		case <-payee.Directory().Changed(): // the payee learnt something: try again
		case <-time.After(200 * time.Millisecond):
		case <-p.pc.ctx.Done():
			p.pc.t.Fatal(p.pc.ctx.Err())
		}
	}
	p.pc.t.Fatalf("cheque for %s wei refused: %v", amount, last)
}

func deliverCheque(ctx context.Context, h host.Host, to peer.ID, s cheque.Signed) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	st, err := h.NewStream(ctx, to, node.ChequeProtocol)
	if err != nil {
		return err
	}
	defer st.Close()
	st.SetDeadline(time.Now().Add(5 * time.Second))
	b, _ := json.Marshal(s)
	if err := wire.WriteMsg(st, wire.TypeCheque, b); err != nil {
		return err
	}
	_, body, err := wire.ReadMsg(st, 1024)
	if err != nil {
		return err
	}
	status, err := wire.DecodeStatus(body)
	if err != nil {
		return err
	}
	return status.Err()
}

func wantWei(t *testing.T, what string, got, want *big.Int) {
	t.Helper()
	if got.Cmp(want) != 0 {
		t.Fatalf("%s: %s wei, want %s", what, got, want)
	}
}

// TestOnChainGasAwareCashing: a relay's cashing routine leaves a cheque
// whose unclaimed value is below max(CashAbove, gas price × gas of a cash
// × 20) alone, cashes one above it, and on exit cashes what is left
// whatever its size; the vault pays it exactly what the cheques promised.
func TestOnChainGasAwareCashing(t *testing.T) {
	pc, accts := newPayChain(t, 0)
	payeeAcc, payerAcc := accts[0], accts[1]
	payee := pc.newRelay(payeeAcc, chain.RoleProvider, chain.Ether(1), func(cfg *node.Config) {
		cfg.Settlement = node.ChainSettlement(pc.c, payeeAcc.key)
		// Below the default factor, so that a cheque 10× the threshold
		// stays within half the payer's cover (which forces a cash).
		cfg.Cashing.Every, cfg.Cashing.GasFactor = 100*time.Millisecond, 20
	})
	pc.must(pc.c.Deposit(pc.ctx, payerAcc.auth, chain.Ether(1)))
	payer := pc.newPayer(payerAcc, chain.Ether(1))
	pc.waitNextEpoch()
	if err := payee.Start(pc.ctx); err != nil {
		t.Fatal(err)
	}
	start, before := pc.head(), pc.balance(payeeAcc.addr)

	// Well below the threshold at any gas price anvil asks (≥ 1 gwei:
	// 66.6k gas × 20 × 1 gwei = 1.3e15 wei).
	small := big.NewInt(1e13)
	payer.pay(payee, small)
	rounds := payee.Earnings().CashRounds
	testutil.WaitFor(t, testutil.Remaining(pc.ctx, time.Minute), "two cashing rounds", func() bool { return payee.Earnings().CashRounds >= rounds+2 })
	e := payee.Earnings()
	if e.CashTxs != 0 || e.CashThreshold == nil || e.CashThreshold.Cmp(small) <= 0 {
		t.Fatalf("a cheque of %s wei below the threshold: %d cash transactions, threshold %v", small, e.CashTxs, e.CashThreshold)
	}
	if cashed, _ := pc.c.Cashed(pc.ctx, payerAcc.addr, payeeAcc.addr); cashed.Sign() != 0 {
		t.Fatalf("cashed %s wei below the threshold", cashed)
	}
	t.Logf("threshold at %d gas × factor 20: %s wei", e.CashGasPerTx, e.CashThreshold)

	// Far above it: cashed by the routine, not by the test.
	big1 := new(big.Int).Mul(e.CashThreshold, big.NewInt(10))
	payer.pay(payee, big1)
	testutil.WaitFor(t, testutil.Remaining(pc.ctx, time.Minute), "the cheque to be cashed", func() bool { return payee.Earnings().CashTxs >= 1 })
	cashed, err := pc.c.Cashed(pc.ctx, payerAcc.addr, payeeAcc.addr)
	if err != nil {
		t.Fatal(err)
	}
	wantWei(t, "cashed on-chain", cashed, big1)
	e = payee.Earnings()
	if e.CashThreshold.Cmp(big1) >= 0 || e.CashTxs != 1 || e.CashGasPerTx != e.CashGas {
		t.Fatalf("cashed %s wei above a threshold of %s in %d transactions; gas reckoned %d, measured %d", big1, e.CashThreshold, e.CashTxs, e.CashGasPerTx, e.CashGas)
	}
	t.Logf("gas of a cash: %d", e.CashGas)

	// A last small one is cashed only on exit, whatever its size.
	final := new(big.Int).Add(big1, small)
	payer.pay(payee, final)
	if _, err := payee.Exit(pc.ctx); err != nil {
		t.Fatal(err)
	}
	if cashed, _ = pc.c.Cashed(pc.ctx, payerAcc.addr, payeeAcc.addr); cashed.Cmp(final) != 0 {
		t.Fatalf("after exit cashed %s wei, want %s", cashed, final)
	}
	fees, txs := pc.feesSince(start, pc.c.Contracts().Vault, payeeAcc.addr)
	if txs != 2 {
		t.Fatalf("%d cash transactions, want 2", txs)
	}
	wantWei(t, "payee's balance change", new(big.Int).Sub(pc.balance(payeeAcc.addr), before), new(big.Int).Sub(final, fees))
	if h := payee.Earnings().Holdings; len(h) != 1 || h[0].Pending.Sign() != 0 {
		t.Fatalf("holdings after exit %+v", h)
	}
}

// TestOnChainBouncedCheque: a payer signs cheques, then takes its vault
// deposit out after the notice; the payee cashes at exit, is paid from
// the payer's stake to the wei, and the payer is jailed.
func TestOnChainBouncedCheque(t *testing.T) {
	const notice = 2 * time.Second
	pc, accts := newPayChain(t, notice)
	payeeAcc, payerAcc := accts[0], accts[1]
	payee := pc.newRelay(payeeAcc, chain.RoleProvider, chain.Ether(1), func(cfg *node.Config) {
		cfg.Settlement = node.ChainSettlement(pc.c, payeeAcc.key)
		cfg.Cashing.Every = time.Hour // it cashes on exit only, after the payer ran
	})
	deposit := big.NewInt(3e16)
	pc.must(pc.c.Deposit(pc.ctx, payerAcc.auth, deposit))
	stake := chain.Ether(1)
	payer := pc.newPayer(payerAcc, stake)
	pc.waitNextEpoch()
	if err := payee.Start(pc.ctx); err != nil {
		t.Fatal(err)
	}
	owed := big.NewInt(5e16) // more than the deposit: the stake covers it
	payer.pay(payee, big.NewInt(1e16))
	payer.pay(payee, owed)

	// The payer runs with its deposit.
	rc, err := pc.c.AnnounceWithdrawal(pc.ctx, payerAcc.auth, deposit)
	if err != nil {
		t.Fatal(err)
	}
	announced, err := pc.ec.HeaderByNumber(pc.ctx, rc.BlockNumber)
	if err != nil {
		t.Fatal(err)
	}
	// The notice runs on block time: wait for the chain's head to pass it.
	unlock := announced.Time + uint64(notice/time.Second)
	testutil.WaitFor(t, testutil.Remaining(pc.ctx, time.Minute), "the withdrawal notice to pass", func() bool {
		h, err := pc.ec.HeaderByNumber(pc.ctx, nil)
		return err == nil && h.Time >= unlock
	})
	pc.must(pc.c.WithdrawDeposit(pc.ctx, payerAcc.auth))
	if v, _ := pc.c.VaultBalance(pc.ctx, payerAcc.addr); v.Sign() != 0 {
		t.Fatalf("payer's deposit %s after the withdrawal", v)
	}

	start, before := pc.head(), pc.balance(payeeAcc.addr)
	got, err := payee.Exit(pc.ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantWei(t, "received on exit", got, owed)
	cashed, _ := pc.c.Cashed(pc.ctx, payerAcc.addr, payeeAcc.addr)
	wantWei(t, "cashed on-chain", cashed, owed)
	fees, txs := pc.feesSince(start, pc.c.Contracts().Vault, payeeAcc.addr)
	if txs != 1 {
		t.Fatalf("%d cash transactions, want 1", txs)
	}
	wantWei(t, "payee's balance change", new(big.Int).Sub(pc.balance(payeeAcc.addr), before), new(big.Int).Sub(owed, fees))
	r := pc.relay(payerAcc.addr)
	wantWei(t, "payer's stake", r.Stake, new(big.Int).Sub(stake, owed))
	if r.Status != chain.StatusJailed {
		t.Fatalf("payer's status %v, want jailed", r.Status)
	}
	e := payee.Earnings()
	if e.Bounced != 1 || e.BouncedFromStake.Cmp(owed) != 0 {
		t.Fatalf("bounces counted %d for %s wei, want 1 for %s", e.Bounced, e.BouncedFromStake, owed)
	}
	t.Logf("gas of a bounced cash: %d", e.CashGas)
}

// TestOnChainRedemptionFromAbsentIssuer: a provider redeems a ticket with
// its issuer, then the issuer goes offline; after the grace the provider
// redeems the other tickets on-chain and is paid their value from the
// issuer's stake, and on exit it cashes the issuer's cheque for the first.
func TestOnChainRedemptionFromAbsentIssuer(t *testing.T) {
	pc, accts := newPayChain(t, 0)
	issAcc, provAcc, clientAcc := accts[0], accts[1], accts[2]
	const price, packets = 1e15, 10
	issuer := pc.newRelay(issAcc, chain.RoleIssuer, chain.Ether(2), func(cfg *node.Config) {
		cfg.Issuing = node.ChainIssuing(pc.c, issAcc.key, big.NewInt(price), packets)
		cfg.Issuing.TicketFace = nil // pays by cheque, cashed on the provider's exit below
	})
	provider := pc.newRelay(provAcc, chain.RoleProvider, chain.Ether(1), func(cfg *node.Config) {
		pp := node.ChainPrepaid(pc.c, provAcc.key)
		pp.RedeemEvery = 100 * time.Millisecond
		pp.RedeemGrace = time.Second
		cfg.Prepaid = pp
	})
	// The issuer pays providers from its deposit; the client pays the issuer from its own.
	pc.must(pc.c.Deposit(pc.ctx, issAcc.auth, chain.Ether(1)))
	pc.must(pc.c.Deposit(pc.ctx, clientAcc.auth, chain.Ether(1)))
	pc.waitNextEpoch()
	if err := issuer.Start(pc.ctx); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, testutil.Remaining(pc.ctx, time.Minute), "the issuer's key on-chain", func() bool { return issuer.IssuerStatus().Published })
	if err := provider.Start(pc.ctx); err != nil {
		t.Fatal(err)
	}

	// The client buys 5 tickets.
	cl, err := libp2p.New(libp2p.NoListenAddrs)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	cl.Peerstore().AddAddrs(issuer.Host().ID(), issuer.Addrs(), time.Hour)
	cl.Peerstore().AddAddrs(provider.Host().ID(), provider.Addrs(), time.Hour)
	cat, err := market.Keys(pc.ctx, cl, issuer.Host().ID())
	if err != nil {
		t.Fatal(err)
	}
	key, ok := cat.Current()
	if !ok {
		t.Fatal("no current issuer key")
	}
	w, err := wallet.Open(filepath.Join(t.TempDir(), "w"), make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	paid := new(big.Int)
	if _, err := market.Buy(pc.ctx, cl, issuer.Host().ID(), key, 5, func(p *big.Int) (cheque.Signed, error) {
		paid.Add(paid, p)
		return pc.c.ChequeDomain().Sign(cheque.Cheque{Payer: clientAcc.addr, Payee: issAcc.addr, CumulativeAmount: new(big.Int).Set(paid)}, clientAcc.key)
	}, w); err != nil {
		t.Fatal(err)
	}
	ts, err := w.Take(5)
	if err != nil {
		t.Fatal(err)
	}

	// It spends one while the issuer is up, which the provider redeems
	// off-chain.
	c := dialProvider(t, pc.ctx, cl, provider)
	c.register()
	if s := c.spend(key, ts[:1]); s.Credited != packets {
		t.Fatalf("spent a ticket: %+v", s)
	}
	testutil.WaitFor(t, testutil.Remaining(pc.ctx, time.Minute), "the off-chain redemption", func() bool { return provider.PrepaidStats().Redeemed == 1 })

	// The issuer goes away; the client spends the other four.
	if err := issuer.Close(); err != nil {
		t.Fatal(err)
	}
	start, before, stakeBefore := pc.head(), pc.balance(provAcc.addr), pc.relay(issAcc.addr).Stake
	if s := c.spend(key, ts[1:]); s.Credited != 4*packets {
		t.Fatalf("spent four tickets: %+v", s)
	}
	testutil.WaitFor(t, testutil.Remaining(pc.ctx, time.Minute), "the on-chain redemption", func() bool { return provider.PrepaidStats().RedeemedOnChain == 4 })
	st := provider.PrepaidStats()
	if st.IssuerFailures == 0 || st.Redeemed != 1 || st.OnChainTxs != 1 {
		t.Fatalf("prepaid stats %+v", st)
	}
	value := big.NewInt(4 * price)
	wantWei(t, "paid on-chain (counted)", st.OnChainPaidWei, value)
	wantWei(t, "issuer's stake taken", new(big.Int).Sub(stakeBefore, pc.relay(issAcc.addr).Stake), value)
	fees, txs := pc.feesSince(start, pc.c.Contracts().Tickets, provAcc.addr)
	if txs != 1 {
		t.Fatalf("%d redemption transactions, want 1", txs)
	}
	wantWei(t, "provider's balance change", new(big.Int).Sub(pc.balance(provAcc.addr), before), new(big.Int).Sub(value, fees))
	for _, tk := range ts[1:] {
		if by, err := pc.c.RedeemerOf(pc.ctx, issAcc.addr, tk.KeyEpoch, tk.Serial); err != nil || by != provAcc.addr {
			t.Fatalf("ticket redeemed on-chain by %s (%v), want the provider", by, err)
		}
	}
	t.Logf("on-chain redemption of 4 tickets: %d gas; the issuer failed %d times (%v)", st.OnChainGas, st.IssuerFailures, st.IssuerFailureReasons)

	// Nothing is left to send to the issuer, and on exit the provider
	// cashes the issuer's cheque for the first ticket.
	before = pc.balance(provAcc.addr)
	start = pc.head()
	if _, err := provider.Exit(pc.ctx); err != nil {
		t.Fatal(err)
	}
	cashed, _ := pc.c.Cashed(pc.ctx, issAcc.addr, provAcc.addr)
	wantWei(t, "issuer's cheque cashed", cashed, big.NewInt(price))
	fees, _ = pc.feesSince(start, pc.c.Contracts().Vault, provAcc.addr)
	wantWei(t, "provider's balance change on exit", new(big.Int).Sub(pc.balance(provAcc.addr), before), new(big.Int).Sub(big.NewInt(price), fees))
	if is := provider.Earnings().Issuers; len(is) != 1 || is[0].Cashed.Cmp(big.NewInt(price)) != 0 || is[0].Pending.Sign() != 0 {
		t.Fatalf("issuer holdings %+v", is)
	}
	if s := provider.PrepaidStats(); s.RedeemedOnChain != 4 || s.Redeemed != 1 {
		t.Fatalf("after exit: %+v", s)
	}
}

// clientConn is a client's stream to its provider.
type clientConn struct {
	t   *testing.T
	req func(wire.Type, []byte) (wire.Type, []byte)
}

func dialProvider(t *testing.T, ctx context.Context, h host.Host, p *node.Node) *clientConn {
	t.Helper()
	s, err := h.NewStream(ctx, p.Host().ID(), wire.ClientProtocol)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &clientConn{t: t, req: func(typ wire.Type, body []byte) (wire.Type, []byte) {
		t.Helper()
		s.SetDeadline(time.Now().Add(20 * time.Second))
		if err := wire.WriteMsg(s, typ, body); err != nil {
			t.Fatal(err)
		}
		rt, rb, err := wire.ReadMsg(s, wire.MaxBody)
		if err != nil {
			t.Fatal(err)
		}
		return rt, rb
	}}
}

func (c *clientConn) register() {
	c.t.Helper()
	rt, rb := c.req(wire.TypeRegister, nil)
	st, err := wire.DecodeStatus(rb)
	if rt != wire.TypeStatus || err != nil || st.Code != wire.CodeOK {
		c.t.Fatalf("register: %#x %+v %v", rt, st, err)
	}
}

func (c *clientConn) spend(key tickets.IssuerKey, ts []tickets.Ticket) wire.Spent {
	c.t.Helper()
	sp := wire.Spend{IssuerKey: key.PublicKey.Bytes()}
	for _, tk := range ts {
		b := tk.Bytes()
		sp.Tickets = append(sp.Tickets, b[:])
	}
	body, err := wire.EncodeSpend(sp)
	if err != nil {
		c.t.Fatal(err)
	}
	rt, rb := c.req(wire.TypeSpend, body)
	if rt != wire.TypeSpent {
		st, _ := wire.DecodeStatus(rb)
		c.t.Fatalf("spend answered %#x %+v", rt, st)
	}
	s, err := wire.DecodeSpent(rb)
	if err != nil {
		c.t.Fatal(err)
	}
	return s
}

// buyer is a client of the market: a libp2p host with no listener that
// pays an issuer with cheques from its account.
type buyer struct {
	pc   *payChain
	h    host.Host
	acc  payAccount
	paid *big.Int // cumulative amount of its last cheque to the issuer
}

func (pc *payChain) newBuyer(acc payAccount, relays ...*node.Node) *buyer {
	pc.t.Helper()
	h, err := libp2p.New(libp2p.NoListenAddrs)
	if err != nil {
		pc.t.Fatal(err)
	}
	pc.t.Cleanup(func() { h.Close() })
	for _, r := range relays {
		h.Peerstore().AddAddrs(r.Host().ID(), r.Addrs(), time.Hour)
	}
	return &buyer{pc: pc, h: h, acc: acc, paid: new(big.Int)}
}

// buy buys n tickets of the issuer's current key, paying with a cheque
// that raises the last by their price.
func (b *buyer) buy(issuer *node.Node, n int) (tickets.IssuerKey, []tickets.Ticket) {
	t := b.pc.t
	t.Helper()
	key, w, err := b.tryBuy(issuer, n)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := w.Take(n)
	if err != nil {
		t.Fatal(err)
	}
	return key, ts
}

// tryBuy buys n tickets of the issuer's current key into a new wallet,
// which it returns with the purchase's error. A purchase the issuer
// refused without taking the cheque leaves b.paid as it was.
func (b *buyer) tryBuy(issuer *node.Node, n int) (tickets.IssuerKey, *wallet.Wallet, error) {
	t := b.pc.t
	t.Helper()
	cat, err := market.Keys(b.pc.ctx, b.h, issuer.Host().ID())
	if err != nil {
		t.Fatal(err)
	}
	key, ok := cat.Current()
	if !ok {
		t.Fatal("no current issuer key")
	}
	w, err := wallet.Open(filepath.Join(t.TempDir(), "w"), make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	payee := issuer.Config().Operator
	before := new(big.Int).Set(b.paid)
	_, err = market.Buy(b.pc.ctx, b.h, issuer.Host().ID(), key, n, func(p *big.Int) (cheque.Signed, error) {
		b.paid.Add(b.paid, p)
		return b.pc.c.ChequeDomain().Sign(cheque.Cheque{Payer: b.acc.addr, Payee: payee, CumulativeAmount: new(big.Int).Set(b.paid)}, b.acc.key)
	}, w)
	if err != nil && len(w.Pending()) == 0 {
		b.paid = before // abandoned: the issuer never took the cheque
	}
	return key, w, err
}

// TestOnChainIssuerCashesSales: a client pays an issuer with cheques for
// tickets; the issuer's cashing routine leaves the client's cheque alone
// while it is below the gas-aware threshold, and on exit cashes it
// whatever its size: the vault pays the issuer what the client promised,
// to the wei.
func TestOnChainIssuerCashesSales(t *testing.T) {
	pc, accts := newPayChain(t, 0)
	issAcc, clientAcc := accts[0], accts[1]
	const price, packets = 1e12, 10 // 3 tickets are far below the threshold at any gas price anvil asks
	issuer := pc.newRelay(issAcc, chain.RoleIssuer, chain.Ether(2), func(cfg *node.Config) {
		cfg.Issuing = node.ChainIssuing(pc.c, issAcc.key, big.NewInt(price), packets)
	})
	pc.must(pc.c.Deposit(pc.ctx, clientAcc.auth, chain.Ether(1)))
	pc.waitNextEpoch()
	if err := issuer.Start(pc.ctx); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, testutil.Remaining(pc.ctx, time.Minute), "the issuer's key on-chain", func() bool { return issuer.IssuerStatus().Published })

	b := pc.newBuyer(clientAcc, issuer)
	b.buy(issuer, 1)
	b.buy(issuer, 2)
	wantWei(t, "paid for 3 tickets", b.paid, big.NewInt(3*price))
	s := issuer.Earnings().Sales
	if len(s) != 1 || s[0].Payer != clientAcc.addr || s[0].Pending.Cmp(b.paid) != 0 || s[0].Cashed.Sign() != 0 {
		t.Fatalf("sales before cashing %+v", s)
	}

	// A round of the routine: below the threshold, nothing is cashed.
	if got, err := issuer.CashChequesDue(pc.ctx); err != nil || got.Sign() != 0 {
		t.Fatalf("a routine round cashed %v wei (%v)", got, err)
	}
	e := issuer.Earnings()
	if e.CashTxs != 0 || e.CashRounds != 1 || e.CashThreshold == nil || e.CashThreshold.Cmp(b.paid) <= 0 {
		t.Fatalf("a cheque of %s wei below the threshold: %d cash transactions in %d rounds, threshold %v", b.paid, e.CashTxs, e.CashRounds, e.CashThreshold)
	}

	// On exit it is cashed whatever its size.
	start, before := pc.head(), pc.balance(issAcc.addr)
	got, err := issuer.Exit(pc.ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantWei(t, "received on exit", got, b.paid)
	cashed, err := pc.c.Cashed(pc.ctx, clientAcc.addr, issAcc.addr)
	if err != nil {
		t.Fatal(err)
	}
	wantWei(t, "cashed on-chain", cashed, b.paid)
	fees, txs := pc.feesSince(start, pc.c.Contracts().Vault, issAcc.addr)
	if txs != 1 {
		t.Fatalf("%d cash transactions, want 1", txs)
	}
	wantWei(t, "issuer's balance change", new(big.Int).Sub(pc.balance(issAcc.addr), before), new(big.Int).Sub(b.paid, fees))
	e = issuer.Earnings()
	if s := e.Sales; len(s) != 1 || s[0].Cashed.Cmp(b.paid) != 0 || s[0].Pending.Sign() != 0 {
		t.Fatalf("sales after exit %+v", s)
	}
	if e.CashTxs != 1 || e.CashGas == 0 {
		t.Fatalf("cashing counted %d transactions, %d gas", e.CashTxs, e.CashGas)
	}
	// A second exit has nothing left to cash.
	if got, err := issuer.Exit(pc.ctx); err != nil || got.Sign() != 0 {
		t.Fatalf("a second exit received %v wei (%v)", got, err)
	}
	t.Logf("issuer cashed %s wei from its client in %d gas", cashed, e.CashGas)
}

// TestOnChainRedemptionFromRefusingIssuer: an issuer that is up, sells
// tickets and answers, but refuses every redemption (as busy, not naming
// the tickets), is taken on-chain after the grace: the provider redeems
// the tickets against the issuer's stake and is paid their value to the
// wei, and the refusals are counted by reason.
func TestOnChainRedemptionFromRefusingIssuer(t *testing.T) {
	pc, accts := newPayChain(t, 0)
	issAcc, provAcc, clientAcc := accts[0], accts[1], accts[2]
	const price, packets, n = 1e15, 10, 4
	issuer := pc.newRelay(issAcc, chain.RoleIssuer, chain.Ether(2), func(cfg *node.Config) {
		cfg.Issuing = node.ChainIssuing(pc.c, issAcc.key, big.NewInt(price), packets)
		cfg.Faults.RefuseRedemptions = true
	})
	const grace = time.Second
	provider := pc.newRelay(provAcc, chain.RoleProvider, chain.Ether(1), func(cfg *node.Config) {
		pp := node.ChainPrepaid(pc.c, provAcc.key)
		pp.RedeemEvery = 100 * time.Millisecond
		pp.RedeemGrace = grace
		cfg.Prepaid = pp
	})
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
	key, ts := b.buy(issuer, n)

	start, before, stakeBefore := pc.head(), pc.balance(provAcc.addr), pc.relay(issAcc.addr).Stake
	c := dialProvider(t, pc.ctx, b.h, provider)
	c.register()
	if s := c.spend(key, ts); s.Credited != n*packets {
		t.Fatalf("spent %d tickets: %+v", n, s)
	}
	testutil.WaitFor(t, testutil.Remaining(pc.ctx, time.Minute), "the on-chain redemption", func() bool { return provider.PrepaidStats().RedeemedOnChain == n })
	st := provider.PrepaidStats()
	// Refused at least at the first try and until the grace passed.
	if st.Redeemed != 0 || st.OnChainTxs != 1 || st.IssuerFailures == 0 || st.IssuerFailureReasons["busy"] != st.IssuerFailures {
		t.Fatalf("prepaid stats %+v", st)
	}
	value := big.NewInt(n * price)
	wantWei(t, "paid on-chain (counted)", st.OnChainPaidWei, value)
	wantWei(t, "issuer's stake taken", new(big.Int).Sub(stakeBefore, pc.relay(issAcc.addr).Stake), value)
	fees, txs := pc.feesSince(start, pc.c.Contracts().Tickets, provAcc.addr)
	if txs != 1 {
		t.Fatalf("%d redemption transactions, want 1", txs)
	}
	wantWei(t, "provider's balance change", new(big.Int).Sub(pc.balance(provAcc.addr), before), new(big.Int).Sub(value, fees))
	for _, tk := range ts {
		if by, err := pc.c.RedeemerOf(pc.ctx, issAcc.addr, tk.KeyEpoch, tk.Serial); err != nil || by != provAcc.addr {
			t.Fatalf("ticket redeemed on-chain by %s (%v), want the provider", by, err)
		}
	}
	// The issuer was up throughout, and never paid.
	if owed, err := issuer.Issuer().Owed(provAcc.addr); err != nil || owed.CumulativeAmount.Sign() != 0 {
		t.Fatalf("the refusing issuer owes the provider %v (%v)", owed.CumulativeAmount, err)
	}
	if is := provider.Earnings().Issuers; len(is) != 0 {
		t.Fatalf("the provider holds issuer cheques %+v", is)
	}
	t.Logf("refused %d times (%v); on-chain redemption of %d tickets: %d gas", st.IssuerFailures, st.IssuerFailureReasons, n, st.OnChainGas)
}

// TestOnChainIssuerCoversSales: clients have no stake, so an issuer sells
// only against cheques the client's vault covers, and cashes a client's
// cheque as soon as the client announces a withdrawal.
//
//   - A client with an empty vault is refused (CodeUncovered, naming what
//     the cheque leaves unclaimed and the cover) and gets no tickets; the
//     issuer's books do not move.
//   - A client whose deposit would be covered but for its announced
//     withdrawal is refused too: the cover is deposit minus withdrawal.
//   - A client buys (far below the gas rule's threshold), then announces a
//     withdrawal: the issuer's withdrawal check cashes the cheque at once,
//     before the notice ends, and the vault pays it to the wei.
func TestOnChainIssuerCoversSales(t *testing.T) {
	pc, accts := newPayChain(t, 0) // the default notice: two days
	issAcc, emptyAcc, leavingAcc, buyerAcc := accts[0], accts[1], accts[2], accts[3]
	const price, packets = 1e12, 10
	issuer := pc.newRelay(issAcc, chain.RoleIssuer, chain.Ether(2), func(cfg *node.Config) {
		cfg.Issuing = node.ChainIssuing(pc.c, issAcc.key, big.NewInt(price), packets)
		cfg.Issuing.WithdrawalCheckEvery = 200 * time.Millisecond
	})
	pc.must(pc.c.Deposit(pc.ctx, leavingAcc.auth, big.NewInt(2*price)))
	pc.must(pc.c.AnnounceWithdrawal(pc.ctx, leavingAcc.auth, big.NewInt(price)))
	pc.must(pc.c.Deposit(pc.ctx, buyerAcc.auth, chain.Ether(1)))
	pc.waitNextEpoch()
	if err := issuer.Start(pc.ctx); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, testutil.Remaining(pc.ctx, time.Minute), "the issuer's key on-chain", func() bool { return issuer.IssuerStatus().Published })

	// (a) An empty vault buys nothing.
	refused := func(acc payAccount, n int, unclaimed, cover int64) {
		t.Helper()
		b := pc.newBuyer(acc, issuer)
		_, w, err := b.tryBuy(issuer, n)
		var re *market.RefusalError
		if !errors.As(err, &re) || re.Code != market.CodeUncovered || !errors.Is(err, market.ErrUncovered) {
			t.Fatalf("buying %d tickets: %v, want a refusal with CodeUncovered", n, err)
		}
		if re.Want == nil || re.Want.Int64() != unclaimed || re.Have == nil || re.Have.Int64() != cover {
			t.Fatalf("refusal names %v wei unclaimed and a cover of %v, want %d and %d", re.Want, re.Have, unclaimed, cover)
		}
		if len(w.Balance()) != 0 || len(w.Pending()) != 0 {
			t.Fatalf("a refused purchase left tickets %v or a pending purchase %v", w.Balance(), w.Pending())
		}
		if _, ok, err := issuer.Issuer().Payment(acc.addr); ok || err != nil {
			t.Fatalf("the issuer took the refused client's cheque (%v)", err)
		}
		t.Logf("refused: %v", err)
	}
	refused(emptyAcc, 2, 2*price, 0)
	// The deposit would pay 2 tickets, but half of it is announced for withdrawal.
	refused(leavingAcc, 2, 2*price, price)
	if e := issuer.Earnings(); len(e.Sales) != 0 || e.CashTxs != 0 {
		t.Fatalf("after refusals the issuer holds sales %+v and sent %d cash transactions", e.Sales, e.CashTxs)
	}

	// (b) A client buys, then announces a withdrawal of its deposit.
	b := pc.newBuyer(buyerAcc, issuer)
	b.buy(issuer, 1)
	b.buy(issuer, 2)
	wantWei(t, "paid for 3 tickets", b.paid, big.NewInt(3*price))
	// Withdrawal checks have run, but with nothing announced, and the
	// cheque is far below the gas rule: nothing is cashed.
	if e := issuer.Earnings(); len(e.Sales) != 1 || e.CashTxs != 0 || e.CashedForWithdrawal != 0 {
		t.Fatalf("before the withdrawal: sales %+v, %d cash transactions, %d for withdrawals", e.Sales, e.CashTxs, e.CashedForWithdrawal)
	}
	start, before := pc.head(), pc.balance(issAcc.addr)
	pc.must(pc.c.AnnounceWithdrawal(pc.ctx, buyerAcc.auth, chain.Ether(1)))
	testutil.WaitFor(t, testutil.Remaining(pc.ctx, time.Minute), "the withdrawing client's cheque cashed", func() bool { return issuer.Earnings().CashedForWithdrawal == 1 })

	cashed, err := pc.c.Cashed(pc.ctx, buyerAcc.addr, issAcc.addr)
	if err != nil {
		t.Fatal(err)
	}
	wantWei(t, "cashed on-chain", cashed, b.paid)
	// Before the notice ended: the withdrawal is still waiting to unlock.
	wd, err := pc.c.PendingWithdrawal(pc.ctx, buyerAcc.addr)
	if err != nil {
		t.Fatal(err)
	}
	h, err := pc.ec.HeaderByNumber(pc.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if wd.Amount.Sign() == 0 || !wd.UnlockAt.After(time.Unix(int64(h.Time), 0)) {
		t.Fatalf("the withdrawal (%s wei, unlocks %v) is no longer pending at block time %d", wd.Amount, wd.UnlockAt, h.Time)
	}
	fees, txs := pc.feesSince(start, pc.c.Contracts().Vault, issAcc.addr)
	if txs != 1 {
		t.Fatalf("%d cash transactions, want 1", txs)
	}
	wantWei(t, "issuer's balance change", new(big.Int).Sub(pc.balance(issAcc.addr), before), new(big.Int).Sub(b.paid, fees))
	e := issuer.Earnings()
	if s := e.Sales; len(s) != 1 || s[0].Cashed.Cmp(b.paid) != 0 || s[0].Pending.Sign() != 0 {
		t.Fatalf("sales after the withdrawal check %+v", s)
	}
	if e.CashTxs != 1 || e.CashedForWithdrawal != 1 {
		t.Fatalf("cashing counted %d transactions, %d for withdrawals", e.CashTxs, e.CashedForWithdrawal)
	}
	// Nothing is left to cash, so later checks send nothing more.
	if got, err := issuer.Exit(pc.ctx); err != nil || got.Sign() != 0 {
		t.Fatalf("exit after the withdrawal check received %v wei (%v)", got, err)
	}
	t.Logf("cashed %s wei from a withdrawing client in %d gas, before its withdrawal unlocks at %v", cashed, e.CashGas, wd.UnlockAt)
}
