package market

import (
	"context"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/internal/framing"
	"github.com/murmurnet/murmur/payments/tickets"
	"github.com/murmurnet/murmur/payments/wallet"
)

// SendOrder sends the order of pending purchase p and drops the answer:
// a client that crashed before storing it.
func SendOrder(ctx context.Context, h host.Host, issuer peer.ID, p wallet.Purchase) error {
	_, _, err := exchange(ctx, h, issuer, "purchase", typeBuy, encodeOrder(p.Key, p.Payment, p.Blinded()), maxSigs)
	return err
}

// RawRequest sends any request and returns the answer (a refusal as a
// *RefusalError).
func RawRequest(ctx context.Context, h host.Host, issuer peer.ID, t uint8, body []byte) (uint8, []byte, error) {
	rt, rb, err := exchange(ctx, h, issuer, "request", framing.Type(t), body, 1<<20)
	return uint8(rt), rb, err
}

// ServeFake answers orders on h with sign's signatures, or, if sign is
// nil, not at all until done is closed.
func ServeFake(h host.Host, done <-chan struct{}, sign func(tickets.SaleRequest) []bls.G1Affine) {
	h.SetStreamHandler(Protocol, func(s network.Stream) {
		defer s.Close()
		_, body, err := framing.ReadMsg(s, maxRequest)
		if err != nil {
			return
		}
		if sign == nil {
			<-done
			return
		}
		req, err := decodeOrder(body)
		if err != nil {
			return
		}
		_ = framing.WriteMsg(s, typeSigs, encodeSigs(sign(req)))
	})
}
