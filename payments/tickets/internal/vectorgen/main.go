// Command vectorgen writes the ticket test vectors shared by the Go code
// and the Solidity verifier (contracts/testdata/tickets.json). Run it with
// go generate ./payments/tickets/...; the output depends only on a fixed
// seed, so running it again changes nothing unless the scheme changed.
package main

import (
	"flag"
	"log"
	"os"
)

func main() {
	out := flag.String("o", "", "output `file` (default standard output)")
	flag.Parse()
	b, err := generate()
	if err != nil {
		log.Fatal(err)
	}
	if *out == "" {
		_, err = os.Stdout.Write(b)
	} else {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		log.Fatal(err)
	}
}
