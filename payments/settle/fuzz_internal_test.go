package settle

import (
	"bytes"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// The ledger's records are read back from disk at Open: each decoder
// either refuses a record or decodes one that encodes back to the same
// bytes, and none panics, whatever the disk holds. `make fuzz` runs it
// for longer.
func FuzzDecodeRecords(f *testing.F) {
	f.Add(byte(0), make([]byte, outLen))
	f.Add(byte(1), make([]byte, inLen))
	f.Add(byte(2), make([]byte, 8+amountLen))
	f.Add(byte(3), make([]byte, ticketInFixed))
	f.Add(byte(4), make([]byte, 300))
	self, other := common.Address{1}, common.Address{2}
	f.Fuzz(func(t *testing.T, kind byte, v []byte) {
		var again []byte
		var err error
		switch kind % 5 {
		case 0:
			r, derr := decodeOut(self, other, v)
			if derr != nil {
				return
			}
			again, err = r.encode()
		case 1:
			r, derr := decodeIn(self, other, v)
			if derr != nil {
				return
			}
			again, err = r.encode()
			if err == nil && r.unpaid.Sign() == 0 && v[2*amountLen+sigLen] == 1 {
				return // minus zero is read as zero, and written as plus
			}
		case 2:
			r, derr := decodeTicketOut(other, v)
			if derr != nil {
				return
			}
			again, err = r.encode()
		case 3:
			r, derr := decodeTicketIn(other, v)
			if derr != nil {
				return
			}
			again, err = r.encode()
		case 4:
			w, derr := decodeWin(common.Hash{9}, v)
			if derr != nil {
				return
			}
			again, err = encodeWin(w)
		}
		if err != nil || !bytes.Equal(again, v) {
			t.Fatalf("kind %d: decoded %x, encodes back as %x (%v)", kind%5, v, again, err)
		}
	})
}
