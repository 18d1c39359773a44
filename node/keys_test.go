package node

import (
	"os"
	"path/filepath"
	"testing"
)

func TestEpochKeysRotateAndPersist(t *testing.T) {
	dir := t.TempDir()
	ks, err := openEpochKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ks.ensure(10); err != nil {
		t.Fatal(err)
	}
	k10, ok10 := ks.get(10)
	_, ok11 := ks.get(11)
	if !ok10 || !ok11 {
		t.Fatal("keys for the epoch and the next are missing")
	}
	// A restart sees the same keys.
	again, err := openEpochKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := again.get(10); !ok || k.Public() != k10.Public() {
		t.Fatal("epoch key not persisted")
	}
	// Two epochs later the old key is gone, from memory and from disk.
	if err := again.ensure(12); err != nil {
		t.Fatal(err)
	}
	if _, ok := again.get(10); ok {
		t.Fatal("epoch 10 key kept at epoch 12")
	}
	if _, ok := again.get(11); !ok {
		t.Fatal("previous epoch key dropped too early")
	}
	if _, err := os.Stat(filepath.Join(dir, "10.key")); !os.IsNotExist(err) {
		t.Fatalf("epoch 10 key still on disk: %v", err)
	}
}
