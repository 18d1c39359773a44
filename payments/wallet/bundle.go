package wallet

import (
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/murmurnet/murmur/payments/tickets"
)

// Bundles: see the package documentation for the format.
const (
	// BundlePrefix starts every ticket bundle.
	BundlePrefix  = "murmur-tickets:"
	bundleVersion = 1
	// MaxBundle is the most tickets one bundle holds.
	MaxBundle = 4096

	bundleHead     = 1 + 8 + 2
	bundleCheck    = 4
	maxBundleBytes = bundleHead + MaxBundle*tickets.TicketSize + bundleCheck
)

// maxBundleText bounds the text DecodeBundle looks at.
var maxBundleText = len(BundlePrefix) + base64.RawURLEncoding.EncodedLen(maxBundleBytes)

// EncodeBundle returns the bundle of tickets ts of chain chainID (at most
// [MaxBundle]). Whoever holds the bundle can spend the tickets.
func EncodeBundle(chainID uint64, ts []tickets.Ticket) (string, error) {
	if len(ts) == 0 || len(ts) > MaxBundle {
		return "", fmt.Errorf("wallet: bundle of %d tickets, want 1 to %d", len(ts), MaxBundle)
	}
	b := make([]byte, 0, bundleHead+len(ts)*tickets.TicketSize+bundleCheck)
	b = append(b, bundleVersion)
	b = binary.BigEndian.AppendUint64(b, chainID)
	b = binary.BigEndian.AppendUint16(b, uint16(len(ts)))
	for i := range ts {
		t := ts[i].Bytes()
		b = append(b, t[:]...)
	}
	sum := sha256.Sum256(b)
	b = append(b, sum[:bundleCheck]...)
	return BundlePrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// DecodeBundle decodes a bundle (surrounding white space is ignored) into
// its chain ID and tickets. It checks the encoding of each ticket, not its
// signature. Errors wrap [ErrMalformedBundle].
func DecodeBundle(s string) (uint64, []tickets.Ticket, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, BundlePrefix) {
		return 0, nil, fmt.Errorf("%w: does not start with %q", ErrMalformedBundle, BundlePrefix)
	}
	s = s[len(BundlePrefix):]
	if len(s) > maxBundleText {
		return 0, nil, fmt.Errorf("%w: %d characters, a bundle has at most %d", ErrMalformedBundle, len(s), maxBundleText)
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: not base64url: %w", ErrMalformedBundle, err)
	}
	if len(b) < bundleHead+bundleCheck {
		return 0, nil, fmt.Errorf("%w: %d bytes, too short", ErrMalformedBundle, len(b))
	}
	body, check := b[:len(b)-bundleCheck], b[len(b)-bundleCheck:]
	if sum := sha256.Sum256(body); string(sum[:bundleCheck]) != string(check) {
		return 0, nil, fmt.Errorf("%w: checksum mismatch (truncated or altered in transit)", ErrMalformedBundle)
	}
	if body[0] != bundleVersion {
		return 0, nil, fmt.Errorf("%w: version %d, this program reads version %d", ErrMalformedBundle, body[0], bundleVersion)
	}
	chainID := binary.BigEndian.Uint64(body[1:9])
	n := int(binary.BigEndian.Uint16(body[9:11]))
	if n == 0 || n > MaxBundle || len(body) != bundleHead+n*tickets.TicketSize {
		return 0, nil, fmt.Errorf("%w: %d tickets in %d bytes", ErrMalformedBundle, n, len(body))
	}
	ts := make([]tickets.Ticket, n)
	seen := make(map[[8 + tickets.SerialSize]byte]int, n)
	for i := range ts {
		off := bundleHead + i*tickets.TicketSize
		if ts[i], err = tickets.DecodeTicket(body[off : off+tickets.TicketSize]); err != nil {
			return 0, nil, fmt.Errorf("%w: ticket %d: %w", ErrMalformedBundle, i, err)
		}
		if j, dup := seen[ts[i].ID()]; dup {
			return 0, nil, fmt.Errorf("%w: ticket %d repeats ticket %d", ErrMalformedBundle, i, j)
		}
		seen[ts[i].ID()] = i
	}
	return chainID, ts, nil
}

// Export removes n tickets from the wallet, as [Wallet.Take] does, and
// returns them as a bundle that another wallet can [Wallet.Import]: this is
// how a dApp that bought tickets hands them to its users. The tickets leave
// this wallet for good once Export returns; a bundle that is never
// imported is lost. Anyone who reads the bundle can spend its tickets.
func (w *Wallet) Export(n int) (string, error) {
	if n > MaxBundle {
		return "", fmt.Errorf("wallet: cannot export %d tickets in one bundle, at most %d", n, MaxBundle)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	_, bundle, err := w.take(n, EncodeBundle)
	return bundle, err
}

// Import adds the tickets of a bundle made by [Wallet.Export] (or
// [EncodeBundle]) and returns how many were new: tickets the wallet holds
// already are skipped, so importing a bundle twice adds nothing the second
// time.
//
// Every ticket is verified against keys, which must hold the issuer keys
// from the public source the client trusts (the chain), not keys that came
// with the bundle. Import is all or nothing: a malformed bundle fails with
// [ErrMalformedBundle], a bundle of another chain with
// [tickets.ErrWrongChain], and one holding a ticket that does not verify
// (forged, expired, unknown key epoch) with a *[tickets.BatchError] naming
// those tickets; then nothing is added.
func (w *Wallet) Import(bundle string, keys *tickets.Keyring) (int, error) {
	chainID, ts, err := DecodeBundle(bundle)
	if err != nil {
		return 0, err
	}
	if chainID != keys.ChainID() {
		return 0, fmt.Errorf("%w: bundle of chain %d, keyring of chain %d", tickets.ErrWrongChain, chainID, keys.ChainID())
	}
	if err := keys.VerifyBatch(rand.Reader, ts); err != nil {
		return 0, fmt.Errorf("wallet: bundle refused, nothing imported: %w", err)
	}
	slices.SortStableFunc(ts, func(a, b tickets.Ticket) int { return cmp.Compare(a.KeyEpoch, b.KeyEpoch) })

	w.mu.Lock()
	defer w.mu.Unlock()
	next := w.st.clone()
	added := 0
	for len(ts) > 0 {
		n := 1
		for n < len(ts) && ts[n].KeyEpoch == ts[0].KeyEpoch {
			n++
		}
		k, err := keys.Key(ts[0].KeyEpoch)
		if err != nil {
			return 0, fmt.Errorf("wallet: bundle refused, nothing imported: %w", err)
		}
		a, err := next.addTickets(k, ts[:n])
		if err != nil {
			return 0, fmt.Errorf("wallet: bundle refused, nothing imported: %w", err)
		}
		added += a
		ts = ts[n:]
	}
	if added == 0 {
		return 0, nil
	}
	if err := w.commit(next); err != nil {
		return 0, err
	}
	return added, nil
}
