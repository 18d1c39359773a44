// Package testutil holds what Murmur's tests share. Relays and clients
// signal most of what they do only through counters and stores, so an
// integration test waits for a condition rather than for an event; it
// waits with [WaitFor], one way everywhere, so that a slow machine fails
// every such test with the same clear message.
package testutil

import (
	"context"
	"testing"
	"time"
)

// PollEvery is how often WaitFor checks its condition.
const PollEvery = 20 * time.Millisecond

// WaitFor polls cond until it holds, failing the test with what after limit.
func WaitFor(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(PollEvery)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen within %s", what, limit)
		}
		<-tick.C
	}
}

// Remaining is how long ctx has left before its deadline; limit when it has none.
func Remaining(ctx context.Context, limit time.Duration) time.Duration {
	if dl, ok := ctx.Deadline(); ok {
		return time.Until(dl)
	}
	return limit
}
