package client_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/murmurnet/murmur/devnet"
	"github.com/murmurnet/murmur/internal/testutil"
	"github.com/murmurnet/murmur/node/client"
)

// clientChild is what TestClientKilledBeforeItsAck tells the client
// process it starts.
type clientChild struct {
	RPC, NetworkFile, Provider, DataDir string
	KillBeforeAck                       bool // SIGKILL itself once it has kept what it fetched
	Want                                int  // messages to receive, then one more that must not come
}

func TestMain(m *testing.M) {
	if spec := os.Getenv("MURMUR_CLIENT_CHILD"); spec != "" {
		os.Exit(runClientChild(spec))
	}
	os.Exit(m.Run())
}

// runClientChild is the client process: it prints "message: <body>" for
// each message Receive returns, and "none" when no further one came.
func runClientChild(path string) int {
	var s clientChild
	if b, err := os.ReadFile(path); err != nil || json.Unmarshal(b, &s) != nil {
		fmt.Fprintln(os.Stderr, "client child: bad spec", err)
		return 2
	}
	if s.KillBeforeAck {
		client.SetHookBeforeAck(func() { syscall.Kill(os.Getpid(), syscall.SIGKILL) })
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := client.Dial(ctx, client.Options{RPC: s.RPC, NetworkFile: s.NetworkFile, Provider: s.Provider, DataDir: s.DataDir, NoCover: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "client child:", err)
		return 2
	}
	defer c.Close()
	for range s.Want {
		m, err := c.Receive(ctx)
		if err != nil {
			fmt.Fprintln(os.Stderr, "client child:", err)
			return 2
		}
		fmt.Printf("message: %s\n", m.Body)
	}
	rctx, rcancel := context.WithTimeout(ctx, 3*time.Second)
	defer rcancel()
	if m, err := c.Receive(rctx); err == nil {
		fmt.Printf("message: %s\n", m.Body)
	} else if errors.Is(err, context.DeadlineExceeded) {
		fmt.Println("none")
	} else {
		fmt.Fprintln(os.Stderr, "client child: the last receive:", err)
	}
	return 0
}

// TestClientKilledBeforeItsAck: a client process fetches three messages,
// keeps them on disk, and is killed with SIGKILL before its
// acknowledgement leaves, so the provider still holds them. Started again
// from its data directory, it returns each message once: the ones it
// kept, and not the provider's copies of them, which it acknowledges
// before it fetches again.
func TestClientKilledBeforeItsAck(t *testing.T) {
	if testing.Short() {
		t.Skip("a devnet on anvil and client processes")
	}
	rpc := testutil.Anvil(t, "../..")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	nw, err := devnet.Start(ctx, devnet.Options{RPC: rpc, NoPayments: true, NoCover: true, EpochLength: 10 * time.Second, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	dir := t.TempDir()
	netFile := filepath.Join(dir, "network.json")
	if err := nw.WriteNetworkFile(ctx, netFile); err != nil {
		t.Fatal(err)
	}
	spec := clientChild{RPC: rpc, NetworkFile: netFile, Provider: nw.ProviderAddr(1), DataDir: filepath.Join(dir, "bob"), Want: 3}

	// Bob's address, from his data directory; then he is away while
	// alice writes to him.
	bob, err := client.Dial(ctx, client.Options{RPC: rpc, NetworkFile: netFile, Provider: spec.Provider, DataDir: spec.DataDir, NoCover: true})
	if err != nil {
		t.Fatal(err)
	}
	to := bob.Address()
	bob.Close()
	alice, err := client.New(ctx, nw.ClientConfig(0))
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Close()
	want := []string{"one", "two", "three"}
	for _, m := range want {
		if err := alice.Send(ctx, to, []byte(m), client.SendOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	prov := nw.Result.Relays[1].Node
	testutil.WaitFor(t, 30*time.Second, "bob's provider to hold the three messages", func() bool { return prov.Stats().Delivered == 3 })

	run := func(s clientChild) (string, error) {
		t.Helper()
		b, _ := json.Marshal(s)
		p := filepath.Join(dir, "child.json")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "MURMUR_CLIENT_CHILD="+p)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if stderr.Len() > 0 {
			t.Logf("client process: %s", stderr.String())
		}
		return string(out), err
	}
	out, err := run(clientChild{RPC: spec.RPC, NetworkFile: spec.NetworkFile, Provider: spec.Provider, DataDir: spec.DataDir, Want: spec.Want, KillBeforeAck: true})
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL || out != "" {
		t.Fatalf("the first client process was not killed before its ack: %v, printed %q", err, out)
	}
	kept, _ := filepath.Glob(filepath.Join(spec.DataDir, client.InboxDir, "*.entry"))
	if len(kept) != 3 {
		t.Fatalf("%d entries kept on disk, want the 3 fetched", len(kept))
	}

	out, err = run(spec)
	if err != nil {
		t.Fatalf("the client process after the kill: %v\n%s", err, out)
	}
	var got []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if m, ok := strings.CutPrefix(sc.Text(), "message: "); ok {
			got = append(got, m)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) || !strings.HasSuffix(out, "none\n") {
		t.Fatalf("after the kill the client received %q, want each of %q once:\n%s", got, want, out)
	}
	if left, _ := filepath.Glob(filepath.Join(spec.DataDir, client.InboxDir, "*.entry")); len(left) != 0 {
		t.Errorf("%d entry files left after every message was received", len(left))
	}
}
