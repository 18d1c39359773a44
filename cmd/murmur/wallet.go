package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/murmurnet/murmur/internal/dirlock"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/payments/wallet"
)

// A client's money lives in its data directory, next to its keys, as the
// SDK (node/client.Dial) keeps it: the ticket wallet (client.WalletFile),
// its lock, and the cheque book of the keystore account (package
// chequebook).

// openWallet locks and opens the ticket wallet of data directory dir. With
// create unset and no wallet there, it returns a nil wallet (and a release
// that does nothing more than unlock).
func openWallet(dir string, create bool) (*wallet.Wallet, func(), error) {
	unlock, err := dirlock.Lock(filepath.Join(dir, client.LockFile))
	if err != nil {
		return nil, nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, client.WalletFile)); errors.Is(err, fs.ErrNotExist) && !create {
		return nil, unlock, nil
	}
	key, err := client.LoadKey(dir)
	if err != nil {
		unlock()
		return nil, nil, err
	}
	w, err := client.OpenWallet(dir, key)
	if err != nil {
		unlock()
		return nil, nil, err
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
