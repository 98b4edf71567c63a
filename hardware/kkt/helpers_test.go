package kkt_test

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

// clock is an injectable device clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// proxy sits between the pty master and the emulator and can tamper with the bytes in each direction.
type proxy struct {
	mu     sync.Mutex
	toHost func(chunk []byte, toDevice func(...byte)) []byte
	toDev  func(chunk []byte) []byte
}

func (p *proxy) set(toHost func([]byte, func(...byte)) []byte, toDev func([]byte) []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.toHost, p.toDev = toHost, toDev
}

func (p *proxy) hooks() (func([]byte, func(...byte)) []byte, func([]byte) []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.toHost, p.toDev
}

// rig is the whole stack: Driver → serialport (tarm) → pty → proxy → emulator.
type rig struct {
	dev   *emulator.Device
	drv   *kkt.Driver
	port  *serialport.Port
	proxy *proxy
	clock *clock
}

func newRig(t *testing.T, ecfg emulator.Config, dcfg kkt.Config) *rig {
	t.Helper()
	r := &rig{proxy: &proxy{}, clock: newClock()}
	if ecfg.Now == nil {
		ecfg.Now = r.clock.Now
	}
	dev, err := emulator.New(ecfg)
	if err != nil {
		t.Fatal(err)
	}
	r.dev = dev
	pt, err := serialport.OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	emuSide, proxySide := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); _ = dev.Serve(ctx, emuSide) }()
	go func() { defer wg.Done(); r.pumpToDevice(ctx, pt.Master, proxySide) }()
	go func() { defer wg.Done(); r.pumpToHost(proxySide, pt.Master) }()
	r.port, err = serialport.Open(serialport.Config{Path: pt.Path})
	if err != nil {
		t.Fatal(err)
	}
	dcfg.Location = time.UTC
	r.drv = kkt.NewDriver(r.port, dcfg)
	t.Cleanup(func() {
		cancel()
		r.port.Close()
		proxySide.Close()
		emuSide.Close()
		pt.Close()
		wg.Wait()
	})
	return r
}

func (r *rig) pumpToDevice(ctx context.Context, master *os.File, dev net.Conn) {
	buf := make([]byte, 512)
	for ctx.Err() == nil {
		master.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		n, err := master.Read(buf)
		if n > 0 {
			chunk := append([]byte(nil), buf[:n]...)
			if _, f := r.proxy.hooks(); f != nil {
				chunk = f(chunk)
			}
			if _, err := dev.Write(chunk); err != nil {
				return
			}
		}
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			return
		}
	}
}

func (r *rig) pumpToHost(dev net.Conn, master *os.File) {
	buf := make([]byte, 512)
	back := func(b ...byte) { dev.Write(b) }
	for {
		n, err := dev.Read(buf)
		if err != nil {
			return
		}
		chunk := append([]byte(nil), buf[:n]...)
		if f, _ := r.proxy.hooks(); f != nil {
			chunk = f(chunk, back)
		}
		if len(chunk) > 0 {
			master.Write(chunk)
		}
	}
}

func mustDeviceError(t *testing.T, err error, code byte) {
	t.Helper()
	var de *kkt.DeviceError
	if !errors.As(err, &de) || de.Code != code {
		t.Fatalf("err = %v, want device error 0x%02X", err, code)
	}
}
