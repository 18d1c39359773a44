package devnet

import (
	"context"
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
//	go test ./node/devnet/ -run '^$' -bench CoverDevnet -benchtime 200x
func BenchmarkCoverDevnet(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	nw, err := Start(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer nw.Close()
	alice, err := client.New(ctx, nw.ClientConfig(0))
	if err != nil {
		b.Fatal(err)
	}
	defer alice.Close()
	bob, err := client.New(ctx, nw.ClientConfig(1))
	if err != nil {
		b.Fatal(err)
	}
	defer bob.Close()
	// One message first, so that route setup (descriptor fetches) is not measured.
	if err := alice.Send(ctx, bob.Address(), []byte("warm-up"), client.SendOptions{}); err != nil {
		b.Fatal(err)
	}
	if _, err := bob.Receive(ctx); err != nil {
		b.Fatal(err)
	}

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

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
