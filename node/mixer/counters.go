package mixer

import "sync/atomic"

// Reason says why a relay dropped a packet. Its [Reason.String] is the
// metric label.
type Reason uint8

// The reasons a relay drops a packet, roughly in pipeline order.
const (
	DecodeError        Reason = iota // the frame or packet could not be parsed
	InvalidMAC                       // the Sphinx header was not authentic for our key
	Replay                           // the replay tag was seen before
	UnknownEpoch                     // the frame named an epoch whose key we do not hold
	QueueFull                        // the delay queue was at capacity
	UnknownNextHop                   // the next hop is not in the epoch's topology
	Unauthorized                     // the peer may not send this (not a neighbour, not our client)
	RateLimited                      // the peer exceeded its rate
	MailboxFull                      // the recipient's mailbox was over quota
	Unpaid                           // the neighbour owes more than it may (hop-by-hop settlement)
	ClientUnpaid                     // a client had no prepaid packets left (providers)
	ReplayShare                      // the peer took its share of a filling replay table
	ReplayFull                       // the epoch's replay table was full
	NextHopUnreachable               // the next hop could not be dialled, or its stream broke

	numReasons // keep last
)

var reasonNames = [numReasons]string{
	DecodeError:        "decode_error",
	InvalidMAC:         "invalid_mac",
	Replay:             "replay",
	UnknownEpoch:       "unknown_epoch",
	QueueFull:          "queue_full",
	UnknownNextHop:     "unknown_next_hop",
	Unauthorized:       "unauthorized",
	RateLimited:        "rate_limited",
	MailboxFull:        "mailbox_full",
	Unpaid:             "unpaid",
	ClientUnpaid:       "client_unpaid",
	ReplayShare:        "replay_share",
	ReplayFull:         "replay_full",
	NextHopUnreachable: "next_hop_unreachable",
}

// String returns the reason's name in snake case, as used for metric
// labels, or "unknown" for a value that is not a declared reason.
func (r Reason) String() string {
	if r >= numReasons {
		return "unknown"
	}
	return reasonNames[r]
}

// Reasons returns every declared reason, in declaration order.
func Reasons() []Reason {
	rs := make([]Reason, numReasons)
	for i := range rs {
		rs[i] = Reason(i)
	}
	return rs
}

// Counters counts dropped packets by [Reason]. The zero value is ready to
// use, and every method is safe for concurrent use. Increments are single
// atomic adds, cheap enough for the packet path; they neither allocate nor
// format.
type Counters struct {
	n [numReasons]paddedCounter
}

// paddedCounter keeps each counter on its own cache line, so that workers
// dropping packets for different reasons do not contend on one line.
type paddedCounter struct {
	atomic.Uint64
	_ [56]byte
}

// Inc adds one to the counter of r. r must be a declared reason; any
// other value panics, as an out-of-range index does.
func (c *Counters) Inc(r Reason) { c.n[r].Add(1) }

// Add adds n to the counter of r, for a caller that drops a batch.
func (c *Counters) Add(r Reason, n uint64) { c.n[r].Add(n) }

// Get returns the counter of r.
func (c *Counters) Get(r Reason) uint64 { return c.n[r].Load() }

// Snapshot returns every counter, zeros included, keyed by
// [Reason.String]. The counters are read one by one, not atomically as a
// set, which is what a metrics scrape needs.
func (c *Counters) Snapshot() map[string]uint64 {
	m := make(map[string]uint64, numReasons)
	for i := range c.n {
		m[reasonNames[i]] = c.n[i].Load()
	}
	return m
}
