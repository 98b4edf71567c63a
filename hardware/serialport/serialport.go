// Package serialport wraps github.com/tarm/serial with what a till needs from a serial line: read deadlines
// that surface as errors (tarm reports a read timeout as (0, io.EOF)), detection of a vanished device, and an
// exclusive lock so that two processes cannot share one port and steal each other's bytes. Reconnecting
// keeps a port usable across its device going away and coming back (a cable pulled and put back).
package serialport

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/tarm/serial"
	"golang.org/x/sys/unix"
)

var (
	// ErrTimeout is returned (wrapped) by Read when the read deadline passes; it matches os.ErrDeadlineExceeded.
	ErrTimeout = fmt.Errorf("serialport: read timeout: %w", os.ErrDeadlineExceeded)
	// ErrDisconnected: the device is gone (path missing, I/O error, or a stream of instant EOFs); reopen it.
	ErrDisconnected = errors.New("serialport: device disconnected")
	// ErrBusy: another process holds the port.
	ErrBusy = errors.New("serialport: port busy")
)

// Config describes a port.
type Config struct {
	Path string
	// Baud is 115200 when zero; on a pseudo-terminal it has no effect.
	Baud int
	// ReadTimeout is the granularity of one driver read (tarm works in 0.1 s steps, 0.1–25.5 s); 100 ms when
	// zero. It is always above zero: with zero tarm's Close hangs while a Read is blocked.
	ReadTimeout time.Duration
}

// instantEOFs is how many EOFs that come far sooner than ReadTimeout mean the peer is gone.
const instantEOFs = 3

// Port is an open, exclusively locked serial port.
type Port struct {
	cfg  Config
	sp   *serial.Port
	lock *os.File

	mu       sync.Mutex
	deadline time.Time
	closed   bool
}

// Open opens and locks the port. A port held by another process gives ErrBusy; a missing path ErrDisconnected.
func Open(cfg Config) (*Port, error) {
	if cfg.Baud == 0 {
		cfg.Baud = 115200
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = 100 * time.Millisecond
	}
	lock, err := os.OpenFile(cfg.Path, unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, classifyOpen(cfg.Path, err)
	}
	fd := int(lock.Fd())
	// flock stops every process that also locks (root included); TIOCEXCL stops any other open by non-root.
	if err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB); err != nil {
		lock.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("open %s: %w", cfg.Path, ErrBusy)
		}
		return nil, fmt.Errorf("serialport: lock %s: %w", cfg.Path, err)
	}
	sp, err := serial.OpenPort(&serial.Config{Name: cfg.Path, Baud: cfg.Baud, ReadTimeout: cfg.ReadTimeout})
	if err != nil {
		lock.Close()
		return nil, classifyOpen(cfg.Path, err)
	}
	// A pseudo-terminal's slave is held open by its device side (OpenPTY, cmd/kktemu) so that the line stays
	// up between hosts: the tty outlives a host killed before Close, and the exclusive mode that host set
	// would keep every later host but root out. There the flock alone keeps two tills apart.
	if !isPTYSlave(fd) {
		if err := unix.IoctlSetInt(fd, unix.TIOCEXCL, 0); err != nil {
			sp.Close()
			lock.Close()
			return nil, fmt.Errorf("serialport: exclusive mode on %s: %w", cfg.Path, err)
		}
	}
	p := &Port{cfg: cfg, sp: sp, lock: lock}
	// Bytes received before this open were meant for a host that is gone (one killed before it read the
	// device's answer): the next host must not take them for answers to its own commands.
	if err := p.DiscardInput(); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// isPTYSlave reports whether fd is a Unix98 pseudo-terminal slave (character majors 136–143).
func isPTYSlave(fd int) bool {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFCHR {
		return false
	}
	major := unix.Major(uint64(st.Rdev)) // Rdev is not a uint64 on every platform
	return major >= 136 && major <= 143
}

// DiscardInput drops what the port received and nobody has read yet (tcflush TCIFLUSH).
func (p *Port) DiscardInput() error {
	if err := unix.IoctlSetInt(int(p.lock.Fd()), unix.TCFLSH, unix.TCIFLUSH); err != nil {
		return fmt.Errorf("serialport: discard input on %s: %w", p.cfg.Path, err)
	}
	return nil
}

func classifyOpen(path string, err error) error {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("serialport: open %s: %w: %w", path, ErrDisconnected, err)
	case errors.Is(err, unix.EBUSY):
		return fmt.Errorf("serialport: open %s: %w", path, ErrBusy)
	}
	return fmt.Errorf("serialport: open %s: %w", path, err)
}

// Path is the device path the port was opened with.
func (p *Port) Path() string { return p.cfg.Path }

// SetReadDeadline makes Read give up at t with ErrTimeout; the zero time means Read waits for data.
func (p *Port) SetReadDeadline(t time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return os.ErrClosed
	}
	p.deadline = t
	return nil
}

func (p *Port) state() (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.deadline, p.closed
}

// Read returns at least one byte, or ErrTimeout at the deadline, or ErrDisconnected.
func (p *Port) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	instant := 0
	for {
		deadline, closed := p.state()
		if closed {
			return 0, os.ErrClosed
		}
		if !deadline.IsZero() && !time.Now().Before(deadline) {
			return 0, fmt.Errorf("serialport: read %s: %w", p.cfg.Path, ErrTimeout)
		}
		start := time.Now()
		n, err := p.sp.Read(b)
		if n > 0 {
			return n, nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			if _, closed := p.state(); closed {
				return 0, os.ErrClosed
			}
			return 0, fmt.Errorf("serialport: read %s: %w: %w", p.cfg.Path, ErrDisconnected, err)
		}
		// (0, EOF) is either tarm's read timeout or a peer that is gone; only the latter comes back at once.
		if time.Since(start) < p.cfg.ReadTimeout/2 {
			instant++
		} else {
			instant = 0
		}
		if instant >= instantEOFs {
			return 0, fmt.Errorf("serialport: read %s: %w", p.cfg.Path, ErrDisconnected)
		}
		if _, err := os.Stat(p.cfg.Path); err != nil {
			return 0, fmt.Errorf("serialport: %s: %w: %w", p.cfg.Path, ErrDisconnected, err)
		}
	}
}

// Write writes b; any failure means the device is gone.
func (p *Port) Write(b []byte) (int, error) {
	n, err := p.sp.Write(b)
	if err != nil {
		return n, fmt.Errorf("serialport: write %s: %w: %w", p.cfg.Path, ErrDisconnected, err)
	}
	return n, nil
}

// Close releases the port and its lock.
func (p *Port) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return os.ErrClosed
	}
	p.closed = true
	p.mu.Unlock()
	_ = unix.IoctlSetInt(int(p.lock.Fd()), unix.TIOCNXCL, 0)
	err := p.sp.Close()
	if lerr := p.lock.Close(); err == nil {
		err = lerr
	}
	return err
}
