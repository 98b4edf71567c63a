package scale

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Emulator is the device side of «Протокол 100»: it answers CMD_GET_MASSA with the weight it was given
// (division 1 g, with tare), CMD_ERROR 0x08 while overloaded, and CMD_NACK to any other command. Frames
// with a bad CRC get no answer.
type Emulator struct {
	mu       sync.Mutex
	grams    int64
	stable   bool
	overload bool
	requests int
}

// NewEmulator returns an empty, stable scale.
func NewEmulator() *Emulator { return &Emulator{stable: true} }

// SetWeight puts a load on the platform; grams may be negative.
func (e *Emulator) SetWeight(grams int64, stable bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.grams, e.stable = grams, stable
}

// SetOverload makes the scale report a load above its maximum until cleared.
func (e *Emulator) SetOverload(on bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.overload = on
}

// Requests counts the well-formed requests answered so far.
func (e *Emulator) Requests() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.requests
}

// Answer is the frame the emulator sends for one request frame, or nil for none (a bad frame).
func (e *Emulator) Answer(req []byte) []byte {
	f, err := DecodeFrame(req)
	if err != nil {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.requests++
	var out []byte
	switch {
	case f.Command != CmdGetMassa:
		out, err = EncodeFrame(CmdNack, nil)
	case e.overload:
		out, err = EncodeFrame(CmdError, []byte{codeOverload})
	default:
		m := Massa{Weight: int32(e.grams), Division: Div1g, Stable: e.stable, Zero: e.grams == 0, HasTare: true}
		out, err = EncodeFrame(CmdAckMassa, m.Encode())
	}
	if err != nil {
		panic(err) // every answer above fits a frame
	}
	return out
}

// Serve answers requests read from rw until ctx ends or rw is closed. A request cut short is dropped when
// no byte follows it for interByte, as a device's receive timeout would.
func (e *Emulator) Serve(ctx context.Context, rw io.ReadWriter) error {
	const interByte = 200 * time.Millisecond
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	dl, _ := rw.(ReadDeadliner)
	if dl != nil {
		stop := context.AfterFunc(ctx, func() { _ = dl.SetReadDeadline(time.Now()) })
		defer stop()
	}
	var pending []byte
	var last time.Time
	chunk := make([]byte, 256)
	for {
		if dl != nil {
			_ = dl.SetReadDeadline(time.Now().Add(interByte))
		}
		if ctx.Err() != nil {
			return nil
		}
		n, err := rw.Read(chunk)
		if n > 0 {
			pending, last = append(pending, chunk[:n]...), time.Now()
			pending = e.serveFrames(rw, pending)
		}
		switch {
		case ctx.Err() != nil:
			return nil
		case err == nil:
		case errors.Is(err, os.ErrDeadlineExceeded):
			if len(pending) > 0 && time.Since(last) >= interByte {
				pending = pending[:0]
			}
		case errors.Is(err, io.EOF), errors.Is(err, os.ErrClosed), errors.Is(err, io.ErrClosedPipe):
			return nil
		default:
			return fmt.Errorf("scale emulator: read: %w", err)
		}
	}
}

// serveFrames answers every whole frame at the front of pending and returns what is left.
func (e *Emulator) serveFrames(w io.Writer, pending []byte) []byte {
	for {
		i := 0
		for i < len(pending) && !headerPrefix(pending[i:min(len(pending), i+len(Header))]) {
			i++
		}
		pending = pending[i:]
		if len(pending) < len(Header)+2 {
			return pending
		}
		n, err := bodyLen(pending)
		if err != nil {
			pending = pending[1:]
			continue
		}
		if len(pending) < n+overhead {
			return pending
		}
		if ans := e.Answer(pending[:n+overhead]); ans != nil {
			_, _ = w.Write(ans)
		}
		pending = pending[n+overhead:]
	}
}
