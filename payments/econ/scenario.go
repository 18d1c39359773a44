package econ

import (
	"errors"
	"fmt"
	"math"
)

// Time units of the model. A month is 30 days throughout, so that a
// monthly server price and a daily cost convert without calendar noise.
const (
	SecondsPerDay   = 86_400
	DaysPerMonth    = 30
	SecondsPerMonth = SecondsPerDay * DaysPerMonth
	weiPerETH       = 1e18
)

// Scenario is everything the model needs: the network, its load, what
// running a relay costs, the chain, the prices and how payments settle.
type Scenario struct {
	Name     string   `json:"name"`
	Shape    Shape    `json:"shape"`
	Cover    Cover    `json:"cover"`
	Classes  []Class  `json:"classes"`
	Costs    Costs    `json:"costs"`
	Chain    Chain    `json:"chain"`
	Prices   Prices   `json:"prices"`
	Payments Payments `json:"payments"`
}

// Shape is the stratified topology: providers at both ends, Layers layers
// of MixesPerLayer mixes between them, and the ticket issuers.
type Shape struct {
	Providers     int `json:"providers"`
	Layers        int `json:"layers"`
	MixesPerLayer int `json:"mixesPerLayer"`
	Issuers       int `json:"issuers"`
}

// Cover holds the Loopix rates in packets per second (node/cover.Rates):
// a client sends real-or-drop packets at LambdaP, loops at LambdaL and
// drops at LambdaD while online; every mix sends loops at LambdaM.
type Cover struct {
	LambdaP float64 `json:"lambdaP"`
	LambdaL float64 `json:"lambdaL"`
	LambdaD float64 `json:"lambdaD"`
	LambdaM float64 `json:"lambdaM"`
}

// Class is a kind of sender: how many there are, how long they are online
// and what they send.
type Class struct {
	Name    string `json:"name"`
	Clients int    `json:"clients"`
	// OnlineHours is how long a client of the class is online a day.
	OnlineHours float64 `json:"onlineHours"`
	// MessagesPerDay are the messages it sends a day. With cover on, real
	// packets take the λP slots, so a client can send at most λP packets
	// per second; Saturate fills every slot instead.
	MessagesPerDay float64 `json:"messagesPerDay"`
	Saturate       bool    `json:"saturate,omitempty"`
	// PacketsPerMessage is the fragments of one message (1 for a message
	// that fits one payload); zero means 1.
	PacketsPerMessage float64 `json:"packetsPerMessage,omitempty"`
	// NoCover sends only real packets, at once (client.Config.NoCover).
	NoCover bool `json:"noCover,omitempty"`
	// TopUpDays is how often the client deposits into the Vault, the only
	// transaction a client sends; zero means never in the period modelled.
	TopUpDays float64 `json:"topUpDays,omitempty"`
}

// Costs are what each role pays to run.
type Costs struct {
	Provider Server `json:"provider"`
	Mix      Server `json:"mix"`
	Issuer   Server `json:"issuer"`
	// CapitalRate is the yearly return the ETH locked in stakes and
	// deposits would earn elsewhere: its opportunity cost.
	CapitalRate float64 `json:"capitalRate"`
	// PacketBytes is the size of a packet on the wire (the Sphinx
	// geometry's PacketSize plus framing).
	PacketBytes float64 `json:"packetBytes"`
	// Margin is the return over cost that the cost-based prices give each
	// role (0.25 is 25 %).
	Margin float64 `json:"margin"`
}

// Server is one operator's machine and the ETH it locks.
type Server struct {
	USDPerMonth float64 `json:"usdPerMonth"` // rent: CPU, memory, disk and the traffic included
	IncludedTB  float64 `json:"includedTB"`  // outgoing traffic included per month, in TB
	USDPerTB    float64 `json:"usdPerTB"`    // outgoing traffic beyond it
	StakeETH    float64 `json:"stakeETH"`    // locked in the registry
	DepositETH  float64 `json:"depositETH"`  // locked in the Vault, backing what it pays
}

// Chain is the settlement chain: its gas price, the price of ETH and the
// gas of each transaction Murmur sends.
type Chain struct {
	Name         string  `json:"name"`
	GasPriceGwei float64 `json:"gasPriceGwei"`
	USDPerETH    float64 `json:"usdPerETH"`
	Gas          Gas     `json:"gas"`
}

// Gas is the gas of each transaction, whole (base and calldata included).
type Gas struct {
	Cash       float64 `json:"cash"`       // Vault.cash of one cheque
	RedeemTx   float64 `json:"redeemTx"`   // a batch redemption of winning lottery tickets, fixed part
	RedeemWin  float64 `json:"redeemWin"`  // each winning ticket in the batch
	PublishKey float64 `json:"publishKey"` // TicketIssuer.publishKey, once per key epoch
	Deposit    float64 `json:"deposit"`    // Vault.deposit by a client
}

// Prices are what each hop charges.
type Prices struct {
	// TicketPriceWei buys TicketPackets packets at a provider.
	TicketPriceWei float64 `json:"ticketPriceWei"`
	TicketPackets  float64 `json:"ticketPackets"`
	// IssuerFeeWei is what the issuer keeps of each ticket's price when a
	// provider redeems it: the provider is paid TicketPriceWei − IssuerFeeWei.
	IssuerFeeWei float64 `json:"issuerFeeWei"`
	// HopWei[k] is the price, per packet, of handing a packet to a relay
	// at position k: k < Layers is a mix of layer k+1, k = Layers is a
	// provider (the last hop). A relay pays the next hop's price for every
	// packet it hands on.
	HopWei []float64 `json:"hopWei"`
	// KeyEpochDays is how long an issuer key lasts; the issuer publishes
	// one key per key epoch on-chain.
	KeyEpochDays float64 `json:"keyEpochDays"`
}

// Payments says how promises of money become money on-chain.
type Payments struct {
	// Lottery pays with probabilistic tickets: each winning ticket is worth
	// its face value, and winners are redeemed Batch at a time. Otherwise
	// payments are cumulative cheques, cashed per payer.
	Lottery bool `json:"lottery"`
	// GasFactor is how many times its gas an on-chain claim must be worth:
	// a cheque is cashed once its unclaimed value reaches GasFactor × its
	// cash's gas cost; a lottery ticket's face value is GasFactor × the gas
	// cost of redeeming one win. Gas is then 1/GasFactor of what is claimed.
	GasFactor float64 `json:"gasFactor"`
	Batch     int     `json:"batch,omitempty"`
}

// ErrScenario is wrapped by every error of [Scenario.Validate].
var ErrScenario = errors.New("econ: invalid scenario")

// Validate reports the first input the model cannot use.
func (s Scenario) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrScenario, fmt.Sprintf(format, a...))
	}
	sh := s.Shape
	if sh.Providers < 1 || sh.Layers < 1 || sh.MixesPerLayer < 1 || sh.Issuers < 1 {
		return bad("need at least one provider, layer, mix per layer and issuer, have %+v", sh)
	}
	type input struct {
		name string
		v    float64
	}
	inputs := []input{
		{"lambdaP", s.Cover.LambdaP}, {"lambdaL", s.Cover.LambdaL}, {"lambdaD", s.Cover.LambdaD}, {"lambdaM", s.Cover.LambdaM},
		{"capital rate", s.Costs.CapitalRate}, {"margin", s.Costs.Margin}, {"packet bytes", s.Costs.PacketBytes},
		{"gas price", s.Chain.GasPriceGwei}, {"ETH price", s.Chain.USDPerETH},
		{"ticket price", s.Prices.TicketPriceWei}, {"issuer fee", s.Prices.IssuerFeeWei},
	}
	for _, r := range []struct {
		role string
		sv   Server
	}{{"provider", s.Costs.Provider}, {"mix", s.Costs.Mix}, {"issuer", s.Costs.Issuer}} {
		inputs = append(inputs, input{r.role + " server price", r.sv.USDPerMonth}, input{r.role + " included TB", r.sv.IncludedTB},
			input{r.role + " USD per TB", r.sv.USDPerTB}, input{r.role + " stake", r.sv.StakeETH}, input{r.role + " deposit", r.sv.DepositETH})
	}
	g := s.Chain.Gas
	inputs = append(inputs, input{"cash gas", g.Cash}, input{"redeem gas", g.RedeemTx}, input{"win gas", g.RedeemWin},
		input{"key gas", g.PublishKey}, input{"deposit gas", g.Deposit})
	for _, in := range inputs {
		if in.v < 0 || math.IsNaN(in.v) || math.IsInf(in.v, 0) {
			return bad("%s is %v, want a finite number ≥ 0", in.name, in.v)
		}
	}
	if len(s.Classes) == 0 {
		return bad("no sender classes")
	}
	for _, c := range s.Classes {
		if c.Clients < 0 || c.OnlineHours < 0 || c.OnlineHours > 24 || c.MessagesPerDay < 0 || c.PacketsPerMessage < 0 || c.TopUpDays < 0 {
			return bad("class %q: clients, hours online (0–24), messages, packets per message and top-up days must be ≥ 0", c.Name)
		}
		if c.MessagesPerDay > 0 && c.OnlineHours == 0 {
			return bad("class %q sends messages but is never online", c.Name)
		}
	}
	if s.Prices.TicketPackets < 1 {
		return bad("a ticket must pay for at least one packet")
	}
	if s.Prices.IssuerFeeWei > s.Prices.TicketPriceWei {
		return bad("issuer fee %v wei exceeds the ticket price %v wei", s.Prices.IssuerFeeWei, s.Prices.TicketPriceWei)
	}
	if len(s.Prices.HopWei) != sh.Layers+1 {
		return bad("%d per-hop prices for %d layers, want one per layer and one for the last provider", len(s.Prices.HopWei), sh.Layers)
	}
	for k, v := range s.Prices.HopWei {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return bad("per-hop price %d is %v", k, v)
		}
	}
	if s.Prices.KeyEpochDays <= 0 {
		return bad("key epoch of %v days", s.Prices.KeyEpochDays)
	}
	if s.Payments.GasFactor < 1 {
		return bad("gas factor %v: a claim must at least pay for its own gas", s.Payments.GasFactor)
	}
	if s.Payments.Lottery && s.Payments.Batch < 1 {
		return bad("lottery redemption batches of %d tickets", s.Payments.Batch)
	}
	if s.Chain.USDPerETH == 0 || s.Chain.GasPriceGwei == 0 {
		return bad("gas price and ETH price must be positive")
	}
	return nil
}
