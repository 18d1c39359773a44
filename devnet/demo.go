package devnet

import (
	"context"
	"crypto/ecdh"
	crand "crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	lcrypto "github.com/libp2p/go-libp2p/core/crypto"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/payments/cheque"
)

// exchange connects two clients, each to its own provider, and sends
// messages both ways; the last answer goes back through a reply block.
func exchange(ctx context.Context, nw *Network, p func(string, ...any)) error {
	o, res := nw.Opts, nw.Result
	providers := res.Relays[:o.Providers]
	mk := func(i int) (*client.Client, error) { return client.New(ctx, nw.ClientConfig(i)) }
	alice, err := mk(0)
	if err != nil {
		return err
	}
	defer alice.Close()
	aliceOnline := time.Now() // her cover runs from here on
	bob, err := mk(1)
	if err != nil {
		return err
	}
	defer bob.Close()
	bobOnline := time.Now()
	p("clients: alice at %s, bob at %s\n", providers[0].Name, providers[1%len(providers)].Name)
	if nw.tickets != nil {
		if err := unpaidRefused(ctx, nw, bob.Address(), p); err != nil {
			return err
		}
	}
	began := time.Now()

	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	send := func(from, to *client.Client, fromName, toName string, body []byte, withReply bool) (*client.Message, error) {
		start := time.Now()
		if err := from.Send(ctx, to.Address(), body, client.SendOptions{WithReply: withReply}); err != nil {
			return nil, fmt.Errorf("devnet: %s → %s: %w", fromName, toName, err)
		}
		m, err := to.Receive(ctx)
		if err != nil {
			return nil, fmt.Errorf("devnet: %s waiting for %s's message: %w", toName, fromName, err)
		}
		if string(m.Body) != string(body) {
			return nil, fmt.Errorf("devnet: %s received %q, %s sent %q", toName, m.Body, fromName, body)
		}
		x := Exchange{From: fromName, To: toName, Bytes: len(body), Latency: time.Since(start)}
		res.Exchanges = append(res.Exchanges, x)
		p("%s → %s: %d bytes through 5 hops in %s\n", fromName, toName, x.Bytes, x.Latency.Round(time.Millisecond))
		return m, nil
	}
	for i := range o.Messages {
		if _, err := send(alice, bob, "alice", "bob", fmt.Appendf(nil, "hello bob #%d", i+1), false); err != nil {
			return err
		}
		if _, err := send(bob, alice, "bob", "alice", fmt.Appendf(nil, "hello alice #%d", i+1), false); err != nil {
			return err
		}
	}
	// A long message, split into several packets, that asks for an answer.
	long := make([]byte, 5000)
	for i := range long {
		long[i] = byte('a' + i%26)
	}
	m, err := send(alice, bob, "alice", "bob", long, true)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := bob.Reply(ctx, m, []byte("got your 5000 bytes")); err != nil {
		return fmt.Errorf("devnet: bob's reply: %w", err)
	}
	r, err := alice.Receive(ctx)
	if err != nil {
		return fmt.Errorf("devnet: alice waiting for bob's reply: %w", err)
	}
	if !r.IsReply || string(r.Body) != "got your 5000 bytes" {
		return errors.New("devnet: alice's reply is not bob's answer")
	}
	x := Exchange{From: "bob", To: "alice", Bytes: len(r.Body), Latency: time.Since(start), Reply: true}
	res.Exchanges = append(res.Exchanges, x)
	p("bob → alice through alice's reply block (bob never learns alice's provider): %s\n", x.Latency.Round(time.Millisecond))
	elapsed := time.Since(began)
	for _, c := range []struct {
		name   string
		c      *client.Client
		online time.Time
	}{{"alice", alice, aliceOnline}, {"bob", bob, bobOnline}} {
		t := c.c.Traffic()
		l := Link{Client: c.name, Traffic: t, Payments: c.c.Payments(), Elapsed: elapsed, Online: time.Since(c.online)}
		for _, x := range res.Exchanges {
			if x.From == c.name {
				l.Messages++
			}
		}
		if err := l.price(o); err != nil {
			return err
		}
		res.Links = append(res.Links, l)
		if pay := c.c.Payments(); pay.TicketsSpent > 0 {
			p("%s spent %d tickets at its provider for %d packets; %d left prepaid\n", c.name, pay.TicketsSpent, pay.PacketsCredited, pay.Prepaid)
		}
		if nw.Opts.NoCover {
			p("%s's link: %d real packets, no cover\n", c.name, t.Real)
		} else {
			p("%s's link: %d real, %d drops, %d loops (%d back) in %s online: %.1f packets/s, %.0f bytes/s\n",
				c.name, t.Real, t.Drops, t.Loops, t.LoopsReturned, l.Online.Round(100*time.Millisecond),
				float64(l.Charged)/l.Online.Seconds(), float64(t.Bytes)/l.Online.Seconds())
		}
		if nw.tickets != nil && l.Messages > 0 {
			p("%s paid for %d packets, cover included: %s wei for its %d messages, %s USD per 1,000 at 3,000 USD/ETH; the cost model says %s for as long online (%+.0f %%)\n",
				c.name, l.Charged, l.PaidWei, l.Messages, usd(l.USDPer1000()), usd(l.Model.USDPer1000Messages), 100*(l.USDPer1000()/l.Model.USDPer1000Messages-1))
		}
	}
	return nil
}

// usd prints a small amount of USD with three significant digits.
func usd(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }

// offlineDelivery shows mailboxes at work: carol goes offline, dave writes
// to her, her provider is killed and restarted, and when carol comes back
// her messages are there.
func offlineDelivery(ctx context.Context, nw *Network, p func(string, ...any)) error {
	const n = 3
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	dave, err := client.New(ctx, nw.ClientConfig(0))
	if err != nil {
		return err
	}
	defer dave.Close()
	carolCfg := nw.ClientConfig(1)
	if carolCfg.Identity, _, err = lcrypto.GenerateEd25519Key(crand.Reader); err != nil {
		return err
	}
	if carolCfg.Key, err = ecdh.X25519().GenerateKey(crand.Reader); err != nil {
		return err
	}
	carol, err := client.New(ctx, carolCfg)
	if err != nil {
		return err
	}
	carolAddr := carol.Address()
	carol.Close() // carol goes offline

	provIdx := 1 % nw.Opts.Providers
	prov := nw.Result.Relays[provIdx]
	for i := range n {
		if err := dave.Send(ctx, carolAddr, fmt.Appendf(nil, "while you were out #%d", i+1), client.SendOptions{}); err != nil {
			return fmt.Errorf("devnet: dave → carol: %w", err)
		}
	}
	// Wait until the provider holds them, then restart it.
	for {
		held, _, err := prov.Node.MailboxStats(carolAddr.Mailbox)
		if err != nil {
			return err
		}
		if held >= n {
			break
		}
		if err := sleepCtx(ctx, 20*time.Millisecond); err != nil {
			return fmt.Errorf("devnet: carol's provider stored %d of %d messages", held, n)
		}
	}
	p("carol offline: dave's %d messages wait in her mailbox at %s; restarting %s\n", n, prov.Name, prov.Name)
	if err := nw.RestartRelay(ctx, provIdx); err != nil {
		return err
	}
	if carol, err = client.New(ctx, carolCfg); err != nil {
		return err
	}
	defer carol.Close()
	for i := range n {
		m, err := carol.Receive(ctx)
		if err != nil {
			return fmt.Errorf("devnet: carol found %d of %d messages after the restart: %w", i, n, err)
		}
		if !strings.HasPrefix(string(m.Body), "while you were out") {
			return fmt.Errorf("devnet: carol received %q", m.Body)
		}
		nw.Result.OfflineDelivered++
	}
	p("carol back online: %d messages fetched from her mailbox after the restart\n", nw.Result.OfflineDelivered)
	return nil
}

func printTopology(res *Result, p func(string, ...any)) {
	t := res.Topology
	names := map[[32]byte]string{}
	for _, r := range res.Relays {
		names[r.NodeKey] = r.Name
	}
	var prov []string
	for _, n := range t.Providers {
		prov = append(prov, names[n.NodeKey])
	}
	sort.Strings(prov)
	p("topology of epoch %d (seed %x…): providers %v", t.Epoch, t.Seed[:4], prov)
	for i, l := range t.Layers {
		var ms []string
		for _, m := range l {
			ms = append(ms, names[m.NodeKey])
		}
		p(", layer %d %v", i+1, ms)
	}
	p("\n")
}

func printRelayStats(res *Result, p func(string, ...any)) {
	for _, r := range res.Relays {
		s := r.Node.Stats()
		var drops uint64
		for _, v := range s.Drops {
			drops += v
		}
		l := r.Node.Loops()
		p("%-10s received %4d forwarded %4d delivered %4d cover drops %3d refused %d loops %d/%d back\n",
			r.Name, s.Received, s.Forwarded, s.Delivered, s.CoverDropped, drops, l.Returned, l.Sent)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// settleCheques has each client deposit and pay a provider with a few cheques
// of growing cumulative amount; the provider cashes only the latest.
func settleCheques(ctx context.Context, c *chain.Client, users, relays []account, res *Result, p func(string, ...any)) error {
	for i, cl := range users {
		if _, err := c.Deposit(ctx, cl.auth, chain.Ether(1)); err != nil {
			return fmt.Errorf("devnet: client %d deposit: %w", i, err)
		}
		p("client%d %s deposited 1 ETH into the vault\n", i+1, cl.addr)
	}
	for i, cl := range users {
		prov := res.Relays[i%len(res.Relays)]
		pay, err := payAndCash(ctx, c, cl, relays[i%len(relays)], 3+i)
		if err != nil {
			return err
		}
		res.Payments = append(res.Payments, pay)
		p("client%d signed %d cheques to %s (cumulative %s); %s cashed %s on-chain for %d gas\n",
			i+1, pay.Cheques, prov.Name, chain.FormatEther(pay.Promised), prov.Name, chain.FormatEther(pay.Cashed), pay.CashGas)
	}
	return nil
}

func onChainSummary(ctx context.Context, c *chain.Client, b chain.Backend, users []account, res *Result, p func(string, ...any)) error {
	active, err := c.ActiveRelays(ctx)
	if err != nil {
		return err
	}
	res.ActiveOnChain = len(active)
	if res.StakeOnChain, err = b.BalanceAt(ctx, res.Contracts.Registry, nil); err != nil {
		return err
	}
	if res.VaultOnChain, err = b.BalanceAt(ctx, res.Contracts.Vault, nil); err != nil {
		return err
	}
	res.DepositsBooked = new(big.Int)
	for _, cl := range users {
		v, err := c.VaultBalance(ctx, cl.addr)
		if err != nil {
			return err
		}
		res.DepositsBooked.Add(res.DepositsBooked, v)
	}
	mixnet := mixnetRelays(res)
	p("active relays on-chain: %d mixnet + %d issuer, staked %s\n", mixnet, res.ActiveOnChain-mixnet, chain.FormatEther(res.StakeOnChain))
	p("vault holds %s, clients' and relays' deposits book %s\n", chain.FormatEther(res.VaultOnChain), chain.FormatEther(res.DepositsBooked))
	return nil
}

func payAndCash(ctx context.Context, c *chain.Client, client, provider account, n int) (Payment, error) {
	pay := Payment{Client: client.addr, Provider: provider.addr, Cheques: n}
	unit := big.NewInt(1e15) // 0.001 ETH a cheque's worth of tickets
	var last cheque.Signed
	for k := 1; k <= n; k++ {
		amount := new(big.Int).Mul(unit, big.NewInt(int64(k)))
		s, err := c.ChequeDomain().Sign(cheque.Cheque{Payer: client.addr, Payee: provider.addr, CumulativeAmount: amount}, client.key)
		if err != nil {
			return pay, err
		}
		// The payee checks every cheque before it gives anything for it.
		if err := c.ChequeDomain().Verify(s); err != nil {
			return pay, err
		}
		last = s
	}
	pay.Promised = last.CumulativeAmount
	paid, r, err := c.Cash(ctx, provider.auth, last)
	if err != nil {
		return pay, fmt.Errorf("devnet: cash: %w", err)
	}
	pay.Cashed, pay.CashGas = paid, r.GasUsed
	return pay, nil
}
