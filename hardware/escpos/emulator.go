package escpos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"syscall"
	"time"
)

// EmulatorConfig configures an Emulator.
type EmulatorConfig struct {
	// Paper is the initial sensor state; the zero value means no paper, so set Present.
	Paper Paper
	// Out, when set, receives every byte the host sends (a file to decode or replay later).
	Out io.Writer
	// Logger receives diagnostics; discarded when nil.
	Logger *slog.Logger
}

// Emulator is the printer side of ESC/POS: it takes commands, answers real-time status requests from its
// paper sensor and keeps what it received. Its methods are safe for concurrent use.
type Emulator struct {
	cfg EmulatorConfig
	log *slog.Logger

	mu       sync.Mutex
	paper    Paper
	received []byte
	out      io.Writer
}

// NewEmulator makes an emulator.
func NewEmulator(cfg EmulatorConfig) *Emulator {
	e := &Emulator{cfg: cfg, log: cfg.Logger, paper: cfg.Paper, out: cfg.Out}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	return e
}

// SetPaper changes the paper sensor state.
func (e *Emulator) SetPaper(p Paper) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.paper = p
}

// Paper is the paper sensor state.
func (e *Emulator) Paper() Paper {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.paper
}

// Received returns a copy of every byte received so far; Decode turns it into what was printed.
func (e *Emulator) Received() []byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]byte(nil), e.received...)
}

// Reset forgets what was received.
func (e *Emulator) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.received = nil
}

func (e *Emulator) record(b []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.received = append(e.received, b...)
	if e.out != nil {
		if _, err := e.out.Write(b); err != nil {
			e.log.Warn("escpos emulator: output failed, no longer written", "err", err)
			e.out = nil
		}
	}
}

// statusByte answers DLE EOT n: 1 printer (bit 3 offline), 2 offline cause (bit 5 stopped by paper end),
// 3 errors (none), 4 the paper sensors.
func (e *Emulator) statusByte(n byte) byte {
	p := e.Paper()
	switch n {
	case 1:
		if !p.Present {
			return statusFixed | 0x08
		}
	case 2:
		if !p.Present {
			return statusFixed | 0x08 | 0x20
		}
	case 4:
		return PaperByte(p)
	}
	return statusFixed
}

// Serve consumes ESC/POS bytes from rw until ctx is done or rw reports EOF or is closed (nil), answering
// status requests on rw. On a pseudo-terminal master a missing host (EIO) is waited out. When rw has
// SetReadDeadline, cancelling ctx unblocks its read; otherwise the reader lingers until rw's Read returns.
// An unknown command is skipped a byte at a time, as a printer prints or ignores what it does not know.
func (e *Emulator) Serve(ctx context.Context, rw io.ReadWriter) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if dl, ok := rw.(readDeadliner); ok {
		_ = dl.SetReadDeadline(time.Time{})
		stop := context.AfterFunc(ctx, func() { _ = dl.SetReadDeadline(time.Now()) })
		defer stop()
	}
	var pending []byte
	p := newParser(func(el Element) {
		if el.Kind != KindStatus {
			return
		}
		if _, err := rw.Write([]byte{e.statusByte(el.N)}); err != nil {
			e.log.Debug("escpos emulator: status write failed", "err", err)
		}
	})
	buf := make([]byte, 4096)
	for {
		n, err := rw.Read(buf)
		if n > 0 {
			e.record(buf[:n])
			pending = append(pending, buf[:n]...)
			pending = e.consume(p, pending)
		}
		if ctx.Err() != nil {
			return nil
		}
		switch {
		case err == nil:
		case errors.Is(err, io.EOF) || errors.Is(err, os.ErrClosed):
			return nil
		case errors.Is(err, syscall.EIO) || errors.Is(err, os.ErrDeadlineExceeded):
			// No host on the pty right now: wait for the next one.
			select {
			case <-time.After(20 * time.Millisecond):
			case <-ctx.Done():
				return nil
			}
		default:
			return fmt.Errorf("escpos emulator: read: %w", err)
		}
	}
}

// consume runs the complete commands in b and returns the incomplete tail.
func (e *Emulator) consume(p *parser, b []byte) []byte {
	for len(b) > 0 {
		n, err := p.step(b)
		switch {
		case errors.Is(err, errShort):
			return append(b[:0:0], b...)
		case err != nil:
			e.log.Debug("escpos emulator: skipping byte", "err", err)
			n = 1
		}
		b = b[n:]
	}
	return nil
}
