package ui

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/store"
)

var (
	testNow  = time.Date(2026, 11, 23, 10, 30, 0, 0, time.UTC)
	products = []pos.Product{
		{ID: "1001", Name: "Молоко Простоквашино 3,2% 930 мл", Barcodes: []string{"4607001771401"}, Price: 8990, VAT: pos.VAT10},
		{ID: "1002", Name: "Хлеб Бородинский 400 г", Barcodes: []string{"4601234500012"}, Price: 5500, VAT: pos.VAT10},
		{ID: "2001", Name: "Яблоки Гала", PLU: "12345", Price: 14900, VAT: pos.VAT10, Unit: pos.UnitKg},
		{ID: "3001", Name: "Средство для посуды Fairy 450 мл", Barcodes: []string{"4600000000206"}, Price: 21900, VAT: pos.VAT22},
	}
)

type uiRig struct {
	screen *TillScreen
	store  *store.Store
	w      fyne.Window
	dev    *emulator.Device
	cable  net.Conn // the host end of the register's line: closing it pulls the cable
}

// newUIRig is the till screen on the real use cases, the real bbolt store, and the emulated register
// behind the real Shtrih-M driver (over an in-memory pipe).
func newUIRig(t testing.TB, lang Lang) *uiRig {
	t.Helper()
	st := testStore(t, "till-1", products)
	ctx, dev, host, reg := testRegister(t, emulator.Config{})
	till := openTestTill(ctx, t, checkout.Config{Store: st, Register: reg}, "Иванова А.")
	w := testWindow(t)
	screen := NewTill(w, TillDeps{Till: till, Lang: lang, Cashier: "Иванова А.", Tape: dev,
		Now: func() time.Time { return testNow }})
	return &uiRig{screen: screen, store: st, w: w, dev: dev, cable: host}
}

// scan types like a keyboard-wedge scanner: the characters, then Enter.
func (r *uiRig) scan(text string) {
	test.Type(r.screen.Input(), text)
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func (r *uiRig) focusedEntry(t *testing.T) *PosEntry {
	t.Helper()
	e, ok := r.w.Canvas().Focused().(*PosEntry)
	if !ok {
		t.Fatalf("focused widget is %T, want a *PosEntry", r.w.Canvas().Focused())
	}
	return e
}

// waitIdle waits for the payment goroutine to hand the screen back.
func (r *uiRig) waitIdle(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for r.screen.Busy() {
		if time.Now().After(deadline) {
			t.Fatal("the till stayed busy")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestScanPayFiscalises(t *testing.T) {
	r := newUIRig(t, Russian)
	r.scan("4607001771401")
	r.scan("2*4601234500012")
	r.scan("2112345012346") // 1,234 kg of apples
	lines := r.screen.Lines()
	if len(lines) != 3 || lines[1].Qty != pos.Pieces(2) || lines[2].Qty != 1234 {
		t.Fatalf("lines = %+v", lines)
	}
	if r.w.Canvas().Focused() != r.screen.Input() {
		t.Fatal("the scan field lost the focus")
	}
	// Подытог with '+', 500 ₽ cash, Enter.
	r.screen.Input().TypedRune('+')
	amount := r.focusedEntry(t)
	test.Type(amount, "500")
	amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.waitIdle(t)

	sales, err := r.store.RecentSales(10)
	if err != nil || len(sales) != 1 {
		t.Fatalf("journal = %v, %v", sales, err)
	}
	s := sales[0]
	want := pos.Money(8990 + 2*5500 + 18387) // apples: 149,00 × 1,234 = 183,87
	if s.Status != pos.SaleFiscalised || s.Total != want || s.Change != 50000-want || s.Fiscal == nil {
		t.Fatalf("sale = %+v", s)
	}
	if len(r.screen.Lines()) != 0 {
		t.Error("the cart was not cleared after the sale")
	}
	if !strings.Contains(r.screen.change.Text, (50000 - want).String()) {
		t.Errorf("change shown = %q", r.screen.change.Text)
	}
	if !strings.Contains(r.dev.Tape(), "ИТОГ") {
		t.Errorf("the emulator's tape shows no receipt:\n%s", r.dev.Tape())
	}
	if stats, _ := r.store.OutboxStats(); stats.Unsent != 2 { // shift open + sale
		t.Errorf("outbox = %+v, want 2 events", stats)
	}
}

func TestScanErrorsKeepTheCart(t *testing.T) {
	for _, c := range []struct {
		lang Lang
		code string
		want string
	}{
		{Russian, "4600000000008", "Товар с таким кодом не найден"},
		{Russian, "4607001771402", "неверная контрольная цифра"},
		{Russian, "0*4607001771401", "Недопустимое количество"},
		{English, "4600000000008", "No product has this code"},
	} {
		t.Run(c.code, func(t *testing.T) {
			r := newUIRig(t, c.lang)
			r.scan("4607001771401")
			r.scan(c.code)
			if !strings.Contains(r.screen.Message(), c.want) {
				t.Errorf("message = %q, want it to say %q", r.screen.Message(), c.want)
			}
			if len(r.screen.Lines()) != 1 {
				t.Errorf("cart = %+v", r.screen.Lines())
			}
		})
	}
}

func TestStornoAndDefer(t *testing.T) {
	r := newUIRig(t, Russian)
	r.scan("4607001771401")
	r.scan("4600000000206")
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF8})
	r.w.Canvas().Focused().(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // confirm
	lines := r.screen.Lines()
	if len(lines) != 2 || !lines[1].Cancelled {
		t.Fatalf("after storno: %+v", lines)
	}
	if got := r.screen.till.Cart().Totals().Total; got != 8990 {
		t.Errorf("total = %s", got)
	}
	// Shift+F5 defers, F5 + Enter brings it back.
	r.screen.Input().TypedShortcut(&desktopShortcutShiftF5)
	if len(r.screen.Lines()) != 0 {
		t.Fatal("defer left the cart")
	}
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF5})
	r.focusedEntry(t).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(r.screen.Lines()) != 2 {
		t.Fatalf("recalled cart = %+v", r.screen.Lines())
	}
}

func TestSearchAddsProduct(t *testing.T) {
	r := newUIRig(t, Russian)
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF2})
	q := r.focusedEntry(t)
	test.Type(q, "бородин")
	q.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if l := r.screen.Lines(); len(l) != 1 || l[0].ProductID != "1002" {
		t.Fatalf("lines = %+v", l)
	}
	if r.w.Canvas().Focused() != r.screen.Input() {
		t.Error("focus did not come back to the scan field")
	}
}

func TestTillMarkup(t *testing.T) {
	r := newUIRig(t, Russian)
	r.scan("4607001771401")
	r.scan("2112345012346")
	test.AssertRendersToMarkup(t, "till_two_lines.xml", r.w.Canvas())
}

func TestCardAndMixedPayments(t *testing.T) {
	ctrlEnter := &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierControl}
	for _, c := range []struct {
		name      string
		cashFirst string
		approval  string // typed by the cashier from the standalone terminal's slip; "" = Esc
		wantCash  pos.Money
		wantCard  pos.Money
	}{
		{"card", "", "a1b2c3", 0, 8990},
		{"mixed", "50", "123456789012", 5000, 3990},
		{"card declined", "", "", 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newUIRig(t, Russian)
			r.scan("4607001771401")
			r.screen.Input().TypedRune('+')
			amount := r.focusedEntry(t)
			if c.cashFirst != "" {
				test.Type(amount, c.cashFirst)
				amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
				if r.screen.Busy() || len(r.screen.Lines()) != 1 {
					t.Fatal("a partial cash tender must keep the payment dialog open")
				}
			}
			amount.TypedShortcut(ctrlEnter)
			r.waitIdle(t) // the register is asked before the card is charged
			code := r.focusedEntry(t)
			if c.approval == "" {
				code.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
				if sales, _ := r.store.RecentSales(1); len(sales) != 0 || len(r.screen.Lines()) != 1 {
					t.Fatalf("a declined card must keep the receipt and journal nothing: %+v", sales)
				}
				return
			}
			test.Type(code, c.approval)
			code.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			r.waitIdle(t)
			sales, _ := r.store.RecentSales(1)
			if len(sales) != 1 || sales[0].Status != pos.SaleFiscalised {
				t.Fatalf("journal = %+v", sales)
			}
			if got := sales[0].Paid(pos.PayCash); got != c.wantCash {
				t.Errorf("cash = %s, want %s", got, c.wantCash)
			}
			if got := sales[0].Paid(pos.PayCard); got != c.wantCard {
				t.Errorf("card = %s, want %s", got, c.wantCard)
			}
			if p := sales[0].Payments[len(sales[0].Payments)-1]; p.Approval != strings.ToUpper(c.approval) {
				t.Errorf("approval = %q, want %q", p.Approval, strings.ToUpper(c.approval))
			}
		})
	}
}

// fakeTerminal is an integrated bank terminal.
type fakeTerminal struct{ charged []pos.Money }

func (f *fakeTerminal) Charge(_ context.Context, amount pos.Money) (string, error) {
	f.charged = append(f.charged, amount)
	return "RRN000000042", nil
}

func TestIntegratedCardTerminal(t *testing.T) {
	ctrlEnter := &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierControl}
	r := newUIRig(t, Russian)
	term := &fakeTerminal{}
	r.screen.d.Card = term
	r.scan("4607001771401")
	r.screen.Input().TypedRune('+')
	r.focusedEntry(t).TypedShortcut(ctrlEnter)
	r.waitIdle(t)
	sales, _ := r.store.RecentSales(1)
	if len(sales) != 1 || sales[0].Payments[0].Approval != "RRN000000042" || len(term.charged) != 1 || term.charged[0] != 8990 {
		t.Fatalf("sale %+v, charged %v", sales, term.charged)
	}
}

func TestCardNeverChargedWhenTheRegisterWouldRefuse(t *testing.T) {
	ctrlEnter := &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierControl}
	r := newUIRig(t, Russian)
	term := &fakeTerminal{}
	r.screen.d.Card = term
	r.scan("4607001771401")
	r.cable.Close()
	r.screen.Input().TypedRune('+')
	r.focusedEntry(t).TypedShortcut(ctrlEnter)
	r.waitIdle(t)
	if len(term.charged) != 0 {
		t.Fatalf("the card was charged %v with the register gone", term.charged)
	}
	if !strings.Contains(markupOf(r.w), "ККТ не отвечает") {
		t.Errorf("dialog:\n%s", markupOf(r.w))
	}
}

func TestRegisterGoneKeepsTheReceipt(t *testing.T) {
	r := newUIRig(t, Russian)
	r.scan("4607001771401")
	r.cable.Close()
	r.screen.Input().TypedRune('+')
	amount := r.focusedEntry(t)
	amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // exact cash
	r.waitIdle(t)
	if len(r.screen.Lines()) != 1 {
		t.Fatal("the cart was lost when the register did not answer")
	}
	if r.screen.modal == nil {
		t.Fatal("no error dialog")
	}
	if !strings.Contains(markupOf(r.w), "ККТ не отвечает") {
		t.Errorf("the dialog does not say the register is not responding:\n%s", markupOf(r.w))
	}
	if sales, _ := r.store.RecentSales(5); len(sales) != 0 {
		t.Errorf("a sale was journalled although the register never answered: %+v", sales)
	}
}

// markupOf is every text drawn in the window's dialogs, for assertions on what a cashier reads.
func markupOf(w fyne.Window) string {
	var b strings.Builder
	for _, o := range w.Canvas().Overlays().List() {
		for _, obj := range test.LaidOutObjects(o) {
			if t, ok := obj.(*canvas.Text); ok {
				b.WriteString(t.Text + "\n")
			}
		}
	}
	return b.String()
}

func TestCloseShiftFromServiceMenu(t *testing.T) {
	r := newUIRig(t, Russian)
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF12})
	r.w.Canvas().Focused().(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: fyne.Key1}) // open: disabled, ignored
	if r.screen.Busy() {
		t.Fatal("a disabled service item ran")
	}
	r.w.Canvas().Focused().(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: fyne.Key2})
	r.w.Canvas().Focused().(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // confirm
	r.waitIdle(t)
	if _, open := r.screen.till.Shift(); open {
		t.Fatal("the shift is still open")
	}
	if !strings.Contains(r.dev.Tape(), "ЗАКРЫТИИ СМЕНЫ") {
		t.Errorf("no Z report on the tape:\n%s", r.dev.Tape())
	}
	if !strings.Contains(r.screen.Message(), "Смена № 1 закрыта") {
		t.Errorf("message = %q", r.screen.Message())
	}
	if r.w.Canvas().Focused() != r.screen.Input() {
		t.Error("focus did not come back to the scan field")
	}
}
