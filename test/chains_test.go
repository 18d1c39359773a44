package test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/murmurnet/murmur/internal/testutil"
)

// gethVersion is the geth built for the tests; v1.17 needs a module the proxy lacks.
const gethVersion = "v1.16.7"

// devChain is a development chain process on 127.0.0.1.
type devChain = testutil.DevChain

// repoRoot is the repository root (this package lives in test/).
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

func freePort(t *testing.T) int { return testutil.FreePort(t) }

func startProcess(t *testing.T, name string, cmd *exec.Cmd, url string) *devChain {
	t.Helper()
	return testutil.StartProcess(t, name, cmd, url)
}

// startAnvil starts anvil from the repository's npm toolchain.
func startAnvil(t *testing.T) *devChain {
	t.Helper()
	bin := testutil.AnvilBinary(repoRoot(t))
	if bin == "" {
		missingTool(t, "anvil (run make deps)")
	}
	return testutil.StartAnvil(t, bin)
}

var gethBuild struct {
	once sync.Once
	path string
	err  error
}

// gethBinary builds geth once into the user cache directory and reuses it.
func gethBinary(t *testing.T) string {
	t.Helper()
	gethBuild.once.Do(func() {
		cache, err := os.UserCacheDir()
		if err != nil {
			gethBuild.err = err
			return
		}
		dir := filepath.Join(cache, "murmur-tools", "geth-"+gethVersion)
		path := filepath.Join(dir, "geth")
		if _, err := os.Stat(path); err == nil {
			gethBuild.path = path
			return
		}
		cmd := exec.Command("go", "install", "github.com/ethereum/go-ethereum/cmd/geth@"+gethVersion)
		cmd.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=")
		if out, err := cmd.CombinedOutput(); err != nil {
			gethBuild.err = fmt.Errorf("building geth %s: %v\n%s", gethVersion, err, out)
			return
		}
		gethBuild.path = path
	})
	if gethBuild.err != nil {
		t.Fatal(gethBuild.err)
	}
	return gethBuild.path
}

// startGeth starts geth --dev with an HTTP endpoint, mining a block every second.
func startGeth(t *testing.T) *devChain {
	t.Helper()
	bin := gethBinary(t)
	port := freePort(t)
	cmd := exec.Command(bin, "--dev", "--dev.period", "1", "--datadir", t.TempDir(), "--nodiscover", "--maxpeers", "0",
		"--port", "0", "--authrpc.port", fmt.Sprint(freePort(t)),
		"--http", "--http.addr", "127.0.0.1", "--http.port", fmt.Sprint(port), "--http.api", "eth,net,web3",
		"--verbosity", "2")
	return startProcess(t, "geth --dev", cmd, fmt.Sprintf("http://127.0.0.1:%d", port))
}

// missingTool fails in CI (which must install everything) and skips elsewhere.
func missingTool(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed; CI must install it", what)
	}
	t.Skipf("%s is not installed", what)
}
