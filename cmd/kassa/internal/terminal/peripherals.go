package terminal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/kassa-pos/kassa/hardware/display"
	"github.com/kassa-pos/kassa/hardware/scale"
	"github.com/kassa-pos/kassa/hardware/serialport"
	"github.com/kassa-pos/kassa/pos"
)

// DemoWeightGrams is what the demo's emulated scale holds: a realistic bag of apples.
const DemoWeightGrams = 734

// Scale is the checkout scale seen by the till: the Massa-K driver with its errors in the domain's terms.
type Scale struct {
	drv      *scale.Scale
	Emulator *scale.Emulator // the demo's in-process scale, nil with a real one
	port     *serialport.Reconnecting
	close    func() error
}

// StableWeight reads a settled weight in grams.
func (s *Scale) StableWeight(ctx context.Context, timeout time.Duration) (int64, error) {
	g, err := s.drv.StableWeight(ctx, timeout)
	switch {
	case err == nil:
		return g, nil
	case errors.Is(err, scale.ErrUnstable):
		return 0, fmt.Errorf("%w: %w", pos.ErrScaleUnstable, err)
	case errors.Is(err, scale.ErrOverload), errors.Is(err, scale.ErrUnderload):
		return 0, fmt.Errorf("%w: %w", pos.ErrScaleOverload, err)
	}
	return 0, fmt.Errorf("%w: %w", pos.ErrScaleOffline, err)
}

// Close releases the port.
func (s *Scale) Close() error { return s.close() }

// OpenScale opens the scale on a serial port, or "emulator" for an in-process one holding
// DemoWeightGrams. A serial scale's port is reopened by itself after its cable is pulled and put back.
func OpenScale(ctx context.Context, port string, log *slog.Logger) (*Scale, error) {
	if port == "emulator" {
		emu := scale.NewEmulator()
		emu.SetWeight(DemoWeightGrams, true)
		host, dev := net.Pipe()
		ectx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		go emu.Serve(ectx, dev)
		return &Scale{drv: scale.New(host, scale.Config{}), Emulator: emu, close: func() error {
			cancel()
			return errors.Join(host.Close(), dev.Close())
		}}, nil
	}
	p, err := openPort(log, "scale", port, 9600, nil)
	if err != nil {
		return nil, err
	}
	return &Scale{drv: scale.New(p, scale.Config{}), port: p, close: p.Close}, nil
}

// CustomerDisplay is the pole display on a port that survives a re-plug: a display unplugged and plugged
// back has forgotten its code page, so the first Show after its port was lost sets it up again.
type CustomerDisplay struct {
	*display.Display
	reinit atomic.Bool
}

// Show puts two lines on the display, first resetting it when its port was lost since.
func (d *CustomerDisplay) Show(ctx context.Context, upper, lower string) error {
	if d.reinit.Swap(false) {
		if err := d.Init(ctx); err != nil {
			d.reinit.Store(true)
			return err
		}
	}
	return d.Display.Show(ctx, upper, lower)
}

// OpenDisplay opens the customer display on a serial port; mode is "cd5220" (default) or "epson".
func OpenDisplay(port, mode string, log *slog.Logger) (*CustomerDisplay, io.Closer, error) {
	cfg := display.Config{Mode: display.ModeCD5220}
	switch mode {
	case "", "cd5220":
	case "epson":
		cfg.Mode = display.ModeEpson
	default:
		return nil, nil, fmt.Errorf("display mode %q is neither cd5220 nor epson", mode)
	}
	d := &CustomerDisplay{}
	p, err := openPort(log, "display", port, 9600, func() { d.reinit.Store(true) })
	if err != nil {
		return nil, nil, err
	}
	d.Display = display.New(p, cfg)
	return d, p, nil
}
