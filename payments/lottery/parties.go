package lottery

import (
	"bytes"
	"cmp"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/payments/cheque"
)

// Payer signs one payer's tickets. It holds, per payee, the commitment the
// payee last gave and the next nonce. Nonces rise across commitments: the
// Vault redeems a payer's winning tickets to a payee only in rising nonce
// order, which is its replay protection. It is safe for concurrent use.
// Its nonces are in memory: a payer that restarts must start above every
// nonce it used (persisting them is the caller's).
type Payer struct {
	domain   cheque.Domain
	key      *ecdsa.PrivateKey
	self     common.Address
	validFor time.Duration
	now      func() time.Time

	mu    sync.Mutex
	links map[common.Address]*payerLink
}

type payerLink struct {
	commitment common.Hash
	next       uint64
}

// NewPayer returns the payer of key; its tickets can be claimed for
// validFor after they are signed. A nil now is time.Now.
func NewPayer(d cheque.Domain, key *ecdsa.PrivateKey, validFor time.Duration, now func() time.Time) *Payer {
	if now == nil {
		now = time.Now
	}
	return &Payer{domain: d, key: key, self: crypto.PubkeyToAddress(key.PublicKey), validFor: validFor, now: now,
		links: map[common.Address]*payerLink{}}
}

// Commit records the commitment payee asks tickets to name from now on.
func (p *Payer) Commit(payee common.Address, c common.Hash) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if l, ok := p.links[payee]; ok {
		l.commitment = c
		return
	}
	p.links[payee] = &payerLink{commitment: c}
}

// Pay signs a ticket to payee of face value face worth expected wei on
// average. It fails if payee gave no commitment, or expected is not in
// (0, face].
func (p *Payer) Pay(payee common.Address, expected, face *big.Int) (Signed, error) {
	prob, ok := WinProbFor(expected, face)
	if !ok {
		return Signed{}, fmt.Errorf("%w: expected value %v for a face value of %v", ErrInvalidTicket, expected, face)
	}
	p.mu.Lock()
	l, ok := p.links[payee]
	if !ok {
		p.mu.Unlock()
		return Signed{}, fmt.Errorf("lottery: %s gave no commitment to pay against", payee)
	}
	nonce := l.next
	l.next++
	commitment := l.commitment
	p.mu.Unlock()
	return Sign(p.domain, Ticket{
		Payer: p.self, Payee: payee, FaceValue: face, WinProb: prob, Nonce: nonce, Commitment: commitment,
		ExpiresAt: uint64(p.now().Add(p.validFor).Unix()),
	}, p.key)
}

// Win is a winning ticket and the secret that claims it.
type Win struct {
	Ticket Signed
	Digest common.Hash
	Secret Secret
}

// PayeeStats count what a payee took and refused.
type PayeeStats struct {
	// Lost are wins that expired, or fell below a claimed nonce, unclaimed.
	Accepted, Won, Claimed, Lost uint64
	Refused                      map[string]uint64 // by reason: the error's text
	// ExpectedWei is the expected value of the tickets accepted; PendingWei
	// the face value of the wins not yet claimed.
	ExpectedWei, PendingWei *big.Int
}

// Payee takes one payee's tickets: it keeps a secret per payer, checks
// each ticket, and keeps the winners until they are claimed. It is safe
// for concurrent use.
type Payee struct {
	domain cheque.Domain
	self   common.Address
	now    func() time.Time
	rand   io.Reader
	window time.Duration

	mu      sync.Mutex
	secrets map[common.Address]*payeeSecrets
	wins    map[common.Hash]Win
	stats   PayeeStats
}

// payeeSecrets are one payer's secrets: the current one, and earlier ones
// not yet revealed by a claim (tickets signed before the payer heard of
// the new commitment may still arrive).
type payeeSecrets struct {
	current common.Hash
	byHash  map[common.Hash]Secret
	// accepted is one above the highest nonce taken: a payer's nonces
	// rise, so a nonce is never taken twice, under any commitment.
	accepted uint64
	// next is the least nonce the Vault still redeems: one above the
	// highest claimed.
	next uint64
}

// NewPayee returns the payee self, which takes only tickets it can still
// claim for window after it takes them. Secrets are drawn from rnd (nil:
// crypto/rand); a nil now is time.Now.
func NewPayee(d cheque.Domain, self common.Address, window time.Duration, rnd io.Reader, now func() time.Time) *Payee {
	if now == nil {
		now = time.Now
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	return &Payee{domain: d, self: self, now: now, rand: rnd, window: window, secrets: map[common.Address]*payeeSecrets{}, wins: map[common.Hash]Win{},
		stats: PayeeStats{Refused: map[string]uint64{}, ExpectedWei: new(big.Int), PendingWei: new(big.Int)}}
}

// Commitment returns the commitment payer's tickets must name now.
func (p *Payee) Commitment(payer common.Address) (common.Hash, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ps, err := p.payerLocked(payer)
	if err != nil {
		return common.Hash{}, err
	}
	return ps.current, nil
}

func (p *Payee) payerLocked(payer common.Address) (*payeeSecrets, error) {
	if ps, ok := p.secrets[payer]; ok {
		return ps, nil
	}
	ps := &payeeSecrets{byHash: map[common.Hash]Secret{}}
	if err := p.rotateLocked(ps); err != nil {
		return nil, err
	}
	p.secrets[payer] = ps
	return ps, nil
}

func (p *Payee) rotateLocked(ps *payeeSecrets) error {
	var s Secret
	if _, err := io.ReadFull(p.rand, s[:]); err != nil {
		return fmt.Errorf("lottery: drawing a secret: %w", err)
	}
	c := s.Commitment()
	ps.byHash[c] = s
	ps.current = c
	return nil
}

// Accept checks a ticket from a payer whose cover (Vault deposit plus
// stake) is cover, and reports its expected value and whether it won. A
// win is kept for [Payee.Wins], and the payer's commitment moves on: the
// claim will reveal the secret. Every refusal wraps one of the package's
// errors and is counted.
func (p *Payee) Accept(s Signed, cover *big.Int) (expected *big.Int, won bool, err error) {
	expected, w, err := p.AcceptWin(s, cover)
	return expected, w != nil, err
}

// AcceptWin is [Payee.Accept], returning the win itself (nil for a losing
// ticket), for a caller that stores wins.
func (p *Payee) AcceptWin(s Signed, cover *big.Int) (expected *big.Int, win *Win, err error) {
	defer func() {
		if err != nil {
			p.mu.Lock()
			p.stats.Refused[reason(err)]++
			p.mu.Unlock()
		}
	}()
	digest, err := Verify(p.domain, s)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case s.Payee != p.self:
		return nil, nil, fmt.Errorf("%w: %s, not %s", ErrWrongPayee, s.Payee, p.self)
	case uint64(p.now().Add(p.window).Unix()) > s.ExpiresAt:
		// A ticket that expires before its win could be claimed is worth nothing.
		return nil, nil, fmt.Errorf("%w: it must stay valid %s to be claimed", ErrExpired, p.window)
	case s.Nonce == math.MaxUint64:
		return nil, nil, fmt.Errorf("%w: the last nonce", ErrInvalidTicket)
	case cover == nil || s.FaceValue.Cmp(cover) > 0:
		return nil, nil, fmt.Errorf("%w: face value %v wei, cover %v", ErrUncovered, s.FaceValue, cover)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	ps, ok := p.secrets[s.Payer]
	var secret Secret
	if ok {
		secret, ok = ps.byHash[s.Commitment]
	}
	if !ok {
		return nil, nil, ErrUnknownSecret
	}
	if s.Nonce < max(ps.accepted, ps.next) {
		return nil, nil, fmt.Errorf("%w: nonce %d, want %d or more", ErrReplayed, s.Nonce, max(ps.accepted, ps.next))
	}
	ps.accepted = s.Nonce + 1
	expected = s.ExpectedValue()
	p.stats.Accepted++
	p.stats.ExpectedWei.Add(p.stats.ExpectedWei, expected)
	if !Wins(digest, s.WinProb, secret) {
		return expected, nil, nil
	}
	w := Win{Ticket: s, Digest: digest, Secret: secret}
	p.wins[digest] = w
	p.stats.Won++
	p.stats.PendingWei.Add(p.stats.PendingWei, s.FaceValue)
	if s.Commitment == ps.current {
		if err := p.rotateLocked(ps); err != nil {
			return expected, &w, err
		}
	}
	return expected, &w, nil
}

func reason(err error) string {
	for _, e := range []error{ErrInvalidSignature, ErrInvalidTicket, ErrExpired, ErrWrongPayee, ErrUnknownSecret, ErrReplayed, ErrUncovered} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return err.Error()
}

// Wins returns the winning tickets to claim, by payer and rising nonce:
// the order the Vault redeems them in. Their claim will reveal their
// secrets, so from now on no ticket naming their commitments is taken
// (the payer could tell which of them lose). Wins that can no longer be
// claimed, expired or below a nonce already claimed, are dropped.
func (p *Payee) Wins() []Win {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := uint64(p.now().Unix())
	out := make([]Win, 0, len(p.wins))
	for d, w := range p.wins {
		ps := p.secrets[w.Ticket.Payer]
		if now > w.Ticket.ExpiresAt || w.Ticket.Nonce < ps.next {
			delete(p.wins, d)
			p.stats.Lost++
			p.stats.PendingWei.Sub(p.stats.PendingWei, w.Ticket.FaceValue)
			continue
		}
		if w.Ticket.Commitment == ps.current {
			if err := p.rotateLocked(ps); err != nil {
				continue // keep the secret for now: the win waits for the next call
			}
		}
		delete(ps.byHash, w.Ticket.Commitment)
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b Win) int {
		if c := bytes.Compare(a.Ticket.Payer[:], b.Ticket.Payer[:]); c != 0 {
			return c
		}
		return cmp.Compare(a.Ticket.Nonce, b.Ticket.Nonce)
	})
	return out
}

// MarkClaimed records that the win of digest was paid on-chain: wins of
// the same payer at lower nonces can no longer be.
func (p *Payee) MarkClaimed(digest common.Hash) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if w, ok := p.removeWinLocked(digest, &p.stats.Claimed); ok {
		ps := p.secrets[w.Ticket.Payer]
		ps.next = max(ps.next, w.Ticket.Nonce+1)
	}
}

// Drop forgets the win of digest as lost: the Vault refused it.
func (p *Payee) Drop(digest common.Hash) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.removeWinLocked(digest, &p.stats.Lost)
}

// removeWinLocked removes the win of digest, counting it in count.
func (p *Payee) removeWinLocked(digest common.Hash, count *uint64) (Win, bool) {
	w, ok := p.wins[digest]
	if !ok {
		return Win{}, false
	}
	delete(p.wins, digest)
	*count++
	p.stats.PendingWei.Sub(p.stats.PendingWei, w.Ticket.FaceValue)
	return w, true
}

// Stats returns a copy of the counts.
func (p *Payee) Stats() PayeeStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.Refused = make(map[string]uint64, len(p.stats.Refused))
	for k, v := range p.stats.Refused {
		s.Refused[k] = v
	}
	s.ExpectedWei, s.PendingWei = new(big.Int).Set(p.stats.ExpectedWei), new(big.Int).Set(p.stats.PendingWei)
	return s
}

// PayerState is what a payee knows of one payer that must survive a
// restart: without it, a payee would take again tickets it took before,
// or, worse, take tickets under a commitment whose secret a claim has
// revealed (the payer could send only the losers).
type PayerState struct {
	Current common.Hash // the commitment tickets must name now
	// Secrets are the payer's unrevealed secrets, the current one's
	// included.
	Secrets []Secret
	// Accepted is one above the highest nonce taken, Next one above the
	// highest claimed.
	Accepted, Next uint64
}

// State returns what the payee knows of payer, and false if it knows
// nothing (no commitment was asked for).
func (p *Payee) State(payer common.Address) (PayerState, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ps, ok := p.secrets[payer]
	if !ok {
		return PayerState{}, false
	}
	st := PayerState{Current: ps.current, Accepted: ps.accepted, Next: ps.next}
	for _, sec := range ps.byHash {
		st.Secrets = append(st.Secrets, sec)
	}
	slices.SortFunc(st.Secrets, func(a, b Secret) int { return bytes.Compare(a[:], b[:]) })
	return st, true
}

// Restore sets what the payee knows of payer, as [Payee.State] returned
// it before a restart. The current commitment must be one of the secrets'.
func (p *Payee) Restore(payer common.Address, st PayerState) error {
	ps := &payeeSecrets{current: st.Current, byHash: map[common.Hash]Secret{}, accepted: st.Accepted, next: st.Next}
	for _, sec := range st.Secrets {
		ps.byHash[sec.Commitment()] = sec
	}
	if _, ok := ps.byHash[st.Current]; !ok {
		return fmt.Errorf("lottery: restoring %s: the current commitment has no secret", payer)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.secrets[payer] = ps
	return nil
}

// RestoreWin puts back a win not yet claimed, as [Payee.AcceptWin] or
// [Payee.Pending] returned it before a restart; its payer's state must be
// restored first. A win that no longer checks is refused.
func (p *Payee) RestoreWin(w Win) error {
	digest, err := Verify(p.domain, w.Ticket)
	if err != nil {
		return err
	}
	if digest != w.Digest || w.Secret.Commitment() != w.Ticket.Commitment || !Wins(digest, w.Ticket.WinProb, w.Secret) {
		return fmt.Errorf("%w: restored win %s", ErrBadReveal, w.Digest)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.secrets[w.Ticket.Payer]; !ok {
		return fmt.Errorf("lottery: restoring a win of %s before its payer", w.Ticket.Payer)
	}
	if _, ok := p.wins[digest]; ok {
		return nil
	}
	p.wins[digest] = w
	p.stats.PendingWei.Add(p.stats.PendingWei, w.Ticket.FaceValue)
	return nil
}

// Pending returns the wins not yet claimed (nor dropped), by digest,
// without retiring their commitments as [Payee.Wins] does.
func (p *Payee) Pending() []Win {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Win, 0, len(p.wins))
	for _, w := range p.wins {
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b Win) int { return bytes.Compare(a.Digest[:], b.Digest[:]) })
	return out
}
