package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/payments/econ"
)

// `murmur deploy` puts a Murmur deployment on any chain an RPC endpoint
// serves and writes its network file, which relays and clients name with
// `network = "network.json"` instead of three addresses.

func deployCommand() *cli.Command {
	d := chain.DefaultParams()
	return &cli.Command{
		Name:  "deploy",
		Usage: "deploy the registry, vault and ticket issuer to a chain and write the network file",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "rpc", Required: true, Usage: "the chain's JSON-RPC endpoint"},
			&cli.StringFlag{Name: "keystore", Required: true, Usage: "keystore file of the deploying account (pays the gas)"},
			&cli.StringFlag{Name: "password-file", Required: true, Usage: "file holding the keystore's password"},
			&cli.StringFlag{Name: "out", Value: "network.json", Usage: "network file to write (never overwritten)"},
			&cli.StringFlag{Name: "min-stake", Value: fmt.Sprint(econ.ReferenceServer().StakeETH),
				Usage: "least stake of a relay, in ETH (default: the cost model's reference stake, docs/economics.md)"},
			&cli.DurationFlag{Name: "epoch", Value: d.EpochLength, Usage: "length of a PKI epoch"},
			&cli.DurationFlag{Name: "unbonding", Value: d.UnbondingDelay, Usage: "delay between a relay's exit and the withdrawal of its stake"},
			&cli.DurationFlag{Name: "withdrawal-notice", Value: d.WithdrawalNotice, Usage: "notice before a vault deposit can be withdrawn"},
		},
		Action: deployCmd,
	}
}

func deployCmd(c *cli.Context) error {
	out := c.String("out")
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists: a network file is not overwritten (remove it, or pass --out)", out)
	}
	stake, err := chain.ParseEther(c.String("min-stake"))
	if err != nil {
		return fmt.Errorf("--min-stake: %w", err)
	}
	p := chain.Params{MinStake: stake, EpochLength: c.Duration("epoch"), UnbondingDelay: c.Duration("unbonding"), WithdrawalNotice: c.Duration("withdrawal-notice")}
	if p.EpochLength < time.Second || p.UnbondingDelay < 0 || p.WithdrawalNotice < 0 {
		return fmt.Errorf("--epoch must be at least a second, --unbonding and --withdrawal-notice not negative")
	}
	b, err := os.ReadFile(c.String("keystore"))
	if err != nil {
		return err
	}
	pw, err := readPassword(c.String("password-file"))
	if err != nil {
		return err
	}
	k, err := keystore.DecryptKey(b, pw)
	if err != nil {
		return fmt.Errorf("keystore %s: %w", c.String("keystore"), err)
	}
	ctx, cancel := context.WithTimeout(c.Context, 5*time.Minute)
	defer cancel()
	ec, err := ethclient.DialContext(ctx, c.String("rpc"))
	if err != nil {
		return fmt.Errorf("rpc %s: %w", c.String("rpc"), err)
	}
	defer ec.Close()
	id, err := ec.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("rpc %s: chain id: %w", c.String("rpc"), err)
	}
	auth := bind.NewKeyedTransactor(k.PrivateKey, id)
	if bal, err := ec.BalanceAt(ctx, auth.From, nil); err != nil {
		return fmt.Errorf("rpc %s: balance of %s: %w", c.String("rpc"), auth.From, err)
	} else if bal.Sign() == 0 {
		return fmt.Errorf("the deploying account %s has no ETH on chain %d to pay the gas", auth.From, id)
	}
	n, err := chain.DeployNetwork(ctx, ec, auth, p)
	if err != nil {
		return err
	}
	if err := chain.WriteNetworkFile(out, n); err != nil {
		return fmt.Errorf("deployed, but writing %s failed (registry %s, vault %s, tickets %s, block %d): %w",
			out, n.Contracts.Registry, n.Contracts.Vault, n.Contracts.Tickets, n.DeployBlock, err)
	}
	w := c.App.Writer
	fmt.Fprintf(w, "deployed on chain %d in block %d from %s: registry %s, vault %s, tickets %s\n",
		n.ChainID, n.DeployBlock, n.Deployer.Hex(), n.Contracts.Registry.Hex(), n.Contracts.Vault.Hex(), n.Contracts.Tickets.Hex())
	fmt.Fprintf(w, "minimum stake %s, epochs of %s, unbonding %s, withdrawal notice %s\n",
		chain.FormatEther(stake), p.EpochLength, p.UnbondingDelay, p.WithdrawalNotice)
	fmt.Fprintf(w, "wrote %s: name it in relay and client configs with network = %q\n", out, out)
	return nil
}
