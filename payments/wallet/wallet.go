package wallet

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"sync"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"

	"github.com/murmurnet/murmur/internal/atomicfile"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/tickets"
)

// SecretSize is the size of the secret a wallet is sealed with.
const SecretSize = 32

// Wallet is a client's ticket wallet, backed by one sealed file. Its
// methods are safe for concurrent use.
type Wallet struct {
	path   string
	sealer *sealer

	mu sync.Mutex // held across writes, so changes apply in order
	st *state
}

// state is the contents of a wallet. A state is never changed once it is
// a wallet's: a change builds a new state, writes it, and then replaces
// the old one.
type state struct {
	chainID  uint64
	hasChain bool
	keys     map[uint64]tickets.IssuerKey // of the tickets' key epochs
	tickets  []tickets.Ticket             // ordered by key epoch, then by arrival
	pending  []*purchase                  // in the order they began
}

type purchase struct {
	id      PurchaseID
	issuer  string
	key     tickets.IssuerKey
	payment cheque.Signed
	reqs    []*tickets.TicketRequest
}

// Open opens the wallet file at path, sealed with secret (exactly
// [SecretSize] bytes, for instance the client's Ethereum private key; the
// wallet derives its own keys from it). If there is no file at path, Open
// creates an empty wallet there, and the directories above it.
//
// A file sealed with another secret fails with [ErrWrongSecret]; a file
// that is not a wallet, or was damaged, with [ErrCorrupt]. In both cases
// the file is not modified.
func Open(path string, secret []byte) (*Wallet, error) {
	if len(secret) != SecretSize {
		return nil, fmt.Errorf("wallet: secret of %d bytes, want %d", len(secret), SecretSize)
	}
	b, err := readFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		s, err := freshSealer(secret)
		if err != nil {
			return nil, err
		}
		w := &Wallet{path: path, sealer: s, st: &state{keys: map[uint64]tickets.IssuerKey{}}}
		if err := w.commit(w.st); err != nil {
			return nil, err
		}
		return w, nil
	}
	if err != nil {
		return nil, err
	}
	s, plain, version, err := openFile(b, secret)
	if err == nil {
		var st *state
		if st, err = decodeState(plain, version); err == nil {
			return &Wallet{path: path, sealer: s, st: st}, nil
		}
	}
	return nil, fmt.Errorf("%w (%s left as it was)", err, path)
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("wallet: reading %s: %w", path, err)
	}
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes (left as it was)", ErrCorrupt, path, MaxFileSize)
	}
	return b, nil
}

// Path returns the wallet's file.
func (w *Wallet) Path() string { return w.path }

// commit writes next and makes it the wallet's state. w.mu is held (or w
// is not shared yet).
func (w *Wallet) commit(next *state) error {
	for e := range next.keys {
		if !slices.ContainsFunc(next.tickets, func(t tickets.Ticket) bool { return t.KeyEpoch == e }) {
			delete(next.keys, e)
		}
	}
	b, err := w.sealer.seal(encodeState(next))
	if err != nil {
		return err
	}
	if len(b) > MaxFileSize {
		return fmt.Errorf("wallet: a wallet of %d bytes would exceed %d", len(b), MaxFileSize)
	}
	if err := atomicfile.Write(w.path, b); err != nil {
		return fmt.Errorf("wallet: writing %s: %w", w.path, err)
	}
	syncDir(filepath.Dir(w.path))
	w.st = next
	return nil
}

// syncDir makes a rename in dir durable. It is best effort: the new file
// is in place whatever it returns, and some systems cannot sync a
// directory.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

func (st *state) clone() *state {
	return &state{
		chainID:  st.chainID,
		hasChain: st.hasChain,
		keys:     maps.Clone(st.keys),
		tickets:  slices.Clone(st.tickets),
		pending:  slices.Clone(st.pending),
	}
}

// useKey checks that k fits the wallet (its chain, and no other key known
// for its epoch) and records it.
func (st *state) useKey(k tickets.IssuerKey) error {
	if err := k.Check(); err != nil {
		return err
	}
	if st.hasChain && k.ChainID != st.chainID {
		return fmt.Errorf("%w: key of chain %d, wallet of chain %d", tickets.ErrWrongChain, k.ChainID, st.chainID)
	}
	if old, ok := st.keys[k.Epoch]; ok && !old.Equal(k) {
		return fmt.Errorf("wallet: the wallet holds tickets of another issuer key for epoch %d", k.Epoch)
	}
	for _, p := range st.pending {
		if p.key.Epoch == k.Epoch && !p.key.Equal(k) {
			return fmt.Errorf("wallet: a pending purchase is for another issuer key of epoch %d", k.Epoch)
		}
	}
	st.chainID, st.hasChain = k.ChainID, true
	st.keys[k.Epoch] = k
	return nil
}

// addTickets adds the tickets of ts (all of key k) not already held, and
// returns how many it added.
func (st *state) addTickets(k tickets.IssuerKey, ts []tickets.Ticket) (int, error) {
	if err := st.useKey(k); err != nil {
		return 0, err
	}
	held := make(map[[8 + tickets.SerialSize]byte]bool, len(st.tickets)+len(ts))
	for i := range st.tickets {
		held[st.tickets[i].ID()] = true
	}
	added := 0
	for i := range ts {
		if ts[i].KeyEpoch != k.Epoch {
			return 0, fmt.Errorf("wallet: ticket of key epoch %d added with the key of epoch %d", ts[i].KeyEpoch, k.Epoch)
		}
		if id := ts[i].ID(); !held[id] {
			held[id] = true
			st.tickets = append(st.tickets, ts[i])
			added++
		}
	}
	slices.SortStableFunc(st.tickets, func(a, b tickets.Ticket) int { return cmp.Compare(a.KeyEpoch, b.KeyEpoch) })
	return added, nil
}

// Add adds tickets of issuer key key, and returns how many were new:
// tickets the wallet holds already are skipped. Add does not verify the
// signatures (tickets from [Wallet.Finish] are verified, and [Wallet.Import]
// verifies what it adds); it refuses a ticket of another epoch than key's,
// a key of another chain than the wallet's tickets ([tickets.ErrWrongChain]),
// and a key that differs from the one the wallet knows for its epoch.
func (w *Wallet) Add(key tickets.IssuerKey, ts []tickets.Ticket) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	next := w.st.clone()
	added, err := next.addTickets(key, ts)
	if err != nil || added == 0 {
		return 0, err
	}
	if err := w.commit(next); err != nil {
		return 0, err
	}
	return added, nil
}

// Take removes n tickets from the wallet and returns them, oldest key
// epoch first (those expire first). The wallet is written before Take
// returns, so a ticket is handed out once even across a crash: a ticket
// taken and then not spent is lost unless the caller gives it back with
// [Wallet.Add]. If the wallet holds fewer than n tickets, Take takes none
// and returns an *[InsufficientError] (which matches [ErrNoTickets]).
func (w *Wallet) Take(n int) ([]tickets.Ticket, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	out, _, err := w.take(n, nil)
	return out, err
}

// take removes n tickets and writes the state. If encode is not nil, it
// is called on the tickets before the write, and its result returned; a
// failure leaves the wallet as it was. w.mu is held.
func (w *Wallet) take(n int, encode func(chainID uint64, ts []tickets.Ticket) (string, error)) ([]tickets.Ticket, string, error) {
	if n <= 0 {
		return nil, "", fmt.Errorf("wallet: cannot take %d tickets", n)
	}
	if have := len(w.st.tickets); have < n {
		return nil, "", &InsufficientError{Want: n, Have: have}
	}
	next := w.st.clone()
	out := slices.Clone(next.tickets[:n])
	next.tickets = slices.Delete(next.tickets, 0, n)
	var enc string
	if encode != nil {
		var err error
		if enc, err = encode(w.st.chainID, out); err != nil {
			return nil, "", err
		}
	}
	if err := w.commit(next); err != nil {
		return nil, "", err
	}
	return out, enc, nil
}

// EpochBalance is what a wallet holds of one issuer key epoch.
type EpochBalance struct {
	KeyEpoch uint64
	// Value is the value of one ticket: that of the key.
	Value   tickets.Value
	Tickets int
	// Packets is Tickets × Value.Packets.
	Packets uint64
}

// Balance returns the tickets and packets the wallet holds, per key
// epoch, oldest first. Pending purchases do not count.
func (w *Wallet) Balance() []EpochBalance {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []EpochBalance
	for i := range w.st.tickets {
		e := w.st.tickets[i].KeyEpoch
		if len(out) == 0 || out[len(out)-1].KeyEpoch != e {
			out = append(out, EpochBalance{KeyEpoch: e, Value: copyKey(w.st.keys[e]).Value})
		}
		b := &out[len(out)-1]
		b.Tickets++
		b.Packets += b.Value.Packets
	}
	return out
}

// Key returns the issuer key of the tickets of epoch the wallet holds.
func (w *Wallet) Key(epoch uint64) (tickets.IssuerKey, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	k, ok := w.st.keys[epoch]
	if !ok {
		return tickets.IssuerKey{}, false
	}
	return copyKey(k), true
}

// ChainID returns the chain of the wallet's tickets, once it has had some.
func (w *Wallet) ChainID() (uint64, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.st.chainID, w.st.hasChain
}

// --- purchases ---------------------------------------------------------------

// PurchaseID names a pending purchase: the first 16 bytes of
// SHA-256("murmur-wallet-purchase-v1" ‖ key epoch ‖ serials).
type PurchaseID [16]byte

func (id PurchaseID) String() string { return hex.EncodeToString(id[:]) }

func purchaseID(epoch uint64, reqs []*tickets.TicketRequest) PurchaseID {
	h := sha256.New()
	h.Write([]byte("murmur-wallet-purchase-v1"))
	h.Write(binary.BigEndian.AppendUint64(nil, epoch))
	for _, q := range reqs {
		s := q.Serial()
		h.Write(s[:])
	}
	var id PurchaseID
	copy(id[:], h.Sum(nil))
	return id
}

// Purchase is a pending purchase: tickets paid for (or about to be) whose
// signatures the wallet has not received yet.
type Purchase struct {
	ID PurchaseID
	// Issuer says where the order goes, as the caller of [Wallet.Begin]
	// named it (package market uses the issuer's libp2p peer ID).
	Issuer string
	Key    tickets.IssuerKey
	// Payment is the cheque paying for the tickets.
	Payment cheque.Signed
	// Requests are the tickets in the making, restored with their
	// blinding factors.
	Requests []*tickets.TicketRequest
}

// Blinded returns the blinded tickets to send to the issuer, in order.
func (p *Purchase) Blinded() []bls.G1Affine {
	out := make([]bls.G1Affine, len(p.Requests))
	for i, q := range p.Requests {
		out[i] = q.Blinded()
	}
	return out
}

// Price returns what the tickets cost: their number times the key's sale
// price (its value and the issuer's fee).
func (p *Purchase) Price() *big.Int {
	return new(big.Int).Mul(big.NewInt(int64(len(p.Requests))), p.Key.Value.SalePrice())
}

func (p *purchase) public() Purchase {
	pay := p.payment
	pay.CumulativeAmount = new(big.Int).Set(pay.CumulativeAmount)
	return Purchase{ID: p.id, Issuer: p.issuer, Key: copyKey(p.key), Payment: pay, Requests: slices.Clone(p.reqs)}
}

// copyKey returns k with a price of its own, so that callers cannot change
// the wallet's.
func copyKey(k tickets.IssuerKey) tickets.IssuerKey {
	k.Value = k.Value.Copy()
	return k
}

// Begin records a purchase before the order is sent: the requests (their
// serials and blinding factors), the issuer key, the payment cheque, and a
// label saying where the order goes. It returns once the record is on
// disk. Finish the purchase with [Wallet.Finish], or give up on it with
// [Wallet.Abandon].
func (w *Wallet) Begin(issuer string, key tickets.IssuerKey, reqs []*tickets.TicketRequest, payment cheque.Signed) (PurchaseID, error) {
	switch {
	case len(reqs) == 0 || len(reqs) > tickets.MaxBatch:
		return PurchaseID{}, fmt.Errorf("wallet: purchase of %d tickets, want 1 to %d", len(reqs), tickets.MaxBatch)
	case len(issuer) > maxIssuerLabel:
		return PurchaseID{}, fmt.Errorf("wallet: issuer label of %d bytes, at most %d", len(issuer), maxIssuerLabel)
	case payment.CumulativeAmount == nil || payment.CumulativeAmount.Sign() < 0 || payment.CumulativeAmount.BitLen() > 256:
		return PurchaseID{}, errors.New("wallet: payment cheque without a valid cumulative amount")
	}
	for i, q := range reqs {
		if q == nil || !q.Key().Equal(key) {
			return PurchaseID{}, fmt.Errorf("wallet: request %d is not for the purchase's key", i)
		}
	}
	id := purchaseID(key.Epoch, reqs)
	p := &purchase{id: id, issuer: issuer, key: key, payment: payment, reqs: slices.Clone(reqs)}
	p.payment.CumulativeAmount = new(big.Int).Set(payment.CumulativeAmount)

	w.mu.Lock()
	defer w.mu.Unlock()
	if w.find(id) >= 0 {
		return PurchaseID{}, fmt.Errorf("wallet: purchase %s is already pending", id)
	}
	next := w.st.clone()
	if err := next.useKey(key); err != nil {
		return PurchaseID{}, err
	}
	next.pending = append(next.pending, p)
	if err := w.commit(next); err != nil {
		return PurchaseID{}, err
	}
	return id, nil
}

func (w *Wallet) find(id PurchaseID) int {
	return slices.IndexFunc(w.st.pending, func(p *purchase) bool { return p.id == id })
}

// Pending returns the pending purchases, oldest first.
func (w *Wallet) Pending() []Purchase {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]Purchase, len(w.st.pending))
	for i, p := range w.st.pending {
		out[i] = p.public()
	}
	return out
}

// Purchase returns the pending purchase id.
func (w *Wallet) Purchase(id PurchaseID) (Purchase, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	i := w.find(id)
	if i < 0 {
		return Purchase{}, false
	}
	return w.st.pending[i].public(), true
}

// Finish completes pending purchase id with the issuer's answer, one blind
// signature per ticket in order: it checks and unblinds every signature
// ([tickets.TicketRequest.Finish]), then in one write adds the tickets and
// removes the purchase, and returns the tickets.
//
// If any answer is not a valid signature under the purchase's key, Finish
// stores nothing, keeps the purchase pending (it is the evidence that the
// issuer was paid and answered wrongly), and returns an error wrapping
// [tickets.ErrBadIssuerAnswer].
func (w *Wallet) Finish(id PurchaseID, answers []bls.G1Affine) ([]tickets.Ticket, error) {
	p, ok := w.Purchase(id)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownPurchase, id)
	}
	if len(answers) != len(p.Requests) {
		return nil, fmt.Errorf("wallet: purchase %s: %w: %d signatures for %d tickets", id, tickets.ErrBadIssuerAnswer, len(answers), len(p.Requests))
	}
	ts := make([]tickets.Ticket, len(answers))
	for i, q := range p.Requests { // the expensive part, outside the lock
		var err error
		if ts[i], err = q.Finish(answers[i]); err != nil {
			return nil, fmt.Errorf("wallet: purchase %s, ticket %d: %w", id, i, err)
		}
	}

	w.mu.Lock()
	defer w.mu.Unlock()
	i := w.find(id)
	if i < 0 {
		return nil, fmt.Errorf("%w: %s (finished concurrently?)", ErrUnknownPurchase, id)
	}
	next := w.st.clone()
	next.pending = slices.Delete(next.pending, i, i+1)
	if _, err := next.addTickets(p.Key, ts); err != nil {
		return nil, err
	}
	if err := w.commit(next); err != nil {
		return nil, err
	}
	return ts, nil
}

// Abandon forgets pending purchase id: call it when the issuer refused the
// order for good, or will never answer it. The caller keeps whatever
// evidence it needs first ([Wallet.Purchase]).
func (w *Wallet) Abandon(id PurchaseID) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	i := w.find(id)
	if i < 0 {
		return fmt.Errorf("%w: %s", ErrUnknownPurchase, id)
	}
	next := w.st.clone()
	next.pending = slices.Delete(next.pending, i, i+1)
	return w.commit(next)
}

// --- expiry ------------------------------------------------------------------

// Expired is what [Wallet.DropExpired] and [Wallet.DropBefore] removed.
type Expired struct {
	Tickets int
	Packets uint64
	// Purchases are the pending purchases of expired key epochs: the
	// issuer no longer has their keys, so they can never be finished.
	Purchases []Purchase
}

// DropExpired removes the tickets and pending purchases of key epochs that
// keys reports expired ([tickets.ErrExpiredEpoch]): the issuer no longer
// redeems those tickets, so providers refuse them. Epochs keys does not
// know yet are kept. keys must be of the wallet's chain.
func (w *Wallet) DropExpired(keys *tickets.Keyring) (Expired, error) {
	if ch, ok := w.ChainID(); ok && keys.ChainID() != ch {
		return Expired{}, fmt.Errorf("%w: keyring of chain %d, wallet of chain %d", tickets.ErrWrongChain, keys.ChainID(), ch)
	}
	return w.drop(func(epoch uint64) bool {
		_, err := keys.Key(epoch)
		return errors.Is(err, tickets.ErrExpiredEpoch)
	})
}

// DropBefore removes the tickets and pending purchases of key epochs
// before oldest, the oldest epoch the issuer still honours.
func (w *Wallet) DropBefore(oldest uint64) (Expired, error) {
	return w.drop(func(epoch uint64) bool { return epoch < oldest })
}

func (w *Wallet) drop(expired func(epoch uint64) bool) (Expired, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out Expired
	next := w.st.clone()
	next.tickets = slices.DeleteFunc(next.tickets, func(t tickets.Ticket) bool {
		if !expired(t.KeyEpoch) {
			return false
		}
		out.Tickets++
		out.Packets += next.keys[t.KeyEpoch].Value.Packets
		return true
	})
	next.pending = slices.DeleteFunc(next.pending, func(p *purchase) bool {
		if !expired(p.key.Epoch) {
			return false
		}
		out.Purchases = append(out.Purchases, p.public())
		return true
	})
	if out.Tickets == 0 && len(out.Purchases) == 0 {
		return out, nil
	}
	if err := w.commit(next); err != nil {
		return Expired{}, err
	}
	return out, nil
}

func sortedEpochs(m map[uint64]tickets.IssuerKey) []uint64 {
	return slices.Sorted(maps.Keys(m))
}
