// Package api is the local client API: a Murmur client's send, receive,
// reply and balance over HTTP and JSON, for programs in any language on the
// same machine (`murmur client serve`). It listens on 127.0.0.1 by default
// and every request must carry the client's token:
//
//	Authorization: Bearer <token>
//
// The endpoints (JSON bodies and answers; message bodies are base64 in
// "data", or UTF-8 text in "text"):
//
//	GET  /v1/address    → {"address": "<this client's address>"}
//	POST /v1/send       ← {"to": "<address>", "text"|"data": ..., "with_reply": bool}
//	                    → {"sent": <bytes>}
//	GET  /v1/messages   → a stream of messages, one JSON object a line
//	                      (application/x-ndjson), as they arrive:
//	                      {"id": n, "data": "<base64>", "text": "<if UTF-8>",
//	                       "is_reply": bool, "can_reply": bool, "received": "<RFC 3339>"}
//	POST /v1/reply      ← {"id": n, "text"|"data": ...}: through message n's reply block
//	                    → {"sent": <bytes>}
//	GET  /v1/balance    → {"tickets": n, "packets": n, "prepaid": n}
//
// Errors are {"error": "<reason>"} with 400 (malformed request), 401 (no or
// a wrong token), 404 (no such message to reply to), 409 (the message has
// no reply block, or it was used), 502 (the network refused: no tickets,
// provider unreachable) or 503 (the client is closing). A message goes to
// one /v1/messages stream: the oldest open one; with none open, messages
// wait (up to MaxQueued) for the next.
package api

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/murmurnet/murmur/node/client"
)

// Client is what the API serves; *client.Client is one.
type Client interface {
	Address() client.Address
	Send(ctx context.Context, to client.Address, payload []byte, opts client.SendOptions) error
	Receive(ctx context.Context) (*client.Message, error)
	Reply(ctx context.Context, m *client.Message, payload []byte) error
}

// Balance tells what the client holds to pay with: tickets in its wallet,
// the packets they buy, and its prepaid balance at its provider (-1 if
// unknown).
type Balance func() (tickets int, packets uint64, prepaid int64)

// MaxQueued bounds the messages kept for a stream that is not open yet,
// and the messages remembered for replies.
const MaxQueued = 1024

// maxBody bounds a request body: a message of the SDK's largest size,
// base64-encoded, with room for the JSON around it.
const maxBody = 4 << 20

// Server is the API of one client. Make it with New, serve it with
// net/http, and Close it before the client.
type Server struct {
	c       Client
	token   []byte
	balance Balance
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}

	mu      sync.Mutex
	nextID  uint64
	queue   []delivered           // received, not yet streamed
	byID    map[uint64]*delivered // for replies, the last MaxQueued
	order   []uint64
	streams []chan delivered
}

type delivered struct {
	id  uint64
	msg *client.Message
}

// New serves c to holders of token (at least 16 bytes), reading balances
// with balance (nil: /v1/balance answers 404). It starts receiving at
// once.
func New(c Client, token []byte, balance Balance) (*Server, error) {
	if len(token) < 16 {
		return nil, errors.New("api: a token of at least 16 bytes is required")
	}
	s := &Server{c: c, token: append([]byte(nil), token...), balance: balance, byID: map[uint64]*delivered{}, done: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	go s.receive()
	return s, nil
}

// Close stops receiving and ends the open streams.
func (s *Server) Close() {
	s.cancel()
	<-s.done
}

func (s *Server) receive() {
	defer close(s.done)
	for {
		m, err := s.c.Receive(s.ctx)
		if err != nil {
			if s.ctx.Err() != nil {
				s.mu.Lock()
				for _, st := range s.streams {
					close(st)
				}
				s.streams = nil
				s.mu.Unlock()
				return
			}
			select { // a transient failure: the client retries its provider
			case <-time.After(100 * time.Millisecond):
			case <-s.ctx.Done():
			}
			continue
		}
		s.mu.Lock()
		s.nextID++
		d := delivered{id: s.nextID, msg: m}
		s.byID[d.id] = &d
		s.order = append(s.order, d.id)
		if len(s.order) > MaxQueued {
			delete(s.byID, s.order[0])
			s.order = s.order[1:]
		}
		sent := false
		if len(s.streams) > 0 {
			select {
			case s.streams[0] <- d:
				sent = true
			default: // that stream is not reading: keep it for the next
			}
		}
		if !sent && len(s.queue) < MaxQueued {
			s.queue = append(s.queue, d)
		}
		s.mu.Unlock()
	}
}

// ServeHTTP routes a request after checking its token.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	const prefix = "Bearer "
	h := r.Header.Get("Authorization")
	if len(h) <= len(prefix) || h[:len(prefix)] != prefix || subtle.ConstantTimeCompare([]byte(h[len(prefix):]), s.token) != 1 {
		fail(w, http.StatusUnauthorized, "missing or wrong token: send Authorization: Bearer <token>")
		return
	}
	switch {
	case r.URL.Path == "/v1/address" && r.Method == http.MethodGet:
		answer(w, map[string]string{"address": s.c.Address().String()})
	case r.URL.Path == "/v1/send" && r.Method == http.MethodPost:
		s.send(w, r)
	case r.URL.Path == "/v1/reply" && r.Method == http.MethodPost:
		s.reply(w, r)
	case r.URL.Path == "/v1/messages" && r.Method == http.MethodGet:
		s.stream(w, r)
	case r.URL.Path == "/v1/balance" && r.Method == http.MethodGet && s.balance != nil:
		t, p, pre := s.balance()
		answer(w, map[string]any{"tickets": t, "packets": p, "prepaid": pre})
	default:
		fail(w, http.StatusNotFound, fmt.Sprintf("no endpoint %s %s", r.Method, r.URL.Path))
	}
}

// body is a request's message: text or base64 data, not both.
type body struct {
	To        string  `json:"to"`
	ID        uint64  `json:"id"`
	Text      *string `json:"text"`
	Data      *string `json:"data"`
	WithReply bool    `json:"with_reply"`
}

func (b body) payload() ([]byte, error) {
	switch {
	case b.Text != nil && b.Data != nil:
		return nil, errors.New(`give "text" or "data", not both`)
	case b.Text != nil:
		return []byte(*b.Text), nil
	case b.Data != nil:
		p, err := base64.StdEncoding.DecodeString(*b.Data)
		if err != nil {
			return nil, fmt.Errorf(`"data" is not base64: %w`, err)
		}
		return p, nil
	}
	return nil, errors.New(`the message is missing: give "text" or "data"`)
}

func readBody(w http.ResponseWriter, r *http.Request) (body, []byte, bool) {
	var b body
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		fail(w, http.StatusBadRequest, "malformed JSON: "+err.Error())
		return b, nil, false
	}
	p, err := b.payload()
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return b, nil, false
	}
	return b, p, true
}

func (s *Server) send(w http.ResponseWriter, r *http.Request) {
	b, p, ok := readBody(w, r)
	if !ok {
		return
	}
	to, err := client.ParseAddress(b.To)
	if err != nil {
		fail(w, http.StatusBadRequest, `"to" is not a Murmur address: `+err.Error())
		return
	}
	if err := s.c.Send(r.Context(), to, p, client.SendOptions{WithReply: b.WithReply}); err != nil {
		fail(w, http.StatusBadGateway, err.Error())
		return
	}
	answer(w, map[string]int{"sent": len(p)})
}

func (s *Server) reply(w http.ResponseWriter, r *http.Request) {
	b, p, ok := readBody(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	d, known := s.byID[b.ID]
	var m *client.Message
	if known {
		m = d.msg
		if m.ReplySURB != nil {
			// A reply block is single-use: take it, so that a second
			// reply is refused here rather than dropped in the network.
			cp := *m
			d.msg = &client.Message{Body: m.Body, IsReply: m.IsReply, Received: m.Received}
			m = &cp
		}
	}
	s.mu.Unlock()
	switch {
	case !known:
		fail(w, http.StatusNotFound, fmt.Sprintf("no message %d to reply to (the last %d are kept)", b.ID, MaxQueued))
		return
	case m.ReplySURB == nil:
		fail(w, http.StatusConflict, fmt.Sprintf("message %d has no reply block, or it was used", b.ID))
		return
	}
	if err := s.c.Reply(r.Context(), m, p); err != nil {
		fail(w, http.StatusBadGateway, err.Error())
		return
	}
	answer(w, map[string]int{"sent": len(p)})
}

// message is a streamed message's JSON.
type message struct {
	ID       uint64    `json:"id"`
	Data     string    `json:"data"`
	Text     *string   `json:"text,omitempty"`
	IsReply  bool      `json:"is_reply"`
	CanReply bool      `json:"can_reply"`
	Received time.Time `json:"received"`
}

func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		fail(w, http.StatusInternalServerError, "streaming unsupported")
		return
	}
	ch := make(chan delivered, MaxQueued)
	s.mu.Lock()
	if s.ctx.Err() != nil {
		s.mu.Unlock()
		fail(w, http.StatusServiceUnavailable, "the client is closing")
		return
	}
	for _, d := range s.queue {
		ch <- d
	}
	s.queue = nil
	s.streams = append(s.streams, ch)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		for i, st := range s.streams {
			if st == ch {
				s.streams = append(s.streams[:i], s.streams[i+1:]...)
				break
			}
		}
		// What this stream did not send waits for the next.
	drain:
		for {
			select {
			case d, ok := <-ch:
				if !ok {
					break drain
				}
				if len(s.queue) < MaxQueued {
					s.queue = append(s.queue, d)
				}
			default:
				break drain
			}
		}
		s.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	fl.Flush()
	enc := json.NewEncoder(w)
	for {
		select {
		case <-r.Context().Done():
			return
		case d, ok := <-ch:
			if !ok {
				return
			}
			m := message{ID: d.id, Data: base64.StdEncoding.EncodeToString(d.msg.Body), IsReply: d.msg.IsReply,
				CanReply: d.msg.ReplySURB != nil, Received: d.msg.Received}
			if utf8.Valid(d.msg.Body) {
				t := string(d.msg.Body)
				m.Text = &t
			}
			if err := enc.Encode(m); err != nil {
				return
			}
			fl.Flush()
		}
	}
}

func answer(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, code int, reason string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": reason})
}
