package kkt

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// PrintFlags chooses where command 0x17 prints.
type PrintFlags byte

// Print flags of 0x17.
const (
	PrintJournal  PrintFlags = 0x01 // control tape (journal)
	PrintReceipt  PrintFlags = 0x02 // receipt tape
	PrintWrap     PrintFlags = 0x40 // wrap a long line
	PrintDeferred PrintFlags = 0x80 // deferred printing
)

// FullStatus is the answer of 0x11.
type FullStatus struct {
	Operator             byte
	FirmwareVersion      string // "A.4": the two version characters joined by a dot
	FirmwareBuild        uint16
	FirmwareDate         time.Time
	HallNumber           byte
	DocNumber            uint16 // сквозной номер текущего документа
	Flags                uint16
	RawMode              byte // mode in the low nibble, its sub-status in the high nibble
	Submode              byte
	Port                 byte
	Time                 time.Time // device clock
	Serial               uint64    // заводской номер: 4 low bytes plus the 2 high ones of newer firmware
	LastShift            uint16    // last closed shift
	Refiscalizations     byte
	RefiscalizationsLeft byte
	INN                  string
}

// Mode is the device mode (ModeShiftOpen, ModeReceiptOpen …).
func (s FullStatus) Mode() byte { return s.RawMode & 0x0F }

// ModeStatus is the mode's sub-status; in mode 8 the open receipt's ReceiptKind.
func (s FullStatus) ModeStatus() byte { return s.RawMode >> 4 }

// fullStatusLen is the answer data of 0x11 without the high serial bytes that newer firmware appends.
const fullStatusLen = 46

func decodeFullStatus(b []byte, loc *time.Location) (FullStatus, error) {
	if len(b) < fullStatusLen {
		return FullStatus{}, fmt.Errorf("%w: full status of %d bytes", ErrBadFrame, len(b))
	}
	fwDate, err := parseDate(b[5:8], 0, 0, 0, loc)
	if err != nil {
		return FullStatus{}, err
	}
	if b[26] > 23 || b[27] > 59 || b[28] > 59 {
		return FullStatus{}, fmt.Errorf("%w: bad time % X", ErrBadFrame, b[26:29])
	}
	now, err := parseDate(b[23:26], int(b[26]), int(b[27]), int(b[28]), loc)
	if err != nil {
		return FullStatus{}, err
	}
	s := FullStatus{
		Operator: b[0], FirmwareVersion: string([]byte{b[1], '.', b[2]}), FirmwareBuild: uint16(le(b[3:5])),
		FirmwareDate: fwDate, HallNumber: b[8], DocNumber: uint16(le(b[9:11])), Flags: uint16(le(b[11:13])),
		RawMode: b[13], Submode: b[14], Port: b[15], Time: now, Serial: le(b[30:34]),
		LastShift: uint16(le(b[34:36])), Refiscalizations: b[38], RefiscalizationsLeft: b[39],
		INN: formatINN(le(b[40:46])),
	}
	if len(b) >= fullStatusLen+2 && !(b[46] == 0xFF && b[47] == 0xFF) {
		s.Serial |= le(b[46:48]) << 32
	}
	return s, nil
}

// parseDate reads DD MM YY (years 2000–2099) of the old commands.
func parseDate(b []byte, hh, mm, ss int, loc *time.Location) (time.Time, error) {
	d, m := int(b[0]), int(b[1])
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, fmt.Errorf("%w: bad date % X", ErrBadFrame, b[:3])
	}
	return time.Date(2000+int(b[2]), time.Month(m), d, hh, mm, ss, 0, loc), nil
}

// formatINN restores the leading zero a binary INN loses: 10 digits for organisations, 12 for people.
func formatINN(v uint64) string {
	s := strconv.FormatUint(v, 10)
	switch {
	case v == 0:
		return ""
	case len(s) < 10:
		return fmt.Sprintf("%010d", v)
	case len(s) == 11:
		return "0" + s
	}
	return s
}

// FullStatus reads the device state in detail (0x11).
func (d *Driver) FullStatus(ctx context.Context) (FullStatus, error) {
	b, err := d.Do(ctx, CmdFullStatus, d.pwd())
	if err != nil {
		return FullStatus{}, err
	}
	return decodeFullStatus(b, d.cfg.Location)
}

// PrintLine prints one line of text (0x17), cut or zero-padded to Config.LineWidth cp1251 bytes. Zero flags
// print on the receipt tape.
func (d *Driver) PrintLine(ctx context.Context, text string, flags PrintFlags) error {
	if flags == 0 {
		flags = PrintReceipt
	}
	p := append(d.pwd(), byte(flags))
	t := encodeText(text, d.cfg.LineWidth)
	p = append(p, t...)
	p = append(p, make([]byte, d.cfg.LineWidth-len(t))...)
	_, err := d.Do(ctx, CmdPrintString, p)
	return err
}

// LineWidth is the text field of 0x17 in bytes (Config.LineWidth): the most PrintLine prints on one line.
func (d *Driver) LineWidth() int { return d.cfg.LineWidth }

// Cut cuts the paper (0x25), fully or leaving a bridge.
func (d *Driver) Cut(ctx context.Context, partial bool) error {
	var typ byte
	if partial {
		typ = 1
	}
	_, err := d.Do(ctx, CmdCut, append(d.pwd(), typ))
	return err
}

// XReport prints the shift totals without closing the shift (0x40).
func (d *Driver) XReport(ctx context.Context) error { return d.simple(ctx, CmdXReport) }

// OpenDrawer sends the opening pulse to cash drawer n (0x28), 0 for the first one.
func (d *Driver) OpenDrawer(ctx context.Context, n byte) error {
	_, err := d.Do(ctx, CmdOpenDrawer, append(d.pwd(), n))
	return err
}

// CashResult is the answer of 0x50 and 0x51.
type CashResult struct {
	Operator  byte
	DocNumber uint16 // сквозной номер документа; 0 when the firmware does not send it
}

// CashIn registers money put into the drawer (0x50, внесение), sum in kopecks.
func (d *Driver) CashIn(ctx context.Context, sum int64) (CashResult, error) {
	return d.cash(ctx, CmdCashIn, sum)
}

// CashOut registers money taken from the drawer (0x51, выплата); the device refuses (0x46) more than it holds.
func (d *Driver) CashOut(ctx context.Context, sum int64) (CashResult, error) {
	return d.cash(ctx, CmdCashOut, sum)
}

func (d *Driver) cash(ctx context.Context, cmd Command, sum int64) (CashResult, error) {
	if sum <= 0 {
		return CashResult{}, fmt.Errorf("kkt: cash sum %d not positive", sum)
	}
	p, err := putMoney(d.pwd(), sum)
	if err != nil {
		return CashResult{}, err
	}
	b, err := d.Do(ctx, cmd, p)
	if err != nil {
		return CashResult{}, err
	}
	if len(b) < 1 {
		return CashResult{}, fmt.Errorf("%w: %v answer of %d bytes", ErrBadFrame, cmd, len(b))
	}
	r := CashResult{Operator: b[0]}
	if len(b) >= 3 {
		r.DocNumber = uint16(le(b[1:3]))
	}
	return r, nil
}
