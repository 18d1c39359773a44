package settlement

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/lottery"
	"github.com/murmurnet/murmur/payments/settle"
)

// ChequeProtocol carries hop-by-hop cheques from the relay that sent packets
// to the relay that received them: one cheque per stream, answered with a
// status.
const ChequeProtocol = protocol.ID("/murmur/cheque/1")

// Settlement configures hop-by-hop payment between relays (docs/design.md
// §6.3): a relay pays each neighbour it hands packets to the per-hop price
// in that neighbour's descriptor, with a cumulative Vault cheque every
// ChequeEvery packets, and refuses neighbours that owe it too much.
type Settlement struct {
	// Domain is the Vault's EIP-712 domain (chain.Client.ChequeDomain).
	Domain cheque.Domain
	// Signer signs our cheques; its payer must be the relay's operator.
	Signer settle.Signer
	// Cover returns what backs a payer's cheques: vault deposit plus stake.
	Cover settle.Cover
	// ChequeEvery, RefuseAbove: see settle.Options; defaults 200 and 600.
	ChequeEvery, RefuseAbove uint64

	// Tickets signs the lottery tickets the relay pays its neighbours
	// with (ADR 0010): one ticket, worth exactly what is owed, where a
	// cheque would be. Nil pays by cheque. Neighbours' tickets and
	// cheques are taken either way.
	Tickets settle.TicketSigner
	// Face returns the face value of the next ticket, from the gas price
	// (econ.FaceValueWei); required with Tickets. It is capped at a
	// quarter of the relay's own cover, so that a payee holding a few of
	// its unclaimed wins still takes the next.
	Face func(ctx context.Context) (*big.Int, error)
	// ClaimWindow, TicketValidFor: see settle.Options.
	ClaimWindow, TicketValidFor time.Duration
}

// Neighbours is what hop-by-hop settlement asks the relay's directory.
type Neighbours interface {
	// OperatorOf returns the operator and node key of relay p, if p is a
	// relay of the topologies the relay takes packets from.
	OperatorOf(p peer.ID) (operator common.Address, nodeKey [32]byte, ok bool)
	// PerHopPrice returns the price, in wei, of handing the relay of
	// nodeKey a packet of epoch e, as that relay announces it; zero when
	// it announces none.
	PerHopPrice(nodeKey [32]byte, e uint64) *big.Int
	// SelfPrice returns what a neighbour owes us for a packet of epoch e:
	// the price we announce, computed as our neighbours compute it.
	SelfPrice(e uint64) *big.Int
	// PeerOf returns the peer of the relay of operator op, if it is in a
	// topology the relay knows.
	PeerOf(op common.Address) (peer.ID, bool)
}

// HopByHopOptions is the relay's side of hop-by-hop settlement.
type HopByHopOptions struct {
	// Self is the relay's operator: the payee of the cheques it takes and
	// the payer of those it signs.
	Self common.Address
	// Dir is the directory of the ledger's database.
	Dir        string
	Neighbours Neighbours
	Now        func() time.Time
	Logger     *slog.Logger
	// NoCheques makes the relay sign no cheques (a fault, for tests).
	NoCheques bool
}

// HopByHop is a relay's running hop-by-hop accounting: a ledger of what
// each neighbour owes it and what it owes each neighbour, and the
// routines that sign and deliver its cheques. A nil *HopByHop settles
// nothing.
type HopByHop struct {
	cfg    Settlement
	opt    HopByHopOptions
	ledger *settle.Ledger
	log    *slog.Logger

	host   host.Host // set by Start
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu    sync.Mutex
	queue map[common.Address]chan struct{} // per payee: a cheque is due
	peers map[common.Address]peer.ID       // per payee: where to deliver its cheques
	debts map[common.Address]*settle.Debt
	// acked says, per payee, that it answered our last ticket; until it
	// does (and after a restart), the ticket is delivered again first.
	acked map[common.Address]bool
	// ownCover is our cover as last looked up, at ownCoverAt.
	ownCover   *big.Int
	ownCoverAt time.Time
}

// OpenHopByHop opens the relay's ledger in opt.Dir.
func OpenHopByHop(cfg Settlement, opt HopByHopOptions) (*HopByHop, error) {
	if cfg.Signer == nil || cfg.Cover == nil {
		return nil, errors.New("settlement: hop by hop needs Signer and Cover")
	}
	if cfg.Tickets != nil && cfg.Face == nil {
		return nil, errors.New("settlement: paying by ticket needs a Face value")
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	l, err := settle.Open(opt.Dir, settle.Options{
		Self: opt.Self, Domain: cfg.Domain, Signer: cfg.Signer, Cover: cfg.Cover,
		ChequeEvery: cfg.ChequeEvery, RefuseAbove: cfg.RefuseAbove, Now: opt.Now, Logger: opt.Logger,
		Tickets: cfg.Tickets, ClaimWindow: cfg.ClaimWindow, TicketValidFor: cfg.TicketValidFor,
	})
	if err != nil {
		return nil, fmt.Errorf("settlement: ledger: %w", err)
	}
	h := &HopByHop{cfg: cfg, opt: opt, ledger: l, log: opt.Logger,
		queue: map[common.Address]chan struct{}{}, peers: map[common.Address]peer.ID{}, debts: map[common.Address]*settle.Debt{},
		acked: map[common.Address]bool{}}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	return h, nil
}

// Ledger is the relay's hop-by-hop ledger: its accounts, and a
// [settle.Holder] for the cashing loop.
func (h *HopByHop) Ledger() *settle.Ledger { return h.ledger }

// Start takes neighbours' cheques on hst, and delivers the relay's
// through it, until ctx ends or Close.
func (h *HopByHop) Start(ctx context.Context, hst host.Host) {
	h.mu.Lock()
	h.cancel()
	h.ctx, h.cancel = context.WithCancel(ctx)
	h.host = hst
	h.mu.Unlock()
	hst.SetStreamHandler(ChequeProtocol, h.handleCheque)
}

// Close stops the cheque routines and closes the ledger.
func (h *HopByHop) Close() error {
	h.mu.Lock()
	h.cancel()
	h.mu.Unlock()
	h.wg.Wait()
	return h.ledger.Close()
}

// Credit returns the account of inbound neighbour p, pricing the packets
// it counts from now on as packets of epoch e, or nil when p is not a
// relay we know. Call it again when the packets' epoch changes: both ends
// of a link price each packet by its own epoch, and a stream carries them
// in the order they were counted, so their books agree to the wei.
func (h *HopByHop) Credit(p peer.ID, e uint64) *settle.Credit {
	if h == nil {
		return nil
	}
	op, _, ok := h.opt.Neighbours.OperatorOf(p)
	if !ok {
		return nil
	}
	c, err := h.ledger.In(op, h.opt.Neighbours.SelfPrice(e))
	if err != nil {
		h.log.Warn("settlement: inbound account", "peer", p, "err", err)
		return nil
	}
	return c
}

// Debt returns what we owe outbound neighbour p, pricing the packets it
// counts from now on at p's price for packets of epoch e, or nil when p
// is not a relay we know.
func (h *HopByHop) Debt(p peer.ID, e uint64) *settle.Debt {
	if h == nil {
		return nil
	}
	op, key, ok := h.opt.Neighbours.OperatorOf(p)
	if !ok {
		return nil
	}
	d, err := h.ledger.Out(op, h.opt.Neighbours.PerHopPrice(key, e))
	if err != nil {
		h.log.Warn("settlement: outbound account", "peer", p, "err", err)
		return nil
	}
	h.mu.Lock()
	h.peers[op], h.debts[op] = p, d
	h.mu.Unlock()
	return d
}

// SettleUp signs and delivers a cheque for everything owed to each
// neighbour beyond its last cheque, as a relay does before it exits:
// every neighbour the ledger owes, including those owed since before a
// restart that this run has not sent a packet to.
func (h *HopByHop) SettleUp(ctx context.Context) error {
	if h == nil || h.opt.NoCheques {
		return nil
	}
	h.mu.Lock()
	peers, debts := make(map[common.Address]peer.ID), make(map[common.Address]*settle.Debt)
	for op, p := range h.peers {
		peers[op], debts[op] = p, h.debts[op]
	}
	h.mu.Unlock()
	var errs []error
	for _, li := range h.ledger.Debts() {
		if _, ok := debts[li.Payee]; ok || li.Unbilled.Sign() == 0 {
			continue
		}
		p, ok := h.opt.Neighbours.PeerOf(li.Payee)
		if !ok {
			errs = append(errs, fmt.Errorf("settling with %s: owed %s wei, but it is in no topology we know", li.Payee, li.Unbilled))
			continue
		}
		d, err := h.ledger.Payee(li.Payee)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		peers[li.Payee], debts[li.Payee] = p, d
	}
	for op, d := range debts {
		if err := h.pay(ctx, peers[op], d); err != nil {
			errs = append(errs, fmt.Errorf("settling with %s: %w", op, err))
		}
	}
	return errors.Join(errs...)
}

// ChequeDue wakes the cheque writer of neighbour p; off the packet path.
func (h *HopByHop) ChequeDue(p peer.ID, d *settle.Debt) {
	if h.opt.NoCheques {
		return
	}
	h.mu.Lock()
	q, ok := h.queue[d.Payee()]
	if !ok {
		q = make(chan struct{}, 1)
		h.queue[d.Payee()] = q
		h.wg.Add(1)
		go func() { defer h.wg.Done(); h.routineCheques(p, d, q) }()
	}
	h.mu.Unlock()
	select {
	case q <- struct{}{}:
	default: // a cheque is being sent; it will be cumulative
	}
}

// routineCheques signs and delivers the cheques we owe one neighbour.
func (h *HopByHop) routineCheques(p peer.ID, d *settle.Debt, q chan struct{}) {
	h.mu.Lock()
	ctx := h.ctx
	h.mu.Unlock()
	for {
		select {
		case <-ctx.Done():
			return
		case <-q:
		}
		if err := h.pay(ctx, p, d); err != nil {
			// The next payment covers this one's packets: a cheque is
			// cumulative, and an unanswered ticket is delivered again.
			h.log.Debug("settlement: payment not delivered", "peer", p, "err", err)
		}
	}
}

// pay pays neighbour p what d says we owe it: with a cheque, or with a
// lottery ticket after our last one is answered.
func (h *HopByHop) pay(ctx context.Context, p peer.ID, d *settle.Debt) error {
	if h.cfg.Tickets == nil {
		s, err := d.Cheque()
		if errors.Is(err, settle.ErrNothingOwed) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("signing a cheque: %w", err)
		}
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		_, err = h.exchange(ctx, p, wire.TypeCheque, b)
		return err
	}
	if !d.Committed() {
		c, err := h.exchange(ctx, p, wire.TypeCommit, nil)
		if err != nil {
			return fmt.Errorf("asking for a commitment: %w", err)
		}
		d.Commit(c)
	}
	op := d.Payee()
	h.mu.Lock()
	acked := h.acked[op]
	h.mu.Unlock()
	if !acked {
		if s, ok := d.LatestTicket(); ok {
			if err := h.sendTicket(ctx, p, d, s); err != nil && !refused(err) {
				return err
			}
		}
		h.setAcked(op, true)
	}
	face, err := h.face(ctx)
	if err != nil {
		return fmt.Errorf("ticket face value: %w", err)
	}
	s, err := d.Ticket(face)
	if errors.Is(err, settle.ErrNothingOwed) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("signing a ticket: %w", err)
	}
	h.setAcked(op, false)
	err = h.sendTicket(ctx, p, d, s)
	if err == nil || refused(err) {
		// A refused ticket is not sent again: the payee has judged it.
		h.setAcked(op, true)
	}
	return err
}

func (h *HopByHop) setAcked(op common.Address, v bool) {
	h.mu.Lock()
	h.acked[op] = v
	h.mu.Unlock()
}

// face is the configured face value, capped at a quarter of our cover.
func (h *HopByHop) face(ctx context.Context) (*big.Int, error) {
	f, err := h.cfg.Face(ctx)
	if err != nil {
		return nil, err
	}
	// Our cover is looked up at most once a minute, as payees look up
	// ours (settle.DefaultCoverTTL): a ticket every few hundred packets
	// must not cost the chain endpoint two calls each.
	h.mu.Lock()
	cover, at := h.ownCover, h.ownCoverAt
	h.mu.Unlock()
	if cover == nil || h.opt.Now().Sub(at) >= settle.DefaultCoverTTL {
		fresh, err := h.cfg.Cover.Cover(ctx, h.opt.Self)
		switch {
		case err == nil:
			cover = new(big.Int).Set(fresh)
			h.mu.Lock()
			h.ownCover, h.ownCoverAt = cover, h.opt.Now()
			h.mu.Unlock()
		case cover == nil:
			return nil, fmt.Errorf("our own cover: %w", err)
		}
		// Otherwise the chain is down: deposits leave only after a
		// notice, so the last value is a fair bound, as it is for payees.
	}
	cover = new(big.Int).Set(cover)
	if q := new(big.Int).Rsh(cover, 2); f.Cmp(q) > 0 {
		f = q
	}
	return f, nil
}

// sendTicket delivers s and takes the payee's next commitment.
func (h *HopByHop) sendTicket(ctx context.Context, p peer.ID, d *settle.Debt, s lottery.Signed) error {
	b, err := s.MarshalBinary()
	if err != nil {
		return err
	}
	c, err := h.exchange(ctx, p, wire.TypeTicket, b)
	if c != (common.Hash{}) {
		d.Commit(c)
	}
	return err
}

// refused reports whether err is the payee's answer, not a failure to
// reach it.
func refused(err error) bool {
	var se *wire.StatusError
	return errors.As(err, &se)
}

// exchange sends one payment message to p and reads the answer: a
// status (a refusal is a *wire.StatusError) and, for tickets and
// commitment requests, the payee's current commitment.
func (h *HopByHop) exchange(ctx context.Context, p peer.ID, typ wire.Type, body []byte) (common.Hash, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	h.mu.Lock()
	hst := h.host
	h.mu.Unlock()
	if hst == nil {
		return common.Hash{}, errors.New("settlement: not started")
	}
	st, err := hst.NewStream(ctx, p, ChequeProtocol)
	if err != nil {
		return common.Hash{}, err
	}
	defer st.Close()
	if dl, ok := ctx.Deadline(); ok {
		st.SetDeadline(dl)
	}
	if err := wire.WriteMsg(st, typ, body); err != nil {
		return common.Hash{}, err
	}
	rt, rb, err := wire.ReadMsg(st, 1024)
	if err != nil {
		return common.Hash{}, err
	}
	if rt != wire.TypeStatus {
		return common.Hash{}, fmt.Errorf("settlement: payment answered with type %d", rt)
	}
	status, err := wire.DecodeStatus(rb)
	if err != nil {
		return common.Hash{}, err
	}
	var c common.Hash
	if typ != wire.TypeCheque && status.Code != wire.CodeMalformed {
		ct, cb, err := wire.ReadMsg(st, 64)
		if err == nil && ct == wire.TypeCommitment && len(cb) == common.HashLength {
			c = common.BytesToHash(cb)
		}
	}
	return c, status.Err()
}

// handleCheque takes a cheque from a neighbour that sent us packets.
func (h *HopByHop) handleCheque(st network.Stream) {
	defer st.Close()
	st.SetDeadline(time.Now().Add(10 * time.Second))
	from := st.Conn().RemotePeer()
	typ, body, err := wire.ReadMsg(st, 4096)
	if err != nil {
		return
	}
	status := wire.Status{Code: wire.CodeOK}
	var s cheque.Signed
	var t lottery.Signed
	var credit *settle.Credit
	if op, _, ok := h.opt.Neighbours.OperatorOf(from); ok {
		credit, _ = h.ledger.Payer(op)
	}
	h.mu.Lock()
	parent := h.ctx
	h.mu.Unlock()
	ctx, cancel := context.WithTimeout(parent, 10*time.Second)
	defer cancel()
	refuse := func(err error) {
		status = wire.Status{Code: wire.CodeRejected, Reason: err.Error()}
		h.log.Debug("settlement: payment refused", "peer", from, "err", err)
	}
	switch {
	case typ != wire.TypeCheque && typ != wire.TypeTicket && typ != wire.TypeCommit:
		status = wire.Status{Code: wire.CodeMalformed, Reason: fmt.Sprintf("expected a cheque, a ticket or a commitment request, got type %d", typ)}
	case typ == wire.TypeCheque && (json.Unmarshal(body, &s) != nil || s.CumulativeAmount == nil):
		status = wire.Status{Code: wire.CodeMalformed, Reason: "cheque does not decode"}
	case typ == wire.TypeTicket && t.UnmarshalBinary(body) != nil:
		status = wire.Status{Code: wire.CodeMalformed, Reason: "ticket does not decode"}
	case credit == nil:
		status = wire.Status{Code: wire.CodeRejected, Reason: "not a relay of the current topology"}
	case typ == wire.TypeCheque:
		if err := credit.Accept(ctx, s); err != nil {
			refuse(err)
		}
	case typ == wire.TypeTicket:
		if err := credit.AcceptTicket(ctx, t); err != nil {
			refuse(err)
		}
	}
	if err := wire.WriteMsg(st, wire.TypeStatus, wire.EncodeStatus(status)); err != nil || typ == wire.TypeCheque || credit == nil || status.Code == wire.CodeMalformed {
		return
	}
	if c, err := credit.Commitment(); err == nil {
		_ = wire.WriteMsg(st, wire.TypeCommitment, c[:])
	}
}
