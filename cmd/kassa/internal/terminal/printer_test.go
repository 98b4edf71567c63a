package terminal

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/hardware/escpos"
	"github.com/kassa-pos/kassa/pos"
)

func TestPrinterOptionsProfile(t *testing.T) {
	tests := []struct {
		name string
		o    PrinterOptions
		want escpos.Profile // Name is not compared
		err  string
	}{
		{"defaults: a 58 mm clone", PrinterOptions{},
			escpos.Profile{CodePage: 17, WidthDots: 384, Columns: 32, CancelKanji: true}, ""},
		{"Epson 80 mm, native QR", PrinterOptions{CodePage: 17, Width: 48, QR: "native"},
			escpos.Profile{CodePage: 17, WidthDots: 576, Columns: 48, NativeQR: true}, ""},
		{"Rongta", PrinterOptions{CodePage: 7, Width: 48, QR: "raster"},
			escpos.Profile{CodePage: 7, WidthDots: 576, Columns: 48}, ""},
		{"80 mm at 180 dpi", PrinterOptions{Width: 42},
			escpos.Profile{CodePage: 17, WidthDots: 512, Columns: 42}, ""},
		{"odd width", PrinterOptions{Width: 40}, escpos.Profile{}, "width 40"},
		{"code page out of range", PrinterOptions{CodePage: 300}, escpos.Profile{}, "codepage 300"},
		{"unknown qr", PrinterOptions{QR: "bitmap"}, escpos.Profile{}, `qr "bitmap"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.o.Profile()
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Profile = %+v, %v; want an error saying %q", got, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.Name = ""
			if got != tt.want {
				t.Errorf("Profile = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// closeDemoShift runs a demo shift: two loaves sold, the Z report, and returns the shift's number.
func closeDemoShift(t *testing.T, term *Terminal) int {
	t.Helper()
	ctx := context.Background()
	if _, err := term.Till.Recover(ctx); err != nil {
		t.Fatalf("Recover: %v", err)
	}
	if err := term.Till.OpenShift(ctx, "Иванова А."); err != nil {
		t.Fatalf("OpenShift: %v", err)
	}
	sellBread(t, term)
	sellBread(t, term)
	sh, _ := term.Till.Shift()
	if err := term.Till.CloseShift(ctx); err != nil {
		t.Fatalf("CloseShift: %v", err)
	}
	return sh.Number
}

// TestShiftSummaryOnTheDemoPrinter: the demo's emulated printer prints the summary after the Z report into
// printer.txt and onto the tape beside the cart; without paper the slip fails as pos.ErrPaperOut and
// nothing is printed.
func TestShiftSummaryOnTheDemoPrinter(t *testing.T) {
	dir := t.TempDir()
	o := demoOptions(dir)
	o.Printer = PrinterOptions{Port: "emulator", Shop: "Продукты у дома"}
	term, err := Open(context.Background(), o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer term.Close()
	if term.Slips == nil || term.Printer.Emulator == nil || term.Tape == nil {
		t.Fatal("the demo has no emulated printer or tape")
	}
	shift := closeDemoShift(t, term)
	ctx := context.Background()

	term.Printer.Emulator.SetPaper(escpos.Paper{})
	if err := term.Slips.PrintShiftSummary(ctx, shift); !errors.Is(err, pos.ErrPaperOut) {
		t.Fatalf("summary without paper = %v, want pos.ErrPaperOut", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "printer.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a slip reached printer.txt without paper (%v)", err)
	}

	term.Printer.Emulator.SetPaper(escpos.Paper{Present: true})
	if err := term.Slips.PrintShiftSummary(ctx, shift); err != nil {
		t.Fatalf("PrintShiftSummary: %v", err)
	}
	var out []byte
	waitFor(t, "the emulated printer to file the slip", func() (bool, error) {
		out, err = os.ReadFile(filepath.Join(dir, "printer.txt"))
		return err == nil && strings.Contains(string(out), "✂"), nil
	})
	for _, want := range []string{"Сводка смены № 1", "Продукты у дома", "till-1", "Иванова А.", "Продажи (2)",
		"Возвраты (0)", "Сверка с ККТ, ФД", "приход ККТ (2)", "расхождений нет", "Не является фискальным", "✂"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("printer.txt does not hold %q:\n%s", want, out)
		}
	}
	if !strings.Contains(term.Tape.Tape(), "Сводка смены № 1") || !strings.Contains(term.Tape.Tape(), "ЗАКРЫТИИ СМЕНЫ") {
		t.Errorf("the demo tape lacks the Z report or the summary:\n%s", term.Tape.Tape())
	}
}

// TestShiftSummaryOnASerialPrinter: a serial printer behind a udev-style link prints the summary, fails as
// offline with its cable out, and prints again once it is back, all on one Terminal.
func TestShiftSummaryOnASerialPrinter(t *testing.T) {
	emu := escpos.NewEmulator(escpos.EmulatorConfig{Paper: escpos.Paper{Present: true}})
	cable := newTTYCable(t, "ttyPRN", emu.Serve)
	cable.plug()
	o := demoOptions(t.TempDir())
	o.Printer = PrinterOptions{Port: cable.link, Width: 48, CodePage: 7}
	term, err := Open(context.Background(), o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer term.Close()
	shift := closeDemoShift(t, term)
	ctx := context.Background()

	// printed waits for the printer to have read a whole slip off the line, then unplugs it and returns
	// the slip's lines.
	printed := func() []string {
		t.Helper()
		var dec escpos.Decoded
		waitFor(t, "the printer to read the whole slip", func() (bool, error) {
			var err error
			dec, err = escpos.Decode(emu.Received())
			return err == nil && dec.Count(escpos.KindCut) > 0, nil
		})
		if err := cable.pull(); err != nil {
			t.Fatal(err)
		}
		return dec.Lines()
	}
	if err := term.Slips.PrintShiftSummary(ctx, shift); err != nil {
		t.Fatalf("PrintShiftSummary: %v", err)
	}
	lines := printed()
	if len(lines) == 0 || lines[0] != "Сводка смены № 1" {
		t.Fatalf("printed %q, want the summary's title first", lines)
	}
	for _, l := range lines {
		if n := len([]rune(l)); n > 48 {
			t.Errorf("line %q is %d characters on a 48-column printer", l, n)
		}
	}

	var off *PrinterOfflineError
	if err := term.Slips.PrintShiftSummary(ctx, shift); !errors.As(err, &off) || !off.PrinterOffline() {
		t.Fatalf("summary with the cable out = %v, want a *PrinterOfflineError", err)
	}
	emu.Reset()
	cable.plug()
	waitOnline(t, term.Printer.Port)
	if err := term.Slips.PrintShiftSummary(ctx, shift); err != nil {
		t.Fatalf("summary after the cable is back: %v", err)
	}
	if lines := printed(); len(lines) == 0 || lines[0] != "Сводка смены № 1" {
		t.Errorf("after the reconnect the printer got %q", lines)
	}
}
