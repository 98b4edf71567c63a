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

// ReadDeadliner is what the Scale needs to time reads out; serialport.Port, net.Conn and a pollable *os.File
// have it. Over a plain io.ReadWriter a silent scale blocks Weight until it sends something.
type ReadDeadliner interface {
	SetReadDeadline(t time.Time) error
}

// InputDiscarder drops bytes received and not read yet (serialport.Port has it): a late answer to a request
// that timed out must not be read as the answer to the next one.
type InputDiscarder interface {
	DiscardInput() error
}

// Config tunes a Scale; the zero value works.
type Config struct {
	// AnswerTimeout is the wait for a whole answer to one request; 500 ms when zero.
	AnswerTimeout time.Duration
	// Retries is how many times Weight repeats a request that got no answer or a corrupt one (CMD_GET_MASSA
	// changes nothing, so repeating it is safe); 1 when zero, none when negative.
	Retries int
	// PollInterval is the pause between two requests in StableWeight; 100 ms when zero.
	PollInterval time.Duration
}

// Reading is one weight from the scale.
type Reading struct {
	Grams  int64 // whole grams; negative only together with ErrUnderload
	Stable bool  // the weight has settled; only a stable weight may be sold
	Net    bool  // a tare is subtracted
}

// pollStep bounds one blocking read so that a cancelled context is noticed promptly.
const pollStep = 100 * time.Millisecond

// Scale is the host side of «Протокол 100». Its methods are safe for concurrent use; requests are serialised.
type Scale struct {
	cfg     Config
	rw      io.ReadWriter
	dl      ReadDeadliner
	discard InputDiscarder

	mu  sync.Mutex
	buf []byte
}

// New wraps rw, which should also be a ReadDeadliner (see there).
func New(rw io.ReadWriter, cfg Config) *Scale {
	if cfg.AnswerTimeout <= 0 {
		cfg.AnswerTimeout = 500 * time.Millisecond
	}
	if cfg.Retries == 0 {
		cfg.Retries = 1
	} else if cfg.Retries < 0 {
		cfg.Retries = 0
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 100 * time.Millisecond
	}
	s := &Scale{cfg: cfg, rw: rw, buf: make([]byte, 0, 64)}
	s.dl, _ = rw.(ReadDeadliner)
	s.discard, _ = rw.(InputDiscarder)
	return s
}

// Weight asks for the current weight once. Over the maximum it returns ErrOverload; below zero it returns
// the Reading together with ErrUnderload, so that the caller can still show it.
func (s *Scale) Weight(ctx context.Context) (Reading, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var f Frame
	var err error
	for try := 0; try <= s.cfg.Retries; try++ {
		f, err = s.transact(ctx, CmdGetMassa)
		if err == nil || !(errors.Is(err, ErrNoAnswer) || errors.Is(err, ErrBadFrame)) {
			break
		}
	}
	if err != nil {
		return Reading{}, err
	}
	if f.Command != CmdAckMassa {
		return Reading{}, answerError(f)
	}
	m, err := DecodeMassa(f.Data)
	if err != nil {
		return Reading{}, err
	}
	r := Reading{Grams: m.Grams(), Stable: m.Stable, Net: m.Net}
	if m.Weight < 0 {
		return r, fmt.Errorf("scale: %d g: %w", r.Grams, ErrUnderload)
	}
	return r, nil
}

// StableWeight polls Weight until the weight settles and returns it in grams. ErrUnstable when it has not
// settled after timeout; ErrOverload, ErrUnderload and link errors end the wait at once, since the cashier
// has to act on them.
func (s *Scale) StableWeight(ctx context.Context, timeout time.Duration) (int64, error) {
	deadline := time.Now().Add(timeout)
	tick := time.NewTimer(0)
	defer tick.Stop()
	for {
		r, err := s.Weight(ctx)
		if err != nil {
			return 0, err
		}
		if r.Stable {
			return r.Grams, nil
		}
		if !time.Now().Add(s.cfg.PollInterval).Before(deadline) {
			return 0, fmt.Errorf("scale: last %d g after %v: %w", r.Grams, timeout, ErrUnstable)
		}
		tick.Reset(s.cfg.PollInterval)
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-tick.C:
		}
	}
}

// transact sends one request and reads one answer frame.
func (s *Scale) transact(ctx context.Context, cmd byte) (Frame, error) {
	if err := ctx.Err(); err != nil {
		return Frame{}, err
	}
	if s.discard != nil {
		if err := s.discard.DiscardInput(); err != nil {
			return Frame{}, fmt.Errorf("scale: %w", err)
		}
	}
	req, err := EncodeFrame(cmd, nil)
	if err != nil {
		return Frame{}, err
	}
	if _, err := s.rw.Write(req); err != nil {
		return Frame{}, fmt.Errorf("scale: write: %w", err)
	}
	return s.readFrame(ctx, time.Now().Add(s.cfg.AnswerTimeout))
}

// readFrame skips bytes until the header, then reads LEN, body and CRC, all before deadline.
func (s *Scale) readFrame(ctx context.Context, deadline time.Time) (Frame, error) {
	s.buf = s.buf[:0]
	for len(s.buf) < len(Header) {
		b, err := s.readByte(ctx, deadline)
		if err != nil {
			return Frame{}, err
		}
		s.buf = append(s.buf, b)
		// Resynchronise on a header that starts later: keep the longest suffix that is a header prefix.
		for len(s.buf) > 0 && !headerPrefix(s.buf) {
			s.buf = s.buf[1:]
		}
	}
	for len(s.buf) < len(Header)+2 {
		b, err := s.readByte(ctx, deadline)
		if err != nil {
			return Frame{}, err
		}
		s.buf = append(s.buf, b)
	}
	n, err := bodyLen(s.buf)
	if err != nil {
		return Frame{}, err
	}
	for len(s.buf) < n+overhead {
		b, err := s.readByte(ctx, deadline)
		if err != nil {
			return Frame{}, err
		}
		s.buf = append(s.buf, b)
	}
	return DecodeFrame(s.buf)
}

func headerPrefix(b []byte) bool {
	for i, c := range b {
		if i >= len(Header) || c != Header[i] {
			return false
		}
	}
	return true
}

func (s *Scale) readByte(ctx context.Context, deadline time.Time) (byte, error) {
	var one [1]byte
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if s.dl != nil {
			step := time.Now().Add(pollStep)
			if deadline.Before(step) {
				step = deadline
			}
			if err := s.dl.SetReadDeadline(step); err != nil {
				return 0, fmt.Errorf("scale: set read deadline: %w", err)
			}
		}
		n, err := s.rw.Read(one[:])
		if n == 1 {
			return one[0], nil
		}
		timedOut := errors.Is(err, os.ErrDeadlineExceeded)
		if err != nil && !timedOut {
			return 0, fmt.Errorf("scale: read: %w", err)
		}
		if !time.Now().Before(deadline) {
			if err == nil {
				err = os.ErrDeadlineExceeded
			}
			return 0, fmt.Errorf("%w: %w", ErrNoAnswer, err)
		}
	}
}
