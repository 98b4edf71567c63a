// Package emulator is the device side of the Shtrih-M protocol: a fiscal register with a shift, receipts, a
// fiscal storage (FN) of numbered documents and a paper tape rendered as text. It behaves on the line as the
// real device does for any host that follows the public protocol, so it serves tests, the till's demo mode
// (in-process, over net.Pipe) and cmd/kktemu (on a pseudo-terminal).
//
// # Paper
//
// The receipt roll follows the submodes of the short and full status: 0 paper present; 1 out of paper
// while idle; 2 the paper ran out while printing a document; 3 paper loaded after 2, waiting for 0xB0.
// A command that ran out of paper half way still takes its fiscal effect (the FN has recorded the
// receipt) and answers success; the lines not printed wait. In submodes 1 and 2 commands that print are
// refused with 0x6B; in submode 3 everything but the status and FN queries is refused with 0x58 until 0xB0
// prints the rest of the interrupted document. Device.SetPaper takes the paper out or loads a roll; Tape
// and OnTape show only what reached the paper, in the order it did.
//
// # Pacing
//
// Config.Baud paces the line as a real 8N1 port at that speed: every answer byte goes out 10 bit times
// after the one before, and a received frame is acted on only once its bytes would have crossed the line,
// so a host over a pseudo-terminal sees the timing of a real cable. Bytes before a frame's last go out in
// bursts a few milliseconds apart (never early); the last two milliseconds before the last byte poll the
// clock, because Go's timers wake about a millisecond late and a byte at 115200 baud is 87 µs.
//
// # Faults
//
// Faults come from Config.Faults, from Device.Inject on a running device, or from a script read by
// ParseFaults: one fault per line, `kind key=value …`, `#` starts a comment. Numbers are decimal or 0x
// hex; cmd is a hex command code (8D, FF45); nth counts the occurrences of cmd from when the fault is armed
// (the first by default); a fault without cmd waits for any command.
//
//	paper-out line=40                  the roll ends after 40 more printed lines (0: now)
//	nak cmd=FF46 nth=1 count=1         NAK the host's frame, count frames in a row; a NAKed frame is not run
//	bad-lrc cmd=FF45 nth=1 count=1     the answer goes out with a wrong LRC, count times
//	drop-answer cmd=FF45 nth=1         the answer is held back; the host's ENQ gets ACK and the answer
//	power-loss cmd=FF45 nth=1 down=2s  the command runs, its answer is lost for good, the line is dead for
//	                                   down, then ENQ gets NAK and the memory is as persisted
//	byte-delay ms=5 [cmd=FF45]         5 ms more between two bytes of every answer (of cmd only)
//	shift-expire [cmd=FF45 nth=1]      the clock jumps 24 h 1 min ahead: the open shift (without cmd and
//	                                   no shift open: the next one) is over 24 h: mode 3, 0x8D and cash
//	                                   refused 0x4E, FF46/FF45 0x16, only the Z report allowed
//	fn-warnings flags=0x0F [cmd nth]   FF01 reports these warning flags
//	reject-mark gtin=04601234567893 code=0xA3   FF61 refuses codes of that GTIN (every code without gtin)
//	reject-mark gtin=04601234567893 status=2    ОИСМ answers status 2 (tag 2109): result 2106 = 0x07
//
// shift-expire and fn-warnings with cmd take effect after the nth successful execution of cmd; paper-out,
// reject-mark and fn-warnings without cmd at once.
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
	// Baud paces the line as a real 8N1 port at this speed (see the package doc); 0 does not pace.
	Baud int
	// Faults are armed when the device is made, as if passed to Inject in this order.
	Faults []Fault
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

	faults faultSet

	mu         sync.Mutex
	st         State
	tape       []string
	listeners  []func(string)
	paper      paper
	skew       time.Duration   // how far the clock was moved ahead (shift-expire)
	warnings   byte            // FF01 warning flags (fn-warnings)
	rejectGTIN map[string]byte // reject-mark by GTIN, "" every code; values as Config.RejectMarks
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
	if cfg.Baud < 0 {
		return nil, fmt.Errorf("emulator: baud %d is negative", cfg.Baud)
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
	for _, f := range cfg.Faults {
		if err := d.Inject(f); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// now is the device clock; d.mu is held.
func (d *Device) now() time.Time { return d.cfg.Now().Add(d.skew) }

// powerCycle is the device coming back after a power loss: its memory is what it persisted.
func (d *Device) powerCycle() {
	if d.cfg.StateFile == "" {
		return // nothing persisted beyond memory, which the emulator keeps as the FN and NVRAM would
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.load(); err != nil {
		d.log.Error("kkt emulator: state not reloaded after the power loss", "err", err)
	}
}

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
	in := make(chan chunk)
	rerr := make(chan error, 1)
	go readLoop(ctx, rw, in, rerr)

	s := d.newSession(ctx, rw)
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
		case c := <-in:
			for _, b := range c.data {
				s.handle(b, s.pace.arrive(c.at))
			}
			if len(s.buf) > 0 {
				timer.Reset(time.Until(s.last) + byteTimeout)
			}
		case <-partial:
			d.log.Debug("kkt emulator: partial frame discarded", "bytes", len(s.buf))
			s.buf = nil
		case r := <-s.done:
			s.answered(r)
		}
	}
}

// chunk is what one read returned, and when.
type chunk struct {
	data []byte
	at   time.Time
}

func readLoop(ctx context.Context, rw io.Reader, in chan<- chunk, rerr chan<- error) {
	buf := make([]byte, 512)
	for {
		n, err := rw.Read(buf)
		if n > 0 {
			select {
			case in <- chunk{data: append([]byte(nil), buf[:n]...), at: time.Now()}:
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
