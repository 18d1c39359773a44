package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/murmurnet/murmur/bindings"
	"github.com/murmurnet/murmur/chain/light"
	"github.com/murmurnet/murmur/payments/cheque"
)

// Client reads and writes one Murmur deployment.
type Client struct {
	b        Backend
	chainID  *big.Int
	addrs    Contracts
	registry *bind.BoundContract
	vault    *bind.BoundContract
	tickets  *bind.BoundContract
	domain   cheque.Domain
}

// Dial checks that both contracts exist on b and returns a client for them.
func Dial(ctx context.Context, b Backend, addrs Contracts) (*Client, error) {
	id, err := b.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain: chain id: %w", err)
	}
	for _, a := range []common.Address{addrs.Registry, addrs.Vault, addrs.Tickets} {
		if err := checkCode(ctx, b, a); err != nil {
			return nil, err
		}
	}
	return &Client{
		b:        b,
		chainID:  id,
		addrs:    addrs,
		registry: registryABI.Instance(b, addrs.Registry),
		vault:    vaultABI.Instance(b, addrs.Vault),
		tickets:  ticketsABI.Instance(b, addrs.Tickets),
		domain:   cheque.NewDomain(id, addrs.Vault),
	}, nil
}

// Contracts returns the deployment's addresses.
func (c *Client) Contracts() Contracts { return c.addrs }

// ChainID returns the chain's ID.
func (c *Client) ChainID() *big.Int { return new(big.Int).Set(c.chainID) }

// ChequeDomain returns the EIP-712 domain in which this deployment's cheques are signed.
func (c *Client) ChequeDomain() cheque.Domain { return c.domain }

// Backend returns the chain connection.
func (c *Client) Backend() Backend { return c.b }

// transact sends data to contract from auth's account with value attached, waits
// for it to be mined, and decodes a revert into a *RevertError.
func (c *Client) transact(ctx context.Context, auth *bind.TransactOpts, contract *bind.BoundContract, data []byte, value *big.Int) (*types.Receipt, error) {
	opts := *auth
	opts.Context = ctx
	opts.Value = value
	tx, err := bind.Transact(contract, &opts, data)
	if err != nil {
		return nil, decodeRevert(err, registryABI, vaultABI, ticketsABI)
	}
	return WaitMined(ctx, c.b, tx)
}

func call[T any](ctx context.Context, contract *bind.BoundContract, data []byte, unpack func([]byte) (T, error)) (T, error) {
	v, err := bind.Call(contract, &bind.CallOpts{Context: ctx}, data, unpack)
	return v, decodeRevert(err, registryABI, vaultABI, ticketsABI)
}

// --- registry ----------------------------------------------------------------

// Register registers auth's account as a relay, staking stake.
func (c *Client) Register(ctx context.Context, auth *bind.TransactOpts, roles Roles, nodeKey [32]byte, multiaddrs []byte, stake *big.Int) (*types.Receipt, error) {
	return c.transact(ctx, auth, c.registry, registryABI.PackRegister(uint8(roles), nodeKey, multiaddrs), stake)
}

// AddStake adds amount to auth's stake.
func (c *Client) AddStake(ctx context.Context, auth *bind.TransactOpts, amount *big.Int) (*types.Receipt, error) {
	return c.transact(ctx, auth, c.registry, registryABI.PackAddStake(), amount)
}

// SetMultiaddrs replaces auth's relay addresses.
func (c *Client) SetMultiaddrs(ctx context.Context, auth *bind.TransactOpts, multiaddrs []byte) (*types.Receipt, error) {
	return c.transact(ctx, auth, c.registry, registryABI.PackSetMultiaddrs(multiaddrs), nil)
}

// AnnounceExit takes auth's relay out of the active set; its stake unbonds.
func (c *Client) AnnounceExit(ctx context.Context, auth *bind.TransactOpts) (*types.Receipt, error) {
	return c.transact(ctx, auth, c.registry, registryABI.PackAnnounceExit(), nil)
}

// WithdrawStake pays auth's unbonded stake back and deletes its entry.
func (c *Client) WithdrawStake(ctx context.Context, auth *bind.TransactOpts) (*types.Receipt, error) {
	return c.transact(ctx, auth, c.registry, registryABI.PackWithdraw(), nil)
}

// Relay returns operator's entry (Status None when there is none).
func (c *Client) Relay(ctx context.Context, operator common.Address) (Relay, error) {
	v, err := call(ctx, c.registry, registryABI.PackRelay(operator), registryABI.UnpackRelay)
	if err != nil {
		return Relay{}, fmt.Errorf("chain: relay %s: %w", operator, err)
	}
	return relayFrom(v), nil
}

// activePage is how many entries one activeRelays call returns.
const activePage = 100

// ActiveRelays returns the whole active set at the chain head.
func (c *Client) ActiveRelays(ctx context.Context) ([]Relay, error) {
	head, err := c.b.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("chain: head: %w", err)
	}
	return c.ActiveRelaysAt(ctx, head.Number)
}

// ActiveRelaysAt returns the whole active set as of block number, read in
// pages, all at that block.
func (c *Client) ActiveRelaysAt(ctx context.Context, number *big.Int) ([]Relay, error) {
	opts := &bind.CallOpts{Context: ctx, BlockNumber: number}
	var out []Relay
	for offset := int64(0); ; offset += activePage {
		page, err := bind.Call(c.registry, opts, registryABI.PackActiveRelays(big.NewInt(offset), big.NewInt(activePage)), registryABI.UnpackActiveRelays)
		if err != nil {
			return nil, fmt.Errorf("chain: active relays at block %s: %w", number, decodeRevert(err, registryABI))
		}
		for _, v := range page {
			out = append(out, relayFrom(v))
		}
		if len(page) < activePage {
			return out, nil
		}
	}
}

// LastBlockBefore returns the header of the last block whose timestamp is
// before t ([light.LastBlockBefore]).
func (c *Client) LastBlockBefore(ctx context.Context, t time.Time) (light.Header, error) {
	return light.LastBlockBefore(ctx, c.Header, t)
}

// Header returns a block's number, time and hash, the head's for a nil
// number.
func (c *Client) Header(ctx context.Context, number *big.Int) (light.Header, error) {
	h, err := c.b.HeaderByNumber(ctx, number)
	if err != nil {
		return light.Header{}, err
	}
	return HeaderOf(h), nil
}

// HeaderOf is what Murmur reads of a go-ethereum header.
func HeaderOf(h *types.Header) light.Header {
	return light.Header{Number: h.Number.Uint64(), Time: h.Time, Hash: h.Hash()}
}

// MinStake returns the registry's minimum stake.
func (c *Client) MinStake(ctx context.Context) (*big.Int, error) {
	return call(ctx, c.registry, registryABI.PackMinStake(), registryABI.UnpackMinStake)
}

// EpochClock returns the registry's genesis time and epoch length.
func (c *Client) EpochClock(ctx context.Context) (genesis time.Time, length time.Duration, err error) {
	g, err := call(ctx, c.registry, registryABI.PackGenesis(), registryABI.UnpackGenesis)
	if err != nil {
		return time.Time{}, 0, err
	}
	l, err := call(ctx, c.registry, registryABI.PackEpochLength(), registryABI.UnpackEpochLength)
	if err != nil {
		return time.Time{}, 0, err
	}
	return time.Unix(int64(g), 0), time.Duration(l) * time.Second, nil
}

func relayFrom(v bindings.IRelayRegistryRelayView) Relay {
	r := Relay{
		Operator:   v.Operator,
		Roles:      Roles(v.Roles),
		Status:     Status(v.Status),
		Stake:      v.Stake,
		NodeKey:    v.NodeKey,
		Multiaddrs: v.Multiaddrs,
	}
	if v.UnlockAt != 0 {
		r.UnlockAt = time.Unix(int64(v.UnlockAt), 0)
	}
	return r
}

// --- vault -------------------------------------------------------------------

// Deposit adds amount to auth's vault deposit.
func (c *Client) Deposit(ctx context.Context, auth *bind.TransactOpts, amount *big.Int) (*types.Receipt, error) {
	return c.transact(ctx, auth, c.vault, vaultABI.PackDeposit(), amount)
}

// VaultBalance returns account's vault deposit.
func (c *Client) VaultBalance(ctx context.Context, account common.Address) (*big.Int, error) {
	return call(ctx, c.vault, vaultABI.PackBalanceOf(account), vaultABI.UnpackBalanceOf)
}

// Cashed returns what payee has cashed from payer in total.
func (c *Client) Cashed(ctx context.Context, payer, payee common.Address) (*big.Int, error) {
	return call(ctx, c.vault, vaultABI.PackCashed(payer, payee), vaultABI.UnpackCashed)
}

// Cash cashes s (anyone may send it; the payee is paid) and returns what the
// payee received.
func (c *Client) Cash(ctx context.Context, auth *bind.TransactOpts, s cheque.Signed) (*big.Int, *types.Receipt, error) {
	data := vaultABI.PackCash(bindings.IVaultCheque{Payer: s.Payer, Payee: s.Payee, CumulativeAmount: s.CumulativeAmount}, s.Signature[:])
	r, err := c.transact(ctx, auth, c.vault, data, nil)
	if err != nil {
		return nil, r, err
	}
	for _, l := range r.Logs {
		if l.Address != c.addrs.Vault {
			continue
		}
		if ev, err := vaultABI.UnpackChequeCashedEvent(l); err == nil {
			return ev.Amount, r, nil
		}
	}
	return nil, r, errors.New("chain: cash: no ChequeCashed event in receipt")
}

// Bounce is what a cash transaction took from the payer's stake because its
// vault deposit was short: the Vault's ChequeBounced event.
type Bounce struct {
	Shortfall *big.Int // owed beyond the deposit
	FromStake *big.Int // paid of it from the payer's stake (the payer is jailed if not zero)
}

// BounceOf returns the bounce in a cash receipt, if the cheque bounced.
func (c *Client) BounceOf(r *types.Receipt) (Bounce, bool) {
	if r == nil {
		return Bounce{}, false
	}
	for _, l := range r.Logs {
		if l.Address != c.addrs.Vault {
			continue
		}
		if ev, err := vaultABI.UnpackChequeBouncedEvent(l); err == nil {
			return Bounce{Shortfall: ev.Shortfall, FromStake: ev.FromStake}, true
		}
	}
	return Bounce{}, false
}

// SuggestGasPrice returns the gas price the chain suggests for a
// transaction now (legacy price, or base fee plus tip).
func (c *Client) SuggestGasPrice(ctx context.Context) (*big.Int, error) {
	p, err := c.b.SuggestGasPrice(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain: gas price: %w", err)
	}
	return p, nil
}

// AnnounceWithdrawal starts the notice period for taking amount out of auth's deposit.
func (c *Client) AnnounceWithdrawal(ctx context.Context, auth *bind.TransactOpts, amount *big.Int) (*types.Receipt, error) {
	return c.transact(ctx, auth, c.vault, vaultABI.PackAnnounceWithdrawal(amount), nil)
}

// WithdrawDeposit takes the announced withdrawal once the notice has passed.
func (c *Client) WithdrawDeposit(ctx context.Context, auth *bind.TransactOpts) (*types.Receipt, error) {
	return c.transact(ctx, auth, c.vault, vaultABI.PackWithdraw(), nil)
}

// --- tickets -----------------------------------------------------------------

// IssuerKey is an issuer's published key for one key epoch.
type IssuerKey struct {
	Value     *big.Int  // wei a ticket of this key is worth; zero when there is no key
	ExpiresAt time.Time // spendable until then; redeemable on-chain for a grace period after
	PublicKey []byte    // 256-byte EIP-2537 G2 point
}

// RedemptionRequest is a provider's signed off-chain redemption request, the
// evidence TicketIssuer.proveDoubleRedemption takes.
type RedemptionRequest = bindings.ITicketIssuerRedemptionRequest

// PublishKey publishes auth's ticket key for keyEpoch.
func (c *Client) PublishKey(ctx context.Context, auth *bind.TransactOpts, keyEpoch uint64, publicKey []byte, value *big.Int, expiresAt time.Time) (*types.Receipt, error) {
	return c.transact(ctx, auth, c.tickets, ticketsABI.PackPublishKey(keyEpoch, publicKey, value, uint64(expiresAt.Unix())), nil)
}

// IssuerKey returns issuer's key for keyEpoch.
func (c *Client) IssuerKey(ctx context.Context, issuer common.Address, keyEpoch uint64) (IssuerKey, error) {
	k, err := call(ctx, c.tickets, ticketsABI.PackKeyOf(issuer, keyEpoch), ticketsABI.UnpackKeyOf)
	if err != nil {
		return IssuerKey{}, err
	}
	return IssuerKey{Value: k.Value, ExpiresAt: time.Unix(int64(k.ExpiresAt), 0), PublicKey: k.PublicKey}, nil
}

// RedeemTickets redeems serials of issuer's keyEpoch on-chain against their
// aggregate signature (a 128-byte EIP-2537 G1 point) and returns what the
// issuer's stake paid auth's account.
func (c *Client) RedeemTickets(ctx context.Context, auth *bind.TransactOpts, issuer common.Address, keyEpoch uint64, expectedValue *big.Int, serials [][32]byte, aggregateSignature []byte) (*big.Int, *types.Receipt, error) {
	r, err := c.transact(ctx, auth, c.tickets, ticketsABI.PackRedeem(issuer, keyEpoch, expectedValue, serials, aggregateSignature), nil)
	if err != nil {
		return nil, r, err
	}
	for _, l := range r.Logs {
		if ev, err := ticketsABI.UnpackRedeemedEvent(l); err == nil && l.Address == c.addrs.Tickets {
			return ev.Amount, r, nil
		}
	}
	return nil, r, errors.New("chain: redeem: no Redeemed event in receipt")
}

// RedeemerOf returns who redeemed serial on-chain (zero when nobody has).
func (c *Client) RedeemerOf(ctx context.Context, issuer common.Address, keyEpoch uint64, serial [32]byte) (common.Address, error) {
	return call(ctx, c.tickets, ticketsABI.PackRedeemerOf(issuer, keyEpoch, serial), ticketsABI.UnpackRedeemerOf)
}

// RedemptionRequestDigest returns the EIP-712 digest a provider signs for req,
// as the contract computes it.
func (c *Client) RedemptionRequestDigest(ctx context.Context, req RedemptionRequest) (common.Hash, error) {
	d, err := call(ctx, c.tickets, ticketsABI.PackRequestDigest(req), ticketsABI.UnpackRequestDigest)
	return common.Hash(d), err
}

// ReceiptDigest returns the EIP-712 digest a provider signs to acknowledge
// cumulativeValue paid by issuer in all, as the contract computes it.
func (c *Client) ReceiptDigest(ctx context.Context, issuer, provider common.Address, cumulativeValue *big.Int) (common.Hash, error) {
	d, err := call(ctx, c.tickets, ticketsABI.PackReceiptDigest(issuer, provider, cumulativeValue), ticketsABI.UnpackReceiptDigest)
	return common.Hash(d), err
}

// ProveDoubleRedemptionWithReceipt is [Client.ProveDoubleRedemption] for a
// request paid in lottery tickets: the provider's signed receipt for
// receiptValue (at least the request's amount) shows that it was paid.
func (c *Client) ProveDoubleRedemptionWithReceipt(ctx context.Context, auth *bind.TransactOpts, req RedemptionRequest, providerSignature []byte, serials [][32]byte, index int, receiptValue *big.Int, receiptSignature []byte) (*big.Int, *types.Receipt, error) {
	r, err := c.transact(ctx, auth, c.tickets, ticketsABI.PackProveDoubleRedemptionWithReceipt(req, providerSignature, serials, big.NewInt(int64(index)), receiptValue, receiptSignature), nil)
	if err != nil {
		return nil, r, err
	}
	return provenSlash(c, r)
}

// ProveDoubleRedemption submits the proof that req's provider redeemed
// serials[index] on-chain after being paid for it off-chain, and returns what
// was slashed from the provider for the issuer.
func (c *Client) ProveDoubleRedemption(ctx context.Context, auth *bind.TransactOpts, req RedemptionRequest, providerSignature []byte, serials [][32]byte, index int) (*big.Int, *types.Receipt, error) {
	r, err := c.transact(ctx, auth, c.tickets, ticketsABI.PackProveDoubleRedemption(req, providerSignature, serials, big.NewInt(int64(index))), nil)
	if err != nil {
		return nil, r, err
	}
	return provenSlash(c, r)
}

// provenSlash reads what a proof of double redemption slashed from its receipt.
func provenSlash(c *Client, r *types.Receipt) (*big.Int, *types.Receipt, error) {
	for _, l := range r.Logs {
		if ev, err := ticketsABI.UnpackDoubleRedemptionProvenEvent(l); err == nil && l.Address == c.addrs.Tickets {
			return ev.Slashed, r, nil
		}
	}
	return nil, r, errors.New("chain: prove: no DoubleRedemptionProven event in receipt")
}
