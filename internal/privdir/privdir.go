// Package privdir makes the directories that hold a relay's secrets and
// books (badger stores: the ledger, the issuer's keys, the provider's and
// mailbox's data) private to the user that runs it. Badger writes its
// files 0644; inside a 0700 directory nobody else can read them.
package privdir

import (
	"fmt"
	"os"
)

// Make creates dir and its parents with mode 0700 and, if dir already
// existed (made by an older version, or by hand), narrows it to 0700.
func Make(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if fi.Mode().Perm() != 0o700 {
		return os.Chmod(dir, 0o700)
	}
	return nil
}
