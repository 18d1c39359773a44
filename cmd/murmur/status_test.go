package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/murmurnet/murmur/node"
)

func TestPrintTickets(t *testing.T) {
	var b bytes.Buffer
	if err := printTickets(&b, relayStatus{}); err != nil || b.Len() != 0 {
		t.Fatalf("a relay without tickets printed %q (%v)", b.String(), err)
	}
	st := relayStatus{
		Prepaid: &relayPrepaid{
			PrepaidStats:  node.PrepaidStats{Debited: 1200, Unpaid: 3, Tickets: 2, Credited: 2000, Redeemed: 1},
			IssuerCheques: []account{{Counterparty: "0x00000000000000000000000000000000000000aa", Cheque: "10000000000000", Cashed: "0", Pending: "10000000000000"}},
		},
		Issuer: &relayIssuer{KeyEpoch: 4, Published: false, Packets: 1000, PriceWei: "10000000000000",
			Sold: 7, Redeemed: 2, Refused: map[string]uint64{"uncovered cheque": 3, "bad cheque": 1}},
	}
	if err := printTickets(&b, st); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"prepaid packets: charged 1200, refused 3 unpaid; took 2 tickets for 2000 packets, redeemed 1",
		"0x00000000000000000000000000000000000000aa  10000000000000  0       10000000000000",
		"issuer: key epoch 4 (not on-chain yet), tickets of 1000 packets for 10000000000000 wei",
		"issuer: 7 orders sold, 2 redemptions paid; refused 1: bad cheque; refused 3: uncovered cheque",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}
