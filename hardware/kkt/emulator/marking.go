package emulator

import (
	"slices"
	"strings"

	"github.com/kassa-pos/kassa/hardware/kkt"
)

// Stages of the marking sequence FF61 → FF69 → FF46 → FF67.
const (
	markIdle       byte = iota
	markChecked         // FF61 done, waiting for FF69
	markAccepted        // FF69 accepted, waiting for FF46
	markPositioned      // FF46 added the position, waiting for FF67
)

// maxChecked is the FN's table of checked codes per receipt.
const maxChecked = 128

// Check results (tag 2106) the emulator gives.
const (
	markAllRight = kkt.MarkCheckedByFN | kkt.MarkFNPositive | kkt.MarkCheckedByOIS | kkt.MarkOISPositive
	markForbid   = kkt.MarkCheckedByFN | kkt.MarkFNPositive | kkt.MarkCheckedByOIS
	markBadCode  = kkt.MarkCheckedByOIS
)

// gs1Parts splits a GS1 DataMatrix code "01"+GTIN14+"21"+serial{GS AI value}; ok is false for anything else.
func gs1Parts(code string) (parts []string, ok bool) {
	if len(code) < 19 || code[:2] != "01" || code[16:18] != "21" {
		return nil, false
	}
	for _, c := range code[2:16] {
		if c < '0' || c > '9' {
			return nil, false
		}
	}
	return strings.Split(code, "\x1d"), true
}

// codeTypes classifies a code: tag 2100 and the Data Matrix type of FF67.
func codeTypes(parts []string) (kmType, dmType byte) {
	for _, p := range parts[1:] {
		switch {
		case strings.HasPrefix(p, "92") && len(p) == 2+88:
			return 2, 0 // КМ88
		case strings.HasPrefix(p, "92") && len(p) == 2+44:
			return 3, 3 // КМ44
		case strings.HasPrefix(p, "93"):
			return 5, 1 // 4-character check code
		}
	}
	return 1, 1 // short code
}

// checkMark is FF61: the FN checks the code's structure and, "online", ОИСМ answers from Config.RejectMarks.
func (d *Device) checkMark(c *call, p []byte) ([]byte, byte) {
	if len(p) < 4 || p[2] == 0 || len(p) != 4+int(p[2])+int(p[3]) {
		return nil, errBadParams
	}
	switch p[0] {
	case 1, 2, 3, 4, 255:
	default:
		return nil, errFNBadValue
	}
	if p[1] != 0 {
		return nil, errFNBadValue
	}
	if code := d.saleModeError(c, true); code != 0 {
		return nil, code
	}
	m := &d.st.Marking
	if m.Stage == markChecked || m.Stage == markAccepted {
		return nil, errMarkSequence
	}
	if len(m.Checked) >= maxChecked {
		return nil, errMarkTableFull
	}
	code := string(p[4 : 4+p[2]])
	reason, rejected := d.rejection(code)
	if rejected && reason >= 0xA0 && reason <= 0xA5 {
		return nil, reason
	}
	localStatus, localReason, result, oism := byte(0x03), byte(0), markAllRight, byte(1)
	parts, ok := gs1Parts(code)
	kmType := byte(0)
	switch {
	case !ok:
		localStatus, localReason, result, oism = 0, 3, markBadCode, 2
	case rejected:
		kmType, _ = codeTypes(parts)
		result, oism = markForbid, reason
	default:
		kmType, _ = codeTypes(parts)
	}
	m.Stage, m.Code, m.Result = markChecked, code, result
	m.Checked = append(m.Checked, code)
	c.changed = true
	server := kkt.EncodeTLVs(kkt.ByteTLV(kkt.TagMarkCheckCode, 0), kkt.ByteTLV(kkt.TagOISMStatus, oism))
	b := []byte{localStatus, localReason, kmType, byte(2 + len(server)), 0, result}
	return append(b, server...), 0
}

// rejection is how the code is refused: Config.RejectMarks first, then the reject-mark faults by GTIN.
func (d *Device) rejection(code string) (byte, bool) {
	if r, ok := d.cfg.RejectMarks[code]; ok {
		return r, true
	}
	if len(code) >= 16 && code[:2] == "01" {
		if r, ok := d.rejectGTIN[code[2:16]]; ok {
			return r, true
		}
	}
	r, ok := d.rejectGTIN[""]
	return r, ok
}

// acceptMark is FF69: the cashier's decision on the code checked last.
func (d *Device) acceptMark(c *call, p []byte) ([]byte, byte) {
	if len(p) < 1 || p[0] > 1 {
		return nil, errBadParams
	}
	m := &d.st.Marking
	if m.Stage != markChecked {
		return nil, errMarkSequence
	}
	m.Stage = markIdle
	if p[0] == 1 {
		m.Stage = markAccepted
	}
	c.changed = true
	return []byte{m.Result}, 0
}

// markBeforeOperation is the marking side of FF46: a position may not come between FF61 and FF69; the one
// after FF69 is the position the code gets bound to.
func (d *Device) markBeforeOperation() byte {
	if d.st.Marking.Stage == markChecked {
		return errMarkSequence
	}
	return 0
}

func (d *Device) markAfterOperation() {
	m := &d.st.Marking
	if m.Stage == markAccepted {
		m.Stage = markPositioned
	} else {
		m.Stage = markIdle
	}
}

// bindMark is FF67: the accepted code goes into the position just added.
func (d *Device) bindMark(c *call, p []byte) ([]byte, byte) {
	if len(p) < 1 || p[0] == 0 || len(p) < 1+int(p[0]) || len(p) > 2+int(p[0]) {
		return nil, errBadParams
	}
	code := string(p[1 : 1+p[0]])
	m := &d.st.Marking
	if !slices.Contains(m.Checked, code) {
		return nil, errMarkNotChecked
	}
	if m.Stage != markPositioned || m.Code != code || d.st.Receipt == nil || len(d.st.Receipt.Lines) == 0 {
		return nil, errMarkSequence
	}
	l := &d.st.Receipt.Lines[len(d.st.Receipt.Lines)-1]
	l.Mark, l.MarkResult = code, m.Result
	m.Stage = markIdle
	c.changed = true
	c.print("  " + markLabel(m.Result))
	kmType, dmType := byte(0), byte(0xFF)
	if parts, ok := gs1Parts(code); ok {
		kmType, dmType = codeTypes(parts)
	}
	return []byte{kmType, 0, dmType}, 0
}

// markLabel is how a receipt shows tag 2106: [М+] allowed, [М-] refused, [М] not checked online.
func markLabel(res byte) string {
	switch {
	case res&kkt.MarkCheckedByOIS == 0:
		return "[М]"
	case res == markAllRight:
		return "[М+]"
	}
	return "[М-]"
}

// resetMarking empties the FN's table when a receipt ends.
func (d *Device) resetMarking() { d.st.Marking = Marking{} }
