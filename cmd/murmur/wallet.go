package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/payments/wallet"
)

// A client's money lives in its data directory, next to its keys:
//
//	tickets.wallet  the ticket wallet (package payments/wallet), sealed with
//	                a secret derived from the client's key (e2e.key,
//	                client.WalletSecret)
//	tickets.lock    held while a command uses the wallet
//	cheques.json    the cheque book: what the keystore account has paid each
//	                issuer in total (cheques are cumulative)
const (
	walletFile     = "tickets.wallet"
	walletLockFile = "tickets.lock"
	chequeBookFile = "cheques.json"
)

// openWallet locks and opens the ticket wallet of data directory dir. With
// create unset and no wallet there, it returns a nil wallet (and a release
// that does nothing more than unlock).
func openWallet(dir string, create bool) (*wallet.Wallet, func(), error) {
	unlock, err := lockFile(filepath.Join(dir, walletLockFile))
	if err != nil {
		return nil, nil, err
	}
	path := filepath.Join(dir, walletFile)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && !create {
		return nil, unlock, nil
	}
	key, err := clientKeys(dir)
	if err != nil {
		unlock()
		return nil, nil, err
	}
	secret, err := client.WalletSecret(key)
	if err != nil {
		unlock()
		return nil, nil, err
	}
	w, err := wallet.Open(path, secret)
	if err != nil {
		unlock()
		return nil, nil, fmt.Errorf("ticket wallet %s: %w", path, err)
	}
	return w, unlock, nil
}

// walletTotal is the number of tickets and packets a wallet holds.
func walletTotal(w *wallet.Wallet) (ts int, packets uint64) {
	if w == nil {
		return 0, 0
	}
	for _, b := range w.Balance() {
		ts += b.Tickets
		packets += b.Packets
	}
	return ts, packets
}
