package settle_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log"
	"math/big"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/settle"
)

// Two neighbouring relays: alice forwards packets to bob at bob's price,
// signs a cheque when one is due, and bob accepts it.
func Example() {
	domain := cheque.NewDomain(big.NewInt(1337), common.HexToAddress("0x00000000000000000000000000000000000000aa"))
	price := big.NewInt(1_000_000_000) // wei per packet, from bob's descriptor
	// Everyone has a 1 ETH deposit; the node asks the chain instead.
	cover := settle.CoverFunc(func(context.Context, common.Address) (*big.Int, error) {
		return big.NewInt(1e18), nil
	})
	aliceKey, _ := crypto.GenerateKey()
	bobKey, _ := crypto.GenerateKey()
	alice, bob := crypto.PubkeyToAddress(aliceKey.PublicKey), crypto.PubkeyToAddress(bobKey.PublicKey)

	dir, err := os.MkdirTemp("", "settle-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	openLedger := func(self common.Address, key *ecdsa.PrivateKey) *settle.Ledger {
		l, err := settle.Open(filepath.Join(dir, self.Hex()), settle.Options{
			Self: self, Domain: domain, Signer: settle.KeySigner(domain, key), Cover: cover,
		})
		if err != nil {
			log.Fatal(err)
		}
		return l
	}
	aliceLedger, bobLedger := openLedger(alice, aliceKey), openLedger(bob, bobKey)
	defer aliceLedger.Close()
	defer bobLedger.Close()

	toBob, _ := aliceLedger.Out(bob, price)
	fromAlice, _ := bobLedger.In(alice, price)
	for range 450 {
		due := toBob.Sent() // alice's packet path
		if !fromAlice.Received() {
			log.Fatal("bob refused alice") // bob's packet path
		}
		if due {
			s, err := toBob.Cheque() // off the packet path in a node
			if err != nil {
				log.Fatal(err)
			}
			if err := fromAlice.Accept(context.Background(), s); err != nil {
				log.Fatal(err)
			}
		}
	}
	hs, _ := bobLedger.Holdings()
	for _, h := range hs {
		fmt.Println("bob holds a cheque for", h.Latest.CumulativeAmount, "wei; unpaid:", h.Unpaid)
	}
	// Output:
	// bob holds a cheque for 400000000000 wei; unpaid: 50000000000
}
