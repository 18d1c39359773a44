package chain

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/murmurnet/murmur/bindings"
)

// RevertError is a contract revert decoded into the binding's error type.
type RevertError struct {
	// Name is the Solidity custom error's name, e.g. "StakeBelowMinimum".
	Name string
	// Value is the decoded error, e.g. *bindings.RelayRegistryStakeBelowMinimum.
	Value any
	// Data is the raw revert data.
	Data []byte
}

// Error returns an operator-readable sentence.
func (e *RevertError) Error() string { return describe(e.Value, e.Name) }

// unpacker is a binding's UnpackError.
type unpacker interface {
	UnpackError(raw []byte) (any, error)
}

var (
	registryABI = bindings.NewRelayRegistry()
	vaultABI    = bindings.NewVault()
	ticketsABI  = bindings.NewTicketIssuer()
)

// decodeRevert turns err into a *RevertError when it carries revert data that
// one of the contracts declares; otherwise it returns err unchanged.
func decodeRevert(err error, contracts ...unpacker) error {
	if err == nil {
		return nil
	}
	data, ok := ethclient.RevertErrorData(err)
	if !ok || len(data) < 4 {
		return err
	}
	for _, c := range contracts {
		v, uerr := c.UnpackError(data)
		if uerr == nil && v != nil {
			return &RevertError{Name: errorName(v), Value: v, Data: data}
		}
	}
	return err
}

// errorName derives the Solidity error name from the binding's type name.
func errorName(v any) string {
	name := fmt.Sprintf("%T", v)
	name = name[strings.LastIndex(name, ".")+1:]
	for _, prefix := range []string{"RelayRegistry", "TicketIssuer", "Vault"} {
		if n, ok := strings.CutPrefix(name, prefix); ok {
			return n
		}
	}
	return name
}

func describe(v any, name string) string {
	switch e := v.(type) {
	case *bindings.RelayRegistryStakeBelowMinimum:
		return fmt.Sprintf("stake below minimum (have %s, need %s)", FormatEther(e.Have), FormatEther(e.Need))
	case *bindings.RelayRegistryAlreadyRegistered:
		return fmt.Sprintf("operator %s is already registered", e.Operator)
	case *bindings.RelayRegistryNodeKeyTaken:
		return fmt.Sprintf("node key %x is already registered by %s", e.NodeKey, e.Operator)
	case *bindings.RelayRegistryInvalidNodeKey:
		return "node identity key must not be zero"
	case *bindings.RelayRegistryInvalidRoles:
		return fmt.Sprintf("invalid role bitmask %d (provider=1, mix=2, issuer=4)", e.Roles)
	case *bindings.RelayRegistryMultiaddrsTooLong:
		return fmt.Sprintf("multiaddrs too long (%s bytes, at most %s)", e.Length, e.Max)
	case *bindings.RelayRegistryNotRegistered:
		return fmt.Sprintf("operator %s is not registered", e.Operator)
	case *bindings.RelayRegistryNotActive:
		return fmt.Sprintf("relay %s is not active (status %s)", e.Operator, Status(e.Status))
	case *bindings.RelayRegistryExitNotAnnounced:
		return fmt.Sprintf("relay %s must announce its exit before withdrawing", e.Operator)
	case *bindings.RelayRegistryStillUnbonding:
		return fmt.Sprintf("stake still unbonding until %s", unix(e.UnlockAt))
	case *bindings.RelayRegistryNotEnforcer:
		return fmt.Sprintf("%s may not jail or slash", e.Caller)
	case *bindings.RelayRegistryZeroAmount, *bindings.VaultZeroAmount:
		return "amount must not be zero"
	case *bindings.RelayRegistryTransferFailed:
		return fmt.Sprintf("transfer of %s to %s failed", FormatEther(e.Amount), e.To)
	case *bindings.VaultTransferFailed:
		return fmt.Sprintf("transfer of %s to %s failed", FormatEther(e.Amount), e.To)
	case *bindings.VaultInvalidSignature:
		return "cheque signature is not the payer's for this chain and vault"
	case *bindings.VaultSelfPayment:
		return fmt.Sprintf("a cheque from %s to itself: a deposit goes back to its owner only by withdrawal, after the notice", e.Payer)
	case *bindings.VaultStaleCheque:
		return fmt.Sprintf("stale cheque (promises %s, already cashed %s)", FormatEther(e.CumulativeAmount), FormatEther(e.AlreadyCashed))
	case *bindings.VaultChequeUncovered:
		return fmt.Sprintf("payer %s has neither deposit nor stake to cover %s", e.Payer, FormatEther(e.Owed))
	case *bindings.VaultWrongPayee:
		return fmt.Sprintf("lottery ticket %d names another payee than the batch's, or its own payer", e.Index)
	case *bindings.VaultTicketExpired:
		return fmt.Sprintf("lottery ticket %d expired at %s", e.Index, unix(e.ExpiresAt))
	case *bindings.VaultBadReveal:
		return fmt.Sprintf("the secret of lottery ticket %d does not match its commitment", e.Index)
	case *bindings.VaultTicketNotWinning:
		return fmt.Sprintf("lottery ticket %d does not win", e.Index)
	case *bindings.VaultTicketReplayed:
		return fmt.Sprintf("lottery ticket %d has nonce %d, but only nonces from %d on are redeemed", e.Index, e.Nonce, e.Next)
	case *bindings.VaultNotPayee:
		return fmt.Sprintf("only the payee %s redeems its lottery tickets, not %s", e.Payee, e.Caller)
	case *bindings.VaultBadBatch:
		return "an empty batch of lottery tickets, or one whose tickets, signatures and secrets differ in number"
	case *bindings.VaultNoWithdrawalAnnounced:
		return fmt.Sprintf("no withdrawal announced for %s", e.Payer)
	case *bindings.VaultWithdrawalLocked:
		return fmt.Sprintf("withdrawal notice runs until %s", unix(e.UnlockAt))
	case *bindings.TicketIssuerNotIssuer:
		return fmt.Sprintf("%s is not an active issuer", e.Caller)
	case *bindings.TicketIssuerKeyAlreadyPublished:
		return fmt.Sprintf("issuer %s already published a key for epoch %d", e.Issuer, e.KeyEpoch)
	case *bindings.TicketIssuerInvalidPublicKey:
		return "issuer public key is not a valid G2 point"
	case *bindings.TicketIssuerInvalidKeyParameters:
		return "key value must be positive and its expiry in the future"
	case *bindings.TicketIssuerUnknownKeyEpoch:
		return fmt.Sprintf("issuer %s has no key for epoch %d", e.Issuer, e.KeyEpoch)
	case *bindings.TicketIssuerKeyEpochExpired:
		return fmt.Sprintf("tickets of issuer %s epoch %d were redeemable until %s", e.Issuer, e.KeyEpoch, unix(e.RedeemableUntil))
	case *bindings.TicketIssuerWrongValue:
		return fmt.Sprintf("key tickets are worth %s, not %s", FormatEther(e.KeyValue), FormatEther(e.Expected))
	case *bindings.TicketIssuerInvalidBatchSize:
		return fmt.Sprintf("invalid batch size %s", e.Size)
	case *bindings.TicketIssuerDuplicateSerial:
		return fmt.Sprintf("serial %x appears twice in the batch", e.Serial)
	case *bindings.TicketIssuerAlreadyRedeemed:
		return fmt.Sprintf("ticket %x was already redeemed by %s", e.Serial, e.Redeemer)
	case *bindings.TicketIssuerInvalidPointEncoding:
		return "signature is not a canonical 128-byte G1 point"
	case *bindings.TicketIssuerSignatureAtInfinity:
		return "signature is the point at infinity"
	case *bindings.TicketIssuerPointNotOnCurve:
		return "signature is not on the curve"
	case *bindings.TicketIssuerPointNotInSubgroup:
		return "signature is not in the G1 subgroup"
	case *bindings.TicketIssuerInvalidSignature:
		return "ticket signature does not verify"
	case *bindings.TicketIssuerIssuerStakeInsufficient:
		return fmt.Sprintf("issuer stake %s cannot pay %s", FormatEther(e.Stake), FormatEther(e.Owed))
	case *bindings.TicketIssuerInvalidRequestSignature:
		return "redemption request is not signed by its provider"
	case *bindings.TicketIssuerSerialsMismatch:
		return "serials do not match the redemption request"
	case *bindings.TicketIssuerNotRedeemedOnChainBy:
		return fmt.Sprintf("ticket %x was not redeemed on-chain by %s", e.Serial, e.Provider)
	case *bindings.TicketIssuerNotPaidOffChain:
		return fmt.Sprintf("provider cashed %s, request claims %s", FormatEther(e.Cashed), FormatEther(e.CumulativeAmount))
	case *bindings.VaultInsufficientBalance:
		return fmt.Sprintf("insufficient vault balance (have %s, need %s)", FormatEther(e.Have), FormatEther(e.Need))
	}
	return fmt.Sprintf("contract error %s %+v", name, v)
}

func unix(t uint64) string { return time.Unix(int64(t), 0).UTC().Format(time.RFC3339) }

// FormatEther renders wei as ETH with up to 18 decimals and no trailing zeros.
func FormatEther(wei *big.Int) string {
	if wei == nil {
		return "0 ETH"
	}
	neg := wei.Sign() < 0
	abs := new(big.Int).Abs(wei)
	q, r := new(big.Int).QuoRem(abs, big.NewInt(1e18), new(big.Int))
	s := q.String()
	if r.Sign() != 0 {
		frac := fmt.Sprintf("%018s", r.String())
		s += "." + strings.TrimRight(frac, "0")
	}
	if neg {
		s = "-" + s
	}
	return s + " ETH"
}

// ParseEther parses a decimal amount of ETH ("1", "0.25") into wei.
func ParseEther(s string) (*big.Int, error) {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "ETH")))
	if !ok || r.Sign() < 0 {
		return nil, fmt.Errorf("chain: %q is not an amount of ETH", s)
	}
	r.Mul(r, new(big.Rat).SetInt(big.NewInt(1e18)))
	if !r.IsInt() {
		return nil, fmt.Errorf("chain: %q has more than 18 decimals", s)
	}
	return r.Num(), nil
}
