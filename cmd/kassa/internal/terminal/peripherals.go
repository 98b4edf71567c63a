package terminal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
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
// DemoWeightGrams.
func OpenScale(ctx context.Context, port string) (*Scale, error) {
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
	p, err := serialport.Open(serialport.Config{Path: port, Baud: 9600})
	if err != nil {
		return nil, fmt.Errorf("scale port %s: %w", port, err)
	}
	return &Scale{drv: scale.New(p, scale.Config{}), close: p.Close}, nil
}

// OpenDisplay opens the customer display on a serial port; mode is "cd5220" (default) or "epson".
func OpenDisplay(port, mode string) (*display.Display, io.Closer, error) {
	cfg := display.Config{Mode: display.ModeCD5220}
	switch mode {
	case "", "cd5220":
	case "epson":
		cfg.Mode = display.ModeEpson
	default:
		return nil, nil, fmt.Errorf("display mode %q is neither cd5220 nor epson", mode)
	}
	p, err := serialport.Open(serialport.Config{Path: port, Baud: 9600})
	if err != nil {
		return nil, nil, fmt.Errorf("display port %s: %w", port, err)
	}
	return display.New(p, cfg), p, nil
}
