package emulator

import (
	"github.com/kassa-pos/kassa/hardware/kkt"
)

// tlvLabels are the attributes printed on the receipt, in this order.
var tlvLabels = []struct {
	tag   uint16
	label string
}{
	{kkt.TagCashierName, "КАССИР"},
	{kkt.TagCashierINN, "ИНН КАССИРА"},
	{kkt.TagBuyerContact, "ЭЛ. АДР. ПОКУПАТЕЛЯ"},
}

// parseTLV checks the TLV data of FF0C/FF4D.
func parseTLV(p []byte) ([]kkt.TLV, byte) {
	tlvs, err := kkt.ParseTLVs(p)
	if err != nil || len(tlvs) == 0 {
		return nil, errBadParams
	}
	out := make([]kkt.TLV, len(tlvs))
	for i, t := range tlvs {
		if t.Tag == kkt.TagCashierINN && len(t.Value) != 12 {
			return nil, errFNBadValue
		}
		out[i] = kkt.TLV{Tag: t.Tag, Value: append([]byte(nil), t.Value...)} // p is the frame buffer
	}
	return out, 0
}

// sendTLV (FF0C) keeps receipt attributes in the open receipt, or for the next document when none is open.
func (d *Device) sendTLV(c *call, p []byte) ([]byte, byte) {
	tlvs, code := parseTLV(p)
	if code != 0 {
		return nil, code
	}
	if r := d.st.Receipt; r != nil {
		r.TLV = append(r.TLV, tlvs...)
	} else {
		d.st.PendingTLV = append(d.st.PendingTLV, tlvs...)
	}
	c.changed = true
	return nil, 0
}

// operationTLV (FF4D) attaches attributes to the last position.
func (d *Device) operationTLV(c *call, p []byte) ([]byte, byte) {
	tlvs, code := parseTLV(p)
	if code != 0 {
		return nil, code
	}
	r := d.st.Receipt
	if r == nil {
		return nil, errReceiptClosed
	}
	if len(r.Lines) == 0 {
		return nil, errInvalidOp
	}
	l := &r.Lines[len(r.Lines)-1]
	l.TLV = append(l.TLV, tlvs...)
	c.changed = true
	return nil, 0
}

// takePendingTLV hands the attributes sent before a document to it.
func (d *Device) takePendingTLV(c *call) []kkt.TLV {
	t := d.st.PendingTLV
	if t != nil {
		d.st.PendingTLV = nil
		c.changed = true
	}
	return t
}

// printTLVs prints the attributes a buyer sees on paper; the last value of a tag wins.
func printTLVs(c *call, tlvs []kkt.TLV) {
	for _, l := range tlvLabels {
		var v *kkt.TLV
		for i := range tlvs {
			if tlvs[i].Tag == l.tag {
				v = &tlvs[i]
			}
		}
		if v != nil {
			c.print(lr(l.label, v.String())...)
		}
	}
}
