package devnet

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/murmurnet/murmur/node/client"
)

func startNetwork(t *testing.T) (*Network, context.Context) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	nw, err := Start(ctx, Options{EpochLength: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nw.Close)
	return nw, ctx
}

func newClient(t *testing.T, ctx context.Context, cfg client.Config) *client.Client {
	t.Helper()
	c, err := client.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestMessagesAcrossEpochs keeps sending through two epoch boundaries: keys
// rotate and the topology is read again, and no message is lost.
func TestMessagesAcrossEpochs(t *testing.T) {
	nw, ctx := startNetwork(t)
	alice := newClient(t, ctx, nw.ClientConfig(0))
	bob := newClient(t, ctx, nw.ClientConfig(1))
	first := nw.Epochs.At(time.Now())
	n := 0
	for nw.Epochs.At(time.Now()) < first+2 {
		body := fmt.Appendf(nil, "message %d in epoch %d", n, nw.Epochs.At(time.Now()))
		if err := alice.Send(ctx, bob.Address(), body, client.SendOptions{}); err != nil {
			t.Fatalf("send %d: %v", n, err)
		}
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		m, err := bob.Receive(rctx)
		cancel()
		if err != nil {
			t.Fatalf("message %d (%s) lost: %v", n, body, err)
		}
		if string(m.Body) != string(body) {
			t.Fatalf("got %q, want %q", m.Body, body)
		}
		n++
	}
	if n < 5 {
		t.Fatalf("only %d messages over two epochs", n)
	}
	t.Logf("%d messages over epochs %d..%d", n, first, first+2)
}
