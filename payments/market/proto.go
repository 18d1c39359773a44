package market

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/murmurnet/murmur/internal/framing"
	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/tickets"
)

// The wire format of /murmur/tickets/2, all of it in this file; the package
// documentation specifies it.

// Protocol is the libp2p protocol ID of the ticket market.
//
// Version 2 carries the issuer's fee beside each key's price (ADR 0010).
const Protocol protocol.ID = "/murmur/tickets/2"

// Message types.
const (
	typeKeys   framing.Type = 0x01 // request: empty
	typeBuy    framing.Type = 0x02 // request: order
	typeRedeem framing.Type = 0x03 // request: redemption
	// request: redemption paid in a lottery ticket, if the issuer pays so
	typeRedeemLottery framing.Type = 0x04
	typeReceipt       framing.Type = 0x05 // request: payment receipt
	typeCatalog       framing.Type = 0x81 // answer to keys
	typeSigs          framing.Type = 0x82 // answer to buy
	typeCheque        framing.Type = 0x83 // answer to redeem (and to a lottery redemption an issuer pays by cheque)
	typeTicket        framing.Type = 0x84 // answer to a lottery redemption
	typeReceiptOK     framing.Type = 0x85 // answer to a receipt: empty
	typeRefusal       framing.Type = 0xFF // answer to anything
)

// Sizes and bounds.
const (
	// MaxKeys bounds the keys of a catalog; an issuer with more lists its
	// newest MaxKeys.
	MaxKeys = 64
	// MaxReason bounds the reason of a refusal, in bytes.
	MaxReason = 512

	amountSize     = 32
	chequeSize     = 20 + 20 + amountSize + 65
	keySize        = 8 + 8 + tickets.G2CompressedSize + 8 + 2*amountSize
	orderHead      = 8 + 8 + 2*amountSize + chequeSize + 2
	redemptionHead = 20 + 20 + 8 + amountSize + 65 + 2
	receiptSize    = 20 + 20 + amountSize + 65
	payByHead      = 32 + amountSize + 65 // commitment ‖ receipt value ‖ receipt signature
	refusalHead    = 1 + 1

	maxOrder      = orderHead + tickets.MaxBatch*tickets.G1CompressedSize
	maxRedemption = redemptionHead + tickets.MaxBatch*tickets.TicketSize
	maxRequest    = max(maxOrder, payByHead+maxRedemption)
	maxCatalog    = 20 + 2 + MaxKeys*keySize
	maxSigs       = 2 + tickets.MaxBatch*tickets.G1CompressedSize
	maxRefusal    = refusalHead + 2*amountSize + 2 + tickets.MaxBatch*3 + MaxReason
)

// errMalformed is wrapped by every decoding error.
var errMalformed = errors.New("malformed message")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errMalformed, fmt.Sprintf(format, args...))
}

func appendAmount(b []byte, x *big.Int) []byte {
	return append(b, x.FillBytes(make([]byte, amountSize))...)
}

// checkAmount reports whether x fits the 32-byte unsigned field.
func checkAmount(x *big.Int) bool { return x != nil && x.Sign() >= 0 && x.BitLen() <= 256 }

func appendCheque(b []byte, c cheque.Signed) []byte {
	b = append(b, c.Payer[:]...)
	b = append(b, c.Payee[:]...)
	b = appendAmount(b, c.CumulativeAmount)
	return append(b, c.Signature[:]...)
}

func decodeCheque(b []byte) cheque.Signed {
	var c cheque.Signed
	c.Payer = common.BytesToAddress(b[0:20])
	c.Payee = common.BytesToAddress(b[20:40])
	c.CumulativeAmount = new(big.Int).SetBytes(b[40:72])
	copy(c.Signature[:], b[72:chequeSize])
	return c
}

// --- keys ---------------------------------------------------------------------

func encodeCatalog(issuer common.Address, keys []tickets.IssuerKey) []byte {
	if len(keys) > MaxKeys {
		keys = keys[len(keys)-MaxKeys:] // oldest first: keep the newest
	}
	b := make([]byte, 0, 20+2+len(keys)*keySize)
	b = append(b, issuer[:]...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(keys)))
	for _, k := range keys {
		b = binary.BigEndian.AppendUint64(b, k.ChainID)
		b = binary.BigEndian.AppendUint64(b, k.Epoch)
		pk := k.PublicKey.Bytes()
		b = append(b, pk[:]...)
		b = binary.BigEndian.AppendUint64(b, k.Value.Packets)
		b = appendAmount(b, k.Value.Price)
		b = appendAmount(b, k.Value.FeeWei())
	}
	return b
}

func decodeCatalog(b []byte) (Catalog, error) {
	if len(b) < 22 {
		return Catalog{}, malformed("catalog of %d bytes", len(b))
	}
	c := Catalog{Issuer: common.BytesToAddress(b[:20])}
	n := int(binary.BigEndian.Uint16(b[20:22]))
	if n > MaxKeys || len(b) != 22+n*keySize {
		return Catalog{}, malformed("catalog of %d keys in %d bytes", n, len(b))
	}
	for i := range n {
		r := b[22+i*keySize:]
		k := tickets.IssuerKey{ChainID: binary.BigEndian.Uint64(r[0:8]), Epoch: binary.BigEndian.Uint64(r[8:16])}
		o := 16 + tickets.G2CompressedSize
		pk, err := tickets.DecodeG2(r[16:o])
		if err != nil {
			return Catalog{}, malformed("key %d: %v", i, err)
		}
		k.PublicKey = pk
		k.Value.Packets = binary.BigEndian.Uint64(r[o : o+8])
		k.Value.Price = new(big.Int).SetBytes(r[o+8 : o+8+amountSize])
		k.Value.Fee = new(big.Int).SetBytes(r[o+8+amountSize : o+8+2*amountSize])
		if err := k.Check(); err != nil {
			return Catalog{}, malformed("key %d: %v", i, err)
		}
		c.Keys = append(c.Keys, k)
	}
	return c, nil
}

// --- buy ----------------------------------------------------------------------

func encodeOrder(key tickets.IssuerKey, pay cheque.Signed, blinded []bls.G1Affine) []byte {
	b := make([]byte, 0, orderHead+len(blinded)*tickets.G1CompressedSize)
	b = binary.BigEndian.AppendUint64(b, key.Epoch)
	b = binary.BigEndian.AppendUint64(b, key.Value.Packets)
	b = appendAmount(b, key.Value.Price)
	b = appendAmount(b, key.Value.FeeWei())
	b = appendCheque(b, pay)
	b = binary.BigEndian.AppendUint16(b, uint16(len(blinded)))
	for i := range blinded {
		p := blinded[i].Bytes()
		b = append(b, p[:]...)
	}
	return b
}

// decodeOrder decodes an order and checks its points (in G1, not
// infinity).
func decodeOrder(b []byte) (tickets.SaleRequest, error) {
	var req tickets.SaleRequest
	if len(b) < orderHead {
		return req, malformed("order of %d bytes", len(b))
	}
	req.Epoch = binary.BigEndian.Uint64(b[0:8])
	req.Value.Packets = binary.BigEndian.Uint64(b[8:16])
	req.Value.Price = new(big.Int).SetBytes(b[16:48])
	req.Value.Fee = new(big.Int).SetBytes(b[48:80])
	req.Payment = decodeCheque(b[80 : 80+chequeSize])
	n := int(binary.BigEndian.Uint16(b[orderHead-2 : orderHead]))
	if n == 0 || n > tickets.MaxBatch || len(b) != orderHead+n*tickets.G1CompressedSize {
		return req, malformed("order of %d tickets in %d bytes (1 to %d tickets)", n, len(b), tickets.MaxBatch)
	}
	req.Blinded = make([]bls.G1Affine, n)
	for i := range n {
		off := orderHead + i*tickets.G1CompressedSize
		p, err := tickets.DecodeG1(b[off : off+tickets.G1CompressedSize])
		if err != nil {
			return req, malformed("blinded ticket %d: %v", i, err)
		}
		req.Blinded[i] = p
	}
	return req, nil
}

func encodeSigs(sigs []bls.G1Affine) []byte {
	b := make([]byte, 0, 2+len(sigs)*tickets.G1CompressedSize)
	b = binary.BigEndian.AppendUint16(b, uint16(len(sigs)))
	for i := range sigs {
		p := sigs[i].Bytes()
		b = append(b, p[:]...)
	}
	return b
}

// decodeSigs decodes the answer to an order of n tickets.
func decodeSigs(b []byte, n int) ([]bls.G1Affine, error) {
	if len(b) < 2 {
		return nil, malformed("signatures of %d bytes", len(b))
	}
	if m := int(binary.BigEndian.Uint16(b)); m != n || len(b) != 2+n*tickets.G1CompressedSize {
		return nil, malformed("%d signatures in %d bytes for %d tickets", m, len(b), n)
	}
	out := make([]bls.G1Affine, n)
	for i := range out {
		off := 2 + i*tickets.G1CompressedSize
		p, err := tickets.DecodeG1(b[off : off+tickets.G1CompressedSize])
		if err != nil {
			return nil, malformed("signature %d: %v", i, err)
		}
		out[i] = p
	}
	return out, nil
}

// --- redeem -------------------------------------------------------------------

// encodeRedemption encodes req with ts; the serials of req are those of
// ts, which the caller has checked.
func encodeRedemption(req *tickets.SignedRequest, ts []tickets.Ticket) []byte {
	b := make([]byte, 0, redemptionHead+len(ts)*tickets.TicketSize)
	b = append(b, req.Issuer[:]...)
	b = append(b, req.Provider[:]...)
	b = binary.BigEndian.AppendUint64(b, req.KeyEpoch)
	b = appendAmount(b, req.CumulativeAmount)
	b = append(b, req.Signature[:]...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(ts)))
	for i := range ts {
		t := ts[i].Bytes()
		b = append(b, t[:]...)
	}
	return b
}

func decodeRedemption(b []byte) (tickets.SignedRequest, []tickets.Ticket, error) {
	var req tickets.SignedRequest
	if len(b) < redemptionHead {
		return req, nil, malformed("redemption of %d bytes", len(b))
	}
	req.Issuer = common.BytesToAddress(b[0:20])
	req.Provider = common.BytesToAddress(b[20:40])
	req.KeyEpoch = binary.BigEndian.Uint64(b[40:48])
	req.CumulativeAmount = new(big.Int).SetBytes(b[48:80])
	copy(req.Signature[:], b[80:145])
	n := int(binary.BigEndian.Uint16(b[145:147]))
	if n == 0 || n > tickets.MaxBatch || len(b) != redemptionHead+n*tickets.TicketSize {
		return req, nil, malformed("redemption of %d tickets in %d bytes (1 to %d tickets)", n, len(b), tickets.MaxBatch)
	}
	if req.Provider == (common.Address{}) {
		return req, nil, malformed("redemption for the zero address")
	}
	ts := make([]tickets.Ticket, n)
	req.Serials = make([][32]byte, n)
	for i := range ts {
		off := redemptionHead + i*tickets.TicketSize
		t, err := tickets.DecodeTicket(b[off : off+tickets.TicketSize])
		if err != nil {
			return req, nil, malformed("ticket %d: %v", i, err)
		}
		ts[i], req.Serials[i] = t, t.Serial
	}
	return req, ts, nil
}

// --- refusal ------------------------------------------------------------------

// refusal is the body of a typeRefusal message.
type refusal struct {
	code    Code
	want    *big.Int // with have: both nil or both set
	have    *big.Int
	refused []TicketRefusal
	reason  string
}

func encodeRefusal(r refusal) []byte {
	b := make([]byte, 0, maxRefusal)
	b = append(b, byte(r.code))
	if r.want != nil && r.have != nil && checkAmount(r.want) && checkAmount(r.have) {
		b = append(b, 1)
		b = appendAmount(b, r.want)
		b = appendAmount(b, r.have)
	} else {
		b = append(b, 0)
	}
	refused := r.refused
	if len(refused) > tickets.MaxBatch {
		refused = refused[:tickets.MaxBatch]
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(refused)))
	for _, t := range refused {
		b = binary.BigEndian.AppendUint16(b, uint16(t.Index))
		b = append(b, byte(t.Code))
	}
	return append(b, truncateUTF8(r.reason, MaxReason)...)
}

func decodeRefusal(b []byte) (refusal, error) {
	if len(b) < refusalHead {
		return refusal{}, malformed("refusal of %d bytes", len(b))
	}
	r := refusal{code: Code(b[0])}
	flags := b[1]
	b = b[2:]
	switch flags {
	case 0:
	case 1:
		if len(b) < 2*amountSize {
			return refusal{}, malformed("refusal truncated")
		}
		r.want = new(big.Int).SetBytes(b[:amountSize])
		r.have = new(big.Int).SetBytes(b[amountSize : 2*amountSize])
		b = b[2*amountSize:]
	default:
		return refusal{}, malformed("refusal flags %#x", flags)
	}
	if len(b) < 2 {
		return refusal{}, malformed("refusal truncated")
	}
	n := int(binary.BigEndian.Uint16(b))
	b = b[2:]
	if n > tickets.MaxBatch || len(b) < 3*n {
		return refusal{}, malformed("refusal of %d tickets in %d bytes", n, len(b))
	}
	for i := range n {
		r.refused = append(r.refused, TicketRefusal{Index: int(binary.BigEndian.Uint16(b[3*i:])), Code: Code(b[3*i+2])})
	}
	b = b[3*n:]
	if len(b) > MaxReason {
		return refusal{}, malformed("refusal reason of %d bytes", len(b))
	}
	// Replacing invalid bytes (one each) with U+FFFD (three) can grow it.
	r.reason = truncateUTF8(strings.ToValidUTF8(string(b), "\uFFFD"), MaxReason)
	return r, nil
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// --- lottery redemption and receipts -------------------------------------------

// encodeLotteryRedemption encodes a redemption paid in a lottery ticket:
// the provider's commitment and latest receipt (zeros for none) before the
// redemption itself.
func encodeLotteryRedemption(by tickets.PayBy, req *tickets.SignedRequest, ts []tickets.Ticket) []byte {
	b := make([]byte, 0, payByHead+redemptionHead+len(ts)*tickets.TicketSize)
	b = append(b, by.Commitment[:]...)
	if by.Receipt != nil {
		b = appendAmount(b, by.Receipt.CumulativeValue)
		b = append(b, by.Receipt.Signature[:]...)
	} else {
		b = append(b, make([]byte, amountSize+65)...)
	}
	return append(b, encodeRedemption(req, ts)...)
}

func decodeLotteryRedemption(b []byte) (tickets.PayBy, tickets.SignedRequest, []tickets.Ticket, error) {
	var by tickets.PayBy
	if len(b) < payByHead {
		return by, tickets.SignedRequest{}, nil, malformed("lottery redemption of %d bytes", len(b))
	}
	copy(by.Commitment[:], b[:32])
	if by.Commitment == (common.Hash{}) {
		return by, tickets.SignedRequest{}, nil, malformed("lottery redemption without a commitment")
	}
	req, ts, err := decodeRedemption(b[payByHead:])
	if err != nil {
		return by, req, nil, err
	}
	value := new(big.Int).SetBytes(b[32 : 32+amountSize])
	var sig [65]byte
	copy(sig[:], b[32+amountSize:payByHead])
	if value.Sign() != 0 || sig != ([65]byte{}) {
		by.Receipt = &tickets.SignedReceipt{Receipt: tickets.Receipt{Issuer: req.Issuer, Provider: req.Provider, CumulativeValue: value}, Signature: sig}
	}
	return by, req, ts, nil
}

func encodeReceipt(r *tickets.SignedReceipt) []byte {
	b := make([]byte, 0, receiptSize)
	b = append(b, r.Issuer[:]...)
	b = append(b, r.Provider[:]...)
	b = appendAmount(b, r.CumulativeValue)
	return append(b, r.Signature[:]...)
}

func decodeReceipt(b []byte) (tickets.SignedReceipt, error) {
	var r tickets.SignedReceipt
	if len(b) != receiptSize {
		return r, malformed("receipt of %d bytes, want %d", len(b), receiptSize)
	}
	r.Issuer = common.BytesToAddress(b[0:20])
	r.Provider = common.BytesToAddress(b[20:40])
	r.CumulativeValue = new(big.Int).SetBytes(b[40:72])
	copy(r.Signature[:], b[72:])
	return r, nil
}
