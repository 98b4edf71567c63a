package faults

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// proxy stands between the terminals and the hub like a store's reverse proxy and misbehaves on request:
// fault sees every POST /v1/events (n counts them from 1) and decides what reaches the hub and what comes
// back. Everything else (feeds, health) passes through.
type proxy struct {
	srv    *httptest.Server
	target string
	client *http.Client

	mu     sync.Mutex
	n      int
	fault  func(n int, w http.ResponseWriter, r *http.Request, p *proxy)
	passed int // events POSTs that reached the hub at least once
}

func newProxy(t *testing.T, target string, fault func(n int, w http.ResponseWriter, r *http.Request, p *proxy)) *proxy {
	p := &proxy{target: target, client: &http.Client{}, fault: fault}
	p.srv = httptest.NewUnstartedServer(p)
	p.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the connections it drops on purpose
	p.srv.Start()
	t.Cleanup(p.srv.Close)
	return p
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/events" {
		p.pass(w, r, nil)
		return
	}
	p.mu.Lock()
	p.n++
	n, fault := p.n, p.fault
	p.mu.Unlock()
	if fault == nil {
		p.pass(w, r, nil)
		return
	}
	fault(n, w, r, p)
}

func (p *proxy) setFault(f func(n int, w http.ResponseWriter, r *http.Request, p *proxy)) {
	p.mu.Lock()
	p.fault = f
	p.mu.Unlock()
}

func (p *proxy) eventPosts() (seen, passed int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n, p.passed
}

// forward sends the request (with body, if already read) to the hub and returns the hub's answer.
func (p *proxy) forward(r *http.Request, body []byte) (status int, header http.Header, answer []byte, err error) {
	if body == nil {
		if body, err = io.ReadAll(r.Body); err != nil {
			return 0, nil, nil, err
		}
	}
	req, err := http.NewRequest(r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	for _, h := range []string{"Authorization", "Content-Type", "Accept"} {
		req.Header.Set(h, r.Header.Get(h))
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	answer, err = io.ReadAll(resp.Body)
	if r.URL.Path == "/v1/events" && err == nil {
		p.mu.Lock()
		p.passed++
		p.mu.Unlock()
	}
	return resp.StatusCode, resp.Header, answer, err
}

// pass forwards the request and writes the hub's answer back; a hub that cannot be reached is a 502, as
// from nginx.
func (p *proxy) pass(w http.ResponseWriter, r *http.Request, body []byte) {
	status, header, answer, err := p.forward(r, body)
	if err != nil {
		http.Error(w, `{"error":"bad gateway"}`, http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", header.Get("Content-Type"))
	w.WriteHeader(status)
	_, _ = w.Write(answer)
}

// drop closes the client's connection without an answer.
func drop(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
	}
}

// Faults, each for one request.

func fail500(w http.ResponseWriter) {
	http.Error(w, `{"error":"internal error"}`, http.StatusInternalServerError)
}

func slowPass(d time.Duration) func(w http.ResponseWriter, r *http.Request, p *proxy) {
	return func(w http.ResponseWriter, r *http.Request, p *proxy) {
		time.Sleep(d)
		p.pass(w, r, nil)
	}
}

// resetMidBatch reads part of the batch, then the line drops: the hub gets nothing.
func resetMidBatch(w http.ResponseWriter, r *http.Request, _ *proxy) {
	_, _ = io.CopyN(io.Discard, r.Body, 512)
	drop(w)
}

// ackLost delivers the batch, then the line drops before the answer: the hub stored it, the terminal
// does not know.
func ackLost(w http.ResponseWriter, r *http.Request, p *proxy) {
	_, _, _, _ = p.forward(r, nil)
	drop(w)
}

// twice delivers the same batch two times and answers with the second answer.
func twice(w http.ResponseWriter, r *http.Request, p *proxy) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		drop(w)
		return
	}
	_, _, _, _ = p.forward(r, body)
	p.pass(w, r, body)
}
