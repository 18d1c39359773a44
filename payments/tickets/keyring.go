package tickets

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"sync"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
)

// A Keyring holds the issuer keys a verifier accepts: the key of the
// current (newest) epoch and of the Retain epochs before it. A ticket of an
// older epoch is expired ([ErrExpiredEpoch]); one of an epoch newer than
// the current one, or missing from the window, is unknown
// ([ErrUnknownEpoch]). Adding the key of a newer epoch makes it current and
// expires the keys that fall out of the window.
//
// A Keyring precomputes per key what verification needs, and is safe for
// concurrent use.
type Keyring struct {
	chainID uint64
	retain  uint64

	mu      sync.RWMutex
	current uint64
	keys    map[uint64]*verifier
}

// verifier is an issuer key prepared for verification.
type verifier struct {
	key   IssuerKey
	dst   []byte
	lines *lines // of the public key
}

// NewKeyring returns an empty keyring for chain chainID that accepts
// tickets of the current key epoch and the retain epochs before it.
func NewKeyring(chainID, retain uint64) *Keyring {
	return &Keyring{chainID: chainID, retain: retain, keys: make(map[uint64]*verifier)}
}

// ChainID returns the chain whose keys the keyring holds.
func (r *Keyring) ChainID() uint64 { return r.chainID }

// Add adds k. It fails with [ErrWrongChain] for a key of another chain,
// [ErrExpiredEpoch] for an epoch already out of the window, and if another
// key is known for k's epoch. Adding a key again is a no-op.
func (r *Keyring) Add(k IssuerKey) error {
	if k.ChainID != r.chainID {
		return fmt.Errorf("%w: key of chain %d, keyring of chain %d", ErrWrongChain, k.ChainID, r.chainID)
	}
	if err := k.Check(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.expired(k.Epoch) {
		return fmt.Errorf("%w: epoch %d, current %d", ErrExpiredEpoch, k.Epoch, r.current)
	}
	if v, ok := r.keys[k.Epoch]; ok {
		if v.key.Equal(k) {
			return nil
		}
		return fmt.Errorf("tickets: another issuer key is known for epoch %d", k.Epoch)
	}
	l := bls.PrecomputeLines(k.PublicKey)
	r.keys[k.Epoch] = &verifier{key: k, dst: []byte(k.DST()), lines: &l}
	if len(r.keys) == 1 || k.Epoch > r.current {
		r.current = k.Epoch
		for e := range r.keys {
			if r.expired(e) {
				delete(r.keys, e)
			}
		}
	}
	return nil
}

// expired reports whether epoch is older than the window. r.mu is held.
func (r *Keyring) expired(epoch uint64) bool {
	return len(r.keys) > 0 && epoch < r.current && r.current-epoch > r.retain
}

// Current returns the key of the current epoch, if any.
func (r *Keyring) Current() (IssuerKey, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	v, ok := r.keys[r.current]
	if !ok {
		return IssuerKey{}, false
	}
	return v.key, true
}

// Key returns the key of epoch, or [ErrUnknownEpoch] or [ErrExpiredEpoch].
func (r *Keyring) Key(epoch uint64) (IssuerKey, error) {
	v, err := r.lookup(epoch)
	if err != nil {
		return IssuerKey{}, err
	}
	return v.key, nil
}

// Keys returns the keys of the window, oldest first.
func (r *Keyring) Keys() []IssuerKey {
	r.mu.RLock()
	defer r.mu.RUnlock()
	keys := make([]IssuerKey, 0, len(r.keys))
	for _, v := range r.keys {
		keys = append(keys, v.key)
	}
	slices.SortFunc(keys, func(a, b IssuerKey) int { return cmp.Compare(a.Epoch, b.Epoch) })
	return keys
}

func (r *Keyring) lookup(epoch uint64) (*verifier, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.expired(epoch) {
		return nil, fmt.Errorf("%w: epoch %d, current %d", ErrExpiredEpoch, epoch, r.current)
	}
	v, ok := r.keys[epoch]
	if !ok {
		return nil, fmt.Errorf("%w: epoch %d", ErrUnknownEpoch, epoch)
	}
	return v, nil
}

// Verify checks one ticket: its key epoch is in the window and its
// signature verifies. It does not check whether t was spent.
func (r *Keyring) Verify(t Ticket) error {
	v, err := r.lookup(t.KeyEpoch)
	if err != nil {
		return err
	}
	if t.Signature.p.IsInfinity() {
		return ErrInfinity
	}
	h := hashSerial(v.dst, &t.Serial)
	if !pairingCheckFixed([]bls.G1Affine{t.Signature.p, h}, []*lines{negG2Lines(), v.lines}) {
		return ErrBadSignature
	}
	return nil
}

// VerifyBatch checks many tickets at once, several times faster than one
// by one: it checks a random linear combination of the signatures with one
// multi-pairing and, only if that fails, bisects the batch to find exactly
// the bad tickets. rand supplies the 128-bit coefficients (use
// crypto/rand.Reader: whoever can predict them can slip a forged ticket
// through). A ticket that occurs twice is refused the second time with
// [ErrDuplicateSerial].
//
// VerifyBatch returns nil if every ticket verifies, a *[BatchError] saying
// which did not and why, or another error if rand fails.
func (r *Keyring) VerifyBatch(rand io.Reader, ts []Ticket) error {
	errs := make([]error, len(ts))
	if _, err := r.verifyBatch(rand, ts, nil, errs); err != nil {
		return err
	}
	return batchResult(errs)
}

// verifyBatch sets errs[i] for every ticket that is refused: unknown or
// expired epoch, value other than *want (if want is not nil), duplicate,
// bad signature. It returns the verifier of each ticket (nil where refused)
// and an error only if rand fails.
func (r *Keyring) verifyBatch(rand io.Reader, ts []Ticket, want *Value, errs []error) ([]*verifier, error) {
	vs := make([]*verifier, len(ts))
	seen := make(map[[8 + SerialSize]byte]struct{}, len(ts))
	items := make([]batchItem, 0, len(ts))
	for i := range ts {
		t := &ts[i]
		v, err := r.lookup(t.KeyEpoch)
		switch {
		case err != nil:
			errs[i] = err
			continue
		case want != nil && !v.key.Value.Equal(*want):
			errs[i] = fmt.Errorf("%w: epoch %d is %v, asked for %v", ErrWrongValue, t.KeyEpoch, v.key.Value, *want)
			continue
		case t.Signature.p.IsInfinity():
			errs[i] = ErrInfinity
			continue
		}
		id := t.ID()
		if _, dup := seen[id]; dup {
			errs[i] = ErrDuplicateSerial
			continue
		}
		seen[id] = struct{}{}
		vs[i] = v
		items = append(items, batchItem{idx: i, v: v, serial: &t.Serial, sig: t.Signature.p})
	}
	if err := verifyItems(rand, items, errs); err != nil {
		return nil, err
	}
	for i := range vs {
		if errs[i] != nil {
			vs[i] = nil
		}
	}
	return vs, nil
}
