package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/sync/wire"
)

func (r *uiRig) key(t *testing.T, name fyne.KeyName) {
	t.Helper()
	r.focusedEntry(t).TypedKey(&fyne.KeyEvent{Name: name})
}

// sellForCash sells what is scanned for 500 ₽ cash and returns the journalled sale.
func (r *uiRig) sellForCash(t *testing.T, codes ...string) pos.Sale {
	t.Helper()
	for _, c := range codes {
		r.scan(c)
	}
	r.screen.Input().TypedRune('+')
	amount := r.focusedEntry(t)
	test.Type(amount, "500")
	amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.waitIdle(t)
	sales, err := r.store.RecentSales(1)
	if err != nil || len(sales) != 1 || sales[0].Status != pos.SaleFiscalised {
		t.Fatalf("sale = %+v, %v", sales, err)
	}
	return sales[0]
}

// TestRefundByReceiptQR: sell two products, scan the receipt's QR in the scan field, return one piece of
// the second line in cash; the journal has the refund and the outbox a refund event.
func TestRefundByReceiptQR(t *testing.T) {
	r := newUIRig(t, Russian)
	sale := r.sellForCash(t, "4607001771401", "2*4601234500012")

	r.scan(sale.Fiscal.QR(sale.Total))
	entry := r.focusedEntry(t)
	if entry == r.screen.Input() {
		t.Fatalf("no return dialog; message %q", r.screen.Message())
	}
	if !strings.Contains(r.dialogLabels(), "Чек ФД 2") {
		t.Errorf("the dialog does not name the receipt:\n%s", r.dialogLabels())
	}
	r.key(t, fyne.KeyDown) // the bread
	test.Type(r.focusedEntry(t), "3")
	r.key(t, fyne.KeyReturn) // more than sold: refused in the dialog
	if !strings.Contains(r.dialogLabels(), "Нельзя вернуть больше") {
		t.Errorf("no refusal of 3 of 2 sold:\n%s", r.dialogLabels())
	}
	test.Type(r.focusedEntry(t), "1")
	r.key(t, fyne.KeyReturn)
	r.key(t, fyne.KeyReturn) // to paying back
	r.key(t, fyne.KeyReturn) // in cash
	r.waitIdle(t)

	recent, err := r.store.RecentSales(1)
	if err != nil || len(recent) != 1 {
		t.Fatal(recent, err)
	}
	ref := recent[0]
	if ref.Kind != pos.KindRefund || ref.RefundOf != sale.ID || ref.Status != pos.SaleFiscalised || ref.Total != 5500 ||
		ref.Paid(pos.PayCash) != 5500 || len(ref.Lines) != 2 || ref.Lines[1].Qty != pos.QtyOne || ref.Lines[0].Qty != 0 {
		t.Fatalf("refund = %+v", ref)
	}
	evs, err := r.store.PeekEvents(context.Background(), 0)
	if err != nil || len(evs) != 3 || evs[2].ID != ref.ID || evs[2].Type != wire.TypeRefund {
		t.Fatalf("outbox = %+v, %v; want shift, sale, refund", evs, err)
	}
	if msg := r.screen.Message(); !strings.Contains(msg, "Возврат пробит: ФД 3") {
		t.Errorf("message = %q", msg)
	}
	if !strings.Contains(r.dev.Tape(), "ВОЗВРАТ ПРИХОДА") {
		t.Errorf("the tape shows no return receipt:\n%s", r.dev.Tape())
	}
	if r.w.Canvas().Focused() != r.screen.Input() {
		t.Error("focus did not come back to the scan field")
	}
	// The same receipt again: one loaf is left to return, not two.
	r.scan(sale.Fiscal.QR(sale.Total))
	r.key(t, fyne.KeyDown)
	test.Type(r.focusedEntry(t), "2")
	r.key(t, fyne.KeyReturn)
	if !strings.Contains(r.dialogLabels(), "Нельзя вернуть больше") {
		t.Errorf("a second return of two loaves was not refused:\n%s", r.dialogLabels())
	}
}

// TestRefundWithoutReceiptToCard: F4, the receipt is not at hand (F4 again), a product scanned, its price
// from the paper receipt, paid back to a card with the bank terminal's approval code.
func TestRefundWithoutReceiptToCard(t *testing.T) {
	ctrlEnter := &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierControl}
	r := newUIRig(t, Russian)
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF4})
	r.key(t, fyne.KeyF4)
	r.scan2(t, "4600000000206")
	r.scan2(t, "=199,90")
	r.key(t, fyne.KeyReturn)
	r.focusedEntry(t).TypedShortcut(ctrlEnter)
	r.waitIdle(t) // the register is asked before the card is credited
	code := r.focusedEntry(t)
	test.Type(code, "ab12cd")
	code.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.waitIdle(t)
	recent, _ := r.store.RecentSales(1)
	if len(recent) != 1 || recent[0].Kind != pos.KindRefund || recent[0].RefundOf != "" || recent[0].Total != 19990 ||
		recent[0].Payments[0].Approval != "AB12CD" || recent[0].Status != pos.SaleFiscalised {
		t.Fatalf("refund = %+v", recent)
	}
}

// scan2 types into the focused dialog entry and presses Enter.
func (r *uiRig) scan2(t *testing.T, text string) {
	t.Helper()
	e := r.focusedEntry(t)
	test.Type(e, text)
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// dialogLabels is the text of every label in the open dialogs (whole, however it wraps on screen).
func (r *uiRig) dialogLabels() string {
	return overlayTexts(r.w, func(l *widget.Label) string { return l.Text })
}

// overlayTexts is the text of every T in the open dialogs, a line each.
func overlayTexts[T fyne.CanvasObject](w fyne.Window, text func(T) string) string {
	var b strings.Builder
	for _, o := range w.Canvas().Overlays().List() {
		for _, obj := range test.LaidOutObjects(o) {
			if x, ok := obj.(T); ok {
				b.WriteString(text(x) + "\n")
			}
		}
	}
	return b.String()
}
