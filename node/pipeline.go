package node

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/node/cards"
	"github.com/murmurnet/murmur/node/mailbox"
	"github.com/murmurnet/murmur/node/mixer"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/payments/settle"
	"github.com/murmurnet/murmur/sphinx"
)

// stats counts what the relay did with packets that were not dropped.
type stats struct {
	received  atomic.Uint64 // frames read
	forwarded atomic.Uint64 // handed to a next hop
	delivered atomic.Uint64 // stored in a mailbox
	dropped   atomic.Uint64 // cover drops that ended here
}

// Stats is a snapshot of the relay's packet counts.
type Stats struct {
	Received, Forwarded, Delivered, CoverDropped uint64
	Drops                                        map[string]uint64
}

// Stats returns the relay's packet counts.
func (n *Node) Stats() Stats {
	return Stats{
		Received:     n.stats.received.Load(),
		Forwarded:    n.stats.forwarded.Load(),
		Delivered:    n.stats.delivered.Load(),
		CoverDropped: n.stats.dropped.Load(),
		Drops:        n.Counters.Snapshot(),
	}
}

func (n *Node) getFrame() *frame {
	f := n.frames.Get().(*frame)
	f.next, f.seq, f.from = "", 0, ""
	return f
}

func (n *Node) putFrame(f *frame) {
	clear(f.buf)
	n.frames.Put(f)
}

// handleMix is RoutineReadMix for one inbound stream.
func (n *Node) handleMix(s network.Stream) {
	defer s.Close()
	from := s.Conn().RemotePeer()
	if !n.isRelay(from) {
		n.Counters.Inc(mixer.Unauthorized)
		s.Reset()
		return
	}
	key := string(from)
	// The neighbour's account. A relay that cannot place the neighbour yet
	// (its operator unknown) looks again whenever the directory changes,
	// so that the stream's packets are counted from then on.
	changed := n.dir.Changed()
	var credit *settle.Credit
	creditEpoch, placed := uint64(0), false
	for {
		f := n.getFrame()
		if _, err := io.ReadFull(s, f.buf); err != nil {
			n.putFrame(f)
			if !errors.Is(err, io.EOF) && n.ctx.Err() == nil {
				n.Counters.Inc(mixer.DecodeError)
			}
			return
		}
		f.arrival, f.from = n.cfg.Now(), key
		n.stats.received.Add(1)
		if !n.limiter.Allow(key, f.arrival) {
			n.Counters.Inc(mixer.RateLimited)
			n.putFrame(f)
			continue
		}
		if n.settle != nil {
			// Each packet is priced by its epoch's position (ADR 0010).
			// As the sending end does, look again when the directory
			// changes: a descriptor or topology that arrived since may change
			// the price, and both ends must change it at the same packet as
			// nearly as they can.
			if e := wire.FrameEpoch(f.buf); !placed || e != creditEpoch {
				changed = n.dir.Changed()
				credit, creditEpoch, placed = n.settle.Credit(from, e), e, true
			} else {
				select {
				case <-changed:
					changed = n.dir.Changed()
					credit = n.settle.Credit(from, e)
				default:
				}
			}
		}
		if credit != nil && !credit.Received() {
			n.Counters.Inc(mixer.Unpaid)
			n.putFrame(f)
			continue
		}
		n.enqueue(f)
	}
}

// enqueue hands a frame to the unwrap workers, or drops it when they are behind.
func (n *Node) enqueue(f *frame) bool {
	select {
	case n.unwrapQ <- f:
		return true
	default:
		n.Counters.Inc(mixer.QueueFull)
		n.putFrame(f)
		return false
	}
}

// routineUnwrap is one unwrap worker.
func (n *Node) routineUnwrap() {
	for {
		select {
		case <-n.ctx.Done():
			return
		case f := <-n.unwrapQ:
			n.process(f)
		}
	}
}

// process unwraps one frame and routes it by its command.
func (n *Node) process(f *frame) {
	epoch := wire.FrameEpoch(f.buf)
	now := n.cfg.Epochs.At(n.cfg.Now())
	if epoch+1 < now || epoch > now+1 {
		n.Counters.Inc(mixer.UnknownEpoch)
		n.putFrame(f)
		return
	}
	key, ok := n.keys.get(epoch)
	if !ok {
		n.Counters.Inc(mixer.UnknownEpoch)
		n.putFrame(f)
		return
	}
	res, err := n.proc.Unwrap(key, f.buf[wire.EpochSize:])
	if err != nil {
		if errors.Is(err, sphinx.ErrInvalidMAC) {
			n.Counters.Inc(mixer.InvalidMAC)
		} else {
			n.Counters.Inc(mixer.DecodeError)
		}
		n.putFrame(f)
		return
	}
	f.seq, err = n.journal.CheckAndAdd(epoch, res.Tag, f.from)
	if errors.Is(err, sphinx.ErrUnknownEpoch) && epoch == now {
		// The epoch began after the last refresh tick: the senders' clocks
		// are right, so start its replay table now rather than drop the
		// packets of the first second of every epoch.
		n.journal.Rotate(epoch)
		f.seq, err = n.journal.CheckAndAdd(epoch, res.Tag, f.from)
	}
	if err != nil {
		switch {
		case errors.Is(err, sphinx.ErrReplay):
			n.Counters.Inc(mixer.Replay)
		case errors.Is(err, errReplayShare):
			n.Counters.Inc(mixer.ReplayShare)
		case errors.Is(err, sphinx.ErrReplaySetFull):
			n.Counters.Inc(mixer.ReplayFull)
		default:
			n.Counters.Inc(mixer.UnknownEpoch)
		}
		n.putFrame(f)
		return
	}
	switch cmd := res.Command.(type) {
	case sphinx.Relay:
		if n.cfg.Faults.DropRelayed > 0 && rand.Float64() < n.cfg.Faults.DropRelayed {
			n.putFrame(f) // a faulty relay, on purpose: silently
			return
		}
		next, ok := n.peerOf(epoch, cmd.Next)
		if !ok {
			n.Counters.Inc(mixer.UnknownNextHop)
			n.putFrame(f)
			return
		}
		f.next = next
		n.schedule(f, f.arrival.Add(time.Duration(cmd.Delay)*time.Millisecond))
	case sphinx.Deliver:
		if n.loops != nil && cmd.Mailbox == n.loops.box {
			n.loopReturned(f, res.Payload)
			return
		}
		if n.cards != nil && cmd.Mailbox == cards.LookupMailbox {
			n.lookupCard(f, res.Payload)
			return
		}
		n.deliver(f, cmd.Mailbox, wire.EntryDeliver, nil, res.Payload)
	case sphinx.SURBReply:
		n.deliver(f, cmd.Mailbox, wire.EntrySURBReply, cmd.ID[:], res.Payload)
	case sphinx.Drop:
		n.stats.dropped.Add(1)
		n.putFrame(f)
	default:
		n.Counters.Inc(mixer.DecodeError)
		n.putFrame(f)
	}
}

// deliver hands a payload to the delivery goroutines, which store it in a
// mailbox (providers only).
func (n *Node) deliver(f *frame, mb sphinx.MailboxID, kind byte, surbID, payload []byte) {
	defer n.putFrame(f)
	if n.mail == nil {
		n.Counters.Inc(mixer.Unauthorized)
		return
	}
	entry := make([]byte, 0, 1+len(surbID)+len(payload))
	entry = append(append(append(entry, kind), surbID...), payload...)
	select {
	case n.deliveries <- delivery{seq: f.seq, mb: mb, entry: entry}:
	default:
		n.Counters.Inc(mixer.QueueFull)
	}
}

// A delivery is a payload on its way into a mailbox.
type delivery struct {
	seq   uint64 // its replay tag's, in the journal
	mb    sphinx.MailboxID
	entry []byte
}

// Deliveries wait for two syncs, the replay tag's and the mailbox's, so a
// provider runs many at once: waiting ones share each sync, and the unwrap
// workers never wait for the disk.
const (
	deliverers    = 64
	deliveryQueue = 4096
)

// routineDeliver stores deliveries in their mailboxes until the node stops.
func (n *Node) routineDeliver() {
	for {
		select {
		case <-n.ctx.Done():
			return
		case d := <-n.deliveries:
			if err := n.journal.WaitDurable(n.ctx, d.seq); err != nil {
				continue // not delivered unless its replay tag survives a crash
			}
			if _, err := n.mail.Put(d.mb, d.entry); err != nil {
				if errors.Is(err, mailbox.ErrQuotaExceeded) || errors.Is(err, mailbox.ErrTooLarge) {
					n.Counters.Inc(mixer.MailboxFull)
				} else {
					n.log.Warn("mailbox put", "err", err)
				}
				continue
			}
			n.stats.delivered.Add(1)
		}
	}
}

// schedule puts a frame in the delay queue.
func (n *Node) schedule(f *frame, at time.Time) {
	n.schedMu.Lock()
	err := n.sched.Push(f, at)
	n.schedMu.Unlock()
	if err != nil {
		n.Counters.Inc(mixer.QueueFull)
		n.putFrame(f)
		return
	}
	select {
	case n.schedWake <- struct{}{}:
	default:
	}
}

// routineSchedule releases frames whose delay has passed.
func (n *Node) routineSchedule() {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var ready []*frame
	for {
		n.schedMu.Lock()
		ready = n.sched.PopReady(n.cfg.Now(), ready[:0])
		next, ok := n.sched.Next()
		n.schedMu.Unlock()
		for i, f := range ready {
			n.send(f)
			ready[i] = nil
		}
		wait := time.Hour
		if ok {
			wait = max(time.Until(next), 0)
		}
		timer.Reset(wait)
		select {
		case <-n.ctx.Done():
			return
		case <-n.schedWake:
		case <-timer.C:
		}
	}
}

// outbound is the queue and writer of one neighbour.
type outbound struct {
	q chan *frame
}

// send hands a frame to its next hop's writer.
func (n *Node) send(f *frame) {
	n.outMu.Lock()
	o, ok := n.out[f.next]
	if !ok {
		o = &outbound{q: make(chan *frame, n.cfg.QueueSize)}
		n.out[f.next] = o
		p := f.next
		n.spawn(func() { n.routineWriteMix(p, o) })
	}
	n.outMu.Unlock()
	select {
	case o.q <- f:
	default:
		n.Counters.Inc(mixer.QueueFull)
		n.putFrame(f)
	}
}

// routineWriteMix keeps a stream to neighbour p and writes its frames.
func (n *Node) routineWriteMix(p peer.ID, o *outbound) {
	var s network.Stream
	defer func() {
		if s != nil {
			s.Close()
		}
	}()
	// What we owe p, at the price of its descriptor of the epoch it was
	// looked up for; looked up again when the frames' epoch changes, and
	// when the directory changes (p's descriptor, or the topology that
	// names p's operator, may have arrived since).
	changed := n.dir.Changed()
	var redialAt time.Time // no dial before, after one failed
	debtEpoch := n.cfg.Epochs.At(n.cfg.Now())
	debt := n.settle.Debt(p, debtEpoch)
	for {
		select {
		case <-n.ctx.Done():
			return
		case f := <-o.q:
			if err := n.journal.WaitDurable(n.ctx, f.seq); err != nil {
				// Not sent unless its replay tag survives a crash.
				n.putFrame(f)
				continue
			}
			if s == nil {
				if time.Now().Before(redialAt) {
					n.Counters.Inc(mixer.NextHopUnreachable)
					n.putFrame(f)
					continue
				}
				var err error
				if s, err = n.openMix(p); err != nil {
					redialAt = time.Now().Add(redialEvery)
					n.Counters.Inc(mixer.NextHopUnreachable)
					n.putFrame(f)
					continue
				}
			}
			if n.settle != nil {
				if e := wire.FrameEpoch(f.buf); e != debtEpoch {
					changed = n.dir.Changed()
					debt, debtEpoch = n.settle.Debt(p, e), e
				} else {
					select {
					case <-changed:
						changed = n.dir.Changed()
						debt = n.settle.Debt(p, debtEpoch)
					default:
					}
				}
			}
			if _, err := s.Write(f.buf); err != nil {
				// The stream broke before this frame (the neighbour
				// restarted, say): this frame gets one fresh stream.
				s.Reset()
				if s, err = n.openMix(p); err == nil {
					if _, err = s.Write(f.buf); err != nil {
						s.Reset()
					}
				}
				if err != nil {
					s, redialAt = nil, time.Now().Add(redialEvery)
					n.Counters.Inc(mixer.NextHopUnreachable)
					n.putFrame(f)
					continue
				}
			}
			n.stats.forwarded.Add(1)
			n.putFrame(f)
			if debt != nil && debt.Sent() {
				n.settle.ChequeDue(p, debt)
			}
		}
	}
}

// redialEvery is how soon a relay dials a neighbour again after failing
// to reach it; the frames meant for it until then are dropped. libp2p's
// own dial backoff (5 s, growing with each failure) would keep a relay
// that restarted in a second or two unreachable for seconds after it is
// back, losing every packet meant for it; a dial to a dead relay costs a
// refused connection (or, at worst, the dial timeout on the writer's own
// goroutine), so once a second is cheap.
const redialEvery = time.Second

// openMix opens a stream to neighbour p for mix frames, dialling it past
// libp2p's backoff (redialEvery paces the dials instead).
func (n *Node) openMix(p peer.ID) (network.Stream, error) {
	ctx, cancel := context.WithTimeout(n.ctx, 10*time.Second)
	defer cancel()
	return n.host.NewStream(network.WithForceDirectDial(ctx, "mix neighbour"), p, wire.MixProtocol)
}

// forwardRaw sends a frame unopened to a node of the current topology: a SURB
// packet a client hands its provider (the SURB's header starts at a mix).
func (n *Node) forwardRaw(f *frame, to sphinx.NodeID) bool {
	epoch := wire.FrameEpoch(f.buf)
	next, ok := n.peerOf(epoch, to)
	if !ok {
		n.Counters.Inc(mixer.UnknownNextHop)
		n.putFrame(f)
		return false
	}
	f.next = next
	n.send(f)
	return true
}
