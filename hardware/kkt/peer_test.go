package kkt

import (
	"io"
	"net"
	"testing"
	"time"
)

// peer is a scripted device on the far end of a net.Pipe, for byte-exact link and command tests.
type peer struct {
	t    *testing.T
	conn net.Conn
}

// newPeerDriver returns a driver wired to a peer; script runs on the peer side in its own goroutine and the
// returned channel closes when it ends.
func newPeerDriver(t *testing.T, cfg Config, script func(p *peer)) (*Driver, <-chan struct{}) {
	t.Helper()
	host, dev := tcpPair(t)
	if cfg.EnqTimeout == 0 {
		cfg.EnqTimeout = 300 * time.Millisecond
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		script(&peer{t: t, conn: dev})
	}()
	return NewDriver(host, cfg), done
}

// tcpPair is a connected loopback pair: unlike net.Pipe it buffers, as a serial line does.
func tcpPair(t *testing.T) (net.Conn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			t.Error(err)
		}
		accepted <- c
	}()
	host, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	dev := <-accepted
	t.Cleanup(func() { host.Close(); dev.Close() })
	return host, dev
}

func (p *peer) readByte() byte {
	p.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var b [1]byte
	if _, err := io.ReadFull(p.conn, b[:]); err != nil {
		p.t.Errorf("peer read: %v", err)
		return 0
	}
	return b[0]
}

func (p *peer) expect(want byte) {
	if got := p.readByte(); got != want {
		p.t.Errorf("peer got 0x%02X, want 0x%02X", got, want)
	}
}

// readFrame reads a whole frame as sent by the host.
func (p *peer) readFrame() []byte {
	head := []byte{p.readByte(), p.readByte()}
	rest := make([]byte, int(head[1])+1)
	p.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(p.conn, rest); err != nil {
		p.t.Errorf("peer read frame: %v", err)
	}
	return append(head, rest...)
}

func (p *peer) write(b ...byte) {
	if _, err := p.conn.Write(b); err != nil {
		p.t.Errorf("peer write: %v", err)
	}
}

// silence reads nothing for d: the host is expected to stay quiet or time out.
func (p *peer) silence(d time.Duration) { time.Sleep(d) }

// answer builds an answer frame.
func answer(t *testing.T, cmd Command, data []byte) []byte {
	f, err := EncodeFrame(cmd, data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// exchange is the happy path of one command: ENQ/NAK, frame/ACK, answer/ACK. It returns the request frame.
func (p *peer) exchange(ans []byte) []byte {
	p.expect(ENQ)
	p.write(NAK)
	req := p.readFrame()
	p.write(ACK)
	p.write(ans...)
	p.expect(ACK)
	return req
}
