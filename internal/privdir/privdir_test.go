package privdir

import (
	"os"
	"path/filepath"
	"testing"
)

func TestMakeIsPrivate(t *testing.T) {
	base := t.TempDir()
	fresh := filepath.Join(base, "a", "b")
	open := filepath.Join(base, "open")
	if err := os.Mkdir(open, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{fresh, open} {
		if err := Make(dir); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
			t.Fatalf("%s: mode %v, %v", dir, fi.Mode(), err)
		}
	}
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Make(file); err == nil {
		t.Fatal("a file taken for a directory")
	}
}
