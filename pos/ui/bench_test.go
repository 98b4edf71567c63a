package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// BenchmarkScanToLine is DESIGN.md's "scan to line visible" budget on the headless driver: a keyboard-wedge
// scan (13 characters and Enter) through the input line, the classifier, the bbolt lookup, the cart and
// the table's redraw. The receipt is cleared every 100 lines so it stays a realistic size.
func BenchmarkScanToLine(b *testing.B) {
	r := newUIRig(b, Russian)
	in := r.screen.Input()
	enter := &fyne.KeyEvent{Name: fyne.KeyReturn}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%100 == 0 {
			b.StopTimer()
			r.screen.till.ClearCart()
			r.screen.refresh()
			b.StartTimer()
		}
		test.Type(in, "4607001771401")
		in.TypedKey(enter)
	}
	b.StopTimer()
	if len(r.screen.Lines()) == 0 {
		b.Fatal("no line was added")
	}
}
