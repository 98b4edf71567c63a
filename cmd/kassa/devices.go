package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/serialport"
	"github.com/kassa-pos/kassa/pos/ui"
)

// Speeds the settings offer. The scale (Massa-K) and the customer display are opened at 9600 baud, fixed.
var (
	kktBauds    = []int{2400, 4800, 9600, 19200, 38400, 57600, 115200}
	serialBauds = []int{9600, 19200, 38400, 57600, 115200}
	fixedBaud   = []int{9600}
)

// deviceTerminal is what the settings ask of the running terminal (*terminal.Terminal).
type deviceTerminal interface {
	DeviceLink(kind string) terminal.DeviceLink
	CheckLive(ctx context.Context, kind string) error
}

// deviceSettings is F12 «Настройки оборудования»: the ports in kassa.toml, the links the terminal holds,
// and «Проверить связь» through the drivers. A saved port takes effect at the next start: the drivers keep
// per-device state (the ККТ's link layer, the printer's code page, the display's set-up) that a port
// swapped under them mid-shift would silently lose, and a restart is what recovery is built for.
type deviceSettings struct {
	started Config // the configuration the terminal runs with
	term    deviceTerminal
	check   func(ctx context.Context, kind, path string, baud int, password uint32) error

	mu    sync.Mutex
	saved map[string]ui.DevicePort // saved since the start, shown instead of the running ones
}

func newDeviceSettings(cfg Config, term *terminal.Terminal) *deviceSettings {
	return &deviceSettings{started: cfg, term: term, check: terminal.CheckPort}
}

// devicePort is a device's port as the terminal was started with it, and the speeds it may have.
func (c Config) devicePort(kind string) (p ui.DevicePort, bauds []int) {
	withDefault := func(b, def int) int {
		if b == 0 {
			return def
		}
		return b
	}
	switch kind {
	case ui.DeviceKKT:
		return ui.DevicePort{Kind: kind, Port: c.KKT.Port, Baud: withDefault(c.KKT.Baud, 115200)}, kktBauds
	case ui.DevicePrinter:
		return ui.DevicePort{Kind: kind, Port: c.Printer.Port, Baud: withDefault(c.Printer.Baud, 9600)}, serialBauds
	case ui.DeviceScanner:
		return ui.DevicePort{Kind: kind, Port: c.Kiosk.ScannerPort, Baud: withDefault(c.Kiosk.ScannerBaud, 9600)}, serialBauds
	case ui.DeviceScale:
		return ui.DevicePort{Kind: kind, Port: c.Scale.Port, Baud: 9600}, fixedBaud
	}
	return ui.DevicePort{Kind: ui.DeviceDisplay, Port: c.Display.Port, Baud: 9600}, fixedBaud
}

var deviceKinds = []string{ui.DeviceKKT, ui.DevicePrinter, ui.DeviceScanner, ui.DeviceScale, ui.DeviceDisplay}

// Devices lists the devices: saved ports (waiting for a restart) over the running ones, with the link
// of the running device when the port is the one it runs on.
func (d *deviceSettings) Devices() []ui.DeviceInfo {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]ui.DeviceInfo, 0, len(deviceKinds))
	for _, kind := range deviceKinds {
		run, bauds := d.started.devicePort(kind)
		p := run
		if s, ok := d.saved[kind]; ok {
			p = s
		}
		info := ui.DeviceInfo{DevicePort: p, Bauds: bauds, Emulated: p.Port == ui.EmulatorPort}
		if p.Port == run.Port {
			if l := d.term.DeviceLink(kind); l.Open {
				info.Emulated = l.Emulated
				info.Link = ui.LinkOffline
				if l.Online {
					info.Link = ui.LinkOnline
				}
			}
		}
		out = append(out, info)
	}
	return out
}

// CheckDevice asks the device for its status: through the terminal's own driver when p is the port it
// runs on (the port is locked to it), else on a port opened for the check and closed again.
func (d *deviceSettings) CheckDevice(ctx context.Context, p ui.DevicePort) error {
	run, bauds := d.started.devicePort(p.Kind)
	switch {
	case p.Port == "":
		return ui.ErrDeviceNone
	case p.Port == run.Port && d.term.DeviceLink(p.Kind).Open:
		if len(bauds) > 1 && p.Baud != run.Baud && p.Port != ui.EmulatorPort {
			return ui.ErrDevicePortInUse
		}
		return deviceErr(d.term.CheckLive(ctx, p.Kind))
	case p.Port == ui.EmulatorPort:
		return ui.ErrDeviceNotWired // an emulator starts with the terminal, after a restart
	}
	return deviceErr(d.check(ctx, p.Kind, p.Port, p.Baud, d.started.KKT.Password))
}

// deviceErr puts a driver's or port's failure in the screen's terms.
func deviceErr(err error) error {
	var de *kkt.DeviceError
	switch {
	case err == nil, errors.As(err, &de): // a ККТ that answers with an error code answers
		return nil
	case errors.Is(err, terminal.ErrNotListening):
		return ui.ErrDeviceOneWay
	case errors.Is(err, terminal.ErrNotWired):
		return ui.ErrDeviceNotWired
	case errors.Is(err, serialport.ErrOffline): // the running device's port is down and being reopened
		return fmt.Errorf("%w: %w", ui.ErrDeviceNoAnswer, err)
	case errors.Is(err, serialport.ErrBusy):
		return fmt.Errorf("%w: %w", ui.ErrDevicePortBusy, err)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("%w: %w", ui.ErrDevicePermission, err)
	case errors.Is(err, serialport.ErrDisconnected), errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%w: %w", ui.ErrDevicePortMissing, err)
	}
	return fmt.Errorf("%w: %w", ui.ErrDeviceNoAnswer, err)
}

// SaveDevice writes the device's port (and speed where it has one) into kassa.toml.
func (d *deviceSettings) SaveDevice(p ui.DevicePort) error {
	var sets []tomlSet
	switch p.Kind {
	case ui.DeviceKKT:
		sets = []tomlSet{{"kkt", "port", p.Port}, {"kkt", "baud", p.Baud}}
	case ui.DevicePrinter:
		sets = []tomlSet{{"printer", "port", p.Port}, {"printer", "baud", p.Baud}}
	case ui.DeviceScanner:
		sets = []tomlSet{{"kiosk", "scanner_port", p.Port}, {"kiosk", "scanner_baud", p.Baud}}
	case ui.DeviceScale:
		sets = []tomlSet{{"scale", "port", p.Port}}
	case ui.DeviceDisplay:
		sets = []tomlSet{{"display", "port", p.Port}}
	default:
		return fmt.Errorf("%w: unknown device %q", ui.ErrConfigNotWritten, p.Kind)
	}
	err := saveConfigValues(d.started.file, sets)
	switch {
	case errors.Is(err, errNoConfigFile):
		return ui.ErrNoConfigFile
	case err != nil:
		return fmt.Errorf("%w: %w", ui.ErrConfigNotWritten, err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.saved == nil {
		d.saved = map[string]ui.DevicePort{}
	}
	d.saved[p.Kind] = p
	return nil
}
