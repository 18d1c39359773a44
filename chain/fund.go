package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// ErrNoUnlockedAccount means the endpoint has no account it signs for, so it
// cannot fund anyone: it is not a development node.
var ErrNoUnlockedAccount = errors.New("chain: the node has no unlocked account to fund from")

// FundFromNode sends amount to each of to from the first account the node
// itself holds unlocked, and waits until every transfer is mined. Development
// nodes (anvil, geth --dev) hold such an account; it saves handling a funded
// private key for them.
func FundFromNode(ctx context.Context, c *rpc.Client, b Backend, amount *big.Int, to ...common.Address) error {
	var accounts []common.Address
	if err := c.CallContext(ctx, &accounts, "eth_accounts"); err != nil {
		return fmt.Errorf("chain: eth_accounts: %w", err)
	}
	if len(accounts) == 0 {
		return ErrNoUnlockedAccount
	}
	// Number the transfers ourselves: a node that numbers each from its
	// pool can hand out a nonce twice while the pool catches up with the
	// transaction before (geth --dev: "replacement transaction underpriced").
	// Another sender from the same account (a second process funding from
	// the same dev node) can still take a nonce first: then the pending
	// count is read again and the rest sent after it.
	var hashes []common.Hash
	for attempt := 0; len(hashes) < len(to); attempt++ {
		var nonce hexutil.Uint64
		if err := c.CallContext(ctx, &nonce, "eth_getTransactionCount", accounts[0], "pending"); err != nil {
			return fmt.Errorf("chain: nonce of %s: %w", accounts[0], err)
		}
		retry, first := false, len(hashes)
		for i := first; i < len(to); i++ {
			var h common.Hash
			tx := map[string]any{"from": accounts[0], "to": to[i], "value": (*hexutil.Big)(amount), "nonce": nonce + hexutil.Uint64(i-first)}
			err := c.CallContext(ctx, &h, "eth_sendTransaction", tx)
			if err != nil && nonceTaken(err) && attempt < 8 {
				retry = true
				break
			}
			if err != nil {
				return fmt.Errorf("chain: funding %s from %s: %w", to[i], accounts[0], err)
			}
			hashes = append(hashes, h)
		}
		if retry {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(attempt+1) * 50 * time.Millisecond):
			}
		}
	}
	for _, h := range hashes {
		r, err := bind.WaitMined(ctx, b, h)
		if err != nil {
			return fmt.Errorf("chain: waiting for funding tx %s: %w", h, err)
		}
		if r.Status != 1 {
			return fmt.Errorf("chain: funding tx %s failed", h)
		}
	}
	return nil
}

// nonceTaken reports whether a send failed because another transaction of
// the account took its nonce first.
func nonceTaken(err error) bool {
	m := strings.ToLower(err.Error())
	return strings.Contains(m, "replacement transaction underpriced") || strings.Contains(m, "nonce too low") ||
		strings.Contains(m, "already known")
}
