package provider

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/payments/lottery"
	"github.com/murmurnet/murmur/payments/settle"
	"github.com/murmurnet/murmur/payments/tickets"
)

// Issuers' lottery tickets.
//
// With Config.TicketCover set, the provider asks its issuers to pay
// redemptions in lottery tickets (ADR 0010): each request carries the
// commitment of a secret kept for that issuer, and an issuer that pays so
// answers with one ticket worth the batch in expected value. The tickets
// are taken into a ledger of their own (package settle, in
// <data>/prepaid-tickets), which checks them (signature, commitment,
// nonce, validity, and that the issuer's Vault deposit plus stake covers
// its unclaimed wins) and keeps the wins for the relay's cashing loop to
// claim (the provider is a settlement.Winner).
//
// A ticket leaves nothing on-chain to show that the batch was paid, so
// the provider acknowledges what it took with a signed receipt
// (tickets.Receipt: the issuer's cheques it holds plus the expected value
// of its tickets), sent after each ticket and with the next request. A
// receipt can prove a double redemption against the provider, as a
// cashed cheque can, so it follows the cash limit (see "Redemption
// on-chain"): no receipt at or above it is ever signed.

// ticketsDir is the ledger of the issuers' lottery tickets.
func ticketsDir(dataDir string) string { return filepath.Join(dataDir, "prepaid-tickets") }

func (pp *Provider) openLottery() error {
	if pp.cfg.TicketCover == nil {
		return nil
	}
	l, err := settle.Open(ticketsDir(pp.opt.DataDir), settle.Options{
		Self: pp.opt.Operator, Domain: pp.vault, Signer: settle.KeySigner(pp.vault, pp.cfg.Account),
		Cover: pp.cfg.TicketCover, Now: pp.opt.Now, Logger: pp.log,
	})
	if err != nil {
		return fmt.Errorf("provider: issuers' tickets: %w", err)
	}
	pp.lottery = l
	return nil
}

// paidBy returns what issuer paid us in all: its last cheque and the
// expected value of its tickets.
func (pp *Provider) paidBy(issuer common.Address) (lastCheque, total *big.Int, err error) {
	if lastCheque, err = pp.lastCheque(issuer); err != nil {
		return nil, nil, err
	}
	total = new(big.Int).Set(lastCheque)
	if pp.lottery != nil {
		c, err := pp.lottery.Payer(issuer)
		if err != nil {
			return nil, nil, err
		}
		total.Add(total, c.TicketsReceived())
	}
	return lastCheque, total, nil
}

// receiptFor signs a receipt for what issuer paid us, or returns nil when
// there is nothing to acknowledge in tickets or the receipt would reach
// the cash limit.
func (pp *Provider) receiptFor(issuer common.Address) (*tickets.SignedReceipt, error) {
	if pp.lottery == nil {
		return nil, nil
	}
	c, err := pp.lottery.Payer(issuer)
	if err != nil || c.TicketsReceived().Sign() == 0 {
		return nil, err
	}
	_, total, err := pp.paidBy(issuer)
	if err != nil {
		return nil, err
	}
	limit, err := pp.store.cashLimit(issuer)
	if err != nil {
		return nil, err
	}
	if limit != nil && total.Cmp(limit) >= 0 {
		pp.stats.receiptsWithheld.Add(1)
		return nil, nil
	}
	r, err := pp.reqs.SignReceipt(tickets.Receipt{Issuer: issuer, Provider: pp.opt.Operator, CumulativeValue: total}, pp.cfg.Account)
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// takeTicket takes issuer's ticket s, which pays for a batch worth value.
func (pp *Provider) takeTicket(ctx context.Context, issuer common.Address, s lottery.Signed, value *big.Int) error {
	if s.ExpectedValue().Cmp(value) < 0 {
		return &issuerFault{reason: "short ticket", err: fmt.Errorf("the issuer's ticket is worth %s wei, the batch %s", s.ExpectedValue(), value)}
	}
	c, err := pp.lottery.Payer(issuer)
	if err != nil {
		return err
	}
	if err := c.AcceptTicket(ctx, s); err != nil {
		if errors.Is(err, settle.ErrClosed) {
			return err
		}
		return &issuerFault{reason: "ticket refused", err: fmt.Errorf("the issuer's ticket: %w", err)}
	}
	pp.stats.ticketPayments.Add(1)
	return nil
}

// Wins returns the issuers' winning tickets to claim ([settle.Ledger.Wins]);
// none without Config.TicketCover.
func (pp *Provider) Wins() ([]lottery.Win, error) {
	if pp.lottery == nil {
		return nil, nil
	}
	return pp.lottery.Wins()
}

// MarkClaimed records that an issuer's win was paid on-chain.
func (pp *Provider) MarkClaimed(w lottery.Win) error {
	if pp.lottery == nil {
		return errors.New("provider: takes no lottery tickets")
	}
	return pp.lottery.MarkClaimed(w)
}

// ForgetWin drops an issuer's win the Vault refused to pay.
func (pp *Provider) ForgetWin(w lottery.Win) error {
	if pp.lottery == nil {
		return errors.New("provider: takes no lottery tickets")
	}
	return pp.lottery.ForgetWin(w)
}

// TicketHoldings lists, by issuer, what issuers paid in lottery tickets:
// expected value taken, wins pending and claimed.
func (pp *Provider) TicketHoldings() []settle.TicketHolding {
	if pp.lottery == nil {
		return nil
	}
	return pp.lottery.TicketHoldings()
}
