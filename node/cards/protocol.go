package cards

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/internal/framing"
	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/node/wire"
)

// Providers says which peers are providers now.
type Providers interface {
	// ProviderKey returns p's node key if p is a provider of the current
	// (or the previous) epoch's topology.
	ProviderKey(p peer.ID) ([32]byte, bool)
}

// exchangeTimeout bounds one push or one sync.
const exchangeTimeout = 30 * time.Second

// Service runs Protocol at a provider: it takes the cards other providers
// push, serves its own users' cards to providers that sync, and pushes
// and syncs itself.
type Service struct {
	store *Store
	host  host.Host
	self  [32]byte
	peers Providers
	log   *slog.Logger

	taken, refused atomic.Uint64
}

// NewService serves store's cards on h for the provider with node key self.
func NewService(h host.Host, store *Store, self [32]byte, peers Providers, log *slog.Logger) *Service {
	return &Service{store: store, host: h, self: self, peers: peers, log: log}
}

// Stats are the cards other providers pushed or handed over that the
// service kept, and those it refused.
func (s *Service) Stats() (taken, refused uint64) { return s.taken.Load(), s.refused.Load() }

// Handle serves one stream of Protocol: requests until the peer closes it.
func (s *Service) Handle(st network.Stream) {
	defer st.Close()
	key, ok := s.peers.ProviderKey(st.Conn().RemotePeer())
	for {
		st.SetDeadline(time.Now().Add(exchangeTimeout))
		typ, body, err := framing.ReadMsg(st, card.EncodedSize)
		if err != nil {
			return
		}
		var status wire.Status
		switch {
		case !ok:
			status = wire.Status{Code: wire.CodeRejected, Reason: "not a provider of this epoch"}
		case typ == TypePush:
			status = s.take(key, body)
		case typ == TypeSync && len(body) == 0:
			err := s.store.Homed(s.self, func(c *card.Signed) error {
				b, err := c.MarshalBinary()
				if err != nil {
					return err
				}
				return framing.WriteMsg(st, TypeCard, b)
			})
			if err != nil {
				s.log.Debug("card sync", "err", err)
				return
			}
		default:
			status = wire.Status{Code: wire.CodeMalformed, Reason: fmt.Sprintf("unknown request type %d", typ)}
		}
		if err := framing.WriteMsg(st, wire.TypeStatus, wire.EncodeStatus(status)); err != nil {
			return
		}
	}
}

// take keeps a card pushed (or handed over) by the provider with node key
// from, which may only be its user's provider.
func (s *Service) take(from [32]byte, b []byte) wire.Status {
	var c card.Signed
	if err := c.UnmarshalBinary(b); err != nil {
		s.refused.Add(1)
		return wire.Status{Code: wire.CodeMalformed, Reason: err.Error()}
	}
	if c.Provider != from {
		s.refused.Add(1)
		return wire.Status{Code: wire.CodeRejected, Reason: "a provider hands over only the cards of its own users"}
	}
	switch err := s.store.Put(&c); {
	case errors.Is(err, ErrOlder):
		return wire.Status{} // already known: a repeat is no error
	case err != nil:
		s.refused.Add(1)
		return wire.Status{Code: wire.CodeRejected, Reason: err.Error()}
	}
	s.taken.Add(1)
	return wire.Status{}
}

// Push hands c, one of this provider's users' cards, to provider p.
func (s *Service) Push(ctx context.Context, p peer.ID, c *card.Signed) error {
	b, err := c.MarshalBinary()
	if err != nil {
		return err
	}
	return s.exchange(ctx, p, TypePush, b, nil)
}

// SyncFrom takes from provider p the cards of p's users, and returns how
// many were new here.
func (s *Service) SyncFrom(ctx context.Context, p peer.ID) (int, error) {
	key, ok := s.peers.ProviderKey(p)
	if !ok {
		return 0, errors.New("cards: not a provider of this epoch")
	}
	n := 0
	err := s.exchange(ctx, p, TypeSync, nil, func(b []byte) {
		before := s.taken.Load()
		if st := s.take(key, b); st.Code != wire.CodeOK {
			s.log.Debug("card from a sync refused", "reason", st.Reason)
		}
		if s.taken.Load() > before {
			n++
		}
	})
	return n, err
}

// exchange sends one request to p and reads its answer: cards (to each,
// for a sync) and a status.
func (s *Service) exchange(ctx context.Context, p peer.ID, typ framing.Type, body []byte, each func([]byte)) error {
	ctx, cancel := context.WithTimeout(ctx, exchangeTimeout)
	defer cancel()
	st, err := s.host.NewStream(ctx, p, Protocol)
	if err != nil {
		return fmt.Errorf("cards: %w", err)
	}
	defer st.Close()
	if d, ok := ctx.Deadline(); ok {
		st.SetDeadline(d)
	}
	if err := framing.WriteMsg(st, typ, body); err != nil {
		return fmt.Errorf("cards: %w", err)
	}
	for {
		rt, rb, err := framing.ReadMsg(st, card.EncodedSize+wire.MaxReason)
		if err != nil {
			return fmt.Errorf("cards: %w", err)
		}
		switch {
		case rt == TypeCard && each != nil:
			each(rb)
		case rt == wire.TypeStatus:
			status, err := wire.DecodeStatus(rb)
			if err != nil {
				return err
			}
			return status.Err()
		default:
			return fmt.Errorf("%w: answer of type %d", framing.ErrMalformed, rt)
		}
	}
}
