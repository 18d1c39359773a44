package client

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/murmurnet/murmur/internal/atomicfile"
	"github.com/murmurnet/murmur/internal/privdir"
)

// The inbox on disk (Config.InboxDir): what the client fetched from its
// mailbox is written here, synced, before it acknowledges it to the
// provider, which then deletes it; so a crash after the ack loses nothing.
// An entry file stays until the message it is part of has been returned by
// Receive (it is deleted just before), or it proves useless (a cover loop,
// a fragment that does not open); on start the files are read back in the
// order they were fetched. A message is never returned twice: its files
// go before it is handed over, and each file's name carries the provider's
// id of its entry, so that after a crash between the write and the ack the
// client acknowledges those ids again before it fetches: the provider
// would otherwise hand the same entries over a second time.

// diskInbox holds the entry files of one client.
type diskInbox struct {
	dir   string
	next  uint64            // sequence of the next entry file
	names map[uint64]string // each file's name, by sequence
}

// keptEntry is an entry file read back on start.
type keptEntry struct {
	seq   uint64
	id    uint64 // the provider's id of the entry
	hasID bool   // false for a file written before ids were kept
	entry []byte
}

const entrySuffix = ".entry"

// parseEntryName reads "<seq>.entry" or "<seq>-<provider id>.entry".
func parseEntryName(name string) (seq, id uint64, hasID, ok bool) {
	base, found := strings.CutSuffix(name, entrySuffix)
	if !found {
		return 0, 0, false, false
	}
	seqStr, idStr, hasID := strings.Cut(base, "-")
	seq, err := strconv.ParseUint(seqStr, 10, 64)
	if err != nil {
		return 0, 0, false, false
	}
	if hasID {
		if id, err = strconv.ParseUint(idStr, 10, 64); err != nil {
			return 0, 0, false, false
		}
	}
	return seq, id, hasID, true
}

func openDiskInbox(dir string) (*diskInbox, []keptEntry, error) {
	if err := privdir.Make(dir); err != nil {
		return nil, nil, fmt.Errorf("client: inbox: %w", err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("client: inbox: %w", err)
	}
	d := &diskInbox{dir: dir, names: map[uint64]string{}}
	var kept []keptEntry
	for _, e := range ents {
		if seq, id, hasID, ok := parseEntryName(e.Name()); ok {
			d.names[seq] = e.Name()
			kept = append(kept, keptEntry{seq: seq, id: id, hasID: hasID})
		}
	}
	slices.SortFunc(kept, func(a, b keptEntry) int { return cmp.Compare(a.seq, b.seq) })
	for i := range kept {
		b, err := os.ReadFile(filepath.Join(dir, d.names[kept[i].seq]))
		if err != nil {
			return nil, nil, fmt.Errorf("client: inbox: %w", err)
		}
		kept[i].entry = b
		d.next = kept[i].seq + 1
	}
	return d, kept, nil
}

// keep writes entry, the provider's entry id, synced, and returns its
// sequence number.
func (d *diskInbox) keep(entry []byte, id uint64) (uint64, error) {
	seq := d.next
	name := strconv.FormatUint(seq, 10) + "-" + strconv.FormatUint(id, 10) + entrySuffix
	if err := atomicfile.Write(filepath.Join(d.dir, name), entry); err != nil {
		return 0, fmt.Errorf("client: inbox: %w", err)
	}
	d.names[seq] = name
	d.next++
	return seq, nil
}

// drop deletes the entry files of seqs.
func (d *diskInbox) drop(seqs ...uint64) error {
	var errs []error
	for _, s := range seqs {
		name, ok := d.names[s]
		if !ok {
			continue
		}
		if err := os.Remove(filepath.Join(d.dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		delete(d.names, s)
	}
	if len(errs) > 0 {
		return fmt.Errorf("client: inbox: %w", errors.Join(errs...))
	}
	return nil
}
