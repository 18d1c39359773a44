package pki

import (
	"testing"
	"time"
)

func TestEpochs(t *testing.T) {
	e := Epochs{Genesis: time.Unix(1000, 0), Length: time.Minute}
	for _, c := range []struct {
		t    int64
		want uint64
	}{{0, 0}, {999, 0}, {1000, 0}, {1059, 0}, {1060, 1}, {1119, 1}, {1120, 2}, {1000 + 60*1000, 1000}} {
		if got := e.At(time.Unix(c.t, 0)); got != c.want {
			t.Errorf("At(%d) = %d, want %d", c.t, got, c.want)
		}
	}
	if got := e.Start(3); !got.Equal(time.Unix(1180, 0)) {
		t.Errorf("Start(3) = %v", got.Unix())
	}
	if got := e.Next(time.Unix(1060, 0)); !got.Equal(time.Unix(1120, 0)) {
		t.Errorf("Next(1060) = %v, want 1120", got.Unix())
	}
	if got := e.Next(time.Unix(1059, 0)); !got.Equal(time.Unix(1060, 0)) {
		t.Errorf("Next(1059) = %v, want 1060", got.Unix())
	}
	for n := uint64(0); n < 50; n++ {
		if e.At(e.Start(n)) != n || e.At(e.Start(n+1).Add(-time.Nanosecond)) != n {
			t.Fatalf("epoch %d: Start and At disagree", n)
		}
	}
}
