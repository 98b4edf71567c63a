package escpos_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/escpos"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

// ptyRig is Printer → serialport (tarm) → pseudo-terminal → Emulator, as with a USB-serial printer.
func ptyRig(t *testing.T, paper escpos.Paper) (*escpos.Emulator, *escpos.Printer) {
	t.Helper()
	pt, err := serialport.OpenPTY()
	if err != nil {
		t.Fatal(err)
	}
	emu := escpos.NewEmulator(escpos.EmulatorConfig{Paper: paper})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := emu.Serve(ctx, pt.Master); err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	port, err := serialport.Open(serialport.Config{Path: pt.Path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		port.Close()
		pt.Close()
	})
	return emu, escpos.NewPrinter(port, escpos.Clone58)
}

func TestPrintOverSerialPort(t *testing.T) {
	ctx := context.Background()
	emu, pr := ptyRig(t, escpos.Paper{Present: true})
	slip := escpos.Slip{
		Title: "Инкассация",
		Lines: []escpos.SlipLine{
			{Left: "Сумма", Right: escpos.Kopecks(1500000)},
			{Left: "Инкассатор Петров Пётр Петрович, сумка № 0042", Right: "подпись"},
		},
		QR: "https://kassa.example/cash/0042",
	}
	doc := escpos.SlipDocument(escpos.Clone58, slip)
	if err := pr.Print(ctx, doc); err != nil {
		t.Fatal(err)
	}
	// The status answer comes after the printer has read the whole slip.
	if p, err := pr.PaperStatus(ctx); err != nil || !p.Present {
		t.Fatalf("PaperStatus = %+v, %v", p, err)
	}
	got, err := escpos.Decode(emu.Received())
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(got.Lines(), "\n")
	for _, want := range []string{"Инкассация", "15 000,00", "Инкассатор Петров Пётр", "подпись"} {
		if !strings.Contains(text, want) {
			t.Errorf("printed text lacks %q:\n%s", want, text)
		}
	}
	if got.Count(escpos.KindImage) != 1 || got.Count(escpos.KindCut) != 1 || got.Count(escpos.KindStatus) != 2 {
		t.Errorf("decoded:\n%v", got)
	}

	emu.SetPaper(escpos.Paper{Present: true, NearEnd: true})
	if p, err := pr.PaperStatus(ctx); err != nil || !p.NearEnd {
		t.Errorf("near end: PaperStatus = %+v, %v", p, err)
	}

	emu.SetPaper(escpos.Paper{})
	if _, err := pr.PaperStatus(ctx); !errors.Is(err, escpos.ErrPaperOut) {
		t.Errorf("PaperStatus err = %v, want ErrPaperOut", err)
	}
	before := len(emu.Received())
	if err := pr.Print(ctx, doc); !errors.Is(err, escpos.ErrPaperOut) {
		t.Errorf("Print err = %v, want ErrPaperOut", err)
	}
	// Only the status request went out: the slip is not lost in the printer's buffer.
	if n := len(emu.Received()) - before; n != 3 {
		t.Errorf("%d bytes sent to a printer without paper", n)
	}
}

// TestRealPrinter prints the test slip on the printer named by KASSA_PRINTER_PORT (a serial port, or a
// device file such as /dev/usb/lp0); KASSA_PRINTER_PROFILE names a profile (escpos.Profiles), Clone58 if unset.
func TestRealPrinter(t *testing.T) {
	path := os.Getenv("KASSA_PRINTER_PORT")
	if path == "" {
		t.Skip("KASSA_PRINTER_PORT is not set")
	}
	prof := escpos.Clone58
	if name := os.Getenv("KASSA_PRINTER_PROFILE"); name != "" {
		p, ok := escpos.ProfileByName(name)
		if !ok {
			t.Fatalf("unknown profile %q", name)
		}
		prof = p
	}
	var pr *escpos.Printer
	if strings.HasPrefix(path, "/dev/usb/lp") || strings.HasPrefix(path, "/dev/lp") {
		dev, err := escpos.OpenDevice(path)
		if err != nil {
			t.Fatal(err)
		}
		defer dev.Close()
		pr = escpos.NewPrinter(dev, prof)
	} else {
		port, err := serialport.Open(serialport.Config{Path: path, Baud: 9600})
		if err != nil {
			t.Fatal(err)
		}
		defer port.Close()
		pr = escpos.NewPrinter(port, prof)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	paper, err := pr.PaperStatus(ctx)
	t.Logf("paper: %+v, %v", paper, err)
	if err != nil && !errors.Is(err, escpos.ErrStatusUnsupported) {
		t.Fatal(err)
	}
	if err := pr.Print(ctx, escpos.TestSlip(prof, time.Now())); err != nil {
		t.Fatal(err)
	}
}
