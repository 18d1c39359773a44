package chain

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/murmurnet/murmur/bindings"
	"github.com/murmurnet/murmur/chain/light"
)

// packRelayViews is what the registry's activeRelays returns for views,
// ABI-encoded by go-ethereum.
func packRelayViews(t testing.TB, views []bindings.IRelayRegistryRelayView) []byte {
	t.Helper()
	a, err := bindings.RelayRegistryMetaData.ParseABI()
	if err != nil {
		t.Fatal(err)
	}
	b, err := a.Methods["activeRelays"].Outputs.Pack(views)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// bindingsRelays decodes activeRelays' return data as package chain does.
func bindingsRelays(ret []byte) ([]Relay, error) {
	vs, err := registryABI.UnpackActiveRelays(ret)
	if err != nil {
		return nil, err
	}
	out := make([]Relay, 0, len(vs))
	for _, v := range vs {
		out = append(out, relayFrom(v))
	}
	return out, nil
}

func randomViews(r *rand.Rand, n int) []bindings.IRelayRegistryRelayView {
	vs := make([]bindings.IRelayRegistryRelayView, n)
	for i := range vs {
		v := &vs[i]
		for j := range v.Operator {
			v.Operator[j] = byte(r.Uint32())
		}
		v.Roles, v.Status = uint8(r.IntN(8)), uint8(r.IntN(4))
		v.Stake = new(big.Int).Lsh(big.NewInt(r.Int64()), uint(r.IntN(64)))
		if r.IntN(2) == 0 {
			v.UnlockAt = r.Uint64N(1 << 40)
		}
		for j := range v.NodeKey {
			v.NodeKey[j] = byte(r.Uint32())
		}
		v.Multiaddrs = make([]byte, r.IntN(70))
		for j := range v.Multiaddrs {
			v.Multiaddrs[j] = byte(r.Uint32())
		}
	}
	return vs
}

// TestDecodeRelayViewsMatchesBindings: the browser core's hand-written
// decoder of the active set reads what the abigen bindings read, for
// pages of every size the registry returns (and past a page).
func TestDecodeRelayViewsMatchesBindings(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 7, activePage, 150} {
		ret := packRelayViews(t, randomViews(r, n))
		want, err := bindingsRelays(ret)
		if err != nil {
			t.Fatal(err)
		}
		got, err := light.DecodeRelayViews(ret)
		if err != nil {
			t.Fatalf("%d views: %v", n, err)
		}
		if len(got) != n || len(want) != n {
			t.Fatalf("%d views: light read %d, bindings %d", n, len(got), len(want))
		}
		for i := range got {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("%d views, view %d: light %#v\nbindings %#v", n, i, got[i], want[i])
			}
		}
	}
	good := packRelayViews(t, randomViews(r, 3))
	bad := map[string][]byte{
		"empty":           nil,
		"truncated":       good[:len(good)-64],
		"offset past end": append(common.LeftPadBytes(big.NewInt(int64(len(good))).Bytes(), 32), good[32:]...),
		"huge length":     append(bytes.Clone(good[:32]), append(bytes.Repeat([]byte{0xff}, 32), good[64:]...)...),
		"status out of range": func() []byte {
			vs := randomViews(r, 1)
			vs[0].Status = 9
			return packRelayViews(t, vs)
		}(),
	}
	for name, b := range bad {
		if rs, err := light.DecodeRelayViews(b); err == nil {
			t.Errorf("%s: decoded %+v", name, rs)
		}
	}
}

// FuzzDecodeRelayViews: whatever the hand-written decoder accepts, the
// bindings decode to the same relays; nothing panics.
func FuzzDecodeRelayViews(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 3} {
		f.Add(packRelayViews(f, randomViews(r, n)))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := light.DecodeRelayViews(b)
		if err != nil {
			return
		}
		want, err := bindingsRelays(b)
		if err != nil {
			t.Fatalf("light decoded %d relays, the bindings refuse: %v", len(got), err)
		}
		if len(got) != len(want) {
			t.Fatalf("light read %d relays, bindings %d", len(got), len(want))
		}
		for i := range got {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("relay %d: light %#v\nbindings %#v", i, got[i], want[i])
			}
		}
	})
}

// FuzzDecodeIssuerKey: the page's decoder of keyOf's return data
// (light.DecodeIssuerKey) accepts nothing the bindings refuse, and reads
// what they read.
func FuzzDecodeIssuerKey(f *testing.F) {
	a, err := bindings.TicketIssuerMetaData.ParseABI()
	if err != nil {
		f.Fatal(err)
	}
	for _, k := range []bindings.ITicketIssuerKey{
		{Value: big.NewInt(0), ExpiresAt: 0, PublicKey: []byte{}},
		{Value: new(big.Int).Lsh(big.NewInt(1), 127), ExpiresAt: 1 << 40, PublicKey: bytes.Repeat([]byte{9}, 256)},
	} {
		b, err := a.Methods["keyOf"].Outputs.Pack(k)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := light.DecodeIssuerKey(b)
		if err != nil {
			return
		}
		want, err := ticketsABI.UnpackKeyOf(b)
		if err != nil {
			t.Fatalf("light decoded %+v, the bindings refuse: %v", got, err)
		}
		if got.Value.Cmp(want.Value) != 0 || got.ExpiresAt != want.ExpiresAt || !bytes.Equal(got.PublicKey, want.PublicKey) {
			t.Fatalf("light %+v, bindings %+v", got, want)
		}
	})
}
