package terminal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/hardware/serialport"
	"github.com/kassa-pos/kassa/pos/fiscal"
)

// Register is the fiscal register as wired: the Shtrih-M driver on a serial port, or on an in-memory pipe
// to the emulator in demo mode (its state kept in the data folder, so a restarted demo finds the same
// shift and document numbers).
type Register struct {
	Fiscal   *fiscal.Register
	Driver   *kkt.Driver
	Emulator *emulator.Device // nil with a real device
	// Port is the real device's serial port, reopened by itself after the cable is pulled and put back;
	// nil with the emulator.
	Port  *serialport.Reconnecting
	close func() error
}

// Close releases the port (and stops the emulator).
func (r *Register) Close() error { return r.close() }

// OpenRegister opens the fiscal register the options name (a serial port, or "emulator" in-process with its
// state in the data folder); only the register fields of Options are used.
func OpenRegister(ctx context.Context, o Options) (*Register, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	drvCfg := kkt.Config{Password: o.Password}
	if o.KKTPort == "emulator" {
		dev, err := emulator.New(emulator.Config{StateFile: filepath.Join(o.Data, "kkt-emulator.json"), Logger: o.Logger})
		if err != nil {
			return nil, fmt.Errorf("register emulator: %w", err)
		}
		host, device := net.Pipe()
		ectx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		done := make(chan struct{})
		go func() {
			defer close(done)
			if err := dev.Serve(ectx, device); err != nil {
				o.Logger.Error("register emulator stopped", "err", err)
			}
		}()
		drv := kkt.NewDriver(host, drvCfg)
		return &Register{Fiscal: fiscal.New(drv, o.TaxCodes), Driver: drv, Emulator: dev, close: func() error {
			cancel()
			err := errors.Join(host.Close(), device.Close())
			select {
			case <-done:
			case <-time.After(2 * time.Second):
			}
			return err
		}}, nil
	}
	port, err := openPort(o.Logger, "register", o.KKTPort, o.KKTBaud, nil)
	if err != nil {
		return nil, err
	}
	drv := kkt.NewDriver(port, drvCfg)
	return &Register{Fiscal: fiscal.New(drv, o.TaxCodes), Driver: drv, Port: port, close: port.Close}, nil
}
