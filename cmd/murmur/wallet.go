package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/internal/atomicfile"
	"github.com/murmurnet/murmur/node/client"
	"github.com/murmurnet/murmur/payments/cheque"
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

// --- the cheque book -------------------------------------------------------------

// chequeBook is the cumulative amount a payer has promised each issuer,
// per deployment. A cheque is cumulative, and an issuer takes one only if
// it adds to the last it accepted: so the book must outlive the process,
// and it is written before a cheque leaves. If it is lost, the amount the
// issuer cashed on-chain is a floor to start again from; an issuer that
// holds a newer, uncashed cheque refuses the next one as stale.
type chequeBook struct {
	path    string
	Cheques []bookEntry `json:"cheques"`
}

type bookEntry struct {
	Vault  common.Address `json:"vault"`
	Payer  common.Address `json:"payer"`
	Issuer common.Address `json:"issuer"`
	// PaidWei is the cumulative amount of the last cheque signed.
	PaidWei string `json:"paid_wei"`
}

func loadChequeBook(dir string) (*chequeBook, error) {
	b := &chequeBook{path: filepath.Join(dir, chequeBookFile)}
	data, err := os.ReadFile(b.path)
	if errors.Is(err, fs.ErrNotExist) {
		return b, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, b); err != nil {
		return nil, fmt.Errorf("cheque book %s: %w", b.path, err)
	}
	return b, nil
}

// paid returns the cumulative amount promised to issuer.
func (b *chequeBook) paid(vault, payer, issuer common.Address) *big.Int {
	for _, e := range b.Cheques {
		if e.Vault == vault && e.Payer == payer && e.Issuer == issuer {
			if v, ok := new(big.Int).SetString(e.PaidWei, 10); ok {
				return v
			}
		}
	}
	return new(big.Int)
}

// issuers returns the issuers payer has paid from vault.
func (b *chequeBook) issuers(vault, payer common.Address) []common.Address {
	var out []common.Address
	for _, e := range b.Cheques {
		if e.Vault == vault && e.Payer == payer {
			out = append(out, e.Issuer)
		}
	}
	return out
}

// record writes that a cheque for amount to issuer was signed.
func (b *chequeBook) record(vault, payer, issuer common.Address, amount *big.Int) error {
	i := 0
	for ; i < len(b.Cheques); i++ {
		if e := b.Cheques[i]; e.Vault == vault && e.Payer == payer && e.Issuer == issuer {
			break
		}
	}
	if i == len(b.Cheques) {
		b.Cheques = append(b.Cheques, bookEntry{Vault: vault, Payer: payer, Issuer: issuer})
	}
	b.Cheques[i].PaidWei = amount.String()
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(b.path, data)
}

// payer signs a client account's cheques to issuers, each backed by its
// Vault deposit.
type payer struct {
	ctx   context.Context
	chain *chain.Client
	key   *ecdsa.PrivateKey
	addr  common.Address
	book  *chequeBook
}

func newPayer(ctx context.Context, cl *chain.Client, key *ecdsa.PrivateKey, dir string) (*payer, error) {
	book, err := loadChequeBook(dir)
	if err != nil {
		return nil, err
	}
	return &payer{ctx: ctx, chain: cl, key: key, addr: crypto.PubkeyToAddress(key.PublicKey), book: book}, nil
}

// next returns the cumulative amount of a cheque that pays issuer price
// more than the last, and what the issuer has cashed already.
func (p *payer) next(issuer common.Address, price *big.Int) (next, cashed *big.Int, err error) {
	vault := p.chain.Contracts().Vault
	last := p.book.paid(vault, p.addr, issuer)
	if cashed, err = p.chain.Cashed(p.ctx, p.addr, issuer); err != nil {
		return nil, nil, err
	}
	if cashed.Cmp(last) > 0 {
		last = new(big.Int).Set(cashed) // the book was lost: the issuer cashed at least this
	}
	return new(big.Int).Add(last, price), cashed, nil
}

// ErrVaultShort is returned (wrapped) when the payer's Vault deposit does
// not cover the cheques it would have signed: an issuer that cashed them
// would be paid short.
var ErrVaultShort = errors.New("the vault deposit does not cover the payment")

// checkCover fails with ErrVaultShort unless the payer's deposit, less an
// announced withdrawal, covers every cheque issuers have not cashed yet
// with the one that pays issuer price more. The issuer does not look at
// the Vault when it sells, so the client does: it never signs a promise
// its deposit cannot keep.
func (p *payer) checkCover(issuer common.Address, price *big.Int) error {
	next, cashed, err := p.next(issuer, price)
	if err != nil {
		return err
	}
	vault := p.chain.Contracts().Vault
	owed := new(big.Int).Sub(next, cashed)
	for _, other := range p.book.issuers(vault, p.addr) {
		if other == issuer {
			continue
		}
		c, err := p.chain.Cashed(p.ctx, p.addr, other)
		if err != nil {
			return err
		}
		if d := new(big.Int).Sub(p.book.paid(vault, p.addr, other), c); d.Sign() > 0 {
			owed.Add(owed, d)
		}
	}
	dep, err := p.chain.VaultBalance(p.ctx, p.addr)
	if err != nil {
		return err
	}
	wd, err := p.chain.PendingWithdrawal(p.ctx, p.addr)
	if err != nil {
		return err
	}
	avail := new(big.Int).Sub(dep, wd.Amount)
	if avail.Sign() < 0 {
		avail.SetInt64(0)
	}
	if avail.Cmp(owed) >= 0 {
		return nil
	}
	withdrawing := ""
	if wd.Amount.Sign() > 0 {
		withdrawing = fmt.Sprintf(" (%s of it announced for withdrawal)", chain.FormatEther(wd.Amount))
	}
	return fmt.Errorf("%w: %s has %s in the vault%s; the tickets cost %s and issuers could cash %s in all; deposit more with murmur vault deposit --amount ETH",
		ErrVaultShort, p.addr.Hex(), chain.FormatEther(dep), withdrawing, chain.FormatEther(price), chain.FormatEther(owed))
}

// pay is a client.PayFunc: a cheque to issuer for price more than the
// last, recorded in the cheque book before it is handed over. Once signed
// it counts as paid, whether or not the sale goes through: the issuer may
// hold it.
func (p *payer) pay(issuer common.Address, price *big.Int) (cheque.Signed, error) {
	if err := p.checkCover(issuer, price); err != nil {
		return cheque.Signed{}, err
	}
	next, _, err := p.next(issuer, price)
	if err != nil {
		return cheque.Signed{}, err
	}
	s, err := p.chain.ChequeDomain().Sign(cheque.Cheque{Payer: p.addr, Payee: issuer, CumulativeAmount: next}, p.key)
	if err != nil {
		return cheque.Signed{}, err
	}
	if err := p.book.record(p.chain.Contracts().Vault, p.addr, issuer, next); err != nil {
		return cheque.Signed{}, fmt.Errorf("recording the cheque in the cheque book (it was not sent): %w", err)
	}
	return s, nil
}
