package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/big"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/payments/chequebook"
	"github.com/murmurnet/murmur/payments/tickets"
	"github.com/murmurnet/murmur/payments/wallet"
)

// Tickets pay a client's provider for packets (ADR 0008). A client buys
// them from an issuer with Vault cheques from its keystore account, keeps
// them in the wallet of its data directory, and `murmur send` spends them
// as the provider asks. A bundle moves tickets to another client, which
// then sends without an Ethereum account of its own.

func ticketsCommand() *cli.Command {
	return &cli.Command{
		Name:  "tickets",
		Usage: "the client's ticket wallet: buy tickets, show them, hand them to another client",
		Subcommands: []*cli.Command{
			{
				Name: "buy", Usage: "buy tickets from an issuer, paying with Vault cheques from the keystore account",
				Flags: []cli.Flag{configFlag, passwordFlag,
					&cli.IntFlag{Name: "count", Required: true, Usage: "tickets to buy"},
					&cli.StringFlag{Name: "issuer", Usage: "issuer's operator address; needed only when the network has several"}},
				Action: ticketsBuy,
			},
			{
				Name: "balance", Usage: "show the tickets in the wallet and the prepaid packets at the provider",
				Flags:  []cli.Flag{configFlag},
				Action: ticketsBalance,
			},
			{
				Name: "export", Usage: "move tickets out of the wallet into a bundle file, for another client",
				Description: "The tickets leave this wallet for good; whoever reads the file can spend them, so hand it\n" +
					"over privately. The other client adds them with murmur tickets import.",
				Flags: []cli.Flag{configFlag,
					&cli.IntFlag{Name: "count", Required: true, Usage: "tickets to export"},
					&cli.StringFlag{Name: "out", Required: true, Usage: "bundle file to write (must not exist)"}},
				Action: ticketsExport,
			},
			{
				Name: "import", Usage: "add the tickets of a bundle file to the wallet", ArgsUsage: "FILE",
				Description: "Every ticket is checked against the keys the network's issuers published on-chain;\n" +
					"a bundle with a ticket that does not verify is refused whole.",
				Flags:  []cli.Flag{configFlag},
				Action: ticketsImport,
			},
		},
	}
}

func ticketsBuy(c *cli.Context) error {
	n := c.Int("count")
	if n < 1 {
		return fmt.Errorf("--count must be at least 1")
	}
	cfg, err := loadConfig(c.String("config"))
	if err != nil {
		return err
	}
	if cfg.Keystore == "" {
		return fmt.Errorf("the config names no keystore: buying tickets needs the account that pays (keystore = ...)")
	}
	key, err := cfg.operatorKey(c.String("password-file"))
	if err != nil {
		return err
	}
	s, err := openSession(c, true)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(c.Context, 2*time.Minute)
	defer cancel()
	iss, err := pickIssuer(ctx, s.cl, c.String("issuer"))
	if err != nil {
		return err
	}
	p, err := chequebook.NewPayer(ctx, s.chain, key, cfg.DataDir)
	if err != nil {
		return err
	}
	// A first look at the deposit, with the price the issuer announces,
	// so that an empty vault is told before the issuer is contacted; the
	// cheque itself is checked again with the key's price.
	if iss.PriceWei != nil {
		price := new(big.Int).Mul(big.NewInt(int64(n)), iss.PriceWei)
		if err := p.CheckCover(iss.Operator, price); err != nil {
			return vaultHint(err)
		}
	}
	bought := 0
	paid := new(big.Int)
	for bought < n {
		before := p.Paid(iss.Operator)
		ts, err := s.cl.BuyTickets(ctx, iss, min(n-bought, tickets.MaxBatch), p.Pay)
		paid.Add(paid, new(big.Int).Sub(p.Paid(iss.Operator), before))
		if err != nil {
			err = vaultHint(err)
			if len(s.wallet.Pending()) > 0 {
				// Paid for, not received: the wallet keeps the purchase.
				err = fmt.Errorf("%w\nthe purchase stays in the wallet; murmur tickets buy finishes it before buying more", err)
			}
			if bought > 0 {
				return fmt.Errorf("bought %d of %d tickets, then: %w", bought, n, err)
			}
			return err
		}
		bought += len(ts)
	}
	total, packets := walletTotal(s.wallet)
	fmt.Fprintf(c.App.Writer, "bought %d tickets from issuer %s for %s (Vault cheques from %s)\nwallet: %d tickets (%d packets)\n",
		bought, iss.Operator.Hex(), chain.FormatEther(paid), p.Address().Hex(), total, packets)
	return nil
}

// pickIssuer returns the issuer named by addr, or the network's only one.
func pickIssuer(ctx context.Context, cl *client.Client, addr string) (client.Issuer, error) {
	all, err := cl.Issuers(ctx)
	if err != nil {
		return client.Issuer{}, err
	}
	if len(all) == 0 {
		return client.Issuer{}, errors.New("the network has no ticket issuer in its current topology")
	}
	if addr == "" {
		if len(all) > 1 {
			var names []string
			for _, i := range all {
				names = append(names, fmt.Sprintf("%s (%d packets for %s wei)", i.Operator.Hex(), i.Packets, i.PriceWei))
			}
			return client.Issuer{}, fmt.Errorf("the network has %d issuers, choose one with --issuer: %s", len(all), strings.Join(names, ", "))
		}
		return all[0], nil
	}
	if !common.IsHexAddress(addr) {
		return client.Issuer{}, fmt.Errorf("--issuer %q is not an Ethereum address", addr)
	}
	want := common.HexToAddress(addr)
	for _, i := range all {
		if i.Operator == want {
			return i, nil
		}
	}
	return client.Issuer{}, fmt.Errorf("%s is not an issuer of the network's current topology", want.Hex())
}

func ticketsBalance(c *cli.Context) error {
	cfg, err := loadConfig(c.String("config"))
	if err != nil {
		return err
	}
	w := c.App.Writer
	wal, unlock, err := openWallet(cfg.DataDir, false)
	if err != nil {
		return err
	}
	if wal == nil {
		fmt.Fprintln(w, "wallet: no tickets (no wallet yet: murmur tickets buy or murmur tickets import)")
	} else {
		total, packets := walletTotal(wal)
		fmt.Fprintf(w, "wallet: %d tickets (%d packets)\n", total, packets)
		for _, b := range wal.Balance() {
			fmt.Fprintf(w, "  key epoch %d: %d tickets of %d packets, %s each\n", b.KeyEpoch, b.Tickets, b.Value.Packets, chain.FormatEther(b.Value.Price))
		}
		for _, p := range wal.Pending() {
			fmt.Fprintf(w, "  pending purchase %s: %d tickets from %s, paid; the next buy finishes it\n", p.ID, len(p.Requests), p.Issuer)
		}
	}
	// The provider's side is a bonus: the wallet is shown without it.
	unlock()
	s, err := openSession(c, true)
	if err != nil {
		fmt.Fprintf(w, "provider not reachable, prepaid packets unknown: %v\n", err)
		return nil
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(c.Context, 10*time.Second)
	defer cancel()
	bal, err := s.cl.PrepaidBalance(ctx)
	if err != nil {
		fmt.Fprintf(w, "prepaid at the provider: unknown (%v)\n", err)
		return nil
	}
	fmt.Fprintf(w, "prepaid at the provider: %d packets\n", bal)
	return nil
}

func ticketsExport(c *cli.Context) error {
	n := c.Int("count")
	if n < 1 {
		return fmt.Errorf("--count must be at least 1")
	}
	out := c.String("out")
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s already exists: a bundle is never overwritten (the tickets in it would be lost)", out)
	}
	cfg, err := loadConfig(c.String("config"))
	if err != nil {
		return err
	}
	wal, unlock, err := openWallet(cfg.DataDir, false)
	if err != nil {
		return err
	}
	defer unlock()
	if wal == nil {
		return fmt.Errorf("no ticket wallet in %s: buy or import tickets first", cfg.DataDir)
	}
	// The keys first: a wallet forgets a key with its last ticket, and
	// tickets that could not be written go back with them.
	keys := map[uint64]tickets.IssuerKey{}
	for _, b := range wal.Balance() {
		if k, ok := wal.Key(b.KeyEpoch); ok {
			keys[b.KeyEpoch] = k
		}
	}
	bundle, err := wal.Export(n)
	if err != nil {
		return err
	}
	if err := writeNew(out, []byte(bundle+"\n")); err != nil {
		if perr := putBack(wal, keys, bundle); perr != nil {
			return fmt.Errorf("writing %s: %w; putting the tickets back failed too: %w; the bundle was:\n%s", out, err, perr, bundle)
		}
		return fmt.Errorf("writing %s: %w (the tickets stay in the wallet)", out, err)
	}
	_, ts, _ := wallet.DecodeBundle(bundle)
	var packets uint64
	for _, t := range ts {
		packets += keys[t.KeyEpoch].Value.Packets
	}
	total, _ := walletTotal(wal)
	fmt.Fprintf(c.App.Writer, "exported %d tickets (%d packets) to %s; they left this wallet (%d tickets left), and whoever reads the file can spend them\n",
		len(ts), packets, out, total)
	return nil
}

// writeNew writes a file that must not exist yet, readable by its owner only.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// putBack returns the tickets of bundle, exported from w, to w.
func putBack(w *wallet.Wallet, keys map[uint64]tickets.IssuerKey, bundle string) error {
	_, ts, err := wallet.DecodeBundle(bundle)
	if err != nil {
		return err
	}
	var errs []error
	for len(ts) > 0 {
		j := 1
		for j < len(ts) && ts[j].KeyEpoch == ts[0].KeyEpoch {
			j++
		}
		if _, err := w.Add(keys[ts[0].KeyEpoch], ts[:j]); err != nil {
			errs = append(errs, err)
		}
		ts = ts[j:]
	}
	return errors.Join(errs...)
}

func ticketsImport(c *cli.Context) error {
	if c.NArg() != 1 {
		return fmt.Errorf("give the bundle file: murmur tickets import --config FILE BUNDLE")
	}
	path := c.Args().First()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("bundle %s does not exist", path)
	}
	if err != nil {
		return err
	}
	bundle := string(data)
	bundleChain, ts, err := wallet.DecodeBundle(bundle)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	s, err := openSession(c, true)
	if err != nil {
		return err
	}
	defer s.Close()
	chainID := s.chain.ChainID()
	if !chainID.IsUint64() || bundleChain != chainID.Uint64() {
		return fmt.Errorf("%s holds tickets of chain %d; this network is chain %s: nothing imported", path, bundleChain, chainID)
	}
	ctx, cancel := context.WithTimeout(c.Context, time.Minute)
	defer cancel()
	issuers, err := s.cl.Issuers(ctx)
	if err != nil {
		return err
	}
	var epochs []uint64
	for _, t := range ts {
		if !slices.Contains(epochs, t.KeyEpoch) {
			epochs = append(epochs, t.KeyEpoch)
		}
	}
	// A ticket names its key epoch, not its issuer: try each issuer's
	// published keys. Import verifies every ticket and is all or nothing.
	var errs []error
	for _, iss := range issuers {
		keys, err := publishedKeys(ctx, s.chain, iss, chainID.Uint64(), epochs)
		if err != nil {
			errs = append(errs, fmt.Errorf("issuer %s: %w", iss.Operator.Hex(), err))
			continue
		}
		added, err := s.wallet.Import(bundle, keys)
		if err != nil {
			errs = append(errs, fmt.Errorf("issuer %s: %w", iss.Operator.Hex(), err))
			continue
		}
		total, packets := walletTotal(s.wallet)
		fmt.Fprintf(c.App.Writer, "imported %d tickets of issuer %s from %s (%d already held)\nwallet: %d tickets (%d packets)\n",
			added, iss.Operator.Hex(), path, len(ts)-added, total, packets)
		return nil
	}
	if len(issuers) == 0 {
		return errors.New("the network has no ticket issuer in its current topology to check the bundle against: nothing imported")
	}
	return fmt.Errorf("%s: its tickets are not all signed with a key an issuer of this network published (key epochs %v), nothing imported: %w", path, epochs, errors.Join(errs...))
}

// publishedKeys is a keyring of the keys issuer iss published on-chain for
// epochs, valued at the packets its descriptor announces (the contract
// holds no packet count).
func publishedKeys(ctx context.Context, cl *chain.Client, iss client.Issuer, chainID uint64, epochs []uint64) (*tickets.Keyring, error) {
	if iss.Packets == 0 {
		return nil, errors.New("its descriptor announces no ticket value")
	}
	// The chain's expiry decides which keys are good; the keyring's own
	// window must not drop any of them.
	kr := tickets.NewKeyring(chainID, math.MaxUint64)
	for _, e := range epochs {
		ck, err := cl.IssuerKey(ctx, iss.Operator, e)
		if err != nil {
			return nil, err
		}
		if ck.Value == nil || ck.Value.Sign() == 0 {
			return nil, fmt.Errorf("no key published for key epoch %d", e)
		}
		if time.Now().After(ck.ExpiresAt) {
			return nil, fmt.Errorf("its key of epoch %d expired at %s", e, formatTime(ck.ExpiresAt))
		}
		g2, err := tickets.DecodeG2EIP2537(ck.PublicKey)
		if err != nil {
			return nil, fmt.Errorf("key of epoch %d: %w", e, err)
		}
		k := tickets.IssuerKey{ChainID: chainID, Epoch: e, PublicKey: g2, Value: tickets.Value{Packets: iss.Packets, Price: ck.Value}}
		if err := kr.Add(k); err != nil {
			return nil, err
		}
	}
	return kr, nil
}

// vaultHint adds what to do to a vault that does not cover a purchase.
func vaultHint(err error) error {
	if errors.Is(err, chequebook.ErrVaultShort) {
		return fmt.Errorf("%w; deposit more with murmur vault deposit --amount ETH", err)
	}
	return err
}
