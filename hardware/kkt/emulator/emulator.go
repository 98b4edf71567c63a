// Package emulator is the device side of the Shtrih-M protocol: a fiscal register with a shift, receipts, a
// fiscal storage (FN) of numbered documents and a paper tape rendered as text. It behaves on the line as the
// real device does for any host that follows the public protocol, so it serves tests, the till's demo mode
// (in-process, over net.Pipe) and cmd/kktemu (on a pseudo-terminal).
package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
)

// Stage tells an OnCommand hook where the device is in handling a command.
type Stage int

const (
	// StageReceived: the frame was accepted (ACKed), the command has not run yet.
	StageReceived Stage = iota
	// StageExecuted: the command ran and changed the state; its answer is not written yet.
	StageExecuted
)

// DefaultFNSerial is the FN serial number used when Config.FNSerial is empty.
const DefaultFNSerial = "9999078900012345"

// byteTimeout is the device's per-byte receive timeout: a partial frame older than this is discarded.
const byteTimeout = 50 * time.Millisecond

// Config configures a Device.
type Config struct {
	// FNSerial is the 16-digit fiscal storage serial number.
	FNSerial string
	// Now is the device clock; time.Now when nil.
	Now func() time.Time
	// StateFile, when set, keeps the state (shift, counters, documents, open receipt) across restarts: it is
	// loaded by New and rewritten atomically after every change.
	StateFile string
	// OnCommand is called with StageReceived before a command runs and StageExecuted after it ran but before
	// its answer is written. It runs on the command's goroutine; the link keeps answering ENQ meanwhile.
	OnCommand func(cmd kkt.Command, stage Stage)
	// Header lines printed at the top of every document; a sample shop when nil.
	Header []string
	// Logger receives link-level diagnostics; discarded when nil.
	Logger *slog.Logger
	// Serial is the register's serial number (заводской номер) in the full status; DefaultSerial when zero.
	Serial uint64
	// INN is the owner's INN in the full status, 10 or 12 digits; DefaultINN when empty.
	INN string
	// RejectMarks makes FF61 refuse marking codes. A value 0xA0–0xA5 is the device error the check fails
	// with; any other value is the ОИСМ status (tag 2109) of a negative answer (2106 = 0x07: the FN found the
	// code right, Честный знак forbids the sale).
	RejectMarks map[string]byte
}

// Defaults of the full status.
const (
	DefaultSerial uint64 = 12345678
	DefaultINN           = "7700000000"
)

// Device is an emulated fiscal register. Its methods are safe for concurrent use.
type Device struct {
	cfg Config
	log *slog.Logger
	inn uint64

	mu        sync.Mutex
	st        State
	tape      []string
	listeners []func(string)
}

// New makes a device, loading Config.StateFile when it exists.
func New(cfg Config) (*Device, error) {
	if cfg.FNSerial == "" {
		cfg.FNSerial = DefaultFNSerial
	}
	if len(cfg.FNSerial) != 16 {
		return nil, fmt.Errorf("emulator: FN serial %q is not 16 characters", cfg.FNSerial)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Serial == 0 {
		cfg.Serial = DefaultSerial
	}
	if cfg.Serial >= 1<<48 {
		return nil, fmt.Errorf("emulator: serial %d over 6 bytes", cfg.Serial)
	}
	if cfg.INN == "" {
		cfg.INN = DefaultINN
	}
	inn, err := strconv.ParseUint(cfg.INN, 10, 64)
	if err != nil || (len(cfg.INN) != 10 && len(cfg.INN) != 12) {
		return nil, fmt.Errorf("emulator: INN %q is not 10 or 12 digits", cfg.INN)
	}
	if cfg.Header == nil {
		cfg.Header = []string{`ООО "КАССА"`, "г. Москва, ул. Примерная, д. 1", "ИНН 7700000000"}
	}
	d := &Device{cfg: cfg, log: cfg.Logger, inn: inn}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	if cfg.StateFile != "" {
		if err := d.load(); err != nil {
			return nil, err
		}
	}
	return d, nil
}

type linkState int

const (
	idle      linkState = iota
	executing           // a command runs; ENQ is answered ACK, the answer follows when ready
	holding             // an answer was sent and waits for the host's ACK
)

// Serve speaks the link layer on rw until ctx is done. A host may go away and another come (reads failing
// with EIO on a pty master are waited out). When rw has SetReadDeadline, cancelling ctx unblocks its read;
// otherwise the reading goroutine lingers until rw's Read returns. Serve returns nil on ctx end or when rw
// reports EOF/closed.
func (d *Device) Serve(ctx context.Context, rw io.ReadWriter) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if dl, ok := rw.(kkt.ReadDeadliner); ok {
		_ = dl.SetReadDeadline(time.Time{})
		stop := context.AfterFunc(ctx, func() { _ = dl.SetReadDeadline(time.Now()) })
		defer stop()
	}
	in := make(chan []byte)
	rerr := make(chan error, 1)
	go readLoop(ctx, rw, in, rerr)

	s := &session{d: d, rw: rw, done: make(chan []byte, 1)}
	timer := time.NewTimer(byteTimeout)
	timer.Stop()
	for {
		var partial <-chan time.Time
		if len(s.buf) > 0 {
			partial = timer.C
		}
		select {
		case <-ctx.Done():
			return nil
		case err := <-rerr:
			if errors.Is(err, io.EOF) || errors.Is(err, os.ErrClosed) {
				return nil
			}
			return fmt.Errorf("emulator: read: %w", err)
		case chunk := <-in:
			for _, b := range chunk {
				s.handle(ctx, b)
			}
			if len(s.buf) > 0 {
				timer.Reset(byteTimeout)
			}
		case <-partial:
			d.log.Debug("kkt emulator: partial frame discarded", "bytes", len(s.buf))
			s.buf = nil
		case ans := <-s.done:
			s.answer, s.state = ans, holding
			s.write(ans...)
		}
	}
}

func readLoop(ctx context.Context, rw io.Reader, in chan<- []byte, rerr chan<- error) {
	buf := make([]byte, 512)
	for {
		n, err := rw.Read(buf)
		if n > 0 {
			select {
			case in <- append([]byte(nil), buf[:n]...):
			case <-ctx.Done():
				return
			}
		}
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			continue
		}
		if errors.Is(err, syscall.EIO) || errors.Is(err, os.ErrDeadlineExceeded) {
			// No host on the pty right now: wait for the next one.
			select {
			case <-time.After(20 * time.Millisecond):
				continue
			case <-ctx.Done():
				return
			}
		}
		rerr <- err
		return
	}
}

// session is the link state of one Serve call.
type session struct {
	d      *Device
	rw     io.Writer
	state  linkState
	answer []byte
	buf    []byte // frame being received, from STX
	done   chan []byte
}

func (s *session) write(b ...byte) {
	if _, err := s.rw.Write(b); err != nil {
		s.d.log.Debug("kkt emulator: write failed", "err", err)
	}
}

func (s *session) handle(ctx context.Context, b byte) {
	if len(s.buf) > 0 {
		s.buf = append(s.buf, b)
		if len(s.buf) >= 2 && len(s.buf) == int(s.buf[1])+3 {
			s.frame(ctx)
		}
		return
	}
	switch b {
	case kkt.ENQ:
		switch s.state {
		case idle:
			s.write(kkt.NAK)
		case executing:
			s.write(kkt.ACK)
		case holding:
			s.write(kkt.ACK)
			s.write(s.answer...)
		}
	case kkt.ACK:
		if s.state == holding {
			s.state, s.answer = idle, nil
		}
	case kkt.NAK:
		if s.state == holding {
			s.write(s.answer...)
		}
	case kkt.STX:
		s.buf = []byte{kkt.STX}
	}
}

func (s *session) frame(ctx context.Context) {
	raw := s.buf
	s.buf = nil
	f, err := kkt.DecodeFrame(raw)
	if err != nil || s.state == executing {
		s.write(kkt.NAK)
		return
	}
	s.write(kkt.ACK)
	// A new command means the host gave up on an undelivered answer.
	s.state, s.answer = executing, nil
	go func() {
		ans := s.d.execute(f)
		select {
		case s.done <- ans:
		case <-ctx.Done():
		}
	}()
}
