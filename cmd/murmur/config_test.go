package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/murmurnet/murmur/node/cover"
)

const baseConfig = `data_dir = "d"
rpc = "http://127.0.0.1:8545"
[contracts]
registry = "0x0000000000000000000000000000000000000001"
vault = "0x0000000000000000000000000000000000000002"
tickets = "0x0000000000000000000000000000000000000003"
`

func writeConfig(t *testing.T, extra string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "c.toml")
	content := baseConfig + extra
	if !strings.HasPrefix(extra, "[") {
		content = extra + baseConfig // a top-level key, before the first table
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCoverConfig(t *testing.T) {
	c, err := loadConfig(writeConfig(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.rates()
	if err != nil || r != cover.DefaultRates() || c.Cover.set {
		t.Fatalf("defaults: %+v %v set=%v", r, err, c.Cover.set)
	}
	c, err = loadConfig(writeConfig(t, "[cover]\nlambda_p = 5\nlambda_m = 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, _ = c.rates()
	want := cover.DefaultRates()
	want.LambdaP, want.LambdaM = 5, 3
	if r != want || !c.Cover.set {
		t.Fatalf("got %+v, want %+v", r, want)
	}
	for extra, msg := range map[string]string{
		"[cover]\nlambda_p = -1\n":  "invalid rates",
		"[cover]\nlambda_q = 1\n":   "unknown keys",
		"mean_delay = \"-5ms\"\n":   "invalid rates",
		"mean_delay = \"fifty\"\n":  "invalid duration",
		"[cover]\nlambda_l = 1e9\n": "invalid rates",
	} {
		if _, err := loadConfig(writeConfig(t, extra)); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: error %v, want %q", extra, err, msg)
		}
	}
}
