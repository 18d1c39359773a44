package client

import (
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
// go before it is handed over.

// diskInbox holds the entry files of one client.
type diskInbox struct {
	dir  string
	next uint64 // sequence of the next entry file
}

const entrySuffix = ".entry"

func openDiskInbox(dir string) (*diskInbox, [][]byte, []uint64, error) {
	if err := privdir.Make(dir); err != nil {
		return nil, nil, nil, fmt.Errorf("client: inbox: %w", err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("client: inbox: %w", err)
	}
	var seqs []uint64
	for _, e := range ents {
		if s, ok := strings.CutSuffix(e.Name(), entrySuffix); ok {
			if n, err := strconv.ParseUint(s, 10, 64); err == nil {
				seqs = append(seqs, n)
			}
		}
	}
	slices.Sort(seqs)
	d := &diskInbox{dir: dir}
	var entries [][]byte
	for _, s := range seqs {
		b, err := os.ReadFile(d.path(s))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("client: inbox: %w", err)
		}
		entries = append(entries, b)
		d.next = s + 1
	}
	return d, entries, seqs, nil
}

func (d *diskInbox) path(seq uint64) string {
	return filepath.Join(d.dir, strconv.FormatUint(seq, 10)+entrySuffix)
}

// keep writes entry, synced, and returns its sequence number.
func (d *diskInbox) keep(entry []byte) (uint64, error) {
	seq := d.next
	if err := atomicfile.Write(d.path(seq), entry); err != nil {
		return 0, fmt.Errorf("client: inbox: %w", err)
	}
	d.next++
	return seq, nil
}

// drop deletes the entry files of seqs.
func (d *diskInbox) drop(seqs ...uint64) error {
	var errs []error
	for _, s := range seqs {
		if err := os.Remove(d.path(s)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("client: inbox: %w", errors.Join(errs...))
	}
	return nil
}
