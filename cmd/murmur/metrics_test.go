package main

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// The metrics server refuses at start an address it cannot listen on,
// serves what it is given, and bounds slow clients.
func TestServeMetrics(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })
	srv, addr, err := serveMetrics("127.0.0.1:0", h)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "ok" {
		t.Fatalf("served %q", body)
	}
	if srv.ReadHeaderTimeout == 0 || srv.ReadTimeout == 0 || srv.WriteTimeout == 0 || srv.IdleTimeout == 0 {
		t.Fatalf("timeouts %+v", srv)
	}
	used, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer used.Close()
	if _, _, err := serveMetrics(used.Addr().String(), h); err == nil || !strings.Contains(err.Error(), "metrics address") {
		t.Fatalf("an address in use: %v", err)
	}
	if _, _, err := serveMetrics("not an address", h); err == nil {
		t.Fatal("a malformed address was taken")
	}
}

// Go's profiles are served only when asked for (MURMUR_PPROF).
func TestProfilesOnlyWhenAsked(t *testing.T) {
	for _, on := range []bool{false, true} {
		mux := http.NewServeMux()
		mountProfiles(mux, on)
		srv, addr, err := serveMetrics("127.0.0.1:0", mux)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get("http://" + addr + "/debug/pprof/heap?debug=1")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		srv.Close()
		if served := resp.StatusCode == http.StatusOK && strings.Contains(string(body), "heap profile"); served != on {
			t.Fatalf("asked %v: status %d, %.60q", on, resp.StatusCode, body)
		}
	}
}

// The metrics carry the Go runtime's and the process's own figures, which
// tell where a relay's memory goes.
func TestRuntimeMetrics(t *testing.T) {
	fams, err := runtimeRegistry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range fams {
		if m := f.GetMetric(); len(m) == 1 && m[0].GetGauge() != nil {
			got[f.GetName()] = m[0].GetGauge().GetValue()
		}
	}
	for _, name := range []string{"go_memstats_heap_inuse_bytes", "go_memstats_stack_inuse_bytes", "go_goroutines", "process_resident_memory_bytes", "process_open_fds"} {
		if got[name] <= 0 {
			t.Errorf("%s = %v", name, got[name])
		}
	}
}
