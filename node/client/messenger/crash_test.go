package messenger_test

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/devnet"
	"github.com/murmurnet/murmur/internal/testutil"
	"github.com/murmurnet/murmur/messaging/card"
	"github.com/murmurnet/murmur/messaging/reliable"
	"github.com/murmurnet/murmur/messaging/session"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/node/client/messenger"
	"github.com/murmurnet/murmur/node/cover"
)

// rates are the clients' cover traffic in these tests (mu 50 ms).
var rates = cover.Rates{LambdaP: 8, LambdaL: 1, LambdaD: 1, LambdaM: 1, Mu: 50 * time.Millisecond}

// userChild is what TestKilledMidConversation tells bob's process.
type userChild struct {
	RPC, NetworkFile, Provider, DataDir string
	Key                                 string // bob's account key, hex (a test's throwaway)
	Peer                                common.Address
	Messages                            int
	Pace                                time.Duration
}

func TestMain(m *testing.M) {
	if spec := os.Getenv("MURMUR_USER_CHILD"); spec != "" {
		os.Exit(runUserChild(spec))
	}
	os.Exit(m.Run())
}

// makeCard signs the card of the client's address with key, from the
// keys of st.
func makeCard(c *client.Client, st *session.Store, chainID uint64, key string) (*card.Signed, error) {
	k, err := crypto.HexToECDSA(key)
	if err != nil {
		return nil, err
	}
	a := c.Address()
	cd := st.Card(a.Provider, a.Mailbox, a.Key)
	now := time.Now().Truncate(time.Second)
	cd.ChainID, cd.Account = chainID, crypto.PubkeyToAddress(k.PublicKey)
	cd.Issued, cd.Expires = now.Add(-time.Minute), now.Add(24*time.Hour)
	return card.Sign(cd, k)
}

// runUserChild is bob: from his data directory, with the card he
// published on his first run, he writes his messages to the peer (those
// not queued before), and prints "got: <body>" for each message Receive
// returns, until he is killed.
func runUserChild(path string) int {
	var s userChild
	if b, err := os.ReadFile(path); err != nil || json.Unmarshal(b, &s) != nil {
		fmt.Fprintln(os.Stderr, "user child: bad spec", err)
		return 2
	}
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "user child:", err); return 2 }
	ctx := context.Background()
	c, err := client.Dial(ctx, client.Options{RPC: s.RPC, NetworkFile: s.NetworkFile, Provider: s.Provider, DataDir: s.DataDir, Cover: rates, MeanDelay: rates.Mu})
	if err != nil {
		return fail(err)
	}
	st, err := session.Open(filepath.Join(s.DataDir, "conversations"))
	if err != nil {
		return fail(err)
	}
	chainID := c.Chain().ChainID().Uint64()
	cardFile := filepath.Join(s.DataDir, "card")
	var own card.Signed
	if b, err := os.ReadFile(cardFile); err == nil {
		if err := own.UnmarshalBinary(b); err != nil {
			return fail(err)
		}
	} else {
		sc, err := makeCard(c, st, chainID, s.Key)
		if err != nil {
			return fail(err)
		}
		if err := c.PublishCard(ctx, sc); err != nil {
			return fail(err)
		}
		b, _ := sc.MarshalBinary()
		if err := os.WriteFile(cardFile, b, 0o600); err != nil {
			return fail(err)
		}
		own = *sc
	}
	m, err := messenger.Open(messenger.Options{Client: c, Sessions: st, Card: &own, Dir: filepath.Join(s.DataDir, "messenger"), ChainID: chainID})
	if err != nil {
		return fail(err)
	}
	fmt.Println("ready")
	go func() {
		for i := int(m.Queued(s.Peer)); i < s.Messages; i++ {
			if _, err := m.Send(ctx, s.Peer, fmt.Appendf(nil, "bob %02d", i)); err != nil {
				fmt.Fprintln(os.Stderr, "user child: send:", err)
				return
			}
			time.Sleep(s.Pace)
		}
	}()
	for {
		msg, err := m.Receive(ctx)
		if err != nil {
			return fail(err)
		}
		fmt.Printf("got: %s\n", msg.Body)
	}
}

// TestKilledMidConversation: alice and bob converse, 50 messages each
// way, through a mix dropping 10 % of what it should relay; bob's process
// is killed with SIGKILL mid-conversation and started again from its data
// directory. Each side receives every message of the other once, in
// order, and alice sees all of hers delivered.
func TestKilledMidConversation(t *testing.T) {
	if testing.Short() {
		t.Skip("a devnet on anvil and a user process")
	}
	rpc := testutil.Anvil(t, "../../..")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	nw, err := devnet.Start(ctx, devnet.Options{RPC: rpc, NoPayments: true, Cover: rates, EpochLength: 10 * time.Second,
		Faults: map[string]node.Faults{"mix2.1": {DropRelayed: 0.1}}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	dir := t.TempDir()
	netFile := filepath.Join(dir, "network.json")
	if err := nw.WriteNetworkFile(ctx, netFile); err != nil {
		t.Fatal(err)
	}
	chainID := nw.Chain.ChainID().Uint64()

	// Alice, in this process.
	ac, err := client.New(ctx, nw.ClientConfig(0))
	if err != nil {
		t.Fatal(err)
	}
	defer ac.Close()
	ast, err := session.Open(filepath.Join(dir, "alice-conversations"))
	if err != nil {
		t.Fatal(err)
	}
	defer ast.Close()
	aliceKey, _ := crypto.GenerateKey()
	acard, err := makeCard(ac, ast, chainID, hex.EncodeToString(crypto.FromECDSA(aliceKey)))
	if err != nil {
		t.Fatal(err)
	}
	if err := ac.PublishCard(ctx, acard); err != nil {
		t.Fatal(err)
	}
	alice, err := messenger.Open(messenger.Options{Client: ac, Sessions: ast, Card: acard, Dir: filepath.Join(dir, "alice"), ChainID: chainID})
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Close()

	// Bob, a process of his own.
	bobKey, _ := crypto.GenerateKey()
	bobAccount := crypto.PubkeyToAddress(bobKey.PublicKey)
	const n, pace = 50, 400 * time.Millisecond
	spec := userChild{RPC: rpc, NetworkFile: netFile, Provider: nw.ProviderAddr(1), DataDir: filepath.Join(dir, "bob"),
		Key: hex.EncodeToString(crypto.FromECDSA(bobKey)), Peer: acard.Account, Messages: n, Pace: pace}
	b, _ := json.Marshal(spec)
	specFile := filepath.Join(dir, "bob.json")
	if err := os.WriteFile(specFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var bobGot []string
	start := func() (*exec.Cmd, <-chan struct{}) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "MURMUR_USER_CHILD="+specFile)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan struct{})
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if sc.Text() == "ready" {
					close(ready)
				} else if body, ok := strings.CutPrefix(sc.Text(), "got: "); ok {
					mu.Lock()
					bobGot = append(bobGot, body)
					mu.Unlock()
				}
			}
		}()
		return cmd, ready
	}
	bob, ready := start()
	select {
	case <-ready:
	case <-ctx.Done():
		t.Fatal("bob's process did not start")
	}
	testutil.WaitFor(t, 20*time.Second, "bob's card at both providers", func() bool {
		return nw.Result.Relays[0].Node.CardStats().Kept == 2 && nw.Result.Relays[1].Node.CardStats().Kept == 2
	})

	var ids []messenger.MessageID
	sendErr := make(chan error, 1)
	go func() {
		for i := range n {
			id, err := alice.Send(ctx, bobAccount, fmt.Appendf(nil, "alice %02d", i))
			if err != nil {
				sendErr <- err
				return
			}
			mu.Lock()
			ids = append(ids, id)
			mu.Unlock()
			time.Sleep(pace)
		}
		sendErr <- nil
	}()
	var aliceGot []string
	recvErr := make(chan error, 1)
	go func() {
		for range n {
			m, err := alice.Receive(ctx)
			if err != nil {
				recvErr <- err
				return
			}
			if m.From != bobAccount {
				recvErr <- fmt.Errorf("a message from %s", m.From.Hex())
				return
			}
			mu.Lock()
			aliceGot = append(aliceGot, string(m.Body))
			mu.Unlock()
		}
		recvErr <- nil
	}()

	// Mid-conversation: bob has some of alice's messages, not all.
	testutil.WaitFor(t, 60*time.Second, "bob to receive 15 messages", func() bool { mu.Lock(); defer mu.Unlock(); return len(bobGot) >= 15 })
	bob.Process.Kill()
	bob.Wait()
	mu.Lock()
	t.Logf("bob killed with %d of alice's messages received and %d of his received by alice", len(bobGot), len(aliceGot))
	mu.Unlock()
	time.Sleep(time.Second) // bob stays away a moment: alice's messages wait at his provider
	bob, ready = start()
	defer func() { bob.Process.Kill(); bob.Wait() }()
	<-ready

	if err := <-sendErr; err != nil {
		t.Fatal(err)
	}
	if err := <-recvErr; err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, 90*time.Second, "bob to receive all of alice's messages", func() bool { mu.Lock(); defer mu.Unlock(); return len(bobGot) >= n })
	testutil.WaitFor(t, 60*time.Second, "alice's messages all acknowledged", func() bool {
		mu.Lock()
		defer mu.Unlock()
		for _, id := range ids {
			if alice.Status(id) != reliable.Delivered {
				return false
			}
		}
		return true
	})
	// Retransmissions sent before the last acknowledgements arrived may
	// still be on their way: a repeat would show within a round trip or two.
	time.Sleep(2 * time.Second)
	mu.Lock()
	defer mu.Unlock()
	for name, got := range map[string][]string{"alice": bobGot, "bob": aliceGot} {
		var want []string
		for i := range n {
			want = append(want, fmt.Sprintf("%s %02d", name, i))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s's messages arrived as %q", name, got)
		}
	}
	t.Logf("alice: %+v", alice.Stats())
}
