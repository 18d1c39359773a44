package test

import (
	"cmp"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"math/big"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/murmurnet/murmur/bindings"
	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/internal/testutil"
	"github.com/murmurnet/murmur/node/client"
)

// TestSoak runs a network for a long time under load, as `make soak` asks
// (MURMUR_SOAK=30m; not part of `make test`): relays as their own
// processes, built with the CLI from a network file on anvil (two
// providers, the rest mixes, one of which sells tickets), payments on
// (clients buy tickets, relays settle hop by hop from Vault deposits),
// SDK clients with cover traffic writing to each other, and a mix killed
// with SIGKILL and restarted every minute or two. It reports messages
// sent, delivered, lost and duplicated, latency p50/p99, each relay's
// memory and file descriptors over time, and checks that the Vault's books
// balance to the wei: every account's deposit is what its deposits, minus
// what it paid from them, leave, and the vault holds exactly the sum.
//
// MURMUR_SOAK_RELAYS (20) and MURMUR_SOAK_CLIENTS (50) size the network.
// MURMUR_SOAK_PROFILES=dir runs the relays with Go's profiles on
// (MURMUR_PPROF) and saves each provider's heap profile there every five
// minutes, for `go tool pprof -diff_base`.
func TestSoak(t *testing.T) {
	spec := os.Getenv("MURMUR_SOAK")
	if spec == "" {
		t.Skip("the soak test runs under make soak (MURMUR_SOAK=30m); it is not part of make test")
	}
	dur, err := time.ParseDuration(spec)
	if err != nil || dur < time.Minute {
		t.Fatalf("MURMUR_SOAK=%q: want a duration of at least 1m", spec)
	}
	nRelays, nClients := soakEnvInt(t, "MURMUR_SOAK_RELAYS", 20), soakEnvInt(t, "MURMUR_SOAK_CLIENTS", 50)
	if nRelays < 5 {
		t.Fatal("MURMUR_SOAK_RELAYS: a soak needs at least 5 relays (2 providers, 3 layers)")
	}
	bin := filepath.Join(murmurBinary(t), "murmur")
	anvil := startAnvil(t)
	ctx, cancel := context.WithTimeout(context.Background(), dur+15*time.Minute)
	defer cancel()
	s := &soak{t: t, bin: bin, dir: t.TempDir(), rpc: anvil.URL, profiles: os.Getenv("MURMUR_SOAK_PROFILES")}
	if s.profiles != "" {
		if err := os.MkdirAll(s.profiles, 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv("MURMUR_PPROF", "1") // the relays inherit it
	}
	// Cover traffic spends a prepaid packet each: about 3 a second, 11,000
	// an hour, 1,000 a ticket.
	s.setup(ctx, soakSpec{relays: nRelays, clients: nClients, tickets: 12})
	s.run(ctx, dur, 10*time.Second, s.restarts, func(ctx context.Context, _ time.Time) { s.sample(ctx) })
	s.drops = s.scrapeDrops()
	s.stop()
	s.report(ctx, dur)
}

func soakEnvInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

type soak struct {
	t             *testing.T
	bin, dir, rpc string
	pw            string
	profiles      string            // where heap profiles go; none if empty
	drops         map[string]string // each relay's drop counters at the end, by name
	chain         *chain.Client
	ec            *ethclient.Client
	fromBlock     uint64
	relays        []*soakRelay
	clients       []*client.Client
	accounts      []common.Address // every account with a Vault deposit
	deposited     map[common.Address]*big.Int

	mu        sync.Mutex
	sentAt    map[string]time.Time // message body → when it was handed to Send
	returned  map[string]time.Time // message body → when Send returned
	sendFails int
	latencies []time.Duration
	delivered map[string]int
	kills     int
	down      []soakDown
}

// soakDown is a time a relay was down: from its kill to 3 s after it
// answered again.
type soakDown struct {
	relay    *soakRelay
	from, to time.Time
}

// soakSpec is the network a soak sets up.
type soakSpec struct {
	relays, clients int
	tickets         int    // bought by each client at the start
	relayConfig     string // TOML added to every relay's config
	issuerConfig    string // TOML added to the issuer's
	issuerRoles     string // the third relay's roles; default "mix,issuer"
}

// soakRelay is one relay process, restarted in place after a kill.
type soakRelay struct {
	name, cfg, metrics string
	roles              string
	addr               common.Address // its operator's
	logf               *os.File

	mu       sync.Mutex
	cmd      *exec.Cmd
	done     chan error
	started  time.Time
	killed   bool // by the soak: its exit is expected
	restarts int
	crashed  []string
	samples  []soakSample
}

type soakSample struct {
	at       time.Time
	rssKB    int
	fds      int
	restarts int
	// Where the memory is: the resident anonymous and file-backed parts
	// (/proc), and the Go runtime's own figures from the relay's metrics.
	anonKB, fileKB int
	goMem          map[string]float64
}

// soakGoMetrics are the runtime figures sampled from each relay: what
// tells growth in the Go heap from growth in stacks, in memory the
// runtime holds but does not use, or outside Go (mapped files).
var soakGoMetrics = []string{"go_memstats_heap_inuse_bytes", "go_memstats_heap_idle_bytes", "go_memstats_heap_released_bytes", "go_memstats_stack_inuse_bytes", "go_memstats_sys_bytes", "go_goroutines"}

func (s *soak) run1(args ...string) string {
	s.t.Helper()
	cmd := exec.Command(s.bin, args...)
	cmd.Dir = s.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("murmur %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// setup deploys, registers, funds and starts the relays, and dials and
// funds the clients.
func (s *soak) setup(ctx context.Context, spec soakSpec) {
	t := s.t
	nRelays, nClients := spec.relays, spec.clients
	s.pw = filepath.Join(s.dir, "pw")
	if err := os.WriteFile(s.pw, []byte("correct horse\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	deployer, rc, err := fundedKeystore(ctx, s.rpc, filepath.Join(s.dir, "deployer"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rc.Close)
	s.ec = ethclient.NewClient(rc)
	s.run1("deploy", "--rpc", s.rpc, "--keystore", deployer.URL.Path, "--password-file", s.pw, "--epoch", "20s", "--out", "network.json")
	network, err := chain.ReadNetworkFile(filepath.Join(s.dir, "network.json"))
	if err != nil {
		t.Fatal(err)
	}
	s.fromBlock = network.DeployBlock
	if s.chain, err = chain.DialNetwork(ctx, s.ec, network); err != nil {
		t.Fatal(err)
	}
	s.deposited = map[common.Address]*big.Int{}

	// Relays: keystores, configs, funds.
	var addrs []common.Address
	for i := range nRelays {
		r := &soakRelay{name: fmt.Sprintf("r%02d", i), roles: "mix"}
		switch {
		case i < 2:
			r.roles = "provider"
		case i == 2:
			r.roles = cmp.Or(spec.issuerRoles, "mix,issuer")
		}
		acct, err := keystore.StoreKey(filepath.Join(s.dir, r.name+"keys"), "correct horse", keystore.LightScryptN, keystore.LightScryptP)
		if err != nil {
			t.Fatal(err)
		}
		addrs = append(addrs, acct.Address)
		r.addr = acct.Address
		r.metrics = fmt.Sprintf("127.0.0.1:%d", freePort(t))
		r.cfg = filepath.Join(s.dir, r.name+".toml")
		cfg := fmt.Sprintf("rpc = %q\nnetwork = \"network.json\"\nkeystore = %q\ndata_dir = %q\nlisten = [\"/ip4/127.0.0.1/tcp/%d\"]\nmetrics = %q\n",
			s.rpc, acct.URL.Path, r.name+"data", freePort(t), r.metrics)
		if strings.Contains(r.roles, "issuer") {
			cfg += spec.issuerConfig
		}
		cfg += spec.relayConfig
		if err := os.WriteFile(r.cfg, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		if r.logf, err = os.OpenFile(filepath.Join(s.dir, r.name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err != nil {
			t.Fatal(err)
		}
		s.relays = append(s.relays, r)
	}
	if err := chain.FundFromNode(ctx, rc, s.ec, chain.Ether(1), addrs...); err != nil {
		t.Fatal(err)
	}
	relayDeposit := chain.Ether(1)
	relayDeposit.Div(relayDeposit, big.NewInt(10)) // 0.1 ETH
	for i, r := range s.relays {
		s.run1("relay", "register", "--config", r.cfg, "--password-file", s.pw, "--roles", r.roles, "--stake", "0.05")
		s.run1("vault", "deposit", "--config", r.cfg, "--password-file", s.pw, "--amount", "0.1")
		s.accounts = append(s.accounts, addrs[i])
		s.deposited[addrs[i]] = relayDeposit
	}
	for _, r := range s.relays {
		if err := r.start(s.bin, s.pw, s.dir); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		for _, r := range s.relays {
			r.kill()
		}
	})
	t.Logf("%d relays registered and running; waiting for the network to carry loops", nRelays)
	s.waitLoops(ctx)

	// Clients: an account each with a deposit, tickets bought through the SDK.
	keys := make([]*ecdsa.PrivateKey, nClients)
	var caddrs []common.Address
	for i := range keys {
		if keys[i], err = crypto.GenerateKey(); err != nil {
			t.Fatal(err)
		}
		caddrs = append(caddrs, crypto.PubkeyToAddress(keys[i].PublicKey))
	}
	if err := chain.FundFromNode(ctx, rc, s.ec, chain.Ether(1), caddrs...); err != nil {
		t.Fatal(err)
	}
	clientDeposit := big.NewInt(1e16) // 0.01 ETH
	for i, k := range keys {
		if _, err := s.chain.Deposit(ctx, bind.NewKeyedTransactor(k, s.chain.ChainID()), clientDeposit); err != nil {
			t.Fatal(err)
		}
		s.accounts = append(s.accounts, caddrs[i])
		s.deposited[caddrs[i]] = clientDeposit
	}
	for i, k := range keys {
		dctx, dcancel := context.WithTimeout(ctx, time.Minute)
		c, err := client.Dial(dctx, client.Options{RPC: s.rpc, NetworkFile: filepath.Join(s.dir, "network.json"),
			DataDir: filepath.Join(s.dir, fmt.Sprintf("c%02d", i)), Account: k})
		if err == nil {
			_, err = c.Buy(dctx, spec.tickets)
		}
		dcancel()
		if err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
		s.clients = append(s.clients, c)
	}
	t.Cleanup(func() {
		for _, c := range s.clients {
			c.Close()
		}
	})
	t.Logf("%d clients connected, %d tickets each", nClients, spec.tickets)
}

func (r *soakRelay) start(bin, pw, dir string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	// --cash-all: a relay stopped with SIGINT at the end cashes every
	// cheque it holds, so that the books below see the money move.
	cmd := exec.Command(bin, "relay", "run", "--config", r.cfg, "--password-file", pw, "--cash-all")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = r.logf, r.logf
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	r.cmd, r.done, r.started, r.killed = cmd, done, time.Now(), false
	go func() {
		err := cmd.Wait()
		r.mu.Lock()
		if !r.killed {
			r.crashed = append(r.crashed, fmt.Sprintf("%s: %v", time.Now().Format(time.TimeOnly), err))
		}
		r.mu.Unlock()
		done <- err
	}()
	return nil
}

// kill stops the process with SIGKILL and waits for it.
func (r *soakRelay) kill() {
	r.signal(syscall.SIGKILL)
}

func (r *soakRelay) signal(sig syscall.Signal) {
	r.mu.Lock()
	cmd, done := r.cmd, r.done
	r.killed = true
	r.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(3 * time.Minute):
		_ = cmd.Process.Kill()
		<-done
	}
	r.mu.Lock()
	r.cmd = nil
	r.mu.Unlock()
}

// waitLoops returns once every mix has had a loop come back through the
// rest of the network.
func (s *soak) waitLoops(ctx context.Context) {
	deadline := time.Now().Add(3 * time.Minute)
	for _, r := range s.relays {
		if !strings.Contains(r.roles, "mix") {
			continue
		}
		for {
			var st struct{ Loops struct{ Returned uint64 } }
			if err := testutil.GetJSON("http://"+r.metrics+"/status", &st); err == nil && st.Loops.Returned > 0 {
				break
			}
			if time.Now().After(deadline) || ctx.Err() != nil {
				s.t.Fatalf("%s: no loop came back within 3 minutes", r.name)
			}
			time.Sleep(time.Second)
		}
	}
}

// run sends messages between random clients (one every sendEvery per
// client on average) for dur, while each of also runs (TestSoak: killing
// and restarting a mix every 90 s on average, and sampling every relay's
// memory and descriptors every 30 s).
func (s *soak) run(ctx context.Context, dur, sendEvery time.Duration, also ...func(ctx context.Context, end time.Time)) {
	s.sentAt, s.returned = map[string]time.Time{}, map[string]time.Time{}
	s.delivered = map[string]int{}
	rctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	end := time.Now().Add(dur)
	for i, c := range s.clients {
		wg.Add(2)
		go func() { defer wg.Done(); s.receive(rctx, c) }()
		go func() { defer wg.Done(); s.send(rctx, i, end, sendEvery) }()
	}
	for _, f := range also {
		wg.Add(1)
		go func() { defer wg.Done(); f(rctx, end) }()
	}
	for time.Now().Before(end) {
		time.Sleep(min(time.Minute, time.Until(end)+time.Millisecond))
		s.mu.Lock()
		s.t.Logf("%s: %d sent, %d delivered, %d kills", time.Now().Format(time.TimeOnly), len(s.sentAt), len(s.latencies), s.kills)
		s.mu.Unlock()
	}
	// What is still in flight has up to a minute to arrive, and stops
	// being waited for once 15 s pass with nothing new.
	last, lastAt := -1, time.Now()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(time.Second) {
		s.mu.Lock()
		got, all := len(s.latencies), len(s.latencies) == len(s.sentAt)
		s.mu.Unlock()
		if got != last {
			last, lastAt = got, time.Now()
		}
		if all || time.Since(lastAt) > 15*time.Second {
			break
		}
	}
	cancel()
	wg.Wait()
}

// waitExp waits an exponential time of the given mean, and reports
// whether there is still time to act: ctx not done and end not passed.
func waitExp(ctx context.Context, rng *rand.Rand, mean time.Duration, end time.Time) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(time.Duration(rng.ExpFloat64() * float64(mean))):
	}
	return time.Now().Before(end)
}

func (s *soak) send(ctx context.Context, i int, end time.Time, every time.Duration) {
	rng := rand.New(rand.NewPCG(uint64(i), 7))
	seq := 0
	for waitExp(ctx, rng, every, end) {
		j := rng.IntN(len(s.clients) - 1)
		if j >= i {
			j++
		}
		seq++
		body := fmt.Sprintf("soak %d→%d #%d", i, j, seq)
		// Recorded before Send, so that a message that arrives before Send
		// returns is counted with its latency.
		s.mu.Lock()
		s.sentAt[body] = time.Now()
		s.mu.Unlock()
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := s.clients[i].Send(sctx, s.clients[j].Address(), []byte(body), client.SendOptions{})
		cancel()
		s.mu.Lock()
		if err != nil {
			delete(s.sentAt, body)
			s.sendFails++
		} else {
			s.returned[body] = time.Now()
		}
		s.mu.Unlock()
	}
}

func (s *soak) receive(ctx context.Context, c *client.Client) {
	for {
		m, err := c.Receive(ctx)
		if err != nil {
			return
		}
		body := string(m.Body)
		s.mu.Lock()
		s.delivered[body]++
		if at, ok := s.sentAt[body]; ok && s.delivered[body] == 1 {
			s.latencies = append(s.latencies, m.Received.Sub(at))
		}
		s.mu.Unlock()
	}
}

func (s *soak) restarts(ctx context.Context, end time.Time) {
	rng := rand.New(rand.NewPCG(99, 1))
	// Only half the mixes are ever killed, so that the other half show
	// memory over the whole run, and the killed ones can be held to them.
	var mixes []*soakRelay
	for _, r := range s.relays {
		if r.roles == "mix" {
			mixes = append(mixes, r)
		}
	}
	mixes = mixes[:max(1, len(mixes)/2)]
	for waitExp(ctx, rng, 90*time.Second, end) {
		r := mixes[rng.IntN(len(mixes))]
		if err := s.killAndRestart(ctx, r, time.Duration(1+rng.IntN(5))*time.Second); err != nil {
			s.t.Errorf("restarting %s: %v", r.name, err)
		}
	}
}

// killAndRestart SIGKILLs r, starts it again after down, waits until it
// answers at /status, and records the time from the kill to 3 s after
// that as a time when messages were at risk.
func (s *soak) killAndRestart(ctx context.Context, r *soakRelay, down time.Duration) error {
	from := time.Now()
	r.kill()
	s.mu.Lock()
	s.kills++
	s.mu.Unlock()
	time.Sleep(down)
	r.mu.Lock()
	r.restarts++
	r.mu.Unlock()
	if err := r.start(s.bin, s.pw, s.dir); err != nil {
		return err
	}
	for ctx.Err() == nil && testutil.GetJSON("http://"+r.metrics+"/status", new(struct{})) != nil {
		time.Sleep(100 * time.Millisecond)
	}
	s.mu.Lock()
	s.down = append(s.down, soakDown{r, from, time.Now().Add(3 * time.Second)})
	s.mu.Unlock()
	return nil
}

// losses sorts the messages lost: a message is on its way from the call
// to Send until as long after it returned as the slowest message that
// arrived took (at least 2 s: a loaded machine stretches it), and at risk
// if that meets a time a relay was down. Those sent while every relay was
// up (safe) must all arrive: there is no retransmission (issue 15), so
// what a relay holds when it dies is lost, but nothing else may be. s.mu
// is held.
func (s *soak) losses() (lost, lostAtRisk, safe int, transit time.Duration, unexplained []string) {
	transit = 2 * time.Second
	for _, l := range s.latencies {
		transit = max(transit, l)
	}
	atRisk := func(from, to time.Time) bool {
		to = to.Add(transit)
		for _, w := range s.down {
			if !to.Before(w.from) && !from.After(w.to) {
				return true
			}
		}
		return false
	}
	for body, at := range s.sentAt {
		risky := atRisk(at, s.returned[body])
		if !risky {
			safe++
		}
		if s.delivered[body] > 0 {
			continue
		}
		lost++
		if risky {
			lostAtRisk++
		} else {
			unexplained = append(unexplained, fmt.Sprintf("%q sent %s–%s%s", body, at.Format("15:04:05.000"), s.returned[body].Format("15:04:05.000"), s.around(at, s.returned[body].Add(transit))))
		}
	}
	slices.Sort(unexplained)
	return lost, lostAtRisk, safe, transit, unexplained
}

func (s *soakDown) String() string {
	return fmt.Sprintf("%s down %s–%s", s.relay.name, s.from.Format("15:04:05.000"), s.to.Format("15:04:05.000"))
}

// around says what happened near a message lost while every relay was up:
// the nearest times relays were down, and what the relays logged above
// INFO while it was on its way. s.mu is held.
func (s *soak) around(from, to time.Time) string {
	var b strings.Builder
	var before, after *soakDown
	for i := range s.down {
		w := &s.down[i]
		if w.to.Before(from) && (before == nil || w.to.After(before.to)) {
			before = w
		}
		if w.from.After(to) && (after == nil || w.from.Before(after.from)) {
			after = w
		}
	}
	fmt.Fprintf(&b, "\n\tlast down before: %v; next down after: %v", before, after)
	lines := 0
	for _, r := range s.relays {
		f, err := os.ReadFile(r.logf.Name())
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(f), "\n") {
			at, err := time.ParseInLocation("2006/01/02 15:04:05", line[:min(len(line), 19)], time.Local)
			if err != nil || at.Before(from.Truncate(time.Second)) || at.After(to) || strings.Contains(line, " INFO ") {
				continue
			}
			if lines++; lines <= 40 {
				fmt.Fprintf(&b, "\n\t%s: %s", r.name, line)
			}
		}
	}
	return b.String()
}

func (s *soak) sample(ctx context.Context) {
	tick := time.NewTicker(30 * time.Second)
	defer tick.Stop()
	start := time.Now()
	for n := 0; ; n++ {
		if s.profiles != "" && n%10 == 0 {
			s.saveHeaps(time.Since(start))
		}
		for _, r := range s.relays {
			r.mu.Lock()
			if r.cmd != nil && r.cmd.Process != nil {
				if u, err := procUsage(r.cmd.Process.Pid); err == nil {
					u.at, u.restarts, u.goMem = time.Now(), r.restarts, scrapeGoMetrics(r.metrics)
					r.samples = append(r.samples, u)
				}
			}
			r.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// saveHeaps saves each provider's heap profile, named by the time into
// the run.
func (s *soak) saveHeaps(at time.Duration) {
	for _, r := range s.relays {
		if !strings.Contains(r.roles, "provider") {
			continue
		}
		resp, err := http.Get("http://" + r.metrics + "/debug/pprof/heap")
		if err != nil {
			s.t.Logf("%s: heap profile: %v", r.name, err)
			continue
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode == http.StatusOK {
			err = os.WriteFile(filepath.Join(s.profiles, fmt.Sprintf("%s-%03dm.heap", r.name, int(at.Minutes()))), b, 0o644)
		}
		if err != nil || resp.StatusCode != http.StatusOK {
			s.t.Logf("%s: heap profile: %v (HTTP %d)", r.name, err, resp.StatusCode)
		}
	}
}

// procUsage reads a process's resident memory (kB: all, anonymous and
// file-backed) and open descriptors.
func procUsage(pid int) (soakSample, error) {
	var u soakSample
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return u, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "VmRSS:":
			u.rssKB, _ = strconv.Atoi(f[1])
		case "RssAnon:":
			u.anonKB, _ = strconv.Atoi(f[1])
		case "RssFile:":
			u.fileKB, _ = strconv.Atoi(f[1])
		}
	}
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return u, err
	}
	u.fds = len(ents)
	return u, nil
}

// scrapeGoMetrics reads soakGoMetrics from a relay's /metrics; nil if it
// does not answer (restarting).
func scrapeGoMetrics(addr string) map[string]float64 {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get("http://" + addr + "/metrics")
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil
	}
	got := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && slices.Contains(soakGoMetrics, f[0]) {
			got[f[0]], _ = strconv.ParseFloat(f[1], 64)
		}
	}
	return got
}

// memoryParts says where a relay's memory went between two samples.
func memoryParts(a, b soakSample) string {
	mb := func(kb int) string { return fmt.Sprintf("%.1f", float64(kb)/1024) }
	s := fmt.Sprintf("anonymous %s→%s MB, file-backed %s→%s MB", mb(a.anonKB), mb(b.anonKB), mb(a.fileKB), mb(b.fileKB))
	for _, name := range soakGoMetrics {
		x, okA := a.goMem[name]
		y, okB := b.goMem[name]
		if !okA || !okB {
			continue
		}
		short := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(name, "go_memstats_"), "go_"), "_bytes")
		if strings.HasSuffix(name, "_bytes") {
			s += fmt.Sprintf(", %s %.1f→%.1f MB", short, x/(1<<20), y/(1<<20))
		} else {
			s += fmt.Sprintf(", %s %.0f→%.0f", short, x, y)
		}
	}
	return s
}

// scrapeDrops reads each running relay's drop counters (the reasons with
// a count), for the report: where packets went when messages are lost.
func (s *soak) scrapeDrops() map[string]string {
	out := map[string]string{}
	c := http.Client{Timeout: 5 * time.Second}
	for _, r := range s.relays {
		resp, err := c.Get("http://" + r.metrics + "/metrics")
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		var drops []string
		for _, line := range strings.Split(string(b), "\n") {
			rest, ok := strings.CutPrefix(line, `murmur_packets_dropped_total{reason="`)
			if !ok {
				continue
			}
			reason, count, ok := strings.Cut(rest, `"} `)
			if ok && count != "0" {
				drops = append(drops, reason+" "+count)
			}
		}
		if len(drops) > 0 {
			out[r.name] = strings.Join(drops, ", ")
		}
	}
	return out
}

// stop ends every relay with SIGINT, so that it settles with its
// neighbours and cashes what is due.
func (s *soak) stop() {
	var wg sync.WaitGroup
	for _, c := range s.clients {
		c.Close()
	}
	for _, r := range s.relays {
		wg.Add(1)
		go func() { defer wg.Done(); r.signal(syscall.SIGINT) }()
	}
	wg.Wait()
}

// stopOneByOne ends the relays with SIGINT one at a time, so that each
// settles with neighbours that are still up.
func (s *soak) stopOneByOne() {
	for _, c := range s.clients {
		c.Close()
	}
	for _, r := range s.relays {
		r.signal(syscall.SIGINT)
	}
}

func (s *soak) report(ctx context.Context, dur time.Duration) {
	t := s.t
	s.mu.Lock()
	sent, dups := len(s.sentAt), 0
	lost, lostAtRisk, safe, transit, unexplained := s.losses()
	for _, n := range s.delivered {
		if n > 1 {
			dups += n - 1
		}
	}
	lat := slices.Clone(s.latencies)
	s.mu.Unlock()
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	t.Logf("soak of %s: %d relays, %d clients, %d mix kills (SIGKILL, restart 1–5 s later)", dur, len(s.relays), len(s.clients), s.kills)
	t.Logf("messages: %d sent (%d sends failed), %d delivered, %d lost (%.2f %%), %d duplicates; latency p50 %s, p99 %s",
		sent, s.sendFails, len(lat), lost, 100*float64(lost)/float64(max(sent, 1)), dups, pct(0.50).Round(time.Millisecond), pct(0.99).Round(time.Millisecond))
	t.Logf("loss model (in transit up to %s after Send returned): %d lost on their way while a relay was down or just back; %d sent while every relay was up, of which %d lost",
		transit.Round(time.Millisecond), lostAtRisk, safe, len(unexplained))
	if len(unexplained) > 0 {
		t.Errorf("%d messages sent while every relay was up were lost: %s", len(unexplained), strings.Join(unexplained, "; "))
	}

	// Memory and descriptors: growth over the last 20 minutes (or the last
	// two thirds of a shorter run: the first third is start-up) of each
	// relay that was not restarted in it.
	window := min(20*time.Minute, dur*2/3)
	var worstRSS, worstFD float64
	for _, r := range s.relays {
		if len(r.samples) == 0 {
			continue
		}
		last := r.samples[len(r.samples)-1]
		from := -1
		for i, sm := range r.samples {
			if last.at.Sub(sm.at) <= window && sm.restarts == last.restarts {
				from = i
				break
			}
		}
		line := fmt.Sprintf("%s (%s, %d restarts): RSS %d kB, %d fds", r.name, r.roles, r.restarts, last.rssKB, last.fds)
		if d := s.drops[r.name]; d != "" {
			line += "; dropped (since its last start): " + d
		}
		// Only a relay that ran the whole window after a warm-up (the
		// first third of the run, at most 5 minutes): one restarted later
		// is warming up (held to the never-restarted mixes below instead).
		warm := min(5*time.Minute, dur/3)
		if from >= 0 && last.at.Sub(r.started) >= window+warm && last.at.Sub(r.samples[from].at) >= window*3/4 {
			first := r.samples[from]
			g := 100 * float64(last.rssKB-first.rssKB) / float64(first.rssKB)
			fg := 100 * float64(last.fds-first.fds) / float64(first.fds)
			worstRSS, worstFD = max(worstRSS, g), max(worstFD, fg)
			line += fmt.Sprintf("; over the last %s RSS %+.1f %%, fds %+.1f %%", last.at.Sub(first.at).Round(time.Minute), g, fg)
			if strings.Contains(r.roles, "provider") || g > 10 {
				line += " (" + memoryParts(first, last) + ")"
			}
		}
		if len(r.crashed) > 0 {
			line += "; exited on its own: " + strings.Join(r.crashed, ", ")
			t.Errorf("%s exited without being killed: %v", r.name, r.crashed)
		}
		t.Log(line)
	}
	t.Logf("worst growth over the window: RSS %+.1f %%, fds %+.1f %%", worstRSS, worstFD)
	// A mix restarted in the window cannot show growth over it; it is
	// held to the mixes never restarted instead: a leak would leave it
	// above them, a warm-up level with them.
	var steady []int
	for _, r := range s.relays {
		if r.roles == "mix" && r.restarts == 0 && len(r.samples) > 0 {
			steady = append(steady, r.samples[len(r.samples)-1].rssKB)
		}
	}
	if len(steady) > 0 {
		slices.Sort(steady)
		median := steady[len(steady)/2]
		for _, r := range s.relays {
			if r.roles == "mix" && r.restarts > 0 && len(r.samples) > 0 {
				last := r.samples[len(r.samples)-1]
				t.Logf("%s (%d restarts, the last %s before the end): RSS %d kB, %+.1f %% against the median of the mixes never restarted (%d kB)",
					r.name, r.restarts, last.at.Sub(r.started).Round(time.Second), last.rssKB, 100*float64(last.rssKB-median)/float64(median), median)
			}
		}
	}
	if err := s.books(ctx); err != nil {
		t.Error(err)
	}
	if sent == 0 || len(lat) == 0 {
		t.Error("no message was delivered")
	}
	if dups > 0 {
		t.Errorf("%d messages were delivered twice", dups)
	}
}

// books checks the Vault to the wei: for every account, its deposits less
// what it paid out of them (cheques and winning lottery tickets, less what
// a bounce took from stake instead) less its withdrawals is its balance,
// and the vault holds the sum of the balances.
func (s *soak) books(ctx context.Context) error {
	t := s.t
	logs, err := s.ec.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(s.fromBlock), Addresses: []common.Address{s.chain.Contracts().Vault}})
	if err != nil {
		return err
	}
	v := bindings.NewVault()
	want := map[common.Address]*big.Int{}
	add := func(a common.Address, x *big.Int) {
		if want[a] == nil {
			want[a] = new(big.Int)
		}
		want[a].Add(want[a], x)
	}
	var cheques, wins, bounces int
	paid := new(big.Int)
	for i := range logs {
		l := &logs[i]
		if e, err := v.UnpackDepositedEvent(l); err == nil {
			add(e.Account, e.Amount)
		} else if e, err := v.UnpackChequeCashedEvent(l); err == nil {
			add(e.Payer, new(big.Int).Neg(e.Amount))
			paid.Add(paid, e.Amount)
			cheques++
		} else if e, err := v.UnpackTicketRedeemedEvent(l); err == nil {
			add(e.Payer, new(big.Int).Neg(e.Amount))
			paid.Add(paid, e.Amount)
			wins++
		} else if e, err := v.UnpackChequeBouncedEvent(l); err == nil {
			add(e.Payer, e.FromStake) // paid from stake, not from the deposit
			bounces++
		} else if e, err := v.UnpackWithdrawnEvent(l); err == nil {
			add(e.Payer, new(big.Int).Neg(e.Amount))
		} else if !errors.Is(err, bind.ErrEventSignatureMismatch) {
			return fmt.Errorf("vault log %d: %w", i, err)
		}
	}
	sum := new(big.Int)
	for _, a := range s.accounts {
		got, err := s.chain.VaultBalance(ctx, a)
		if err != nil {
			return err
		}
		w := want[a]
		if w == nil {
			w = new(big.Int)
		}
		if got.Cmp(w) != 0 {
			return fmt.Errorf("books: %s holds %s wei in the vault, its events say %s", a, got, w)
		}
		sum.Add(sum, got)
	}
	held, err := s.ec.BalanceAt(ctx, s.chain.Contracts().Vault, nil)
	if err != nil {
		return err
	}
	if held.Cmp(sum) != 0 {
		return fmt.Errorf("books: the vault holds %s wei, its accounts %s", held, sum)
	}
	t.Logf("books balance to the wei: %d accounts, %s wei in the vault; %d cheques and %d winning tickets cashed for %s wei, %d bounces",
		len(s.accounts), held, cheques, wins, paid, bounces)
	return nil
}
