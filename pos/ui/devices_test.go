package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos/staff"
)

// fakeDevices is DeviceSettings over a list, recording what was checked and saved.
type fakeDevices struct {
	mu      sync.Mutex
	list    []DeviceInfo
	checkFn func(DevicePort) error
	checked []DevicePort
	saved   []DevicePort
	saveErr error
}

func (f *fakeDevices) Devices() []DeviceInfo { return f.list }

func (f *fakeDevices) CheckDevice(_ context.Context, p DevicePort) error {
	f.mu.Lock()
	f.checked = append(f.checked, p)
	f.mu.Unlock()
	return f.checkFn(p)
}

func (f *fakeDevices) SaveDevice(p DevicePort) error {
	if f.saveErr != nil {
		return f.saveErr
	}
	f.saved = append(f.saved, p)
	return nil
}

func newFakeDevices() *fakeDevices {
	return &fakeDevices{
		list: []DeviceInfo{
			{DevicePort: DevicePort{Kind: DeviceKKT, Port: "/dev/ttyACM0", Baud: 115200}, Bauds: []int{9600, 19200, 57600, 115200}, Link: LinkOnline},
			{DevicePort: DevicePort{Kind: DevicePrinter, Port: "/dev/ttyUSB1", Baud: 9600}, Bauds: []int{9600, 19200, 38400}, Link: LinkOffline},
			{DevicePort: DevicePort{Kind: DeviceScanner}, Bauds: []int{9600}},
			{DevicePort: DevicePort{Kind: DeviceScale, Port: EmulatorPort, Baud: 9600}, Bauds: []int{9600}, Emulated: true, Link: LinkOnline},
			{DevicePort: DevicePort{Kind: DeviceDisplay}, Bauds: []int{9600}},
		},
		checkFn: func(DevicePort) error { return nil },
	}
}

// devicesRig is a logged-in till with device settings; openDevices presses F12 and «Настройки оборудования».
func devicesRig(t *testing.T, pin string) (*staffRig, *fakeDevices) {
	t.Helper()
	r := newStaffRig(t)
	dev := newFakeDevices()
	r.screen.d.Devices = dev
	r.login(t, pin)
	return r, dev
}

// devicesMenuKey is the entry's digit: open, close, resolve, status, cash in, cash out, devices, lock.
const devicesMenuKey = fyne.Key7

func (r *staffRig) openDevices(t *testing.T) {
	t.Helper()
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF12})
	r.focusedKey(t, devicesMenuKey)
}

// dialogButtonTexts lists the open dialogs' buttons.
func (r *staffRig) dialogButtonTexts() string {
	return overlayTexts(r.w, func(b *widget.Button) string { return b.Text })
}

// TestDeviceSettingsRefusedWithoutSenior: a cashier's own PIN does not open the settings, and the
// refusal is audited.
func TestDeviceSettingsRefusedWithoutSenior(t *testing.T) {
	r, dev := devicesRig(t, "1111")
	r.openDevices(t)
	if labels := r.dialogLabels(); !strings.Contains(labels, "Действие: "+actionTitle(Russian, staff.ActDeviceSettings)) {
		t.Fatalf("no senior's PIN dialog:\n%s", labels)
	}
	r.typePIN(t, "1111")
	if labels := r.dialogLabels(); !strings.Contains(labels, "Для этой роли действие не разрешено") {
		t.Fatalf("the cashier's own PIN:\n%s", labels)
	}
	if strings.Contains(r.dialogButtonTexts(), "/dev/ttyACM0") {
		t.Fatal("the device list opened without a senior")
	}
	if e := r.lastAudit(t); e.Action != staff.ActDeviceSettings || e.Outcome != staff.OutcomeDenied {
		t.Errorf("audit %+v", e)
	}
	if len(dev.saved) != 0 {
		t.Errorf("saved %v", dev.saved)
	}
}

// TestDeviceSettingsSeniorSaves: a senior's PIN opens the list with ports and links; the ККТ gets a new
// port and speed by keyboard alone, is checked off the UI thread, and is saved with the restart notice.
func TestDeviceSettingsSeniorSaves(t *testing.T) {
	r, dev := devicesRig(t, "1111")
	r.openDevices(t)
	r.typePIN(t, "2222")
	list := r.dialogButtonTexts()
	for _, want := range []string{"1  ККТ — /dev/ttyACM0, 115200 бод — ● на связи", "2  Принтер чеков — /dev/ttyUSB1, 9600 бод — ○ не отвечает",
		"3  Сканер (киоск) — клавиатурный", "4  Весы — эмулятор — ● эмулируется", "5  Дисплей покупателя — не подключено"} {
		if !strings.Contains(list, want) {
			t.Errorf("list lacks %q:\n%s", want, list)
		}
	}
	if !strings.Contains(r.dialogLabels(), "Демо-режим") {
		t.Errorf("an emulated device without the demo note:\n%s", r.dialogLabels())
	}
	if e := r.lastAudit(t); e.Action != staff.ActDeviceSettings || e.Outcome != staff.OutcomeGranted || e.AuthoriserName != "Петрова" {
		t.Errorf("audit %+v", e)
	}
	r.focusedKey(t, fyne.Key1)
	port := r.focusedEntry(t)
	if port.Text != "/dev/ttyACM0" {
		t.Fatalf("port field %q", port.Text)
	}
	port.SetText("")
	test.Type(port, "/dev/ttyKKT")
	port.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown}) // 115200 → 57600
	port.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF5})
	r.waitIdle(t)
	if !strings.Contains(r.dialogLabels(), "Связь есть") {
		t.Errorf("check result:\n%s", r.dialogLabels())
	}
	port.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	want := DevicePort{Kind: DeviceKKT, Port: "/dev/ttyKKT", Baud: 57600}
	if len(dev.checked) != 1 || dev.checked[0] != want || len(dev.saved) != 1 || dev.saved[0] != want {
		t.Fatalf("checked %v, saved %v; want %v", dev.checked, dev.saved, want)
	}
	if msg := r.screen.Message(); !strings.Contains(msg, "Изменения вступят в силу после перезапуска кассы") {
		t.Errorf("message %q", msg)
	}
}

// TestDeviceSettingsFailures: a failed check, a bad port and a refused save each say in Russian what
// happened and what to do, and the editor stays open.
func TestDeviceSettingsFailures(t *testing.T) {
	r, dev := devicesRig(t, "2222") // a senior: no second PIN
	dev.checkFn = func(DevicePort) error { return fmt.Errorf("kkt: short status: %w", ErrDeviceNoAnswer) }
	dev.saveErr = fmt.Errorf("config: %w", ErrNoConfigFile)
	r.openDevices(t)
	r.focusedKey(t, fyne.Key2) // the printer
	port := r.focusedEntry(t)
	tests := []struct {
		name, text string
		key        fyne.KeyName
		want       string
	}{
		{"no answer", "/dev/ttyUSB1", fyne.KeyF5, "✗ Устройство не ответило. Проверьте питание, кабель, порт и скорость"},
		{"bad port", "ttyUSB1", fyne.KeyF5, "✗ Порт указан неверно."},
		{"bad port on save", "COM 3", fyne.KeyReturn, "✗ Порт указан неверно."},
		{"no config file", "/dev/ttyUSB2", fyne.KeyReturn, "✗ Касса запущена без файла настроек"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port.SetText(tt.text)
			port.TypedKey(&fyne.KeyEvent{Name: tt.key})
			r.waitIdle(t)
			if labels := r.dialogLabels(); !strings.Contains(labels, tt.want) {
				t.Errorf("want %q in:\n%s", tt.want, labels)
			}
		})
	}
	if len(dev.checked) != 1 {
		t.Errorf("a bad port reached the device: %v", dev.checked)
	}
	port.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) // back to the list
	if !strings.Contains(r.dialogButtonTexts(), "1  ККТ") {
		t.Errorf("Esc did not go back to the list:\n%s", r.dialogButtonTexts())
	}
}
