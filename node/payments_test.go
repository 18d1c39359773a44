package node_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"math/big"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p"
	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/chain/light"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/mixer"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/market"
	"github.com/murmurnet/murmur/payments/settle"
	"github.com/murmurnet/murmur/payments/tickets"
	"github.com/murmurnet/murmur/payments/wallet"
	"github.com/murmurnet/murmur/sphinx"
)

// ticketChain is a TicketIssuer contract in memory: keys are published
// once per issuer and epoch, and published reports each publication.
type ticketChain struct {
	domain    cheque.Domain
	addrs     chain.Contracts
	published chan uint64

	mu   sync.Mutex
	keys map[common.Address]map[uint64]chain.IssuerKey
}

func newTicketChain() *ticketChain {
	addrs := chain.Contracts{Vault: common.HexToAddress("0xaa"), Tickets: common.HexToAddress("0xbb"), Registry: common.HexToAddress("0xcc")}
	return &ticketChain{
		domain: cheque.NewDomain(big.NewInt(1337), addrs.Vault), addrs: addrs,
		published: make(chan uint64, 16), keys: map[common.Address]map[uint64]chain.IssuerKey{},
	}
}

func (c *ticketChain) ChainID() *big.Int           { return big.NewInt(1337) }
func (c *ticketChain) Contracts() chain.Contracts  { return c.addrs }
func (c *ticketChain) ChequeDomain() cheque.Domain { return c.domain }

func (c *ticketChain) IssuerKey(_ context.Context, issuer common.Address, epoch uint64) (chain.IssuerKey, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.keys[issuer][epoch]
	if !ok {
		return chain.IssuerKey{Value: new(big.Int)}, nil
	}
	return k, nil
}

func (c *ticketChain) PublishKey(_ context.Context, auth *bind.TransactOpts, epoch uint64, pub []byte, value *big.Int, expires time.Time) (*types.Receipt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keys[auth.From] == nil {
		c.keys[auth.From] = map[uint64]chain.IssuerKey{}
	}
	if _, ok := c.keys[auth.From][epoch]; ok {
		return nil, errors.New("KeyAlreadyPublished")
	}
	c.keys[auth.From][epoch] = chain.IssuerKey{Value: new(big.Int).Set(value), ExpiresAt: expires, PublicKey: append([]byte{}, pub...)}
	c.published <- epoch
	return &types.Receipt{}, nil
}

// registry is a registry whose relays the test sets once they listen.
type registry struct {
	mu     sync.Mutex
	relays []chain.Relay
}

func (r *registry) HeaderByNumber(context.Context, *big.Int) (light.Header, error) {
	return light.Header{Number: 100, Time: uint64(time.Now().Unix())}, nil
}

func (r *registry) LastBlockBefore(_ context.Context, t time.Time) (light.Header, error) {
	return light.Header{Number: 99, Time: uint64(t.Unix() - 1)}, nil
}

func (r *registry) ActiveRelaysAt(context.Context, *big.Int) ([]chain.Relay, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.relays, nil
}

// paidNet is an issuer relay, a provider that charges, and a client host.
type paidNet struct {
	chain    *ticketChain
	issuer   *node.Node
	provider *node.Node
	provCfg  node.Config
	client   host.Host
	key      tickets.IssuerKey // the issuer's current key
	wallet   *wallet.Wallet
	payer    *ecdsa.PrivateKey
	paid     *big.Int
}

const (
	testPrice   = 1000 // wei a ticket
	testPackets = 10   // packets a ticket
)

func newPaidNet(t *testing.T) *paidNet {
	t.Helper()
	return newPaidNetWith(t, func(*node.TicketIssuing, *node.Prepaid) {})
}

// newPaidNetWith is newPaidNet with the issuer's and the provider's
// payment configuration changed by set.
func newPaidNetWith(t *testing.T, set func(*node.TicketIssuing, *node.Prepaid)) *paidNet {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	pn := &paidNet{chain: newTicketChain(), paid: new(big.Int)}
	reg := &registry{}
	epochs := pki.Epochs{Genesis: time.Now().Add(-time.Hour), Length: time.Hour}
	issID, _, _ := lcrypto.GenerateEd25519Key(rand.Reader)
	provID, _, _ := lcrypto.GenerateEd25519Key(rand.Reader)
	issKey, _ := crypto.GenerateKey()
	provKey, _ := crypto.GenerateKey()
	issAddr, provAddr := crypto.PubkeyToAddress(issKey.PublicKey), crypto.PubkeyToAddress(provKey.PublicKey)
	base := func(id lcrypto.PrivKey, op common.Address, roles chain.Roles) node.Config {
		return node.Config{
			DataDir: t.TempDir(), Identity: id, Operator: op, Roles: roles, Layers: 1,
			ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}, Chain: reg, Epochs: epochs, NoCover: true,
			ReplayCapacity: 1000,
		}
	}
	icfg := base(issID, issAddr, chain.RoleIssuer)
	icfg.Issuing = &node.TicketIssuing{Chain: pn.chain, Auth: bind.NewKeyedTransactor(issKey, big.NewInt(1337)), Account: issKey,
		PriceWei: big.NewInt(testPrice), Packets: testPackets}
	pn.provCfg = base(provID, provAddr, chain.RoleProvider)
	pn.provCfg.Prepaid = &node.Prepaid{Chain: pn.chain, Account: provKey, RedeemEvery: time.Hour, ReserveChunk: 4}
	set(icfg.Issuing, pn.provCfg.Prepaid)
	var err error
	if pn.issuer, err = node.New(icfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pn.issuer.Close() })
	if pn.provider, err = node.New(pn.provCfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pn.provider.Close() })
	relay := func(n *node.Node, op common.Address, roles chain.Roles) chain.Relay {
		return chain.Relay{NodeKey: n.NodeKey(), Operator: op, Roles: roles, Status: chain.StatusActive, Stake: big.NewInt(1), Multiaddrs: chain.EncodeMultiaddrs(n.Addrs())}
	}
	reg.relays = []chain.Relay{relay(pn.issuer, issAddr, chain.RoleIssuer), relay(pn.provider, provAddr, chain.RoleProvider)}
	if err := pn.issuer.Start(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-pn.chain.published:
	case <-time.After(10 * time.Second):
		t.Fatal("the issuer published no key")
	}
	if err := pn.provider.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if pn.client, err = libp2p.New(libp2p.NoListenAddrs); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pn.client.Close() })
	pn.client.Peerstore().AddAddrs(pn.provider.Host().ID(), pn.provider.Addrs(), time.Hour)
	pn.client.Peerstore().AddAddrs(pn.issuer.Host().ID(), pn.issuer.Addrs(), time.Hour)

	cat, err := market.Keys(ctx, pn.client, pn.issuer.Host().ID())
	if err != nil {
		t.Fatal(err)
	}
	var ok bool
	if pn.key, ok = cat.Current(); !ok || pn.key.Value.Packets != testPackets {
		t.Fatalf("catalog %+v", cat)
	}
	if pn.wallet, err = wallet.Open(filepath.Join(t.TempDir(), "w"), make([]byte, 32)); err != nil {
		t.Fatal(err)
	}
	pn.payer, _ = crypto.GenerateKey()
	return pn
}

// buy buys n tickets into the wallet and takes them out again.
func (pn *paidNet) buy(t *testing.T, n int) []tickets.Ticket {
	t.Helper()
	_, err := market.Buy(context.Background(), pn.client, pn.issuer.Host().ID(), pn.key, n, func(price *big.Int) (cheque.Signed, error) {
		pn.paid.Add(pn.paid, price)
		return pn.chain.domain.Sign(cheque.Cheque{Payer: crypto.PubkeyToAddress(pn.payer.PublicKey), Payee: pn.issuer.Config().Operator, CumulativeAmount: new(big.Int).Set(pn.paid)}, pn.payer)
	}, pn.wallet)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := pn.wallet.Take(n)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// conn is a client's stream to the provider.
type conn struct {
	t *testing.T
	s network.Stream
}

func (pn *paidNet) dial(t *testing.T) *conn {
	t.Helper()
	s, err := pn.client.NewStream(context.Background(), pn.provider.Host().ID(), wire.ClientProtocol)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &conn{t: t, s: s}
}

func (c *conn) request(typ wire.Type, body []byte) (wire.Type, []byte) {
	c.t.Helper()
	c.s.SetDeadline(time.Now().Add(20 * time.Second))
	if err := wire.WriteMsg(c.s, typ, body); err != nil {
		c.t.Fatal(err)
	}
	rt, rb, err := wire.ReadMsg(c.s, wire.MaxBody)
	if err != nil {
		c.t.Fatal(err)
	}
	return rt, rb
}

func (c *conn) status(typ wire.Type, body []byte) wire.Status {
	c.t.Helper()
	rt, rb := c.request(typ, body)
	if rt != wire.TypeStatus {
		c.t.Fatalf("answer of type %#x, want a status", rt)
	}
	st, err := wire.DecodeStatus(rb)
	if err != nil {
		c.t.Fatal(err)
	}
	return st
}

func (c *conn) spend(key tickets.IssuerKey, ts ...[]byte) wire.Spent {
	c.t.Helper()
	var body []byte
	if len(ts) > 0 {
		var err error
		if body, err = wire.EncodeSpend(wire.Spend{IssuerKey: key.PublicKey.Bytes(), Tickets: ts}); err != nil {
			c.t.Fatal(err)
		}
	}
	rt, rb := c.request(wire.TypeSpend, body)
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

func raw(t tickets.Ticket) []byte { b := t.Bytes(); return b[:] }

// frame is a mix frame of the network's size; what it holds does not
// matter to the payment, which comes before unwrapping.
func frame() []byte { return make([]byte, wire.EpochSize+sphinx.DefaultGeometry().PacketSize()) }

func refusals(s wire.Spent) map[int]wire.SpendCode {
	m := map[int]wire.SpendCode{}
	for _, r := range s.Refused {
		m[r.Index] = r.Code
	}
	return m
}

// TestPrepaidPackets follows a client at a provider that charges: refused
// while it has no prepaid packets, credited for good tickets and refused,
// with reasons, for forged, spent, duplicated, malformed and unknown ones,
// charged a packet per packet, and its balance kept across a restart of
// the provider. The provider then redeems the tickets with the issuer.
func TestPrepaidPackets(t *testing.T) {
	pn := newPaidNet(t)
	c := pn.dial(t)

	// Nothing before registering.
	if st := c.status(wire.TypeSpend, nil); st.Code != wire.CodeNotRegistered {
		t.Fatalf("spend before registering: %+v", st)
	}
	if st := c.status(wire.TypeRegister, nil); st.Code != wire.CodeOK {
		t.Fatal(st)
	}

	// No tickets, no packets: refused with a reason, counted, not forwarded.
	received := pn.provider.Stats().Received
	st := c.status(wire.TypeSend, frame())
	if st.Code != wire.CodeUnpaid || !strings.Contains(st.Reason, "no prepaid packets left: spend tickets") {
		t.Fatalf("unpaid send answered %+v", st)
	}
	if st := c.status(wire.TypeForward, append(make([]byte, 32), frame()...)); st.Code != wire.CodeUnpaid {
		t.Fatalf("unpaid forward answered %+v", st)
	}
	if got := pn.provider.Counters.Get(mixer.ClientUnpaid); got != 2 {
		t.Fatalf("client_unpaid counted %d, want 2", got)
	}
	if pn.provider.Stats().Received != received || pn.provider.PrepaidStats().Unpaid != 2 {
		t.Fatalf("unpaid packets went on: %+v %+v", pn.provider.Stats(), pn.provider.PrepaidStats())
	}
	if s := c.spend(pn.key); s.Balance != 0 {
		t.Fatalf("balance %d", s.Balance)
	}

	ts := pn.buy(t, 4)
	// A forged ticket: a signature of another serial. A batch is not all
	// or nothing: the good tickets are credited, the forged one refused.
	forged := tickets.Ticket{KeyEpoch: ts[0].KeyEpoch, Signature: ts[1].Signature}
	rand.Read(forged.Serial[:])
	s := c.spend(pn.key, raw(ts[0]), raw(forged), raw(ts[1]))
	if s.Credited != 2*testPackets || s.Balance != 2*testPackets {
		t.Fatalf("credited %d, balance %d; want %d", s.Credited, s.Balance, 2*testPackets)
	}
	if r := refusals(s); len(r) != 1 || r[1] != wire.SpendBadSignature || !strings.Contains(s.Reason, "bad signature") {
		t.Fatalf("refusals %v (%q)", r, s.Reason)
	}
	// Spent already, twice in one batch, not a ticket, a key nobody published.
	bad := raw(ts[2])
	bad = append([]byte{}, bad...)
	for i := 40; i < len(bad); i++ {
		bad[i] = 0xff
	}
	s = c.spend(pn.key, raw(ts[0]), raw(ts[2]), raw(ts[2]), bad)
	if r := refusals(s); len(r) != 3 || r[0] != wire.SpendAlreadySpent || r[2] != wire.SpendDuplicate || r[3] != wire.SpendMalformed || s.Credited != testPackets {
		t.Fatalf("refusals %v, credited %d (%q)", r, s.Credited, s.Reason)
	}
	other, _ := tickets.GenerateIssuerKey(rand.Reader, 1337, pn.key.Epoch, pn.key.Value)
	s = c.spend(other.Public(), raw(ts[3]))
	if r := refusals(s); r[0] != wire.SpendUnknownKey || !r[0].Retryable() || s.Credited != 0 {
		t.Fatalf("unknown key: refusals %v (%q)", r, s.Reason)
	}
	// The ticket refused for its key was not spent.
	if s = c.spend(pn.key, raw(ts[3])); s.Credited != testPackets || s.Balance != 4*testPackets {
		t.Fatalf("retried ticket: %+v", s)
	}
	ps := pn.provider.PrepaidStats()
	if ps.Tickets != 4 || ps.Credited != 4*testPackets || ps.RefusedTickets["bad_signature"] != 1 || ps.RefusedTickets["already_spent"] != 1 ||
		ps.RefusedTickets["duplicate"] != 1 || ps.RefusedTickets["malformed"] != 1 || ps.RefusedTickets["unknown_key"] != 1 {
		t.Fatalf("stats %+v", ps)
	}

	// A packet costs one prepaid packet.
	for i := range 5 {
		if st := c.status(wire.TypeSend, frame()); st.Code != wire.CodeOK {
			t.Fatalf("paid send %d: %+v", i, st)
		}
	}
	// A refused forward is not charged.
	if st := c.status(wire.TypeForward, append(make([]byte, 32), frame()...)); st.Code != wire.CodeRejected {
		t.Fatalf("forward to nowhere: %+v", st)
	}
	if s = c.spend(pn.key); s.Balance != 4*testPackets-5 {
		t.Fatalf("balance %d after 5 packets, want %d", s.Balance, 4*testPackets-5)
	}

	// The balance survives a restart of the provider.
	before, err := pn.provider.PrepaidBalance(pn.client.ID())
	if err != nil {
		t.Fatal(err)
	}
	pn.restartProvider(t)
	c = pn.dial(t)
	c.status(wire.TypeRegister, nil)
	if s = c.spend(pn.key); s.Balance != before {
		t.Fatalf("balance %d after a restart, %d before", s.Balance, before)
	}
	// Spent tickets stay spent across it too.
	if s = c.spend(pn.key, raw(ts[1])); refusals(s)[0] != wire.SpendAlreadySpent {
		t.Fatalf("ticket spent before the restart: %+v", s)
	}
	for range before {
		if st := c.status(wire.TypeSend, frame()); st.Code != wire.CodeOK {
			t.Fatalf("paid send: %+v", st)
		}
	}
	if st := c.status(wire.TypeSend, frame()); st.Code != wire.CodeUnpaid {
		t.Fatalf("send past the balance: %+v", st)
	}

	// The provider redeems the four tickets with the issuer for a cheque.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := pn.provider.RedeemTickets(ctx); err != nil {
		t.Fatal(err)
	}
	cs, err := pn.provider.IssuerCheques()
	if err != nil || len(cs) != 1 {
		t.Fatalf("cheques %+v, %v", cs, err)
	}
	if err := pn.chain.domain.Verify(cs[0]); err != nil || cs[0].Payer != pn.issuer.Config().Operator || cs[0].CumulativeAmount.Int64() != 4*testPrice {
		t.Fatalf("cheque %+v (%v)", cs[0], err)
	}
	owed, err := pn.issuer.Issuer().Owed(pn.provCfg.Operator)
	if err != nil || owed.CumulativeAmount.Cmp(cs[0].CumulativeAmount) != 0 {
		t.Fatalf("the issuer owes %v (%v), the provider holds %s", owed.CumulativeAmount, err, cs[0].CumulativeAmount)
	}
	if last, ok, err := pn.issuer.Issuer().Payment(crypto.PubkeyToAddress(pn.payer.PublicKey)); err != nil || !ok || last.CumulativeAmount.Cmp(pn.paid) != 0 {
		t.Fatalf("the issuer books %v from the client, who paid %s (%v)", last.CumulativeAmount, pn.paid, err)
	}
	// Nothing is left to redeem: a second round sends nothing.
	if err := pn.provider.RedeemTickets(ctx); err != nil {
		t.Fatal(err)
	}
	if cs, _ := pn.provider.IssuerCheques(); cs[0].CumulativeAmount.Int64() != 4*testPrice {
		t.Fatalf("cheque after a second round: %s", cs[0].CumulativeAmount)
	}
}

func (pn *paidNet) restartProvider(t *testing.T) {
	t.Helper()
	var listen []string
	for _, a := range pn.provider.Addrs() {
		listen = append(listen, a.String())
	}
	if err := pn.provider.Close(); err != nil {
		t.Fatal(err)
	}
	cfg := pn.provCfg
	cfg.ListenAddrs = listen
	n, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	pn.provider = n
	t.Cleanup(func() { n.Close() })
	if err := n.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	pn.client.Peerstore().AddAddrs(n.Host().ID(), n.Addrs(), time.Hour)
}

// TestProviderWithoutPrepaidRefusesTickets: a provider that does not
// charge says so to a client that spends tickets.
func TestProviderWithoutPrepaidRefusesTickets(t *testing.T) {
	pn := newPaidNet(t)
	cfg := pn.provCfg
	cfg.DataDir, cfg.Prepaid = t.TempDir(), nil
	cfg.Identity, _, _ = lcrypto.GenerateEd25519Key(rand.Reader)
	free, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer free.Close()
	if err := free.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	pn.client.Peerstore().AddAddrs(free.Host().ID(), free.Addrs(), time.Hour)
	s, err := pn.client.NewStream(context.Background(), free.Host().ID(), wire.ClientProtocol)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := &conn{t: t, s: s}
	c.status(wire.TypeRegister, nil)
	if st := c.status(wire.TypeSpend, nil); st.Code != wire.CodeRejected || !strings.Contains(st.Reason, "does not charge") {
		t.Fatalf("spend at a free provider: %+v", st)
	}
	if st := c.status(wire.TypeSend, frame()); st.Code != wire.CodeOK {
		t.Fatalf("send at a free provider: %+v", st)
	}
}

// TestPrepaidLotteryRedemption: an issuer that pays in lottery tickets pays
// the provider's redemption with one worth the batch; the provider takes
// it into its ledger (the win, near certain at this face value, waits for
// the cashing loop), acknowledges it with a receipt the issuer keeps, and
// its next batch takes the next nonce, also after a restart.
func TestPrepaidLotteryRedemption(t *testing.T) {
	cover := settle.CoverFunc(func(context.Context, common.Address) (*big.Int, error) { return big.NewInt(1e18), nil })
	pn := newPaidNetWith(t, func(iss *node.TicketIssuing, pp *node.Prepaid) {
		iss.TicketFace = func() *big.Int { return big.NewInt(1) } // below the batch: the ticket all but surely wins
		pp.TicketCover = cover
	})
	register := func() *conn {
		t.Helper()
		c := pn.dial(t)
		if st := c.status(wire.TypeRegister, nil); st.Code != wire.CodeOK {
			t.Fatal(st)
		}
		return c
	}
	c := register()
	spendAll := func(n int) {
		t.Helper()
		ts := pn.buy(t, n)
		var b [][]byte
		for _, tk := range ts {
			b = append(b, raw(tk))
		}
		if s := c.spend(pn.key, b...); len(refusals(s)) != 0 {
			t.Fatalf("spend refused: %+v", s)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	spendAll(3)
	if err := pn.provider.RedeemTickets(ctx); err != nil {
		t.Fatal(err)
	}
	e := pn.provider.Earnings()
	if len(e.IssuerTickets) != 1 || e.IssuerTickets[0].Payer != pn.issuer.Config().Operator || e.IssuerTickets[0].Received.Int64() != 3*testPrice {
		t.Fatalf("issuer tickets %+v, want %d wei from the issuer", e.IssuerTickets, 3*testPrice)
	}
	if cs, _ := pn.provider.IssuerCheques(); len(cs) != 0 {
		t.Fatalf("cheques %+v from an issuer that pays in tickets", cs)
	}
	st := pn.provider.PrepaidStats()
	if st.Redeemed != 3 || st.TicketPayments != 1 || st.ReceiptsSent != 1 {
		t.Fatalf("provider stats %+v", st)
	}
	paid, err := pn.issuer.Issuer().Paid(pn.provCfg.Operator)
	if err != nil || paid.ByTicket.Int64() != 3*testPrice || paid.ByCheque.Sign() != 0 || paid.Receipted.Int64() != 3*testPrice || paid.Tickets != 1 {
		t.Fatalf("the issuer paid %+v (%v)", paid, err)
	}

	pn.restartProvider(t)
	c = register()
	spendAll(2)
	if err := pn.provider.RedeemTickets(ctx); err != nil {
		t.Fatal(err)
	}
	e = pn.provider.Earnings()
	if len(e.IssuerTickets) != 1 || e.IssuerTickets[0].Received.Int64() != 5*testPrice {
		t.Fatalf("issuer tickets after a restart %+v, want %d wei", e.IssuerTickets, 5*testPrice)
	}
	if paid, _ := pn.issuer.Issuer().Paid(pn.provCfg.Operator); paid.Tickets != 2 || paid.Receipted.Int64() != 5*testPrice {
		t.Fatalf("the issuer paid %+v", paid)
	}
	if w := e.IssuerTickets[0]; len(w.Pending) == 0 {
		// Two tickets that each win with probability 3000/3001 and 2000/2001.
		t.Fatalf("no win pending: %+v", w)
	}
}

// TestRegistrationLastsTheStream: a client registers on each stream it
// opens; a second stream of the same client that has not registered is
// refused, and the provider keeps nothing of a stream once it ends.
func TestRegistrationLastsTheStream(t *testing.T) {
	pn := newPaidNet(t)
	a := pn.dial(t)
	if st := a.status(wire.TypeRegister, nil); st.Code != wire.CodeOK {
		t.Fatal(st)
	}
	// Registered, it is refused for want of prepaid packets, not of registration.
	if st := a.status(wire.TypeSend, frame()); st.Code != wire.CodeUnpaid {
		t.Fatalf("a registered stream: %+v", st)
	}
	b := pn.dial(t)
	if st := b.status(wire.TypeSend, frame()); st.Code != wire.CodeNotRegistered {
		t.Fatalf("an unregistered stream of a registered client: %+v", st)
	}
	if st := b.status(wire.TypeRegister, nil); st.Code != wire.CodeOK {
		t.Fatal(st)
	}
	if st := b.status(wire.TypeSend, frame()); st.Code != wire.CodeUnpaid {
		t.Fatalf("after registering: %+v", st)
	}
}
