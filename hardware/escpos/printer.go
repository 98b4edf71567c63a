package escpos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

var (
	// ErrPaperOut: the paper end sensor reports no paper.
	ErrPaperOut = errors.New("escpos: paper out")
	// ErrStatusUnsupported: the port cannot be read (a write-only device file such as /dev/usb/lp0).
	ErrStatusUnsupported = errors.New("escpos: printer status cannot be read on this port")
	// ErrNoAnswer: the printer did not answer a status request in time (off, offline cable, wrong port).
	ErrNoAnswer = errors.New("escpos: printer does not answer")
	// ErrBadStatus: the answer is not a real-time status byte (its fixed bits are wrong).
	ErrBadStatus = errors.New("escpos: malformed status byte")
)

// Paper is the paper sensor state (DLE EOT 4).
type Paper struct {
	Present bool
	// NearEnd: the roll is running out (the near-end sensor, where the model has one).
	NearEnd bool
}

// Status bits of the DLE EOT 4 answer: bits 1 and 4 are always set, 0 and 7 always clear.
const (
	statusFixed    = 0x12
	statusMask     = 0x93
	statusNearEnd  = 0x0C
	statusPaperEnd = 0x60
)

// PaperByte is the DLE EOT 4 answer for the paper state.
func PaperByte(p Paper) byte {
	b := byte(statusFixed)
	if p.NearEnd || !p.Present {
		b |= statusNearEnd
	}
	if !p.Present {
		b |= statusPaperEnd
	}
	return b
}

// ParsePaper reads a DLE EOT 4 answer.
func ParsePaper(b byte) (Paper, error) {
	if b&statusMask != statusFixed {
		return Paper{}, fmt.Errorf("%w: 0x%02X", ErrBadStatus, b)
	}
	return Paper{Present: b&statusPaperEnd == 0, NearEnd: b&statusNearEnd != 0}, nil
}

// readDeadliner is what reading the status needs: serialport.Port and net.Conn have it.
type readDeadliner interface {
	SetReadDeadline(t time.Time) error
}

// inputDiscarder drops stale input (serialport.Port).
type inputDiscarder interface {
	DiscardInput() error
}

// pollStep bounds one blocking read, so that ctx is noticed while waiting.
const pollStep = 50 * time.Millisecond

// writeChunk is how much is written between ctx checks: at 9600 baud, about a quarter of a second.
const writeChunk = 256

// Printer sends documents to one printer. It is not safe for concurrent use.
type Printer struct {
	rw io.ReadWriter
	p  Profile
	// StatusTimeout bounds the wait for a status answer; one second by default.
	StatusTimeout time.Duration
}

// NewPrinter wraps a port: a serialport.Port for a serial or USB-serial printer, a *Device from OpenDevice for
// a USB printer class device, a net.Conn for a network printer (port 9100).
func NewPrinter(rw io.ReadWriter, p Profile) *Printer {
	return &Printer{rw: rw, p: p.normalized(), StatusTimeout: time.Second}
}

// Profile is the printer's profile.
func (pr *Printer) Profile() Profile { return pr.p }

// Print sends the document. Where the port can be read, the paper is checked first, so that a document is
// not lost in the buffer of a printer without paper (ErrPaperOut); on a write-only port it is simply sent.
// ctx is checked between chunks of writeChunk bytes: a cancelled print stops mid-document, and the printer
// needs an ESC @ (Init) before the next one.
func (pr *Printer) Print(ctx context.Context, d *Document) error {
	if err := d.Err(); err != nil {
		return err
	}
	if _, err := pr.PaperStatus(ctx); err != nil && !errors.Is(err, ErrStatusUnsupported) {
		return err
	}
	return pr.write(ctx, d.buf)
}

func (pr *Printer) write(ctx context.Context, b []byte) error {
	for len(b) > 0 {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("escpos: print: %w", err)
		}
		n := min(len(b), writeChunk)
		if _, err := pr.rw.Write(b[:n]); err != nil {
			return fmt.Errorf("escpos: write: %w", err)
		}
		b = b[n:]
	}
	return nil
}

// PaperStatus asks the printer for its paper sensor (DLE EOT 4, answered in real time even while offline).
// No paper gives the state and an error wrapping ErrPaperOut. A port without SetReadDeadline gives
// ErrStatusUnsupported: without a deadline a printer that never answers would hang the till.
func (pr *Printer) PaperStatus(ctx context.Context) (Paper, error) {
	dl, ok := pr.rw.(readDeadliner)
	if !ok {
		return Paper{}, ErrStatusUnsupported
	}
	// A file that cannot poll (a plain or write-only device file) refuses deadlines.
	if err := dl.SetReadDeadline(time.Now().Add(pollStep)); err != nil {
		return Paper{}, fmt.Errorf("%w: %w", ErrStatusUnsupported, err)
	}
	if d, ok := pr.rw.(inputDiscarder); ok {
		if err := d.DiscardInput(); err != nil {
			return Paper{}, fmt.Errorf("escpos: status: %w", err)
		}
	}
	if err := pr.write(ctx, []byte{dle, eot, 4}); err != nil {
		return Paper{}, err
	}
	b, err := pr.readByte(ctx, dl, time.Now().Add(pr.StatusTimeout))
	if err != nil {
		return Paper{}, err
	}
	paper, err := ParsePaper(b)
	if err != nil {
		return Paper{}, err
	}
	if !paper.Present {
		return paper, ErrPaperOut
	}
	return paper, nil
}

func (pr *Printer) readByte(ctx context.Context, dl readDeadliner, deadline time.Time) (byte, error) {
	var one [1]byte
	for {
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("escpos: status: %w", err)
		}
		step := min(time.Until(deadline), pollStep)
		if err := dl.SetReadDeadline(time.Now().Add(step)); err != nil {
			return 0, fmt.Errorf("escpos: set read deadline: %w", err)
		}
		n, err := pr.rw.Read(one[:])
		if n == 1 {
			return one[0], nil
		}
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			return 0, fmt.Errorf("escpos: status: %w", err)
		}
		if !time.Now().Before(deadline) {
			return 0, ErrNoAnswer
		}
	}
}

// Device is a printer device file opened for writing only, such as /dev/usb/lp0 (the Linux usblp driver)
// or a parallel port. It cannot be read, so Printer.PaperStatus reports ErrStatusUnsupported. Serial and
// USB-serial (/dev/ttyUSB0, /dev/ttyACM0) printers are opened with serialport.Open instead, which can.
type Device struct {
	f *os.File
}

// OpenDevice opens a printer device file for writing.
func OpenDevice(path string) (*Device, error) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("escpos: open %s: %w", path, err)
	}
	return &Device{f: f}, nil
}

// Write writes to the device.
func (d *Device) Write(b []byte) (int, error) { return d.f.Write(b) }

// Read always fails: the device is open for writing only.
func (d *Device) Read([]byte) (int, error) { return 0, ErrStatusUnsupported }

// Close closes the device.
func (d *Device) Close() error { return d.f.Close() }
