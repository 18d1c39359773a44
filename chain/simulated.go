//go:build !js

package chain

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
)

// Simulated is an embedded go-ethereum chain (ethclient/simulated) that mines
// every transaction as soon as it is sent, as anvil and geth --dev do, so that
// code written for a real endpoint runs on it unchanged. Its chain ID is 1337.
//
// It runs the forks mainnet runs (through Osaka), not the unscheduled forks
// go-ethereum's dev config also switches on, so that gas measured on it is
// what mainnet charges.
type Simulated struct {
	simulated.Client
	sim *simulated.Backend
	mu  sync.Mutex // serialises block production
}

// NewSimulated starts a simulated chain whose genesis funds alloc.
func NewSimulated(alloc types.GenesisAlloc) *Simulated {
	sim := simulated.NewBackend(alloc, func(_ *node.Config, eth *ethconfig.Config) {
		cfg := *eth.Genesis.Config
		cfg.BogotaTime = nil
		eth.Genesis.Config = &cfg
	})
	return &Simulated{Client: sim.Client(), sim: sim}
}

// SendTransaction submits tx and mines a block that includes it.
func (s *Simulated) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	if err := s.Client.SendTransaction(ctx, tx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sim.Commit()
	return nil
}

// AdjustTime mines an empty block d later than the last one, to pass notice
// periods and epochs in tests.
func (s *Simulated) AdjustTime(d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	// The txpool resets after each block asynchronously, and until it has, it
	// still lists the transactions just mined as pending, which AdjustTime
	// refuses. Give the reset a bounded moment.
	deadline := time.Now().Add(2 * time.Second)
	for {
		err := s.sim.AdjustTime(d)
		if err == nil || !strings.Contains(err.Error(), "non-empty block") || time.Now().After(deadline) {
			return err
		}
		time.Sleep(time.Millisecond)
	}
}

// Mine mines a block now, with whatever is pending. A devnet calls it every
// second so that the chain's time moves on when nobody transacts, as a real
// chain's does: epochs are read at blocks (see node/pki).
func (s *Simulated) Mine() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sim.Commit()
}

// Close stops the chain.
func (s *Simulated) Close() error { return s.sim.Close() }
