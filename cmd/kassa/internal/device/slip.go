package device

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/hardware/escpos"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

// testSlip prints the printer's test slip (code page, sizes, a QR) on a receipt printer: a serial port,
// or a device file such as /dev/usb/lp0, which can be written but not asked for its paper.
func testSlip(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("test-slip", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	port := fs.String("printer", "", "printer port: /dev/ttyUSB0 or /dev/usb/lp0")
	profile := fs.String("profile", escpos.Clone58.Name, "printer model profile")
	baud := fs.Int("printer-baud", 9600, "baud rate of a serial printer")
	if err := fs.Parse(args); err != nil || *port == "" || fs.NArg() != 0 {
		return fmt.Errorf("%w: test-slip --printer PORT [--profile NAME]", ErrUsage)
	}
	p, ok := escpos.ProfileByName(*profile)
	if !ok {
		var names []string
		for _, p := range escpos.Profiles() {
			names = append(names, p.Name)
		}
		return fmt.Errorf("%w: unknown printer profile %q (known: %s)", ErrUsage, *profile, strings.Join(names, ", "))
	}
	var rw io.ReadWriteCloser
	var err error
	if strings.HasPrefix(*port, "/dev/usb/lp") || strings.HasPrefix(*port, "/dev/lp") {
		rw, err = escpos.OpenDevice(*port)
	} else {
		rw, err = serialport.Open(serialport.Config{Path: *port, Baud: *baud})
	}
	if err != nil {
		return err
	}
	defer rw.Close()
	if err := escpos.NewPrinter(rw, p).Print(ctx, escpos.TestSlip(p, time.Now())); err != nil {
		if errors.Is(err, escpos.ErrPaperOut) {
			return fmt.Errorf("%w (в принтере нет бумаги)", err)
		}
		return err
	}
	fmt.Fprintf(out, "Тестовый слип напечатан (%s)\n", p.Name)
	return nil
}
