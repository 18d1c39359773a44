package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/node/mixer"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/tickets"
)

// Charge takes one prepaid packet from client p for a packet it hands us.
// It returns false and the status to answer if p has none.
func (pp *Provider) Charge(p peer.ID) (wire.Status, bool) {
	ok, err := pp.store.debit(p)
	switch {
	case err != nil:
		pp.log.Warn("prepaid: balance unavailable", "peer", p, "err", err)
		return wire.Status{Code: wire.CodeInternal, Reason: "prepaid balance unavailable"}, false
	case !ok:
		pp.stats.unpaid.Add(1)
		if pp.opt.Counters != nil {
			pp.opt.Counters.Inc(mixer.ClientUnpaid)
		}
		return wire.Status{Code: wire.CodeUnpaid, Reason: reasonUnpaid}, false
	}
	pp.stats.debited.Add(1)
	return wire.Status{}, true
}

// Refund gives back the packet charged for a request that was then refused.
func (pp *Provider) Refund(p peer.ID) {
	pp.store.refund(p)
	pp.stats.debited.Add(^uint64(0))
}

// Spend answers a Spend request of client p: a balance query, or tickets
// to credit (see [decideSpend]).
func (pp *Provider) Spend(ctx context.Context, p peer.ID, body []byte) (wire.Type, []byte) {
	status := func(st wire.Status) (wire.Type, []byte) { return wire.TypeStatus, wire.EncodeStatus(st) }
	req, ok, err := wire.DecodeSpend(body)
	if err != nil {
		return status(wire.Status{Code: wire.CodeMalformed, Reason: err.Error()})
	}
	if !ok {
		bal, err := pp.store.balance(p)
		if err != nil {
			pp.log.Warn("prepaid: balance unavailable", "peer", p, "err", err)
			return status(wire.Status{Code: wire.CodeInternal, Reason: "prepaid balance unavailable"})
		}
		return wire.TypeSpent, wire.EncodeSpent(wire.Spent{Balance: bal})
	}
	o := decideSpend(ctx, pp, pp.opt.Now(), p, req, tickets.DecodeTicket, pp.cfg.RedeemBatch)
	switch {
	case o.logLost:
		pp.log.Error("prepaid: tickets accepted but not credited", "peer", p, "tickets", o.accepted, "err", o.storeErr)
	case o.storeErr != nil:
		pp.log.Warn("prepaid: tickets or balance unavailable", "peer", p, "err", o.storeErr)
	}
	for _, r := range o.out.Refused {
		pp.stats.refused[r.Code].Add(1)
	}
	pp.stats.tickets.Add(uint64(o.accepted))
	pp.stats.credited.Add(o.out.Credited)
	if o.redeemNow {
		select {
		case pp.wake <- struct{}{}:
		default:
		}
	}
	if o.status != nil {
		return status(*o.status)
	}
	return wire.TypeSpent, wire.EncodeSpent(o.out)
}

// The Provider's stores, for decideSpend.

func (pp *Provider) balance(p peer.ID) (uint64, error)          { return pp.store.balance(p) }
func (pp *Provider) credit(p peer.ID, n uint64) (uint64, error) { return pp.store.credit(p, n) }

func (pp *Provider) key(ctx context.Context, pub [96]byte, epoch uint64) (knownKey, spentSet, error) {
	k, b, err := pp.keyFor(ctx, pub, epoch)
	if err != nil {
		return k, nil, err
	}
	return k, b, nil
}

// AcceptBatch records ts as spent in the book's spent set.
func (b *ticketBook) AcceptBatch(ts []tickets.Ticket, v tickets.Value) error {
	return b.spent.AcceptBatch(ts, v)
}

func (b *ticketBook) waiting(n int) int64 { return b.pending.Add(int64(n)) }

// keyFor returns the issuer key pub of key epoch epoch and its issuer's
// ticket book, asking the chain about the topology's issuers the first
// time.
func (pp *Provider) keyFor(ctx context.Context, pub [96]byte, epoch uint64) (knownKey, *ticketBook, error) {
	pp.mu.Lock()
	k, known := pp.keys[pub]
	retry := pp.missing[pub]
	pp.mu.Unlock()
	if known {
		if k.epoch != epoch {
			return k, nil, fmt.Errorf("issuer %s's key is of epoch %d, the tickets of epoch %d", k.issuer, k.epoch, epoch)
		}
		b, err := pp.book(k.issuer)
		return k, b, err
	}
	now := pp.opt.Now()
	if now.Before(retry) {
		return k, nil, fmt.Errorf("unknown issuer key for epoch %d (asked the chain %s ago)", epoch, keyLookupBackoff-retry.Sub(now).Round(time.Millisecond))
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	select {
	case pp.lookups <- struct{}{}:
	case <-ctx.Done():
		return k, nil, fmt.Errorf("unknown issuer key for epoch %d (the provider is busy looking up others)", epoch)
	}
	k, err := pp.lookupKey(ctx, pub, epoch)
	<-pp.lookups
	if err != nil {
		pp.mu.Lock()
		if len(pp.missing) >= maxMissingKeys {
			clear(pp.missing)
		}
		pp.missing[pub] = now.Add(keyLookupBackoff)
		pp.mu.Unlock()
		return k, nil, err
	}
	if err := pp.store.putKey(pub, k); err != nil {
		return k, nil, fmt.Errorf("storing the issuer key: %w", err)
	}
	pp.mu.Lock()
	pp.keys[pub] = k
	delete(pp.missing, pub)
	pp.mu.Unlock()
	if err := pp.addToKeyring(pub, k); err != nil {
		return k, nil, err
	}
	pp.log.Debug("prepaid: learnt an issuer key", "issuer", k.issuer, "epoch", k.epoch, "packets", k.packets, "price", k.price)
	b, err := pp.book(k.issuer)
	return k, b, err
}

// issuers returns the issuers of the current and previous topology.
func (pp *Provider) issuers() []pki.Node {
	e := pp.opt.Epochs.At(pp.opt.Now())
	var out []pki.Node
	for _, ep := range []uint64{e, e - 1} {
		t, ok := pp.opt.Directory.Topology(ep)
		if !ok {
			continue
		}
		for _, nd := range t.Issuers {
			if !slices.ContainsFunc(out, func(o pki.Node) bool { return o.NodeKey == nd.NodeKey }) {
				out = append(out, nd)
			}
		}
	}
	return out
}

// lookupKey asks the chain for the key of epoch of each issuer of the
// topology until one is pub, and reads its packet value from the issuer's
// descriptor.
func (pp *Provider) lookupKey(ctx context.Context, pub [96]byte, epoch uint64) (knownKey, error) {
	iss := pp.issuers()
	if len(iss) == 0 {
		return knownKey{}, errors.New("no issuer in the topology")
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var errs []error
	for _, nd := range iss {
		ck, err := pp.cfg.Chain.IssuerKey(ctx, nd.Operator, epoch)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ck.Value == nil || ck.Value.Sign() == 0 {
			continue
		}
		g2, err := tickets.DecodeG2EIP2537(ck.PublicKey)
		if err != nil {
			continue
		}
		if g2.Bytes() != pub {
			continue
		}
		packets, err := pp.ticketPackets(ctx, nd)
		if err != nil {
			return knownKey{}, err
		}
		return knownKey{issuer: nd.Operator, epoch: epoch, packets: packets, price: ck.Value, expires: ck.ExpiresAt}, nil
	}
	if len(errs) > 0 {
		return knownKey{}, fmt.Errorf("issuer key of epoch %d: %w", epoch, errors.Join(errs...))
	}
	return knownKey{}, fmt.Errorf("no issuer of the network published this key for epoch %d", epoch)
}

// ticketPackets reads what a ticket of issuer nd is worth from its
// descriptor, fetching it from the issuer if the gossip has not brought it.
func (pp *Provider) ticketPackets(ctx context.Context, nd pki.Node) (uint64, error) {
	e := pp.opt.Epochs.At(pp.opt.Now())
	find := func() (*pki.Descriptor, bool) {
		for _, ep := range []uint64{e, e - 1} {
			if d, ok := pp.opt.Directory.Get(ep, nd.NodeKey); ok {
				return d, true
			}
		}
		return nil, false
	}
	d, ok := find()
	if !ok {
		if len(nd.Multiaddrs) > 0 {
			pp.host.Peerstore().AddAddrs(nd.PeerID, nd.Multiaddrs, time.Hour)
		}
		if sealed, err := pki.FetchDescriptors(ctx, pp.host, nd.PeerID, e); err == nil {
			pp.opt.Directory.AddAll(sealed)
		}
		if d, ok = find(); !ok {
			return 0, fmt.Errorf("no descriptor of issuer %s: its ticket value is unknown", nd.Operator)
		}
	}
	v, err := strconv.ParseUint(d.Params[pki.ParamTicketPackets], 10, 64)
	if err != nil || v == 0 {
		return 0, fmt.Errorf("issuer %s announces no ticket value (%s %q)", nd.Operator, pki.ParamTicketPackets, d.Params[pki.ParamTicketPackets])
	}
	return v, nil
}
