package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/cmd/kassa/internal/terminal"
	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/scale"
	"github.com/kassa-pos/kassa/hardware/serialport"
	"github.com/kassa-pos/kassa/pos/ui"
)

// fakeTerm is a running terminal with an emulated ККТ, a real printer whose port is down, and a scale.
type fakeTerm struct {
	links map[string]terminal.DeviceLink
	live  map[string]error
	asked []string
}

func (f *fakeTerm) DeviceLink(kind string) terminal.DeviceLink { return f.links[kind] }
func (f *fakeTerm) CheckLive(_ context.Context, kind string) error {
	f.asked = append(f.asked, "live "+kind)
	return f.live[kind]
}

const settingsFile = `# till 3 at the front
terminal = "till-3"

[kkt]
port = "emulator" # demo
baud = 115200
password = 30

[printer]
port = "/dev/ttyUSB1"
width = 48 # 80 mm

[scale]
port = "/dev/ttyS0"
`

func newTestSettings(t *testing.T) (*deviceSettings, *fakeTerm, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kassa.toml")
	if err := os.WriteFile(path, []byte(settingsFile), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	ft := &fakeTerm{
		links: map[string]terminal.DeviceLink{
			ui.DeviceKKT:     {Open: true, Emulated: true, Online: true},
			ui.DevicePrinter: {Open: true, Online: false},
			ui.DeviceScale:   {Open: true, Online: true},
		},
		live: map[string]error{},
	}
	return &deviceSettings{started: cfg, term: ft, check: func(_ context.Context, kind, path string, baud int, _ uint32) error {
		ft.asked = append(ft.asked, fmt.Sprintf("port %s %s %d", kind, path, baud))
		return ft.live["port "+path]
	}}, ft, path
}

// TestDeviceSettingsRewritesTheConfig: each device's save lands in its own section of kassa.toml, the
// comments and other settings stay, the file still loads, and the list shows the saved ports.
func TestDeviceSettingsRewritesTheConfig(t *testing.T) {
	d, _, path := newTestSettings(t)
	saves := []ui.DevicePort{
		{Kind: ui.DeviceKKT, Port: "/dev/ttyACM0", Baud: 57600},
		{Kind: ui.DevicePrinter, Port: "/dev/usb/lp0", Baud: 19200},
		{Kind: ui.DeviceScanner, Port: "/dev/ttyACM1", Baud: 9600},
		{Kind: ui.DeviceDisplay, Port: "/dev/ttyUSB2", Baud: 9600},
		{Kind: ui.DeviceScale, Port: "", Baud: 9600},
	}
	for _, p := range saves {
		if err := d.SaveDevice(p); err != nil {
			t.Fatalf("save %+v: %v", p, err)
		}
	}
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.KKT.Port != "/dev/ttyACM0" || cfg.KKT.Baud != 57600 || cfg.KKT.Password != 30 ||
		cfg.Printer.Port != "/dev/usb/lp0" || cfg.Printer.Baud != 19200 || cfg.Printer.Width != 48 ||
		cfg.Kiosk.ScannerPort != "/dev/ttyACM1" || cfg.Display.Port != "/dev/ttyUSB2" || cfg.Scale.Port != "" ||
		cfg.Terminal != "till-3" {
		t.Errorf("reloaded %+v", cfg)
	}
	b, _ := os.ReadFile(path)
	for _, keep := range []string{"# till 3 at the front\n", `port = "/dev/ttyACM0" # demo`, "width = 48 # 80 mm"} {
		if !strings.Contains(string(b), keep) {
			t.Errorf("lost %q:\n%s", keep, b)
		}
	}
	got := d.Devices()
	if len(got) != 5 || got[0].Port != "/dev/ttyACM0" || got[0].Emulated || got[0].Link != ui.LinkNone {
		t.Errorf("list after saving %+v", got)
	}
}

// TestDeviceSettingsList: the running ports with their links; the demo's emulated ККТ is marked.
func TestDeviceSettingsList(t *testing.T) {
	d, _, _ := newTestSettings(t)
	got := d.Devices()
	want := []ui.DeviceInfo{
		{DevicePort: ui.DevicePort{Kind: ui.DeviceKKT, Port: "emulator", Baud: 115200}, Bauds: kktBauds, Emulated: true, Link: ui.LinkOnline},
		{DevicePort: ui.DevicePort{Kind: ui.DevicePrinter, Port: "/dev/ttyUSB1", Baud: 9600}, Bauds: serialBauds, Link: ui.LinkOffline},
		{DevicePort: ui.DevicePort{Kind: ui.DeviceScanner, Baud: 9600}, Bauds: serialBauds},
		{DevicePort: ui.DevicePort{Kind: ui.DeviceScale, Port: "/dev/ttyS0", Baud: 9600}, Bauds: fixedBaud, Link: ui.LinkOnline},
		{DevicePort: ui.DevicePort{Kind: ui.DeviceDisplay, Baud: 9600}, Bauds: fixedBaud},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// TestDeviceSettingsCheck: the running port is asked through the terminal's driver, another port is
// opened for the check, and each failure reaches the screen as one of its errors.
func TestDeviceSettingsCheck(t *testing.T) {
	tests := []struct {
		name  string
		p     ui.DevicePort
		fail  map[string]error
		want  error // nil: success
		asked string
	}{
		{"emulated ККТ live", ui.DevicePort{Kind: ui.DeviceKKT, Port: "emulator", Baud: 115200}, nil, nil, "live kkt"},
		{"printer down", ui.DevicePort{Kind: ui.DevicePrinter, Port: "/dev/ttyUSB1", Baud: 9600},
			map[string]error{"printer": serialport.ErrOffline}, ui.ErrDeviceNoAnswer, "live printer"},
		{"printer other speed", ui.DevicePort{Kind: ui.DevicePrinter, Port: "/dev/ttyUSB1", Baud: 19200}, nil, ui.ErrDevicePortInUse, ""},
		{"new ККТ port answers with an error code", ui.DevicePort{Kind: ui.DeviceKKT, Port: "/dev/ttyACM0", Baud: 57600},
			map[string]error{"port /dev/ttyACM0": &kkt.DeviceError{Code: 0x50}}, nil, "port kkt /dev/ttyACM0 57600"},
		{"new port silent", ui.DevicePort{Kind: ui.DeviceScale, Port: "/dev/ttyS9", Baud: 9600},
			map[string]error{"port /dev/ttyS9": scale.ErrNoAnswer}, ui.ErrDeviceNoAnswer, "port scale /dev/ttyS9 9600"},
		{"missing port", ui.DevicePort{Kind: ui.DeviceKKT, Port: "/dev/ttyNone", Baud: 9600},
			map[string]error{"port /dev/ttyNone": serialport.ErrDisconnected}, ui.ErrDevicePortMissing, "port kkt /dev/ttyNone 9600"},
		{"busy port", ui.DevicePort{Kind: ui.DeviceKKT, Port: "/dev/ttyBusy", Baud: 9600},
			map[string]error{"port /dev/ttyBusy": serialport.ErrBusy}, ui.ErrDevicePortBusy, "port kkt /dev/ttyBusy 9600"},
		{"no permission", ui.DevicePort{Kind: ui.DeviceKKT, Port: "/dev/ttyS1", Baud: 9600},
			map[string]error{"port /dev/ttyS1": os.ErrPermission}, ui.ErrDevicePermission, "port kkt /dev/ttyS1 9600"},
		{"display opens only", ui.DevicePort{Kind: ui.DeviceDisplay, Port: "/dev/ttyUSB2", Baud: 9600},
			map[string]error{"port /dev/ttyUSB2": terminal.ErrNotListening}, ui.ErrDeviceOneWay, "port display /dev/ttyUSB2 9600"},
		{"no port", ui.DevicePort{Kind: ui.DeviceDisplay}, nil, ui.ErrDeviceNone, ""},
		{"emulator not running", ui.DevicePort{Kind: ui.DeviceScale, Port: "emulator", Baud: 9600}, nil, ui.ErrDeviceNotWired, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ft, _ := newTestSettings(t)
			for k, v := range tt.fail {
				ft.live[k] = v
			}
			err := d.CheckDevice(context.Background(), tt.p)
			if (tt.want == nil && err != nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
			if got := strings.Join(ft.asked, ","); got != tt.asked {
				t.Errorf("asked %q, want %q", got, tt.asked)
			}
		})
	}
}

// TestDeviceSettingsWithoutFile: a terminal started without --config says so instead of writing.
func TestDeviceSettingsWithoutFile(t *testing.T) {
	d := &deviceSettings{started: defaultConfig(), term: &fakeTerm{}}
	if err := d.SaveDevice(ui.DevicePort{Kind: ui.DeviceKKT, Port: "/dev/ttyACM0", Baud: 9600}); !errors.Is(err, ui.ErrNoConfigFile) {
		t.Errorf("got %v", err)
	}
}
