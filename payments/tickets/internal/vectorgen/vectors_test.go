package main

import (
	"bytes"
	"os"
	"testing"
)

const committed = "../../../../contracts/testdata/tickets.json"

// TestCommittedVectors regenerates the vectors and compares them with the
// committed file byte for byte.
func TestCommittedVectors(t *testing.T) {
	want, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(committed)
	if err != nil {
		t.Fatalf("%v (run go generate ./payments/tickets/...)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale or edited: run go generate ./payments/tickets/...", committed)
	}
}
