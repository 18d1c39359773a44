package provider

import "time"

// route is where one issuer's tickets are redeemed: with the issuer, or
// on-chain against its stake (see "Redemption on-chain" in the package
// documentation). It is the decision alone, with the clock passed in;
// the scripts in testdata/route_*.txt drive it.
type route struct {
	// stuckSince is when the issuer first refused valid tickets, or could
	// not be reached, since its last redemption; zero when it redeemed the
	// last batch.
	stuckSince time.Time
}

// attempt is how an off-chain redemption went.
type attempt int

const (
	// attemptPaid: the issuer paid.
	attemptPaid attempt = iota
	// attemptFault: the issuer refused for a reason other than the
	// tickets, broke the protocol, or could not be reached.
	attemptFault
	// attemptOverLimit: the request's amount would reach the issuer's
	// cash limit, so it was not sent.
	attemptOverLimit
)

// next is what to do with the batch after an attempt.
type next int

const (
	// nextBatch: the batch is settled; go on with the next one.
	nextBatch next = iota
	// nextWait: keep the tickets for a later round.
	nextWait
	// nextOnChain: redeem the batch's key epoch on-chain from now on.
	nextOnChain
)

func (n next) String() string {
	switch n {
	case nextBatch:
		return "next-batch"
	case nextWait:
		return "wait"
	case nextOnChain:
		return "on-chain"
	}
	return "unknown"
}

// after decides what follows attempt a at now. The issuer is taken to the
// contract once its failures have lasted grace, counted from the first
// one since its last redemption, or at once when a request would reach
// its cash limit; never when the provider cannot redeem on-chain.
func (r *route) after(a attempt, now time.Time, grace time.Duration, canOnChain bool) next {
	if a == attemptPaid {
		r.stuckSince = time.Time{}
		return nextBatch
	}
	if r.stuckSince.IsZero() {
		r.stuckSince = now
	}
	if !canOnChain || (a != attemptOverLimit && now.Sub(r.stuckSince) < grace) {
		return nextWait
	}
	return nextOnChain
}

// failingFor is how long the issuer has been failing at now.
func (r *route) failingFor(now time.Time) time.Duration {
	if r.stuckSince.IsZero() {
		return 0
	}
	return now.Sub(r.stuckSince)
}
