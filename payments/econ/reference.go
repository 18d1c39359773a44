package econ

import "fmt"

// The reference network and the figures behind it. docs/economics.md gives
// the reasoning and the sources; each figure here names where it comes from.

// Gas figures of Murmur's transactions.
var (
	// GasCash is a whole Vault.cash transaction of a cheque paid from the
	// deposit: 66,600, measured on anvil and geth (payments/settle.DefaultCashGas,
	// docs/perf.md).
	GasCash = 66_600.0
	// GasDeposit is a client's Vault.deposit transaction: 45,461, the
	// forge gas report's maximum with the 21,000 base (docs/perf.md).
	GasDeposit = 45_461.0
	// GasPublishKey estimates TicketIssuer.publishKey: the 58,422 of the
	// forge snapshot test_publishKey_stores, plus the 21,000 transaction
	// base and about 5,600 of calldata (a 96-byte key and its arguments).
	GasPublishKey = 85_000.0
	// GasRedeemWin and GasRedeemTx are Vault.redeemTickets, whole
	// transactions: a batch of B wins costs GasRedeemTx + B × GasRedeemWin.
	// Per win: 13,303 of execution in a batch of 100 (the forge snapshot
	// redeem_ticket_100_per_ticket) and at most 6,656 of calldata (416
	// bytes a ticket at 16 gas a byte; zero bytes cost less). Fixed: a
	// single win of a payer already redeemed from (redeem_ticket_next,
	// 19,637 of execution) with the 21,000 base and its calldata, less one
	// win's share.
	GasRedeemWin = 13_303.0 + 6_656.0
	GasRedeemTx  = 21_000.0 + 19_637.0 + 6_656.0 - GasRedeemWin
)

// The reference's chain prices: an L2 at 0.05 gwei and mainnet at 10 gwei
// (the reference), ETH at 3,000 USD.
const (
	RefUSDPerETH      = 3000
	RefL2GasGwei      = 0.05
	RefMainnetGasGwei = 10
	refPacketBytes    = 2516 + 8 // sphinx.DefaultGeometry().PacketSize() + the wire's epoch prefix
	refMixesPerLayer  = 10
)

// L2 is the reference's layer-2 settlement chain.
func L2() Chain { return chainAt("L2", RefL2GasGwei) }

// Mainnet is Ethereum mainnet at the reference's gas price.
func Mainnet() Chain { return chainAt("mainnet", RefMainnetGasGwei) }

func chainAt(name string, gwei float64) Chain {
	return Chain{Name: name, GasPriceGwei: gwei, USDPerETH: RefUSDPerETH, Gas: Gas{
		Cash: GasCash, RedeemTx: GasRedeemTx, RedeemWin: GasRedeemWin, PublishKey: GasPublishKey, Deposit: GasDeposit,
	}}
}

// ReferenceServer is the machine every reference relay runs on: a 5 USD a
// month virtual server (the reference; a 2-vCPU cloud server with
// 20 TB of outgoing traffic included is sold at about that, and extra
// traffic at about 1.2 USD/TB), staking 0.05 ETH in the registry and
// keeping 0.01 ETH in the Vault to back its payments.
func ReferenceServer() Server {
	return Server{USDPerMonth: 5, IncludedTB: 20, USDPerTB: 1.2, StakeETH: 0.05, DepositETH: 0.01}
}

// ReferenceCover are node/cover.DefaultRates in packets per second.
func ReferenceCover() Cover { return Cover{LambdaP: 2, LambdaL: 0.5, LambdaD: 0.5, LambdaM: 1} }

// ReferenceClasses are the reference network's senders: a few dApp
// back-ends that send in every λP slot all day, many users online 8 hours
// sending 200 messages, and clients online all day that send nothing. Their
// numbers are chosen so that every mix receives about 1,000 packets per
// second, the reference load. Each deposits into the Vault every
// topUpDays.
func ReferenceClasses(topUpDays float64) []Class {
	return []Class{
		{Name: "heavy", Clients: 100, OnlineHours: 24, Saturate: true, TopUpDays: topUpDays},
		{Name: "typical", Clients: 7_600, OnlineHours: 8, MessagesPerDay: 200, TopUpDays: topUpDays},
		{Name: "idle", Clients: 700, OnlineHours: 24, TopUpDays: topUpDays},
	}
}

// References names the reference networks Reference knows.
var References = []string{"l2", "mainnet"}

// Reference is the documented reference network, "l2" or "mainnet", with
// cost-based prices (CostPrices) settled by lottery tickets.
//
// Its shape is 10 providers, 3 layers of 10 mixes and one issuer; each role
// runs on a ReferenceServer; capital costs 3 % a year (about the yield of
// staked ETH); prices give each role 20 % over its costs. Payments are
// lottery tickets whose face value is 125 times the gas of redeeming a win
// (0.8 % of revenue on gas, leaving the issuer room for its keys within
// 1 %), each win redeemed at once. What differs between
// the chains is what gas makes worth it: on the L2 clients deposit every 90
// days and the issuer publishes a key a day; on mainnet clients deposit
// once a year and keys last 30 days.
func Reference(name string) (Scenario, error) {
	var c Chain
	var topUp, keyDays float64
	switch name {
	case "l2":
		c, topUp, keyDays = L2(), 90, 1
	case "mainnet":
		c, topUp, keyDays = Mainnet(), 365, 30
	default:
		return Scenario{}, fmt.Errorf("%w: no reference network %q (have %v)", ErrScenario, name, References)
	}
	s := Scenario{
		Name:    "reference on " + c.Name,
		Shape:   Shape{Providers: 10, Layers: 3, MixesPerLayer: refMixesPerLayer, Issuers: 1},
		Cover:   ReferenceCover(),
		Classes: ReferenceClasses(topUp),
		Costs: Costs{Provider: ReferenceServer(), Mix: ReferenceServer(), Issuer: issuerServer(),
			CapitalRate: 0.03, PacketBytes: refPacketBytes, Margin: 0.2},
		Chain:    c,
		Prices:   Prices{TicketPackets: 1000, KeyEpochDays: keyDays, HopWei: make([]float64, 4)},
		Payments: Payments{Lottery: true, GasFactor: 125, Batch: 1},
	}
	p, err := CostPrices(s)
	if err != nil {
		return Scenario{}, err
	}
	s.Prices = p
	return s, nil
}

// issuerServer is the issuer's machine: a reference server whose deposit
// backs its cheques to providers, a tenth of a day of the tickets it buys
// back.
func issuerServer() Server {
	s := ReferenceServer()
	s.DepositETH = 0.05
	return s
}

// Legacy returns scenario s at the prices Murmur shipped with before they
// were derived from costs: 10 µETH tickets of 1,000 packets, 1 gwei per hop
// at every hop, no issuer fee, cheques cashed at 5,000 times their gas.
func Legacy(s Scenario) Scenario {
	s.Name = "legacy prices, " + s.Name
	hop := make([]float64, s.Shape.Layers+1)
	for i := range hop {
		hop[i] = 1e9
	}
	s.Prices = Prices{TicketPriceWei: 1e13, TicketPackets: 1000, HopWei: hop, KeyEpochDays: 1}
	s.Payments = Payments{GasFactor: 5000}
	return s
}
