package provider

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/bindings"
	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/market"
	"github.com/murmurnet/murmur/payments/settle"
	"github.com/murmurnet/murmur/payments/tickets"
)

// maxOnChainBatch per transaction with their aggregate signature, and the
// contract pays it from the issuer's stake. A key epoch that went on-chain
// stays on-chain (recorded before the first transaction), so that a
// ticket redeemed on-chain is never also sent to the issuer, even after a
// crash between the transaction and the record of it.
//
// One more trap. The contract lets an issuer prove a double redemption
// against a provider with the provider's signed redemption request: a
// ticket of the request was redeemed on-chain by the provider, and the
// provider has cashed at least the request's amount from the issuer. The
// contract cannot tell whether the issuer paid that request, so an issuer
// that received a request and did not pay it (refused it, or never
// answered) could later pay others honestly and then prove. The provider
// therefore remembers, per ticket, the smallest amount of a request it
// signed for it that may have reached the issuer (its exposure), forgets
// it once the ticket is settled off-chain, and before it redeems a ticket
// on-chain lowers the issuer's cash limit to that amount: it never cashes a
// cheque of that issuer at or above the limit (WithheldCheques), and sends
// the issuer no request at or above it (those tickets go on-chain). A
// request that could not be sent (market.ErrUnreachable) exposes nothing.

// maxOnChainBatch is the most tickets the TicketIssuer contract redeems in
// one call (its MAX_BATCH).
const maxOnChainBatch = 256

// issuerFault is a redemption that failed for a reason other than the
// tickets: the issuer refused the request (busy, wrong amount, ...),
// broke the protocol, sent a bad cheque, could not be reached, or left
// the topology.
type issuerFault struct {
	reason string
	err    error
}

func (e *issuerFault) Error() string { return e.err.Error() }
func (e *issuerFault) Unwrap() error { return e.err }

// errOverLimit: the request would ask for a cheque the provider must not cash.
var errOverLimit = errors.New("the request's amount reaches the issuer's cash limit")

func faultOf(err error) *issuerFault {
	var re *market.RefusalError
	reason := "other"
	switch {
	case errors.As(err, &re):
		reason = re.Code.String()
	case errors.Is(err, market.ErrUnreachable):
		reason = "unreachable"
	case errors.Is(err, market.ErrNoAnswer):
		reason = "no answer"
	case errors.Is(err, market.ErrProtocol):
		reason = "protocol error"
	}
	return &issuerFault{reason: reason, err: err}
}

// routineRedeem redeems spent tickets every RedeemEvery, and when a book
// has RedeemBatch tickets waiting; every RedeemEvery it also writes out
// the client accounts idle since the last time.
func (pp *Provider) routineRedeem() {
	t := time.NewTicker(pp.cfg.RedeemEvery)
	defer t.Stop()
	for {
		select {
		case <-pp.ctx.Done():
			return
		case <-t.C:
			// Clients idle for a whole interval leave memory (their balances
			// stay on disk): what the provider holds is bounded by its
			// clients of the last minute or two, not of all time.
			if n, err := pp.store.sweep(); err != nil {
				pp.log.Warn("prepaid: writing out idle client accounts", "err", err)
			} else if n > 0 {
				pp.log.Debug("prepaid: idle client accounts written out", "accounts", n, "held", pp.store.accountsHeld())
			}
		case <-pp.wake:
		}
		err := pp.RedeemAll(pp.ctx)
		var f *issuerFault
		switch {
		case err == nil || pp.ctx.Err() != nil:
		case errors.As(err, &f):
			// The issuer is away or busy; the tickets wait for the next
			// round, or go on-chain after the grace.
			pp.log.Debug("prepaid: redemption", "err", err)
		default:
			pp.log.Warn("prepaid: redemption", "err", err)
		}
	}
}

// RedeemAll redeems what waits in every book now, rather than at the
// next RedeemEvery.
func (pp *Provider) RedeemAll(ctx context.Context) error {
	pp.mu.Lock()
	books := make([]*ticketBook, 0, len(pp.books))
	for _, b := range pp.books {
		books = append(books, b)
	}
	pp.mu.Unlock()
	var errs []error
	for _, b := range books {
		if err := pp.redeem(ctx, b); err != nil {
			errs = append(errs, fmt.Errorf("issuer %s: %w", b.issuer, err))
		}
	}
	return errors.Join(errs...)
}

// maxRedeemRounds bounds the batches one redemption of a book sends.
const maxRedeemRounds = 16

// redeem redeems b's spent tickets, one key epoch per batch: with the
// issuer, or on-chain once the issuer has failed for RedeemGrace, or when
// the key epoch already went on-chain (see "Redemption on-chain").
func (pp *Provider) redeem(ctx context.Context, b *ticketBook) error {
	b.redeemMu.Lock()
	defer b.redeemMu.Unlock()
	for range maxRedeemRounds {
		ts, err := b.spent.Pending(tickets.MaxBatch)
		if err != nil {
			return err
		}
		if len(ts) == 0 {
			b.pending.Store(0)
			return nil
		}
		n := 1
		for n < len(ts) && ts[n].KeyEpoch == ts[0].KeyEpoch {
			n++
		}
		batch := ts[:n]
		epoch := batch[0].KeyEpoch
		onChain, err := pp.store.onChainOnly(b.issuer, epoch)
		if err != nil {
			return err
		}
		if !onChain {
			err := pp.redeemBatch(ctx, b, batch)
			var f *issuerFault
			a := attemptPaid
			switch {
			case err == nil:
			case !errors.As(err, &f):
				return err
			case errors.Is(err, errOverLimit):
				a = attemptOverLimit
			default:
				a = attemptFault
			}
			if a != attemptPaid {
				pp.countIssuerFailure(f.reason)
			}
			_, canOnChain := pp.cfg.Chain.(TicketRedeemer)
			now := pp.opt.Now()
			switch b.route.after(a, now, pp.cfg.RedeemGrace, canOnChain) {
			case nextBatch:
				continue
			case nextWait:
				return err
			}
			pp.log.Warn("prepaid: redeeming tickets on-chain against the issuer's stake",
				"issuer", b.issuer, "key_epoch", epoch, "tickets", len(batch), "failing_for", b.route.failingFor(now).Round(time.Second), "err", err)
			if err := pp.store.setOnChainOnly(b.issuer, epoch); err != nil {
				return err
			}
		}
		if err := pp.redeemOnChain(ctx, b, batch); err != nil {
			return err
		}
	}
	return nil
}

func (pp *Provider) countIssuerFailure(reason string) {
	pp.stats.issuerFailures.Add(1)
	pp.stats.mu.Lock()
	if pp.stats.issuerRefusal == nil {
		pp.stats.issuerRefusal = map[string]uint64{}
	}
	pp.stats.issuerRefusal[reason]++
	pp.stats.mu.Unlock()
}

// redeemBatch redeems spent tickets of one key epoch of b's issuer with
// the issuer. A failure that is not about the tickets is an *issuerFault.
func (pp *Provider) redeemBatch(ctx context.Context, b *ticketBook, ts []tickets.Ticket) error {
	price, err := pp.priceOf(b.issuer, ts[0].KeyEpoch)
	if err != nil {
		return err
	}
	lastCheque, last, err := pp.paidBy(b.issuer)
	if err != nil {
		return err
	}
	limit, err := pp.store.cashLimit(b.issuer)
	if err != nil {
		return err
	}
	value := new(big.Int).Mul(big.NewInt(int64(len(ts))), price)
	want := new(big.Int).Add(last, value)
	if limit != nil && want.Cmp(limit) >= 0 {
		return &issuerFault{reason: "cash limit", err: errOverLimit}
	}
	to, err := pp.issuerPeer(b.issuer)
	if err != nil {
		return &issuerFault{reason: "not in the topology", err: err}
	}
	out, err := pp.redeemRequest(ctx, to, b, ts, want)
	var re *market.RefusalError
	if errors.As(err, &re) && re.Code == market.CodeWrongAmount && re.Want != nil && re.Want.Cmp(value) >= 0 &&
		(limit == nil || re.Want.Cmp(limit) < 0) {
		// Our record of what the issuer owes is behind (a lost answer, a
		// restored store): ask for what it says it owes.
		pp.log.Debug("prepaid: redemption amount corrected by the issuer", "issuer", b.issuer, "asked", want, "owed", re.Want)
		out, err = pp.redeemRequest(ctx, to, b, ts, re.Want)
	}
	var be *tickets.BatchError
	switch {
	case err == nil:
	case errors.As(err, &be):
		// Tickets the issuer will never redeem (already redeemed,
		// forged, expired) leave the pending list; the rest go next.
		var drop []tickets.Ticket
		for i, e := range be.Errs {
			if e != nil {
				drop = append(drop, ts[i])
			}
		}
		pp.log.Warn("prepaid: the issuer refused tickets", "issuer", b.issuer, "refused", len(drop), "of", len(ts), "err", err)
		if err := pp.settled(b, drop); err != nil {
			return err
		}
		pp.stats.issuerDropped.Add(uint64(len(drop)))
		return nil
	default:
		return faultOf(err)
	}
	if out.Ticket != nil {
		if err := pp.takeTicket(ctx, b.issuer, *out.Ticket, value); err != nil {
			return err
		}
	} else {
		c := *out.Cheque
		if err := pp.vault.Verify(c); err != nil || c.Payee != pp.opt.Operator {
			return &issuerFault{reason: "bad cheque", err: fmt.Errorf("the issuer's cheque does not verify: %v", err)}
		}
		if c.CumulativeAmount.Cmp(lastCheque) > 0 {
			if err := pp.store.putCheque(c); err != nil {
				return err
			}
		}
	}
	if err := pp.settled(b, ts); err != nil {
		return err
	}
	pp.stats.redeemed.Add(uint64(len(ts)))
	pp.log.Debug("prepaid: redeemed tickets", "issuer", b.issuer, "tickets", len(ts), "lottery", out.Ticket != nil)
	if out.Ticket != nil {
		pp.acknowledge(ctx, to, b.issuer)
	}
	return nil
}

// acknowledge sends issuer our receipt for what it paid, so that it
// redeems our next batch; a receipt that does not arrive goes with the
// next request.
func (pp *Provider) acknowledge(ctx context.Context, to peer.ID, issuer common.Address) {
	r, err := pp.receiptFor(issuer)
	if err != nil || r == nil {
		if err != nil {
			pp.log.Warn("prepaid: receipt", "issuer", issuer, "err", err)
		}
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := market.SendReceipt(ctx, pp.host, to, *r); err != nil {
		pp.log.Debug("prepaid: receipt not delivered; it goes with the next request", "issuer", issuer, "err", err)
		return
	}
	pp.stats.receiptsSent.Add(1)
}

// settled takes tickets settled for good (redeemed, or refused for good)
// off the pending list, and forgets their exposure.
func (pp *Provider) settled(b *ticketBook, ts []tickets.Ticket) error {
	if len(ts) == 0 {
		return nil
	}
	if err := b.spent.MarkRedeemed(ts); err != nil {
		return err
	}
	b.pending.Add(-int64(len(ts)))
	return pp.store.unexpose(b.issuer, ts)
}

// redeemRequest signs a redemption request of ts for amount and sends it
// to the issuer, recording first that the issuer may come to hold it
// (see "Redemption on-chain"); a request that could not be sent leaves
// the record as it was. A provider that takes lottery tickets asks for
// one, with its latest receipt.
func (pp *Provider) redeemRequest(ctx context.Context, to peer.ID, b *ticketBook, ts []tickets.Ticket, amount *big.Int) (tickets.Payment, error) {
	r := tickets.RedemptionRequest{Issuer: b.issuer, Provider: pp.opt.Operator, KeyEpoch: ts[0].KeyEpoch, CumulativeAmount: amount}
	for i := range ts {
		r.Serials = append(r.Serials, ts[i].Serial)
	}
	signed, err := pp.reqs.Sign(r, pp.cfg.Account)
	if err != nil {
		return tickets.Payment{}, err
	}
	var by tickets.PayBy
	if pp.lottery != nil {
		c, err := pp.lottery.Payer(b.issuer)
		if err != nil {
			return tickets.Payment{}, err
		}
		if by.Commitment, err = c.Commitment(); err != nil {
			return tickets.Payment{}, err
		}
		if by.Receipt, err = pp.receiptFor(b.issuer); err != nil {
			return tickets.Payment{}, err
		}
	}
	prev, err := pp.store.expose(b.issuer, ts, amount)
	if err != nil {
		return tickets.Payment{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var out tickets.Payment
	if pp.lottery != nil {
		out, err = market.RedeemFor(ctx, pp.host, to, signed, ts, by)
	} else {
		var c cheque.Signed
		if c, err = market.Redeem(ctx, pp.host, to, signed, ts); err == nil {
			out.Cheque = &c
		}
	}
	if errors.Is(err, market.ErrUnreachable) {
		if rerr := pp.store.restoreExposure(prev); rerr != nil {
			return out, errors.Join(err, rerr)
		}
	}
	return out, err
}

// redeemOnChain redeems tickets of one key epoch of b's issuer with the
// TicketIssuer contract, against the issuer's stake.
func (pp *Provider) redeemOnChain(ctx context.Context, b *ticketBook, ts []tickets.Ticket) error {
	red, ok := pp.cfg.Chain.(TicketRedeemer)
	if !ok {
		return errors.New("provider: the chain cannot redeem tickets on-chain")
	}
	epoch := ts[0].KeyEpoch
	price, err := pp.priceOf(b.issuer, epoch)
	if err != nil {
		return err
	}
	exp, err := pp.store.exposure(b.issuer, ts)
	if err != nil {
		return err
	}
	if exp != nil {
		lowered, err := pp.store.lowerCashLimit(b.issuer, exp)
		if err != nil {
			return err
		}
		if lowered {
			pp.log.Warn("prepaid: the issuer holds requests for tickets redeemed on-chain; its cheques of this amount or more will not be cashed",
				"issuer", b.issuer, "cash_limit", exp)
		}
	}
	for len(ts) > 0 {
		k := min(len(ts), maxOnChainBatch)
		if err := pp.redeemChunk(ctx, red, b, price, ts[:k]); err != nil {
			return err
		}
		ts = ts[k:]
	}
	return nil
}

// redeemChunk redeems up to maxOnChainBatch tickets in one transaction;
// tickets the contract refuses are dropped and the rest tried again.
func (pp *Provider) redeemChunk(ctx context.Context, red TicketRedeemer, b *ticketBook, price *big.Int, ts []tickets.Ticket) error {
	epoch := ts[0].KeyEpoch
	for attempt := 0; len(ts) > 0; attempt++ {
		if attempt == 8 {
			return fmt.Errorf("provider: on-chain redemption of %d tickets still refused after %d attempts", len(ts), attempt)
		}
		agg, err := tickets.Aggregate(ts)
		if err != nil {
			if err := pp.dropOnChain(b, ts, "aggregate signature", err); err != nil {
				return err
			}
			return nil
		}
		sig := agg.EIP2537()
		serials := make([][32]byte, len(ts))
		for i := range ts {
			serials[i] = ts[i].Serial
		}
		tctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		paid, rcpt, err := red.RedeemTickets(tctx, pp.auth, b.issuer, epoch, price, serials, sig[:])
		cancel()
		if rcpt != nil {
			pp.stats.onChainTxs.Add(1)
			pp.stats.onChainGas.Add(rcpt.GasUsed)
		}
		if err == nil {
			if err := pp.settled(b, ts); err != nil {
				return err
			}
			pp.stats.onChain.Add(uint64(len(ts)))
			pp.stats.mu.Lock()
			pp.stats.onChainPaid.Add(&pp.stats.onChainPaid, paid)
			pp.stats.mu.Unlock()
			var gas uint64
			if rcpt != nil {
				gas = rcpt.GasUsed
			}
			pp.log.Info("prepaid: redeemed tickets on-chain", "issuer", b.issuer, "key_epoch", epoch, "tickets", len(ts), "paid", paid, "gas", gas)
			return nil
		}
		var re *chain.RevertError
		if !errors.As(err, &re) {
			return fmt.Errorf("provider: on-chain redemption: %w", err) // the chain is away: the tickets wait
		}
		drop, done, keep := pp.refusedOnChain(b, re, ts)
		if len(done) > 0 {
			// Redeemed by us already: a crash after the transaction.
			if err := pp.settled(b, done); err != nil {
				return err
			}
			pp.stats.onChain.Add(uint64(len(done)))
		}
		if len(drop) > 0 {
			if err := pp.dropOnChain(b, drop, re.Name, re); err != nil {
				return err
			}
		}
		if len(drop) == 0 && len(done) == 0 && len(keep) == len(ts) {
			return fmt.Errorf("provider: on-chain redemption: %w", err) // nothing to leave out: the tickets wait
		}
		ts = keep
	}
	return nil
}

// refusedOnChain sorts ts after the contract's refusal re: tickets to
// drop, tickets we redeemed on-chain already, and tickets to try again.
func (pp *Provider) refusedOnChain(b *ticketBook, re *chain.RevertError, ts []tickets.Ticket) (drop, done, keep []tickets.Ticket) {
	without := func(serial [32]byte) (out, rest []tickets.Ticket) {
		for _, t := range ts {
			if t.Serial == serial {
				out = append(out, t)
			} else {
				rest = append(rest, t)
			}
		}
		return out, rest
	}
	switch v := re.Value.(type) {
	case *bindings.TicketIssuerAlreadyRedeemed:
		out, rest := without(v.Serial)
		if v.Redeemer == pp.opt.Operator {
			return nil, out, rest
		}
		return out, nil, rest
	case *bindings.TicketIssuerDuplicateSerial:
		out, rest := without(v.Serial)
		return out, nil, rest
	case *bindings.TicketIssuerIssuerStakeInsufficient:
		// The stake pays for fewer: redeem those now; the rest wait, for a
		// stake that may not come back (creditors are paid in turn).
		if per := new(big.Int).Div(v.Owed, big.NewInt(int64(len(ts)))); per.Sign() > 0 {
			if n := new(big.Int).Div(v.Stake, per); n.Sign() > 0 && n.Cmp(big.NewInt(int64(len(ts)))) < 0 {
				return nil, nil, ts[:n.Int64()]
			}
		}
		return nil, nil, ts
	}
	switch re.Name {
	case "InvalidSignature", "SignatureAtInfinity", "PointNotOnCurve", "PointNotInSubgroup", "InvalidPointEncoding":
		// The aggregate does not verify: leave out the tickets that do not
		// verify alone; if none can be told, all of them.
		for _, t := range ts {
			if b.spent.Verify(t) != nil {
				drop = append(drop, t)
			} else {
				keep = append(keep, t)
			}
		}
		if len(drop) == 0 {
			return ts, nil, nil
		}
		return drop, nil, keep
	}
	// UnknownKeyEpoch, KeyEpochExpired (past the on-chain grace),
	// WrongValue, and anything else: the contract will never pay these.
	return ts, nil, nil
}

// dropOnChain drops tickets the contract refused, counted by reason.
func (pp *Provider) dropOnChain(b *ticketBook, ts []tickets.Ticket, reason string, err error) error {
	pp.log.Warn("prepaid: the TicketIssuer contract refused tickets; dropped", "issuer", b.issuer, "tickets", len(ts), "reason", reason, "err", err)
	pp.stats.mu.Lock()
	if pp.stats.onChainDrops == nil {
		pp.stats.onChainDrops = map[string]uint64{}
	}
	pp.stats.onChainDrops[reason] += uint64(len(ts))
	pp.stats.mu.Unlock()
	return pp.settled(b, ts)
}

// Holdings lists the issuers' cheques with what was cashed of them and
// their cash limits: the provider's store is a [settle.Holder] for the
// relay's cashing loop.
func (pp *Provider) Holdings() ([]settle.Holding, error) {
	cs, err := pp.store.cheques(pp.opt.Operator)
	if err != nil {
		return nil, err
	}
	out := make([]settle.Holding, 0, len(cs))
	for _, s := range cs {
		cashed, err := pp.store.cashed(s.Payer)
		if err != nil {
			return nil, err
		}
		h := settle.HoldingOf(s, cashed)
		// A cheque at the limit would prove a double redemption against us.
		if h.Limit, err = pp.store.cashLimit(s.Payer); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// MarkCashed records what the Vault paid of issuer's cheques in all.
func (pp *Provider) MarkCashed(issuer common.Address, total *big.Int) error {
	cashed, err := pp.store.cashed(issuer)
	if err != nil || total.Cmp(cashed) <= 0 {
		return err
	}
	return pp.store.putCashed(issuer, total)
}

// priceOf returns what a ticket of issuer's key epoch is worth in wei.
func (pp *Provider) priceOf(issuer common.Address, epoch uint64) (*big.Int, error) {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	for _, k := range pp.keys {
		if k.issuer == issuer && k.epoch == epoch {
			return k.price, nil
		}
	}
	return nil, fmt.Errorf("no key of epoch %d known", epoch)
}

// issuerPeer finds issuer in the topology and adds its addresses to the
// peerstore.
func (pp *Provider) issuerPeer(issuer common.Address) (peer.ID, error) {
	for _, nd := range pp.issuers() {
		if nd.Operator == issuer {
			if len(nd.Multiaddrs) > 0 {
				pp.host.Peerstore().AddAddrs(nd.PeerID, nd.Multiaddrs, time.Hour)
			}
			return nd.PeerID, nil
		}
	}
	return "", errors.New("not an issuer of the topology")
}

func (pp *Provider) lastCheque(issuer common.Address) (*big.Int, error) {
	cs, err := pp.store.cheques(pp.opt.Operator)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Payer == issuer {
			return c.CumulativeAmount, nil
		}
	}
	return new(big.Int), nil
}
