package wallet_test

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"io"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	bls "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/murmurnet/murmur/payments/cheque"
	"github.com/murmurnet/murmur/payments/tickets"
	"github.com/murmurnet/murmur/payments/wallet"
)

const testChain = 31337

func testRand(seed uint64) io.Reader {
	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	return rand.NewChaCha8(s)
}

func testValue() tickets.Value {
	return tickets.Value{Packets: 1000, Price: big.NewInt(2_000_000_000_000)}
}

func secret(seed byte) []byte { return bytes.Repeat([]byte{seed}, wallet.SecretSize) }

// fixture is an issuer's signing keys, made without an issuer store.
type fixture struct {
	t    *testing.T
	rand io.Reader
	keys map[uint64]*tickets.SecretKey
}

func newFixture(t *testing.T) *fixture {
	return &fixture{t: t, rand: testRand(1), keys: map[uint64]*tickets.SecretKey{}}
}

func (f *fixture) key(epoch uint64) *tickets.SecretKey {
	f.t.Helper()
	if k, ok := f.keys[epoch]; ok {
		return k
	}
	k, err := tickets.GenerateIssuerKey(f.rand, testChain, epoch, testValue())
	if err != nil {
		f.t.Fatal(err)
	}
	f.keys[epoch] = k
	return k
}

func (f *fixture) pub(epoch uint64) tickets.IssuerKey { return f.key(epoch).Public() }

// requests starts n ticket requests for the key of epoch.
func (f *fixture) requests(epoch uint64, n int) []*tickets.TicketRequest {
	f.t.Helper()
	reqs := make([]*tickets.TicketRequest, n)
	for i := range reqs {
		var err error
		if reqs[i], err = tickets.NewTicketRequest(f.rand, f.pub(epoch)); err != nil {
			f.t.Fatal(err)
		}
	}
	return reqs
}

// sign answers requests as the issuer would, with k.
func (f *fixture) sign(k *tickets.SecretKey, reqs []*tickets.TicketRequest) []bls.G1Affine {
	f.t.Helper()
	blinded := make([]bls.G1Affine, len(reqs))
	for i, q := range reqs {
		blinded[i] = q.Blinded()
	}
	sigs, err := k.SignBlinded(blinded)
	if err != nil {
		f.t.Fatal(err)
	}
	return sigs
}

// tickets makes n valid tickets of epoch.
func (f *fixture) tickets(epoch uint64, n int) []tickets.Ticket {
	f.t.Helper()
	reqs := f.requests(epoch, n)
	sigs := f.sign(f.key(epoch), reqs)
	out := make([]tickets.Ticket, n)
	for i, q := range reqs {
		var err error
		if out[i], err = q.Finish(sigs[i]); err != nil {
			f.t.Fatal(err)
		}
	}
	return out
}

// keyring returns a keyring of the given epochs' keys, in order.
func (f *fixture) keyring(retain uint64, epochs ...uint64) *tickets.Keyring {
	f.t.Helper()
	r := tickets.NewKeyring(testChain, retain)
	for _, e := range epochs {
		if err := r.Add(f.pub(e)); err != nil {
			f.t.Fatal(err)
		}
	}
	return r
}

func (f *fixture) cheque(amount int64) cheque.Signed {
	f.t.Helper()
	k, err := ecdsa.GenerateKey(crypto.S256(), testRand(99))
	if err != nil {
		f.t.Fatal(err)
	}
	d := cheque.NewDomain(big.NewInt(testChain), common.Address{9})
	s, err := d.Sign(cheque.Cheque{Payer: crypto.PubkeyToAddress(k.PublicKey), Payee: common.Address{1}, CumulativeAmount: big.NewInt(amount)}, k)
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

func open(t *testing.T, path string, s []byte) *wallet.Wallet {
	t.Helper()
	w, err := wallet.Open(path, s)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func mustAdd(t *testing.T, w *wallet.Wallet, k tickets.IssuerKey, ts []tickets.Ticket) {
	t.Helper()
	if _, err := w.Add(k, ts); err != nil {
		t.Fatal(err)
	}
}

// counts renders a balance as epoch:tickets pairs.
func counts(w *wallet.Wallet) map[uint64]int {
	out := map[uint64]int{}
	for _, b := range w.Balance() {
		out[b.KeyEpoch] = b.Tickets
	}
	return out
}

func sameCounts(a, b map[uint64]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestRoundTrip(t *testing.T) {
	f := newFixture(t)
	path := filepath.Join(t.TempDir(), "sub", "wallet")
	w := open(t, path, secret(1))
	if len(w.Balance()) != 0 || len(w.Pending()) != 0 {
		t.Fatal("new wallet not empty")
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("Open did not create the file: %v", err)
	}
	old, recent := f.tickets(0, 3), f.tickets(1, 2)
	mustAdd(t, w, f.pub(1), recent) // out of epoch order on purpose
	mustAdd(t, w, f.pub(0), old)
	if n, err := w.Add(f.pub(0), old[:2]); err != nil || n != 0 {
		t.Fatalf("adding held tickets again: %d, %v; want 0, nil", n, err)
	}

	w = open(t, path, secret(1))
	bal := w.Balance()
	if len(bal) != 2 || bal[0].KeyEpoch != 0 || bal[0].Tickets != 3 || bal[0].Packets != 3000 ||
		bal[1].KeyEpoch != 1 || bal[1].Tickets != 2 || !bal[1].Value.Equal(testValue()) {
		t.Fatalf("balance after reopening: %+v", bal)
	}
	if ch, ok := w.ChainID(); !ok || ch != testChain {
		t.Fatalf("ChainID = %d, %v", ch, ok)
	}

	got, err := w.Take(4)
	if err != nil {
		t.Fatal(err)
	}
	want := append(append([]tickets.Ticket{}, old...), recent[0])
	for i := range want {
		if got[i].Bytes() != want[i].Bytes() {
			t.Fatalf("Take: ticket %d is not the oldest-epoch-first one", i)
		}
	}
	for _, tk := range got {
		if err := f.pub(tk.KeyEpoch).Verify(tk); err != nil {
			t.Fatalf("taken ticket does not verify: %v", err)
		}
	}

	w = open(t, path, secret(1))
	if c := counts(w); !sameCounts(c, map[uint64]int{1: 1}) {
		t.Fatalf("after Take(4) and reopening: %v", c)
	}
	_, err = w.Take(2)
	var ie *wallet.InsufficientError
	if !errors.As(err, &ie) || ie.Want != 2 || ie.Have != 1 || !errors.Is(err, wallet.ErrNoTickets) {
		t.Fatalf("Take(2) of 1: %v, want InsufficientError{2, 1}", err)
	}
	if c := counts(w); !sameCounts(c, map[uint64]int{1: 1}) {
		t.Fatalf("a refused Take took something: %v", c)
	}
	if _, err := w.Take(1); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Take(1); !errors.Is(err, wallet.ErrNoTickets) {
		t.Fatalf("Take from an empty wallet: %v, want ErrNoTickets", err)
	}
	if _, ok := w.Key(1); ok {
		t.Fatal("the key of an epoch without tickets is still kept")
	}
}

func TestAddRefuses(t *testing.T) {
	f := newFixture(t)
	w := open(t, filepath.Join(t.TempDir(), "w"), secret(1))
	mustAdd(t, w, f.pub(0), f.tickets(0, 1))

	if _, err := w.Add(f.pub(1), f.tickets(0, 1)); err == nil {
		t.Error("ticket of epoch 0 added under the key of epoch 1")
	}
	other, err := tickets.GenerateIssuerKey(testRand(50), testChain, 0, testValue())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Add(other.Public(), nil); err == nil || !strings.Contains(err.Error(), "another issuer key") {
		t.Errorf("second key for epoch 0: %v", err)
	}
	otherChain, err := tickets.GenerateIssuerKey(testRand(51), testChain+1, 5, testValue())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Add(otherChain.Public(), nil); !errors.Is(err, tickets.ErrWrongChain) {
		t.Errorf("key of another chain: %v, want ErrWrongChain", err)
	}
	if c := counts(w); !sameCounts(c, map[uint64]int{0: 1}) {
		t.Fatalf("refused adds changed the wallet: %v", c)
	}
}

func TestWrongSecret(t *testing.T) {
	f := newFixture(t)
	path := filepath.Join(t.TempDir(), "w")
	w := open(t, path, secret(1))
	mustAdd(t, w, f.pub(0), f.tickets(0, 2))
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	_, err = wallet.Open(path, secret(2))
	if !errors.Is(err, wallet.ErrWrongSecret) || errors.Is(err, wallet.ErrCorrupt) {
		t.Fatalf("wrong secret: %v, want ErrWrongSecret", err)
	}
	if !strings.Contains(err.Error(), "left as it was") {
		t.Errorf("error does not say the file was left alone: %v", err)
	}
	if _, err := wallet.Open(path, secret(1)[:31]); err == nil {
		t.Fatal("31-byte secret accepted")
	}
	after, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(before, after) {
		t.Fatal("a failed Open modified the file")
	}
	if c := counts(open(t, path, secret(1))); c[0] != 2 {
		t.Fatalf("right secret after a wrong one: %v", c)
	}
}

func TestCorruptFileUntouched(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "w")
	w := open(t, path, secret(1))
	mustAdd(t, w, f.pub(0), f.tickets(0, 2))
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 0x01
		return b
	}
	for name, c := range map[string]struct {
		data []byte
		want error
	}{
		"flipped ciphertext": {flip(len(good) - 40), wallet.ErrCorrupt},
		"flipped tag":        {flip(len(good) - 1), wallet.ErrCorrupt},
		"flipped salt":       {flip(15), wallet.ErrWrongSecret}, // other salt, other keys
		"flipped nonce":      {flip(60), wallet.ErrCorrupt},
		"truncated":          {good[:len(good)-10], wallet.ErrCorrupt},
		"header only":        {good[:50], wallet.ErrCorrupt},
		"empty":              {nil, wallet.ErrCorrupt},
		"not a wallet":       {[]byte("{\"tickets\": []}"), wallet.ErrCorrupt},
		"future version":     {append([]byte("murmur-wallet\x03"), good[14:]...), wallet.ErrCorrupt},
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(name, " ", "-"))
			if err := os.WriteFile(p, c.data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := wallet.Open(p, secret(1))
			if !errors.Is(err, c.want) {
				t.Fatalf("Open: %v, want %v", err, c.want)
			}
			after, err := os.ReadFile(p)
			if err != nil || !bytes.Equal(after, c.data) {
				t.Fatal("Open modified a damaged file")
			}
		})
	}
}

// TestPendingPurchaseRecovery: a client records a purchase, pays, and
// crashes before it stores the answer. After a restart the purchase is
// still there with its blinding factors, and the issuer's answer finishes
// it.
func TestPendingPurchaseRecovery(t *testing.T) {
	f := newFixture(t)
	path := filepath.Join(t.TempDir(), "w")
	w := open(t, path, secret(1))
	key := f.pub(0)
	reqs := f.requests(0, 3)
	pay := f.cheque(6_000_000_000_000)
	id, err := w.Begin("issuer-peer", key, reqs, pay)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Begin("issuer-peer", key, reqs, pay); err == nil {
		t.Fatal("the same purchase began twice")
	}
	answers := f.sign(f.key(0), reqs) // the issuer's answer, lost in the crash

	w = open(t, path, secret(1)) // restart
	pending := w.Pending()
	if len(pending) != 1 {
		t.Fatalf("%d pending purchases after a restart, want 1", len(pending))
	}
	p := pending[0]
	if p.ID != id || p.Issuer != "issuer-peer" || !p.Key.Equal(key) || p.Payment.Signature != pay.Signature ||
		p.Payment.CumulativeAmount.Cmp(pay.CumulativeAmount) != 0 || p.Price().Cmp(big.NewInt(6_000_000_000_000)) != 0 {
		t.Fatalf("restored purchase differs: %+v", p)
	}
	for i, b := range p.Blinded() {
		want := reqs[i].Blinded()
		if !b.Equal(&want) {
			t.Fatalf("restored request %d blinds differently", i)
		}
	}
	if len(w.Balance()) != 0 {
		t.Fatal("a pending purchase counts in the balance")
	}

	ts, err := w.Finish(id, answers)
	if err != nil {
		t.Fatal(err)
	}
	for i, tk := range ts {
		if err := key.Verify(tk); err != nil {
			t.Fatalf("recovered ticket %d: %v", i, err)
		}
		if tk.Serial != reqs[i].Serial() {
			t.Fatalf("recovered ticket %d has another serial", i)
		}
	}
	w = open(t, path, secret(1))
	if len(w.Pending()) != 0 || counts(w)[0] != 3 {
		t.Fatalf("after Finish and a restart: pending %d, balance %v", len(w.Pending()), counts(w))
	}
	if _, err := w.Finish(id, answers); !errors.Is(err, wallet.ErrUnknownPurchase) {
		t.Fatalf("finishing twice: %v, want ErrUnknownPurchase", err)
	}
}

func TestFinishBadAnswer(t *testing.T) {
	f := newFixture(t)
	path := filepath.Join(t.TempDir(), "w")
	w := open(t, path, secret(1))
	reqs := f.requests(0, 2)
	id, err := w.Begin("x", f.pub(0), reqs, f.cheque(1))
	if err != nil {
		t.Fatal(err)
	}
	good := f.sign(f.key(0), reqs)
	bad := []bls.G1Affine{good[0], f.sign(f.key(7), reqs[1:])[0]} // second signed with another key
	if _, err := w.Finish(id, bad); !errors.Is(err, tickets.ErrBadIssuerAnswer) || !strings.Contains(err.Error(), "ticket 1") {
		t.Fatalf("bad signature: %v, want ErrBadIssuerAnswer for ticket 1", err)
	}
	if _, err := w.Finish(id, good[:1]); !errors.Is(err, tickets.ErrBadIssuerAnswer) {
		t.Fatalf("too few signatures: %v, want ErrBadIssuerAnswer", err)
	}
	w = open(t, path, secret(1))
	if len(w.Balance()) != 0 || len(w.Pending()) != 1 {
		t.Fatal("a bad answer was stored or dropped the purchase")
	}
	if _, err := w.Finish(id, good); err != nil {
		t.Fatal(err)
	}
	if err := w.Abandon(id); !errors.Is(err, wallet.ErrUnknownPurchase) {
		t.Fatalf("abandoning a finished purchase: %v", err)
	}
}

func TestAbandon(t *testing.T) {
	f := newFixture(t)
	path := filepath.Join(t.TempDir(), "w")
	w := open(t, path, secret(1))
	id, err := w.Begin("x", f.pub(0), f.requests(0, 1), f.cheque(1))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Abandon(id); err != nil {
		t.Fatal(err)
	}
	if len(open(t, path, secret(1)).Pending()) != 0 {
		t.Fatal("abandoned purchase survives a restart")
	}
}

func TestExportImport(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	sponsor := open(t, filepath.Join(dir, "sponsor"), secret(1))
	user := open(t, filepath.Join(dir, "user"), secret(2))
	mustAdd(t, sponsor, f.pub(0), f.tickets(0, 2))
	mustAdd(t, sponsor, f.pub(1), f.tickets(1, 3))
	keys := f.keyring(2, 0, 1)

	bundle, err := sponsor.Export(3)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(bundle, wallet.BundlePrefix) {
		t.Fatalf("bundle %.30q… lacks its prefix", bundle)
	}
	if c := counts(open(t, sponsor.Path(), secret(1))); !sameCounts(c, map[uint64]int{1: 2}) {
		t.Fatalf("sponsor after exporting 3: %v", c)
	}
	n, err := user.Import("  "+bundle+"\n", keys)
	if err != nil || n != 3 {
		t.Fatalf("Import: %d, %v; want 3", n, err)
	}
	if c := counts(open(t, user.Path(), secret(2))); !sameCounts(c, map[uint64]int{0: 2, 1: 1}) {
		t.Fatalf("user after importing: %v", c)
	}
	if n, err := user.Import(bundle, keys); err != nil || n != 0 {
		t.Fatalf("importing the same bundle again: %d, %v; want 0, nil", n, err)
	}
	if c := counts(user); !sameCounts(c, map[uint64]int{0: 2, 1: 1}) {
		t.Fatalf("second import changed the balance: %v", c)
	}
	if _, err := sponsor.Export(3); !errors.Is(err, wallet.ErrNoTickets) {
		t.Fatalf("exporting more than held: %v, want ErrNoTickets", err)
	}
	if _, err := sponsor.Export(wallet.MaxBundle + 1); err == nil {
		t.Fatal("exported more than MaxBundle")
	}
}

func TestImportRefuses(t *testing.T) {
	f := newFixture(t)
	user := open(t, filepath.Join(t.TempDir(), "user"), secret(2))
	mustAdd(t, user, f.pub(1), f.tickets(1, 1))
	keys := f.keyring(1, 0, 1, 2) // epoch 0 has expired

	good := f.tickets(1, 2)
	bundle := func(chain uint64, ts ...tickets.Ticket) string {
		s, err := wallet.EncodeBundle(chain, ts)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	ok := bundle(testChain, good...)
	body := ok[len(wallet.BundlePrefix):]
	forged := good[0]
	forged.Serial[0] ^= 1 // a signature of another serial
	otherKey := f.signWithKey(t, 1)

	for name, c := range map[string]struct {
		bundle string
		want   error
	}{
		"no prefix":       {body, wallet.ErrMalformedBundle},
		"other prefix":    {"murmur-ticket:" + body, wallet.ErrMalformedBundle},
		"not base64":      {wallet.BundlePrefix + "!!!" + body, wallet.ErrMalformedBundle},
		"altered":         {wallet.BundlePrefix + alter(body), wallet.ErrMalformedBundle},
		"truncated":       {ok[:len(ok)-20], wallet.ErrMalformedBundle},
		"empty":           {wallet.BundlePrefix, wallet.ErrMalformedBundle},
		"too long":        {wallet.BundlePrefix + strings.Repeat("A", 1<<20), wallet.ErrMalformedBundle},
		"repeated ticket": {bundle(testChain, good[0], good[1], good[0]), wallet.ErrMalformedBundle},
		"other chain":     {bundle(testChain+1, good...), tickets.ErrWrongChain},
		"forged":          {bundle(testChain, good[0], forged), tickets.ErrBadSignature},
		"other issuer":    {bundle(testChain, good[0], otherKey), tickets.ErrBadSignature},
		"expired epoch":   {bundle(testChain, good[0], f.tickets(0, 1)[0]), tickets.ErrExpiredEpoch},
		"unknown epoch":   {bundle(testChain, f.tickets(9, 1)[0]), tickets.ErrUnknownEpoch},
	} {
		t.Run(name, func(t *testing.T) {
			n, err := user.Import(c.bundle, keys)
			if !errors.Is(err, c.want) || n != 0 {
				t.Fatalf("Import: %d, %v; want 0, %v", n, err, c.want)
			}
			if c := counts(user); !sameCounts(c, map[uint64]int{1: 1}) {
				t.Fatalf("a refused bundle changed the wallet: %v", c)
			}
		})
	}
	// A forged ticket is named.
	_, err := user.Import(bundle(testChain, good[0], forged), keys)
	var be *tickets.BatchError
	if !errors.As(err, &be) || len(be.Refused()) != 1 || be.Refused()[0] != 1 {
		t.Fatalf("forged ticket: %v, want a BatchError naming ticket 1", err)
	}
	// Another version, with a correct checksum.
	if _, _, err := wallet.DecodeBundle(rebuild(t, ok, func(b []byte) { b[0] = 2 })); !errors.Is(err, wallet.ErrMalformedBundle) || !strings.Contains(err.Error(), "version 2") {
		t.Fatalf("version 2 bundle: %v", err)
	}
	// A count that disagrees with the length.
	if _, _, err := wallet.DecodeBundle(rebuild(t, ok, func(b []byte) { b[10] = 3 })); !errors.Is(err, wallet.ErrMalformedBundle) {
		t.Fatalf("bad count: %v", err)
	}
}

// signWithKey makes a ticket of epoch signed by a key that is not the
// issuer's.
func (f *fixture) signWithKey(t *testing.T, epoch uint64) tickets.Ticket {
	k, err := tickets.GenerateIssuerKey(testRand(77), testChain, epoch, testValue())
	if err != nil {
		t.Fatal(err)
	}
	reqs := f.requests(epoch, 1)
	// Finish checks against the fixture's key, so unblind with a request
	// for the rogue key.
	q, err := tickets.RestoreTicketRequest(k.Public(), reqs[0].Serial(), reqs[0].BlindingFactor())
	if err != nil {
		t.Fatal(err)
	}
	s, err := k.SignBlinded([]bls.G1Affine{q.Blinded()})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := q.Finish(s[0])
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// alter changes one character in the middle of a base64 text.
func alter(s string) string {
	b := []byte(s)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// rebuild decodes a bundle, lets edit change it, and re-encodes it with a
// correct checksum.
func rebuild(t *testing.T, bundle string, edit func([]byte)) string {
	t.Helper()
	b, err := base64Decode(bundle[len(wallet.BundlePrefix):])
	if err != nil {
		t.Fatal(err)
	}
	body := b[:len(b)-4]
	edit(body)
	return wallet.BundlePrefix + base64Encode(append(body, checksum(body)...))
}

func TestDropExpired(t *testing.T) {
	f := newFixture(t)
	path := filepath.Join(t.TempDir(), "w")
	w := open(t, path, secret(1))
	for e := range uint64(4) {
		mustAdd(t, w, f.pub(e), f.tickets(e, int(e)+1))
	}
	if _, err := w.Begin("x", f.pub(1), f.requests(1, 1), f.cheque(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Begin("x", f.pub(3), f.requests(3, 1), f.cheque(2)); err != nil {
		t.Fatal(err)
	}
	keys := f.keyring(1, 0, 1, 2, 3) // current 3, retains 2; 0 and 1 expired

	gone, err := w.DropExpired(keys)
	if err != nil {
		t.Fatal(err)
	}
	if gone.Tickets != 3 || gone.Packets != 3000 || len(gone.Purchases) != 1 || gone.Purchases[0].Key.Epoch != 1 {
		t.Fatalf("DropExpired removed %+v; want 3 tickets and the purchase of epoch 1", gone)
	}
	w = open(t, path, secret(1))
	if c := counts(w); !sameCounts(c, map[uint64]int{2: 3, 3: 4}) {
		t.Fatalf("after DropExpired: %v", c)
	}
	if p := w.Pending(); len(p) != 1 || p[0].Key.Epoch != 3 {
		t.Fatalf("pending after DropExpired: %+v", p)
	}
	if gone, err := w.DropExpired(keys); err != nil || gone.Tickets != 0 {
		t.Fatalf("second DropExpired: %+v, %v", gone, err)
	}
	if _, err := w.DropExpired(tickets.NewKeyring(testChain+1, 1)); !errors.Is(err, tickets.ErrWrongChain) {
		t.Fatalf("keyring of another chain: %v", err)
	}

	gone, err = w.DropBefore(3)
	if err != nil || gone.Tickets != 3 || len(gone.Purchases) != 0 {
		t.Fatalf("DropBefore(3): %+v, %v", gone, err)
	}
	if c := counts(w); !sameCounts(c, map[uint64]int{3: 4}) {
		t.Fatalf("after DropBefore(3): %v", c)
	}
}

// TestConcurrentTake: every ticket is handed out once.
func TestConcurrentTake(t *testing.T) {
	f := newFixture(t)
	path := filepath.Join(t.TempDir(), "w")
	w := open(t, path, secret(1))
	mustAdd(t, w, f.pub(0), f.tickets(0, 8))
	var mu sync.Mutex
	seen := map[[32]byte]bool{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 2 {
				ts, err := w.Take(1)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if seen[ts[0].Serial] {
					t.Error("ticket taken twice")
				}
				seen[ts[0].Serial] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 8 || len(open(t, path, secret(1)).Balance()) != 0 {
		t.Fatalf("took %d distinct tickets of 8; left %v", len(seen), counts(w))
	}
}
