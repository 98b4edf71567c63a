package scanner

import (
	"context"
	"fmt"
	"io"
	"sync"
)

// Emulator is a serial scanner for tests and the device emulator: codes handed to Send come out of
// Serve as lines, the way a scanner in USB-CDC mode sends them. It is safe for concurrent use.
type Emulator struct {
	// Suffix ends every code Send writes; NewEmulator sets CR LF. Set it before the first Send.
	Suffix string

	mu    sync.Mutex
	queue []string
	wake  chan struct{}
}

// NewEmulator returns an emulator that ends codes with CR LF.
func NewEmulator() *Emulator {
	return &Emulator{Suffix: "\r\n", wake: make(chan struct{}, 1)}
}

// Send queues code, written as is (an AIM identifier and GS separators included) and followed by
// Suffix. It never blocks: codes wait for Serve.
func (e *Emulator) Send(code string) { e.enqueue(code + e.Suffix) }

// SendPartial queues data without a line end: a scanner that stops halfway through a code (a cable
// pulled, a power dip).
func (e *Emulator) SendPartial(data string) { e.enqueue(data) }

func (e *Emulator) enqueue(s string) {
	e.mu.Lock()
	e.queue = append(e.queue, s)
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Serve writes the queued codes to w, in order, until ctx is done (it then returns nil) or a write
// fails. A real scanner ignores what the host sends, so Serve never reads; pass the pty master or the
// port, an io.ReadWriter, as w. Run one Serve at a time.
func (e *Emulator) Serve(ctx context.Context, w io.Writer) error {
	for {
		e.mu.Lock()
		q := e.queue
		e.queue = nil
		e.mu.Unlock()
		for _, s := range q {
			if _, err := io.WriteString(w, s); err != nil {
				return fmt.Errorf("scanner emulator: write: %w", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-e.wake:
		}
	}
}
