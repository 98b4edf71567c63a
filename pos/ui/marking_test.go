package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/hardware/kkt/emulator"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/fiscal"
)

var (
	markedWater = pos.Product{ID: "100140", Name: "Вода Святой Источник газированная 1,5 л",
		Barcodes: []string{"4690421631110"}, Price: 6990, VAT: pos.VAT22, Marked: true}
	waterKM1 = "0104690421631110215WtrDemo00001\x1d93Demo"
	waterKM2 = "0104690421631110215WtrDemo00002\x1d93Demo"
	ctrlGS   = &desktop.CustomShortcut{KeyName: fyne.KeyRightBracket, Modifier: fyne.KeyModifierControl}
)

// fiscalRig is the till screen over the real use cases, store, fiscal adapter and driver and the emulated
// register, with the adapter at hand (its paper hook) and the emulator's marking answers configurable.
type fiscalRig struct {
	*uiRig
	reg *fiscal.Register
}

func newFiscalRig(t *testing.T, reject map[string]byte) *fiscalRig {
	t.Helper()
	st := testStore(t, "till-1", append(append([]pos.Product(nil), products...), markedWater))
	ctx, dev, host, reg := testRegister(t, emulator.Config{RejectMarks: reject})
	till := openTestTill(ctx, t, checkout.Config{Store: st, Register: reg}, "Иванова А.")
	w := testWindow(t)
	screen := NewTill(w, TillDeps{Till: till, Lang: Russian, Cashier: "Иванова А.", Tape: dev,
		Now: func() time.Time { return testNow }, Wedge: barcode.WedgeRepair{GSSubstitute: "<GS>"}})
	reg.SetAwaitPaper(screen.AwaitPaper)
	return &fiscalRig{uiRig: &uiRig{screen: screen, store: st, w: w, dev: dev, cable: host}, reg: reg}
}

// typeCode types a marking code into e like a keyboard wedge: GS as Ctrl+].
func typeCode(e *PosEntry, code string) {
	for i, part := range strings.Split(code, "\x1d") {
		if i > 0 {
			e.TypedShortcut(ctrlGS)
		}
		test.Type(e, part)
	}
}

// payCash opens Подытог and pays the total in cash.
func (r *uiRig) payCash(t *testing.T) {
	t.Helper()
	r.screen.Input().TypedRune('+')
	amount := r.focusedEntry(t)
	amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.waitIdle(t)
}

func TestMarkedProductAsksForItsCode(t *testing.T) {
	for _, c := range []struct {
		name    string
		typed   []string // into the prompt, one scan each
		wantMsg string   // in the prompt's status after the scans, "" when the line was added
		escape  bool
	}{
		{name: "DataMatrix with GS", typed: []string{waterKM1}},
		{name: "wedge's GS substitute", typed: []string{strings.ReplaceAll(waterKM1, "\x1d", "<GS>")}},
		{name: "typed under the Russian layout", typed: []string{"0104690421631110215ЦекВуьщ00001\x1d93Вуьщ"}},
		{name: "EAN scanned again, then the code", typed: []string{"4690421631110", waterKM1}},
		{name: "the EAN is not enough", typed: []string{"4690421631110"}, wantMsg: "DataMatrix"},
		{name: "code of another product", typed: []string{"0104607001771401215MilkDemo0001\x1d93Demo"},
			wantMsg: "другого товара"},
		{name: "Esc: not added", escape: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newFiscalRig(t, nil)
			r.scan("4690421631110")
			if !strings.Contains(r.screen.Message(), "отсканируйте код маркировки (DataMatrix)") {
				t.Errorf("message line = %q", r.screen.Message())
			}
			prompt := r.focusedEntry(t)
			if prompt == r.screen.Input() {
				t.Fatal("no prompt for the marking code")
			}
			for _, code := range c.typed {
				typeCode(prompt, code)
				prompt.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			}
			if c.escape {
				prompt.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
			}
			lines := r.screen.Lines()
			switch {
			case c.escape:
				if len(lines) != 0 || !strings.Contains(r.screen.Message(), "не добавлен") {
					t.Errorf("after Esc: lines %+v, message %q", lines, r.screen.Message())
				}
			case c.wantMsg != "":
				if len(lines) != 0 || r.w.Canvas().Focused() != prompt {
					t.Fatalf("the prompt closed: lines %+v", lines)
				}
				if !strings.Contains(textsOf(r.w.Canvas().Overlays().Top()), c.wantMsg) {
					t.Errorf("the prompt does not say %q:\n%s", c.wantMsg, textsOf(r.w.Canvas().Overlays().Top()))
				}
				return
			default:
				if len(lines) != 1 || lines[0].Marking != waterKM1 || lines[0].Qty != pos.QtyOne {
					t.Fatalf("lines = %+v", lines)
				}
				if got := r.screen.cell(0, 1, lines[0]); !strings.Contains(got, "[КМ]") {
					t.Errorf("the cart shows %q: no mark sign", got)
				}
			}
			if r.w.Canvas().Focused() != r.screen.Input() {
				t.Error("the focus did not come back to the scan field")
			}
		})
	}
}

func TestMarkedGoodsSold(t *testing.T) {
	r := newFiscalRig(t, nil)
	typeCode(r.screen.Input(), waterKM1) // the DataMatrix straight into the scan field
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.scan("4607001771401")
	r.scan("4690421631110")
	typeCode(r.focusedEntry(t), waterKM2)
	r.focusedEntry(t).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.scan("2*" + strings.ReplaceAll(waterKM1, "\x1d", "<GS>"))
	if !strings.Contains(r.screen.Message(), "поштучно") {
		t.Errorf("n* on a marked product: message %q", r.screen.Message())
	}
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) // drop the refused 2*
	const starKM = "010469042163111021*WtrDemo0003\x1d93Demo"       // a '*' in the serial is not n*
	typeCode(r.screen.Input(), starKM)
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.payCash(t)

	sales, err := r.store.RecentSales(1)
	if err != nil || len(sales) != 1 || sales[0].Status != pos.SaleFiscalised {
		t.Fatalf("journal = %+v, %v", sales, err)
	}
	var codes []string
	for _, l := range sales[0].Lines {
		codes = append(codes, l.Marking)
	}
	if strings.Join(codes, "|") != waterKM1+"||"+waterKM2+"|"+starKM {
		t.Errorf("sold lines carry %q", codes)
	}
	if n := strings.Count(r.dev.Tape(), "[М+]"); n != 3 {
		t.Errorf("%d checked codes on the tape, want 3", n)
	}
}

func TestRejectedMarkShowsTheReason(t *testing.T) {
	r := newFiscalRig(t, map[string]byte{waterKM2: 2})
	r.scan("4607001771401")
	typeCode(r.screen.Input(), waterKM2)
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.payCash(t)

	dialog := textsOf(r.w.Canvas().Overlays().Top())
	for _, want := range []string{"Код маркировки отклонён", "не найден в системе или товар уже продан", "Позиция 2"} {
		if !strings.Contains(dialog, want) {
			t.Errorf("the dialog does not say %q:\n%s", want, dialog)
		}
	}
	if !strings.Contains(r.screen.Message(), "Код маркировки отклонён") {
		t.Errorf("message line = %q", r.screen.Message())
	}
	// Enter voids the refused line; the rest sells.
	r.w.Canvas().Focused().(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if l := r.screen.Lines(); len(l) != 2 || !l[1].Cancelled || l[0].Cancelled {
		t.Fatalf("lines after the void = %+v", l)
	}
	r.payCash(t)
	sales, err := r.store.RecentSales(2)
	if err != nil || len(sales) != 2 || sales[0].Status != pos.SaleFiscalised || sales[1].Status != pos.SaleCancelled {
		t.Fatalf("journal = %+v, %v", sales, err)
	}
}

// textsOf joins the texts of the labels under o, for assertions on dialogs.
func textsOf(o fyne.CanvasObject) string {
	var parts []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			parts = append(parts, v.Text)
		case *canvas.Text:
			parts = append(parts, v.Text)
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return strings.Join(parts, "\n")
}
