package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/urfave/cli/v2"

	"github.com/murmurnet/murmur/chain"
	"github.com/murmurnet/murmur/node"
)

// relayStatus is what a running relay reports at /status on its metrics
// address, and what `murmur relay status` prints.
type relayStatus struct {
	PeerID  string         `json:"peer_id"`
	Epoch   uint64         `json:"epoch"`
	Packets node.Stats     `json:"packets"`
	Loops   node.LoopStats `json:"loops"`
	Scores  []relayScore   `json:"scores"`
}

// relayScore is the secret shopper's measurement of one relay.
type relayScore struct {
	Relay    string  `json:"relay"` // peer ID
	Loops    int     `json:"loops"` // finished loops through it
	Lost     int     `json:"lost"`
	LossRate float64 `json:"loss_rate"`
	Z        float64 `json:"z"`
	Suspect  bool    `json:"suspect"`
}

func statusOf(n *node.Node) relayStatus {
	st := relayStatus{
		PeerID:  n.Host().ID().String(),
		Epoch:   n.Directory().Epoch(),
		Packets: n.Stats(),
		Loops:   n.Loops(),
	}
	suspects := n.Suspects()
	for id, sc := range n.Scores() {
		st.Scores = append(st.Scores, relayScore{
			Relay: chain.PeerID(id), Loops: sc.Sent, Lost: sc.Lost, LossRate: sc.LossRate, Z: sc.Z,
			Suspect: slices.Contains(suspects, id),
		})
	}
	slices.SortFunc(st.Scores, func(a, b relayScore) int {
		return cmp.Or(cmp.Compare(b.LossRate, a.LossRate), cmp.Compare(a.Relay, b.Relay))
	})
	return st
}

// shopperCollector exports the secret shopper's scores, one series per
// relay measured.
type shopperCollector struct {
	n                    *node.Node
	loops, lost, suspect *prometheus.Desc
}

func newShopperCollector(n *node.Node) *shopperCollector {
	l := []string{"relay"}
	return &shopperCollector{
		n:       n,
		loops:   prometheus.NewDesc("murmur_shopper_loops", "Finished loops of this relay that went through the relay measured.", l, nil),
		lost:    prometheus.NewDesc("murmur_shopper_loops_lost", "Of those, the loops that did not come back.", l, nil),
		suspect: prometheus.NewDesc("murmur_shopper_suspect", "1 if the relay measured loses significantly more loops than the rest of the network.", l, nil),
	}
}

func (c *shopperCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.loops
	ch <- c.lost
	ch <- c.suspect
}

func (c *shopperCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range statusOf(c.n).Scores {
		suspect := 0.0
		if s.Suspect {
			suspect = 1
		}
		ch <- prometheus.MustNewConstMetric(c.loops, prometheus.GaugeValue, float64(s.Loops), s.Relay)
		ch <- prometheus.MustNewConstMetric(c.lost, prometheus.GaugeValue, float64(s.Lost), s.Relay)
		ch <- prometheus.MustNewConstMetric(c.suspect, prometheus.GaugeValue, suspect, s.Relay)
	}
}

func statusHandler(n *node.Node) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(statusOf(n))
	}
}

// relayStatusCmd asks the running relay for its status at its metrics address.
func relayStatusCmd(c *cli.Context) error {
	cfg, err := loadConfig(c.String("config"))
	if err != nil {
		return err
	}
	if cfg.Metrics == "" {
		return fmt.Errorf("the config sets no metrics address; relay status reads the running relay's /status there")
	}
	ctx, cancel := context.WithTimeout(c.Context, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+cfg.Metrics+"/status", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("relay not reachable at %s (is murmur relay run running?): %w", cfg.Metrics, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("relay at %s answered %s", cfg.Metrics, resp.Status)
	}
	var st relayStatus
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return fmt.Errorf("relay at %s: bad status: %w", cfg.Metrics, err)
	}
	w := c.App.Writer
	fmt.Fprintf(w, "relay %s, epoch %d\n", st.PeerID, st.Epoch)
	p := st.Packets
	fmt.Fprintf(w, "packets: received %d, forwarded %d, delivered %d, cover drops %d\n", p.Received, p.Forwarded, p.Delivered, p.CoverDropped)
	fmt.Fprintf(w, "loops: sent %d, back %d, pending %d, not sent %d\n", st.Loops.Sent, st.Loops.Returned, st.Loops.Pending, st.Loops.Failed)
	if len(st.Scores) == 0 {
		fmt.Fprintln(w, "secret shopper: no finished loops yet")
		return nil
	}
	fmt.Fprintln(w, "secret shopper:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  relay\tloops\tlost\tloss\tz\tverdict")
	for _, s := range st.Scores {
		verdict := "ok"
		if s.Suspect {
			verdict = "SUSPECT: avoided"
		}
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%.1f%%\t%.2f\t%s\n", s.Relay, s.Loops, s.Lost, 100*s.LossRate, s.Z, verdict)
	}
	return tw.Flush()
}
