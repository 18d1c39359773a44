// Command gen regenerates Murmur's contract bindings: it builds the contracts
// with forge, gathers their ABI and bytecode from the Foundry artifacts into a
// solc combined-json, and runs abigen --v2 on it. Run it through
// `go generate ./bindings/...`; it is also run by the bindings' staleness test.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// contracts are the deployable contracts that get bindings, by source file.
var contracts = []struct{ source, name string }{
	{"RelayRegistry.sol", "RelayRegistry"},
	{"TicketIssuer.sol", "TicketIssuer"},
	{"Vault.sol", "Vault"},
}

// dropFunctions removes the named functions from an ABI. ERC-5267's
// eip712Domain() is dropped: every EIP-712 contract has it, abigen emits an
// identically named Eip712DomainOutput struct for each one, and the copies
// collide in one package. Go computes the domains itself (payments/cheque).
func dropFunctions(abiJSON json.RawMessage, names ...string) (json.RawMessage, error) {
	var entries []map[string]any
	if err := json.Unmarshal(abiJSON, &entries); err != nil {
		return nil, err
	}
	kept := entries[:0]
	for _, e := range entries {
		if name, _ := e["name"].(string); e["type"] == "function" && slices.Contains(names, name) {
			continue
		}
		kept = append(kept, e)
	}
	return json.Marshal(kept)
}

type artifact struct {
	ABI      json.RawMessage `json:"abi"`
	Bytecode struct {
		Object string `json:"object"`
	} `json:"bytecode"`
	DeployedBytecode struct {
		Object string `json:"object"`
	} `json:"deployedBytecode"`
}

// combinedContract is one entry of solc's --combined-json output, the form abigen reads.
type combinedContract struct {
	ABI        string `json:"abi"`
	Bin        string `json:"bin"`
	BinRuntime string `json:"bin-runtime"`
	Devdoc     string `json:"devdoc"`
	Userdoc    string `json:"userdoc"`
}

func main() {
	root := flag.String("root", "..", "repository root (holds foundry.toml)")
	out := flag.String("out", "murmur.go", "output file")
	skipBuild := flag.Bool("skip-build", false, "use the existing artifacts instead of running forge build")
	flag.Parse()
	if err := run(*root, *out, *skipBuild); err != nil {
		log.Fatalf("gen: %v", err)
	}
}

func run(root, out string, skipBuild bool) error {
	// Absolute, because the commands below run in root and would resolve a relative path from there.
	root, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	var cmd *exec.Cmd
	if !skipBuild {
		forge := filepath.Join(root, "node_modules", ".bin", "forge")
		if _, err := os.Stat(forge); err != nil {
			return fmt.Errorf("forge not installed (run make deps at the repository root): %w", err)
		}
		cmd = exec.Command(forge, "build", "--skip", "test", "--skip", "script")
		cmd.Dir = root
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("forge build: %w\n%s", err, b)
		}
	}

	combined := struct {
		Contracts map[string]combinedContract `json:"contracts"`
		Version   string                      `json:"version"`
	}{Contracts: map[string]combinedContract{}}
	for _, c := range contracts {
		path := filepath.Join(root, "contracts", "out", c.source, c.name+".json")
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var a artifact
		if err := json.Unmarshal(raw, &a); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		abiJSON, err := dropFunctions(a.ABI, "eip712Domain")
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		combined.Contracts["contracts/src/"+c.source+":"+c.name] = combinedContract{
			ABI:        string(abiJSON),
			Bin:        strings.TrimPrefix(a.Bytecode.Object, "0x"),
			BinRuntime: strings.TrimPrefix(a.DeployedBytecode.Object, "0x"),
			Devdoc:     "{}",
			Userdoc:    "{}",
		}
	}

	tmp, err := os.CreateTemp("", "murmur-combined-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := json.NewEncoder(tmp).Encode(combined); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	outAbs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	cmd = exec.Command("go", "tool", "abigen", "--v2", "--combined-json", tmp.Name(), "--pkg", "bindings", "--out", outAbs)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("abigen: %w\n%s", err, b)
	}
	return nil
}
