package main

import (
	"fmt"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/urfave/cli/v2"
)

func accountCommand() *cli.Command {
	return &cli.Command{
		Name:  "account",
		Usage: "operator accounts (go-ethereum keystore files)",
		Subcommands: []*cli.Command{{
			Name:  "new",
			Usage: "create an encrypted keystore file",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "keystore-dir", Required: true, Usage: "directory of the new keystore file"},
				&cli.StringFlag{Name: "password-file", Required: true, Usage: "file holding the password"},
				&cli.BoolFlag{Name: "light-kdf", Usage: "weaker, faster scrypt parameters (tests)"},
			},
			Action: func(c *cli.Context) error {
				pw, err := readPassword(c.String("password-file"))
				if err != nil {
					return err
				}
				n, p := keystore.StandardScryptN, keystore.StandardScryptP
				if c.Bool("light-kdf") {
					n, p = keystore.LightScryptN, keystore.LightScryptP
				}
				acct, err := keystore.StoreKey(c.String("keystore-dir"), pw, n, p)
				if err != nil {
					return err
				}
				fmt.Fprintf(c.App.Writer, "address %s\nkeystore %s\n", acct.Address.Hex(), acct.URL.Path)
				return nil
			},
		}},
	}
}
