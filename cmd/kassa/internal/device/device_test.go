package device

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/escpos"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

// run runs one `kassa device` command on the emulator whose state lives in dir.
func run(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := Run(context.Background(), append([]string{"--data", dir}, args...), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestServiceSession(t *testing.T) {
	dir := t.TempDir()
	for _, step := range []struct {
		args []string
		want string // in the output, or in the error
		fail bool
	}{
		{[]string{"status"}, "смена закрыта", false},
		{[]string{"last-doc"}, "В ФН нет документов", false},
		{[]string{"test-receipt", "Хлеб:55,00:1:10"}, "code 0x73 (", true}, // the device refuses with its reason
		{[]string{"open-shift"}, "Смена открыта", false},
		{[]string{"fn"}, "смена открыта, последний ФД 1", false},
		{[]string{"cash-in", "5000"}, "Внесено 5 000,00 ₽", false},
		{[]string{"test-receipt", "--cash", "500", "Хлеб Бородинский:55,00:2:10", "Яблоки:149,90:0,734:10", "Мыло:89,90:1"},
			"итог 309,93 ₽, сдача 190,07 ₽, ФД 2", false},
		{[]string{"last-doc"}, "QR: t=", false},
		{[]string{"cash-out", "100000"}, "0x46", true}, // more than the drawer holds
		{[]string{"x-report"}, "X-отчёт напечатан", false},
		{[]string{"z-report"}, "смена закрыта", false},
		{[]string{"status"}, "смена закрыта", false},
	} {
		out, err := run(t, dir, step.args...)
		got := out
		if err != nil {
			got += err.Error()
		}
		if (err != nil) != step.fail || !strings.Contains(got, step.want) {
			t.Fatalf("kassa device %s:\n%s\nerr %v; want %q (fail %v)", strings.Join(step.args, " "), out, err, step.want, step.fail)
		}
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{}, {"nonsense"}, {"status", "extra"}, {"cash-in"}, {"cash-in", "abc"}, {"test-receipt"},
		{"test-receipt", "no-price"}, {"test-receipt", "Хлеб:55:1:18"},
	} {
		if _, err := run(t, t.TempDir(), args...); !errors.Is(err, ErrUsage) {
			t.Errorf("kassa device %v = %v, want ErrUsage", args, err)
		}
	}
}

func TestTestSlip(t *testing.T) {
	pt, err := serialport.OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	defer pt.Close()
	emu := escpos.NewEmulator(escpos.EmulatorConfig{Paper: escpos.Paper{Present: true}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go emu.Serve(ctx, pt.Master)
	out, err := run(t, t.TempDir(), "test-slip", "--printer", pt.Path)
	if err != nil || !strings.Contains(out, "Тестовый слип напечатан") {
		t.Fatalf("test-slip: %v\n%s", err, out)
	}
	// The bytes are written; the emulator reads them from the line at its own pace.
	var doc escpos.Decoded
	for deadline := time.Now().Add(10 * time.Second); doc.Count(escpos.KindCut) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the printer got no complete slip:\n%s", doc)
		}
		doc, _ = escpos.Decode(emu.Received())
	}
	if len(doc.Lines()) == 0 {
		t.Errorf("the slip has no text:\n%s", doc)
	}
	emu.SetPaper(escpos.Paper{})
	if _, err := run(t, t.TempDir(), "test-slip", "--printer", pt.Path); !errors.Is(err, escpos.ErrPaperOut) {
		t.Errorf("paper out: %v", err)
	}
}
