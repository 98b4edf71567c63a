//go:build soak

package soak

import (
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"
)

// flakyProxy is the store's uplink: a TCP proxy in front of the hub that, while down, cuts every open
// connection with a reset and refuses new ones the same way, as a router losing its line does.
type flakyProxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	down  bool
	conns map[net.Conn]struct{}
	cuts  int // outages so far
	reset int // connections cut or refused
}

func newFlakyProxy(t *testing.T, target string) *flakyProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &flakyProxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	go p.accept()
	t.Cleanup(func() { ln.Close() })
	return p
}

func (p *flakyProxy) url() string { return "http://" + p.ln.Addr().String() }

func (p *flakyProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.down {
			p.reset++
			p.mu.Unlock()
			abort(c)
			continue
		}
		p.conns[c] = struct{}{}
		p.mu.Unlock()
		go p.pipe(c)
	}
}

// pipe copies both ways until either side ends; a connection to the hub that fails is reset.
func (p *flakyProxy) pipe(c net.Conn) {
	defer p.forget(c)
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		abort(c)
		return
	}
	p.mu.Lock()
	if p.down { // the line went down while dialling
		p.mu.Unlock()
		up.Close()
		abort(c)
		return
	}
	p.conns[up] = struct{}{}
	p.mu.Unlock()
	defer p.forget(up)
	done := make(chan struct{}, 2)
	cp := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		if tc, ok := dst.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
		done <- struct{}{}
	}
	go cp(up, c)
	go cp(c, up)
	<-done
	<-done
	c.Close()
	up.Close()
}

func (p *flakyProxy) forget(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
}

// setDown takes the line down (cutting every connection) or brings it back.
func (p *flakyProxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if down == p.down {
		return
	}
	p.down = down
	if !down {
		return
	}
	p.cuts++
	for c := range p.conns {
		p.reset++
		abort(c)
		delete(p.conns, c)
	}
}

// flap takes the line down for down (a random part of it) every period (a random part of it) until stop.
func (p *flakyProxy) flap(stop <-chan struct{}, rng *rand.Rand, period, down time.Duration) {
	for {
		select {
		case <-stop:
			p.setDown(false)
			return
		case <-time.After(period/2 + time.Duration(rng.Int64N(int64(period)))):
		}
		p.setDown(true)
		select {
		case <-stop:
			p.setDown(false)
			return
		case <-time.After(down/4 + time.Duration(rng.Int64N(int64(down)))):
		}
		p.setDown(false)
	}
}

func (p *flakyProxy) stats() (cuts, reset int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cuts, p.reset
}

// abort closes c with a TCP reset rather than a clean FIN.
func abort(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}
