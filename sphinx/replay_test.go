package sphinx

import (
	"encoding/binary"
	"sync"
	"testing"
)

func tagOf(i uint64) ReplayTag {
	var t ReplayTag
	binary.LittleEndian.PutUint64(t[:], i*0x9e3779b97f4a7c15)
	binary.LittleEndian.PutUint64(t[8:], i)
	return t
}

func TestReplaySetEpochs(t *testing.T) {
	s := NewReplaySet(1000)
	if err := s.CheckAndAdd(1, tagOf(1)); err != ErrUnknownEpoch {
		t.Fatalf("before Rotate: %v", err)
	}
	s.Rotate(1)
	if err := s.CheckAndAdd(1, tagOf(1)); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckAndAdd(1, tagOf(1)); err != ErrReplay {
		t.Fatalf("replay in epoch 1: %v", err)
	}
	// Tags are per epoch key: the same tag in another epoch is new.
	s.Rotate(2)
	if err := s.CheckAndAdd(2, tagOf(1)); err != nil {
		t.Fatalf("epoch 2: %v", err)
	}
	// The previous epoch is still tracked.
	if err := s.CheckAndAdd(1, tagOf(1)); err != ErrReplay {
		t.Fatalf("epoch 1 after rotation: %v", err)
	}
	if err := s.CheckAndAdd(1, tagOf(2)); err != nil {
		t.Fatalf("epoch 1 new tag: %v", err)
	}
	if err := s.CheckAndAdd(3, tagOf(1)); err != ErrUnknownEpoch {
		t.Fatalf("future epoch: %v", err)
	}
	// Rotating again to the current epoch keeps everything.
	s.Rotate(2)
	if err := s.CheckAndAdd(1, tagOf(2)); err != ErrReplay {
		t.Fatalf("after re-rotation: %v", err)
	}
	// Epoch 1 expires: its tags are gone, its memory is reused, clean.
	s.Rotate(3)
	if err := s.CheckAndAdd(1, tagOf(1)); err != ErrUnknownEpoch {
		t.Fatalf("expired epoch: %v", err)
	}
	if err := s.CheckAndAdd(2, tagOf(1)); err != ErrReplay {
		t.Fatalf("epoch 2 after rotation: %v", err)
	}
	if err := s.CheckAndAdd(3, tagOf(1)); err != nil {
		t.Fatalf("epoch 3 reuses epoch 1's table without clearing it: %v", err)
	}
	// Skipping an epoch drops both old ones.
	s.Rotate(10)
	for _, e := range []uint64{2, 3} {
		if err := s.CheckAndAdd(e, tagOf(5)); err != ErrUnknownEpoch {
			t.Fatalf("epoch %d after jump: %v", e, err)
		}
	}
	if err := s.CheckAndAdd(10, tagOf(1)); err != nil {
		t.Fatal(err)
	}
}

func TestReplaySetFull(t *testing.T) {
	const capacity = 1000
	s := NewReplaySet(capacity)
	s.Rotate(0)
	maxTags, _ := s.shardLimits()
	added := 0
	var i uint64
	for ; ; i++ {
		err := s.CheckAndAdd(0, tagOf(i))
		if err == ErrReplaySetFull {
			break
		}
		if err != nil {
			t.Fatalf("tag %d: %v", i, err)
		}
		added++
		if added > replayShards*maxTags {
			t.Fatal("set never fills")
		}
	}
	if added < capacity {
		t.Fatalf("full after %d tags, capacity %d", added, capacity)
	}
	// Tags already in are still found when the set is full.
	if err := s.CheckAndAdd(0, tagOf(0)); err != ErrReplay {
		t.Fatalf("full set, old tag: %v", err)
	}
}

func TestReplaySetConcurrent(t *testing.T) {
	s := NewReplaySet(20000)
	s.Rotate(7)
	const workers, per = 8, 2000
	var wg sync.WaitGroup
	errs := make(chan error, workers*per)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range per {
				// Every worker adds its own tags and half of the next
				// worker's, racing with it.
				ids := []uint64{uint64(w*per + i)}
				if i%2 == 0 {
					ids = append(ids, uint64(((w+1)%workers)*per+i))
				}
				for _, id := range ids {
					if err := s.CheckAndAdd(7, tagOf(id)); err != nil && err != ErrReplay {
						errs <- err
					}
				}
			}
		}()
	}
	wg.Add(1)
	go func() { defer wg.Done(); s.Rotate(7) }()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i := range uint64(workers * per) {
		if err := s.CheckAndAdd(7, tagOf(i)); err != ErrReplay {
			t.Fatalf("tag %d lost: %v", i, err)
		}
	}
}

// TestReplaySetTenMillion fills one epoch with 10 million tags, the
// capacity a relay needs, and checks memory and lookups.
func TestReplaySetTenMillion(t *testing.T) {
	const capacity = 10_000_000
	s := NewReplaySet(capacity)
	if m := s.EpochMemory(); m > 52_000_000 {
		t.Fatalf("one epoch of %d tags takes %d bytes, documented as 51 MB", capacity, m)
	}
	if testing.Short() || raceEnabled {
		t.Skip("fills 51 MB with 10M tags; skipped in -short and -race runs")
	}
	s.Rotate(1)
	for i := range uint64(capacity) {
		if err := s.CheckAndAdd(1, tagOf(i)); err != nil {
			t.Fatalf("tag %d: %v", i, err)
		}
	}
	for i := uint64(0); i < capacity; i += 997 {
		if err := s.CheckAndAdd(1, tagOf(i)); err != ErrReplay {
			t.Fatalf("tag %d: %v", i, err)
		}
	}
	// Fresh tags at full capacity are (almost never) false positives.
	fp := 0
	for i := uint64(capacity); i < capacity+100_000; i++ {
		if err := s.CheckAndAdd(1, tagOf(i)); err == ErrReplay {
			fp++
		}
	}
	if fp > 2 {
		t.Errorf("%d false positives in 100000 fresh tags", fp)
	}
}

// BenchmarkReplaySetCheckAndAdd measures adding fresh tags to a table of
// a million, rotating epochs as the table fills.
func BenchmarkReplaySetCheckAndAdd(b *testing.B) {
	const perEpoch = 1 << 20
	s := NewReplaySet(perEpoch)
	s.Rotate(0)
	b.ReportAllocs()
	var i uint64
	for b.Loop() {
		epoch := i / perEpoch
		if i%perEpoch == 0 {
			s.Rotate(epoch)
		}
		if err := s.CheckAndAdd(epoch, tagOf(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
