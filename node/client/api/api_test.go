package api

import (
	"bufio"
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/murmurnet/murmur/node/client"
)

// fakeClient answers as a client would, and records what it was asked.
type fakeClient struct {
	addr  client.Address
	inbox chan *client.Message

	mu      sync.Mutex
	sent    []string
	replies []string
	fail    error
}

func (f *fakeClient) Address() client.Address { return f.addr }

func (f *fakeClient) Send(_ context.Context, to client.Address, p []byte, _ client.SendOptions) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	f.sent = append(f.sent, to.String()+":"+string(p))
	return nil
}

func (f *fakeClient) Receive(ctx context.Context) (*client.Message, error) {
	select {
	case m := <-f.inbox:
		return m, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (f *fakeClient) Reply(_ context.Context, m *client.Message, p []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.replies = append(f.replies, string(m.ReplySURB)+":"+string(p))
	return nil
}

func testAddress(t *testing.T) client.Address {
	k, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.Decode("12D3KooWRi5wPYkhbQu5eMhR58HDgYR8igRHZig9J9YrUb6U1Eoe")
	if err != nil {
		t.Fatal(err)
	}
	return client.AddressOf([32]byte{7}, id, k.PublicKey())
}

const token = "0123456789abcdef0123456789abcdef"

func call(t *testing.T, srv *httptest.Server, method, path, tok, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s %s answered %q", method, path, b)
	}
	return resp.StatusCode, out
}

func TestAPI(t *testing.T) {
	fc := &fakeClient{addr: testAddress(t), inbox: make(chan *client.Message, 4)}
	if _, err := New(fc, []byte("short"), nil); err == nil {
		t.Fatal("a short token was taken")
	}
	s, err := New(fc, []byte(token), func() (int, uint64, int64) { return 3, 3000, 120 })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()

	for _, tok := range []string{"", "wrong-token-wrong-token-wrong-tok"} {
		if code, out := call(t, srv, "GET", "/v1/address", tok, ""); code != http.StatusUnauthorized || out["error"] == nil {
			t.Errorf("token %q: %d %v", tok, code, out)
		}
	}
	if code, out := call(t, srv, "GET", "/v1/address", token, ""); code != 200 || out["address"] != fc.addr.String() {
		t.Fatalf("address: %d %v", code, out)
	}
	if code, out := call(t, srv, "GET", "/v1/balance", token, ""); code != 200 || out["tickets"] != 3.0 || out["packets"] != 3000.0 || out["prepaid"] != 120.0 {
		t.Fatalf("balance: %d %v", code, out)
	}
	to := fc.addr.String()
	for name, c := range map[string]struct {
		body string
		code int
		says string
	}{
		"malformed JSON": {`{"to": `, 400, "malformed JSON"},
		"unknown field":  {`{"to": "` + to + `", "text": "x", "colour": 1}`, 400, "unknown field"},
		"bad address":    {`{"to": "nowhere", "text": "x"}`, 400, "not a Murmur address"},
		"no message":     {`{"to": "` + to + `"}`, 400, "missing"},
		"both":           {`{"to": "` + to + `", "text": "x", "data": "eA=="}`, 400, "not both"},
		"bad base64":     {`{"to": "` + to + `", "data": "%%%"}`, 400, "not base64"},
		"text":           {`{"to": "` + to + `", "text": "hello", "with_reply": true}`, 200, ""},
		"data":           {`{"to": "` + to + `", "data": "aGk="}`, 200, ""},
	} {
		code, out := call(t, srv, "POST", "/v1/send", token, c.body)
		if code != c.code || (c.says != "" && !strings.Contains(out["error"].(string), c.says)) {
			t.Errorf("%s: %d %v", name, code, out)
		}
	}
	if len(fc.sent) != 2 || fc.sent[0] != to+":hello" && fc.sent[1] != to+":hello" {
		t.Fatalf("sent %v", fc.sent)
	}
	fc.mu.Lock()
	fc.fail = errors.New("provider refused: no prepaid packets left")
	fc.mu.Unlock()
	if code, out := call(t, srv, "POST", "/v1/send", token, `{"to": "`+to+`", "text": "x"}`); code != http.StatusBadGateway || !strings.Contains(out["error"].(string), "no prepaid") {
		t.Fatalf("a refused send: %d %v", code, out)
	}

	// Messages arrive before the stream opens, and while it is open.
	fc.inbox <- &client.Message{Body: []byte("first"), ReplySURB: []byte("surb1"), Received: time.Now()}
	// Wait (bounded) until the server has queued it, so that the stream
	// below is opened after it arrived.
	for deadline := time.Now().Add(5 * time.Second); ; {
		s.mu.Lock()
		queued := len(s.queue)
		s.mu.Unlock()
		if queued == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first message was never queued")
		}
		runtime.Gosched()
	}
	req, _ := http.NewRequest("GET", srv.URL+"/v1/messages", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-ndjson" {
		t.Fatalf("content type %q", ct)
	}
	fc.inbox <- &client.Message{Body: []byte{0xff, 0x00}, IsReply: true, Received: time.Now()}
	lines := bufio.NewScanner(resp.Body)
	var got []message
	for len(got) < 2 && lines.Scan() {
		var m message
		if err := json.Unmarshal(lines.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", lines.Bytes(), err)
		}
		got = append(got, m)
	}
	if len(got) != 2 || got[0].Text == nil || *got[0].Text != "first" || !got[0].CanReply || got[1].Text != nil || got[1].Data != "/wA=" || !got[1].IsReply || got[1].CanReply {
		t.Fatalf("streamed %+v", got)
	}

	// A reply goes through the message's reply block, once.
	first := got[0].ID
	if code, out := call(t, srv, "POST", "/v1/reply", token, `{"id": `+jsonNum(first)+`, "text": "back"}`); code != 200 || out["sent"] != 4.0 {
		t.Fatalf("reply: %d %v", code, out)
	}
	if code, _ := call(t, srv, "POST", "/v1/reply", token, `{"id": `+jsonNum(first)+`, "text": "again"}`); code != http.StatusConflict {
		t.Fatalf("a second reply through one block: %d", code)
	}
	if code, _ := call(t, srv, "POST", "/v1/reply", token, `{"id": `+jsonNum(got[1].ID)+`, "text": "x"}`); code != http.StatusConflict {
		t.Fatalf("a reply to a message without a block: %d", code)
	}
	if code, _ := call(t, srv, "POST", "/v1/reply", token, `{"id": 999, "text": "x"}`); code != http.StatusNotFound {
		t.Fatalf("a reply to no message: %d", code)
	}
	if len(fc.replies) != 1 || fc.replies[0] != "surb1:back" {
		t.Fatalf("replies %v", fc.replies)
	}
	if code, _ := call(t, srv, "GET", "/v1/nothing", token, ""); code != http.StatusNotFound {
		t.Fatalf("an unknown endpoint: %d", code)
	}
}

func jsonNum(n uint64) string { b, _ := json.Marshal(n); return string(b) }
