package kkt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// ReadDeadliner is what the link needs to time reads out. serialport.Port, net.Conn and a pollable
// *os.File have it; over a plain io.ReadWriter reads block until the device sends something, so a dead
// device hangs the caller (only ctx checks between reads remain).
type ReadDeadliner interface {
	SetReadDeadline(t time.Time) error
}

// InputDiscarder drops bytes received and not read yet; serialport.Port has it. The link uses it to start
// every exchange from a quiet line: an answer meant for a host that died, or a reply to an ENQ the link no
// longer waits for, would otherwise be read as the reply to the next ENQ or frame, and a stale NAK taken
// for a refusal of a frame the device accepted makes the link send (and the device run) it twice.
type InputDiscarder interface {
	DiscardInput() error
}

// pollStep bounds one blocking read so that a cancelled context is noticed promptly.
const pollStep = 200 * time.Millisecond

// maxStale bounds how many undelivered old answers are drained before a command.
const maxStale = 3

// link is the host side of the Shtrih-M link layer (PROTOCOLS.md §1.2).
type link struct {
	rw          io.ReadWriter
	dl          ReadDeadliner
	discard     InputDiscarder // nil when rw cannot drop its input
	retries     int
	enqTimeout  time.Duration
	byteTimeout time.Duration
	sawSTX      bool // an STX was consumed while waiting for a control byte
	// in holds bytes read and not taken yet. One read takes whatever the line has, so a frame that came in
	// one piece costs one system call instead of one per byte.
	in   []byte
	rbuf [readSize]byte
}

// readSize covers the longest frame (STX, LEN, 255 bytes, LRC) and the control byte before it.
const readSize = 260

func newLink(rw io.ReadWriter, retries int, enq, byteTO time.Duration) *link {
	l := &link{rw: rw, retries: retries, enqTimeout: enq, byteTimeout: byteTO}
	l.dl, _ = rw.(ReadDeadliner)
	l.discard, _ = rw.(InputDiscarder)
	return l
}

// transact sends one command frame and returns the device's answer. Errors that leave the command possibly
// executed wrap ErrOutcomeUnknown.
func (l *link) transact(ctx context.Context, cmd Command, frame []byte, timeout time.Duration) (Frame, error) {
	l.sawSTX = false
	for stale := 0; ; stale++ {
		// Whatever is already there did not answer the ENQ below. A device that still holds an answer
		// repeats it on ENQ, so nothing the link needs is lost.
		if err := l.discardInput(); err != nil {
			return Frame{}, err
		}
		b, err := l.enquire(ctx)
		if err != nil {
			return Frame{}, err
		}
		if b == NAK {
			break
		}
		// ACK (or the frame itself): the device holds an answer to an earlier command; take it and drop it.
		if stale >= maxStale {
			return Frame{}, fmt.Errorf("kkt: device keeps sending old answers: %w", ErrBadFrame)
		}
		if _, err := l.readFrame(ctx, time.Now().Add(timeout)); err == nil {
			if err := l.write(ACK); err != nil {
				return Frame{}, err
			}
		} else if !errors.Is(err, ErrBadFrame) && !errors.Is(err, ErrTimeout) {
			return Frame{}, err
		}
	}
	accepted, err := l.send(ctx, frame)
	if err != nil {
		return Frame{}, err
	}
	if !accepted {
		return Frame{}, fmt.Errorf("kkt: %v rejected by device %d times: %w", cmd, l.retries+1, ErrBadFrame)
	}
	return l.awaitAnswer(ctx, cmd, timeout)
}

// send writes the frame until the device ACKs it. false without error: every try was NAKed, nothing ran.
func (l *link) send(ctx context.Context, frame []byte) (bool, error) {
	for try := 0; try <= l.retries; try++ {
		if err := l.write(frame...); err != nil {
			return false, err
		}
		b, err := l.readControl(ctx, time.Now().Add(l.enqTimeout))
		switch {
		case errors.Is(err, ErrTimeout):
			// The ACK may have been lost. A device that took the frame holds its answer until we ACK it, so it
			// answers ENQ with ACK; NAK proves the frame never arrived and sending it again is safe.
			r, err := l.enquire(ctx)
			if err != nil {
				return false, fmt.Errorf("%w: %w", err, ErrOutcomeUnknown)
			}
			if r != NAK {
				return true, nil
			}
		case err != nil:
			return false, fmt.Errorf("%w: %w", err, ErrOutcomeUnknown)
		case b == ACK || b == STX:
			return true, nil
		}
	}
	return false, nil
}

// awaitAnswer reads the answer to an accepted frame, asking with ENQ after every timeout and never
// re-sending the command.
func (l *link) awaitAnswer(ctx context.Context, cmd Command, timeout time.Duration) (Frame, error) {
	wait := timeout
	for round := 0; round <= l.retries+1; round++ {
		f, err := l.readFrame(ctx, time.Now().Add(wait))
		switch {
		case err == nil:
			if err := l.write(ACK); err != nil {
				return Frame{}, fmt.Errorf("%w: %w", err, ErrOutcomeUnknown)
			}
			if f.Command != cmd {
				return Frame{}, fmt.Errorf("kkt: answer to %v came for %v: %w: %w", f.Command, cmd, ErrBadFrame, ErrOutcomeUnknown)
			}
			return f, nil
		case errors.Is(err, ErrBadFrame):
			// The device repeats its answer on NAK; if it does not, the ENQ below asks for it.
			if err := l.write(NAK); err != nil {
				return Frame{}, fmt.Errorf("%w: %w", err, ErrOutcomeUnknown)
			}
			wait = l.enqTimeout
		case errors.Is(err, ErrTimeout):
			b, err := l.enquire(ctx)
			if err != nil {
				return Frame{}, fmt.Errorf("kkt: no answer to %v: %w: %w", cmd, err, ErrOutcomeUnknown)
			}
			if b == NAK {
				return Frame{}, fmt.Errorf("kkt: answer to %v lost, device idle: %w", cmd, ErrOutcomeUnknown)
			}
			wait = timeout
		default:
			return Frame{}, fmt.Errorf("kkt: waiting for %v: %w: %w", cmd, err, ErrOutcomeUnknown)
		}
	}
	return Frame{}, fmt.Errorf("kkt: no answer to %v: %w: %w", cmd, ErrTimeout, ErrOutcomeUnknown)
}

// enquire sends ENQ until the device replies with ACK or NAK (or starts a frame: returned as STX).
func (l *link) enquire(ctx context.Context) (byte, error) {
	for try := 0; try <= l.retries; try++ {
		if err := l.write(ENQ); err != nil {
			return 0, err
		}
		b, err := l.readControl(ctx, time.Now().Add(l.enqTimeout))
		if errors.Is(err, ErrTimeout) {
			continue
		}
		return b, err
	}
	return 0, ErrNoLink
}

// readControl returns the next ACK, NAK or STX, skipping anything else (e.g. the 0xFF some models send
// after an ACK over TCP).
func (l *link) readControl(ctx context.Context, deadline time.Time) (byte, error) {
	for {
		b, err := l.readByte(ctx, deadline)
		if err != nil {
			return 0, err
		}
		switch b {
		case ACK, NAK:
			return b, nil
		case STX:
			l.sawSTX = true
			return b, nil
		}
	}
}

// readFrame waits for STX until deadline, then reads LEN, payload and LRC with the inter-byte timeout.
func (l *link) readFrame(ctx context.Context, deadline time.Time) (Frame, error) {
	if !l.sawSTX {
		for {
			b, err := l.readByte(ctx, deadline)
			if err != nil {
				return Frame{}, err
			}
			if b == STX {
				break
			}
		}
	}
	l.sawSTX = false
	n, err := l.readByte(ctx, time.Now().Add(l.byteTimeout))
	if err != nil {
		return Frame{}, l.midFrame(err)
	}
	buf := make([]byte, 2, int(n)+3)
	buf[0], buf[1] = STX, n
	for i := 0; i <= int(n); i++ {
		b, err := l.readByte(ctx, time.Now().Add(l.byteTimeout))
		if err != nil {
			return Frame{}, l.midFrame(err)
		}
		buf = append(buf, b)
	}
	return DecodeFrame(buf)
}

// midFrame turns a timeout inside a frame into a bad frame: it is asked for again, not waited for.
func (l *link) midFrame(err error) error {
	if errors.Is(err, ErrTimeout) {
		return fmt.Errorf("%w: frame cut short", ErrBadFrame)
	}
	return err
}

func (l *link) readByte(ctx context.Context, deadline time.Time) (byte, error) {
	if len(l.in) > 0 {
		b := l.in[0]
		l.in = l.in[1:]
		return b, nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if l.dl != nil {
			step := time.Now().Add(pollStep)
			if deadline.Before(step) {
				step = deadline
			}
			if err := l.dl.SetReadDeadline(step); err != nil {
				return 0, fmt.Errorf("kkt: set read deadline: %w", err)
			}
		}
		n, err := l.rw.Read(l.rbuf[:])
		if n > 0 {
			l.in = l.rbuf[1:n]
			return l.rbuf[0], nil
		}
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			return 0, fmt.Errorf("kkt: read: %w", err)
		}
		if !time.Now().Before(deadline) {
			return 0, ErrTimeout
		}
	}
}

func (l *link) discardInput() error {
	if l.discard == nil {
		return nil
	}
	l.sawSTX, l.in = false, nil
	if err := l.discard.DiscardInput(); err != nil {
		return fmt.Errorf("kkt: %w", err)
	}
	return nil
}

func (l *link) write(b ...byte) error {
	if _, err := l.rw.Write(b); err != nil {
		return fmt.Errorf("kkt: write: %w", err)
	}
	return nil
}
