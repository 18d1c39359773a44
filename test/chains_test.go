package test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
)

// gethVersion is the geth built for the tests; v1.17 needs a module the proxy lacks.
const gethVersion = "v1.16.7"

// devChain is a development chain process on 127.0.0.1.
type devChain struct {
	Name string
	URL  string
	// Stop kills the chain now (it is killed at the end of the test anyway).
	Stop func()
}

// repoRoot is the repository root (this package lives in test/).
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startProcess runs cmd until the test ends and waits, with a bound, until
// its JSON-RPC endpoint answers.
func startProcess(t *testing.T, name string, cmd *exec.Cmd, url string) *devChain {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// Its own process group, killed as a whole: no child survives to hold the
	// output pipe open (and Wait is bounded in any case).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	stop := func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("%s output:\n%s", name, out.String())
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		if err := ping(ctx, url); err == nil {
			return &devChain{Name: name, URL: url, Stop: stop}
		}
		select {
		case <-done:
			t.Fatalf("%s exited before answering:\n%s", name, out.String())
		case <-ctx.Done():
			t.Fatalf("%s did not answer on %s within 60s:\n%s", name, url, out.String())
		case <-time.After(50 * time.Millisecond): // poll interval, not a wait for an event
		}
	}
}

func ping(ctx context.Context, url string) error {
	c, err := rpc.DialContext(ctx, url)
	if err != nil {
		return err
	}
	defer c.Close()
	var id string
	return c.CallContext(ctx, &id, "eth_chainId")
}

// startAnvil starts anvil from the repository's npm toolchain. It runs the
// platform binary itself, not the node wrapper in node_modules/.bin, which
// would leave the real process behind when killed.
func startAnvil(t *testing.T) *devChain {
	t.Helper()
	bin := filepath.Join(repoRoot(t), "node_modules", "@foundry-rs", "anvil-"+runtime.GOOS+"-"+runtime.GOARCH, "bin", "anvil")
	if _, err := os.Stat(bin); err != nil {
		missingTool(t, "anvil (run make deps)")
	}
	port := freePort(t)
	// A block every second, as on a real chain: epochs are read at blocks.
	cmd := exec.Command(bin, "--host", "127.0.0.1", "--port", fmt.Sprint(port), "--silent", "--block-time", "1")
	return startProcess(t, "anvil", cmd, fmt.Sprintf("http://127.0.0.1:%d", port))
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
