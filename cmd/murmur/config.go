package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node/cover"
	"github.com/murmurnet/murmur/node/pki"
)

// fileConfig is the TOML configuration of a relay or a client. Relative
// paths are relative to the file's directory.
type fileConfig struct {
	// DataDir holds the node's state (keys, mailboxes, snapshots).
	DataDir string `toml:"data_dir"`
	// RPC is the Ethereum JSON-RPC endpoint.
	RPC string `toml:"rpc"`
	// Network is the deployment's network file (written by `murmur
	// deploy`): its chain and contracts. Either it or [contracts].
	Network string `toml:"network"`
	// Contracts of the deployment.
	Contracts chain.Contracts `toml:"contracts"`
	// Keystore is a go-ethereum keystore file: for a relay its operator
	// account; for a client the account that makes vault deposits and pays
	// for tickets (optional: a client that is handed tickets needs none).
	Keystore string `toml:"keystore"`
	// Listen are the multiaddrs a relay listens on (and registers).
	Listen []string `toml:"listen"`
	// Provider is a client's provider, as a multiaddr ending in /p2p/<peer
	// id>; empty, the client chooses one of the registry's providers on
	// first use and keeps it (node/client.ChooseProvider).
	Provider string `toml:"provider"`
	// Metrics is the address of the Prometheus endpoint, e.g. "127.0.0.1:9100"; empty for none.
	Metrics string `toml:"metrics"`
	// Layers of mixes in the network.
	Layers int `toml:"layers"`
	// MeanDelay is the mean per-hop delay (mu), e.g. "50ms".
	MeanDelay duration `toml:"mean_delay"`
	// Cover are the cover-traffic rates.
	Cover coverConfig `toml:"cover"`
	// Payments are a relay's thresholds for hop-by-hop settlement and
	// prepaid packets; used when `relay run` has a --password-file.
	Payments paymentsConfig `toml:"payments"`
	// Issuer is the ticket offer of a relay with the issuer role.
	Issuer issuerConfig `toml:"issuer"`

	dir string
	// net is the network file read, if the config names one.
	net *chain.Network
}

// coverConfig is the [cover] section: Loopix rates in packets per second.
// A rate left out takes its default (cover.DefaultRates); a relay announces
// its rates in its descriptors, and a client without a [cover] section uses
// the rates its provider announces.
type coverConfig struct {
	Off     bool    `toml:"off"`      // no cover traffic (clients: send at once; mixes: no loops)
	LambdaP float64 `toml:"lambda_p"` // client payload stream (real or drop), default 2
	LambdaL float64 `toml:"lambda_l"` // client loops, default 0.5
	LambdaD float64 `toml:"lambda_d"` // client drops, default 0.5
	LambdaM float64 `toml:"lambda_m"` // mix loops, default 1

	set bool // the section or mean_delay appears in the file
}

// rates returns the configured rates, defaults filled in, validated.
func (c *fileConfig) rates() (cover.Rates, error) {
	r := cover.DefaultRates()
	for _, v := range []struct {
		dst *float64
		val float64
	}{{&r.LambdaP, c.Cover.LambdaP}, {&r.LambdaL, c.Cover.LambdaL}, {&r.LambdaD, c.Cover.LambdaD}, {&r.LambdaM, c.Cover.LambdaM}} {
		if v.val != 0 {
			*v.dst = v.val
		}
	}
	r.Mu = c.MeanDelay.Duration
	if err := r.Validate(); err != nil {
		return cover.Rates{}, fmt.Errorf("config: [cover] and mean_delay: %w", err)
	}
	return r, nil
}

type duration struct{ time.Duration }

func (d *duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	d.Duration = v
	return err
}

func loadConfig(path string) (*fileConfig, error) {
	if path == "" {
		return nil, fmt.Errorf("no --config given")
	}
	var c fileConfig
	md, err := toml.DecodeFile(path, &c)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if undec := md.Undecoded(); len(undec) > 0 {
		return nil, fmt.Errorf("config %s: unknown keys %v", path, undec)
	}
	c.Cover.set = md.IsDefined("cover") || md.IsDefined("mean_delay")
	c.dir = filepath.Dir(path)
	c.DataDir = c.abs(c.DataDir)
	c.Keystore = c.abs(c.Keystore)
	if c.DataDir == "" {
		return nil, fmt.Errorf("config %s: data_dir is required", path)
	}
	if c.RPC == "" {
		return nil, fmt.Errorf("config %s: rpc is required", path)
	}
	if c.Network != "" {
		n, err := chain.ReadNetworkFile(c.abs(c.Network))
		if err != nil {
			return nil, fmt.Errorf("config %s: network: %w", path, err)
		}
		if c.Contracts != (chain.Contracts{}) && c.Contracts != n.Contracts {
			return nil, fmt.Errorf("config %s: [contracts] differ from the network file %s: set one of them", path, c.Network)
		}
		c.Contracts, c.net = n.Contracts, &n
	}
	if c.Contracts.Registry == (common.Address{}) || c.Contracts.Vault == (common.Address{}) || c.Contracts.Tickets == (common.Address{}) {
		return nil, fmt.Errorf("config %s: network (a network file) or contracts.registry, contracts.vault and contracts.tickets are required", path)
	}
	if c.Layers == 0 {
		c.Layers = pki.DefaultLayers
	}
	if c.MeanDelay.Duration == 0 {
		c.MeanDelay.Duration = cover.DefaultRates().Mu
	}
	if _, err := c.rates(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if err := c.Payments.validate(); err != nil {
		return nil, fmt.Errorf("config %s: [payments] %w", path, err)
	}
	if _, err := c.Payments.hopPrices(c.Layers); err != nil {
		return nil, fmt.Errorf("config %s: [payments] %w", path, err)
	}
	if err := c.Issuer.validate(); err != nil {
		return nil, fmt.Errorf("config %s: [issuer] %w", path, err)
	}
	price, _, err := c.Issuer.ticket(c.Layers)
	if err == nil {
		_, err = c.Issuer.fee(c.Layers, price)
	}
	if err != nil {
		return nil, fmt.Errorf("config %s: [issuer] %w", path, err)
	}
	return &c, nil
}

func (c *fileConfig) abs(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.dir, p)
}

// dial connects to the RPC endpoint and the deployment.
func (c *fileConfig) dial(ctx context.Context) (*chain.Client, error) {
	ec, err := ethclient.DialContext(ctx, c.RPC)
	if err != nil {
		return nil, fmt.Errorf("rpc %s: %w", c.RPC, err)
	}
	var cl *chain.Client
	if c.net != nil {
		cl, err = chain.DialNetwork(ctx, ec, *c.net)
	} else {
		cl, err = chain.Dial(ctx, ec, c.Contracts)
	}
	if err != nil {
		ec.Close()
		return nil, fmt.Errorf("rpc %s: %w", c.RPC, err)
	}
	return cl, nil
}

// operatorAddress reads the operator's address from the keystore file without decrypting it.
func (c *fileConfig) operatorAddress() (common.Address, error) {
	if c.Keystore == "" {
		return common.Address{}, fmt.Errorf("keystore is not configured")
	}
	b, err := os.ReadFile(c.Keystore)
	if err != nil {
		return common.Address{}, err
	}
	var v struct {
		Address string `json:"address"`
	}
	if err := json.Unmarshal(b, &v); err != nil || !common.IsHexAddress(v.Address) {
		return common.Address{}, fmt.Errorf("keystore %s has no address", c.Keystore)
	}
	return common.HexToAddress(v.Address), nil
}

// operatorKey decrypts the operator's keystore with the password in passwordFile.
func (c *fileConfig) operatorKey(passwordFile string) (*ecdsa.PrivateKey, error) {
	if c.Keystore == "" {
		return nil, fmt.Errorf("keystore is not configured")
	}
	b, err := os.ReadFile(c.Keystore)
	if err != nil {
		return nil, err
	}
	pw, err := readPassword(passwordFile)
	if err != nil {
		return nil, err
	}
	k, err := keystore.DecryptKey(b, pw)
	if err != nil {
		return nil, fmt.Errorf("keystore %s: %w", c.Keystore, err)
	}
	return k.PrivateKey, nil
}

func readPassword(path string) (string, error) {
	if path == "" {
		return "", fmt.Errorf("--password-file is required")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}
