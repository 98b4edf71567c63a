package terminal

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/hardware/scale"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

// TestCheckPort: «Проверить связь» on a port the terminal does not hold asks the device through its
// driver: an emulated ККТ and scale on pseudo-terminals answer, a silent line and a missing path do not,
// and a display is only opened.
func TestCheckPort(t *testing.T) {
	serve := func(t *testing.T, run func(ctx context.Context, pt *serialport.PTY)) string {
		t.Helper()
		pt, err := serialport.OpenPTY()
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); run(ctx, pt) }()
		t.Cleanup(func() { cancel(); <-done; pt.Close() })
		return pt.Path
	}
	kktPort := func(t *testing.T) string {
		dev, err := emulator.New(emulator.Config{})
		if err != nil {
			t.Fatal(err)
		}
		return serve(t, func(ctx context.Context, pt *serialport.PTY) { _ = dev.Serve(ctx, pt.Master) })
	}
	scalePort := func(t *testing.T) string {
		emu := scale.NewEmulator()
		emu.SetWeight(500, true)
		return serve(t, func(ctx context.Context, pt *serialport.PTY) { _ = emu.Serve(ctx, pt.Master) })
	}
	silent := func(t *testing.T) string {
		return serve(t, func(ctx context.Context, _ *serialport.PTY) { <-ctx.Done() })
	}
	missing := func(t *testing.T) string { return filepath.Join(t.TempDir(), "ttyNone") }
	tests := []struct {
		name  string
		kind  string
		port  func(t *testing.T) string
		check func(err error) bool
	}{
		{"ККТ answers", DeviceKKT, kktPort, func(err error) bool { return err == nil }},
		{"scale answers", DeviceScale, scalePort, func(err error) bool { return err == nil }},
		{"ККТ silent", DeviceKKT, silent, func(err error) bool { return err != nil }},
		{"scale silent", DeviceScale, silent, func(err error) bool { return errors.Is(err, scale.ErrNoAnswer) }},
		{"no such port", DeviceKKT, missing, func(err error) bool { return errors.Is(err, serialport.ErrDisconnected) }},
		{"display only opens", DeviceDisplay, silent, func(err error) bool { return errors.Is(err, ErrNotListening) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPort(context.Background(), tt.kind, tt.port(t), 115200, 30)
			if !tt.check(err) {
				t.Errorf("CheckPort: %v", err)
			}
		})
	}
}

// TestDemoDeviceLinks: the demo's emulated register answers through the terminal's own driver, and a
// device the terminal does not have is reported as not wired.
func TestDemoDeviceLinks(t *testing.T) {
	term, _ := openDemo(t, t.TempDir())
	if l := term.DeviceLink(DeviceKKT); !l.Open || !l.Emulated || !l.Online {
		t.Errorf("ККТ link %+v", l)
	}
	if err := term.CheckLive(context.Background(), DeviceKKT); err != nil {
		t.Errorf("check the emulated ККТ: %v", err)
	}
	if l := term.DeviceLink(DeviceDisplay); l.Open {
		t.Errorf("display link %+v without a display", l)
	}
	if err := term.CheckLive(context.Background(), DeviceDisplay); !errors.Is(err, ErrNotWired) {
		t.Errorf("check a missing display: %v", err)
	}
}
