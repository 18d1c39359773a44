// Package cover is the deterministic core of Murmur's Loopix cover
// traffic: when a client or mix sends, and which relays lose the loops it
// sends. It does no I/O, starts no goroutines and reads no clock or
// global random source; time and randomness are arguments, so tests
// drive it with a fake clock and a seeded generator (the shape of etcd's
// raft core, like package [github.com/murmurnet/murmur/node/mixer]).
//
// # Rates
//
// [Rates] holds the Loopix parameters: a client's payload rate λP, loop
// rate λL and drop rate λD, a mix's loop rate λM, and the mean per-hop
// mixing delay 1/μ ([Rates.Mu]). [DefaultRates] are
//
//	λP = 2/s   λL = 0.5/s   λD = 0.5/s   λM = 1/s   1/μ = 50 ms
//
// chosen as follows. Latency: each mix holds a packet for an exponential
// delay of mean 50 ms, so a 5-hop route adds 250 ms on average (the sum
// of 5 such delays exceeds 0.8 s fewer than one time in a thousand), and a
// real packet waits on average 1/λP = 500 ms for its payload slot when
// the client's queue is empty: about 0.75 s before link latency, well
// inside the 5 s end-to-end budget even with a few packets queued.
// Anonymity: a client's link carries λP+λL+λD = 3 packets a second
// whether or not it has anything to say, and real traffic can take at
// most the 2/s of the payload stream, so cover always makes up at least
// a third of it and all of it when idle; Loopix's advice is that cover be
// plentiful relative to real traffic, since cover is what an observer
// cannot tell from messages. In a mix, the anonymity set of a packet is
// roughly the number of packets that are in the mix together with it,
// which by Little's law is the mix's input rate times the mean delay, so
// λ/μ trades anonymity (larger) against latency (smaller); a short delay
// like 50 ms is only safe because every client and mix contributes
// constant cover (the λM loops keep a quiet mix's output mixed). All
// rates are configuration; [Rates.Validate] checks them and
// [Rates.Params]/[ParseParams] carry them in relay descriptors as decimal
// rates per second under "lambda_p", "lambda_l", "lambda_d", "lambda_m"
// and "mu".
//
// # Shaping a client's traffic
//
// A [ClientShaper] runs the client's three Poisson processes. The owner
// arms a timer for [ClientShaper.Next], and when it fires calls
// [ClientShaper.Tick], then sends a packet for each [Event]:
//
//	sh, err := cover.NewClientShaper[*msg](rates, 1024, rand.New(rand.NewChaCha8(seed)), now)
//
//	// a message to send (call Tick(now) first if the timer is due)
//	if err := sh.Enqueue(now, m); errors.Is(err, cover.ErrQueueFull) { ... }
//
//	// timer fired
//	for _, ev := range sh.Tick(now) {
//		switch ev.Kind {
//		case cover.Real: // wrap and send ev.Item
//		case cover.Drop: // send a drop packet to a random provider
//		case cover.Loop: // send a loop to ourselves; record it in the Shopper
//		}
//	}
//	// re-arm the timer for sh.Next()
//
// Guarantees: event times are drawn from the generator alone, so they do
// not depend on what is queued (equally seeded shapers emit at identical
// instants, busy or idle); real packets go out only in payload-stream
// slots, first in first out, each in the first slot at or after its
// enqueue that is not taken by an earlier packet; the queue is bounded.
// The generator must be unpredictable to observers (seed it from
// crypto/rand). Not guaranteed: that the owner sends on time; a Tick
// after a long pause returns every missed event, and whether to send a
// burst or discard it is the owner's decision.
//
// A mix runs [MixLoops], the same shape with one process at λM.
//
// # The secret shopper
//
// Loops double as measurements. A [Shopper] records each loop sent with
// its path, and each loop returned; a loop not back within the timeout
// ([DefaultShopperConfig]: ten times the expected latency, at least 2 s)
// is lost. Each relay gets a [Score] and a two-proportion z-test compares
// the loss rate of loops through it with that of loops that avoided it;
// [Shopper.Suspects] are the relays that are significantly (z > 3, at
// least 20 loops) and materially (5 points) worse, and route selection
// leaves out relays for which [Shopper.Avoid] is true. Tests show a mix
// dropping half of its traffic in a 3×2 network singled out after a few
// dozen loops, with no false suspects. A relay that drops only loops it
// can recognise defeats this; Loopix's defence is that loops look like
// any other packet.
//
// # Concurrency
//
// No type in this package is safe for concurrent use; each belongs to
// one goroutine or sits behind its owner's mutex.
package cover
