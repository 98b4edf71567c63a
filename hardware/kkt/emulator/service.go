package emulator

import (
	"fmt"

	"github.com/kassa-pos/kassa/hardware/kkt"
)

// Firmware identity reported by the full status (protocol v1.17 era).
var (
	firmwareVersion = [2]byte{'A', '4'}
	firmwareBuild   = uint16(22070)
	firmwareDate    = [3]byte{24, 6, 21} // DD MM YY
)

// fullStatus answers 0x11 in the layout of PROTOCOLS.md §1.6, with the high serial bytes of newer firmware.
func (d *Device) fullStatus(c *call, _ []byte) ([]byte, byte) {
	b := []byte{c.op, firmwareVersion[0], firmwareVersion[1]}
	b = putLE(b, uint64(firmwareBuild), 2)
	b = append(b, firmwareDate[:]...)
	b = append(b, 1) // number in the hall
	b = putLE(b, uint64(d.st.DocCounter), 2)
	b = putLE(b, d.statusFlagsNow(), 2)
	b = append(b, d.modeByte(c.now), d.paper.submode, 0) // port 0
	b = append(b, firmwareVersion[0], firmwareVersion[1])
	b = putLE(b, uint64(firmwareBuild), 2)
	b = append(b, firmwareDate[:]...)
	b = append(b, byte(c.now.Day()), byte(c.now.Month()), byte(c.now.Year()%100))
	b = append(b, byte(c.now.Hour()), byte(c.now.Minute()), byte(c.now.Second()))
	b = append(b, 0) // FM flags
	b = putLE(b, d.cfg.Serial, 4)
	lastShift := d.st.ShiftNumber
	if d.st.ShiftOpen {
		lastShift--
	}
	b = putLE(b, uint64(lastShift), 2)
	b = putLE(b, 2000, 2)  // free records in the fiscal memory
	b = append(b, 0, 3)    // re-registrations made and left
	b = putLE(b, d.inn, 6) // INN
	return putLE(b, d.cfg.Serial>>32, 2), 0
}

func (d *Device) printString(c *call, p []byte) ([]byte, byte) {
	if len(p) < 1 {
		return nil, errBadParams
	}
	if p[0]&0x02 != 0 {
		c.lines = append(c.lines, kkt.DecodeText(p[1:]))
	}
	return []byte{c.op}, 0
}

func (d *Device) cut(c *call, p []byte) ([]byte, byte) {
	if len(p) > 0 && p[0] > 1 {
		return nil, errBadParams
	}
	c.lines = append(c.lines, cutLine)
	return []byte{c.op}, 0
}

func (d *Device) xReport(c *call, _ []byte) ([]byte, byte) {
	if d.st.Receipt != nil {
		return nil, errReceiptOpen
	}
	d.st.DocCounter++
	c.changed = true
	d.printXReport(c)
	return []byte{c.op}, 0
}

func (d *Device) openDrawer(c *call, p []byte) ([]byte, byte) {
	if len(p) < 1 || p[0] > 1 {
		return nil, errBadParams
	}
	c.print(fmt.Sprintf("* денежный ящик %d открыт *", p[0]))
	return []byte{c.op}, 0
}

// cash registers внесение (in) or выплата: a non-fiscal document that moves the drawer's cash.
func (d *Device) cash(c *call, p []byte, in bool) ([]byte, byte) {
	if len(p) < 5 {
		return nil, errBadParams
	}
	if d.st.Receipt != nil {
		return nil, errReceiptOpen
	}
	if code := d.saleModeError(c, false); code != 0 {
		return nil, code
	}
	sum := int64(le(p[:5]))
	if sum == 0 {
		return nil, errBadParams
	}
	t := &d.st.Totals
	title := "ВНЕСЕНИЕ"
	if in {
		t.Cash += sum
		t.ShiftCashIn += sum
	} else {
		if sum > t.Cash {
			return nil, errNoCash
		}
		t.Cash -= sum
		t.ShiftCashOut += sum
		title = "ВЫПЛАТА"
	}
	d.st.DocCounter++
	c.changed = true
	d.printHeader(c)
	c.print(center(title))
	c.print(lr(stamp(c), fmt.Sprintf("КАССИР %d", c.op))...)
	c.print(lr("СУММА", "="+money(sum))...)
	c.print(lr("НАЛИЧНЫХ В КАССЕ", "="+money(t.Cash))...)
	c.print(lr("ДОКУМЕНТ", fmt.Sprint(d.st.DocCounter))...)
	c.print(rule, cutLine)
	return putLE([]byte{c.op}, uint64(d.st.DocCounter), 2), 0
}
