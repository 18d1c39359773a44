package settle

import (
	"math"
	"testing"
)

// The packet path: one call per packet forwarded or received.

func BenchmarkSent(b *testing.B) {
	me, next := newParty(b), newParty(b)
	l := openClosing(b, b.TempDir(), options(me, newFakeCover()))
	d := mustOut(b, l, next.addr, testPrice)
	b.ReportAllocs()
	for b.Loop() {
		d.Sent()
	}
}

func BenchmarkReceived(b *testing.B) {
	me, prev := newParty(b), newParty(b)
	opts := options(me, newFakeCover())
	opts.RefuseAbove = math.MaxInt64 >> 4 // never refuse: measure the taking path
	l := openClosing(b, b.TempDir(), opts)
	c := mustIn(b, l, prev.addr, testPrice)
	b.ReportAllocs()
	for b.Loop() {
		c.Received()
	}
}

// Contended: every core counting packets of the same neighbour, the worst
// case (the node normally has one reader goroutine per connection).

func BenchmarkSentParallel(b *testing.B) {
	me, next := newParty(b), newParty(b)
	l := openClosing(b, b.TempDir(), options(me, newFakeCover()))
	d := mustOut(b, l, next.addr, testPrice)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			d.Sent()
		}
	})
}

func BenchmarkReceivedParallel(b *testing.B) {
	me, prev := newParty(b), newParty(b)
	opts := options(me, newFakeCover())
	opts.RefuseAbove = math.MaxInt64 >> 4
	l := openClosing(b, b.TempDir(), opts)
	c := mustIn(b, l, prev.addr, testPrice)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Received()
		}
	})
}
