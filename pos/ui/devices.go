package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos/staff"
)

// Device kinds of the settings (DevicePort.Kind).
const (
	DeviceKKT     = "kkt"
	DevicePrinter = "printer"
	DeviceScanner = "scanner"
	DeviceScale   = "scale"
	DeviceDisplay = "display"
)

// EmulatorPort is the port name of the demo's in-process devices.
const EmulatorPort = "emulator"

// DevicePort is a device's port setting as the configuration holds it: Port "" for none.
type DevicePort struct {
	Kind string
	Port string
	Baud int
}

// DeviceLinkState is what the terminal knows of a device's link now, without asking it.
type DeviceLinkState int

const (
	LinkNone    DeviceLinkState = iota // not open at this terminal (none configured, or not this face's)
	LinkOnline                         // its port is up
	LinkOffline                        // its port is down and being reopened
)

// DeviceInfo is one row of «Настройки оборудования».
type DeviceInfo struct {
	DevicePort
	Bauds    []int // the speeds that may be chosen; a single one is fixed
	Emulated bool  // the demo's emulator
	Link     DeviceLinkState
}

// DeviceSettings reads, checks and saves the devices' ports; cmd/kassa implements it on kassa.toml and
// the terminal's open devices.
type DeviceSettings interface {
	Devices() []DeviceInfo
	// CheckDevice asks the device on p for its status through its driver; it blocks up to a few seconds.
	CheckDevice(ctx context.Context, p DevicePort) error
	// SaveDevice writes p into the configuration; it takes effect at the next start.
	SaveDevice(p DevicePort) error
}

// Errors a DeviceSettings wraps so that the screen can explain them.
var (
	ErrDeviceNoAnswer    = errors.New("device did not answer")
	ErrDevicePortMissing = errors.New("port not found")
	ErrDevicePortBusy    = errors.New("port held by another program")
	ErrDevicePortInUse   = errors.New("port open at this till at another speed")
	ErrDeviceOneWay      = errors.New("device cannot be asked for its status")
	ErrDeviceNotWired    = errors.New("device not open at this terminal")
	ErrDeviceNone        = errors.New("no port set for the device")
	ErrDevicePermission  = errors.New("no permission to open the port")
	ErrNoConfigFile      = errors.New("started without a configuration file")
	ErrConfigNotWritten  = errors.New("configuration file not written")
	ErrBadPort           = errors.New("bad port name")
)

// checkWait bounds one «Проверить связь» from the screen's side (the device's own timeout is shorter).
const checkWait = 15 * time.Second

// deviceItems is F12's «Настройки оборудования» when the till has device settings.
func (s *TillScreen) deviceItems() []menuItem {
	if s.d.Devices == nil {
		return nil
	}
	return []menuItem{{"service.devices", s.openDevices, true}}
}

// openDevices asks for a senior's PIN (a cashier), then lists the devices.
func (s *TillScreen) openDevices() {
	s.gate.guarded(staff.ActDeviceSettings, staff.Context{Detail: s.l.T("dev.title")}, s.showDevices)
}

// showDevices lists the devices with their ports and links; a digit opens one.
func (s *TillScreen) showDevices() {
	infos := s.d.Devices.Devices()
	box := container.NewVBox()
	emulated := false
	for i, d := range infos {
		emulated = emulated || d.Emulated
		d := d
		b := widget.NewButton(fmt.Sprintf("%d  %s", i+1, s.deviceLine(d)), func() { s.editDevice(d) })
		b.Alignment = widget.ButtonAlignLeading
		box.Add(b)
	}
	if emulated {
		box.Add(wrapped(s.l.T("dev.demo")))
	}
	box.Add(wrapped(s.l.T("dev.list.hint")))
	box.Add(widget.NewButton(s.l.T("btn.close"), s.closeModal))
	content, focus := withKeyCatcher(box, func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			s.closeModal()
			return
		}
		if n := int(ev.Name[0] - '0'); len(ev.Name) == 1 && n >= 1 && n <= len(infos) {
			d := infos[n-1]
			afterKey(func() { s.editDevice(d) })
		}
	})
	s.showModal(s.l.T("dev.title"), content, focus, nil, nil)
}

// deviceLine is a device's row: name, port and speed, link.
func (s *TillScreen) deviceLine(d DeviceInfo) string {
	line := s.l.T("dev."+d.Kind) + " — " + s.portText(d.DevicePort, d.Kind == DeviceScanner)
	if d.Emulated || d.Port != "" { // no port: the port text already says so, and there is no link to show
		line += " — " + s.linkText(d)
	}
	return line
}

func (s *TillScreen) portText(p DevicePort, scanner bool) string {
	switch {
	case p.Port == "" && scanner:
		return s.l.T("dev.port.wedge")
	case p.Port == "":
		return s.l.T("dev.port.none")
	case p.Port == EmulatorPort:
		return s.l.T("dev.port.emulator")
	case p.Baud > 0:
		return s.l.T("dev.port.baud", p.Port, p.Baud)
	}
	return p.Port
}

func (s *TillScreen) linkText(d DeviceInfo) string {
	switch {
	case d.Emulated:
		return s.l.T("dev.link.emulated")
	case d.Link == LinkOnline:
		return s.l.T("dev.link.online")
	case d.Link == LinkOffline:
		return s.l.T("dev.link.offline")
	case d.Port == "":
		return s.l.T("dev.link.none")
	}
	return s.l.T("dev.link.closed")
}

// editDevice is one device's port and speed: ↑/↓ speed, F5 check, Enter save, Esc back to the list.
func (s *TillScreen) editDevice(d DeviceInfo) {
	port := NewPosEntry(nil)
	port.SetText(d.Port)
	port.SetPlaceHolder("/dev/ttyUSB0")
	bauds := d.Bauds
	if len(bauds) == 0 {
		bauds = []int{d.Baud}
	}
	baud := d.Baud
	if !slices.Contains(bauds, baud) {
		baud = bauds[0]
	}
	speed := widget.NewLabel("")
	showSpeed := func() {
		if len(bauds) == 1 {
			speed.SetText(s.l.T("dev.speed.fixed", baud))
			return
		}
		speed.SetText(s.l.T("dev.speed", baud))
	}
	showSpeed()
	result := wrapped("")
	current := func() DevicePort {
		return DevicePort{Kind: d.Kind, Port: strings.TrimSpace(port.Text), Baud: baud}
	}
	step := func(by int) {
		i := slices.Index(bauds, baud) + by
		if i >= 0 && i < len(bauds) {
			baud = bauds[i]
			showSpeed()
		}
	}
	check := func() { s.checkDevice(current(), result) }
	save := func() { s.saveDevice(d.DevicePort, current(), result) }
	back := func() { s.showDevices() }
	port.Router = keyFunc{key: func(ev *fyne.KeyEvent) bool {
		switch {
		case isEnter(ev):
			save()
		case ev.Name == fyne.KeyEscape:
			back()
		case ev.Name == fyne.KeyF5:
			check()
		case ev.Name == fyne.KeyUp:
			step(1)
		case ev.Name == fyne.KeyDown:
			step(-1)
		default:
			return false
		}
		return true
	}}
	body := container.NewVBox(
		widget.NewLabelWithStyle(s.l.T("dev."+d.Kind)+" — "+s.linkText(d), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		wrapped(s.l.T("dev.port.help")), port, speed, result)
	if d.Emulated {
		body.Add(wrapped(s.l.T("dev.demo")))
	}
	body.Add(wrapped(s.l.T("dev.keys")))
	body.Add(buttonRow(widget.NewButton(s.l.T("dev.check"), check), widget.NewButton(s.l.T("dev.save"), save),
		widget.NewButton(s.l.T("btn.back"), back)))
	s.showModal(s.l.T("dev.edit.title", s.l.T("dev."+d.Kind)), body, port, nil, nil)
}

// checkDevice asks the device off the UI goroutine and shows the answer under the fields.
func (s *TillScreen) checkDevice(p DevicePort, result *widget.Label) {
	if err := validPort(p.Port); err != nil {
		result.SetText(s.deviceFailure(err))
		return
	}
	result.SetText(s.l.T("dev.checking", s.portText(p, p.Kind == DeviceScanner)))
	s.jobs.Add(1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), checkWait)
		err := s.d.Devices.CheckDevice(ctx, p)
		cancel()
		fyne.Do(func() {
			defer s.jobs.Add(-1)
			switch {
			case err == nil:
				result.SetText(s.l.T("dev.check.ok"))
			case errors.Is(err, ErrDeviceOneWay):
				result.SetText(s.l.T("dev.check.oneway"))
			default:
				result.SetText(s.deviceFailure(err))
			}
		})
	}()
}

// saveDevice writes a changed port into the configuration and says when it takes effect.
func (s *TillScreen) saveDevice(was, p DevicePort, result *widget.Label) {
	if err := validPort(p.Port); err != nil {
		result.SetText(s.deviceFailure(err))
		return
	}
	if p == was {
		result.SetText(s.l.T("dev.unchanged"))
		return
	}
	if err := s.d.Devices.SaveDevice(p); err != nil {
		result.SetText(s.deviceFailure(err))
		return
	}
	s.closeModal()
	s.info(s.l.T("dev.saved", s.l.T("dev."+p.Kind), s.portText(p, p.Kind == DeviceScanner)))
	// The entry that opened the settings could not know the change; this one names it and who allowed it.
	if err := s.gate.done(staff.ActDeviceSettings, staff.ActDeviceSettingsSaved, staff.Context{Detail: deviceChange(was, p)}); err != nil {
		s.showError(err, nil)
	}
}

// deviceChange is a saved change for the audit log: "device=kkt from=/dev/ttyACM0@115200 to=/dev/ttyKKT@57600"
// (a port of "none" is no device).
func deviceChange(was, p DevicePort) string {
	at := func(d DevicePort) string {
		if d.Port == "" {
			return "none"
		}
		return fmt.Sprintf("%s@%d", d.Port, d.Baud)
	}
	return fmt.Sprintf("device=%s from=%s to=%s", p.Kind, at(was), at(p))
}

// deviceFailure is an error in one line of cause and one of what to do.
func (s *TillScreen) deviceFailure(err error) string {
	m := Explain(s.l, err)
	return "✗ " + strings.TrimSpace(m.Text+" "+m.Action)
}

// validPort accepts no device (""), the emulator or an absolute device path.
func validPort(p string) error {
	if p == "" || p == EmulatorPort {
		return nil
	}
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, " \t\"\\") || strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 }) {
		return fmt.Errorf("%w: %q", ErrBadPort, p)
	}
	return nil
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}
