package tickets

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/lottery"
)

// ErrReceiptMissing: the issuer paid this provider's last redemption with
// a lottery ticket and holds no receipt for it; it redeems nothing new
// until the provider acknowledges that payment (see [Receipt]).
var ErrReceiptMissing = errors.New("tickets: the last ticket paid is not acknowledged by a receipt")

// Payment is what an issuer pays a redemption with: a cheque for
// everything it owes by cheque, or a lottery ticket worth (in expected
// value) exactly the batch.
type Payment struct {
	Cheque *cheque.Signed
	Ticket *lottery.Signed
}

// PayBy is how a provider asks to be paid for a redemption.
type PayBy struct {
	// Commitment is the provider's lottery commitment (keccak256 of its
	// secret) for a ticket; zero asks for a cheque. An issuer that does
	// not pay in tickets ([IssuerConfig.TicketFace] nil) pays a cheque
	// either way.
	Commitment common.Hash
	// Receipt, if not nil, is the provider's latest receipt for what this
	// issuer paid it.
	Receipt *SignedReceipt
}

// Paid is what an issuer paid one provider for its redemptions.
type Paid struct {
	// Owed is the value of every ticket the provider redeemed with us,
	// in all; ByCheque and ByTicket (expected value) the parts paid each
	// way; they add up to Owed.
	Owed, ByCheque, ByTicket *big.Int
	// Tickets is the number of lottery tickets signed to the provider.
	Tickets uint64
	// Receipted is the highest value the provider acknowledged, and
	// Receipt that receipt (nil: none yet).
	Receipted *big.Int
	Receipt   *SignedReceipt
}

// payRecord is the issuer's lottery account with one provider, stored at
// 't' ‖ provider:
//
//	next nonce (8) ‖ by ticket (32) ‖ owed after the last ticket (32) ‖
//	receipted (32) ‖ receipt signature (65) ‖ latest ticket (0 or lottery.EncodedLen)
type payRecord struct {
	next       uint64
	byTicket   *big.Int
	ticketOwed *big.Int // what the provider was owed once the latest ticket paid it
	receipted  *big.Int
	receiptSig [65]byte
	latest     *lottery.Signed
}

const payRecordHead = 8 + 32 + 32 + 32 + 65

func (r *payRecord) encode() ([]byte, error) {
	b := binary.BigEndian.AppendUint64(nil, r.next)
	b = append(b, amountBytes(r.byTicket)...)
	b = append(b, amountBytes(r.ticketOwed)...)
	b = append(b, amountBytes(r.receipted)...)
	b = append(b, r.receiptSig[:]...)
	if r.latest != nil {
		t, err := r.latest.MarshalBinary()
		if err != nil {
			return nil, err
		}
		b = append(b, t...)
	}
	return b, nil
}

func getPayRecord(txn *badger.Txn, provider common.Address) (payRecord, error) {
	r := payRecord{byTicket: new(big.Int), ticketOwed: new(big.Int), receipted: new(big.Int)}
	item, err := txn.Get(addrKey(prefixPay, provider))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return r, nil
	}
	if err != nil {
		return r, err
	}
	b, err := item.ValueCopy(nil)
	if err != nil {
		return r, err
	}
	if len(b) != payRecordHead && len(b) != payRecordHead+lottery.EncodedLen {
		return r, fmt.Errorf("tickets: corrupt payment record of %s (%d bytes)", provider, len(b))
	}
	r.next = binary.BigEndian.Uint64(b[:8])
	r.byTicket.SetBytes(b[8:40])
	r.ticketOwed.SetBytes(b[40:72])
	r.receipted.SetBytes(b[72:104])
	copy(r.receiptSig[:], b[104:169])
	if len(b) > payRecordHead {
		var s lottery.Signed
		if err := s.UnmarshalBinary(b[payRecordHead:]); err != nil {
			return r, fmt.Errorf("tickets: corrupt payment record of %s: %w", provider, err)
		}
		r.latest = &s
	}
	return r, nil
}

// Paid returns what the issuer paid provider, by cheque and by ticket,
// and the provider's latest receipt.
func (is *Issuer) Paid(provider common.Address) (Paid, error) {
	var out Paid
	err := is.db.View(func(txn *badger.Txn) error {
		owed, _, err := getAmount(txn, addrKey(prefixOwed, provider))
		if err != nil {
			return err
		}
		r, err := getPayRecord(txn, provider)
		if err != nil {
			return err
		}
		out = Paid{Owed: owed, ByTicket: r.byTicket, ByCheque: new(big.Int).Sub(owed, r.byTicket), Tickets: r.next, Receipted: r.receipted}
		if r.receipted.Sign() > 0 {
			out.Receipt = &SignedReceipt{Receipt: Receipt{Issuer: is.addr, Provider: provider, CumulativeValue: new(big.Int).Set(r.receipted)}, Signature: r.receiptSig}
		}
		return nil
	})
	if err != nil {
		return Paid{}, fmt.Errorf("tickets: reading what was paid to %s: %w", provider, err)
	}
	return out, nil
}

// ticketFace is the face value of the issuer's next ticket, nil when it
// pays by cheque.
func (is *Issuer) ticketFace() *big.Int {
	if is.face == nil {
		return nil
	}
	f := is.face()
	if f == nil || f.Sign() <= 0 {
		return nil
	}
	return f
}

// payTicket signs the ticket that pays value to provider under
// commitment, and records it in r. The caller stores r in the
// redemption's transaction.
func (is *Issuer) payTicket(r *payRecord, provider common.Address, commitment common.Hash, value, owed, face *big.Int) (lottery.Signed, error) {
	if face.Cmp(value) <= 0 {
		// As settle.Debt.Ticket: a ticket worth its whole face value needs a
		// face one wei above it.
		face = new(big.Int).Add(value, big.NewInt(1))
	}
	prob, ok := lottery.WinProbFor(value, face)
	if !ok {
		return lottery.Signed{}, fmt.Errorf("tickets: no ticket worth %s wei at a face value of %s", value, face)
	}
	s, err := lottery.Sign(is.domain, lottery.Ticket{
		Payer: is.addr, Payee: provider, FaceValue: new(big.Int).Set(face), WinProb: prob, Nonce: r.next,
		Commitment: commitment, ExpiresAt: uint64(is.now().Add(is.validFor).Unix()),
	}, is.account)
	if err != nil {
		return lottery.Signed{}, err
	}
	r.next++
	r.byTicket = new(big.Int).Add(r.byTicket, s.ExpectedValue())
	r.ticketOwed = new(big.Int).Set(owed)
	r.latest = &s
	return s, nil
}
