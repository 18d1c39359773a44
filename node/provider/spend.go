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
// to credit.
func (pp *Provider) Spend(ctx context.Context, p peer.ID, body []byte) (wire.Type, []byte) {
	status := func(c wire.Code, reason string) (wire.Type, []byte) {
		return wire.TypeStatus, wire.EncodeStatus(wire.Status{Code: c, Reason: reason})
	}
	req, ok, err := wire.DecodeSpend(body)
	if err != nil {
		return status(wire.CodeMalformed, err.Error())
	}
	bal, err := pp.store.balance(p)
	if err != nil {
		pp.log.Warn("prepaid: balance unavailable", "peer", p, "err", err)
		return status(wire.CodeInternal, "prepaid balance unavailable")
	}
	if !ok {
		return wire.TypeSpent, wire.EncodeSpent(wire.Spent{Balance: bal})
	}
	out := wire.Spent{Balance: bal}
	refuse := func(i int, c wire.SpendCode) {
		out.Refused = append(out.Refused, wire.Refusal{Index: i, Code: c})
		pp.stats.refused[c].Add(1)
	}
	// Decode; the first good ticket names the key epoch.
	ts := make([]tickets.Ticket, len(req.Tickets))
	bad := make([]bool, len(ts))
	epoch, haveEpoch := uint64(0), false
	for i, b := range req.Tickets {
		if ts[i], err = tickets.DecodeTicket(b); err != nil {
			bad[i] = true
		} else if !haveEpoch {
			epoch, haveEpoch = ts[i].KeyEpoch, true
		}
	}
	var reasons []string
	var key knownKey
	var book *ticketBook
	keyCode := wire.SpendCode(0)
	if haveEpoch {
		key, book, err = pp.keyFor(ctx, req.IssuerKey, epoch)
		switch {
		case errors.Is(err, tickets.ErrExpiredEpoch):
			keyCode = wire.SpendExpired
			reasons = append(reasons, err.Error())
		case err != nil:
			keyCode = wire.SpendUnknownKey
			reasons = append(reasons, err.Error())
		case !pp.opt.Now().Before(key.expires):
			keyCode = wire.SpendExpired
			reasons = append(reasons, fmt.Sprintf("issuer %s's key of epoch %d expired at %s", key.issuer, key.epoch, key.expires.UTC().Format(time.RFC3339)))
		}
	}
	var batch []tickets.Ticket
	var idx []int
	for i := range ts {
		switch {
		case bad[i]:
			refuse(i, wire.SpendMalformed)
		case keyCode != 0:
			refuse(i, keyCode)
		case ts[i].KeyEpoch != key.epoch:
			refuse(i, wire.SpendMalformed)
		default:
			batch = append(batch, ts[i])
			idx = append(idx, i)
		}
	}
	if len(out.Refused) > 0 && len(reasons) == 0 {
		reasons = append(reasons, "tickets that do not decode, or not of the named key's epoch")
	}
	accepted := 0
	if len(batch) > 0 {
		err := book.spent.AcceptBatch(batch, tickets.Value{Packets: key.packets, Price: key.price})
		var be *tickets.BatchError
		switch {
		case err == nil:
			accepted = len(batch)
		case errors.As(err, &be):
			for j, e := range be.Errs {
				if e == nil {
					accepted++
					continue
				}
				refuse(idx[j], spendCodeOf(e))
			}
			reasons = append(reasons, be.Error())
		default:
			pp.log.Warn("prepaid: recording tickets", "peer", p, "err", err)
			for _, i := range idx {
				refuse(i, wire.SpendUnavailable)
			}
			reasons = append(reasons, "the provider could not record the tickets; nothing was spent")
		}
	}
	slices.SortFunc(out.Refused, func(a, b wire.Refusal) int { return a.Index - b.Index })
	if accepted > 0 {
		pp.stats.tickets.Add(uint64(accepted))
		book.pending.Add(int64(accepted))
		n := uint64(accepted) * key.packets
		if out.Balance, err = pp.store.credit(p, n); err != nil {
			// The tickets are spent and the credit is lost: the case the
			// order of the two writes accepts, so that a crash never
			// credits twice.
			pp.log.Error("prepaid: tickets accepted but not credited", "peer", p, "tickets", accepted, "err", err)
			return status(wire.CodeInternal, "tickets recorded but the credit failed")
		}
		out.Credited = n
		pp.stats.credited.Add(n)
		if book.pending.Load() >= int64(pp.cfg.RedeemBatch) {
			select {
			case pp.wake <- struct{}{}:
			default:
			}
		}
	}
	for i, r := range reasons {
		if i > 0 {
			out.Reason += "; "
		}
		out.Reason += r
	}
	return wire.TypeSpent, wire.EncodeSpent(out)
}

// spendCodeOf maps a ticket refusal of package tickets to its code.
func spendCodeOf(err error) wire.SpendCode {
	switch {
	case errors.Is(err, tickets.ErrAlreadySpent):
		return wire.SpendAlreadySpent
	case errors.Is(err, tickets.ErrDuplicateSerial):
		return wire.SpendDuplicate
	case errors.Is(err, tickets.ErrExpiredEpoch):
		return wire.SpendExpired
	case errors.Is(err, tickets.ErrUnknownEpoch):
		return wire.SpendUnknownKey
	case errors.Is(err, tickets.ErrBadSignature), errors.Is(err, tickets.ErrInfinity):
		return wire.SpendBadSignature
	}
	return wire.SpendMalformed
}

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
