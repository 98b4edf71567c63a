// Command kktemu emulates the till's devices, each on its own pseudo-terminal: the Shtrih-M fiscal register,
// an ESC/POS receipt printer, a serial barcode scanner, a «Протокол 100» scale and a customer pole display.
// It prints one "name: /dev/pts/N" line per device on stdout (kkt, printer, scanner, scale, display, in
// that order), serves them until SIGINT/SIGTERM and logs to stderr, the KKT paper tape included.
//
// Lines typed on stdin are scanned as barcodes; "<GS>" in a line stands for the 0x1D group separator of
// marking codes. Run it with stdin from /dev/null when nothing should be scanned. A line starting with "!"
// commands the KKT instead: "!paper off", "!paper on", or a fault as --fault takes it ("!paper-out line=5").
//
// --baud paces the KKT's line as a real port at that speed would; --fault (repeatable) and --faults (a
// script, one fault a line) inject faults, in the syntax of package hardware/kkt/emulator: paper-out,
// nak, bad-lrc, drop-answer, power-loss, byte-delay, shift-expire, fn-warnings, reject-mark.
//
//	kktemu [--state FILE] [--fn SERIAL] [--printer-out FILE] [--weight GRAMS]
//	       [--devices kkt,printer,scanner,scale,display] [--baud N] [--fault SPEC]… [--faults FILE]
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Started with & from a shell, reading the terminal would stop the process; ignored, the read fails
	// instead and only the stdin scanner gives up.
	signal.Ignore(syscall.SIGTTIN)
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "kktemu:", err)
		os.Exit(1)
	}
}

// deviceNames is every device, in the order their lines are printed.
var deviceNames = []string{"kkt", "printer", "scanner", "scale", "display"}

// options are the parsed flags and the streams the devices use.
type options struct {
	state, fn  string
	printerOut string
	weight     int64
	baud       int
	faults     []emulator.Fault
	stdin      io.Reader // barcodes, a line each; nil for none
	stderr     io.Writer
	log        *slog.Logger
	console    *console // stdin's reader; the devices register with it
}

// device is one emulator ready to serve a pseudo-terminal master.
type device struct {
	name  string
	serve func(ctx context.Context, master *os.File) error
	close func() error
}

// run serves the selected emulators until ctx is done. stdin may be nil.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("kktemu", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := options{stdin: stdin, stderr: stderr}
	fs.StringVar(&o.state, "state", "", "JSON file keeping the KKT state across restarts")
	fs.StringVar(&o.fn, "fn", emulator.DefaultFNSerial, "16-digit FN serial number")
	fs.StringVar(&o.printerOut, "printer-out", "", "file the printer appends the raw bytes it gets to (default: log the printed text)")
	fs.Int64Var(&o.weight, "weight", 734, "stable weight on the scale, grams")
	list := fs.String("devices", strings.Join(deviceNames, ","), "comma-separated devices to emulate")
	fs.IntVar(&o.baud, "baud", 0, "pace the KKT's line as a real port at this speed (0: no pacing)")
	var faults faultFlags
	fs.Var(&faults, "fault", "inject a KKT fault, e.g. \"power-loss cmd=FF45 down=2s\" (repeatable)")
	script := fs.String("faults", "", "file of KKT faults, one a line (# comments)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.baud < 0 {
		return fmt.Errorf("--baud %d is negative", o.baud)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *script != "" {
		var err error
		if o.faults, err = readFaults(*script); err != nil {
			return err
		}
	}
	o.faults = append(o.faults, faults...) // the script first, then the flags, as given
	names, err := parseDevices(*list)
	if err != nil {
		return err
	}
	o.log = slog.New(slog.NewTextHandler(stderr, nil))
	o.console = &console{log: o.log}

	var devs []device
	defer func() {
		for _, d := range devs {
			if d.close != nil {
				if err := d.close(); err != nil {
					o.log.Warn("closing device", "device", d.name, "err", err)
				}
			}
		}
	}()
	for _, name := range names {
		d, err := newDevice(name, o)
		if err != nil {
			return err
		}
		devs = append(devs, d)
	}
	if stdin != nil {
		// Not waited for: a read of the process's stdin cannot be interrupted.
		go o.console.feed(ctx, stdin)
	}
	return serveAll(ctx, devs, stdout, o.log)
}

// parseDevices checks the --devices list and puts it in the printing order.
func parseDevices(list string) ([]string, error) {
	want := map[string]bool{}
	for n := range strings.SplitSeq(list, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if !slices.Contains(deviceNames, n) {
			return nil, fmt.Errorf("unknown device %q (known: %s)", n, strings.Join(deviceNames, ", "))
		}
		want[n] = true
	}
	var out []string
	for _, n := range deviceNames {
		if want[n] {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no devices selected")
	}
	return out, nil
}

// serveAll opens a pseudo-terminal per device, announces the paths and serves them all; the first device
// that fails stops the others.
func serveAll(ctx context.Context, devs []device, stdout io.Writer, log *slog.Logger) error {
	var lines bytes.Buffer
	ptys := make([]*serialport.PTY, 0, len(devs))
	defer func() {
		for _, pt := range ptys {
			pt.Close()
		}
	}()
	for _, d := range devs {
		pt, err := serialport.OpenPTY()
		if err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
		ptys = append(ptys, pt)
		fmt.Fprintf(&lines, "%s: %s\n", d.name, pt.Path)
	}
	// One write, so that a reader never sees a partial list.
	if _, err := stdout.Write(lines.Bytes()); err != nil {
		return err
	}
	if f, ok := stdout.(interface{ Sync() error }); ok {
		_ = f.Sync()
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, len(devs))
	for i, d := range devs {
		log.Info("emulator ready", "device", d.name, "port", ptys[i].Path)
		wg.Go(func() {
			if err := d.serve(ctx, ptys[i].Master); err != nil {
				errs[i] = fmt.Errorf("%s: %w", d.name, err)
				cancel()
			}
		})
	}
	wg.Wait()
	log.Info("emulators stopped")
	return errors.Join(errs...)
}
