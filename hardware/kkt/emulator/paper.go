package emulator

import "github.com/kassa-pos/kassa/hardware/kkt"

// Submodes of the short and full status (PROTOCOLS.md §1.4).
const (
	SubmodeIdle           byte = 0 // paper present, idle
	SubmodePassiveNoPaper byte = 1 // the paper ran out (or was taken out) while idle
	SubmodeActiveNoPaper  byte = 2 // the paper ran out while printing a document
	SubmodeAfterNoPaper   byte = 3 // paper loaded after 2: waiting for 0xB0 to print the rest
)

// Error codes of the paper model.
const (
	errWaitContinue = 0x58 // waiting for the continue-print command
	errNoPaper      = 0x6B
)

// Flag bits of the status for the receipt roll (Shtrih "флаги ФР"): roll present, optical sensor sees paper.
const paperFlags = 1<<1 | 1<<7

// paper is the receipt roll.
type paper struct {
	out     bool     // no paper under the head
	left    int      // printed lines until the roll ends; <= 0 unlimited while paper is in
	submode byte     // SubmodeIdle …
	held    []string // the rest of the document interrupted by the end of the roll
}

// printing are the commands that put something on paper: refused with 0x6B when there is none.
var printing = map[kkt.Command]bool{
	kkt.CmdPrintString: true, kkt.CmdCut: true, kkt.CmdXReport: true, kkt.CmdZReport: true,
	kkt.CmdFNCloseShift: true, kkt.CmdCancelReceipt: true, kkt.CmdOpenReceipt: true, kkt.CmdOpenShift: true,
	kkt.CmdFNOpenShift: true, kkt.CmdCashIn: true, kkt.CmdCashOut: true, kkt.CmdCloseReceipt: true,
	kkt.CmdOperation: true, kkt.CmdBindMark: true,
}

// quiet are the commands that only read the device's state: answered in every submode.
var quiet = map[kkt.Command]bool{
	kkt.CmdShortStatus: true, kkt.CmdFullStatus: true, kkt.CmdDeviceType: true, kkt.CmdFNStatus: true,
	kkt.CmdFNSerial: true, kkt.CmdFindDocument: true, kkt.CmdContinuePrint: true,
}

// SetPaper takes the paper out (false) or loads a new roll (true). Loaded after the roll ran out in the
// middle of a document, the device waits for 0xB0 (submode 3) before it prints anything else.
func (d *Device) SetPaper(present bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := &d.paper
	if !present {
		d.runOut(p.submode == SubmodeAfterNoPaper)
		return
	}
	p.out, p.left = false, 0
	switch p.submode {
	case SubmodePassiveNoPaper:
		p.submode = SubmodeIdle
	case SubmodeActiveNoPaper:
		p.submode = SubmodeAfterNoPaper
	}
}

// runOut: there is no paper any more; active is whether a document was being printed.
func (d *Device) runOut(active bool) {
	p := &d.paper
	p.out, p.left = true, 0
	switch {
	case active:
		p.submode = SubmodeActiveNoPaper
	case p.submode == SubmodeIdle:
		p.submode = SubmodePassiveNoPaper
	}
	d.log.Info("kkt emulator: out of paper", "submode", p.submode)
}

// paperRefusal is the error a command gets in the current submode, 0 when it may run.
func (d *Device) paperRefusal(cmd kkt.Command) byte {
	if quiet[cmd] {
		return 0
	}
	switch d.paper.submode {
	case SubmodeAfterNoPaper:
		return errWaitContinue
	case SubmodePassiveNoPaper, SubmodeActiveNoPaper:
		if printing[cmd] {
			return errNoPaper
		}
	}
	return 0
}

// continuePrint is 0xB0: after paper was loaded, print the rest of the interrupted document.
func (d *Device) continuePrint(c *call, _ []byte) ([]byte, byte) {
	switch d.paper.submode {
	case SubmodePassiveNoPaper, SubmodeActiveNoPaper:
		return nil, errNoPaper
	case SubmodeAfterNoPaper:
		c.lines = append(d.paper.held, c.lines...)
		d.paper.held, d.paper.submode = nil, SubmodeIdle
	}
	return []byte{c.op}, 0
}

// feed prints lines as far as the paper goes and returns those printed; the rest is held for 0xB0.
func (d *Device) feed(lines []string) []string {
	p := &d.paper
	for i, l := range lines {
		if p.out {
			p.held = append(p.held, lines[i:]...)
			return lines[:i]
		}
		d.tape = append(d.tape, l)
		if p.left > 0 {
			if p.left--; p.left == 0 {
				d.runOut(i+1 < len(lines))
			}
		}
	}
	return lines
}

// statusFlagsNow are the status flags with the paper sensors as they are.
func (d *Device) statusFlagsNow() uint64 {
	if d.paper.out {
		return statusFlags &^ paperFlags
	}
	return statusFlags
}
