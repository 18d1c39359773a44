package node

import (
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node/cover"
	"github.com/murmurnet/murmur/node/pki"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/settle"
)

// TestLoopRouteWithEmptyLayer: while a network grows, an epoch's topology
// can have a layer with no mix yet (a four-relay network whose mixes
// registered across an epoch boundary did: TestCLINetwork). A mix then
// sends no loop; it used to panic in rand.IntN(0).
func TestLoopRouteWithEmptyLayer(t *testing.T) {
	l, err := newLoops(cover.DefaultRates(), 3, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	n := &Node{loops: l}
	if _, ok := n.pickRelay(nil); ok {
		t.Fatal("a relay was picked from an empty layer")
	}
	layer := []pki.Node{{NodeKey: [32]byte{1}}, {NodeKey: [32]byte{2}}}
	seen := map[[32]byte]bool{}
	for range 64 {
		r, ok := n.pickRelay(layer)
		if !ok {
			t.Fatal("no relay picked from a layer of two")
		}
		seen[r.NodeKey] = true
	}
	if len(seen) != 2 {
		t.Fatalf("64 picks from a layer of two chose %d relays", len(seen))
	}
}

// TestChargingProviderCannotIssue: a provider that charges redeems the
// tickets it takes with their issuer; a relay that is both would redeem
// with itself, which fails on libp2p (no dial to self) and in the Vault
// (no cheque to oneself), so it is refused before it starts.
func TestChargingProviderCannotIssue(t *testing.T) {
	id, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	type chainOnly struct{ pki.Chain }
	base := Config{Identity: id, Chain: chainOnly{}, DataDir: t.TempDir(), Epochs: pki.Epochs{Length: time.Minute}}
	both := base
	both.Prepaid, both.Issuing = &Prepaid{}, &TicketIssuing{}
	if err := both.defaults(); err == nil || !strings.Contains(err.Error(), "cannot also sell tickets") {
		t.Fatalf("a charging provider that issues: %v", err)
	}
	for _, c := range []Config{base, {Identity: id, Chain: chainOnly{}, DataDir: t.TempDir(), Epochs: base.Epochs, Issuing: &TicketIssuing{}}} {
		if err := c.defaults(); err != nil {
			t.Fatalf("refused %+v: %v", c, err)
		}
	}
}

// TestIssuerCarryingPacketsPaysByLottery: an issuer pays providers by
// cheque for the tickets they redeem; if it also paid them hop-by-hop by
// cheque, the two cumulative series would share one Vault account pair
// and a provider could cash only the larger (TestCrashes found it: the
// provider held 5.8e14 wei hop by hop and 1.3e10 for redemptions from the
// same issuer, and the Vault paid the first).
func TestIssuerCarryingPacketsPaysByLottery(t *testing.T) {
	id, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	type chainOnly struct{ pki.Chain }
	cfg := func(roles chain.Roles, s *Settlement) Config {
		return Config{Identity: id, Chain: chainOnly{}, DataDir: t.TempDir(), Epochs: pki.Epochs{Length: time.Minute},
			Roles: roles | chain.RoleIssuer, Issuing: &TicketIssuing{}, Settlement: s}
	}
	for _, roles := range []chain.Roles{chain.RoleMix, chain.RoleProvider} {
		c := cfg(roles, &Settlement{})
		if err := c.defaults(); err == nil || !strings.Contains(err.Error(), "lottery tickets, not cheques") {
			t.Errorf("an issuer with roles %v paying neighbours by cheque: %v", roles, err)
		}
	}
	for _, c := range []Config{
		cfg(chain.RoleMix, &Settlement{Tickets: settle.KeyTicketSigner(cheque.Domain{}, nil)}), // lottery
		cfg(chain.RoleMix, nil), // unpaid
		cfg(0, &Settlement{}),   // an issuer only
	} {
		if err := c.defaults(); err != nil {
			t.Errorf("refused an issuer with roles %v: %v", c.Roles, err)
		}
	}
}
