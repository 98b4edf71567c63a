package terminal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/kassa-pos/kassa/hardware/escpos"
	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/scale"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

// Devices the settings screen lists (DeviceLink, CheckLive, CheckPort).
const (
	DeviceKKT     = "kkt"
	DevicePrinter = "printer"
	DeviceScanner = "scanner"
	DeviceScale   = "scale"
	DeviceDisplay = "display"
)

// CheckTimeout bounds one «Проверить связь»: a device that has not answered by then is not responding.
const CheckTimeout = 5 * time.Second

var (
	// ErrNotListening: the port opened but the device cannot be asked anything (a customer display or a
	// serial scanner only ever talk one way); the link is as good as the cable.
	ErrNotListening = errors.New("device cannot be asked for its status")
	// ErrNotWired: the terminal has no such device open now (not configured, or another face owns it).
	ErrNotWired = errors.New("device not open at this terminal")
)

// DeviceLink is what the terminal knows of a device's link now, without asking it anything.
type DeviceLink struct {
	Open     bool  // the terminal has it open (configured and started)
	Emulated bool  // the demo's in-process emulator
	Online   bool  // its port is up (always for an emulator)
	Err      error // why the port is down, when it is
}

// DeviceLink reports a device's link from the ports the terminal holds. The scanner is not the
// terminal's: at the till it is a keyboard wedge, and the kiosk reads a serial one itself.
func (t *Terminal) DeviceLink(kind string) DeviceLink {
	port := func(p *serialport.Reconnecting) DeviceLink {
		if p == nil {
			return DeviceLink{}
		}
		return DeviceLink{Open: true, Online: p.Online(), Err: p.Err()}
	}
	emulated := DeviceLink{Open: true, Emulated: true, Online: true}
	switch kind {
	case DeviceKKT:
		if t.Register == nil {
			return DeviceLink{}
		}
		if t.Register.Emulator != nil {
			return emulated
		}
		return port(t.Register.Port)
	case DevicePrinter:
		if t.Printer == nil {
			return DeviceLink{}
		}
		if t.Printer.Emulator != nil {
			return emulated
		}
		return port(t.Printer.Port)
	case DeviceScale:
		if t.Scale == nil {
			return DeviceLink{}
		}
		if t.Scale.Emulator != nil {
			return emulated
		}
		return port(t.Scale.port)
	case DeviceDisplay:
		return port(t.displayPort)
	}
	return DeviceLink{}
}

// CheckLive asks the device the terminal has open for its status through its driver, within
// CheckTimeout: the ККТ its short status, the printer its paper sensor, the scale a weight. A display's
// port only tells whether it is up (ErrNotListening when it is).
func (t *Terminal) CheckLive(ctx context.Context, kind string) error {
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()
	if !t.DeviceLink(kind).Open {
		return ErrNotWired
	}
	switch kind {
	case DeviceKKT:
		_, err := t.Register.Driver.ShortStatus(ctx)
		return err
	case DevicePrinter:
		t.Printer.mu.Lock()
		defer t.Printer.mu.Unlock()
		_, err := t.Printer.pr.PaperStatus(ctx)
		if errors.Is(err, escpos.ErrStatusUnsupported) {
			return ErrNotListening
		}
		return err
	case DeviceScale:
		_, err := t.Scale.drv.Weight(ctx)
		return tolerateLoad(err)
	case DeviceDisplay:
		if !t.displayPort.Online() {
			return t.displayPort.Err()
		}
		return ErrNotListening
	}
	return ErrNotWired
}

// CheckPort opens a port the terminal does not hold, asks the device on it for its status as CheckLive
// does, and closes it. password is the ККТ's operator password (30 when zero). A port that another
// program (or this terminal, under another path) holds fails with serialport.ErrBusy.
func CheckPort(ctx context.Context, kind, path string, baud int, password uint32) error {
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()
	if kind == DevicePrinter && printerDeviceFile(path) {
		d, err := escpos.OpenDevice(path)
		if err != nil {
			return err
		}
		d.Close()
		return ErrNotListening // a printer class device file is write-only
	}
	p, err := serialport.Open(serialport.Config{Path: path, Baud: baud})
	if err != nil {
		return err
	}
	defer p.Close()
	return askDevice(ctx, kind, p, password)
}

// askDevice asks the device on rw for its status.
func askDevice(ctx context.Context, kind string, rw io.ReadWriter, password uint32) error {
	switch kind {
	case DeviceKKT:
		_, err := kkt.NewDriver(rw, kkt.Config{Password: password, Retries: 1}).ShortStatus(ctx)
		return err
	case DevicePrinter:
		_, err := escpos.NewPrinter(rw, escpos.Profile{}).PaperStatus(ctx)
		return err
	case DeviceScale:
		_, err := scale.New(rw, scale.Config{}).Weight(ctx)
		return tolerateLoad(err)
	case DeviceScanner, DeviceDisplay:
		return ErrNotListening
	}
	return fmt.Errorf("unknown device %q", kind)
}

// tolerateLoad counts a scale that answers with an overload or a negative weight as answering.
func tolerateLoad(err error) error {
	if errors.Is(err, scale.ErrOverload) || errors.Is(err, scale.ErrUnderload) {
		return nil
	}
	return err
}
