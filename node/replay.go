package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/murmurnet/murmur/internal/privdir"
	"github.com/murmurnet/murmur/sphinx"
)

// Replay protection that survives a crash (ADR 0011).
//
// The relay's Sphinx keys of an epoch are on disk, so after a restart
// within the epoch it unwraps the packets it unwrapped before the crash:
// its in-memory replay set must not start empty. Each tag it takes is
// appended to a journal file of its epoch (<data>/replay/<epoch>.tags, 32
// bytes a tag), and a packet leaves the relay (to the next hop, or into a
// mailbox) only once its tag is on disk. The journal is written by one
// goroutine in group commits: everything taken since the last fsync goes
// in the next, so a tag is durable within one fsync of being taken while
// the packet waits out its mixing delay. On start the journals of the two
// live epochs are read back into the set; older ones are deleted.

// A full table used to stop the relay for the rest of the epoch: every
// valid packet after it was dropped. One peer at the per-peer rate limit
// fills the default table in under a minute, so the set is shared out
// instead: once an epoch's table is half full, a peer that took more than
// its share (an eighth of the capacity) has its packets refused
// (mixer.ReplayShare), and the others' keep flowing into the rest. The
// relay logs as the table passes a half, 80 % and full.

// replayShareOf is the share of an epoch's capacity one peer may take
// once the table is half full.
const replayShareOf = 8

// errReplayShare: the peer has taken its share of a filling replay table.
var errReplayShare = errors.New("node: the peer took its share of the epoch's replay table")

// replayJournal is the replay set with its journal.
type replayJournal struct {
	set      *sphinx.ReplaySet
	dir      string
	log      *slog.Logger
	capacity int

	// Tags taken per epoch, in all and by peer (counted since start).
	loadMu sync.RWMutex // guards loads
	loads  map[uint64]*epochLoad

	mu        sync.Mutex
	pending   []journalTag
	taken     uint64                // sequence of the last tag taken
	files     map[uint64]*os.File   // open journals, by epoch
	flushed   chan struct{}         // closed at the end of each commit
	durable   atomic.Uint64         // sequence up to which tags are on disk
	failed    atomic.Pointer[error] // the first write error: nothing leaves after it
	wake      chan struct{}
	stop      chan struct{}
	done      chan struct{}
	commits   atomic.Uint64
	recovered int
	rotated   uint64 // the epoch of the last Rotate: each epoch's clean-up runs once
	closeOnce sync.Once
}

type journalTag struct {
	epoch uint64
	tag   sphinx.ReplayTag
}

// errJournal stops packets from leaving once the journal cannot be
// written: forwarding them would let them be replayed after a restart.
var errJournal = errors.New("node: replay journal unwritable")

// openReplayJournal opens the journals in dir, loads the tags of epochs
// now−1 and now into set (which becomes current at now), and deletes older
// journals.
func openReplayJournal(dir string, set *sphinx.ReplaySet, capacity int, now uint64, log *slog.Logger) (*replayJournal, error) {
	if err := privdir.Make(dir); err != nil {
		return nil, fmt.Errorf("node: replay journal: %w", err)
	}
	j := &replayJournal{set: set, dir: dir, log: log, capacity: max(capacity, 1), loads: map[uint64]*epochLoad{},
		files: map[uint64]*os.File{}, flushed: make(chan struct{}),
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("node: replay journal: %w", err)
	}
	for _, e := range ents {
		ep, ok := journalEpoch(e.Name())
		if ok && ep+1 < now {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	for _, ep := range []uint64{now - 1, now} {
		if now == 0 && ep != 0 {
			continue
		}
		set.Rotate(ep)
		n, err := j.load(ep)
		if err != nil {
			return nil, err
		}
		j.recovered += n
	}
	go j.run()
	return j, nil
}

func journalName(epoch uint64) string { return strconv.FormatUint(epoch, 10) + ".tags" }

func journalEpoch(name string) (uint64, bool) {
	s, ok := strings.CutSuffix(name, ".tags")
	if !ok {
		return 0, false
	}
	e, err := strconv.ParseUint(s, 10, 64)
	return e, err == nil
}

// load reads epoch's journal into the set; a torn last record (a crash in
// the middle of a write) is cut off.
func (j *replayJournal) load(epoch uint64) (int, error) {
	path := filepath.Join(j.dir, journalName(epoch))
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("node: replay journal: %w", err)
	}
	whole := len(b) - len(b)%len(sphinx.ReplayTag{})
	if whole != len(b) {
		if err := os.Truncate(path, int64(whole)); err != nil {
			return 0, fmt.Errorf("node: replay journal: cutting a torn record: %w", err)
		}
	}
	n := 0
	for off := 0; off < whole; off += len(sphinx.ReplayTag{}) {
		var t sphinx.ReplayTag
		copy(t[:], b[off:])
		switch err := j.set.CheckAndAdd(epoch, t); {
		case err == nil:
			n++
		case errors.Is(err, sphinx.ErrReplay):
		default:
			return n, fmt.Errorf("node: replay journal of epoch %d: %w", epoch, err)
		}
	}
	return n, nil
}

// epochLoad is how much of an epoch's table is taken, and by whom. It is
// read and written on the packet path, so it takes no lock: the total and
// each peer's count are atomic, and the peers' counters are found in a
// sync.Map (a peer's entry is made once, by its first packet of the epoch).
type epochLoad struct {
	total  atomic.Int64
	peers  sync.Map     // peer → *atomic.Int64
	npeers atomic.Int64 // entries in peers
	warned atomic.Int64 // the last fill threshold logged, in percent
}

// maxCountedPeers bounds the peers counted per epoch: past that many, new
// ones go uncounted (and so are never refused their share).
const maxCountedPeers = 1 << 16

// loadOf returns epoch's load, made if need be.
func (j *replayJournal) loadOf(epoch uint64) *epochLoad {
	j.loadMu.RLock()
	l := j.loads[epoch]
	j.loadMu.RUnlock()
	if l != nil {
		return l
	}
	j.loadMu.Lock()
	defer j.loadMu.Unlock()
	if l = j.loads[epoch]; l == nil {
		l = &epochLoad{}
		j.loads[epoch] = l
	}
	return l
}

// peer returns from's counter, or nil once maxCountedPeers are counted.
func (l *epochLoad) peer(from string) *atomic.Int64 {
	if c, ok := l.peers.Load(from); ok {
		return c.(*atomic.Int64)
	}
	if l.npeers.Load() >= maxCountedPeers {
		return nil
	}
	c, loaded := l.peers.LoadOrStore(from, new(atomic.Int64))
	if !loaded {
		l.npeers.Add(1)
	}
	return c.(*atomic.Int64)
}

// CheckAndAdd takes tag for epoch, sent by peer from, as the set does
// (past half its capacity, only within from's share: errReplayShare) and
// returns the sequence number to wait for (WaitDurable) before the packet
// leaves.
func (j *replayJournal) CheckAndAdd(epoch uint64, tag sphinx.ReplayTag, from string) (uint64, error) {
	l := j.loadOf(epoch)
	c := l.peer(from)
	capacity := int64(j.capacity)
	if 2*l.total.Load() >= capacity && c != nil && c.Load()*replayShareOf >= capacity {
		return 0, errReplayShare
	}
	err := j.set.CheckAndAdd(epoch, tag)
	fill := 100 * l.total.Load() / capacity
	if err == nil {
		fill = 100 * l.total.Add(1) / capacity
		if c != nil {
			c.Add(1)
		}
	} else if errors.Is(err, sphinx.ErrReplaySetFull) {
		fill = 100
	}
	if fill >= 50 {
		j.warnFill(epoch, l, fill)
	}
	if err != nil {
		return 0, err
	}
	j.mu.Lock()
	j.taken++
	seq := j.taken
	j.pending = append(j.pending, journalTag{epoch, tag})
	j.mu.Unlock()
	select {
	case j.wake <- struct{}{}:
	default:
	}
	return seq, nil
}

// warnFill logs the first time epoch's table passes half, 80 % and full.
func (j *replayJournal) warnFill(epoch uint64, l *epochLoad, fill int64) {
	th := int64(50)
	switch {
	case fill >= 100:
		th = 100
	case fill >= 80:
		th = 80
	}
	for {
		w := l.warned.Load()
		if w >= th {
			return
		}
		if l.warned.CompareAndSwap(w, th) {
			break
		}
	}
	j.log.Warn("replay table filling: past half of it, each peer may take an eighth; raise replay_capacity if this is real traffic",
		"epoch", epoch, "filled_percent", th, "capacity", j.capacity)
}

// Rotate makes epoch current, as the set does, and deletes the journals of
// the epochs that left it.
func (j *replayJournal) Rotate(epoch uint64) {
	j.set.Rotate(epoch)
	j.mu.Lock()
	defer j.mu.Unlock()
	if epoch == j.rotated {
		return
	}
	j.rotated = epoch
	j.loadMu.Lock()
	for ep := range j.loads {
		if ep+1 < epoch {
			delete(j.loads, ep)
		}
	}
	j.loadMu.Unlock()
	for ep, f := range j.files {
		if ep+1 < epoch {
			f.Close()
			delete(j.files, ep)
		}
	}
	ents, _ := os.ReadDir(j.dir)
	for _, e := range ents {
		if ep, ok := journalEpoch(e.Name()); ok && ep+1 < epoch {
			os.Remove(filepath.Join(j.dir, e.Name()))
		}
	}
}

// WaitDurable returns once the tag of sequence seq is on disk.
func (j *replayJournal) WaitDurable(ctx context.Context, seq uint64) error {
	for {
		if e := j.failed.Load(); e != nil {
			return *e
		}
		if j.durable.Load() >= seq {
			return nil
		}
		j.mu.Lock()
		ch := j.flushed
		j.mu.Unlock()
		if j.durable.Load() >= seq {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// run commits the pending tags, one fsync per journal touched, until Close.
func (j *replayJournal) run() {
	defer close(j.done)
	for {
		select {
		case <-j.wake:
		case <-j.stop:
			j.commit()
			return
		}
		j.commit()
	}
}

func (j *replayJournal) commit() {
	j.mu.Lock()
	batch, last := j.pending, j.taken
	j.pending = nil
	j.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	err := j.write(batch)
	if err != nil {
		e := fmt.Errorf("%w: %w", errJournal, err)
		if j.failed.CompareAndSwap(nil, &e) {
			j.log.Error("replay journal: packets stop leaving until the relay restarts", "err", err)
		}
	} else {
		j.durable.Store(last)
		j.commits.Add(1)
	}
	j.mu.Lock()
	close(j.flushed)
	j.flushed = make(chan struct{})
	j.mu.Unlock()
}

func (j *replayJournal) write(batch []journalTag) error {
	touched := map[uint64]*os.File{}
	byEpoch := map[uint64][]byte{}
	for _, t := range batch {
		byEpoch[t.epoch] = append(byEpoch[t.epoch], t.tag[:]...)
	}
	for ep, b := range byEpoch {
		f, err := j.file(ep)
		if err != nil {
			return err
		}
		if _, err := f.Write(b); err != nil {
			return err
		}
		touched[ep] = f
	}
	for _, f := range touched {
		if err := f.Sync(); err != nil {
			return err
		}
	}
	return nil
}

func (j *replayJournal) file(epoch uint64) (*os.File, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if f := j.files[epoch]; f != nil {
		return f, nil
	}
	f, err := os.OpenFile(filepath.Join(j.dir, journalName(epoch)), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return nil, err
	}
	j.files[epoch] = f
	return f, nil
}

// Close commits what is pending and closes the journals.
func (j *replayJournal) Close() error {
	j.closeOnce.Do(func() { close(j.stop) })
	<-j.done
	j.mu.Lock()
	defer j.mu.Unlock()
	var errs []error
	for ep, f := range j.files {
		errs = append(errs, f.Close())
		delete(j.files, ep)
	}
	if e := j.failed.Load(); e != nil {
		errs = append(errs, *e)
	}
	return errors.Join(errs...)
}
