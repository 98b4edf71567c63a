package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// widthsOf is the column widths a fitted table was given.
func widthsOf(view fyne.CanvasObject) []float32 {
	c, ok := view.(*fyne.Container)
	if !ok {
		return nil
	}
	if f, ok := c.Layout.(*fitColumns); ok {
		return f.widths
	}
	for _, o := range c.Objects {
		if w := widthsOf(o); w != nil {
			return w
		}
	}
	return nil
}

// tableFits reports the columns' total width against the width the table has.
func tableFits(t *testing.T, name string, tb *widget.Table, widths []float32, cols []column) {
	t.Helper()
	if len(widths) != len(cols) {
		t.Fatalf("%s: the table was not fitted (%v)", name, widths)
	}
	pad := theme.Padding()
	total := float32(0)
	for i, w := range widths {
		if w < cols[i].width {
			t.Errorf("%s: column %s %v px, under its least %v", name, cols[i].key, w, cols[i].width)
		}
		total += w + pad // widget.Table leaves pad after each column
	}
	if have := tb.Size().Width; total > have {
		t.Errorf("%s: columns %v px wide in a %v px table: it scrolls sideways", name, total, have)
	}
	if have := tb.Size().Width; total < have-float32(len(cols)) {
		t.Errorf("%s: columns %v px wide in a %v px table: room left unused", name, total, have)
	}
}

// At 1280 px the desk's tables use the width they have without scrolling sideways, the payment column
// holds its text, and the register's tape keeps its width after a receipt is printed on it.
func TestPickupTablesFit(t *testing.T) {
	r := newPickupRig(t)
	r.w.Content().Refresh()
	tableFits(t, "orders", r.screen.listTable, widthsOf(r.screen.listView), listColumns)
	pay := widthsOf(r.screen.listView)[6]
	for _, o := range r.screen.Listing().Orders {
		if w := fyne.MeasureText(r.screen.payText(o), theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding(); w > pay {
			t.Errorf("%s: payment %q needs %v px, the column has %v", o.Number, r.screen.payText(o), w, pay)
		}
	}
	r.scan(pickupQR(t, "o1", "W-24001", "demo-store", testNow.Add(time.Hour), pickupKey))
	if r.screen.Verification() == nil {
		t.Fatalf("not opened: %q", r.screen.Message())
	}
	r.w.Content().Refresh()
	tableFits(t, "lines", r.screen.lineTable, widthsOf(r.screen.orderView), lineColumns)

	// A desk whose tape then prints a line wider than the roll.
	tape := &fakeTape{}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 800))
	desk := NewPickup(w, PickupDeps{Desk: r.screen.desk, Lang: Russian, Tape: tape, Now: func() time.Time { return testNow }})
	w.Content().Refresh()
	before := desk.listTable.Size().Width
	tape.print("Вода Святой Источник газированная 1,5 л  1 x 69,90 =69,90 НДС 22% [M+]")
	w.Content().Refresh()
	if after := desk.listTable.Size().Width; after != before || after < 900 {
		t.Errorf("the orders table was %v px wide, after a long tape line %v", before, after)
	}
}

type fakeTape struct{ on func(string) }

func (f *fakeTape) Tape() string           { return "" }
func (f *fakeTape) OnTape(on func(string)) { f.on = on }
func (f *fakeTape) print(line string)      { f.on(line) }

func TestColumnWidths(t *testing.T) {
	cols := []column{{"a", 100, fyne.TextAlignLeading, 0}, {"b", 50, fyne.TextAlignLeading, 1}, {"c", 50, fyne.TextAlignLeading, 3}}
	tests := []struct {
		width float32
		want  []float32
	}{
		{213, []float32{100, 50, 50}},   // exactly the least widths (3 × 4 px between columns, 1 px spare)
		{100, []float32{100, 50, 50}},   // narrower: the least widths, the table scrolls
		{613, []float32{100, 150, 350}}, // 400 px more: shared 1:3
		{614, []float32{100, 150, 350}}, // a fraction of a pixel is not shared
	}
	for _, tt := range tests {
		got := columnWidths(cols, tt.width, 4)
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("width %v: %v, want %v", tt.width, got, tt.want)
				break
			}
		}
	}
}
