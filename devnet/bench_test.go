package devnet

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/murmurnet/murmur/node/client"
)

// BenchmarkCoverDevnet measures the devnet at its default settings, cover
// traffic on: each iteration is one message from alice to bob, sent while
// bob waits for the previous one, so that latency is not queueing behind
// earlier messages. It reports the end-to-end latency (p50, p99), the bytes
// per second on alice's link, and the process CPU per relay (an upper bound:
// the process also runs both clients and the embedded chain).
//
//	go test ./devnet/ -run '^$' -bench CoverDevnet -benchtime 200x
func BenchmarkCoverDevnet(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	nw, alice, bob := startPair(ctx, b)

	before := alice.Traffic()
	cpu0 := cpuTime()
	start := time.Now()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		if err := alice.Send(ctx, bob.Address(), fmt.Appendf(nil, "m%d", i), client.SendOptions{}); err != nil {
			b.Fatal(err)
		}
		if _, err := bob.Receive(ctx); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	after := alice.Traffic()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Milliseconds()), "p99-ms")
	b.ReportMetric(float64(after.Bytes-before.Bytes)/elapsed.Seconds(), "client-B/s")
	b.ReportMetric(float64(after.Real+after.Drops+after.Loops-before.Real-before.Drops-before.Loops)/elapsed.Seconds(), "client-pkt/s")
	b.ReportMetric(100*cpu.Seconds()/elapsed.Seconds()/float64(len(nw.Result.Relays)), "cpu-%/relay")
}

// startPair starts a devnet at its default settings with alice and bob,
// clients of the two providers, and has alice send bob one message, so that
// route setup (descriptor fetches) is not measured. The devnet and clients
// close when b ends.
func startPair(ctx context.Context, b *testing.B) (*Network, *client.Client, *client.Client) {
	nw, err := Start(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(nw.Close)
	var cs [2]*client.Client
	for i := range cs {
		if cs[i], err = client.New(ctx, nw.ClientConfig(i)); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { cs[i].Close() })
	}
	alice, bob := cs[0], cs[1]
	if err := alice.Send(ctx, bob.Address(), []byte("warm-up"), client.SendOptions{}); err != nil {
		b.Fatal(err)
	}
	if _, err := bob.Receive(ctx); err != nil {
		b.Fatal(err)
	}
	return nw, alice, bob
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSettlementCost measures what messages cost at the devnet's
// default settings (cover on, the cost model's prices, tickets of 1,000
// packets): alice sends b.N messages to bob as fast as her payload rate
// allows, while both clients' cover and the mixes' loops run as they
// always do. It reports what alice paid per 1,000 messages (the packets
// her provider charged her at the ticket price) next to what the cost
// model says a client online as long and sending as many messages pays;
// the wei that payees claim on-chain per 1,000 messages and, from it, the
// most gas per 1,000 messages when relays cash only cheques worth
// settle.DefaultCashGasFactor× their gas (cost.go), and its price at
// 1 gwei and 3,000 USD/ETH.
//
//	go test ./devnet/ -run '^$' -bench SettlementCost -benchtime 300x
func BenchmarkSettlementCost(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	nw, alice, bob := startPair(ctx, b)
	settleAll := func() {
		for _, r := range nw.Result.Relays {
			if err := r.Node.SettleUp(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	settleAll()
	before := nw.totals()
	traffic := alice.Traffic()
	began := time.Now()

	b.ResetTimer()
	received := make(chan error, 1)
	go func() {
		for range b.N {
			if _, err := bob.Receive(ctx); err != nil {
				received <- err
				return
			}
		}
		received <- nil
	}()
	for i := 0; i < b.N; {
		err := alice.Send(ctx, bob.Address(), fmt.Appendf(nil, "m%d", i), client.SendOptions{})
		if errors.Is(err, client.ErrSendQueueFull) {
			// A minute of payload slots is queued: let them drain.
			if err := sleepCtx(ctx, time.Second); err != nil {
				b.Fatal(err)
			}
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
	if err := <-received; err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	online := time.Since(began)
	after := alice.Traffic()
	settleAll()
	c := costBetween(before, nw.totals(), b.N)
	l := Link{Online: online, Messages: b.N, Traffic: client.TrafficStats{
		Real: after.Real - traffic.Real, Drops: after.Drops - traffic.Drops, Loops: after.Loops - traffic.Loops}}
	if err := l.price(nw.Opts); err != nil {
		b.Fatal(err)
	}
	steady := c.SteadyGasPer1000(0, refGasPriceWei)
	b.ReportMetric(l.USDPer1000(), "sender-USD/1000msg")
	b.ReportMetric(l.Model.USDPer1000Messages, "model-USD/1000msg")
	b.ReportMetric(float64(l.Charged)/float64(b.N), "charged-pkts/msg")
	b.ReportMetric(c.ClaimedWeiPer1000(), "claimed-wei/1000msg")
	b.ReportMetric(steady, "gas/1000msg")
	b.ReportMetric(USD(steady, refGasPriceWei, refUSDPerETH), "gas-USD/1000msg")
}
