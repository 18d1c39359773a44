package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/settle"
)

// ChequeProtocol carries hop-by-hop cheques from the relay that sent packets
// to the relay that received them: one cheque per stream, answered with a
// status.
const ChequeProtocol = protocol.ID("/murmur/cheque/1")

// Settlement configures hop-by-hop payment between relays (DESIGN §6.3):
// a relay pays each neighbour it hands packets to the per-hop price in that
// neighbour's descriptor, with a cumulative Vault cheque every ChequeEvery
// packets, and refuses neighbours that owe it too much.
type Settlement struct {
	// Domain is the Vault's EIP-712 domain (chain.Client.ChequeDomain).
	Domain cheque.Domain
	// Signer signs our cheques; its payer must be Config.Operator.
	Signer settle.Signer
	// Cover returns what backs a payer's cheques: vault deposit plus stake.
	Cover settle.Cover
	// ChequeEvery, RefuseAbove: see settle.Options; defaults 200 and 600.
	ChequeEvery, RefuseAbove uint64
}

// settlement is a relay's running hop-by-hop accounting.
type settlement struct {
	cfg    Settlement
	ledger *settle.Ledger
	price  *big.Int // our own per-hop price

	mu    sync.Mutex
	queue map[common.Address]chan struct{} // per payee: a cheque is due
	peers map[common.Address]peer.ID       // per payee: where to deliver its cheques
	debts map[common.Address]*settle.Debt
}

func openSettlement(n *Node) (*settlement, error) {
	cfg := *n.cfg.Settlement
	if cfg.Signer == nil || cfg.Cover == nil {
		return nil, errors.New("node: settlement needs Signer and Cover")
	}
	price, ok := new(big.Int).SetString(n.cfg.PerHopPriceWei, 10)
	if !ok || price.Sign() < 0 {
		return nil, fmt.Errorf("node: per-hop price %q is not a wei amount", n.cfg.PerHopPriceWei)
	}
	l, err := settle.Open(filepath.Join(n.cfg.DataDir, "settlement"), settle.Options{
		Self: n.cfg.Operator, Domain: cfg.Domain, Signer: cfg.Signer, Cover: cfg.Cover,
		ChequeEvery: cfg.ChequeEvery, RefuseAbove: cfg.RefuseAbove, Now: n.cfg.Now, Logger: n.log,
	})
	if err != nil {
		return nil, fmt.Errorf("node: settlement ledger: %w", err)
	}
	return &settlement{cfg: cfg, ledger: l, price: price, queue: map[common.Address]chan struct{}{},
		peers: map[common.Address]peer.ID{}, debts: map[common.Address]*settle.Debt{}}, nil
}

// operatorOf returns the operator of relay p in the previous, current or
// next topology: the epochs isRelay accepts streams from.
func (n *Node) operatorOf(p peer.ID) (common.Address, [32]byte, bool) {
	key, ok := identity.NodeKeyOf(p)
	if !ok {
		return common.Address{}, [32]byte{}, false
	}
	e := n.cfg.Epochs.At(n.cfg.Now())
	for _, ep := range []uint64{e, e - 1, e + 1} {
		t, ok := n.dir.Topology(ep)
		if !ok {
			continue
		}
		if nd, ok := t.Node(key); ok {
			return nd.Operator, nd.NodeKey, true
		}
	}
	return common.Address{}, [32]byte{}, false
}

// creditOf returns the account of inbound neighbour p, or nil when settlement
// is off or p is not a relay we know.
func (n *Node) creditOf(p peer.ID) *settle.Credit {
	if n.settle == nil {
		return nil
	}
	op, _, ok := n.operatorOf(p)
	if !ok {
		return nil
	}
	c, err := n.settle.ledger.In(op, n.settle.price)
	if err != nil {
		n.log.Warn("settlement: inbound account", "peer", p, "err", err)
		return nil
	}
	return c
}

// debtOf returns what we owe outbound neighbour p, at the price its
// descriptor of the current epoch announces, or nil when settlement is off.
func (n *Node) debtOf(p peer.ID) *settle.Debt {
	if n.settle == nil {
		return nil
	}
	op, key, ok := n.operatorOf(p)
	if !ok {
		return nil
	}
	price := new(big.Int)
	e := n.cfg.Epochs.At(n.cfg.Now())
	for _, ep := range []uint64{e, e - 1} {
		if d, ok := n.dir.Get(ep, key); ok {
			if v, ok := new(big.Int).SetString(d.PerHopPriceWei, 10); ok && v.Sign() >= 0 {
				price = v
			}
			break
		}
	}
	d, err := n.settle.ledger.Out(op, price)
	if err != nil {
		n.log.Warn("settlement: outbound account", "peer", p, "err", err)
		return nil
	}
	n.settle.mu.Lock()
	n.settle.peers[op], n.settle.debts[op] = p, d
	n.settle.mu.Unlock()
	return d
}

// SettleUp signs and delivers a cheque for everything owed to each
// neighbour beyond its last cheque, as a relay does before it exits.
func (n *Node) SettleUp(ctx context.Context) error {
	if n.settle == nil || n.cfg.Faults.NoCheques {
		return nil
	}
	n.settle.mu.Lock()
	peers, debts := make(map[common.Address]peer.ID), make(map[common.Address]*settle.Debt)
	for op, p := range n.settle.peers {
		peers[op], debts[op] = p, n.settle.debts[op]
	}
	n.settle.mu.Unlock()
	var errs []error
	for op, d := range debts {
		s, err := d.Cheque()
		if errors.Is(err, settle.ErrNothingOwed) {
			continue
		}
		if err == nil {
			err = n.deliverCheque(ctx, peers[op], s)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("settling with %s: %w", op, err))
		}
	}
	return errors.Join(errs...)
}

// chequeDue wakes the cheque writer of neighbour p; off the packet path.
func (n *Node) chequeDue(p peer.ID, d *settle.Debt) {
	if n.cfg.Faults.NoCheques {
		return
	}
	s := n.settle
	s.mu.Lock()
	q, ok := s.queue[d.Payee()]
	if !ok {
		q = make(chan struct{}, 1)
		s.queue[d.Payee()] = q
		n.spawn(func() { n.routineCheques(p, d, q) })
	}
	s.mu.Unlock()
	select {
	case q <- struct{}{}:
	default: // a cheque is being sent; it will be cumulative
	}
}

// routineCheques signs and delivers the cheques we owe one neighbour.
func (n *Node) routineCheques(p peer.ID, d *settle.Debt, q chan struct{}) {
	for {
		select {
		case <-n.ctx.Done():
			return
		case <-q:
		}
		s, err := d.Cheque()
		if errors.Is(err, settle.ErrNothingOwed) {
			continue
		}
		if err != nil {
			n.log.Warn("settlement: signing a cheque", "payee", d.Payee(), "err", err)
			continue
		}
		if err := n.deliverCheque(n.ctx, p, s); err != nil {
			// The next cheque is cumulative: it pays for this one's packets too.
			n.log.Debug("settlement: cheque not delivered", "peer", p, "err", err)
		}
	}
}

func (n *Node) deliverCheque(ctx context.Context, p peer.ID, s cheque.Signed) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	st, err := n.host.NewStream(ctx, p, ChequeProtocol)
	if err != nil {
		return err
	}
	defer st.Close()
	if dl, ok := ctx.Deadline(); ok {
		st.SetDeadline(dl)
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := wire.WriteMsg(st, wire.TypeCheque, b); err != nil {
		return err
	}
	typ, body, err := wire.ReadMsg(st, 1024)
	if err != nil {
		return err
	}
	if typ != wire.TypeStatus {
		return fmt.Errorf("node: cheque answered with type %d", typ)
	}
	status, err := wire.DecodeStatus(body)
	if err != nil {
		return err
	}
	return status.Err()
}

// handleCheque takes a cheque from a neighbour that sent us packets.
func (n *Node) handleCheque(st network.Stream) {
	defer st.Close()
	st.SetDeadline(time.Now().Add(10 * time.Second))
	from := st.Conn().RemotePeer()
	typ, body, err := wire.ReadMsg(st, 4096)
	if err != nil {
		return
	}
	status := wire.Status{Code: wire.CodeOK}
	var s cheque.Signed
	credit := n.creditOf(from)
	switch {
	case typ != wire.TypeCheque:
		status = wire.Status{Code: wire.CodeMalformed, Reason: fmt.Sprintf("expected a cheque, got type %d", typ)}
	case json.Unmarshal(body, &s) != nil || s.CumulativeAmount == nil:
		status = wire.Status{Code: wire.CodeMalformed, Reason: "cheque does not decode"}
	case credit == nil:
		status = wire.Status{Code: wire.CodeRejected, Reason: "not a relay of the current topology"}
	default:
		ctx, cancel := context.WithTimeout(n.ctx, 10*time.Second)
		err := credit.Accept(ctx, s)
		cancel()
		if err != nil {
			status = wire.Status{Code: wire.CodeRejected, Reason: err.Error()}
			n.log.Debug("settlement: cheque refused", "peer", from, "err", err)
		}
	}
	n.respond(st, status)
}
