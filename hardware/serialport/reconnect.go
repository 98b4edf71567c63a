package serialport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// ErrOffline: the port failed and is being reopened in the background; until it is back every call fails
// at once with it. It matches ErrDisconnected.
var ErrOffline = fmt.Errorf("serialport: offline, reopening: %w", ErrDisconnected)

// ReconnectConfig tunes a Reconnecting.
type ReconnectConfig struct {
	// MinBackoff is the wait before the first reopen after a failure; every failed reopen doubles it up to
	// MaxBackoff. 200 ms and 5 s when zero.
	MinBackoff, MaxBackoff time.Duration
	// OnState is told when the port goes offline (online false, with the failure) and when it is open
	// again (true, nil), in that order. It runs on the reopening goroutine, never with a lock held; it
	// must not call Close.
	OnState func(online bool, err error)
}

// Reconnecting is a port that survives its device going away: a cable pulled, a USB adapter re-plugged,
// a device power-cycled. A read or write that fails (anything but a read deadline) closes the port and
// returns the error; a goroutine then reopens the same path with the same settings, with backoff, and
// until it succeeds every call fails fast with ErrOffline. A call never spans two openings: the one that
// meets the failure reports it, so a protocol above always learns that its exchange was cut and starts
// the next one afresh on the new line.
//
// Bytes are never replayed: what a failed Write did not deliver is lost, and input that arrived before a
// reopen is discarded by it. Read deadlines and DiscardInput pass through to the open port.
type Reconnecting struct {
	name string
	open func() (io.ReadWriteCloser, error)
	cfg  ReconnectConfig

	mu       sync.Mutex
	conn     io.ReadWriteCloser // nil while offline
	gen      uint64             // counts openings: a failure of an older opening must not drop a newer one
	cause    error              // why it is offline
	deadline time.Time
	closed   bool
	up       chan struct{} // closed while online; a fresh one while offline

	kick chan struct{} // wakes the reopening goroutine
	stop chan struct{}
	done chan struct{}
}

// OpenReconnecting opens the port at cfg.Path as Open does and keeps reopening it whenever it fails. A
// device that is not there (yet) is no error: the port starts offline and opens when it appears. Any other
// first failure (ErrBusy, permissions) is returned, since waiting would not fix it.
func OpenReconnecting(cfg Config, rc ReconnectConfig) (*Reconnecting, error) {
	open := func() (io.ReadWriteCloser, error) {
		p, err := Open(cfg)
		if err != nil {
			return nil, err // no typed nil in the interface
		}
		return p, nil
	}
	first, err := open()
	if err != nil && !errors.Is(err, ErrDisconnected) {
		return nil, err
	}
	return newReconnecting(cfg.Path, open, rc, first, err), nil
}

// NewReconnecting keeps a port that open opens, under name for messages: a printer's device file, a TCP
// connection. It opens it once at once; when that fails the port starts offline and keeps trying.
func NewReconnecting(name string, open func() (io.ReadWriteCloser, error), rc ReconnectConfig) *Reconnecting {
	first, err := open()
	if err != nil {
		first = nil
	}
	return newReconnecting(name, open, rc, first, err)
}

func newReconnecting(name string, open func() (io.ReadWriteCloser, error), rc ReconnectConfig, first io.ReadWriteCloser, err error) *Reconnecting {
	if rc.MinBackoff <= 0 {
		rc.MinBackoff = 200 * time.Millisecond
	}
	if rc.MaxBackoff < rc.MinBackoff {
		rc.MaxBackoff = max(5*time.Second, rc.MinBackoff)
	}
	r := &Reconnecting{name: name, open: open, cfg: rc, up: make(chan struct{}),
		kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	if first != nil {
		r.conn, r.gen = first, 1
		close(r.up)
	} else {
		r.cause = err
		r.kick <- struct{}{}
	}
	go r.loop()
	return r
}

// Name is the path or name the port was opened with.
func (r *Reconnecting) Name() string { return r.name }

// Online reports whether the port is open now.
func (r *Reconnecting) Online() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.conn != nil
}

// Err is why the port is offline; nil while it is open.
func (r *Reconnecting) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.conn != nil || r.closed {
		return nil
	}
	return r.cause
}

// WaitOnline blocks until the port is open, ctx ends (its error) or the port is closed (os.ErrClosed).
func (r *Reconnecting) WaitOnline(ctx context.Context) error {
	r.mu.Lock()
	up, closed := r.up, r.closed
	r.mu.Unlock()
	if closed {
		return os.ErrClosed
	}
	select {
	case <-up:
		return nil
	case <-r.stop:
		return os.ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// current is the open port and its opening, or why there is none.
func (r *Reconnecting) current() (io.ReadWriteCloser, uint64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.closed:
		return nil, 0, os.ErrClosed
	case r.conn == nil:
		return nil, 0, r.offline(r.cause)
	}
	return r.conn, r.gen, nil
}

func (r *Reconnecting) offline(cause error) error {
	if cause == nil {
		return fmt.Errorf("serialport: %s: %w", r.name, ErrOffline)
	}
	return fmt.Errorf("serialport: %s: %w: %w", r.name, ErrOffline, cause)
}

// Read reads from the open port. A read deadline passing is an error like any port's, not a failure.
func (r *Reconnecting) Read(b []byte) (int, error) {
	c, gen, err := r.current()
	if err != nil {
		return 0, err
	}
	n, err := c.Read(b)
	if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		return n, r.fail(gen, err)
	}
	return n, err
}

// Write writes to the open port; any error takes the port offline.
func (r *Reconnecting) Write(b []byte) (int, error) {
	c, gen, err := r.current()
	if err != nil {
		return 0, err
	}
	n, err := c.Write(b)
	if err != nil {
		return n, r.fail(gen, err)
	}
	return n, nil
}

type readDeadliner interface{ SetReadDeadline(time.Time) error }

// SetReadDeadline sets the deadline of reads on this opening and the next ones. A port that has no read
// deadlines (a printer's write-only device file) gives an error wrapping errors.ErrUnsupported.
func (r *Reconnecting) SetReadDeadline(t time.Time) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return os.ErrClosed
	}
	r.deadline = t
	c := r.conn
	r.mu.Unlock()
	if c == nil {
		return nil // the next Read fails fast anyway; the opening that comes takes the deadline
	}
	dl, ok := c.(readDeadliner)
	if !ok {
		return fmt.Errorf("serialport: %s: read deadlines: %w", r.name, errors.ErrUnsupported)
	}
	return dl.SetReadDeadline(t)
}

// DiscardInput drops unread input on the open port (where it can); offline it fails with ErrOffline.
func (r *Reconnecting) DiscardInput() error {
	c, gen, err := r.current()
	if err != nil {
		return err
	}
	d, ok := c.(interface{ DiscardInput() error })
	if !ok {
		return nil
	}
	if err := d.DiscardInput(); err != nil {
		return r.fail(gen, err)
	}
	return nil
}

// fail takes opening gen offline after err, unless a newer opening replaced it meanwhile, and returns the
// error for the call that met it.
func (r *Reconnecting) fail(gen uint64, err error) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return fmt.Errorf("serialport: %s: %w", r.name, os.ErrClosed)
	}
	if r.gen != gen || r.conn == nil {
		r.mu.Unlock()
		return r.offline(err)
	}
	c := r.conn
	r.conn, r.cause, r.up = nil, err, make(chan struct{})
	r.mu.Unlock()
	// Closing at once frees the device node: a re-plugged USB device gets its old name back only once the
	// old one is released.
	_ = c.Close()
	select {
	case r.kick <- struct{}{}:
	default:
	}
	return r.offline(err)
}

// loop reopens the port after each failure until Close.
func (r *Reconnecting) loop() {
	defer close(r.done)
	for {
		select {
		case <-r.stop:
			return
		case <-r.kick:
		}
		r.report(false, r.Err())
		wait := r.cfg.MinBackoff
		for {
			t := time.NewTimer(wait)
			select {
			case <-r.stop:
				t.Stop()
				return
			case <-t.C:
			}
			c, err := r.open()
			if err != nil {
				r.mu.Lock()
				r.cause = err
				r.mu.Unlock()
				wait = min(2*wait, r.cfg.MaxBackoff)
				continue
			}
			if !r.install(c) {
				_ = c.Close()
				return
			}
			r.report(true, nil)
			break
		}
	}
}

// install makes c the open port; false when the port was closed meanwhile.
func (r *Reconnecting) install(c io.ReadWriteCloser) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	if dl, ok := c.(readDeadliner); ok {
		_ = dl.SetReadDeadline(r.deadline)
	}
	r.conn, r.cause = c, nil
	r.gen++
	close(r.up)
	return true
}

func (r *Reconnecting) report(online bool, err error) {
	if r.cfg.OnState != nil {
		r.cfg.OnState(online, err)
	}
}

// Close closes the port and stops reopening it.
func (r *Reconnecting) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return os.ErrClosed
	}
	r.closed = true
	c := r.conn
	r.conn = nil
	r.mu.Unlock()
	close(r.stop)
	<-r.done
	if c != nil {
		return c.Close()
	}
	return nil
}
