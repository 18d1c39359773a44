package devnet

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/payments/chequebook"
	"github.com/murmurnet/murmur/payments/tickets"
	"github.com/murmurnet/murmur/payments/wallet"
)

// Tickets in the devnet. One relay, issuer1, sells tickets; providers
// charge a prepaid packet for every packet and take tickets for them. Each
// client account buys a stock of tickets from the issuer at the start,
// paying with Vault cheques, as a dApp would; every client that
// [Network.ClientConfig] configures gets a wallet with some of them, and
// spends them at its provider as it sends.

const (
	// stockTickets is what each client account buys at a time.
	stockTickets = 128
	// issuerName is the devnet's issuer relay.
	issuerName = "issuer1"
)

// TicketAccount is what one client account bought from the issuer.
type TicketAccount struct {
	Client string // "client1", …
	Payer  common.Address
	Issuer common.Address
	// Bought is the number of tickets bought, Packets what they pay for,
	// PaidWei the cumulative amount of the cheques that paid for them.
	Bought  int
	Packets uint64
	PaidWei *big.Int
	// IssuerBooked is the cumulative amount of the last cheque the issuer
	// accepted from the payer, from the issuer's books: PaidWei if all is well.
	IssuerBooked *big.Int
	// HandedOut is the number of tickets given to clients' wallets.
	HandedOut int
}

// Redemption is what the issuer paid a provider for the tickets its
// clients spent: by cheque, and in lottery tickets (ADR 0010).
type Redemption struct {
	Provider string
	Issuer   common.Address
	Tickets  uint64   // redeemed
	Cheque   *big.Int // cumulative amount of the issuer's latest cheque
	// ByTicket is the expected value of the issuer's lottery tickets the
	// provider took, Paid the whole (Cheque + ByTicket).
	ByTicket, Paid *big.Int
	// LotteryTickets counts the issuer's lottery tickets to the provider,
	// and Receipted is the value the provider's latest receipt
	// acknowledges.
	LotteryTickets uint64
	Receipted      *big.Int
	// Owed is what the issuer's books say it owes the provider for the
	// tickets it redeemed, all of it paid.
	Owed *big.Int
}

// stock is a client account's tickets: the payer's cheque book to the
// issuer (package chequebook, as the CLI's), and a wallet held by a
// client.Client used only to buy.
type stock struct {
	name   string
	payer  account
	book   *chequebook.Payer
	buyer  *client.Client
	wallet *wallet.Wallet
	issuer common.Address // the last it bought from

	mu        sync.Mutex
	bought    int
	handedOut int
}

// paid is what the account has paid the issuer in all.
func (s *stock) paid() *big.Int {
	s.mu.Lock()
	iss := s.issuer
	s.mu.Unlock()
	return s.book.Paid(iss)
}

// buy buys n tickets into the stock.
func (s *stock) buy(ctx context.Context, n int) error {
	iss, err := s.buyer.Issuers(ctx)
	if err != nil {
		return err
	}
	if len(iss) == 0 {
		return errors.New("devnet: no issuer in the topology")
	}
	s.mu.Lock()
	s.issuer = iss[0].Operator
	s.mu.Unlock()
	ts, err := s.buyer.BuyTickets(ctx, iss[0], n, s.book.Pay)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.bought += len(ts)
	s.mu.Unlock()
	return nil
}

// handOut moves n tickets from the stock into w, buying more first if the
// stock runs short.
func (s *stock) handOut(ctx context.Context, w *wallet.Wallet, n int) error {
	have := 0
	for _, b := range s.wallet.Balance() {
		have += b.Tickets
	}
	if have < n {
		if err := s.buy(ctx, max(n, stockTickets)); err != nil {
			return err
		}
	}
	// The keys first: a wallet forgets a key with its last ticket.
	keys := map[uint64]tickets.IssuerKey{}
	for _, b := range s.wallet.Balance() {
		if k, ok := s.wallet.Key(b.KeyEpoch); ok {
			keys[b.KeyEpoch] = k
		}
	}
	ts, err := s.wallet.Take(n)
	if err != nil {
		return err
	}
	for len(ts) > 0 {
		j := 1
		for j < len(ts) && ts[j].KeyEpoch == ts[0].KeyEpoch {
			j++
		}
		if _, err := w.Add(keys[ts[0].KeyEpoch], ts[:j]); err != nil {
			return err
		}
		ts = ts[j:]
	}
	s.mu.Lock()
	s.handedOut += n
	s.mu.Unlock()
	return nil
}

// ticketDesk is the devnet's ticket business: the issuer relay and a stock
// per client account.
type ticketDesk struct {
	issuer *node.Node
	stocks []*stock
}

// issuerConfig is the issuer relay's ticket configuration.
func issuerConfig(c *chain.Client, op account, o Options) *node.TicketIssuing {
	ti := node.ChainIssuing(c, op.key, o.TicketPriceWei, o.TicketPackets)
	ti.FeeWei = o.IssuerFeeWei
	if o.PayByCheque {
		ti.TicketFace = nil
	} else if o.TicketFaceWei != nil {
		node.IssuerPaysByLottery(ti, c, o.TicketFaceWei)
	}
	return ti
}

// prepaidConfig is a provider's: it charges for packets and redeems the
// tickets every 10 s.
func prepaidConfig(c *chain.Client, op account) *node.Prepaid {
	p := node.ChainPrepaid(c, op.key)
	p.RedeemEvery = 10 * time.Second
	return p
}

// openTickets waits until the issuer's key is on-chain and has each client
// account buy its stock.
func (nw *Network) openTickets(ctx context.Context, users []account, p func(string, ...any)) error {
	desk := &ticketDesk{}
	for _, r := range nw.Result.Relays {
		if r.Name == issuerName {
			desk.issuer = r.Node
		}
	}
	if desk.issuer == nil {
		return errors.New("devnet: no issuer relay")
	}
	nw.tickets = desk
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for !desk.issuer.IssuerStatus().Published {
		if err := sleepCtx(wctx, 100*time.Millisecond); err != nil {
			return fmt.Errorf("devnet: the issuer's key of epoch %d is not on-chain: %w", desk.issuer.IssuerStatus().KeyEpoch, err)
		}
	}
	st := desk.issuer.IssuerStatus()
	p("%s published its ticket key of key epoch %d on-chain: %d packets for %s a ticket, of which providers are paid %s and it keeps %s\n",
		issuerName, st.KeyEpoch, st.Value.Packets, chain.FormatEther(st.Value.SalePrice()), chain.FormatEther(st.Value.Price), chain.FormatEther(st.Value.FeeWei()))
	dir := filepath.Join(nw.Opts.DataDir, "wallets")
	for i, u := range users {
		s := &stock{name: fmt.Sprintf("client%d", i+1), payer: u}
		var err error
		if s.book, err = chequebook.NewPayer(ctx, nw.Chain, u.key, filepath.Join(dir, s.name)); err != nil {
			return err
		}
		if s.wallet, err = wallet.Open(filepath.Join(dir, s.name+"-stock.wallet"), crypto.FromECDSA(u.key)); err != nil {
			return err
		}
		cfg := nw.clientConfig(i)
		cfg.NoCover, cfg.Wallet, cfg.IssuerKeys = true, s.wallet, nw.Chain
		if s.buyer, err = client.New(ctx, cfg); err != nil {
			return err
		}
		buyer := s.buyer
		nw.cleanups = append(nw.cleanups, func() { buyer.Close() })
		desk.stocks = append(desk.stocks, s)
		if err := s.buy(ctx, stockTickets); err != nil {
			return fmt.Errorf("devnet: %s buying tickets: %w", s.name, err)
		}
		p("%s %s bought %d tickets from %s for %s (Vault cheques)\n", s.name, u.addr, s.bought, issuerName, chain.FormatEther(s.paid()))
	}
	return nil
}

// clientWallet is a fresh wallet with n tickets of client account i's stock.
func (nw *Network) clientWallet(ctx context.Context, i, n int) (*wallet.Wallet, error) {
	s := nw.tickets.stocks[i%len(nw.tickets.stocks)]
	secret := make([]byte, wallet.SecretSize)
	if _, err := crand.Read(secret); err != nil {
		return nil, err
	}
	dir := filepath.Join(nw.Opts.DataDir, "wallets")
	f, err := os.CreateTemp(dir, fmt.Sprintf("user-of-%s-*.wallet", s.name))
	if err != nil {
		return nil, err
	}
	path := f.Name()
	f.Close()
	os.Remove(path) // wallet.Open creates it
	w, err := wallet.Open(path, secret)
	if err != nil {
		return nil, err
	}
	if err := s.handOut(ctx, w, n); err != nil {
		return nil, fmt.Errorf("devnet: tickets for a client of %s: %w", s.name, err)
	}
	return w, nil
}

// ticketReport fills in what each client account paid the issuer.
func (nw *Network) ticketReport() {
	res := nw.Result
	res.Tickets = nil
	if nw.tickets == nil {
		return
	}
	is := nw.tickets.issuer.Issuer()
	for _, s := range nw.tickets.stocks {
		paid := s.paid()
		s.mu.Lock()
		a := TicketAccount{Client: s.name, Payer: s.payer.addr, Issuer: nw.tickets.issuer.Config().Operator,
			Bought: s.bought, Packets: uint64(s.bought) * nw.Opts.TicketPackets, PaidWei: paid, HandedOut: s.handedOut}
		s.mu.Unlock()
		a.IssuerBooked = new(big.Int)
		if is != nil {
			if c, ok, err := is.Payment(s.payer.addr); err == nil && ok {
				a.IssuerBooked = c.CumulativeAmount
			}
		}
		res.Tickets = append(res.Tickets, a)
	}
}

// redeemTickets has every provider redeem the tickets its clients spent
// and reports the issuer's cheques.
func redeemTickets(ctx context.Context, nw *Network, p func(string, ...any)) error {
	res := nw.Result
	nw.ticketReport()
	for _, a := range res.Tickets {
		p("tickets: %s paid %s %s for %d tickets (%d packets), handed %d to its clients; the issuer books %s\n",
			a.Client, issuerName, chain.FormatEther(a.PaidWei), a.Bought, a.Packets, a.HandedOut, chain.FormatEther(a.IssuerBooked))
	}
	if nw.tickets == nil {
		return nil
	}
	is := nw.tickets.issuer.Issuer()
	for _, r := range res.Relays[:nw.Opts.Providers] {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := r.Node.RedeemTickets(ctx)
		cancel()
		if err != nil {
			return fmt.Errorf("devnet: %s redeeming tickets: %w", r.Name, err)
		}
		s := r.PrepaidStats()
		red := Redemption{Provider: r.Name, Issuer: nw.tickets.issuer.Config().Operator, Tickets: s.Redeemed, Cheque: new(big.Int), ByTicket: new(big.Int)}
		cs, err := r.Node.IssuerCheques()
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.Payer == red.Issuer {
				red.Cheque = c.CumulativeAmount
			}
		}
		for _, h := range r.Node.Earnings().IssuerTickets {
			if h.Payer == red.Issuer {
				red.ByTicket = h.Received
			}
		}
		red.Paid = new(big.Int).Add(red.Cheque, red.ByTicket)
		books, err := is.Paid(r.Operator)
		if err != nil {
			return err
		}
		red.Owed, red.LotteryTickets, red.Receipted = books.Owed, books.Tickets, books.Receipted
		res.Redemptions = append(res.Redemptions, red)
		p("tickets: %s charged %d packets, took %d tickets (%d packets), refused %d unpaid; redeemed %d with %s for %s: %s by cheque, %s in %d lottery tickets (expected value), %s acknowledged by receipt\n",
			r.Name, s.Debited, s.Tickets, s.Credited, s.Unpaid, s.Redeemed, issuerName, chain.FormatEther(red.Paid),
			chain.FormatEther(red.Cheque), chain.FormatEther(red.ByTicket), red.LotteryTickets, chain.FormatEther(red.Receipted))
		if red.Paid.Cmp(red.Owed) != 0 || red.Cheque.Cmp(books.ByCheque) != 0 || red.ByTicket.Cmp(books.ByTicket) != 0 {
			return fmt.Errorf("devnet: %s holds %s wei by cheque and %s in tickets from the issuer, which books %s and %s of %s owed",
				r.Name, red.Cheque, red.ByTicket, books.ByCheque, books.ByTicket, books.Owed)
		}
	}
	return nil
}

// issuerOf reports whether relay i of the devnet is its issuer.
func issuerOf(o Options, i int) bool { return i == o.Providers+o.Layers*o.MixesPerLayer }

// mixnetRelays counts the relays that mix or provide (the issuer does neither).
func mixnetRelays(res *Result) int {
	n := 0
	for _, r := range res.Relays {
		if r.Roles&(chain.RoleProvider|chain.RoleMix) != 0 {
			n++
		}
	}
	return n
}

// unpaidRefused shows that only paid packets flow: mallory, a client with
// no tickets, is refused by her provider.
func unpaidRefused(ctx context.Context, nw *Network, to client.Address, p func(string, ...any)) error {
	cfg := nw.clientConfig(0)
	cfg.NoCover = true
	mallory, err := client.New(ctx, cfg)
	if err != nil {
		return err
	}
	defer mallory.Close()
	err = mallory.Send(ctx, to, []byte("a free lunch?"), client.SendOptions{})
	if !errors.Is(err, client.ErrNoTickets) {
		return fmt.Errorf("devnet: a client without tickets sent (error %v), want client.ErrNoTickets", err)
	}
	nw.Result.UnpaidRefusal = err.Error()
	p("mallory (no tickets) → bob: refused by %s: %v\n", nw.Result.Relays[0].Name, err)
	return nil
}
