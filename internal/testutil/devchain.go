package testutil

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
)

// DevChain is a development chain process on 127.0.0.1.
type DevChain struct {
	Name string
	URL  string
	// Stop kills the chain now (it is killed at the end of the test anyway).
	Stop func()
}

// FreePort is a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// StartProcess runs cmd until the test ends and waits, with a bound, until
// its JSON-RPC endpoint at url answers.
func StartProcess(t testing.TB, name string, cmd *exec.Cmd, url string) *DevChain {
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
		if err := Ping(ctx, url); err == nil {
			return &DevChain{Name: name, URL: url, Stop: stop}
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

// Ping asks the JSON-RPC endpoint at url for its chain ID.
func Ping(ctx context.Context, url string) error {
	c, err := rpc.DialContext(ctx, url)
	if err != nil {
		return err
	}
	defer c.Close()
	var id string
	return c.CallContext(ctx, &id, "eth_chainId")
}

// AnvilBinary is the platform binary of anvil in the repository's npm
// toolchain under root (make deps installs it), not the node wrapper in
// node_modules/.bin, which would leave the real process behind when
// killed; "" if it is not installed.
func AnvilBinary(root string) string {
	bin := filepath.Join(root, "node_modules", "@foundry-rs", "anvil-"+runtime.GOOS+"-"+runtime.GOARCH, "bin", "anvil")
	if _, err := os.Stat(bin); err != nil {
		return ""
	}
	return bin
}

// StartAnvil starts anvil (AnvilBinary) with a block every second, as on a
// real chain: epochs are read at blocks.
// Anvil starts the anvil of the repository at root (make deps installs
// it), failing the test if it is not installed, and returns its RPC URL.
func Anvil(t testing.TB, root string) string {
	t.Helper()
	bin := AnvilBinary(root)
	if bin == "" {
		t.Fatal("anvil is not installed: run make deps")
	}
	return StartAnvil(t, bin).URL
}

func StartAnvil(t testing.TB, bin string) *DevChain {
	t.Helper()
	port := FreePort(t)
	cmd := exec.Command(bin, "--host", "127.0.0.1", "--port", fmt.Sprint(port), "--silent", "--block-time", "1")
	return StartProcess(t, "anvil", cmd, fmt.Sprintf("http://127.0.0.1:%d", port))
}
