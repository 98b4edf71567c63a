package terminal

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/serialport"
)

// ttyCable is a device's stable node, as a udev rule makes /dev/ttyKKT: a symlink to the pseudo-terminal
// that plays the device. Pulling the cable stops the device's server, closes its pty and removes the link,
// as unplugging removes a USB device's node; plugging it in serves the device on a new pty (with a new
// /dev/pts name) behind the same link.
type ttyCable struct {
	t     *testing.T
	link  string
	serve func(ctx context.Context, rw io.ReadWriter) error

	mu   sync.Mutex
	pt   *serialport.PTY
	tap  *ttyTap
	stop func() error
}

func newTTYCable(t *testing.T, name string, serve func(ctx context.Context, rw io.ReadWriter) error) *ttyCable {
	c := &ttyCable{t: t, link: filepath.Join(t.TempDir(), name), serve: serve}
	t.Cleanup(func() {
		if err := c.pull(); err != nil {
			t.Error(err)
		}
	})
	return c
}

// plug serves the device on a new pty behind the link and returns what it will hear.
func (c *ttyCable) plug() *ttyTap {
	c.t.Helper()
	pt, err := serialport.OpenPTY()
	if err != nil {
		c.t.Fatal(err)
	}
	tmp := c.link + ".new"
	if err := os.Symlink(pt.Path, tmp); err != nil {
		c.t.Fatal(err)
	}
	if err := os.Rename(tmp, c.link); err != nil {
		c.t.Fatal(err)
	}
	tp := &ttyTap{File: pt.Master}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.serve(ctx, tp) }()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pt, c.tap = pt, tp
	c.stop = func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(waitLimit):
			return errors.New("the device's server did not stop")
		}
	}
	return tp
}

// pull unplugs the device; it may run on any goroutine (an emulator's hook), so it reports, not fails.
func (c *ttyCable) pull() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pt == nil {
		return nil
	}
	err := errors.Join(c.stop(), os.Remove(c.link), c.pt.Close())
	c.pt, c.tap, c.stop = nil, nil, nil
	return err
}

// ttyTap is the device's end of a pty that remembers what the device heard.
type ttyTap struct {
	*os.File
	mu  sync.Mutex
	got []byte
}

func (t *ttyTap) Read(b []byte) (int, error) {
	n, err := t.File.Read(b)
	t.mu.Lock()
	t.got = append(t.got, b[:n]...)
	t.mu.Unlock()
	return n, err
}

func (t *ttyTap) heard() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]byte(nil), t.got...)
}

// waitOnline waits for a reconnecting port to be open again: an event, never a timed assertion.
func waitOnline(t *testing.T, p *serialport.Reconnecting) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := p.WaitOnline(ctx); err != nil {
		t.Fatalf("%s did not come back: %v (last failure %v)", p.Name(), err, p.Err())
	}
}
