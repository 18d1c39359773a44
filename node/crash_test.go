package node_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/identity"
	"github.com/murmurnet/murmur/internal/testutil"
	"github.com/murmurnet/murmur/node"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/node/wire"
	"github.com/murmurnet/murmur/sphinx"
)

// crashSpec is what the parent test tells a relay process it starts.
type crashSpec struct {
	DataDir, Listen     string
	Relay, Sender, Sink string // hex of libp2p keys: the relay's private, the others' public
	SinkAddr            string
	Genesis             int64
}

func TestMain(m *testing.M) {
	if spec := os.Getenv("MURMUR_CRASH_CHILD"); spec != "" {
		runCrashChild(spec) // never returns: the parent kills it
	}
	os.Exit(m.Run())
}

// runCrashChild runs one relay as the spec says until it is killed, and
// prints its Sphinx public key of the epoch ("ready <hex>") once it relays.
func runCrashChild(path string) {
	fail := func(err error) { fmt.Fprintln(os.Stderr, "crash child:", err); os.Exit(2) }
	b, err := os.ReadFile(path)
	if err != nil {
		fail(err)
	}
	var s crashSpec
	if err := json.Unmarshal(b, &s); err != nil {
		fail(err)
	}
	raw := func(h string) []byte { x, _ := hex.DecodeString(h); return x }
	priv, err := lcrypto.UnmarshalPrivateKey(raw(s.Relay))
	if err != nil {
		fail(err)
	}
	own, err := identity.NodeKey(priv)
	if err != nil {
		fail(err)
	}
	relays := []chain.Relay{{NodeKey: own, Roles: chain.RoleMix, Status: chain.StatusActive, Stake: big.NewInt(1)}}
	for _, h := range []string{s.Sender, s.Sink} {
		pub, err := lcrypto.UnmarshalPublicKey(raw(h))
		if err != nil {
			fail(err)
		}
		var k [32]byte
		r, _ := pub.Raw()
		copy(k[:], r)
		relays = append(relays, chain.Relay{NodeKey: k, Roles: chain.RoleMix, Status: chain.StatusActive, Stake: big.NewInt(1)})
	}
	relays[2].Roles = chain.RoleProvider
	epochs := pki.Epochs{Genesis: time.Unix(s.Genesis, 0), Length: time.Hour}
	n, err := node.New(node.Config{
		DataDir: s.DataDir, Identity: priv, Roles: chain.RoleMix, Layers: 1,
		ListenAddrs: []string{s.Listen}, Chain: fixedChain{relays}, Epochs: epochs,
		ReplayCapacity: 1000, NoCover: true,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		fail(err)
	}
	if err := n.Start(context.Background()); err != nil {
		fail(err)
	}
	sink, err := ma.NewMultiaddr(s.SinkAddr)
	if err != nil {
		fail(err)
	}
	info, err := peer.AddrInfoFromP2pAddr(sink)
	if err != nil {
		fail(err)
	}
	n.Host().Peerstore().AddAddrs(info.ID, info.Addrs, time.Hour)
	e := epochs.At(time.Now())
	for {
		changed := n.Directory().Changed() // before the look, so that no change is missed
		if k, ok := n.Directory().SphinxKey(e, n.NodeKey()); ok {
			// The parent reads this line as the sign that the relay relays.
			fmt.Printf("ready %x\n", k[:])
			break
		}
		<-changed
	}
	select {}
}

// TestReplayAfterSIGKILL: a relay process forwards a packet, is killed
// with SIGKILL, and is started again from its data directory within the
// same epoch (same Sphinx key): the same packet sent again is dropped as a
// replay, while a fresh one is forwarded.
func TestReplayAfterSIGKILL(t *testing.T) {
	var keys [3]lcrypto.PrivKey // relay, sender, sink
	for i := range keys {
		keys[i], _, _ = lcrypto.GenerateEd25519Key(rand.Reader)
	}
	var (
		mu   sync.Mutex
		got  [][]byte
		wake = make(chan struct{}, 16)
	)
	frameSize := wire.EpochSize + sphinx.DefaultGeometry().PacketSize()
	sink, err := libp2p.New(libp2p.Identity(keys[2]), libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	sink.SetStreamHandler(wire.MixProtocol, func(s network.Stream) {
		for {
			buf := make([]byte, frameSize)
			if _, err := io.ReadFull(s, buf); err != nil {
				return
			}
			mu.Lock()
			got = append(got, buf)
			mu.Unlock()
			wake <- struct{}{}
		}
	})
	hexKey := func(k []byte, err error) string {
		if err != nil {
			t.Fatal(err)
		}
		return hex.EncodeToString(k)
	}
	dir := t.TempDir()
	port := testutil.FreePort(t)
	spec := crashSpec{
		DataDir: filepath.Join(dir, "relay"), Listen: fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", port),
		Relay: hexKey(lcrypto.MarshalPrivateKey(keys[0])), Sender: hexKey(lcrypto.MarshalPublicKey(keys[1].GetPublic())),
		Sink:     hexKey(lcrypto.MarshalPublicKey(keys[2].GetPublic())),
		SinkAddr: fmt.Sprintf("%s/p2p/%s", sink.Addrs()[0], sink.ID()), Genesis: time.Now().Add(-time.Hour - time.Minute).Unix(), // epoch 1: epoch 0 has no snapshot relays
	}
	specPath := filepath.Join(dir, "spec.json")
	b, _ := json.Marshal(spec)
	if err := os.WriteFile(specPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	start := func() (*exec.Cmd, sphinx.PublicKey) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "MURMUR_CRASH_CHILD="+specPath)
		var logs bytes.Buffer
		cmd.Stderr = &logs
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if k, ok := strings.CutPrefix(sc.Text(), "ready "); ok {
					ready <- k
				}
			}
		}()
		select {
		case k := <-ready:
			var key sphinx.PublicKey
			if b, err := hex.DecodeString(k); err != nil || len(b) != len(key) {
				t.Fatalf("the relay process said %q", k)
			} else {
				copy(key[:], b)
			}
			return cmd, key
		case <-time.After(30 * time.Second):
			cmd.Process.Signal(syscall.SIGQUIT) // its goroutines, for the log
			cmd.Wait()
			t.Fatalf("the relay process did not start within 30 s:\n%s", logs.String())
			return nil, sphinx.PublicKey{}
		}
	}
	kill := func(cmd *exec.Cmd) {
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	relay, key := start()
	defer func() { kill(relay) }()

	relayID, _ := peer.IDFromPrivateKey(keys[0])
	relayKey, _ := identity.NodeKey(keys[0])
	sinkKey, _ := identity.NodeKey(keys[2])
	epoch := pki.Epochs{Genesis: time.Unix(spec.Genesis, 0), Length: time.Hour}.At(time.Now())
	packet := func() []byte {
		pkt, err := sphinx.NewPacket(rand.Reader, sphinx.DefaultGeometry(), []sphinx.Hop{
			{ID: relayKey, PublicKey: key, Command: sphinx.Relay{Next: sinkKey}},
			{ID: sinkKey, PublicKey: key, Command: sphinx.Drop{}}, // the sink does not unwrap
		}, []byte("x"))
		if err != nil {
			t.Fatal(err)
		}
		f := make([]byte, wire.EpochSize+len(pkt))
		wire.PutFrameEpoch(f, epoch)
		copy(f[wire.EpochSize:], pkt)
		return f
	}
	sendFrames := func(frames ...[]byte) {
		t.Helper()
		sender, err := libp2p.New(libp2p.Identity(keys[1]), libp2p.NoListenAddrs)
		if err != nil {
			t.Fatal(err)
		}
		defer sender.Close()
		addr, _ := ma.NewMultiaddr(spec.Listen)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := sender.Connect(ctx, peer.AddrInfo{ID: relayID, Addrs: []ma.Multiaddr{addr}}); err != nil {
			t.Fatal(err)
		}
		s, err := sender.NewStream(ctx, relayID, wire.MixProtocol)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range frames {
			if _, err := s.Write(f); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(got) }
	waitCount := func(n int) {
		t.Helper()
		testutil.WaitFor(t, 20*time.Second, fmt.Sprintf("%d frames at the sink", n), func() bool { return count() >= n })
	}

	first := packet()
	sendFrames(first)
	waitCount(1)

	kill(relay)
	relay, key2 := start()
	if key2 != key {
		t.Fatal("the restarted relay has another Sphinx key for the epoch: this test would not test replays")
	}
	// The replay first, then a fresh packet on the same stream: the fresh
	// one comes through, the replay does not.
	sendFrames(first, packet())
	waitCount(2)
	select {
	case <-time.After(time.Second): // room for a late replay to show up
	case <-wake:
	}
	for len(wake) > 0 {
		<-wake
	}
	if n := count(); n != 2 {
		t.Fatalf("%d frames reached the sink: the replay after the SIGKILL was forwarded", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if bytes.Equal(got[0], got[1]) {
		t.Fatal("the sink got the first packet twice")
	}
}
