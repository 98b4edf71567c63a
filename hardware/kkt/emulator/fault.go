package emulator

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
)

// FaultKind is what goes wrong.
type FaultKind int

// The faults the emulator can inject; the script keyword of each is in the comment.
const (
	// FaultPaperOut (paper-out line=N): the roll ends after N more printed lines (0: it is out now).
	FaultPaperOut FaultKind = iota + 1
	// FaultNAK (nak cmd=C nth=N count=K): the device NAKs K frames of C, starting with the Nth, as if
	// their checksum had been damaged on the line; a NAKed frame is not executed.
	FaultNAK
	// FaultBadLRC (bad-lrc cmd=C nth=N count=K): the answer to the Nth C goes out with a wrong LRC the first
	// K times it is sent; the host's NAK gets it sent again.
	FaultBadLRC
	// FaultDropAnswer (drop-answer cmd=C nth=N): the answer to the Nth C is held but not sent; the host's
	// ENQ gets ACK and the answer, as the protocol says.
	FaultDropAnswer
	// FaultPowerLoss (power-loss cmd=C nth=N down=D): the Nth C is executed and the power fails before its
	// answer is sent: the answer is lost for good, the device ignores the line for D, then answers ENQ
	// with NAK, its memory (shift, FN, open receipt) as it was persisted.
	FaultPowerLoss
	// FaultByteDelay (byte-delay ms=M cmd=C): M milliseconds more between two bytes of every answer (of C
	// only, when given).
	FaultByteDelay
	// FaultShiftExpire (shift-expire cmd=C nth=N): the device clock jumps 24 h 1 min ahead, so an open shift
	// is over 24 hours (mode 3, only the Z report allowed). Without cmd it jumps at once when a shift is
	// open, else right after the next shift opens.
	FaultShiftExpire
	// FaultFNWarnings (fn-warnings flags=F cmd=C nth=N): the FN reports warning flags F in FF01.
	FaultFNWarnings
	// FaultRejectMark (reject-mark gtin=G code=E | status=S): FF61 refuses marking codes of GTIN G (every
	// code when G is empty) with device error E (0xA0–0xA5), or ОИСМ answers status S (tag 2109) and the
	// check result is negative (2106 = 0x07).
	FaultRejectMark
)

var faultNames = map[FaultKind]string{
	FaultPaperOut: "paper-out", FaultNAK: "nak", FaultBadLRC: "bad-lrc", FaultDropAnswer: "drop-answer",
	FaultPowerLoss: "power-loss", FaultByteDelay: "byte-delay", FaultShiftExpire: "shift-expire",
	FaultFNWarnings: "fn-warnings", FaultRejectMark: "reject-mark",
}

// faultKeys are the parameters each kind takes, in the order String writes them.
var faultKeys = map[FaultKind][]string{
	FaultPaperOut:    {"line"},
	FaultNAK:         {"cmd", "nth", "count"},
	FaultBadLRC:      {"cmd", "nth", "count"},
	FaultDropAnswer:  {"cmd", "nth"},
	FaultPowerLoss:   {"cmd", "nth", "down"},
	FaultByteDelay:   {"ms", "cmd"},
	FaultShiftExpire: {"cmd", "nth"},
	FaultFNWarnings:  {"flags", "cmd", "nth"},
	FaultRejectMark:  {"gtin", "code", "status"},
}

func (k FaultKind) String() string {
	if s, ok := faultNames[k]; ok {
		return s
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// Fault is one injected fault. Zero fields take their defaults: Cmd 0 is any command, Nth 0 the first
// one, Count 0 once. A fault with Cmd set whose kind acts on the device's state (shift-expire,
// fn-warnings) takes effect after the Nth execution of Cmd; without Cmd it takes effect at once.
type Fault struct {
	Kind   FaultKind
	Cmd    kkt.Command   // the command the fault waits for; 0 any
	Nth    int           // which occurrence of Cmd (counted from when the fault is armed); 0 or 1 the first
	Count  int           // nak, bad-lrc: how many in a row; 0 or 1 once
	Lines  int           // paper-out: printed lines left on the roll
	Down   time.Duration // power-loss: how long the device is off; 0 comes back at once
	Delay  time.Duration // byte-delay: extra time between two answer bytes, whole milliseconds
	Flags  byte          // fn-warnings: FF01 warning flags
	GTIN   string        // reject-mark: 14 digits; empty for every code
	Code   byte          // reject-mark: device error 0xA0–0xA5 of FF61
	Status byte          // reject-mark: ОИСМ status (tag 2109) of a negative answer, 2–255 outside 0xA0–0xA5
}

// allKeys are every parameter of every kind.
var allKeys = []string{"line", "cmd", "nth", "count", "down", "ms", "flags", "gtin", "code", "status"}

// Limits of the fault parameters.
const (
	maxFaultCount = 1000
	maxDown       = time.Hour
	maxByteDelay  = 10 * time.Second
)

// String is the fault as a script line; ParseFaults reads it back to the same Fault.
func (f Fault) String() string {
	parts := []string{f.Kind.String()}
	for _, k := range faultKeys[f.Kind] {
		if v := f.value(k); v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	return strings.Join(parts, " ")
}

// value formats one parameter, "" when it has its default (zero).
func (f Fault) value(key string) string {
	switch key {
	case "line":
		if f.Lines != 0 {
			return fmt.Sprint(f.Lines)
		}
	case "cmd":
		if f.Cmd != 0 {
			return fmt.Sprintf("%X", uint16(f.Cmd))
		}
	case "nth":
		if f.Nth != 0 {
			return fmt.Sprint(f.Nth)
		}
	case "count":
		if f.Count != 0 {
			return fmt.Sprint(f.Count)
		}
	case "down":
		if f.Down != 0 {
			return f.Down.String()
		}
	case "ms":
		if f.Delay != 0 {
			return fmt.Sprint(f.Delay.Milliseconds())
		}
	case "flags":
		if f.Flags != 0 {
			return fmt.Sprintf("0x%02X", f.Flags)
		}
	case "gtin":
		return f.GTIN
	case "code":
		if f.Code != 0 {
			return fmt.Sprintf("0x%02X", f.Code)
		}
	case "status":
		if f.Status != 0 {
			return fmt.Sprintf("0x%02X", f.Status)
		}
	}
	return ""
}

// Validate reports a fault that cannot be armed.
func (f Fault) Validate() error {
	if _, ok := faultNames[f.Kind]; !ok {
		return fmt.Errorf("emulator: unknown fault kind %d", int(f.Kind))
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if f.Cmd != 0 && !f.Cmd.Valid() {
		bad("cmd %v is not a command code", f.Cmd)
	}
	if f.Nth < 0 || f.Nth > maxFaultCount {
		bad("nth %d out of 0..%d", f.Nth, maxFaultCount)
	}
	if f.Count < 0 || f.Count > maxFaultCount {
		bad("count %d out of 0..%d", f.Count, maxFaultCount)
	}
	if f.Lines < 0 {
		bad("line %d is negative", f.Lines)
	}
	if f.Down < 0 || f.Down > maxDown {
		bad("down %v out of 0..%v", f.Down, maxDown)
	}
	if f.Delay < 0 || f.Delay > maxByteDelay || f.Delay%time.Millisecond != 0 {
		bad("byte delay %v is not whole milliseconds in 0..%v", f.Delay, maxByteDelay)
	}
	if f.Kind == FaultRejectMark {
		errs = append(errs, f.validateReject())
	}
	// A parameter the kind does not take is a mistake in the script, not something to ignore.
	for _, k := range allKeys {
		if !takes(f.Kind, k) && f.value(k) != "" {
			bad("%s takes no %s", f.Kind, k)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("emulator: fault %q: %w", f.Kind.String(), err)
	}
	return nil
}

func (f Fault) validateReject() error {
	switch {
	case f.GTIN != "" && !isGTIN(f.GTIN):
		return fmt.Errorf("gtin %q is not 14 digits", f.GTIN)
	case (f.Code == 0) == (f.Status == 0):
		return errors.New("reject-mark needs exactly one of code and status")
	case f.Code != 0 && (f.Code < 0xA0 || f.Code > 0xA5):
		return fmt.Errorf("code 0x%02X is not a marking error 0xA0–0xA5", f.Code)
	case f.Status == 1 || (f.Status >= 0xA0 && f.Status <= 0xA5):
		return fmt.Errorf("status 0x%02X is not a refusal (2–255 outside 0xA0–0xA5)", f.Status)
	}
	return nil
}

func takes(k FaultKind, key string) bool {
	for _, s := range faultKeys[k] {
		if s == key {
			return true
		}
	}
	return false
}

func isGTIN(s string) bool {
	if len(s) != 14 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// nth is the occurrence the fault waits for, 1-based.
func (f Fault) nth() int { return max(f.Nth, 1) }

// count is how many times in a row the fault hits.
func (f Fault) count() int { return max(f.Count, 1) }

// matches reports whether the fault waits for cmd.
func (f Fault) matches(cmd kkt.Command) bool { return f.Cmd == 0 || f.Cmd == cmd }
