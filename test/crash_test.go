package test

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/internal/testutil"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/payments/chequebook"
	"github.com/murmurnet/murmur/payments/tickets"
	"github.com/murmurnet/murmur/payments/wallet"
)

// Paid relays that exchange cheques every 20 packets and cash every 2 s,
// at a price that makes a cheque worth its gas on anvil within seconds, so
// that kills land in the middle of cheque exchange and cashing.
const crashRelayConfig = `
[payments]
pay_neighbours = "cheques"
cheque_every = 20
hop_prices_wei = [1000000000000, 1000000000000, 1000000000000, 1000000000000]
cash_every = "2s"
cash_gas_factor = 1
`

// A ticket of 25 packets lasts a client with cover about 8 s, so clients
// spend tickets at their provider all the time; the issuer pays providers
// by cheque.
const crashIssuerConfig = `
[issuer]
ticket_packets = 25
pay_providers = "cheques"
`

// TestCrashes kills relays of every role with SIGKILL at random points
// while clients write to each other, buy tickets from the issuer, spend
// them at their providers, and relays exchange and cash cheques; each is
// restarted 1–2 s later. Relays are separate processes built with the CLI
// on anvil (the soak's harness, smaller and faster). It then checks:
//
//   - messages: none delivered twice; every message on its way while every
//     relay was up (and not within 3 s of a restart) was delivered;
//   - tickets: the tickets a client held at the start, spent again at the
//     end, are accepted exactly where the client still holds them and
//     refused as spent everywhere else: no ticket spent twice, none lost;
//   - money: what each client promised the issuer is the price of the
//     tickets it got, and the issuer cashed exactly that; no relay's
//     cheques (held or signed) ever went back across a restart, and every
//     cheque a relay held was cashed in full after the relays stopped; the
//     Vault's books balance to the wei.
func TestCrashes(t *testing.T) {
	if testing.Short() {
		t.Skip("relay processes on anvil for a few minutes")
	}
	bin := filepath.Join(murmurBinary(t), "murmur")
	anvil := startAnvil(t)
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	s := &soak{t: t, bin: bin, dir: t.TempDir(), rpc: anvil.URL}
	// An issuer of its own: one that carries packets pays its neighbours
	// by lottery, and this test wants cheques between them.
	s.setup(ctx, soakSpec{relays: 9, clients: 8, tickets: 30, relayConfig: crashRelayConfig, issuerConfig: crashIssuerConfig, issuerRoles: "issuer"})
	cr := newCrashRun(s)
	cr.snapshotWallets()
	s.run(ctx, 110*time.Second, 2*time.Second, cr.kills, cr.sampleCheques, cr.buy)
	cr.finish(ctx)
	s.stopOneByOne()
	cr.checkMessages()
	cr.checkTickets()
	cr.checkMoney(ctx)
	t.Logf("tickets bought during the run, by client: %v", cr.bought)
	if err := s.books(ctx); err != nil {
		t.Error(err)
	}
}

type crashRun struct {
	s     *soak
	price *big.Int // of a ticket
	iss   client.Issuer

	mu     sync.Mutex
	killed map[string]int // kills by role
	// cheques: the highest cumulative amount each relay reported for each
	// account (held from, signed to, held from the issuer); backwards
	// lists every time a report went below it.
	cheques   map[string]*big.Int
	backwards []string
	bought    []int // tickets bought during the run, by client

	start, final []map[[tickets.TicketSize]byte]bool // each client's tickets
	paid         []*big.Int                          // each client's cheques to the issuer, in all
	got          []int                               // tickets each client obtained: held at the end, spent, refused
	probes       [][2]uint64                         // the starting tickets spent again: accepted, refused
}

func newCrashRun(s *soak) *crashRun {
	return &crashRun{s: s, killed: map[string]int{}, cheques: map[string]*big.Int{}, bought: make([]int, len(s.clients))}
}

// snapshotWallets keeps a copy of each client's wallet as it is before the
// run, to spend its tickets again at the end.
func (cr *crashRun) snapshotWallets() {
	t := cr.s.t
	for i, c := range cr.s.clients {
		b, err := os.ReadFile(c.Wallet().Path())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(cr.snapshot(i), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	iss, err := cr.s.clients[0].Issuers(context.Background())
	if err != nil || len(iss) == 0 || iss[0].PriceWei == nil {
		t.Fatalf("the issuer's offer: %v %v", iss, err)
	}
	cr.iss, cr.price = iss[0], iss[0].PriceWei
}

func (cr *crashRun) snapshot(i int) string {
	return filepath.Join(cr.s.dir, fmt.Sprintf("c%02d-start.wallet", i))
}

func (cr *crashRun) clientDir(i int) string { return filepath.Join(cr.s.dir, fmt.Sprintf("c%02d", i)) }

// kills SIGKILLs a relay every 12 s on average, taking the roles in turn
// (provider, mix, issuer, mix), restarts it 1–2 s later and waits until it
// answers again.
func (cr *crashRun) kills(ctx context.Context, end time.Time) {
	s := cr.s
	rng := rand.New(rand.NewPCG(5, 17))
	byRole := map[string][]*soakRelay{}
	for _, r := range s.relays {
		byRole[r.roles] = append(byRole[r.roles], r)
	}
	turn := []string{"provider", "mix", "issuer", "mix"}
	for k := 0; ; k++ {
		if !sleepCtx(ctx, 4*time.Second+time.Duration(rng.ExpFloat64()*float64(8*time.Second))) || time.Now().After(end) {
			return
		}
		role := turn[k%len(turn)]
		r := byRole[role][rng.IntN(len(byRole[role]))]
		if err := s.killAndRestart(ctx, r, time.Second+time.Duration(rng.IntN(1000))*time.Millisecond); err != nil {
			s.t.Errorf("restarting %s: %v", r.name, err)
			return
		}
		cr.mu.Lock()
		cr.killed[role]++
		cr.mu.Unlock()
	}
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

// crashStatus is the part of a relay's /status the checks read.
type crashStatus struct {
	Earnings *struct {
		Held, Signed []struct{ Counterparty, Cheque string }
	}
	Prepaid *struct {
		IssuerCheques []struct{ Counterparty, Cheque string } `json:"issuer_cheques"`
	}
}

// sampleCheques reads every relay's cheques twice a second and notes any
// that went below what the relay reported before.
func (cr *crashRun) sampleCheques(ctx context.Context, _ time.Time) {
	for sleepCtx(ctx, 500*time.Millisecond) {
		for _, r := range cr.s.relays {
			var st crashStatus
			if testutil.GetJSON("http://"+r.metrics+"/status", &st) != nil {
				continue // down, or starting
			}
			cr.noteCheques(r, st)
		}
	}
}

func (cr *crashRun) noteCheques(r *soakRelay, st crashStatus) {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	note := func(kind, who, amount string) {
		v, ok := new(big.Int).SetString(amount, 10)
		if !ok {
			cr.backwards = append(cr.backwards, fmt.Sprintf("%s: %s cheque of %s is %q", r.name, kind, who, amount))
			return
		}
		key := r.addr.Hex() + " " + kind + " " + common.HexToAddress(who).Hex()
		if old := cr.cheques[key]; old != nil && v.Cmp(old) < 0 {
			r.mu.Lock()
			restarts := r.restarts
			r.mu.Unlock()
			cr.backwards = append(cr.backwards, fmt.Sprintf("%s (%d restarts): %s cheque of %s went from %s to %s wei", r.name, restarts, kind, who, old, v))
			return
		}
		cr.cheques[key] = v
	}
	if e := st.Earnings; e != nil {
		for _, h := range e.Held {
			note("held", h.Counterparty, h.Cheque)
		}
		for _, h := range e.Signed {
			note("signed", h.Counterparty, h.Cheque)
		}
	}
	if p := st.Prepaid; p != nil {
		for _, h := range p.IssuerCheques {
			note("held", h.Counterparty, h.Cheque)
		}
	}
}

// buy has each client buy two tickets every 15 s on average, so that
// issuer kills land in sales.
func (cr *crashRun) buy(ctx context.Context, end time.Time) {
	var wg sync.WaitGroup
	for i, c := range cr.s.clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(i), 23))
			for waitExp(ctx, rng, 15*time.Second, end) {
				bctx, cancel := context.WithTimeout(ctx, 20*time.Second)
				n, _ := c.Buy(bctx, 2) // fails while the issuer is down; retried next time
				cancel()
				cr.mu.Lock()
				cr.bought[i] += n
				cr.mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// finish has every client finish what it was buying, records what each
// holds and paid, closes them, and spends each one's starting tickets
// again from its snapshot.
func (cr *crashRun) finish(ctx context.Context) {
	s, t := cr.s, cr.s.t
	n := len(s.clients)
	cr.start, cr.final = make([]map[[tickets.TicketSize]byte]bool, n), make([]map[[tickets.TicketSize]byte]bool, n)
	cr.paid, cr.got = make([]*big.Int, n), make([]int, n)
	vault := s.chain.Contracts().Vault
	for i, c := range s.clients {
		// A purchase a kill interrupted is finished by the next one.
		bctx, cancel := context.WithTimeout(ctx, time.Minute)
		if _, err := c.Buy(bctx, 1); err != nil {
			t.Errorf("client %d: a last purchase: %v", i, err)
		}
		cancel()
		if p := c.Wallet().Pending(); len(p) > 0 {
			t.Errorf("client %d: %d purchases still pending", i, len(p))
		}
		pay := c.Payments()
		held := 0
		for _, b := range c.Wallet().Balance() {
			held += b.Tickets
		}
		cr.got[i] = held + int(pay.TicketsSpent+pay.TicketsRefused)
		c.Close()
		book, err := chequebook.Open(cr.clientDir(i))
		if err != nil {
			t.Fatal(err)
		}
		cr.paid[i] = book.Paid(vault, s.accounts[len(s.relays)+i], cr.iss.Operator)
		cr.final[i] = cr.walletTickets(i, filepath.Join(cr.clientDir(i), client.WalletFile))
		cr.start[i] = cr.walletTickets(i, cr.snapshot(i))
	}
	cr.probes = make([][2]uint64, n)
	for i := range s.clients {
		a, r := cr.probe(ctx, i)
		cr.probes[i] = [2]uint64{a, r}
	}
}

// walletTickets lists the tickets in the wallet file at path, sealed for
// client i (read from a copy: listing takes them out).
func (cr *crashRun) walletTickets(i int, path string) map[[tickets.TicketSize]byte]bool {
	t := cr.s.t
	key, err := client.LoadKey(cr.clientDir(i))
	if err != nil {
		t.Fatal(err)
	}
	secret, err := client.WalletSecret(key)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(t.TempDir(), "copy.wallet")
	if err := os.WriteFile(cp, b, 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := wallet.Open(cp, secret)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range w.Balance() {
		n += b.Tickets
	}
	ts, err := w.Take(n)
	if err != nil && n > 0 {
		t.Fatal(err)
	}
	out := map[[tickets.TicketSize]byte]bool{}
	for _, tk := range ts {
		out[tk.Bytes()] = true
	}
	return out
}

// probe puts client i's starting wallet back and spends all of it at its
// provider, returning how many tickets were accepted and refused.
func (cr *crashRun) probe(ctx context.Context, i int) (accepted, refused uint64) {
	s, t := cr.s, cr.s.t
	b, err := os.ReadFile(cr.snapshot(i))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cr.clientDir(i), client.WalletFile), b, 0o600); err != nil {
		t.Fatal(err)
	}
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	c, err := client.Dial(dctx, client.Options{RPC: s.rpc, NetworkFile: filepath.Join(s.dir, "network.json"), DataDir: cr.clientDir(i), NoCover: true})
	if err != nil {
		t.Fatalf("client %d again: %v", i, err)
	}
	defer c.Close()
	for range 20 {
		left := 0
		for _, b := range c.Wallet().Balance() {
			left += b.Tickets
		}
		if left == 0 {
			break
		}
		_, _ = c.SpendTickets(dctx, left) // refusals are what this counts
	}
	p := c.Payments()
	return p.TicketsSpent, p.TicketsRefused
}

func (cr *crashRun) checkMessages() {
	s, t := cr.s, cr.s.t
	s.mu.Lock()
	defer s.mu.Unlock()
	lost, lostAtRisk, safe, transit, unexplained := s.losses()
	var dups int
	for _, n := range s.delivered {
		dups += max(0, n-1)
	}
	t.Logf("kills by role: %v; %d messages sent (%d sends failed), %d lost (%d of them in transit, up to %s after Send, around a kill); %d sent while every relay was up, of which %d lost",
		cr.killed, len(s.sentAt), s.sendFails, lost, lostAtRisk, transit.Round(time.Millisecond), safe, len(unexplained))
	for _, role := range []string{"provider", "mix", "issuer"} {
		if cr.killed[role] == 0 {
			t.Errorf("no %s was killed", role)
		}
	}
	if safe == 0 {
		t.Error("no message was sent while every relay was up")
	}
	if len(unexplained) > 0 {
		t.Errorf("%d messages sent while every relay was up were lost: %s", len(unexplained), strings.Join(unexplained, "; "))
	}
	if dups > 0 {
		t.Errorf("%d messages were delivered twice", dups)
	}
}

func (cr *crashRun) checkTickets() {
	t := cr.s.t
	for i := range cr.start {
		kept := 0
		for tk := range cr.start[i] {
			if cr.final[i][tk] {
				kept++
			}
		}
		a, r := cr.probes[i][0], cr.probes[i][1]
		t.Logf("client %d: %d tickets at the start, %d of them still held; spent again: %d accepted, %d refused", i, len(cr.start[i]), kept, a, r)
		if a != uint64(kept) || r != uint64(len(cr.start[i])-kept) {
			t.Errorf("client %d: of its %d starting tickets it still held %d, but spending them all again was accepted for %d and refused for %d",
				i, len(cr.start[i]), kept, a, r)
		}
	}
}

// checkMoney runs once every relay has stopped (and cashed on its way out).
func (cr *crashRun) checkMoney(ctx context.Context) {
	s, t := cr.s, cr.s.t
	cashed := func(payer, payee common.Address) *big.Int {
		v, err := s.chain.Cashed(ctx, payer, payee)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for i := range s.clients {
		addr := s.accounts[len(s.relays)+i]
		want := new(big.Int).Mul(cr.price, big.NewInt(int64(cr.got[i])))
		if cr.paid[i].Cmp(want) != 0 {
			t.Errorf("client %d promised the issuer %s wei for %d tickets of %s wei (%s)", i, cr.paid[i], cr.got[i], cr.price, want)
		}
		if got := cashed(addr, cr.iss.Operator); got.Cmp(cr.paid[i]) != 0 {
			t.Errorf("client %d promised the issuer %s wei, the issuer cashed %s", i, cr.paid[i], got)
		}
	}
	cr.mu.Lock()
	defer cr.mu.Unlock()
	for _, b := range cr.backwards {
		t.Error(b)
	}
	held := 0
	for key, v := range cr.cheques {
		f := strings.Fields(key)
		if f[1] != "held" {
			continue
		}
		held++
		payee, payer := common.HexToAddress(f[0]), common.HexToAddress(f[2])
		if got := cashed(payer, payee); got.Cmp(v) < 0 {
			t.Errorf("%s held a cheque of %s for %s wei; %s was cashed", payee, payer, v, got)
		}
	}
	t.Logf("%d cheques held by relays, each cashed in full", held)
	if held == 0 {
		t.Error("no relay held a cheque")
	}
}
