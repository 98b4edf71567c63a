package serialport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// onlineLimit bounds every wait for a reopen; the wait itself is an event, never a timed assertion.
const onlineLimit = 10 * time.Second

// cable is a device node with a stable name, as udev makes /dev/ttyKKT: a symlink to the pseudo-terminal
// that plays the device. Pulling it closes the pty and removes the link, as unplugging a USB device
// removes its node; plugging makes a new pty (with a new /dev/pts name) and points the link at it.
type cable struct {
	t    *testing.T
	link string
	pt   *PTY
}

func newCable(t *testing.T) *cable {
	c := &cable{t: t, link: filepath.Join(t.TempDir(), "ttyKKT")}
	t.Cleanup(func() {
		if c.pt != nil {
			c.pt.Close()
		}
	})
	return c
}

func (c *cable) plug() *PTY {
	c.t.Helper()
	pt, err := OpenPTY()
	if err != nil {
		c.t.Fatal(err)
	}
	tmp := c.link + ".new"
	if err := os.Symlink(pt.Path, tmp); err != nil {
		c.t.Fatal(err)
	}
	if err := os.Rename(tmp, c.link); err != nil { // atomic, as udev re-points a link
		c.t.Fatal(err)
	}
	c.pt = pt
	return pt
}

func (c *cable) pull() {
	c.t.Helper()
	if err := os.Remove(c.link); err != nil {
		c.t.Fatal(err)
	}
	if err := c.pt.Close(); err != nil {
		c.t.Fatal(err)
	}
	c.pt = nil
}

// states records OnState calls.
type states struct {
	mu  sync.Mutex
	got []bool
}

func (s *states) on(online bool, _ error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, online)
}

func (s *states) list() []bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]bool(nil), s.got...)
}

// roundTrip sends msg both ways between the device's pty and the host's port.
func roundTrip(t *testing.T, pt *PTY, r io.ReadWriter, msg []byte) {
	t.Helper()
	if _, err := pt.Master.Write(msg); err != nil {
		t.Fatal(err)
	}
	if dl, ok := r.(readDeadliner); ok {
		dl.SetReadDeadline(time.Now().Add(5 * time.Second))
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(r, got); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("host read % X, %v; want % X", got, err, msg)
	}
	if _, err := r.Write(msg); err != nil {
		t.Fatal(err)
	}
	pt.Master.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(pt.Master, got); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("device read % X, %v; want % X", got, err, msg)
	}
}

func waitOnline(t *testing.T, r *Reconnecting) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), onlineLimit)
	defer cancel()
	if err := r.WaitOnline(ctx); err != nil {
		t.Fatalf("port did not come back: %v (last failure: %v)", err, r.Err())
	}
}

func TestReconnectingSurvivesACablePull(t *testing.T) {
	tests := []struct {
		name string
		meet func(r *Reconnecting) error // the call that finds the cable gone
	}{
		{"read finds it", func(r *Reconnecting) error {
			r.SetReadDeadline(time.Now().Add(onlineLimit))
			_, err := r.Read(make([]byte, 1))
			return err
		}},
		{"write finds it", func(r *Reconnecting) error {
			_, err := r.Write([]byte{0x05})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCable(t)
			pt := c.plug()
			var st states
			r, err := OpenReconnecting(Config{Path: c.link}, ReconnectConfig{MinBackoff: 10 * time.Millisecond, OnState: st.on})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			roundTrip(t, pt, r, []byte{0x05, 0x15})

			c.pull()
			if err := tt.meet(r); !errors.Is(err, ErrDisconnected) {
				t.Fatalf("the call that met the pulled cable = %v, want ErrDisconnected", err)
			}
			for _, call := range []func() error{
				func() error { _, err := r.Write([]byte{0x05}); return err },
				func() error { _, err := r.Read(make([]byte, 1)); return err },
				r.DiscardInput,
			} {
				if err := call(); !errors.Is(err, ErrOffline) || !errors.Is(err, ErrDisconnected) {
					t.Errorf("call while offline = %v, want ErrOffline (matching ErrDisconnected)", err)
				}
			}
			if r.Online() || r.Err() == nil {
				t.Errorf("offline port: Online %v, Err %v", r.Online(), r.Err())
			}
			if err := r.SetReadDeadline(time.Now().Add(time.Second)); err != nil {
				t.Errorf("SetReadDeadline while offline = %v; it waits for the next opening", err)
			}

			pt = c.plug()
			waitOnline(t, r)
			roundTrip(t, pt, r, []byte{0x02, 0x03, 0x10, 0x00, 0x1E, 0x0D})
			if got := st.list(); len(got) != 2 || got[0] || !got[1] {
				t.Errorf("OnState calls %v, want [false true]", got)
			}
		})
	}
}

func TestReconnectingStartsWithoutTheDevice(t *testing.T) {
	c := newCable(t)
	r, err := OpenReconnecting(Config{Path: c.link}, ReconnectConfig{MinBackoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatalf("a device not plugged in yet must not fail the open: %v", err)
	}
	defer r.Close()
	if _, err := r.Write([]byte{0x05}); !errors.Is(err, ErrOffline) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Write before the device appears = %v, want ErrOffline saying the node is missing", err)
	}
	pt := c.plug()
	waitOnline(t, r)
	roundTrip(t, pt, r, []byte{0x06})
}

func TestReconnectingRefusesABusyPort(t *testing.T) {
	c := newCable(t)
	c.plug()
	held, err := Open(Config{Path: c.link})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if r, err := OpenReconnecting(Config{Path: c.link}, ReconnectConfig{}); !errors.Is(err, ErrBusy) {
		if r != nil {
			r.Close()
		}
		t.Fatalf("OpenReconnecting of a held port = %v, want ErrBusy: waiting would not free it", err)
	}
}

func TestReconnectingClose(t *testing.T) {
	tests := []struct {
		name    string
		plugged bool
	}{
		{"while online", true},
		{"while reopening", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCable(t)
			if tt.plugged {
				c.plug()
			}
			r, err := OpenReconnecting(Config{Path: c.link}, ReconnectConfig{MinBackoff: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Close(); err != nil {
				t.Fatalf("Close = %v", err)
			}
			if _, err := r.Read(make([]byte, 1)); !errors.Is(err, os.ErrClosed) {
				t.Errorf("Read after Close = %v, want os.ErrClosed", err)
			}
			if err := r.WaitOnline(context.Background()); !errors.Is(err, os.ErrClosed) {
				t.Errorf("WaitOnline after Close = %v, want os.ErrClosed", err)
			}
			if err := r.Close(); !errors.Is(err, os.ErrClosed) {
				t.Errorf("second Close = %v, want os.ErrClosed", err)
			}
			if tt.plugged { // the port was released: another host opens it
				p, err := Open(Config{Path: c.link})
				if err != nil {
					t.Fatalf("port still held after Close: %v", err)
				}
				p.Close()
			}
		})
	}
}

// TestStaleFailureKeepsTheNewOpening: an error from an opening that was already replaced (a call that
// straddled the reopen) must not take the new one down.
func TestStaleFailureKeepsTheNewOpening(t *testing.T) {
	c := newCable(t)
	c.plug()
	r, err := OpenReconnecting(Config{Path: c.link}, ReconnectConfig{MinBackoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, first, _ := r.current()
	c.pull()
	r.Write([]byte{0x05})
	pt := c.plug()
	waitOnline(t, r)
	if err := r.fail(first, io.ErrUnexpectedEOF); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("stale fail = %v", err)
	}
	if !r.Online() {
		t.Fatal("a failure of the old opening took the new one offline")
	}
	roundTrip(t, pt, r, []byte{0x15})
}

// writeOnly is a printer device file: it takes bytes and cannot be read.
type writeOnly struct{ bytes.Buffer }

func (*writeOnly) Read([]byte) (int, error) { return 0, errors.ErrUnsupported }
func (*writeOnly) Close() error             { return nil }

func TestReconnectingWithoutReadDeadlines(t *testing.T) {
	dev := &writeOnly{}
	r := NewReconnecting("/dev/usb/lp0", func() (io.ReadWriteCloser, error) { return dev, nil }, ReconnectConfig{})
	defer r.Close()
	if err := r.SetReadDeadline(time.Now()); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("SetReadDeadline on a write-only device = %v, want errors.ErrUnsupported", err)
	}
	if err := r.DiscardInput(); err != nil {
		t.Errorf("DiscardInput on a device that cannot = %v, want nil", err)
	}
	if _, err := r.Write([]byte("\x1b@")); err != nil || dev.String() != "\x1b@" {
		t.Errorf("Write = %v, device got %q", err, dev.String())
	}
}
