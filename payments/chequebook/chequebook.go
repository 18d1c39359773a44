// Package chequebook is how a client account pays ticket issuers: a book
// of the cumulative cheques it signed to each (on disk, written before a
// cheque leaves) and a [Payer] that signs the next cheque only when the
// account's Vault deposit covers every cheque issuers have not cashed yet.
// The CLI, the devnet and the client SDK share it.
package chequebook

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
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/internal/atomicfile"
	"github.com/murmurnet/murmur/payments/cheque"
)

// File is the book's file name in its directory.
const File = "cheques.json"

// Book is the cumulative amount a payer has promised each issuer,
// per deployment. A cheque is cumulative, and an issuer takes one only if
// it adds to the last it accepted: so the book must outlive the process,
// and it is written before a cheque leaves. If it is lost, the amount the
// issuer cashed on-chain is a floor to start again from; an issuer that
// holds a newer, uncashed cheque refuses the next one as stale.
type Book struct {
	path    string
	Cheques []entry `json:"cheques"`
}

type entry struct {
	Vault  common.Address `json:"vault"`
	Payer  common.Address `json:"payer"`
	Issuer common.Address `json:"issuer"`
	// PaidWei is the cumulative amount of the last cheque signed.
	PaidWei string `json:"paid_wei"`
}

// Open reads the book in dir (File), or starts an empty one.
func Open(dir string) (*Book, error) {
	b := &Book{path: filepath.Join(dir, File)}
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

// Paid returns the cumulative amount promised to issuer.
func (b *Book) Paid(vault, payer, issuer common.Address) *big.Int {
	for _, e := range b.Cheques {
		if e.Vault == vault && e.Payer == payer && e.Issuer == issuer {
			if v, ok := new(big.Int).SetString(e.PaidWei, 10); ok {
				return v
			}
		}
	}
	return new(big.Int)
}

// Issuers returns the issuers payer has paid from vault.
func (b *Book) Issuers(vault, payer common.Address) []common.Address {
	var out []common.Address
	for _, e := range b.Cheques {
		if e.Vault == vault && e.Payer == payer {
			out = append(out, e.Issuer)
		}
	}
	return out
}

// Record writes that a cheque for amount to issuer was signed.
func (b *Book) Record(vault, payer, issuer common.Address, amount *big.Int) error {
	i := 0
	for ; i < len(b.Cheques); i++ {
		if e := b.Cheques[i]; e.Vault == vault && e.Payer == payer && e.Issuer == issuer {
			break
		}
	}
	if i == len(b.Cheques) {
		b.Cheques = append(b.Cheques, entry{Vault: vault, Payer: payer, Issuer: issuer})
	}
	b.Cheques[i].PaidWei = amount.String()
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(b.path, data)
}

// Chain is what a Payer reads of the deployment; [chain.Client] is one.
type Chain interface {
	Contracts() chain.Contracts
	ChequeDomain() cheque.Domain
	Cashed(ctx context.Context, payer, payee common.Address) (*big.Int, error)
	VaultBalance(ctx context.Context, account common.Address) (*big.Int, error)
	PendingWithdrawal(ctx context.Context, payer common.Address) (chain.Withdrawal, error)
}

// Payer signs a client account's cheques to issuers, each backed by its
// Vault deposit, and records each in its [Book] before it is handed over.
type Payer struct {
	mu    sync.Mutex // one cheque at a time: each adds to the last
	ctx   context.Context
	chain Chain
	key   *ecdsa.PrivateKey
	addr  common.Address
	book  *Book
}

// NewPayer returns the payer of key against the deployment c, whose book
// is in dir; ctx bounds its chain lookups.
func NewPayer(ctx context.Context, c Chain, key *ecdsa.PrivateKey, dir string) (*Payer, error) {
	book, err := Open(dir)
	if err != nil {
		return nil, err
	}
	return &Payer{ctx: ctx, chain: c, key: key, addr: crypto.PubkeyToAddress(key.PublicKey), book: book}, nil
}

// next returns the cumulative amount of a cheque that pays issuer price
// more than the last, and what the issuer has cashed already.
func (p *Payer) next(issuer common.Address, price *big.Int) (next, cashed *big.Int, err error) {
	vault := p.chain.Contracts().Vault
	last := p.book.Paid(vault, p.addr, issuer)
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

// CheckCover fails with ErrVaultShort unless the payer's deposit, less an
// announced withdrawal, covers every cheque issuers have not cashed yet
// with the one that pays issuer price more. The issuer does not look at
// the Vault when it sells, so the client does: it never signs a promise
// its deposit cannot keep.
func (p *Payer) CheckCover(issuer common.Address, price *big.Int) error {
	next, cashed, err := p.next(issuer, price)
	if err != nil {
		return err
	}
	vault := p.chain.Contracts().Vault
	owed := new(big.Int).Sub(next, cashed)
	for _, other := range p.book.Issuers(vault, p.addr) {
		if other == issuer {
			continue
		}
		c, err := p.chain.Cashed(p.ctx, p.addr, other)
		if err != nil {
			return err
		}
		if d := new(big.Int).Sub(p.book.Paid(vault, p.addr, other), c); d.Sign() > 0 {
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
	return fmt.Errorf("%w: %s has %s in the vault%s; the tickets cost %s and issuers could cash %s in all; deposit more",
		ErrVaultShort, p.addr.Hex(), chain.FormatEther(dep), withdrawing, chain.FormatEther(price), chain.FormatEther(owed))
}

// Pay is a client.PayFunc: a cheque to issuer for price more than the
// last, recorded in the cheque book before it is handed over. Once signed
// it counts as paid, whether or not the sale goes through: the issuer may
// hold it.
func (p *Payer) Pay(issuer common.Address, price *big.Int) (cheque.Signed, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.CheckCover(issuer, price); err != nil {
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
	if err := p.book.Record(p.chain.Contracts().Vault, p.addr, issuer, next); err != nil {
		return cheque.Signed{}, fmt.Errorf("recording the cheque in the cheque book (it was not sent): %w", err)
	}
	return s, nil
}

// Paid returns what the payer has promised issuer in all: the cumulative
// amount of its last cheque.
func (p *Payer) Paid(issuer common.Address) *big.Int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.book.Paid(p.chain.Contracts().Vault, p.addr, issuer)
}

// Address is the paying account.
func (p *Payer) Address() common.Address { return p.addr }
