package tickets

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"

	badger "github.com/dgraph-io/badger/v4"
)

// ProviderConfig configures a [Provider].
type ProviderConfig struct {
	// Dir is the directory of the provider's spent set. It is created if
	// need be.
	Dir string
	// Keys are the issuer keys the provider accepts. The caller keeps it
	// up to date as the issuer rotates keys; give it a Retain no larger
	// than the issuer's, or the provider accepts tickets the issuer no
	// longer redeems.
	Keys *Keyring
	// Rand is the source of batch-verification coefficients. Nil means
	// crypto/rand.Reader.
	Rand io.Reader
}

// Provider accepts tickets from its clients: it verifies them, records
// them in a spent set on disk so that each is accepted once even across
// restarts, and keeps those not yet redeemed for [Issuer.Redeem]. Its
// methods are safe for concurrent use.
type Provider struct {
	db   *badger.DB
	keys *Keyring
	rand io.Reader
	mu   sync.Mutex // serializes spent-set updates
}

// OpenProvider opens the provider's store in cfg.Dir.
func OpenProvider(cfg ProviderConfig) (*Provider, error) {
	if cfg.Keys == nil {
		return nil, errors.New("tickets: provider without keyring")
	}
	db, err := openDB(cfg.Dir)
	if err != nil {
		return nil, err
	}
	p := &Provider{db: db, keys: cfg.Keys, rand: cfg.Rand}
	if p.rand == nil {
		p.rand = rand.Reader
	}
	return p, nil
}

// Close closes the store.
func (p *Provider) Close() error { return p.db.Close() }

// Accept accepts t as payment of value want: it checks that t's key epoch
// is in the window, that its key's value is want ([ErrWrongValue]), that
// the signature verifies and that t was not accepted before
// ([ErrAlreadySpent]), then records it as spent.
func (p *Provider) Accept(t Ticket, want Value) error {
	err := p.AcceptBatch([]Ticket{t}, want)
	if be, ok := err.(*BatchError); ok {
		return be.Errs[0]
	}
	return err
}

// AcceptBatch accepts many tickets of value want at once, with batch
// verification (see [Keyring.VerifyBatch]). It accepts the good tickets
// and returns nil if there were only good ones, or a *[BatchError] naming
// the refused ones; any other error means nothing was accepted.
func (p *Provider) AcceptBatch(ts []Ticket, want Value) error {
	if len(ts) > MaxBatch {
		return fmt.Errorf("tickets: %d tickets, at most %d at once", len(ts), MaxBatch)
	}
	errs := make([]error, len(ts))
	if _, err := p.keys.verifyBatch(p.rand, ts, &want, errs); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	err := p.db.Update(func(txn *badger.Txn) error {
		for i := range ts {
			if errs[i] != nil {
				continue
			}
			key := ticketKey(prefixSpent, &ts[i])
			spent, err := exists(txn, key)
			if err != nil {
				return err
			}
			if spent {
				errs[i] = ErrAlreadySpent
				continue
			}
			sig := ts[i].Signature.Bytes()
			if err := txn.Set(key, nil); err != nil {
				return err
			}
			if err := txn.Set(ticketKey(prefixPending, &ts[i]), sig[:]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("tickets: recording spent tickets: %w", err)
	}
	return batchResult(errs)
}

// Verify checks t as [Keyring.Verify] does, without accepting it.
func (p *Provider) Verify(t Ticket) error { return p.keys.Verify(t) }

// Pending returns up to max accepted tickets not yet marked redeemed,
// ordered by key epoch then serial: hand them to [Issuer.Redeem].
func (p *Provider) Pending(max int) ([]Ticket, error) {
	var ts []Ticket
	err := p.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{prefixPending}, PrefetchValues: true, PrefetchSize: min(max, 100)})
		defer it.Close()
		for it.Rewind(); it.Valid() && len(ts) < max; it.Next() {
			key := it.Item().Key()
			if len(key) != 1+8+SerialSize {
				return fmt.Errorf("tickets: corrupt pending entry %x", key)
			}
			var t Ticket
			t.KeyEpoch = binary.BigEndian.Uint64(key[1:9])
			copy(t.Serial[:], key[9:])
			err := it.Item().Value(func(val []byte) error {
				var err error
				t.Signature, err = ParseSignature(val)
				return err
			})
			if err != nil {
				return fmt.Errorf("tickets: corrupt pending entry %x: %w", key, err)
			}
			ts = append(ts, t)
		}
		return nil
	})
	return ts, err
}

// MarkRedeemed removes tickets from the pending list: call it with the
// tickets an issuer redeemed, and with those it refused for good (such as
// [ErrDoubleRedeem] or [ErrExpiredEpoch]). They stay in the spent set.
func (p *Provider) MarkRedeemed(ts []Ticket) error {
	for len(ts) > 0 {
		n := min(len(ts), MaxBatch)
		err := p.db.Update(func(txn *badger.Txn) error {
			for i := range ts[:n] {
				if err := txn.Delete(ticketKey(prefixPending, &ts[i])); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("tickets: marking tickets redeemed: %w", err)
		}
		ts = ts[n:]
	}
	return nil
}
