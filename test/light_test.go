package test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/chain/light"
	"github.com/murmurnet/murmur/internal/testutil"
	"github.com/murmurnet/murmur/payments/tickets"
)

// TestLightReaderMatchesChainClient holds the browser core's chain reader
// (package chain/light: hand-encoded JSON-RPC and ABI) to what package
// chain reads through go-ethereum's client and the abigen bindings, on
// anvil and on geth --dev: the network check, the epoch clock, headers
// and their hashes, the block an epoch is read at, and the active set at
// several blocks while relays register and one exits.
func TestLightReaderMatchesChainClient(t *testing.T) {
	for _, start := range []func(*testing.T) *devChain{startAnvil, startGeth} {
		dev := start(t)
		t.Run(dev.Name, func(t *testing.T) { lightMatchesChain(t, dev) })
	}
}

func lightMatchesChain(t *testing.T, dev *devChain) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	rc, err := rpc.DialContext(ctx, dev.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	ec := ethclient.NewClient(rc)
	id, err := ec.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var auths []*bind.TransactOpts
	var addrs []common.Address
	for range 4 {
		k, _ := crypto.GenerateKey()
		auths = append(auths, bind.NewKeyedTransactor(k, id))
		addrs = append(addrs, crypto.PubkeyToAddress(k.PublicKey))
	}
	if err := chain.FundFromNode(ctx, rc, ec, chain.Ether(10), addrs...); err != nil {
		t.Fatal(err)
	}
	params := chain.DefaultParams()
	params.EpochLength = 7 * time.Second
	n, err := chain.DeployNetwork(ctx, ec, auths[0], params)
	if err != nil {
		t.Fatal(err)
	}
	c, err := chain.DialNetwork(ctx, ec, n)
	if err != nil {
		t.Fatal(err)
	}
	call := light.HTTPCaller(dev.URL, nil)
	r, err := light.Open(ctx, call, n)
	if err != nil {
		t.Fatal(err)
	}

	// The network file is checked as chain.DialNetwork checks it.
	other := n
	other.ChainID++
	if _, err := light.Open(ctx, call, other); !errors.Is(err, light.ErrNetworkFile) {
		t.Fatalf("network file of another chain: %v, want ErrNetworkFile", err)
	}
	other = n
	other.Contracts.Vault = addrs[3]
	if _, err := light.Open(ctx, call, other); !errors.Is(err, light.ErrNoContract) {
		t.Fatalf("vault without code: %v, want ErrNoContract", err)
	}
	if _, err := light.Open(ctx, light.HTTPCaller(fmt.Sprintf("http://127.0.0.1:%d", testutil.FreePort(t)), nil), n); err == nil {
		t.Fatal("opened a network through an endpoint that is down")
	}

	g1, l1, err := c.EpochClock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	g2, l2, err := r.EpochClock(ctx)
	if err != nil || !g1.Equal(g2) || l1 != l2 {
		t.Fatalf("epoch clock: light %s %s %v, chain %s %s", g2, l2, err, g1, l1)
	}

	addr := chain.EncodeMultiaddrs([]ma.Multiaddr{ma.StringCast("/ip4/127.0.0.1/tcp/4001"), ma.StringCast("/ip4/127.0.0.1/tcp/4002/ws")})
	var blocks []*big.Int
	for i, roles := range []chain.Roles{chain.RoleProvider, chain.RoleMix, chain.RoleMix | chain.RoleIssuer} {
		if _, err := c.Register(ctx, auths[i+1], roles, [32]byte{byte(i + 1), 7}, addr[:len(addr)-i], chain.Ether(1)); err != nil {
			t.Fatal(err)
		}
		h, err := ec.HeaderByNumber(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, h.Number)
	}
	if _, err := c.AnnounceExit(ctx, auths[2]); err != nil {
		t.Fatal(err)
	}
	blocks = append(blocks, nil)

	for _, b := range blocks {
		want, err := c.ActiveRelaysAt(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.ActiveRelaysAt(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("active relays at %v:\nlight %+v\nchain %+v", b, got, want)
		}
		hw, err := c.Header(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		hg, err := r.HeaderByNumber(ctx, b)
		if err != nil || hg != hw {
			t.Fatalf("header %v: light %+v %v, chain %+v", b, hg, err, hw)
		}
	}
	if got, _ := r.ActiveRelaysAt(ctx, nil); len(got) != 2 {
		t.Fatalf("%d active relays after one of three exited, want 2", len(got))
	}
	head, err := r.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{time.Unix(int64(head.Time), 0), time.Unix(int64(head.Time)-2, 0), time.Now().Add(time.Hour)} {
		want, err := c.LastBlockBefore(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.LastBlockBefore(ctx, at)
		if err != nil || got != want {
			t.Fatalf("last block before %s: light %+v %v, chain %+v", at, got, err, want)
		}
	}
	if _, err := r.HeaderByNumber(ctx, new(big.Int).SetUint64(head.Number+1000)); err == nil {
		t.Fatal("read a block that does not exist")
	}

	// Issuer keys, as the page checks the key it buys with: one the issuer
	// (auths[3]) published, and one it did not.
	sk, err := tickets.NewSecretKey(bytes.Repeat([]byte{7}, 32), id.Uint64(), 3, tickets.Value{Packets: 10, Price: big.NewInt(12345)})
	if err != nil {
		t.Fatal(err)
	}
	pub := sk.Public()
	enc := tickets.EncodeG2EIP2537(&pub.PublicKey)
	if _, err := c.PublishKey(ctx, auths[3], 3, enc[:], big.NewInt(12345), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, e := range []uint64{3, 4} {
		want, err := c.IssuerKey(ctx, addrs[3], e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.IssuerKey(ctx, addrs[3], e)
		if err != nil {
			t.Fatal(err)
		}
		if got.Value.Cmp(want.Value) != 0 || got.ExpiresAt != uint64(want.ExpiresAt.Unix()) || !bytes.Equal(got.PublicKey, want.PublicKey) {
			t.Fatalf("key %d: light %+v, chain %+v", e, got, want)
		}
		if e == 3 && (got.Value.Int64() != 12345 || !bytes.Equal(got.PublicKey, enc[:])) {
			t.Fatalf("the published key reads back as %+v", got)
		}
	}
}
