package settle

import (
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/dgraph-io/badger/v4"
	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/payments/lottery"
)

// Key prefixes of the lottery records; see "Lottery tickets" in the
// package documentation.
const (
	prefixTicketOut = 'l' // ‖ payee: what we paid a payee in tickets
	prefixTicketIn  = 'L' // ‖ payer: what a payer paid us in tickets, and our secrets for it
	prefixWin       = 'w' // ‖ digest: a win not yet claimed
)

// ticketOutRecord is the lottery side of a [Debt].
type ticketOutRecord struct {
	next   uint64   // the nonce of our next ticket to the payee
	paid   *big.Int // expected value paid in tickets, in all
	latest *lottery.Signed
}

func (r *ticketOutRecord) encode() ([]byte, error) {
	v := make([]byte, 8+amountLen, 8+amountLen+lottery.EncodedLen)
	binary.BigEndian.PutUint64(v, r.next)
	if err := putAmount(v[8:], r.paid); err != nil {
		return nil, err
	}
	if r.latest != nil {
		b, err := r.latest.MarshalBinary()
		if err != nil {
			return nil, err
		}
		v = append(v, b...)
	}
	return v, nil
}

func decodeTicketOut(payee common.Address, v []byte) (ticketOutRecord, error) {
	if len(v) != 8+amountLen && len(v) != 8+amountLen+lottery.EncodedLen {
		return ticketOutRecord{}, fmt.Errorf("settle: corrupt ticket record for payee %s (%d bytes)", payee, len(v))
	}
	r := ticketOutRecord{next: binary.BigEndian.Uint64(v), paid: getAmount(v[8:])}
	if len(v) > 8+amountLen {
		var s lottery.Signed
		if err := s.UnmarshalBinary(v[8+amountLen:]); err != nil {
			return ticketOutRecord{}, fmt.Errorf("settle: ticket record for payee %s: %w", payee, err)
		}
		r.latest = &s
	}
	return r, nil
}

// ticketInRecord is the lottery side of a [Credit].
type ticketInRecord struct {
	last     common.Hash // digest of the last ticket taken: its retransmission is not a replay
	received *big.Int    // expected value taken in tickets, in all
	claimed  *big.Int    // face value of this payer's wins claimed on-chain, in all
	state    lottery.PayerState
}

const ticketInFixed = 32 + 2*amountLen + 32 + 8 + 8 + 2

func (r *ticketInRecord) encode() ([]byte, error) {
	v := make([]byte, ticketInFixed, ticketInFixed+32*len(r.state.Secrets))
	copy(v, r.last[:])
	if err := putAmount(v[32:], r.received); err != nil {
		return nil, err
	}
	if err := putAmount(v[32+amountLen:], r.claimed); err != nil {
		return nil, err
	}
	o := 32 + 2*amountLen
	copy(v[o:], r.state.Current[:])
	binary.BigEndian.PutUint64(v[o+32:], r.state.Accepted)
	binary.BigEndian.PutUint64(v[o+40:], r.state.Next)
	if len(r.state.Secrets) > 0xffff {
		return nil, fmt.Errorf("settle: %d secrets for one payer", len(r.state.Secrets))
	}
	binary.BigEndian.PutUint16(v[o+48:], uint16(len(r.state.Secrets)))
	for _, s := range r.state.Secrets {
		v = append(v, s[:]...)
	}
	return v, nil
}

func decodeTicketIn(payer common.Address, v []byte) (ticketInRecord, error) {
	bad := fmt.Errorf("settle: corrupt ticket record for payer %s (%d bytes)", payer, len(v))
	if len(v) < ticketInFixed {
		return ticketInRecord{}, bad
	}
	o := 32 + 2*amountLen
	n := int(binary.BigEndian.Uint16(v[o+48:]))
	if len(v) != ticketInFixed+32*n {
		return ticketInRecord{}, bad
	}
	r := ticketInRecord{last: common.BytesToHash(v[:32]), received: getAmount(v[32:]), claimed: getAmount(v[32+amountLen:])}
	r.state.Current = common.BytesToHash(v[o : o+32])
	r.state.Accepted = binary.BigEndian.Uint64(v[o+32:])
	r.state.Next = binary.BigEndian.Uint64(v[o+40:])
	for i := range n {
		var s lottery.Secret
		copy(s[:], v[ticketInFixed+32*i:])
		r.state.Secrets = append(r.state.Secrets, s)
	}
	return r, nil
}

func winKey(digest common.Hash) []byte { return append([]byte{prefixWin}, digest[:]...) }

// encodeWin stores a win as its ticket ‖ secret; the digest is its key.
func encodeWin(w lottery.Win) ([]byte, error) {
	b, err := w.Ticket.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return append(b, w.Secret[:]...), nil
}

func decodeWin(digest common.Hash, v []byte) (lottery.Win, error) {
	if len(v) != lottery.EncodedLen+32 {
		return lottery.Win{}, fmt.Errorf("settle: corrupt win %s (%d bytes)", digest, len(v))
	}
	w := lottery.Win{Digest: digest}
	if err := w.Ticket.UnmarshalBinary(v[:lottery.EncodedLen]); err != nil {
		return lottery.Win{}, fmt.Errorf("settle: win %s: %w", digest, err)
	}
	copy(w.Secret[:], v[lottery.EncodedLen:])
	return w, nil
}

// scanWins calls fn for every stored win.
func scanWins(db *badger.DB, fn func(lottery.Win) error) error {
	return db.View(func(txn *badger.Txn) error {
		io := badger.DefaultIteratorOptions
		io.Prefix = []byte{prefixWin}
		it := txn.NewIterator(io)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			k := item.Key()
			if len(k) != 1+common.HashLength {
				return fmt.Errorf("settle: corrupt key %x", k)
			}
			err := item.Value(func(v []byte) error {
				w, err := decodeWin(common.BytesToHash(k[1:]), v)
				if err != nil {
					return err
				}
				return fn(w)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// putAll writes the key–value pairs in one synced transaction; a nil
// value deletes its key.
func (l *Ledger) putAll(kv ...[]byte) error {
	if l.closed.Load() {
		return ErrClosed
	}
	return l.db.Update(func(txn *badger.Txn) error {
		for i := 0; i+1 < len(kv); i += 2 {
			var err error
			if kv[i+1] == nil {
				err = txn.Delete(kv[i])
			} else {
				err = txn.Set(kv[i], kv[i+1])
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}
