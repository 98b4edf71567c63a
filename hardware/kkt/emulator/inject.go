package emulator

import (
	"sync"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
)

// shiftJump is how far shift-expire moves the device clock.
const shiftJump = shiftLength + time.Minute

// Inject arms a fault on a running device (or one not serving yet). Faults that change the device's
// state without a command to wait for (paper-out, fn-warnings and reject-mark without cmd) take effect
// before Inject returns; shift-expire without cmd too when a shift is open, else once the next one opens.
func (d *Device) Inject(f Fault) error {
	if err := f.Validate(); err != nil {
		return err
	}
	if f.Kind == FaultShiftExpire && f.Cmd == 0 {
		d.mu.Lock() // held while arming, so that a shift opening now is either seen open or counted
		defer d.mu.Unlock()
		if d.st.ShiftOpen {
			d.applyLocked(f)
		} else {
			d.faults.add(f)
		}
		return nil
	}
	if f.Kind == FaultPaperOut || f.Kind == FaultRejectMark || (stateFault(f.Kind) && f.Cmd == 0) {
		d.mu.Lock()
		d.applyLocked(f)
		d.mu.Unlock()
		return nil
	}
	d.faults.add(f)
	return nil
}

// stateFault: the kind changes the device's state rather than the link's behaviour.
func stateFault(k FaultKind) bool { return k == FaultShiftExpire || k == FaultFNWarnings }

// applyLocked makes a state fault take effect; d.mu is held.
func (d *Device) applyLocked(f Fault) {
	switch f.Kind {
	case FaultPaperOut:
		d.paper.left = f.Lines
		if f.Lines == 0 {
			d.runOut(false)
		}
	case FaultShiftExpire:
		d.skew += shiftJump
		d.log.Info("kkt emulator: clock jumped ahead", "by", shiftJump)
	case FaultFNWarnings:
		d.warnings = f.Flags
	case FaultRejectMark:
		if d.rejectGTIN == nil {
			d.rejectGTIN = map[string]byte{}
		}
		d.rejectGTIN[f.GTIN] = max(f.Code, f.Status) // one of them is zero
	}
}

// armed is a fault waiting for its command.
type armed struct {
	Fault
	seen int // occurrences of the command so far
	left int // hits still to come, from the nth occurrence on
}

// faultSet holds the armed faults. It has its own lock: the link asks it outside d.mu.
type faultSet struct {
	mu    sync.Mutex
	armed []*armed // in the order they were armed
}

func (s *faultSet) add(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	left := 1 // one answer; bad-lrc's Count is how often that answer is damaged
	if f.Kind == FaultNAK {
		left = f.count() // Count frames in a row: the host's re-sends of the NAKed one
	}
	s.armed = append(s.armed, &armed{Fault: f, left: left})
}

// hit counts an occurrence of cmd for the faults of kind and returns the first one that fires. A fault
// that has hit Count times is disarmed.
func (s *faultSet) hit(cmd kkt.Command, kinds ...FaultKind) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var fired *armed
	for _, a := range s.armed {
		if !a.matches(cmd) || !has(kinds, a.Kind) {
			continue
		}
		a.seen++
		if fired == nil && a.seen >= a.nth() && a.left > 0 {
			fired = a
			a.left--
		}
	}
	if fired == nil {
		return Fault{}, false
	}
	if fired.left == 0 {
		s.remove(fired)
	}
	return fired.Fault, true
}

// executed counts an executed cmd and returns the state faults it sets off, in the order they were armed.
func (s *faultSet) executed(cmd kkt.Command) []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	var due []Fault
	kept := s.armed[:0]
	for _, a := range s.armed {
		if stateFault(a.Kind) && a.setOffBy(cmd) {
			if a.seen++; a.seen >= a.nth() {
				due = append(due, a.Fault)
				continue
			}
		}
		kept = append(kept, a)
	}
	s.armed = kept
	return due
}

// setOffBy reports whether executing cmd counts for a state fault: shift-expire without cmd waits for a
// shift to open.
func (a *armed) setOffBy(cmd kkt.Command) bool {
	if a.Kind == FaultShiftExpire && a.Cmd == 0 {
		return cmd == kkt.CmdOpenShift || cmd == kkt.CmdFNOpenShift
	}
	return a.matches(cmd)
}

// byteDelay is the extra time between two bytes of the answer to cmd.
func (s *faultSet) byteDelay(cmd kkt.Command) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var d time.Duration
	for _, a := range s.armed {
		if a.Kind == FaultByteDelay && a.matches(cmd) {
			d = max(d, a.Delay)
		}
	}
	return d
}

func (s *faultSet) remove(a *armed) {
	for i, b := range s.armed {
		if b == a {
			s.armed = append(s.armed[:i], s.armed[i+1:]...)
			return
		}
	}
}

func has(kinds []FaultKind, k FaultKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// answerFate is what happens to an answer that is ready.
type answerFate struct {
	lost    bool          // power loss: never sent
	down    time.Duration // how long the device is off after a power loss
	held    bool          // dropped: kept for the host's ENQ, not sent now
	corrupt int           // sent with a wrong LRC this many times
}

// answerFate consults the answer faults for an executed cmd.
func (d *Device) answerFate(cmd kkt.Command) answerFate {
	f, ok := d.faults.hit(cmd, FaultPowerLoss, FaultDropAnswer, FaultBadLRC)
	if !ok {
		return answerFate{}
	}
	switch f.Kind {
	case FaultPowerLoss:
		return answerFate{lost: true, down: f.Down}
	case FaultDropAnswer:
		return answerFate{held: true}
	}
	return answerFate{corrupt: f.count()}
}
