package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/tickets"
)

// spendBooks is what deciding a Spend needs of the provider: the client's
// balance and its credit, and the issuer key and spent set of a key epoch.
// The Provider is one, over badger and the chain; the scripts in
// testdata/spend_*.txt drive [decideSpend] with a fake.
type spendBooks interface {
	balance(p peer.ID) (uint64, error)
	credit(p peer.ID, n uint64) (uint64, error)
	// key returns the issuer key pub of key epoch epoch and the spent set
	// of its issuer; tickets.ErrExpiredEpoch when the key is too old.
	key(ctx context.Context, pub [96]byte, epoch uint64) (knownKey, spentSet, error)
}

// spentSet records tickets as spent ([tickets.Provider.AcceptBatch]) and
// counts those waiting for redemption.
type spentSet interface {
	AcceptBatch(ts []tickets.Ticket, v tickets.Value) error
	// waiting adds n tickets to those waiting for redemption and returns
	// how many wait now.
	waiting(n int) int64
}

// spendOutcome is what one Spend request did.
type spendOutcome struct {
	// status, when not nil, is the answer instead of out.
	status *wire.Status
	out    wire.Spent
	// accepted is how many tickets were recorded as spent; redeemNow
	// whether as many wait as a redemption batch holds.
	accepted  int
	redeemNow bool
	// storeErr is a store failure the provider logs: logLost says it
	// lost a credit for tickets recorded as spent.
	storeErr error
	logLost  bool
}

// decideSpend decides a Spend request of tickets of client p at now:
// which tickets are refused and why, which go to the spent set, and what
// is credited. A Spend is not all or nothing: the good tickets of a batch
// are spent and credited whatever the others are (see the package
// documentation). The tickets are recorded as spent before the credit, so
// a crash in between loses the credit and never credits twice.
func decideSpend(ctx context.Context, books spendBooks, now time.Time, p peer.ID, req wire.Spend, decode func([]byte) (tickets.Ticket, error), redeemBatch int) spendOutcome {
	var o spendOutcome
	bal, err := books.balance(p)
	if err != nil {
		o.status, o.storeErr = &wire.Status{Code: wire.CodeInternal, Reason: "prepaid balance unavailable"}, err
		return o
	}
	o.out.Balance = bal
	refuse := func(i int, c wire.SpendCode) {
		o.out.Refused = append(o.out.Refused, wire.Refusal{Index: i, Code: c})
	}
	// Decode; the first good ticket names the key epoch.
	ts := make([]tickets.Ticket, len(req.Tickets))
	bad := make([]bool, len(ts))
	epoch, haveEpoch := uint64(0), false
	for i, b := range req.Tickets {
		if ts[i], err = decode(b); err != nil {
			bad[i] = true
		} else if !haveEpoch {
			epoch, haveEpoch = ts[i].KeyEpoch, true
		}
	}
	var reasons []string
	var key knownKey
	var set spentSet
	keyCode := wire.SpendCode(0)
	if haveEpoch {
		key, set, err = books.key(ctx, req.IssuerKey, epoch)
		switch {
		case errors.Is(err, tickets.ErrExpiredEpoch):
			keyCode = wire.SpendExpired
			reasons = append(reasons, err.Error())
		case err != nil:
			keyCode = wire.SpendUnknownKey
			reasons = append(reasons, err.Error())
		case !now.Before(key.expires):
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
	if len(o.out.Refused) > 0 && len(reasons) == 0 {
		reasons = append(reasons, "tickets that do not decode, or not of the named key's epoch")
	}
	if len(batch) > 0 {
		err := set.AcceptBatch(batch, tickets.Value{Packets: key.packets, Price: key.price})
		var be *tickets.BatchError
		switch {
		case err == nil:
			o.accepted = len(batch)
		case errors.As(err, &be):
			for j, e := range be.Errs {
				if e == nil {
					o.accepted++
					continue
				}
				refuse(idx[j], spendCodeOf(e))
			}
			reasons = append(reasons, be.Error())
		default:
			o.storeErr = err
			for _, i := range idx {
				refuse(i, wire.SpendUnavailable)
			}
			reasons = append(reasons, "the provider could not record the tickets; nothing was spent")
		}
	}
	slices.SortFunc(o.out.Refused, func(a, b wire.Refusal) int { return a.Index - b.Index })
	if o.accepted > 0 {
		o.redeemNow = set.waiting(o.accepted) >= int64(redeemBatch)
		n := uint64(o.accepted) * key.packets
		if o.out.Balance, err = books.credit(p, n); err != nil {
			o.status = &wire.Status{Code: wire.CodeInternal, Reason: "tickets recorded but the credit failed"}
			o.storeErr, o.logLost = err, true
			return o
		}
		o.out.Credited = n
	}
	o.out.Reason = strings.Join(reasons, "; ")
	return o
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
