package emulator

import (
	"context"
	"io"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
)

type linkState int

const (
	idle      linkState = iota
	executing           // a command runs; ENQ is answered ACK, the answer follows when ready
	holding             // an answer was sent (or is held back by a fault) and waits for the host's ACK
)

// session is the link state of one Serve call. Everything but the executing goroutine runs on Serve's.
type session struct {
	d        *Device
	ctx      context.Context
	rw       io.Writer
	pace     pacer
	state    linkState
	answer   []byte      // the frame held for the host
	cmd      kkt.Command // the command it answers
	corrupt  int         // how many more times it goes out with a bad LRC
	buf      []byte      // frame being received, from STX
	last     time.Time   // when buf's last byte arrived
	offUntil time.Time   // after a power loss: the device ignores the line until then
	done     chan result
}

// result is an executed command's answer frame.
type result struct {
	cmd   kkt.Command
	frame []byte
}

func (d *Device) newSession(ctx context.Context, rw io.Writer) *session {
	return &session{d: d, ctx: ctx, rw: rw, pace: newPacer(d.cfg.Baud), done: make(chan result, 1)}
}

// send writes control bytes (or a frame) once byte at has arrived.
func (s *session) send(at time.Time, gap time.Duration, b ...byte) {
	if err := s.pace.write(s.ctx, s.rw, at, gap, b); err != nil {
		s.d.log.Debug("kkt emulator: write failed", "err", err)
	}
}

// sendAnswer (re)sends the held answer, damaged while the bad-lrc fault says so.
func (s *session) sendAnswer(at time.Time) {
	b := s.answer
	if s.corrupt > 0 {
		s.corrupt--
		b = append([]byte(nil), b...)
		b[len(b)-1] ^= 0x5A
		s.d.log.Info("kkt emulator: fault: answer sent with a bad LRC", "cmd", s.cmd)
	}
	gap := s.d.faults.byteDelay(s.cmd)
	if gap > 0 {
		s.d.log.Debug("kkt emulator: fault: answer bytes delayed", "cmd", s.cmd, "gap", gap)
	}
	s.send(at, gap, b...)
}

// handle takes one byte that arrived (all of it on the wire) at at.
func (s *session) handle(b byte, at time.Time) {
	if at.Before(s.offUntil) {
		return // no power: nobody listens
	}
	if len(s.buf) > 0 {
		s.buf, s.last = append(s.buf, b), at
		if len(s.buf) >= 2 && len(s.buf) == int(s.buf[1])+3 {
			s.frame(at)
		}
		return
	}
	switch b {
	case kkt.ENQ:
		switch s.state {
		case idle:
			s.send(at, 0, kkt.NAK)
		case executing:
			s.send(at, 0, kkt.ACK)
		case holding:
			s.send(at, 0, kkt.ACK)
			s.sendAnswer(at)
		}
	case kkt.ACK:
		if s.state == holding {
			s.state, s.answer = idle, nil
		}
	case kkt.NAK:
		if s.state == holding {
			s.sendAnswer(at)
		}
	case kkt.STX:
		s.buf, s.last = []byte{kkt.STX}, at
	}
}

// frame takes a whole frame whose last byte arrived at at.
func (s *session) frame(at time.Time) {
	raw := s.buf
	s.buf = nil
	f, err := kkt.DecodeFrame(raw)
	if err != nil || s.state == executing {
		s.send(at, 0, kkt.NAK)
		return
	}
	if _, ok := s.d.faults.hit(f.Command, FaultNAK); ok {
		s.d.log.Info("kkt emulator: fault: frame NAKed", "cmd", f.Command)
		s.send(at, 0, kkt.NAK)
		return
	}
	// A new command means the host gave up on an undelivered answer.
	s.state, s.answer, s.corrupt = executing, nil, 0
	// The ACK goes out once the frame's last byte is in (paced), and the command runs after it.
	s.send(at, 0, kkt.ACK)
	go func() {
		ans := s.d.execute(f)
		select {
		case s.done <- result{cmd: f.Command, frame: ans}:
		case <-s.ctx.Done():
		}
	}()
}

// answered sends (or loses, or holds back) the answer of an executed command.
func (s *session) answered(r result) {
	fate := s.d.answerFate(r.cmd)
	if fate.lost {
		s.powerLoss(r.cmd, fate.down)
		return
	}
	s.answer, s.cmd, s.state, s.corrupt = r.frame, r.cmd, holding, fate.corrupt
	if fate.held {
		s.d.log.Info("kkt emulator: fault: answer held back", "cmd", r.cmd)
		return
	}
	s.sendAnswer(time.Now())
}

// powerLoss: the answer is gone, the line is dead for down, and the device comes back idle with the
// memory it persisted.
func (s *session) powerLoss(cmd kkt.Command, down time.Duration) {
	s.state, s.answer, s.buf, s.corrupt = idle, nil, nil, 0
	s.offUntil = time.Now().Add(down)
	s.d.log.Info("kkt emulator: fault: power lost after the command ran", "cmd", cmd, "down", down)
	s.d.powerCycle()
}
