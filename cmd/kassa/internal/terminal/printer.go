package terminal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/kassa-pos/kassa/hardware/escpos"
	"github.com/kassa-pos/kassa/hardware/serialport"
	"github.com/kassa-pos/kassa/pos"
)

// PrinterOptions is the ESC/POS receipt printer for non-fiscal slips ([printer] in the config).
type PrinterOptions struct {
	// Port is "" for no printer, "emulator" for the demo's in-process one, a serial device (/dev/ttyUSB1,
	// a udev link such as /dev/ttyPRN) or a printer device file (/dev/usb/lp0: written, never read, so the
	// paper cannot be checked before a slip).
	Port string
	// Baud of a serial printer; 9600 when zero (what most 58 mm clones ship with).
	Baud int
	// CodePage is the model's ESC t number for CP866: 17 on Epson and most 58 mm clones, 7 on Rongta.
	// 17 when zero.
	CodePage int
	// Width is characters per line: 32 (58 mm), 42 (80 mm at 180 dpi) or 48 (80 mm at 203 dpi); 32 when zero.
	Width int
	// QR is "raster" (default: an image every model prints) or "native" (GS ( k, drawn by the firmware).
	QR string
	// Shop is the store's name at the top of slips.
	Shop string
}

// widthDots is the printable width in dots of each line width.
var widthDots = map[int]int{32: 384, 42: 512, 48: 576}

// Profile is the escpos profile the options describe.
func (o PrinterOptions) Profile() (escpos.Profile, error) {
	if o.Width == 0 {
		o.Width = 32
	}
	if o.CodePage == 0 {
		o.CodePage = 17
	}
	dots, ok := widthDots[o.Width]
	if !ok {
		return escpos.Profile{}, fmt.Errorf("printer width %d is not 32, 42 or 48 characters", o.Width)
	}
	if o.CodePage < 0 || o.CodePage > 255 {
		return escpos.Profile{}, fmt.Errorf("printer codepage %d is not an ESC t number (0–255)", o.CodePage)
	}
	p := escpos.Profile{Name: fmt.Sprintf("%d колонок, ESC t %d", o.Width, o.CodePage), CodePage: byte(o.CodePage),
		WidthDots: dots, Columns: o.Width,
		// 58 mm clones may wake up in Kanji mode and would pair Cyrillic bytes into one glyph.
		CancelKanji: o.Width == 32}
	switch o.QR {
	case "", "raster":
	case "native":
		p.NativeQR = true
	default:
		return escpos.Profile{}, fmt.Errorf("printer qr %q is neither raster nor native", o.QR)
	}
	return p, nil
}

// PrinterOfflineError is a slip that did not print because the printer cannot be reached: its cable is
// out, it is off, or it does not answer. The till's screen asks PrinterOffline to say so.
type PrinterOfflineError struct{ Err error }

func (e *PrinterOfflineError) Error() string {
	return "receipt printer not responding: " + e.Err.Error()
}
func (e *PrinterOfflineError) Unwrap() error { return e.Err }

// PrinterOffline reports that the printer could not be reached.
func (e *PrinterOfflineError) PrinterOffline() bool { return true }

// Printer is the receipt printer as wired. Its methods are safe for concurrent use.
type Printer struct {
	mu sync.Mutex // escpos.Printer is not
	pr *escpos.Printer
	// Emulator is the demo's printer; nil with a real one.
	Emulator *escpos.Emulator
	// Port is the real printer's port, reopened after a re-plug; nil with the emulator.
	Port  *serialport.Reconnecting
	close func() error
}

// OpenPrinter opens the printer the options name; the emulator appends each slip it prints, as text, to
// printer.txt in the data folder and passes its lines to onLine (the demo's tape) when that is set.
func OpenPrinter(ctx context.Context, o PrinterOptions, data string, log *slog.Logger, onLine func(string)) (*Printer, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	prof, err := o.Profile()
	if err != nil {
		return nil, err
	}
	if o.Port == "emulator" {
		out := &slipLog{path: filepath.Join(data, "printer.txt"), log: log, onLine: onLine}
		emu := escpos.NewEmulator(escpos.EmulatorConfig{Paper: escpos.Paper{Present: true}, Out: out, Logger: log})
		host, dev := net.Pipe()
		ectx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		done := make(chan struct{})
		go func() {
			defer close(done)
			if err := emu.Serve(ectx, dev); err != nil {
				log.Error("printer emulator stopped", "err", err)
			}
		}()
		return &Printer{pr: escpos.NewPrinter(host, prof), Emulator: emu, close: func() error {
			cancel()
			err := errors.Join(host.Close(), dev.Close())
			<-done
			return err
		}}, nil
	}
	var port *serialport.Reconnecting
	if printerDeviceFile(o.Port) {
		port = serialport.NewReconnecting(o.Port, func() (io.ReadWriteCloser, error) {
			d, err := escpos.OpenDevice(o.Port)
			if err != nil {
				return nil, err
			}
			return d, nil
		}, serialport.ReconnectConfig{OnState: func(online bool, err error) {
			log.Info("printer port", "port", o.Port, "online", online, "err", err)
		}})
	} else {
		baud := o.Baud
		if baud == 0 {
			baud = 9600
		}
		if port, err = openPort(log, "printer", o.Port, baud, nil); err != nil {
			return nil, err
		}
	}
	return &Printer{pr: escpos.NewPrinter(port, prof), Port: port, close: port.Close}, nil
}

// printerDeviceFile tells a printer class device (usblp's /dev/usb/lpN, a parallel /dev/lpN), by its name
// or the name a udev link points at, from a serial port.
func printerDeviceFile(path string) bool {
	lp := func(p string) bool { return strings.HasPrefix(p, "/dev/usb/lp") || strings.HasPrefix(p, "/dev/lp") }
	if lp(path) {
		return true
	}
	target, err := filepath.EvalSymlinks(path)
	return err == nil && lp(target)
}

// Profile is the printer's profile.
func (p *Printer) Profile() escpos.Profile { return p.pr.Profile() }

// Print prints a document. No paper gives an error wrapping pos.ErrPaperOut; a printer that cannot be
// reached a *PrinterOfflineError.
func (p *Printer) Print(ctx context.Context, d *escpos.Document) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	err := p.pr.Print(ctx, d)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, escpos.ErrPaperOut):
		return fmt.Errorf("%w: %w", pos.ErrPaperOut, err)
	case errors.Is(err, escpos.ErrNoAnswer), errors.Is(err, serialport.ErrDisconnected),
		errors.Is(err, os.ErrNotExist), errors.Is(err, os.ErrClosed):
		return &PrinterOfflineError{Err: err}
	}
	return err
}

// Close releases the port (and stops the emulator).
func (p *Printer) Close() error { return p.close() }

// slipLog writes what the emulated printer receives as text: at each cut, the slip's lines are appended
// to a file and handed to onLine. Bytes come in arbitrary pieces, so a slip waits for its cut.
type slipLog struct {
	path    string
	log     *slog.Logger
	onLine  func(string)
	pending []byte
}

// maxSlip bounds what waits for a cut; a stream that never cuts is dropped, not hoarded.
const maxSlip = 1 << 20

func (s *slipLog) Write(b []byte) (int, error) {
	s.pending = append(s.pending, b...)
	dec, err := escpos.Decode(s.pending)
	switch {
	case errors.Is(err, escpos.ErrTruncated):
		return len(b), nil
	case err != nil || len(s.pending) > maxSlip:
		s.log.Warn("printer emulator: undecodable output dropped", "bytes", len(s.pending), "err", err)
		s.pending = nil
		return len(b), nil
	case dec.Count(escpos.KindCut) == 0:
		return len(b), nil
	}
	s.pending = nil
	lines := append(dec.Lines(), fmt.Sprintf("✂ ─ ─ ─ %s ─ ─ ─", time.Now().Format("02.01.2006 15:04")))
	if err := s.appendFile(lines); err != nil {
		s.log.Warn("printer emulator: cannot write the slip to its file", "path", s.path, "err", err)
	}
	if s.onLine != nil {
		for _, l := range lines {
			s.onLine(l)
		}
	}
	return len(b), nil
}

func (s *slipLog) appendFile(lines []string) error {
	f, err := os.OpenFile(s.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(strings.Join(lines, "\n") + "\n")
	return errors.Join(err, f.Close())
}

// openPrinter opens the receipt printer the options name, if any, and the slips printed on it.
func (t *Terminal) openPrinter(ctx context.Context, o Options) error {
	if o.Printer.Port == "" {
		return nil
	}
	var onLine func(string)
	if t.Tape != nil {
		onLine = t.Tape.add
	}
	p, err := OpenPrinter(ctx, o.Printer, o.Data, o.Logger, onLine)
	if err != nil {
		return err
	}
	t.Printer = p
	t.closers = append(t.closers, p.Close)
	t.Slips = &Slips{Store: t.Store, Register: t.Register, Printer: p, Terminal: o.Terminal, Shop: o.Printer.Shop}
	return nil
}
