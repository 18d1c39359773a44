package main

import (
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/murmurnet/murmur/chain"
)

// The Vault holds the deposit that backs an account's cheques: a client's
// cheques to ticket issuers, a relay's cheques to its neighbours. These
// commands act for the account of the config's keystore.

func vaultCommand() *cli.Command {
	return &cli.Command{
		Name:  "vault",
		Usage: "the Vault deposit that backs the config's account's cheques",
		Subcommands: []*cli.Command{
			{
				Name: "deposit", Usage: "deposit ETH from the keystore account",
				Flags: []cli.Flag{configFlag, passwordFlag,
					&cli.StringFlag{Name: "amount", Required: true, Usage: "ETH to deposit, e.g. 0.05"}},
				Action: vaultDeposit,
			},
			{
				Name: "balance", Usage: "show an account's deposit and pending withdrawal",
				Flags: []cli.Flag{configFlag,
					&cli.StringFlag{Name: "address", Usage: "account to show; default the config's keystore account"}},
				Action: vaultBalance,
			},
			{
				Name: "withdraw", Usage: "announce a withdrawal (--announce), or take the announced one once its notice has passed",
				Description: "Cheques are paid from the deposit, so a withdrawal waits out a notice period (two days by\n" +
					"default) during which payees can still cash what they hold. `vault withdraw --announce 0.5`\n" +
					"starts it; `vault withdraw` after the unlock time takes it (less what was cashed meanwhile).",
				Flags: []cli.Flag{configFlag, passwordFlag,
					&cli.StringFlag{Name: "announce", Usage: "ETH to announce for withdrawal"}},
				Action: vaultWithdraw,
			},
		},
	}
}

func vaultDeposit(c *cli.Context) error {
	amount, err := chain.ParseEther(c.String("amount"))
	if err != nil {
		return err
	}
	if amount.Sign() == 0 {
		return fmt.Errorf("--amount must be more than 0 ETH")
	}
	return relayTx(c, func(_ *fileConfig, cl *chain.Client, auth *bind.TransactOpts) (string, error) {
		if _, err := cl.Deposit(c.Context, auth, amount); err != nil {
			return "", err
		}
		bal, err := cl.VaultBalance(c.Context, auth.From)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("deposited %s from %s; vault deposit now %s", chain.FormatEther(amount), auth.From.Hex(), chain.FormatEther(bal)), nil
	})
}

func vaultBalance(c *cli.Context) error {
	cfg, err := loadConfig(c.String("config"))
	if err != nil {
		return err
	}
	var addr common.Address
	if a := c.String("address"); a != "" {
		if !common.IsHexAddress(a) {
			return fmt.Errorf("--address %q is not an Ethereum address", a)
		}
		addr = common.HexToAddress(a)
	} else if addr, err = cfg.operatorAddress(); err != nil {
		return fmt.Errorf("no --address, and the config's keystore gives none: %w", err)
	}
	cl, err := cfg.dial(c.Context)
	if err != nil {
		return err
	}
	bal, err := cl.VaultBalance(c.Context, addr)
	if err != nil {
		return err
	}
	wd, err := cl.PendingWithdrawal(c.Context, addr)
	if err != nil {
		return err
	}
	w := c.App.Writer
	fmt.Fprintf(w, "account %s\ndeposit %s\n", addr.Hex(), chain.FormatEther(bal))
	if wd.Amount.Sign() == 0 {
		fmt.Fprintln(w, "no withdrawal pending")
		return nil
	}
	now, err := chainTime(c, cl)
	if err != nil {
		return err
	}
	when := "unlocked: murmur vault withdraw takes it"
	if now.Before(wd.UnlockAt) {
		when = "notice runs until " + formatTime(wd.UnlockAt)
	}
	fmt.Fprintf(w, "pending withdrawal %s, %s\n", chain.FormatEther(wd.Amount), when)
	return nil
}

func vaultWithdraw(c *cli.Context) error {
	if s := c.String("announce"); s != "" {
		amount, err := chain.ParseEther(s)
		if err != nil {
			return err
		}
		return relayTx(c, func(_ *fileConfig, cl *chain.Client, auth *bind.TransactOpts) (string, error) {
			if _, err := cl.AnnounceWithdrawal(c.Context, auth, amount); err != nil {
				return "", err
			}
			wd, err := cl.PendingWithdrawal(c.Context, auth.From)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("withdrawal of %s announced; it unlocks at %s (murmur vault withdraw then takes it)", chain.FormatEther(wd.Amount), formatTime(wd.UnlockAt)), nil
		})
	}
	return relayTx(c, func(_ *fileConfig, cl *chain.Client, auth *bind.TransactOpts) (string, error) {
		wd, err := cl.PendingWithdrawal(c.Context, auth.From)
		if err != nil {
			return "", err
		}
		if wd.Amount.Sign() == 0 {
			return "", fmt.Errorf("no withdrawal announced for %s: announce one with --announce ETH, then wait out the notice", auth.From.Hex())
		}
		// Checked here rather than left to the revert, to name the amount
		// as well as the time; the contract checks again.
		now, err := chainTime(c, cl)
		if err != nil {
			return "", err
		}
		if now.Before(wd.UnlockAt) {
			return "", fmt.Errorf("the withdrawal of %s is locked until %s (notice period; %s to go)",
				chain.FormatEther(wd.Amount), formatTime(wd.UnlockAt), wd.UnlockAt.Sub(now).Round(time.Minute))
		}
		before, err := cl.VaultBalance(c.Context, auth.From)
		if err != nil {
			return "", err
		}
		if _, err := cl.WithdrawDeposit(c.Context, auth); err != nil {
			return "", err
		}
		after, err := cl.VaultBalance(c.Context, auth.From)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("withdrew %s; vault deposit now %s", chain.FormatEther(new(big.Int).Sub(before, after)), chain.FormatEther(after)), nil
	})
}

// chainTime is the latest block's time: the clock the Vault's notice runs on.
func chainTime(c *cli.Context, cl *chain.Client) (time.Time, error) {
	h, err := cl.Backend().HeaderByNumber(c.Context, nil)
	if err != nil {
		return time.Time{}, fmt.Errorf("chain head: %w", err)
	}
	return time.Unix(int64(h.Time), 0), nil
}

func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 MST") }
