package mixer

import (
	"errors"
	"time"
)

// ErrFull is returned by [Scheduler.Push] when the scheduler already holds
// as many items as its capacity allows. The caller drops the item (and
// counts it as [QueueFull]).
var ErrFull = errors.New("mixer: scheduler full")

// Scheduler holds items until their release time: a min-heap keyed by
// release time, with ties broken by push order so that output is
// deterministic. It has a fixed capacity, since a relay must not queue
// without limit.
//
// A Scheduler reads no clock: the caller passes the current time to
// [Scheduler.PopReady]. Time may go backwards between calls (the wall
// clock was stepped, or the caller mixed clocks); nothing breaks, items
// simply stay until the time passed is at or after their release time
// again. Release times in the past are allowed too: such an item is
// returned by the next PopReady.
//
// The heap's backing array grows as needed up to the capacity and is
// reused afterwards, so in steady state Push and PopReady allocate
// nothing. Popped slots are zeroed, so the scheduler keeps no reference to
// an item it has returned.
//
// A Scheduler is not safe for concurrent use; the node guards it with a
// mutex shared with the timer goroutine that calls PopReady.
type Scheduler[T any] struct {
	heap []schedEntry[T]
	cap  int
	seq  uint64 // push counter; breaks ties between equal release times
}

type schedEntry[T any] struct {
	at   time.Time
	seq  uint64
	item T
}

// less orders entries by release time, then by push order. time.Time's
// Compare uses the monotonic clock reading when both times have one, so
// times taken from time.Now are compared immune to wall-clock steps.
func (a *schedEntry[T]) less(b *schedEntry[T]) bool {
	if c := a.at.Compare(b.at); c != 0 {
		return c < 0
	}
	return a.seq < b.seq
}

// NewScheduler returns an empty scheduler that holds at most capacity
// items. It panics if capacity is not positive: an unbounded or useless
// queue is a programming error.
func NewScheduler[T any](capacity int) *Scheduler[T] {
	if capacity <= 0 {
		panic("mixer: NewScheduler capacity must be positive")
	}
	return &Scheduler[T]{cap: capacity}
}

// Len returns the number of items waiting.
func (s *Scheduler[T]) Len() int { return len(s.heap) }

// Cap returns the maximum number of items the scheduler holds.
func (s *Scheduler[T]) Cap() int { return s.cap }

// Push adds item, to be released at releaseAt. It returns [ErrFull], and
// keeps nothing, if the scheduler is at capacity.
func (s *Scheduler[T]) Push(item T, releaseAt time.Time) error {
	if len(s.heap) >= s.cap {
		return ErrFull
	}
	s.heap = append(s.heap, schedEntry[T]{at: releaseAt, seq: s.seq, item: item})
	s.seq++
	s.up(len(s.heap) - 1)
	return nil
}

// Next returns the earliest release time of the items waiting, and false
// if there are none. The node arms its timer for this time.
func (s *Scheduler[T]) Next() (time.Time, bool) {
	if len(s.heap) == 0 {
		return time.Time{}, false
	}
	return s.heap[0].at, true
}

// PopReady removes every item whose release time is at or before now and
// appends them to dst in release order (ties in push order), returning
// the extended slice. Pass a reused slice (dst[:0]) to avoid allocating.
func (s *Scheduler[T]) PopReady(now time.Time, dst []T) []T {
	for len(s.heap) > 0 && s.heap[0].at.Compare(now) <= 0 {
		dst = append(dst, s.heap[0].item)
		s.pop()
	}
	return dst
}

// pop removes the root.
func (s *Scheduler[T]) pop() {
	n := len(s.heap) - 1
	s.heap[0] = s.heap[n]
	// Zero the vacated slot so the backing array does not keep the item
	// (typically a pooled packet buffer) alive.
	s.heap[n] = schedEntry[T]{}
	s.heap = s.heap[:n]
	if n > 0 {
		s.down(0)
	}
}

// up and down are the usual binary-heap sifts, written out rather than
// taken from container/heap, whose interface would box every entry.
func (s *Scheduler[T]) up(i int) {
	h := s.heap
	for i > 0 {
		p := (i - 1) / 2
		if !h[i].less(&h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (s *Scheduler[T]) down(i int) {
	h := s.heap
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		c := l
		if r := l + 1; r < n && h[r].less(&h[l]) {
			c = r
		}
		if !h[c].less(&h[i]) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}
