package mixer

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// DefaultMaxPeers is the number of peers a [RateLimiter] tracks when
// [RateLimitConfig.MaxPeers] is zero.
const DefaultMaxPeers = 4096

// RateLimitConfig configures a [RateLimiter].
type RateLimitConfig struct {
	// Rate is the sustained number of packets per second allowed to each
	// peer. It must be positive.
	Rate float64
	// Burst is the number of packets a peer may send at once after being
	// idle: the size of its bucket. It must be at least 1.
	Burst int
	// MaxPeers bounds the number of peers tracked at once; 0 means
	// [DefaultMaxPeers].
	MaxPeers int
}

// RateLimiter is a token bucket per peer: each peer's bucket holds up to
// Burst tokens, refills at Rate tokens per second, and a packet is
// allowed if it can take a token. It reads no clock; the caller passes
// the time.
//
// Memory is bounded. A peer whose bucket has refilled to full is
// forgotten as the limiter goes (a fresh bucket starts full, so forgetting
// it changes nothing). When MaxPeers peers are tracked and a new one
// arrives, the least recently seen peer is forgotten; it then starts over
// with a full bucket, a small gift that a peer able to make new
// identities could take anyway.
//
// If time goes backwards, buckets are not refilled until it passes the
// latest time they saw again; tokens are never created by a clock step.
//
// A RateLimiter is safe for concurrent use.
type RateLimiter struct {
	rate  float64
	burst float64
	max   int

	mu    sync.Mutex
	peers map[string]*bucket
	lru   bucket  // sentinel of a circular list; lru.next is the most recently seen
	spare *bucket // a forgotten bucket kept for the next new peer, to save an allocation
}

type bucket struct {
	peer       string
	tokens     float64
	last       time.Time // when tokens was last brought up to date
	prev, next *bucket
}

// NewRateLimiter returns a limiter with no peers, or an error if cfg is
// invalid.
func NewRateLimiter(cfg RateLimitConfig) (*RateLimiter, error) {
	if !(cfg.Rate > 0) || math.IsInf(cfg.Rate, 0) {
		return nil, fmt.Errorf("mixer: rate limit: rate %v must be positive and finite", cfg.Rate)
	}
	if cfg.Burst < 1 {
		return nil, fmt.Errorf("mixer: rate limit: burst %d must be at least 1", cfg.Burst)
	}
	if cfg.MaxPeers < 0 {
		return nil, errors.New("mixer: rate limit: negative MaxPeers")
	}
	if cfg.MaxPeers == 0 {
		cfg.MaxPeers = DefaultMaxPeers
	}
	l := &RateLimiter{
		rate:  cfg.Rate,
		burst: float64(cfg.Burst),
		max:   cfg.MaxPeers,
		peers: make(map[string]*bucket),
	}
	l.lru.next, l.lru.prev = &l.lru, &l.lru
	return l, nil
}

// Allow reports whether peer may send one packet at time now, and if so
// takes a token from its bucket. It allocates only when it first sees a
// peer and the table has not reached MaxPeers.
func (l *RateLimiter) Allow(peer string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()

	// Forget up to two idle peers per call: more than the one that a call
	// can add, so the table shrinks back when traffic calms down.
	for range 2 {
		t := l.lru.prev
		// Skip the caller's own peer: it is about to be used again, and
		// forgetting it would only churn the map.
		if t == &l.lru || t.peer == peer || !l.refilled(t, now) {
			break
		}
		l.unlink(t)
		delete(l.peers, t.peer)
		l.spare = t
	}

	b := l.peers[peer]
	if b == nil {
		if len(l.peers) >= l.max {
			// Reuse the least recently seen peer's bucket for the new one.
			b = l.lru.prev
			l.unlink(b)
			delete(l.peers, b.peer)
		} else if l.spare != nil {
			b, l.spare = l.spare, nil
		} else {
			b = new(bucket)
		}
		*b = bucket{peer: peer, tokens: l.burst, last: now}
		l.peers[peer] = b
	} else {
		l.unlink(b)
		if d := now.Sub(b.last); d > 0 {
			b.tokens = min(l.burst, b.tokens+d.Seconds()*l.rate)
			b.last = now
		}
	}
	l.pushFront(b)

	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Len returns the number of peers tracked.
func (l *RateLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.peers)
}

// refilled reports whether b would be full at now.
func (l *RateLimiter) refilled(b *bucket, now time.Time) bool {
	d := now.Sub(b.last)
	return d > 0 && b.tokens+d.Seconds()*l.rate >= l.burst
}

func (l *RateLimiter) unlink(b *bucket) {
	b.prev.next, b.next.prev = b.next, b.prev
	b.prev, b.next = nil, nil
}

func (l *RateLimiter) pushFront(b *bucket) {
	b.prev, b.next = &l.lru, l.lru.next
	l.lru.next.prev = b
	l.lru.next = b
}
