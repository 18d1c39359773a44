package client

import (
	"context"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/market"
	"github.com/murmurnet/murmur/payments/tickets"
	"github.com/murmurnet/murmur/payments/wallet"
)

// Paying for packets.
//
// A provider may charge one prepaid packet for every packet a client hands
// it, real or cover: drops and loops cost what real packets cost, or the
// provider could tell them apart. A client with a ticket wallet
// ([Config.Wallet]) keeps its balance at the provider topped up by
// spending tickets from the wallet, TicketBatch at a time: before a packet
// once the balance it last heard of falls below TopUpBelow, and at once
// when the provider refuses a packet as unpaid ([wire.CodeUnpaid]), after
// which the packet is sent again. A client with no tickets left gets
// [ErrNoTickets] from Send.
//
// Tickets leave the wallet before they are sent (so none is spent twice
// across a crash); those the provider did not record as spent (no answer,
// an issuer key it does not know yet) go back in. The provider sees the
// tickets its client spends; it knows the client anyway. The issuer, who
// sold them blind, cannot tell who spends them.

// ErrNoTickets is returned (wrapped) by Send and friends when the provider
// has no prepaid packets left for this client and the client has no
// tickets to spend: buy some ([Client.BuyTickets]).
var ErrNoTickets = errors.New("client: no prepaid packets left at the provider and no tickets to spend")

// ErrTicketsRefused is returned (wrapped) when the provider credited
// nothing for the tickets spent; the error says why.
var ErrTicketsRefused = errors.New("client: the provider refused the tickets")

// Defaults of the payment settings of [Config].
const (
	DefaultTicketBatch = 4
	DefaultTopUpBelow  = 64
)

// topUpBackoff is how long a client waits after a top-up that failed
// before it tries again ahead of need.
const topUpBackoff = 5 * time.Second

// IssuerKeys is where a client checks an issuer's keys before it buys; a
// *chain.Client has it.
type IssuerKeys interface {
	IssuerKey(ctx context.Context, issuer common.Address, keyEpoch uint64) (chain.IssuerKey, error)
}

// payState is what the client knows of its balance at the provider.
type payState struct {
	mu      sync.Mutex // serializes top-ups
	known   atomic.Int64
	retryAt atomic.Int64 // unix nanoseconds; no top-up ahead of need before

	spent, credited, refused, returned atomic.Uint64
}

// PaymentStats is what a client spent at its provider.
type PaymentStats struct {
	// Prepaid is the client's balance at the provider as it last heard,
	// less what it sent since; -1 if it does not know.
	Prepaid int64
	// TicketsSpent were credited; TicketsRefused were refused for good
	// (forged, spent already, expired); TicketsReturned went back into
	// the wallet, unspent.
	TicketsSpent, TicketsRefused, TicketsReturned uint64
	// PacketsCredited is what the spent tickets bought.
	PacketsCredited uint64
}

// Payments returns what the client spent at its provider.
func (c *Client) Payments() PaymentStats {
	return PaymentStats{
		Prepaid:         c.pay.known.Load(),
		TicketsSpent:    c.pay.spent.Load(),
		TicketsRefused:  c.pay.refused.Load(),
		TicketsReturned: c.pay.returned.Load(),
		PacketsCredited: c.pay.credited.Load(),
	}
}

func isPacket(t wire.Type) bool { return t == wire.TypeSend || t == wire.TypeForward }

// sendPaid sends a packet request, topping up the prepaid balance first if
// it runs low, and again if the provider says it ran out.
func (c *Client) sendPaid(ctx context.Context, typ wire.Type, body []byte) error {
	if w := c.cfg.Wallet; w != nil {
		if k := c.pay.known.Load(); k >= 0 && k < int64(c.cfg.TopUpBelow) && c.cfg.Now().UnixNano() >= c.pay.retryAt.Load() {
			if _, err := c.topUp(ctx, false); err != nil {
				c.pay.retryAt.Store(c.cfg.Now().Add(topUpBackoff).UnixNano())
				c.cfg.Logger.Debug("topping up the prepaid balance", "err", err)
			}
		}
	}
	err := c.plainStatus(ctx, typ, body)
	var se *wire.StatusError
	if errors.As(err, &se) && se.Status.Code == wire.CodeUnpaid {
		c.pay.known.Store(0)
		if c.cfg.Wallet == nil {
			return fmt.Errorf("%w (no ticket wallet): %w", ErrNoTickets, err)
		}
		if _, terr := c.topUp(ctx, true); terr != nil {
			return fmt.Errorf("%w: %w", terr, err)
		}
		err = c.plainStatus(ctx, typ, body)
	}
	if err == nil {
		if k := c.pay.known.Load(); k > 0 {
			c.pay.known.Add(-1)
		}
	}
	return err
}

// topUp spends up to TicketBatch tickets. Ahead of need (!unpaid), it
// does nothing if another top-up already raised the balance; when the
// provider refused a packet as unpaid, nothing either if another top-up
// credited packets since.
func (c *Client) topUp(ctx context.Context, unpaid bool) (uint64, error) {
	c.pay.mu.Lock()
	defer c.pay.mu.Unlock()
	k := c.pay.known.Load()
	if (!unpaid && k >= int64(c.cfg.TopUpBelow)) || (unpaid && k > 0) {
		return 0, nil
	}
	return c.spendLocked(ctx, c.cfg.TicketBatch)
}

// SpendTickets spends up to n tickets from the wallet at the provider now
// and returns the packets they were credited for.
func (c *Client) SpendTickets(ctx context.Context, n int) (uint64, error) {
	if c.cfg.Wallet == nil {
		return 0, errors.New("client: no ticket wallet")
	}
	c.pay.mu.Lock()
	defer c.pay.mu.Unlock()
	return c.spendLocked(ctx, n)
}

// PrepaidBalance asks the provider for the client's prepaid packets.
func (c *Client) PrepaidBalance(ctx context.Context) (uint64, error) {
	rt, rb, err := c.request(ctx, wire.TypeSpend, nil)
	if err != nil {
		return 0, err
	}
	s, err := spentOf(rt, rb)
	if err != nil {
		return 0, err
	}
	c.pay.known.Store(int64(s.Balance))
	return s.Balance, nil
}

func spentOf(rt wire.Type, rb []byte) (wire.Spent, error) {
	switch rt {
	case wire.TypeSpent:
		return wire.DecodeSpent(rb)
	case wire.TypeStatus:
		st, err := wire.DecodeStatus(rb)
		if err != nil {
			return wire.Spent{}, err
		}
		if err := st.Err(); err != nil {
			return wire.Spent{}, err
		}
	}
	return wire.Spent{}, fmt.Errorf("client: provider answered a spend with type %d", rt)
}

// spendLocked takes up to n tickets from the wallet and spends them, one
// request per key epoch. c.pay.mu is held.
func (c *Client) spendLocked(ctx context.Context, n int) (uint64, error) {
	w := c.cfg.Wallet
	have := 0
	keys := map[uint64]tickets.IssuerKey{}
	for _, b := range w.Balance() {
		have += b.Tickets
		if k, ok := w.Key(b.KeyEpoch); ok {
			keys[b.KeyEpoch] = k
		}
	}
	if have == 0 {
		return 0, fmt.Errorf("%w: the wallet is empty", ErrNoTickets)
	}
	ts, err := w.Take(min(n, have, wire.MaxSpend))
	if errors.Is(err, wallet.ErrNoTickets) {
		return 0, fmt.Errorf("%w: %w", ErrNoTickets, err)
	}
	if err != nil {
		return 0, err
	}
	var credited uint64
	var reasons []string
	for len(ts) > 0 {
		j := 1
		for j < len(ts) && ts[j].KeyEpoch == ts[0].KeyEpoch {
			j++
		}
		group, rest := ts[:j], ts[j:]
		key, ok := keys[group[0].KeyEpoch]
		if !ok {
			// Cannot happen: the wallet keeps the key of every ticket it holds.
			return credited, fmt.Errorf("client: no issuer key for the tickets of epoch %d", group[0].KeyEpoch)
		}
		got, refusal, err := c.spendGroup(ctx, key, group)
		credited += got
		if err != nil {
			c.putBack(keys, rest)
			return credited, err
		}
		if got == 0 {
			reasons = append(reasons, refusal)
		}
		ts = rest
	}
	if credited == 0 {
		return 0, fmt.Errorf("%w: %s", ErrTicketsRefused, strings.Join(reasons, "; "))
	}
	return credited, nil
}

// spendGroup spends tickets of one issuer key and returns the packets
// credited and why tickets were refused. Tickets that the provider did not
// record as spent go back into the wallet.
func (c *Client) spendGroup(ctx context.Context, key tickets.IssuerKey, ts []tickets.Ticket) (uint64, string, error) {
	req := wire.Spend{IssuerKey: key.PublicKey.Bytes(), Tickets: make([][]byte, len(ts))}
	for i := range ts {
		b := ts[i].Bytes()
		req.Tickets[i] = b[:]
	}
	body, err := wire.EncodeSpend(req)
	if err != nil {
		c.putBack(map[uint64]tickets.IssuerKey{key.Epoch: key}, ts)
		return 0, "", err
	}
	rt, rb, err := c.request(ctx, wire.TypeSpend, body)
	var s wire.Spent
	if err == nil {
		s, err = spentOf(rt, rb)
	}
	if err != nil {
		// The provider may or may not have recorded them; if it did, it
		// refuses them as spent next time, which costs nothing.
		c.putBack(map[uint64]tickets.IssuerKey{key.Epoch: key}, ts)
		return 0, "", fmt.Errorf("client: spending tickets: %w", err)
	}
	var back []tickets.Ticket
	for _, r := range s.Refused {
		if r.Index >= len(ts) {
			continue
		}
		if r.Code.Retryable() {
			back = append(back, ts[r.Index])
		} else {
			c.pay.refused.Add(1)
		}
	}
	c.putBack(map[uint64]tickets.IssuerKey{key.Epoch: key}, back)
	c.pay.spent.Add(uint64(len(ts) - len(s.Refused)))
	c.pay.credited.Add(s.Credited)
	c.pay.known.Store(int64(s.Balance))
	var refusal string
	if len(s.Refused) > 0 {
		refusal = fmt.Sprintf("%d of %d tickets refused: %s", len(s.Refused), len(ts), s.Reason)
		c.cfg.Logger.Debug("provider refused tickets", "refused", len(s.Refused), "of", len(ts), "reason", s.Reason)
	}
	return s.Credited, refusal, nil
}

// putBack returns unspent tickets to the wallet.
func (c *Client) putBack(keys map[uint64]tickets.IssuerKey, ts []tickets.Ticket) {
	for len(ts) > 0 {
		j := 1
		for j < len(ts) && ts[j].KeyEpoch == ts[0].KeyEpoch {
			j++
		}
		if n, err := c.cfg.Wallet.Add(keys[ts[0].KeyEpoch], ts[:j]); err != nil {
			c.cfg.Logger.Warn("tickets not spent could not go back into the wallet", "tickets", j, "err", err)
		} else {
			c.pay.returned.Add(uint64(n))
		}
		ts = ts[j:]
	}
}

// --- buying ------------------------------------------------------------------------

// Issuer is a ticket issuer of the network, as the registry and its
// descriptor show it.
type Issuer struct {
	Operator common.Address // payee of the cheques that buy its tickets
	PeerID   peer.ID
	// PriceWei and Packets are a ticket's price and value as its
	// descriptor announces them; nil and 0 if it announces none.
	PriceWei *big.Int
	Packets  uint64
}

// Issuers returns the issuers of the current topology.
func (c *Client) Issuers(ctx context.Context) ([]Issuer, error) {
	t, e, err := c.currentView(ctx)
	if err != nil {
		return nil, err
	}
	var out []Issuer
	for _, nd := range t.Issuers {
		iss := Issuer{Operator: nd.Operator, PeerID: nd.PeerID}
		for _, ep := range []uint64{e, e - 1} {
			if d, ok := c.dir.Get(ep, nd.NodeKey); ok {
				iss.PriceWei, _ = new(big.Int).SetString(d.Params[pki.ParamTicketPriceWei], 10)
				iss.Packets, _ = strconv.ParseUint(d.Params[pki.ParamTicketPackets], 10, 64)
				break
			}
		}
		if len(nd.Multiaddrs) > 0 {
			c.host.Peerstore().AddAddrs(nd.PeerID, nd.Multiaddrs, time.Hour)
		}
		out = append(out, iss)
	}
	return out, nil
}

// PayFunc pays an issuer: it returns a Vault cheque to issuer whose
// cumulative amount is price more than the last cheque the payer gave it.
type PayFunc func(issuer common.Address, price *big.Int) (cheque.Signed, error)

// BuyTickets buys n tickets (1 to [tickets.MaxBatch]) of issuer's current
// key into the wallet, paying with pay, and returns them. It finishes a
// purchase from the issuer that is still pending first ([market.Resume]).
//
// With [Config.IssuerKeys] set, it buys only with a key the issuer has
// published on-chain, which every client sees: an issuer that showed each
// client its own key could tell whose tickets it redeems.
//
// Errors come from package market: an issuer that cannot be reached
// ([market.ErrUnreachable]) has been paid nothing; for the other failures
// see [market.Buy]. Tickets already in the wallet are never touched.
func (c *Client) BuyTickets(ctx context.Context, issuer Issuer, n int, pay PayFunc) ([]tickets.Ticket, error) {
	w := c.cfg.Wallet
	if w == nil {
		return nil, errors.New("client: no ticket wallet to buy into")
	}
	label := issuer.PeerID.String()
	for _, p := range w.Pending() {
		if p.Issuer == label {
			if _, err := market.Resume(ctx, c.host, w, p.ID); err != nil {
				return nil, fmt.Errorf("client: finishing the pending purchase from issuer %s: %w", issuer.Operator, err)
			}
		}
	}
	cat, err := market.Keys(ctx, c.host, issuer.PeerID)
	if err != nil {
		return nil, fmt.Errorf("client: buying tickets from issuer %s: %w", issuer.Operator, err)
	}
	key, ok := cat.Current()
	switch {
	case !ok:
		return nil, fmt.Errorf("client: issuer %s has no ticket key", issuer.Operator)
	case cat.Issuer != issuer.Operator:
		return nil, fmt.Errorf("client: peer %s answers as issuer %s, the registry says %s", issuer.PeerID, cat.Issuer, issuer.Operator)
	}
	if c.cfg.IssuerKeys != nil {
		if err := c.checkPublished(ctx, issuer.Operator, key); err != nil {
			return nil, err
		}
	}
	ts, err := market.Buy(ctx, c.host, issuer.PeerID, key, n, func(price *big.Int) (cheque.Signed, error) {
		return pay(issuer.Operator, price)
	}, w)
	if err != nil {
		return nil, fmt.Errorf("client: buying tickets from issuer %s: %w", issuer.Operator, err)
	}
	return ts, nil
}

// checkPublished checks key against the issuer's key on-chain.
func (c *Client) checkPublished(ctx context.Context, issuer common.Address, key tickets.IssuerKey) error {
	on, err := c.cfg.IssuerKeys.IssuerKey(ctx, issuer, key.Epoch)
	if err != nil {
		return fmt.Errorf("client: reading issuer %s's key of epoch %d on-chain: %w", issuer, key.Epoch, err)
	}
	pub := tickets.EncodeG2EIP2537(&key.PublicKey)
	if on.Value == nil || on.Value.Sign() == 0 {
		return fmt.Errorf("client: issuer %s has not published its key of epoch %d on-chain (yet)", issuer, key.Epoch)
	}
	if !slices.Equal(on.PublicKey, pub[:]) || on.Value.Cmp(key.Value.Price) != 0 {
		return fmt.Errorf("client: issuer %s offers a key of epoch %d that differs from the one it published on-chain", issuer, key.Epoch)
	}
	return nil
}

// WalletSecret is the secret that seals a client's ticket wallet
// ([wallet.Open]), derived from the client's key: the wallet is as safe as
// the key that reads the client's mail, and needs no key of its own. A
// client that was handed tickets (sponsored sending) has no Ethereum key,
// so the wallet cannot be sealed with one.
func WalletSecret(key *ecdh.PrivateKey) ([]byte, error) {
	return hkdf.Key(sha256.New, key.Bytes(), nil, "murmur-ticket-wallet-v1", wallet.SecretSize)
}
