package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/urfave/cli/v2"

	"github.com/murmurnet/murmur/internal/atomicfile"
	"github.com/murmurnet/murmur/messaging/card"
	convstore "github.com/murmurnet/murmur/messaging/session"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/node/client/messenger"
)

// Where, in a client's data directory, its conversations live: the keys
// and sessions (messaging/session), the card published last, and the
// messenger's delivery state (node/client/messenger).
const (
	ConversationsDir = "conversations"
	CardFile         = "card"
	MessengerDir     = "messenger"
)

// conversations is a client command's messenger.
type conversations struct {
	st *convstore.Store
	m  *messenger.Messenger
}

func (cv *conversations) Close() {
	cv.m.Close()
	cv.st.Close()
}

// openConversations runs the messenger of the session's client, with the
// card it published; other, if set, gets the messages that are not
// conversations'.
func openConversations(s *session, other func(*client.Message)) (*conversations, error) {
	b, err := os.ReadFile(filepath.Join(s.cfg.DataDir, CardFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errors.New("this client has published no card: run murmur card publish first")
	}
	if err != nil {
		return nil, err
	}
	var own card.Signed
	if err := own.UnmarshalBinary(b); err != nil {
		return nil, fmt.Errorf("%s: %w", CardFile, err)
	}
	st, err := convstore.Open(filepath.Join(s.cfg.DataDir, ConversationsDir))
	if err != nil {
		return nil, err
	}
	m, err := messenger.Open(messenger.Options{Client: s.cl, Sessions: st, Card: &own, Other: other,
		Dir: filepath.Join(s.cfg.DataDir, MessengerDir), ChainID: s.chain.ChainID().Uint64()})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &conversations{st: st, m: m}, nil
}

func cardCommand() *cli.Command {
	return &cli.Command{
		Name:  "card",
		Usage: "contact cards: a user's conversation keys and mailbox, bound to an Ethereum account",
		Subcommands: []*cli.Command{
			{
				Name:  "publish",
				Usage: "sign this client's card with the keystore's account and publish it at its provider, which hands it to the others",
				Flags: []cli.Flag{configFlag, passwordFlag,
					&cli.DurationFlag{Name: "valid", Value: 30 * 24 * time.Hour, Usage: "how long the card is valid"},
				},
				Action: publishCard,
			},
			{
				Name:      "show",
				Usage:     "find an account's card through the mix network and print it",
				ArgsUsage: "0xACCOUNT",
				Flags:     []cli.Flag{configFlag},
				Action:    showCard,
			},
		},
	}
}

func publishCard(c *cli.Context) error {
	if v := c.Duration("valid"); v < time.Hour {
		return fmt.Errorf("--valid %s: a card must be valid for an hour at least", v)
	}
	s, err := openSession(c, true)
	if err != nil {
		return err
	}
	defer s.Close()
	cfg := s.cfg
	key, err := cfg.operatorKey(c.String("password-file"))
	if err != nil {
		return err
	}
	st, err := convstore.Open(filepath.Join(cfg.DataDir, ConversationsDir))
	if err != nil {
		return err
	}
	defer st.Close()
	a := s.cl.Address()
	cd := st.Card(a.Provider, a.Mailbox, a.Key)
	cd.ChainID, cd.Account = s.chain.ChainID().Uint64(), crypto.PubkeyToAddress(key.PublicKey)
	now := time.Now().Truncate(time.Second)
	cd.Issued, cd.Expires = now, now.Add(c.Duration("valid"))
	signed, err := card.Sign(cd, key)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context, time.Minute)
	defer cancel()
	if err := s.cl.PublishCard(ctx, signed); err != nil {
		if errors.Is(err, client.ErrNoTickets) {
			return fmt.Errorf("%w\npublishing costs a prepaid packet: buy tickets (murmur tickets buy)", err)
		}
		return err
	}
	b, err := signed.MarshalBinary()
	if err == nil {
		err = atomicfile.Write(filepath.Join(cfg.DataDir, CardFile), b)
	}
	if err != nil {
		return fmt.Errorf("published, but not kept here: %w", err)
	}
	fmt.Fprintf(c.App.Writer, "published the card of %s, valid until %s\n", cd.Account.Hex(), cd.Expires.UTC().Format(time.RFC3339))
	return nil
}

func showCard(c *cli.Context) error {
	arg := c.Args().First()
	if c.NArg() != 1 || !common.IsHexAddress(arg) {
		return fmt.Errorf("give the account whose card to show (0x and 40 hex digits), not %q", arg)
	}
	s, err := openSession(c, false)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(c.Context, time.Minute)
	defer cancel()
	sc, err := s.cl.LookupCard(ctx, common.HexToAddress(arg))
	if err != nil {
		if errors.Is(err, client.ErrNoCard) {
			return fmt.Errorf("%w (the provider asked has none: unpublished, expired, or not there yet)", err)
		}
		return err
	}
	w := c.App.Writer
	fmt.Fprintf(w, "account %s (chain %d), signature verified\n", sc.Account.Hex(), sc.ChainID)
	fmt.Fprintf(w, "provider %s\nmailbox %s\n", hex.EncodeToString(sc.Provider[:]), hex.EncodeToString(sc.Mailbox[:]))
	fmt.Fprintf(w, "identity key %s\n", hex.EncodeToString(sc.Identity[:]))
	fmt.Fprintf(w, "issued %s, expires %s\n", sc.Issued.UTC().Format(time.RFC3339), sc.Expires.UTC().Format(time.RFC3339))
	return nil
}
