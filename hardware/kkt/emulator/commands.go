package emulator

import (
	"time"

	"github.com/kassa-pos/kassa/hardware/kkt"
)

// Error codes the emulator answers with (PROTOCOLS.md §1.5).
const (
	errFNNoData        = 0x08
	errFNShiftExpired  = 0x16
	errFNBadValue      = 0x09
	errBadParams       = 0x33
	errNoCash          = 0x46
	errNotSupported    = 0x37
	errPaymentsShort   = 0x45
	errReceiptOpen     = 0x4A
	errShiftExpired    = 0x4E
	errBadPassword     = 0x4F
	errReceiptClosed   = 0x55
	errInvalidOp       = 0x5E
	errNotInThisMode   = 0x73
	errMarkSequence    = 0xA1
	errMarkTableFull   = 0xA3
	errMarkNotChecked  = 0xA5
	statusFlags        = 0x0292 // paper present, as a real device reports it (vector 1r)
	shiftLength        = 24 * time.Hour
	shortStatusVoltage = 0x9F
)

// call is one command being executed under d.mu.
type call struct {
	now     time.Time
	op      byte // operator from the password
	changed bool
	lines   []string
}

type handler func(d *Device, c *call, p []byte) ([]byte, byte)

var handlers = map[kkt.Command]handler{
	kkt.CmdShortStatus:    withPwd((*Device).shortStatus),
	kkt.CmdPrintString:    withPwd((*Device).printString),
	kkt.CmdCut:            withPwd((*Device).cut),
	kkt.CmdXReport:        withPwd((*Device).xReport),
	kkt.CmdZReport:        withPwd(func(d *Device, c *call, p []byte) ([]byte, byte) { return d.closeShift(c, false) }),
	kkt.CmdFNCloseShift:   withPwd(func(d *Device, c *call, p []byte) ([]byte, byte) { return d.closeShift(c, true) }),
	kkt.CmdCancelReceipt:  withPwd((*Device).cancelReceipt),
	kkt.CmdOpenReceipt:    withPwd((*Device).openReceipt),
	kkt.CmdContinuePrint:  withPwd((*Device).continuePrint),
	kkt.CmdOpenShift:      withPwd(func(d *Device, c *call, p []byte) ([]byte, byte) { return d.openShift(c, false) }),
	kkt.CmdFNOpenShift:    withPwd(func(d *Device, c *call, p []byte) ([]byte, byte) { return d.openShift(c, true) }),
	kkt.CmdDeviceType:     (*Device).deviceType,
	kkt.CmdFNStatus:       withPwd((*Device).fnStatus),
	kkt.CmdFNSerial:       withPwd(func(d *Device, c *call, p []byte) ([]byte, byte) { return []byte(d.cfg.FNSerial), 0 }),
	kkt.CmdFindDocument:   withPwd((*Device).findDocument),
	kkt.CmdSendTLV:        withPwd((*Device).sendTLV),
	kkt.CmdOperationTLV:   withPwd((*Device).operationTLV),
	kkt.CmdFullStatus:     withPwd((*Device).fullStatus),
	kkt.CmdOpenDrawer:     withPwd((*Device).openDrawer),
	kkt.CmdCashIn:         withPwd(func(d *Device, c *call, p []byte) ([]byte, byte) { return d.cash(c, p, true) }),
	kkt.CmdCashOut:        withPwd(func(d *Device, c *call, p []byte) ([]byte, byte) { return d.cash(c, p, false) }),
	kkt.CmdCheckMark:      withPwd((*Device).checkMark),
	kkt.CmdAcceptMark:     withPwd((*Device).acceptMark),
	kkt.CmdBindMark:       withPwd((*Device).bindMark),
	kkt.CmdBeginOpenShift: withPwd((*Device).beginOpen),
	kkt.CmdBeginClose:     withPwd((*Device).beginClose),
	kkt.CmdCloseReceipt:   withPwd((*Device).closeReceipt),
	kkt.CmdOperation:      withPwd((*Device).operation),
}

// withPwd checks the 4-byte password (1–30: operators, administrator 29, system administrator 30) and hands
// the handler the parameters after it.
func withPwd(h handler) handler {
	return func(d *Device, c *call, p []byte) ([]byte, byte) {
		if len(p) < 4 {
			return nil, errBadParams
		}
		pwd := le(p[:4])
		if pwd < 1 || pwd > 30 {
			return nil, errBadPassword
		}
		c.op = byte(pwd)
		return h(d, c, p[4:])
	}
}

func le(b []byte) uint64 {
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

func putLE(b []byte, v uint64, n int) []byte {
	for i := 0; i < n; i++ {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

func putDateTime(b []byte, t time.Time) []byte {
	return append(b, byte(t.Year()%100), byte(t.Month()), byte(t.Day()), byte(t.Hour()), byte(t.Minute()))
}

// expired reports an open shift older than 24 hours.
func (d *Device) expired(now time.Time) bool {
	return d.st.ShiftOpen && now.Sub(d.st.ShiftOpenedAt) >= shiftLength
}

func (d *Device) modeByte(now time.Time) byte {
	switch {
	case d.st.Receipt != nil:
		return kkt.ModeReceiptOpen | d.st.Receipt.Kind<<4
	case !d.st.ShiftOpen:
		return kkt.ModeShiftClosed
	case d.expired(now):
		return kkt.ModeShiftExpired
	}
	return kkt.ModeShiftOpen
}

// execute runs one command frame and returns the encoded answer frame.
func (d *Device) execute(f kkt.Frame) []byte {
	if d.cfg.OnCommand != nil {
		d.cfg.OnCommand(f.Command, StageReceived)
	}
	d.mu.Lock()
	c := &call{now: d.now()}
	data, code := d.run(c, f)
	if c.changed {
		if err := d.save(); err != nil {
			d.log.Error("kkt emulator: state not saved", "err", err)
		}
	}
	if code == 0 {
		for _, ft := range d.faults.executed(f.Command) {
			d.applyLocked(ft)
		}
	}
	printed := c.lines
	if printing[f.Command] || f.Command == kkt.CmdContinuePrint {
		printed = d.feed(c.lines)
	} else {
		d.tape = append(d.tape, c.lines...) // the drawer's note: nothing goes on paper
	}
	listeners := append([]func(string){}, d.listeners...)
	d.mu.Unlock()
	for _, line := range printed {
		for _, l := range listeners {
			l(line)
		}
	}
	if d.cfg.OnCommand != nil {
		d.cfg.OnCommand(f.Command, StageExecuted)
	}
	ans := []byte{code}
	if code == 0 {
		ans = append(ans, data...)
	}
	frame, err := kkt.EncodeFrame(f.Command, ans)
	if err != nil { // an answer over 255 bytes: a bug in a handler, refuse rather than send garbage
		d.log.Error("kkt emulator: answer does not fit a frame", "cmd", f.Command, "err", err)
		frame, _ = kkt.EncodeFrame(f.Command, []byte{errNotSupported})
	}
	return frame
}

// run finds the command's handler and runs it unless the paper's state forbids it.
func (d *Device) run(c *call, f kkt.Frame) ([]byte, byte) {
	h, ok := handlers[f.Command]
	if !ok {
		return nil, errNotSupported
	}
	if code := d.paperRefusal(f.Command); code != 0 {
		return nil, code
	}
	return h(d, c, f.Data)
}

func (d *Device) shortStatus(c *call, _ []byte) ([]byte, byte) {
	var ops uint16
	if d.st.Receipt != nil {
		ops = uint16(len(d.st.Receipt.Lines))
	}
	b := []byte{c.op}
	b = putLE(b, d.statusFlagsNow(), 2)
	b = append(b, d.modeByte(c.now), d.paper.submode, byte(ops), shortStatusVoltage, 0xE5, 0, 0, byte(ops>>8), 0, 0, 0)
	return b, 0
}

func (d *Device) deviceType(_ *call, _ []byte) ([]byte, byte) {
	return append([]byte{0, 0, 1, 12, 19, 0}, kkt.EncodeText("ШТРИХ-М-01Ф (эмулятор)", 40)...), 0
}

func (d *Device) fnStatus(c *call, _ []byte) ([]byte, byte) {
	var doc, shift byte
	if d.st.Receipt != nil {
		doc = 0x04
	}
	if d.st.ShiftOpen {
		shift = 1
	}
	b := []byte{0x03, doc, 0, shift, d.warnings}
	b = putDateTime(b, c.now)
	b = append(b, d.cfg.FNSerial...)
	return putLE(b, uint64(d.st.LastFD), 4), 0
}

func (d *Device) findDocument(_ *call, p []byte) ([]byte, byte) {
	if len(p) < 4 {
		return nil, errBadParams
	}
	n := uint32(le(p[:4]))
	if n == 0 || n > d.st.LastFD {
		return nil, errFNNoData
	}
	for _, doc := range d.st.Documents {
		if doc.Number != n {
			continue
		}
		b := []byte{doc.Type, 0}
		b = putDateTime(b, doc.Time)
		b = putLE(b, uint64(doc.Number), 4)
		b = putLE(b, uint64(doc.FiscalSign), 4)
		if doc.Type == kkt.DocReceipt {
			b = append(b, doc.OpType)
			return putLE(b, uint64(doc.Sum), 5), 0
		}
		return putLE(b, uint64(doc.Shift), 2), 0
	}
	return nil, errFNNoData
}

// newDocument registers the next fiscal document.
func (d *Device) newDocument(c *call, typ, op byte, sum int64) Document {
	d.st.LastFD++
	doc := Document{Number: d.st.LastFD, Type: typ, Time: c.now, OpType: op, Sum: sum, Shift: d.st.ShiftNumber,
		FiscalSign: fiscalSign(d.cfg.FNSerial, d.st.LastFD, sum)}
	d.st.Documents = append(d.st.Documents, doc)
	d.st.DocCounter++
	c.changed = true
	return doc
}

func (d *Device) openShift(c *call, fnAnswer bool) ([]byte, byte) {
	switch {
	case d.st.Receipt != nil:
		return nil, errReceiptOpen
	case d.st.ShiftOpen:
		return nil, errNotInThisMode
	}
	d.st.ShiftOpen, d.st.ShiftOpenedAt = true, c.now
	d.st.ShiftNumber++
	d.st.Totals = Totals{Cash: d.st.Totals.Cash, GrandTotal: d.st.Totals.GrandTotal}
	doc := d.newDocument(c, kkt.DocShiftOpen, 0, 0)
	d.printShiftOpen(c, doc)
	if fnAnswer {
		b := putLE(nil, uint64(d.st.ShiftNumber), 2)
		b = putLE(b, uint64(doc.Number), 4)
		return putLE(b, uint64(doc.FiscalSign), 4), 0
	}
	return []byte{c.op}, 0
}

func (d *Device) closeShift(c *call, fnAnswer bool) ([]byte, byte) {
	switch {
	case d.st.Receipt != nil:
		return nil, errReceiptOpen
	case !d.st.ShiftOpen:
		return nil, errNotInThisMode
	}
	doc := d.newDocument(c, kkt.DocShiftClose, 0, 0)
	d.printZReport(c, doc)
	d.st.ShiftOpen = false
	if fnAnswer {
		b := putLE(nil, uint64(d.st.ShiftNumber), 2)
		b = putLE(b, uint64(doc.Number), 4)
		return putLE(b, uint64(doc.FiscalSign), 4), 0
	}
	return []byte{c.op}, 0
}

func (d *Device) beginOpen(c *call, _ []byte) ([]byte, byte) {
	if d.st.ShiftOpen {
		return nil, errNotInThisMode
	}
	return nil, 0
}

func (d *Device) beginClose(c *call, _ []byte) ([]byte, byte) {
	if !d.st.ShiftOpen || d.st.Receipt != nil {
		return nil, errNotInThisMode
	}
	return nil, 0
}

// saleModeError is the refusal of a receipt command outside an open shift; FN-side (FF) commands get the
// FN's code for an expired shift.
func (d *Device) saleModeError(c *call, fn bool) byte {
	if !d.st.ShiftOpen {
		return errNotInThisMode
	}
	if d.expired(c.now) {
		if fn {
			return errFNShiftExpired
		}
		return errShiftExpired
	}
	return 0
}
