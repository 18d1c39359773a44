package tickets_test

import (
	"crypto/ecdsa"
	"fmt"
	"log"
	"math/big"
	"os"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/tickets"
)

// Example buys a ticket, spends it at a provider, and redeems it.
// (Deterministic randomness keeps the output fixed; use crypto/rand.)
func Example() {
	const chainID = 31337
	vault := common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")
	domain := cheque.NewDomain(big.NewInt(chainID), vault)
	issuerAccount, _ := ecdsa.GenerateKey(crypto.S256(), testRand(1))
	clientAccount, _ := ecdsa.GenerateKey(crypto.S256(), testRand(2))
	providerAccount, _ := ecdsa.GenerateKey(crypto.S256(), testRand(4))
	providerAddr := crypto.PubkeyToAddress(providerAccount.PublicKey)
	ticketIssuer := common.HexToAddress("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0")
	dir, _ := os.MkdirTemp("", "tickets-example")
	defer os.RemoveAll(dir)

	// The issuer starts a key epoch: 1000 packets for 0.000002 ETH.
	issuer, err := tickets.OpenIssuer(tickets.IssuerConfig{
		Dir: dir + "/issuer", ChainID: chainID, Vault: vault, Account: issuerAccount, Retain: 2,
		TicketIssuer: ticketIssuer,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer issuer.Close()
	key, _ := issuer.Rotate(tickets.Value{Packets: 1000, Price: big.NewInt(2e12)})

	// The client blinds a ticket and pays for it with a cheque.
	req, _ := tickets.NewTicketRequest(testRand(3), key)
	pay, _ := domain.Sign(cheque.Cheque{
		Payer: crypto.PubkeyToAddress(clientAccount.PublicKey), Payee: issuer.Address(),
		CumulativeAmount: key.Value.Price,
	}, clientAccount)
	sigs, err := issuer.Sell(tickets.SaleRequest{
		Epoch: key.Epoch, Value: key.Value, Payment: pay, Blinded: []bls.G1Affine{req.Blinded()},
	})
	if err != nil {
		log.Fatal(err)
	}
	ticket, err := req.Finish(sigs[0])
	if err != nil {
		log.Fatal(err)
	}
	wire := ticket.Bytes()

	// The provider, which follows the issuer's keys, accepts it once.
	keys := tickets.NewKeyring(chainID, 2)
	keys.Add(key)
	provider, _ := tickets.OpenProvider(tickets.ProviderConfig{Dir: dir + "/provider", Keys: keys})
	defer provider.Close()
	t, _ := tickets.DecodeTicket(wire[:])
	fmt.Println("first spend:", provider.Accept(t, key.Value))
	fmt.Println("second spend:", provider.Accept(t, key.Value))

	// The provider redeems what it accepted, with a signed request for the
	// cumulative amount it expects (the issuer keeps it as evidence).
	pending, _ := provider.Pending(tickets.MaxBatch)
	request, _ := tickets.NewRequestDomain(big.NewInt(chainID), ticketIssuer).Sign(tickets.RedemptionRequest{
		Issuer: issuer.Address(), Provider: providerAddr, KeyEpoch: key.Epoch,
		Serials: [][32]byte{pending[0].Serial}, CumulativeAmount: key.Value.Price,
	}, providerAccount)
	payout, err := issuer.Redeem(request, pending)
	if err != nil {
		log.Fatal(err)
	}
	provider.MarkRedeemed(pending)
	fmt.Println("cheque valid:", domain.Verify(payout) == nil, "amount:", payout.CumulativeAmount)
	// Asking again (the answer was lost) pays nothing more: the same cheque.
	again, err := issuer.Redeem(request, pending)
	fmt.Println("redeem again:", err, "amount:", again.CumulativeAmount)
	// Output:
	// first spend: <nil>
	// second spend: tickets: ticket already spent
	// cheque valid: true amount: 2000000000000
	// redeem again: <nil> amount: 2000000000000
}
