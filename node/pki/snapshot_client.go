//go:build !js

package pki

import (
	"context"
	"math/big"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/chain/light"
)

// FromClient returns c as a [Chain]. (The browser core reads the chain
// with a *light.Reader instead, which is one already.)
func FromClient(c *chain.Client) Chain { return clientChain{c} }

type clientChain struct{ *chain.Client }

func (c clientChain) HeaderByNumber(ctx context.Context, n *big.Int) (light.Header, error) {
	return c.Header(ctx, n)
}
