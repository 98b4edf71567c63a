package fiscal

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
)

// paperScript is the paper roll of a scripted register: it refuses commands the way a Shtrih does without
// paper (PROTOCOLS.md §1.4) and lets the emulator behind it run the rest.
type paperScript struct {
	submode byte        // 0 paper in, 1 out while idle, 2 out while printing, 3 loaded again: waiting for 0xB0
	before  kkt.Command // the roll is found empty when this command comes (submode 1)
	after   kkt.Command // the roll ends while this command prints (submode 2 once it ran)
	refusal byte        // what a printing command gets without paper; 0x6B when zero
	silent  kkt.Command // this command runs but its answer is never sent
	refuse  kkt.Command // this command is refused every time (0x37, not supported)
}

// printingCmds are the commands that print; the rest (status, FN, TLV, marking) runs without paper.
var printingCmds = map[kkt.Command]bool{
	kkt.CmdOpenReceipt: true, kkt.CmdOperation: true, kkt.CmdCloseReceipt: true, kkt.CmdCancelReceipt: true,
	kkt.CmdOpenShift: true, kkt.CmdZReport: true, kkt.CmdBindMark: true,
}

// scriptedLine is the device end of the line to the driver under test: it speaks the link layer itself
// and passes each command on to an emulator (through a driver of its own) unless the script refuses it.
type scriptedLine struct {
	fwd *kkt.Driver

	mu      sync.Mutex
	script  paperScript
	cmds    []string // what reached this device, refusals marked with their code
	awaited int      // times the adapter asked for paper
}

func (l *scriptedLine) serve(conn net.Conn) {
	r := bufio.NewReader(conn)
	for {
		b, err := r.ReadByte()
		if err != nil {
			return
		}
		switch b {
		case kkt.ENQ:
			_, _ = conn.Write([]byte{kkt.NAK}) // idle: answers are sent once, never held
		case kkt.STX:
			n, err := r.ReadByte()
			if err != nil {
				return
			}
			rest := make([]byte, int(n)+1)
			if _, err := io.ReadFull(r, rest); err != nil {
				return
			}
			f, err := kkt.DecodeFrame(append([]byte{kkt.STX, n}, rest...))
			if err != nil {
				_, _ = conn.Write([]byte{kkt.NAK})
				continue
			}
			_, _ = conn.Write([]byte{kkt.ACK})
			if ans := l.answer(f); ans != nil {
				_, _ = conn.Write(ans)
			}
		}
	}
}

// answer runs one command and returns its answer frame, nil to lose it.
func (l *scriptedLine) answer(f kkt.Frame) []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := &l.script
	refuse := func(code byte) []byte {
		l.cmds = append(l.cmds, fmt.Sprintf("%X!%02X", uint16(f.Command), code))
		ans, _ := kkt.EncodeFrame(f.Command, []byte{code})
		return ans
	}
	if f.Command == s.before {
		s.before, s.submode = 0, 1
	}
	switch {
	case f.Command == s.refuse:
		return refuse(0x37)
	case f.Command == kkt.CmdContinuePrint && (s.submode == 1 || s.submode == 2):
		return refuse(0x6B)
	case f.Command == kkt.CmdContinuePrint && s.submode == 3:
		s.submode = 0
	case s.submode == 3 && f.Command != kkt.CmdShortStatus:
		return refuse(0x58)
	case (s.submode == 1 || s.submode == 2) && printingCmds[f.Command]:
		if s.refusal != 0 {
			return refuse(s.refusal)
		}
		return refuse(0x6B)
	}
	l.cmds = append(l.cmds, fmt.Sprintf("%X", uint16(f.Command)))
	data, err := l.fwd.Do(context.Background(), f.Command, f.Data)
	var de *kkt.DeviceError
	switch {
	case errors.As(err, &de):
		ans, _ := kkt.EncodeFrame(f.Command, []byte{de.Code})
		return ans
	case err != nil:
		panic(err) // the emulator on a pipe does not fail
	}
	if f.Command == s.after {
		s.after, s.submode = 0, 2
	}
	if f.Command == kkt.CmdShortStatus {
		data[4] = s.submode
	}
	if f.Command == s.silent {
		s.silent = 0
		return nil
	}
	ans, _ := kkt.EncodeFrame(f.Command, append([]byte{0}, data...))
	return ans
}

// load is the cashier putting a new roll in (or, with giveUp, not).
func (l *scriptedLine) load(giveUp bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.awaited++
	if giveUp {
		return
	}
	switch l.script.submode {
	case 1:
		l.script.submode = 0
	case 2:
		l.script.submode = 3
	}
}

func (l *scriptedLine) set(s paperScript) {
	l.mu.Lock()
	l.script = s
	l.cmds = nil
	l.mu.Unlock()
}

func (l *scriptedLine) log() (string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.cmds, " "), l.awaited
}

// scriptedBench is an adapter on a scripted register in front of the emulator.
type scriptedBench struct {
	reg  *Register
	dev  *emulator.Device
	line *scriptedLine
}

func newScriptedBench(t *testing.T, cfg Config) *scriptedBench {
	t.Helper()
	dev, err := emulator.New(emulator.Config{Now: (&clock{t: start}).Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	fwdHost, fwdDev := net.Pipe()
	done := make(chan struct{})
	go func() { defer close(done); _ = dev.Serve(ctx, fwdDev) }()
	line := &scriptedLine{fwd: kkt.NewDriver(fwdHost, kkt.Config{Location: time.UTC})}
	host, device := net.Pipe()
	served := make(chan struct{})
	go func() { defer close(served); line.serve(device) }()
	t.Cleanup(func() {
		cancel()
		host.Close()
		device.Close()
		<-served
		fwdHost.Close()
		fwdDev.Close()
		<-done
	})
	// Short answer timeouts: a lost answer is found out at once (the device answers ENQ with NAK).
	drv := kkt.NewDriver(host, kkt.Config{Location: time.UTC, Timeouts: map[kkt.Command]time.Duration{
		kkt.CmdCloseReceipt: 300 * time.Millisecond, kkt.CmdOperation: 300 * time.Millisecond}})
	return &scriptedBench{reg: New(drv, cfg), dev: dev, line: line}
}
