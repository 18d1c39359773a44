package devnet

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/market"
	"github.com/murmurnet/murmur/payments/wallet"
)

func totalTickets(w *wallet.Wallet) int {
	n := 0
	for _, b := range w.Balance() {
		n += b.Tickets
	}
	return n
}

// TestClientsPayForPackets runs the devnet with payments: a client without
// tickets is refused with a clear error; a client with tickets tops up its
// balance as it sends, and keeps it across a restart of its provider; and
// buying from an issuer that is offline fails clearly and costs the wallet
// nothing.
func TestClientsPayForPackets(t *testing.T) {
	nw, ctx := startNetwork(t)

	// A wallet, but empty.
	cfg := nw.clientConfig(0)
	cfg.NoCover = true
	w, err := wallet.Open(filepath.Join(t.TempDir(), "empty.wallet"), make([]byte, wallet.SecretSize))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Wallet = w
	broke := newClient(t, ctx, cfg)
	bob := newClient(t, ctx, nw.ClientConfig(1))
	err = broke.Send(ctx, bob.Address(), []byte("free?"), client.SendOptions{})
	var se *wire.StatusError
	if !errors.Is(err, client.ErrNoTickets) || !errors.As(err, &se) || se.Status.Code != wire.CodeUnpaid {
		t.Fatalf("send without tickets: %v", err)
	}
	t.Logf("without tickets: %v", err)

	// With tickets: the first packet is paid by a top-up of TicketBatch tickets.
	alice := newClient(t, ctx, nw.ClientConfig(0))
	if err := alice.Send(ctx, bob.Address(), []byte("paid for"), client.SendOptions{}); err != nil {
		t.Fatal(err)
	}
	m, err := bob.Receive(ctx)
	if err != nil || string(m.Body) != "paid for" {
		t.Fatalf("bob received %v, %v", m, err)
	}
	pay := alice.Payments()
	if pay.TicketsSpent != client.DefaultTicketBatch || pay.PacketsCredited != client.DefaultTicketBatch*nw.Opts.TicketPackets || pay.Prepaid <= 0 {
		t.Fatalf("alice's payments %+v", pay)
	}

	// The provider keeps alice's balance across its restart.
	before, err := alice.PrepaidBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := nw.RestartRelay(ctx, 0); err != nil {
		t.Fatal(err)
	}
	after, err := alice.PrepaidBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Cover packets may have been sent in between; none given back.
	if after > before || before-after > 64 {
		t.Fatalf("alice's balance %d before the restart, %d after", before, after)
	}

	// The issuer goes offline: buying fails with a clear error; the wallet
	// keeps its tickets and records no purchase.
	stock := nw.tickets.stocks[0]
	iss, err := stock.buyer.Issuers(ctx)
	if err != nil || len(iss) != 1 {
		t.Fatalf("issuers %v, %v", iss, err)
	}
	held := totalTickets(stock.wallet)
	nw.tickets.issuer.Host().Close() // off the network
	bctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	_, err = stock.buyer.BuyTickets(bctx, iss[0], 10, stock.book.Pay)
	// Unreachable, or the connection it had closes under the request.
	if !errors.Is(err, market.ErrUnreachable) && !errors.Is(err, market.ErrNoAnswer) {
		t.Fatalf("buying from an offline issuer: %v", err)
	}
	t.Logf("issuer offline: %v", err)
	if got := totalTickets(stock.wallet); got != held || len(stock.wallet.Pending()) != 0 {
		t.Fatalf("the wallet held %d tickets, now %d, pending %d", held, got, len(stock.wallet.Pending()))
	}
	// Tickets bought before still pay: the provider knows the key.
	if err := alice.Send(ctx, bob.Address(), []byte("still paid for"), client.SendOptions{}); err != nil {
		t.Fatal(err)
	}
}

// spendRaw pays for packets on a client stream of its own: one ticket from
// client account 0's stock, spent with a Spend request.
func spendRaw(t *testing.T, ctx context.Context, nw *Network, s network.Stream) {
	t.Helper()
	w, err := nw.clientWallet(ctx, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	b := w.Balance()
	key, _ := w.Key(b[0].KeyEpoch)
	ts, err := w.Take(1)
	if err != nil {
		t.Fatal(err)
	}
	raw := ts[0].Bytes()
	body, err := wire.EncodeSpend(wire.Spend{IssuerKey: key.PublicKey.Bytes(), Tickets: [][]byte{raw[:]}})
	if err != nil {
		t.Fatal(err)
	}
	if err := wire.WriteMsg(s, wire.TypeSpend, body); err != nil {
		t.Fatal(err)
	}
	rt, rb, err := wire.ReadMsg(s, wire.MaxBody)
	if err != nil || rt != wire.TypeSpent {
		t.Fatalf("spend answered %#x (%v)", rt, err)
	}
	if sp, err := wire.DecodeSpent(rb); err != nil || sp.Credited != nw.Opts.TicketPackets {
		t.Fatalf("spent %+v, %v", sp, err)
	}
}
