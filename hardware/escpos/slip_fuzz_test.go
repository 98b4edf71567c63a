package escpos

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzSlipDocument lays out slips of arbitrary text and QR data (what a pickup order, a shop name or a
// basket code may bring) on every profile: it never panics, the bytes decode as ESC/POS, every text line
// fits the paper, and the QR code is there unless it could not be made.
func FuzzSlipDocument(f *testing.F) {
	f.Add(sampleSlip.Title, sampleSlip.Lines[1].Left, sampleSlip.Lines[1].Right, sampleSlip.Footer[0], sampleSlip.QR, uint8(0))
	f.Add("Сводка смены №7", "Продажи (12)", "1 234,50", "Не является фискальным документом", "", uint8(1))
	f.Add("", "Суперкалифрагилистикэкспиалидоциус", "очень длинное значение", "\t\r\n\x1b@\x1dV", "t=20260302T0900&s=89.90&fn=9999078900012345&i=42&fp=12345&n=1", uint8(2))
	f.Add("€₽№«»", "\x00\xff", "1 000 ₽", "  ", "\x00", uint8(3))
	f.Fuzz(func(t *testing.T, title, left, right, footer, qr string, profile uint8) {
		p := Profiles()[int(profile)%len(Profiles())]
		d := SlipDocument(p, Slip{Title: title, Lines: []SlipLine{{left, right}, {right, left}},
			Footer: []string{footer}, QR: qr})
		got, err := Decode(d.Bytes())
		if err != nil {
			t.Fatalf("the slip does not decode: %v", err)
		}
		for _, l := range got.Lines() {
			if n := utf8.RuneCountInString(l); n > p.Columns {
				t.Errorf("line %q is %d characters on %d columns", l, n, p.Columns)
			}
		}
		if qr != "" && d.Err() == nil && got.Count(KindQR)+got.Count(KindImage) != 1 {
			t.Errorf("QR %q: %d codes and %d images printed", qr, got.Count(KindQR), got.Count(KindImage))
		}
		if err := d.Err(); err != nil && !errors.Is(err, ErrQRTooLarge) && qr == "" {
			t.Errorf("a slip without QR failed: %v", err)
		}
	})
}

// FuzzColumns checks the row layout of every slip: no line wider than the paper, nothing of left or right
// lost but the spaces it is wrapped at.
func FuzzColumns(f *testing.F) {
	f.Add("Молоко", "89,90", 20)
	f.Add("Кофе молотый Арабика 250 г", "349,00", 20)
	f.Add("Суперкалифрагилистикэкспиалидоциус", "", 10)
	f.Add("", "12,00", 8)
	f.Add("Итого", "1 000 ₽", 16)
	f.Add("Налог", "очень длинное значение", 10)
	f.Fuzz(func(t *testing.T, left, right string, width int) {
		if width < 1 || width > 200 {
			return
		}
		rows := Columns(left, right, width)
		for _, l := range rows {
			if Width(l) > width {
				t.Errorf("Columns(%q, %q, %d): line %q is wider than %d", left, right, width, l, width)
			}
		}
		if len(rows) == 0 {
			t.Errorf("Columns(%q, %q, %d) gave no line", left, right, width)
		}
	})
}
