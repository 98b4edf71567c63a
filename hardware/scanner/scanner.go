// Package scanner reads barcode scanners attached as serial devices (RS-232, or USB in CDC "virtual COM"
// mode), and emulates one for tests and for the device emulator.
//
// A serial scanner sends each code as one line: an optional AIM symbology identifier ("]d2" for a GS1
// DataMatrix, "]E0" for an EAN-13), the data with every byte as read (GS separators of marking codes
// included, unlike a keyboard wedge) and a CR, LF or CR LF. Reader turns that byte stream into Scans;
// the package knows nothing of what the codes mean.
package scanner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Per-scan errors: Next returns them (wrapped) for one bad line and stays usable for the next.
var (
	// ErrTooLong: a line grew past Config.MaxLen; the rest of it up to its line end is dropped.
	ErrTooLong = errors.New("scanner: line too long")
	// ErrIncomplete: a line stopped before its line end (the scanner sent half a code, then nothing for
	// Config.LineTimeout, or the stream ended) and was discarded.
	ErrIncomplete = errors.New("scanner: incomplete scan discarded")
)

// DefaultMaxLen bounds a line when Config.MaxLen is zero: above the largest DataMatrix (3116 digits).
const DefaultMaxLen = 4096

// pollInterval is how often Next looks at its context while waiting on a reader with read deadlines.
const pollInterval = 100 * time.Millisecond

// Config describes how the scanner frames its codes.
type Config struct {
	// Suffix ends a line; "" means CR, LF or CR LF (empty lines are skipped either way).
	Suffix string
	// MaxLen is the longest line accepted, in bytes without the line end; DefaultMaxLen when zero.
	MaxLen int
	// LineTimeout is how long a started line may wait for its next byte before it is discarded with
	// ErrIncomplete; zero waits forever.
	LineTimeout time.Duration
}

// Scan is one code read from the scanner.
type Scan struct {
	// Symbology is the AIM symbology identifier ("]d2", "]Q3", "]E0", "]C1" …), or "" when the scanner
	// sends none.
	Symbology string
	// Data is the code without the identifier, byte for byte (GS 0x1D kept).
	Data string
	// Raw is the line as received, without its line end.
	Raw string
}

// readDeadliner is what Next needs of a reader to time out a half line and notice a cancelled context
// without a helper goroutine: serialport.Port and *os.File have it.
type readDeadliner interface {
	SetReadDeadline(t time.Time) error
}

// Reader splits a scanner's byte stream into Scans. It is not safe for concurrent use.
type Reader struct {
	r   io.Reader
	dl  readDeadliner // nil: reads go through a goroutine
	cfg Config

	buf     []byte // read from r, not yet consumed
	pending []byte
	line    []byte
	started bool // a line is in progress (line has bytes, or one is being dropped)
	drop    bool // dropping the rest of a too long line
	skipLF  bool // the previous line ended with CR: a following LF belongs to it
	last    time.Time
	err     error // sticky read error, reported once pending bytes are used

	inflight chan readResult // non-deadline readers: the result of the read in progress
}

type readResult struct {
	b   []byte
	err error
}

// NewReader reads scans from r. When r has SetReadDeadline (a serial port, a pty) Next waits with
// deadlines; otherwise each read runs in a goroutine, so that Next can still return on ctx and on
// LineTimeout, and that goroutine ends when r's Read does.
func NewReader(r io.Reader, cfg Config) *Reader {
	if cfg.MaxLen <= 0 {
		cfg.MaxLen = DefaultMaxLen
	}
	rd := &Reader{r: r, cfg: cfg, buf: make([]byte, 512)}
	rd.dl, _ = r.(readDeadliner)
	return rd
}

// Next returns the next code. Besides r's own errors (io.EOF when the stream ends) it returns
// ctx.Err(), and ErrTooLong or ErrIncomplete for a bad line, after which it may be called again.
func (r *Reader) Next(ctx context.Context) (Scan, error) {
	for {
		if s, err, ok := r.consume(); ok {
			return s, err
		}
		if r.err != nil {
			if r.started {
				return Scan{}, r.discard("the stream ended: %v", r.err)
			}
			return Scan{}, r.err
		}
		if err := r.fill(ctx); err != nil {
			if errors.Is(err, errLineTimeout) {
				return Scan{}, r.discard("no byte for %v", r.cfg.LineTimeout)
			}
			return Scan{}, err
		}
	}
}

var errLineTimeout = errors.New("line timeout")

// discard drops the line in progress and reports it as ErrIncomplete.
func (r *Reader) discard(format string, args ...any) error {
	n := len(r.line)
	r.line, r.started, r.drop, r.skipLF = r.line[:0], false, false, false
	return fmt.Errorf("%w: %d bytes, %s", ErrIncomplete, n, fmt.Sprintf(format, args...))
}

// consume takes bytes from pending until a line ends (ok with a Scan) or a line is too long (ok with
// ErrTooLong); ok is false when pending ran out first.
func (r *Reader) consume() (Scan, error, bool) {
	for len(r.pending) > 0 {
		b := r.pending[0]
		r.pending = r.pending[1:]
		if r.skipLF {
			r.skipLF = false
			if b == '\n' {
				continue
			}
		}
		if r.cfg.Suffix == "" && (b == '\r' || b == '\n') {
			r.skipLF = b == '\r'
			if s, ok := r.endLine(r.line); ok {
				return s, nil, true
			}
			continue
		}
		r.started = true
		r.line = append(r.line, b)
		if r.cfg.Suffix != "" && bytes.HasSuffix(r.line, []byte(r.cfg.Suffix)) {
			if s, ok := r.endLine(r.line[:len(r.line)-len(r.cfg.Suffix)]); ok {
				return s, nil, true
			}
			continue
		}
		if r.drop {
			// Keep only what could still be the start of the suffix.
			if keep := len(r.cfg.Suffix); len(r.line) > keep {
				r.line = append(r.line[:0], r.line[len(r.line)-keep:]...)
			}
			continue
		}
		if len(r.line) > r.cfg.MaxLen+max(len(r.cfg.Suffix)-1, 0) {
			n := len(r.line)
			r.drop = true
			r.line = r.line[:0]
			return Scan{}, fmt.Errorf("%w: more than %d bytes (%d so far)", ErrTooLong, r.cfg.MaxLen, n), true
		}
	}
	return Scan{}, nil, false
}

// endLine finishes the line data; ok is false for an empty line or the end of a dropped one.
func (r *Reader) endLine(data []byte) (Scan, bool) {
	dropped := r.drop
	r.started, r.drop = false, false
	if dropped || len(data) == 0 {
		r.line = r.line[:0]
		return Scan{}, false
	}
	raw := string(data)
	r.line = r.line[:0]
	sym, rest := SplitAIM(raw)
	return Scan{Symbology: sym, Data: rest, Raw: raw}, true
}

// SplitAIM separates an AIM symbology identifier (ISO/IEC 15424: "]", a symbology letter, a modifier
// character) from the data after it.
func SplitAIM(s string) (sym, data string) {
	if len(s) >= 3 && s[0] == ']' && isLetter(s[1]) && (isLetter(s[2]) || s[2] >= '0' && s[2] <= '9') {
		return s[:3], s[3:]
	}
	return "", s
}

func isLetter(b byte) bool { return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' }

// lineDeadline is when the line in progress times out; zero when none does.
func (r *Reader) lineDeadline() time.Time {
	if !r.started || r.cfg.LineTimeout <= 0 {
		return time.Time{}
	}
	return r.last.Add(r.cfg.LineTimeout)
}

// fill reads the next bytes into pending, or returns ctx's error, errLineTimeout or a read error.
func (r *Reader) fill(ctx context.Context) error {
	if r.dl != nil {
		return r.fillDeadline(ctx)
	}
	return r.fillAsync(ctx)
}

func (r *Reader) fillDeadline(ctx context.Context) error {
	defer r.dl.SetReadDeadline(time.Time{})
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		wait := time.Now().Add(pollInterval)
		if ld := r.lineDeadline(); !ld.IsZero() {
			if !time.Now().Before(ld) {
				return errLineTimeout
			}
			if ld.Before(wait) {
				wait = ld
			}
		}
		if err := r.dl.SetReadDeadline(wait); err != nil {
			return fmt.Errorf("scanner: set read deadline: %w", err)
		}
		n, err := r.r.Read(r.buf)
		if n > 0 {
			r.took(r.buf[:n])
		}
		if err != nil && !isTimeout(err) {
			r.err = err
		}
		if n > 0 || r.err != nil {
			return nil
		}
	}
}

func (r *Reader) fillAsync(ctx context.Context) error {
	if r.inflight == nil {
		ch := make(chan readResult, 1)
		go func(rd io.Reader) {
			b := make([]byte, 512)
			n, err := rd.Read(b)
			ch <- readResult{b[:n], err}
		}(r.r)
		r.inflight = ch
	}
	var timeout <-chan time.Time
	if ld := r.lineDeadline(); !ld.IsZero() {
		t := time.NewTimer(time.Until(ld))
		defer t.Stop()
		timeout = t.C
	}
	select {
	case res := <-r.inflight:
		r.inflight = nil
		if len(res.b) > 0 {
			r.took(res.b)
		}
		r.err = res.err
		return nil
	case <-ctx.Done():
		// The read stays in flight; the next Next picks up its bytes.
		return ctx.Err()
	case <-timeout:
		return errLineTimeout
	}
}

func (r *Reader) took(b []byte) {
	r.pending = b
	r.last = time.Now()
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &t) && t.Timeout()
}
