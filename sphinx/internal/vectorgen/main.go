// Command vectorgen writes the test vectors of package sphinx
// (testdata/vectors.json) and the seed corpus of its fuzz tests
// (testdata/fuzz/...). Run it with go generate in the sphinx directory.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"

	"github.com/murmurnet/murmur/sphinx/internal/vectors"
)

func main() {
	out := flag.String("o", "testdata", "output directory")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("vectorgen: ")

	f, err := vectors.Generate()
	if err != nil {
		log.Fatal(err)
	}
	b, err := f.Marshal()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "vectors.json"), b, 0o644); err != nil {
		log.Fatal(err)
	}

	seeds, err := vectors.FuzzSeeds()
	if err != nil {
		log.Fatal(err)
	}
	for target, inputs := range seeds {
		dir := filepath.Join(*out, "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			log.Fatal(err)
		}
		names := make([]string, 0, len(inputs))
		for name := range inputs {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if err := os.WriteFile(filepath.Join(dir, name), vectors.CorpusFile(inputs[name]), 0o644); err != nil {
				log.Fatal(err)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "vectorgen: wrote %s\n", *out)
}
