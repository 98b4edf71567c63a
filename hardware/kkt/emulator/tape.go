package emulator

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Width is the paper width in characters (57 mm roll).
const Width = 36

const cutLine = "~~~~~~~~~~~~~~ отрез ~~~~~~~~~~~~~~~"

var rule = strings.Repeat("-", Width)

// taxRates are the FF46 tax-rate bytes: label and the rate in percent for the tax inside the sum.
var taxRates = map[byte]struct {
	label string
	pct   int64
}{
	0x01: {"НДС 20%", 20}, 0x02: {"НДС 10%", 10}, 0x04: {"НДС 0%", 0}, 0x08: {"БЕЗ НДС", 0},
	0x10: {"НДС 20/120", 20}, 0x20: {"НДС 10/110", 10}, 0x81: {"НДС 5%", 5}, 0x82: {"НДС 7%", 7},
	0x84: {"НДС 5/105", 5}, 0x88: {"НДС 7/107", 7}, 0xCB: {"НДС 22%", 22}, 0xCC: {"НДС 22/122", 22},
}

// taxOrder fixes the order of the VAT totals on the receipt.
var taxOrder = []byte{0xCB, 0x01, 0x02, 0x81, 0x82, 0xCC, 0x10, 0x20, 0x84, 0x88, 0x04, 0x08}

var opNames = map[byte]string{1: "ПРИХОД", 2: "ВОЗВРАТ ПРИХОДА", 3: "РАСХОД", 4: "ВОЗВРАТ РАСХОДА"}

var kindNames = map[byte]string{0: "ПРИХОД", 1: "РАСХОД", 2: "ВОЗВРАТ ПРИХОДА", 3: "ВОЗВРАТ РАСХОДА"}

var taxSystems = map[byte]string{1: "ОСН", 2: "УСН ДОХОД", 4: "УСН ДОХОД-РАСХОД", 8: "ЕНВД", 16: "ЕСХН", 32: "ПСН"}

// Tape is everything printed so far, one line per printed line.
func (d *Device) Tape() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.tape) == 0 {
		return ""
	}
	return strings.Join(d.tape, "\n") + "\n"
}

// OnTape registers a listener called with each line as it is printed.
func (d *Device) OnTape(f func(line string)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.listeners = append(d.listeners, f)
}

// money formats kopecks as "1 234,50".
func money(k int64) string {
	sign := ""
	if k < 0 {
		sign, k = "-", -k
	}
	rub := fmt.Sprint(k / 100)
	var b strings.Builder
	for i, r := range rub {
		if i > 0 && (len(rub)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s%s,%02d", sign, b.String(), k%100)
}

// qty formats a quantity ×10^6 as "2" or "0,512".
func qty(micro int64) string {
	th := (micro + 500) / 1000
	if th%1000 == 0 {
		return fmt.Sprint(th / 1000)
	}
	return strings.TrimRight(fmt.Sprintf("%d,%03d", th/1000, th%1000), "0")
}

// lr puts left and right on one line, right-aligned; too long texts go on two lines.
func lr(left, right string) []string {
	gap := Width - utf8.RuneCountInString(left) - utf8.RuneCountInString(right)
	if gap < 1 {
		return []string{left, strings.Repeat(" ", max(0, Width-utf8.RuneCountInString(right))) + right}
	}
	return []string{left + strings.Repeat(" ", gap) + right}
}

func center(s string) string {
	n := utf8.RuneCountInString(s)
	if n >= Width {
		return s
	}
	return strings.Repeat(" ", (Width-n)/2) + s
}

// wrap splits s into lines of at most Width runes.
func wrap(s string) []string {
	r := []rune(s)
	var out []string
	for len(r) > Width {
		out = append(out, string(r[:Width]))
		r = r[Width:]
	}
	return append(out, string(r))
}

func (c *call) print(lines ...string) { c.lines = append(c.lines, lines...) }

func (d *Device) printHeader(c *call) {
	for _, h := range d.cfg.Header {
		c.print(center(h))
	}
	c.print(rule)
}

func stamp(c *call) string { return c.now.Format("02.01.2006 15:04") }

func (d *Device) printFiscal(c *call, doc Document) {
	c.print(lr("ФН", d.cfg.FNSerial)...)
	c.print(lr(fmt.Sprintf("ФД: %d", doc.Number), fmt.Sprintf("ФП: %010d", doc.FiscalSign))...)
	c.print(rule, cutLine)
}

func (d *Device) printShiftOpen(c *call, doc Document) {
	d.printHeader(c)
	c.print(center("ОТЧЁТ ОБ ОТКРЫТИИ СМЕНЫ"))
	c.print(lr("СМЕНА", fmt.Sprint(d.st.ShiftNumber))...)
	c.print(lr(stamp(c), fmt.Sprintf("КАССИР %d", c.op))...)
	printTLVs(c, d.takePendingTLV(c))
	d.printFiscal(c, doc)
}

func (d *Device) printShiftTotals(c *call) {
	t := d.st.Totals
	c.print(lr("СМЕНА", fmt.Sprint(d.st.ShiftNumber))...)
	c.print(lr(stamp(c), fmt.Sprintf("КАССИР %d", c.op))...)
	c.print(lr("ЧЕКОВ ЗА СМЕНУ", fmt.Sprint(t.ShiftReceipts))...)
	c.print(lr("ПРИХОД", "="+money(t.ShiftIncome))...)
	c.print(lr("ВОЗВРАТ ПРИХОДА", "="+money(t.ShiftReturns))...)
	c.print(lr("НАЛИЧНЫМИ", "="+money(t.ShiftCash))...)
	c.print(lr("ЭЛЕКТРОННЫМИ", "="+money(t.ShiftCard))...)
	c.print(lr("ЗАЧЕТ ПРЕДОПЛАТЫ", "="+money(t.ShiftPrepaid))...)
	c.print(lr("ВНЕСЕНИЯ", "="+money(t.ShiftCashIn))...)
	c.print(lr("ВЫПЛАТЫ", "="+money(t.ShiftCashOut))...)
	c.print(lr("НАЛИЧНЫХ В КАССЕ", "="+money(t.Cash))...)
	c.print(lr("НЕОБНУЛЯЕМАЯ СУММА", "="+money(t.GrandTotal))...)
}

func (d *Device) printXReport(c *call) {
	d.printHeader(c)
	c.print(center("ОТЧЁТ БЕЗ ГАШЕНИЯ"))
	d.printShiftTotals(c)
	c.print(rule, cutLine)
}

func (d *Device) printZReport(c *call, doc Document) {
	d.printHeader(c)
	c.print(center("ОТЧЁТ О ЗАКРЫТИИ СМЕНЫ"))
	d.printShiftTotals(c)
	printTLVs(c, d.takePendingTLV(c))
	d.printFiscal(c, doc)
}

func (d *Device) printReceiptHeader(c *call) {
	d.printHeader(c)
	c.print(lr("КАССОВЫЙ ЧЕК", kindNames[d.st.Receipt.Kind])...)
	c.print(lr(fmt.Sprintf("СМЕНА %d", d.st.ShiftNumber), fmt.Sprintf("ЧЕК %d", d.st.Totals.ShiftReceipts+1))...)
	c.print(lr(stamp(c), fmt.Sprintf("КАССИР %d", c.op))...)
	c.print(rule)
}

func (d *Device) printLine(c *call, l Line) {
	c.print(wrap(l.Name)...)
	c.print(lr(fmt.Sprintf("  %s x %s", qty(l.QtyMicro), money(l.Price)), "="+money(l.Sum))...)
	c.print("  " + taxRates[l.Tax].label)
	if m, ok := methodNames[l.Method]; ok {
		c.print("  " + m)
	}
}

// methodNames are the payment methods (tag 1214) printed under a position; полный расчёт (4) is implied.
var methodNames = map[byte]string{1: "ПРЕДОПЛАТА 100%", 2: "ПРЕДОПЛАТА", 3: "АВАНС", 5: "ЧАСТИЧНЫЙ РАСЧЕТ И КРЕДИТ",
	6: "ПЕРЕДАЧА В КРЕДИТ", 7: "ОПЛАТА КРЕДИТА"}

func (d *Device) printReceiptEnd(c *call, r *Receipt, due int64, pays [16]int64, change int64, taxSystem byte, doc Document) {
	c.print(rule)
	c.print(lr("ИТОГ", "="+money(due))...)
	if pays[0] > 0 {
		c.print(lr("НАЛИЧНЫМИ", "="+money(pays[0]))...)
	}
	var card int64
	for _, v := range pays[1:13] {
		card += v
	}
	if card > 0 {
		c.print(lr("ЭЛЕКТРОННЫМИ", "="+money(card))...)
	}
	for i, label := range []string{"ЗАЧЕТ ПРЕДОПЛАТЫ", "ПОСТОПЛАТОЙ (КРЕДИТ)", "ВСТРЕЧНЫМ ПРЕДОСТАВЛЕНИЕМ"} {
		if v := pays[13+i]; v > 0 {
			c.print(lr(label, "="+money(v))...)
		}
	}
	if pays[0] > 0 {
		c.print(lr("СДАЧА", "="+money(change))...)
	}
	sums := map[byte]int64{}
	for _, l := range r.Lines {
		sums[l.Tax] += l.Sum
	}
	for _, t := range taxOrder {
		s, ok := sums[t]
		if !ok {
			continue
		}
		rate := taxRates[t]
		if rate.pct == 0 {
			c.print(lr("СУММА "+rate.label, "="+money(s))...)
			continue
		}
		c.print(lr("СУММА "+rate.label, "="+money((s*rate.pct*2+100+rate.pct)/(2*(100+rate.pct))))...)
	}
	if name, ok := taxSystems[taxSystem]; ok {
		c.print(lr("СНО", name)...)
	}
	printTLVs(c, r.TLV)
	c.print(lr(opNames[doc.OpType], stamp(c))...)
	d.printFiscal(c, doc)
}

func (d *Device) printCancelled(c *call) {
	c.print(rule, center("ЧЕК АННУЛИРОВАН"), rule, cutLine)
}
