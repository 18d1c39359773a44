package client

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/node/cards"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/sphinx"
)

// ErrNoCard: the provider asked keeps no valid card for the account.
var ErrNoCard = cards.ErrNotFound

// PublishCard publishes this client's contact card at its provider, which
// hands it to every other provider (package cards). The card must name
// this client's address ([Client.Address]); publishing costs
// one prepaid packet.
func (c *Client) PublishCard(ctx context.Context, s *card.Signed) error {
	if s.Provider != c.cfg.Provider.NodeKey || s.Mailbox != c.mailbox || s.SealKey != [32]byte(c.cfg.Key.PublicKey().Bytes()) {
		return errors.New("client: the card does not name this client's address (provider, mailbox, key)")
	}
	if c.cfg.ChainID != 0 {
		if err := s.Verify(c.cfg.ChainID, c.cfg.Now()); err != nil {
			return err
		}
	}
	b, err := s.MarshalBinary()
	if err != nil {
		return err
	}
	return c.sendPaid(ctx, wire.TypePublishCard, b)
}

// LookupCard finds the contact card of an Ethereum account. The question
// goes through the mixnet to a provider chosen at random, with a reply
// block for the answer: that provider learns that someone asked for the
// account, not who; this client's own provider learns nothing. A question
// or answer lost on the way is asked again, of a provider drawn again,
// after LookupRetry, until ctx ends. The card is verified (Config.ChainID,
// now, the account's signature) before it is returned. ErrNoCard if the
// provider asked has none; a card published moments ago may not have
// reached every provider yet.
func (c *Client) LookupCard(ctx context.Context, account common.Address) (*card.Signed, error) {
	if c.cfg.ChainID == 0 {
		return nil, errors.New("client: Config.ChainID is needed to verify cards")
	}
	for {
		s, err := c.lookupOnce(ctx, account)
		if !errors.Is(err, errNoAnswer) {
			return s, err
		}
		c.cfg.Logger.Debug("card lookup unanswered: asking again", "account", account.Hex())
	}
}

// LookupRetry is how long LookupCard waits for an answer before it asks
// again. A lookup's round trip is two trips through the mixnet (a
// message's p50 is 0.4 s in the devnet, docs/perf.md); asking again costs
// one packet, and an answer that comes late is dropped, so waiting long
// for a lost one costs more than asking twice.
const LookupRetry = 3 * time.Second

var errNoAnswer = errors.New("client: no answer to the card lookup")

// lookupOnce asks one provider once, and waits LookupRetry for the answer.
func (c *Client) lookupOnce(ctx context.Context, account common.Address) (*card.Signed, error) {
	if c.ctx.Err() != nil {
		return nil, ErrClosed
	}
	t, e, err := c.currentView(ctx)
	if err != nil {
		return nil, err
	}
	own, ok := c.dir.SphinxKey(e, c.cfg.Provider.NodeKey)
	if !ok {
		return nil, fmt.Errorf("client: no descriptor for this client's provider in epoch %d", e)
	}
	to, key, err := c.randomProvider(t, e)
	if err != nil {
		return nil, err
	}
	surb, id, err := c.newSURB(t, e, own)
	if err != nil {
		return nil, err
	}
	answer := make(chan []byte, 1)
	c.mu.Lock()
	c.lookups[id] = answer
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.lookups, id)
		delete(c.surbs, id)
		c.mu.Unlock()
	}()
	q, err := cards.EncodeLookup(account, surb)
	if err != nil {
		return nil, err
	}
	mixes, err := c.pickMixes(t, e)
	if err != nil {
		return nil, err
	}
	path := c.mixPath(own, mixes)
	path[len(path)-1].Command = sphinx.Relay{Next: to, Delay: c.delay()}
	path = append(path, sphinx.Hop{ID: to, PublicKey: key, Command: sphinx.Deliver{Mailbox: cards.LookupMailbox}})
	pkt, err := sphinx.NewPacket(crand.Reader, c.cfg.Geometry, path, q)
	if err != nil {
		return nil, err
	}
	outs, err := c.enqueue(ctx, wire.TypeSend, [][]byte{frameOf(e, pkt)})
	if err != nil {
		return nil, err
	}
	if err := c.await(ctx, outs); err != nil {
		return nil, err
	}
	giveUp := time.After(LookupRetry)
	for {
		if c.shaper == nil {
			// No background fetch without cover: ask for the answer here.
			if err := c.fetch(ctx); err != nil {
				return nil, err
			}
		}
		select {
		case b := <-answer:
			s, err := cards.DecodeAnswer(b)
			if err != nil {
				return nil, err
			}
			if s.Account != account {
				return nil, fmt.Errorf("client: asked for the card of %s, got %s's", account.Hex(), s.Account.Hex())
			}
			if err := s.Verify(c.cfg.ChainID, c.cfg.Now()); err != nil {
				return nil, err
			}
			return s, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-c.ctx.Done():
			return nil, ErrClosed
		case <-giveUp:
			return nil, errNoAnswer
		case <-time.After(c.cfg.PollInterval):
		}
	}
}
