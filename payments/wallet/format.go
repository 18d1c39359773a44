package wallet

import (
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/tickets"
)

// The file format (see the package documentation). Everything about the
// bytes on disk is in this file.
const (
	magic = "murmur-wallet"
	// formatVersion 2 stores the issuer's fee with each key; version 1
	// files are read (their keys have no fee) and written back as 2.
	formatVersion = 2
	saltSize      = 16
	checkSize     = 16
	headerSize    = len(magic) + 1 + saltSize + checkSize
	fileOverhead  = headerSize + chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead

	// MaxFileSize bounds what Open reads: about 700,000 tickets.
	MaxFileSize = 64 << 20
)

// HKDF info strings.
const (
	infoKey   = "murmur-wallet-v1 key"
	infoCheck = "murmur-wallet-v1 check"
)

// sealer seals and opens the state of one wallet file.
type sealer struct {
	header [headerSize]byte // magic ‖ version ‖ salt ‖ check
	aead   cipher.AEAD
}

// newSealer derives the keys of the wallet with secret and salt.
func newSealer(secret, salt []byte) (*sealer, error) { return newSealerOf(secret, salt, formatVersion) }

// newSealerOf derives the keys with the header of a file of version v.
func newSealerOf(secret, salt []byte, v byte) (*sealer, error) {
	var key [chacha20poly1305.KeySize]byte
	if _, err := io.ReadFull(hkdf.New(sha256.New, secret, salt, []byte(infoKey)), key[:]); err != nil {
		return nil, fmt.Errorf("wallet: deriving key: %w", err)
	}
	aead, err := chacha20poly1305.NewX(key[:])
	if err != nil {
		return nil, err
	}
	s := &sealer{aead: aead}
	n := copy(s.header[:], magic)
	s.header[n] = v
	n += 1 + copy(s.header[n+1:], salt)
	if _, err := io.ReadFull(hkdf.New(sha256.New, secret, salt, []byte(infoCheck)), s.header[n:]); err != nil {
		return nil, fmt.Errorf("wallet: deriving key check: %w", err)
	}
	return s, nil
}

// freshSealer makes the sealer of a new wallet, with a random salt.
func freshSealer(secret []byte) (*sealer, error) {
	var salt [saltSize]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return nil, fmt.Errorf("wallet: reading randomness: %w", err)
	}
	return newSealer(secret, salt[:])
}

// seal returns the file holding plain.
func (s *sealer) seal(plain []byte) ([]byte, error) {
	out := make([]byte, headerSize+chacha20poly1305.NonceSizeX, fileOverhead+len(plain))
	copy(out, s.header[:])
	nonce := out[headerSize:]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("wallet: reading randomness: %w", err)
	}
	return s.aead.Seal(out, nonce, plain, s.header[:]), nil
}

// openFile checks the header of file b, derives its keys with secret and
// returns them with the plaintext state and the file's format version.
// The sealer returned writes the current version.
func openFile(b, secret []byte) (*sealer, []byte, byte, error) {
	if len(b) < len(magic)+1 || string(b[:len(magic)]) != magic {
		return nil, nil, 0, fmt.Errorf("%w: not a murmur wallet file", ErrCorrupt)
	}
	v := b[len(magic)]
	if v != formatVersion && v != 1 {
		return nil, nil, 0, fmt.Errorf("%w: format version %d, this program reads versions 1 and %d", ErrCorrupt, v, formatVersion)
	}
	if len(b) < fileOverhead {
		return nil, nil, 0, fmt.Errorf("%w: truncated to %d bytes", ErrCorrupt, len(b))
	}
	salt := b[len(magic)+1 : len(magic)+1+saltSize]
	s, err := newSealerOf(secret, salt, v)
	if err != nil {
		return nil, nil, 0, err
	}
	if subtle.ConstantTimeCompare(s.header[:], b[:headerSize]) != 1 {
		return nil, nil, 0, ErrWrongSecret
	}
	nonce := b[headerSize : headerSize+chacha20poly1305.NonceSizeX]
	plain, err := s.aead.Open(nil, nonce, b[headerSize+chacha20poly1305.NonceSizeX:], b[:headerSize])
	if err != nil {
		return nil, nil, 0, fmt.Errorf("%w: contents fail authentication (altered or truncated)", ErrCorrupt)
	}
	if v != formatVersion {
		if s, err = newSealer(secret, salt); err != nil {
			return nil, nil, 0, err
		}
	}
	return s, plain, v, nil
}

// The sealed state, integers big-endian:
//
//	hasChain (1) ‖ chainID (8)
//	count (4) ‖ count × key:      epoch (8) ‖ public key (96, compressed G2) ‖ packets (8) ‖ price (32) ‖ fee (32; not in version 1)
//	count (4) ‖ count × ticket:   wire form (88)
//	count (4) ‖ count × purchase: issuer length (2) ‖ issuer ‖ key ‖ cheque ‖ n (2) ‖ n × (serial (32) ‖ blinding factor (32))
//	cheque:                       payer (20) ‖ payee (20) ‖ cumulative amount (32) ‖ signature (65)
//
// Keys are those of the key epochs of the tickets; every key is of the
// wallet's chain.
const (
	keySize    = 8 + tickets.G2CompressedSize + 8 + 32
	chequeSize = 20 + 20 + 32 + 65
	secretSize = tickets.SerialSize + tickets.ScalarSize
	// maxIssuerLabel bounds the issuer label of a purchase.
	maxIssuerLabel = 1024
)

func encodeState(st *state) []byte {
	n := 1 + 8 + 4 + (keySize+32)*len(st.keys) + 4 + tickets.TicketSize*len(st.tickets) + 4
	for _, p := range st.pending {
		n += 2 + len(p.issuer) + keySize + 32 + chequeSize + 2 + secretSize*len(p.reqs)
	}
	b := make([]byte, 0, n)
	if st.hasChain {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.BigEndian.AppendUint64(b, st.chainID)
	b = binary.BigEndian.AppendUint32(b, uint32(len(st.keys)))
	for _, e := range sortedEpochs(st.keys) {
		b = appendKey(b, st.keys[e])
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(st.tickets)))
	for i := range st.tickets {
		t := st.tickets[i].Bytes()
		b = append(b, t[:]...)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(st.pending)))
	for _, p := range st.pending {
		b = binary.BigEndian.AppendUint16(b, uint16(len(p.issuer)))
		b = append(b, p.issuer...)
		b = appendKey(b, p.key)
		b = appendCheque(b, p.payment)
		b = binary.BigEndian.AppendUint16(b, uint16(len(p.reqs)))
		for _, q := range p.reqs {
			s, r := q.Serial(), q.BlindingFactor()
			b = append(b, s[:]...)
			b = append(b, r[:]...)
		}
	}
	return b
}

func appendKey(b []byte, k tickets.IssuerKey) []byte {
	b = binary.BigEndian.AppendUint64(b, k.Epoch)
	pk := k.PublicKey.Bytes()
	b = append(b, pk[:]...)
	b = binary.BigEndian.AppendUint64(b, k.Value.Packets)
	b = append(b, k.Value.Price.FillBytes(make([]byte, 32))...)
	return append(b, k.Value.FeeWei().FillBytes(make([]byte, 32))...)
}

func appendCheque(b []byte, c cheque.Signed) []byte {
	b = append(b, c.Payer[:]...)
	b = append(b, c.Payee[:]...)
	b = append(b, c.CumulativeAmount.FillBytes(make([]byte, 32))...)
	return append(b, c.Signature[:]...)
}

// decodeState decodes and checks a sealed state. Its errors wrap ErrCorrupt.
func decodeState(b []byte, version byte) (*state, error) {
	st, err := decodeStateUnwrapped(b, version)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return st, nil
}

func decodeStateUnwrapped(b []byte, version byte) (*state, error) {
	r := &reader{b: b, version: version}
	st := &state{keys: make(map[uint64]tickets.IssuerKey)}
	switch r.u8() {
	case 0:
	case 1:
		st.hasChain = true
	default:
		return nil, errors.New("bad chain flag")
	}
	st.chainID = r.u64()

	nkeys := r.count(keySize)
	for range nkeys {
		k, err := r.key(st.chainID)
		if err != nil {
			return nil, err
		}
		if _, dup := st.keys[k.Epoch]; dup {
			return nil, fmt.Errorf("two keys for epoch %d", k.Epoch)
		}
		st.keys[k.Epoch] = k
	}

	ntickets := r.count(tickets.TicketSize)
	st.tickets = make([]tickets.Ticket, 0, ntickets)
	for i := range ntickets {
		t, err := tickets.DecodeTicket(r.take(tickets.TicketSize))
		if err != nil {
			return nil, fmt.Errorf("ticket %d: %w", i, err)
		}
		if _, ok := st.keys[t.KeyEpoch]; !ok {
			return nil, fmt.Errorf("ticket %d of epoch %d has no key", i, t.KeyEpoch)
		}
		if i > 0 && t.KeyEpoch < st.tickets[i-1].KeyEpoch {
			return nil, errors.New("tickets out of order")
		}
		st.tickets = append(st.tickets, t)
	}

	npending := r.count(2 + keySize + chequeSize + 2)
	for range npending {
		p := &purchase{issuer: string(r.take(int(r.u16())))}
		k, err := r.key(st.chainID)
		if err != nil {
			return nil, err
		}
		p.key = k
		p.payment = r.cheque()
		n := r.u16()
		for range n {
			var serial [tickets.SerialSize]byte
			var factor [tickets.ScalarSize]byte
			copy(serial[:], r.take(tickets.SerialSize))
			copy(factor[:], r.take(tickets.ScalarSize))
			if r.err != nil {
				return nil, r.err
			}
			q, err := tickets.RestoreTicketRequest(k, serial, factor)
			if err != nil {
				return nil, fmt.Errorf("pending purchase: %w", err)
			}
			p.reqs = append(p.reqs, q)
		}
		if r.err != nil {
			return nil, r.err
		}
		if len(p.reqs) == 0 {
			return nil, errors.New("pending purchase of no tickets")
		}
		p.id = purchaseID(p.key.Epoch, p.reqs)
		st.pending = append(st.pending, p)
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%d trailing bytes", len(r.b))
	}
	if !st.hasChain && (len(st.keys) > 0 || len(st.pending) > 0) {
		return nil, errors.New("entries without a chain")
	}
	return st, nil
}

// reader decodes big-endian fields; after the first short read every
// field reads as zero and err says why.
type reader struct {
	b       []byte
	err     error
	version byte
}

var errTruncated = errors.New("truncated")

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.b) < n {
		r.err = errTruncated
		r.b = nil
		return nil
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) u8() uint8 {
	if b := r.take(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if b := r.take(2); b != nil {
		return binary.BigEndian.Uint16(b)
	}
	return 0
}

func (r *reader) u32() uint32 {
	if b := r.take(4); b != nil {
		return binary.BigEndian.Uint32(b)
	}
	return 0
}

func (r *reader) u64() uint64 {
	if b := r.take(8); b != nil {
		return binary.BigEndian.Uint64(b)
	}
	return 0
}

// count reads a 4-byte count of entries of at least minSize bytes each,
// and fails if the rest of the input cannot hold them.
func (r *reader) count(minSize int) int {
	n := r.u32()
	if r.err == nil && uint64(n)*uint64(minSize) > uint64(len(r.b)) {
		r.err = fmt.Errorf("%d entries cannot fit in %d bytes", n, len(r.b))
		r.b = nil
		return 0
	}
	return int(n)
}

func (r *reader) key(chainID uint64) (tickets.IssuerKey, error) {
	k := tickets.IssuerKey{ChainID: chainID, Epoch: r.u64()}
	pk := r.take(tickets.G2CompressedSize)
	k.Value.Packets = r.u64()
	price := r.take(32)
	var fee []byte
	if r.version >= 2 {
		fee = r.take(32)
	}
	if r.err != nil {
		return k, r.err
	}
	var err error
	if k.PublicKey, err = tickets.DecodeG2(pk); err != nil {
		return k, fmt.Errorf("issuer key of epoch %d: %w", k.Epoch, err)
	}
	k.Value.Price = new(big.Int).SetBytes(price)
	if fee != nil {
		k.Value.Fee = new(big.Int).SetBytes(fee)
	}
	if err := k.Check(); err != nil {
		return k, err
	}
	return k, nil
}

func (r *reader) cheque() cheque.Signed {
	var c cheque.Signed
	c.Payer = common.BytesToAddress(r.take(20))
	c.Payee = common.BytesToAddress(r.take(20))
	c.CumulativeAmount = new(big.Int).SetBytes(r.take(32))
	copy(c.Signature[:], r.take(65))
	return c
}
