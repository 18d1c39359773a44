package node

import (
	"context"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/settlement"
)

// Settlement configures hop-by-hop payment between relays (package
// settlement).
type Settlement = settlement.Settlement

// ChequeProtocol carries hop-by-hop cheques between relays.
const ChequeProtocol = settlement.ChequeProtocol

// neighbours answers hop-by-hop settlement's questions about other relays
// from the relay's directory.
type neighbours struct{ n *Node }

// OperatorOf returns the operator of relay p in the previous, current or
// next topology: the epochs isRelay accepts streams from.
func (nb neighbours) OperatorOf(p peer.ID) (common.Address, [32]byte, bool) {
	n := nb.n
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

// PeerOf returns the peer of the relay of operator op in the current,
// previous or next topology.
func (nb neighbours) PeerOf(op common.Address) (peer.ID, bool) {
	n := nb.n
	e := n.cfg.Epochs.At(n.cfg.Now())
	for _, ep := range []uint64{e, e - 1, e + 1} {
		t, ok := n.dir.Topology(ep)
		if !ok {
			continue
		}
		for _, group := range append([][]pki.Node{t.Providers, t.Issuers}, t.Layers...) {
			for _, nd := range group {
				if nd.Operator == op {
					return nd.PeerID, true
				}
			}
		}
	}
	return "", false
}

// PerHopPrice is the price of handing the relay of key a packet of epoch e
// (pki.HopPrice): from its descriptor of e (or, until it has one, of the
// epoch before) and e's topology; zero without a descriptor.
func (nb neighbours) PerHopPrice(key [32]byte, e uint64) *big.Int {
	if v, ok := nb.announced(key, e); ok {
		return v
	}
	return new(big.Int)
}

// announced is the price the relay of key announces for a packet of epoch
// e, and false when the directory holds no descriptor of it for e or the
// epoch before.
func (nb neighbours) announced(key [32]byte, e uint64) (*big.Int, bool) {
	n := nb.n
	for _, ep := range []uint64{e, e - 1} {
		if d, ok := n.dir.Get(ep, key); ok {
			t, _ := n.dir.Topology(e)
			return pki.HopPrice(d, t), true
		}
	}
	return nil, false
}

// SelfPrice is what a neighbour owes us for a packet of epoch e: the
// price our descriptor announces, looked up as the neighbour does, or,
// before we have one, the price our configuration gives.
func (nb neighbours) SelfPrice(e uint64) *big.Int {
	n := nb.n
	if v, ok := nb.announced(n.nodeKey, e); ok {
		return v
	}
	t, _ := n.dir.Topology(e)
	if v, ok := n.cfg.HopPricesWei.At(t, n.nodeKey); ok {
		return new(big.Int).Set(v)
	}
	v, _ := new(big.Int).SetString(n.cfg.PerHopPriceWei, 10)
	return v
}

// SettleUp signs and delivers a cheque for everything owed to each
// neighbour beyond its last cheque, as a relay does before it exits.
func (n *Node) SettleUp(ctx context.Context) error { return n.settle.SettleUp(ctx) }
