package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
)

type ageRig struct {
	screen *TillScreen
	w      fyne.Window
}

// newAgeRig is the till screen with bread, milk and beer (18+), taking kiosk baskets.
func newAgeRig(t *testing.T) *ageRig {
	t.Helper()
	till := basketTill(t, kMilk, kBread, kBeer)
	w := testWindow(t)
	return &ageRig{screen: NewTill(w, TillDeps{Till: till, Lang: Russian, Cashier: "Иванова А.",
		Now: func() time.Time { return testNow }}), w: w}
}

func (r *ageRig) scan(text string) {
	test.Type(r.screen.Input(), text)
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// dialog is the text of the dialog on top, "" without one.
func (r *ageRig) dialog() string { return overlayText(r.w) }

// overlayText is the text of w's top overlay (a dialog), "" without one.
func overlayText(w fyne.Window) string {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	return strings.Join(textUnder(top, true), " | ")
}

// answer presses a key in the open dialog.
func (r *ageRig) answer(t *testing.T, key fyne.KeyName) {
	t.Helper()
	f, ok := r.w.Canvas().Focused().(fyne.Focusable)
	if !ok || r.dialog() == "" {
		t.Fatalf("no dialog to answer (%s)", r.screen.Message())
	}
	f.TypedKey(&fyne.KeyEvent{Name: key})
}

const ageQ = "Товар 18+. Проверьте документ покупателя: ему есть 18 лет?"

// The first 18+ product of a receipt asks about the buyer's document: Enter adds it, and the receipt's
// next 18+ products go on without asking; Esc leaves it off.
func TestTillAsksAgeOncePerReceipt(t *testing.T) {
	r := newAgeRig(t)
	r.scan(kBread.Barcodes[0])
	if r.dialog() != "" {
		t.Fatalf("bread asked: %s", r.dialog())
	}
	r.scan(kBeer.Barcodes[0])
	if !strings.Contains(r.dialog(), ageQ) || !strings.Contains(r.dialog(), kBeer.Name) {
		t.Fatalf("beer: dialog %q", r.dialog())
	}
	if n := len(r.screen.Lines()); n != 1 {
		t.Fatalf("%d lines before the answer", n)
	}
	r.answer(t, fyne.KeyEscape)
	if n := len(r.screen.Lines()); n != 1 || !strings.Contains(r.screen.Message(), "не добавлен: возраст покупателя не подтверждён") {
		t.Fatalf("no: %d lines, %q", n, r.screen.Message())
	}
	r.scan(kBeer.Barcodes[0])
	r.answer(t, fyne.KeyReturn)
	if lines := r.screen.Lines(); len(lines) != 2 || lines[1].ProductID != kBeer.ID {
		t.Fatalf("yes: lines %+v", lines)
	}
	r.scan(kBeer.Barcodes[0])
	if r.dialog() != "" {
		t.Fatalf("the second beer asked again: %s", r.dialog())
	}
	if lines := r.screen.Lines(); len(lines) != 2 || lines[1].Qty != pos.Pieces(2) {
		t.Fatalf("second beer: lines %+v", lines)
	}
	if r.w.Canvas().Focused() != r.screen.Input() {
		t.Error("the scan field lost the focus")
	}
}

// A kiosk basket with beer asks once for the whole basket: Esc adds the rest and names the beer left off,
// Enter adds everything.
func TestTillAsksAgeForABasket(t *testing.T) {
	basket := wire.BasketQR{ID: "b-18", Store: kioskTill, Source: wire.BasketFromKiosk, Expires: testNow.Add(time.Hour),
		Items: []wire.BasketItem{{ProductID: kMilk.ID, Qty: 1000, Price: 10990}, {ProductID: kBeer.ID, Qty: 2000, Price: 8990}}}
	payload, err := wire.SignBasketQR(basket, "k1", kioskKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		key   fyne.KeyName
		lines int
		msg   string
	}{
		{fyne.KeyEscape, 1, "Пробейте отдельно: " + kBeer.Name + " (18+: возраст не подтверждён)"},
		{fyne.KeyReturn, 2, "Корзина b-18: добавлено позиций 2"},
	} {
		r := newAgeRig(t)
		r.scan(payload)
		if !strings.Contains(r.dialog(), "В корзине товар 18+: «"+kBeer.Name+"»") {
			t.Fatalf("dialog %q", r.dialog())
		}
		r.answer(t, tt.key)
		if n := len(r.screen.Lines()); n != tt.lines || !strings.Contains(r.screen.Message(), tt.msg) {
			t.Errorf("%s: %d lines, message %q; want %d and %q", tt.key, n, r.screen.Message(), tt.lines, tt.msg)
		}
	}
}
