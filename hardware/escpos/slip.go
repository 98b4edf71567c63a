package escpos

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// SlipLine is a row of a slip: Left is wrapped over as many lines as it needs, Right is right-aligned on its
// last line (or on a line of its own when it does not fit beside it).
type SlipLine struct {
	Left, Right string
}

// Slip is a non-fiscal document: a bold title, rows, centred footer lines and an optional QR code.
type Slip struct {
	Title  string
	Lines  []SlipLine
	Footer []string
	QR     string
}

// cutFeed is the feed before a cut: enough for the last line to clear the cutter on common models.
const cutFeed = 3

// SlipDocument lays the slip out for the profile's columns: init, title, a rule, the rows, a rule, the
// footer, the QR code, a partial cut.
func SlipDocument(p Profile, s Slip) *Document {
	d := NewDocument(p).Init()
	cols := d.p.Columns
	if s.Title != "" {
		d.Align(Center).Bold(true).Size(1, 2)
		for _, l := range wrap(s.Title, cols) {
			d.Line(l)
		}
		d.Size(1, 1).Bold(false).Align(Left)
	}
	d.Line(strings.Repeat("-", cols))
	for _, l := range s.Lines {
		for _, row := range Columns(l.Left, l.Right, cols) {
			d.Line(row)
		}
	}
	if len(s.Footer) > 0 {
		d.Line(strings.Repeat("-", cols)).Align(Center)
		for _, f := range s.Footer {
			for _, l := range wrap(f, cols) {
				d.Line(l)
			}
		}
		d.Align(Left)
	}
	if s.QR != "" {
		d.QR(s.QR, 0)
	}
	return d.Cut(CutPartial, cutFeed)
}

// Columns lays out a left/right pair in width characters: left wrapped at word boundaries, right flush
// right on left's last line, or below it when there is no room for both with a space between.
func Columns(left, right string, width int) []string {
	left, right = Normalize(left), Normalize(right)
	rows := wrap(left, width)
	if right == "" {
		return rows
	}
	rw := utf8.RuneCountInString(right)
	if rw > width {
		return append(rows, wrap(right, width)...)
	}
	last := ""
	if len(rows) > 0 {
		last = rows[len(rows)-1]
	}
	lw := utf8.RuneCountInString(last)
	if len(rows) > 0 && lw+1+rw <= width {
		rows[len(rows)-1] = last + strings.Repeat(" ", width-lw-rw) + right
		return rows
	}
	return append(rows, strings.Repeat(" ", width-rw)+right)
}

// wrap breaks s into lines of at most width runes, at spaces where it can and inside words that are longer
// than a line. Leading spaces (an indented sub-row) are kept on the first line; an empty s is one empty line.
func wrap(s string, width int) []string {
	s = Normalize(s)
	width = max(width, 1)
	var lines []string
	trimmed := strings.TrimLeft(s, " ")
	cur := []rune{}
	if trimmed != "" {
		cur = []rune(s[:min(len(s)-len(trimmed), width/2)])
	}
	for _, word := range strings.Fields(s) {
		w := []rune(word)
		for len(w) > 0 {
			fresh := strings.TrimSpace(string(cur)) == ""
			switch {
			case fresh && len(cur)+len(w) <= width:
				cur, w = append(cur, w...), nil
			case !fresh && len(cur)+1+len(w) <= width:
				cur, w = append(append(cur, ' '), w...), nil
			case !fresh:
				lines, cur = append(lines, string(cur)), []rune{}
			default: // a word longer than what is left of a line
				n := width - len(cur)
				lines, cur, w = append(lines, string(cur)+string(w[:n])), []rune{}, w[n:]
			}
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

// Shift is what a shift summary prints. Amounts are in kopecks.
type Shift struct {
	Shop    string
	Number  int
	Cashier string
	Opened  time.Time
	Closed  time.Time // zero while the shift is open (an X-summary)
	Sales   int       // number of sale receipts
	Refunds int       // number of refund receipts
	Revenue int64     // sales total
	Refund  int64     // refunds total
	Cash    int64     // cash taken (sales − refunds paid in cash)
	Card    int64     // card payments (sales − refunds by card)
}

// ShiftSummary is the non-fiscal shift summary a cashier hands in with the till drawer.
func ShiftSummary(p Profile, s Shift) *Document {
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return "смена открыта"
		}
		return t.Format("02.01.2006 15:04")
	}
	slip := Slip{
		Title: fmt.Sprintf("Сводка смены №%d", s.Number),
		Lines: []SlipLine{
			{"Кассир", s.Cashier},
			{"Открыта", stamp(s.Opened)},
			{"Закрыта", stamp(s.Closed)},
			{fmt.Sprintf("Продажи (%d)", s.Sales), Kopecks(s.Revenue)},
			{fmt.Sprintf("Возвраты (%d)", s.Refunds), Kopecks(s.Refund)},
			{"Итого", Kopecks(s.Revenue - s.Refund)},
			{"  наличными", Kopecks(s.Cash)},
			{"  картой", Kopecks(s.Card)},
		},
		Footer: []string{"Не является фискальным документом"},
	}
	if s.Shop != "" {
		slip.Footer = append([]string{s.Shop}, slip.Footer...)
	}
	return SlipDocument(p, slip)
}

// TestSlip checks a printer's setup: the profile, a column ruler (the last digit must end the line), the
// Cyrillic alphabet in CP866, bold, sizes, alignment and a QR code.
func TestSlip(p Profile, now time.Time) *Document {
	d := NewDocument(p).Init()
	cols := d.p.Columns
	d.Align(Center).Bold(true).Size(2, 2).Line("ТЕСТ").Size(1, 1).Bold(false)
	d.Line(d.p.Name).Line(now.Format("02.01.2006 15:04")).Align(Left)
	ruler := make([]byte, cols)
	for i := range ruler {
		ruler[i] = byte('0' + (i+1)%10)
	}
	d.Line(string(ruler))
	d.Line(fmt.Sprintf("ESC t %d, точек %d, колонок %d", d.p.CodePage, d.p.WidthDots, cols))
	for _, l := range wrap("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ абвгдеёжзийклмнопрстуфхцчшщъыьэюя №", cols) {
		d.Line(l)
	}
	d.Bold(true).Line("Жирный шрифт").Bold(false)
	d.Size(1, 2).Line("Двойная высота").Size(2, 1).Line("Ширина x2").Size(1, 1)
	d.Align(Right).Line("справа").Align(Center).Line("по центру").Align(Left)
	d.QR("https://kassa.example/test", 0)
	return d.Cut(CutPartial, cutFeed)
}

// Kopecks formats an amount as "1 234,50" (the receipt style; package pos is not imported here).
func Kopecks(k int64) string {
	sign := ""
	u := uint64(k)
	if k < 0 {
		sign, u = "-", uint64(-k)
	}
	rub := fmt.Sprint(u / 100)
	var b strings.Builder
	for i, c := range rub {
		if i > 0 && (len(rub)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return fmt.Sprintf("%s%s,%02d", sign, b.String(), u%100)
}
