package serialport

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
)

// tap is the device's side of a pty that remembers what the device received.
type tap struct {
	*os.File
	mu  sync.Mutex
	got []byte
}

func (t *tap) Read(b []byte) (int, error) {
	n, err := t.File.Read(b)
	t.mu.Lock()
	t.got = append(t.got, b[:n]...)
	t.mu.Unlock()
	return n, err
}

func (t *tap) received() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]byte(nil), t.got...)
}

// serve runs dev on the cable's pty until the returned stop is called.
func serve(t *testing.T, dev *emulator.Device, pt *PTY) (*tap, func()) {
	t.Helper()
	tp := &tap{File: pt.Master}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- dev.Serve(ctx, tp) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("emulator: %v", err)
		}
	}
	t.Cleanup(stop)
	return tp, stop
}

// TestRegisterLinkAcrossACablePull runs the Shtrih-M driver over a reconnecting port: the emulated
// register's cable is pulled mid-shift and put back, and the same driver goes on without a restart. The
// first thing the register hears on the new line is an ENQ, as the link layer asks before every command.
func TestRegisterLinkAcrossACablePull(t *testing.T) {
	dev, err := emulator.New(emulator.Config{})
	if err != nil {
		t.Fatal(err)
	}
	c := newCable(t)
	_, stop := serve(t, dev, c.plug())
	port, err := OpenReconnecting(Config{Path: c.link}, ReconnectConfig{MinBackoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close()
	drv := kkt.NewDriver(port, kkt.Config{})
	ctx := context.Background()
	if err := drv.OpenShift(ctx); err != nil {
		t.Fatalf("OpenShift: %v", err)
	}

	stop()
	c.pull()
	steps := []struct {
		name string
		want error
	}{
		{"the command that finds the cable gone", ErrDisconnected},
		{"a command while the port is reopening fails fast", ErrOffline},
	}
	for _, s := range steps {
		if _, err := drv.ShortStatus(ctx); !errors.Is(err, s.want) {
			t.Fatalf("%s: ShortStatus = %v, want %v", s.name, err, s.want)
		}
	}

	tp, _ := serve(t, dev, c.plug())
	waitOnline(t, port)
	st, err := drv.ShortStatus(ctx)
	if err != nil {
		t.Fatalf("ShortStatus after the cable is back: %v", err)
	}
	if st.Mode() != kkt.ModeShiftOpen {
		t.Errorf("mode after reconnect %d, want the shift the register kept open", st.Mode())
	}
	if got := tp.received(); len(got) == 0 || got[0] != kkt.ENQ {
		t.Errorf("the register first heard % X on the new line, want ENQ", got)
	}
}
