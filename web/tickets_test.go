package web

import (
	"os/exec"
	"strings"
	"testing"
)

// TestTicketsJSAgainstGoVectors holds the page's ticket code
// (src/tickets.js, on @noble/curves) to the Go side's vectors: hashing
// serials to G1 under the key's domain, blinding, checking and unblinding
// the issuer's answer into the Go wire form, verifying tickets; answers
// under another key, corrupted or short, are refused.
func TestTicketsJSAgainstGoVectors(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("node is needed (make deps installs the npm toolchain): ", err)
	}
	out, err := exec.Command("node", "test/tickets.mjs", "../contracts/testdata/tickets.json").CombinedOutput()
	if err != nil {
		t.Fatalf("node test/tickets.mjs: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "ok: ") {
		t.Fatalf("node test/tickets.mjs said: %s", out)
	}
	t.Log(strings.TrimSpace(string(out)))
}
