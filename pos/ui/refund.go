package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/checkout"
	"github.com/kassa-pos/kassa/pos/staff"
)

// openRefund is F4 (UI.md §5.4): a return by the QR code of the customer's receipt, or without the
// receipt. Scanning a receipt's QR in the scan field starts the same return directly.
func (s *TillScreen) openRefund() {
	if !s.canRefund(s.openRefund) || !s.gate.allowed(staff.ActRefund, staff.Context{}, s.openRefund) {
		return
	}
	entry := NewPosEntry(nil)
	entry.SetPlaceHolder(s.l.T("refund.scan.hint"))
	find := func() {
		if text := strings.TrimSpace(entry.Text); text != "" {
			s.closeModal()
			s.refundByQR(text)
		}
	}
	free := func() { s.closeModal(); s.refundWithoutReceipt() }
	entry.Router = keyFunc{key: func(ev *fyne.KeyEvent) bool {
		switch {
		case isEnter(ev):
			find()
		case ev.Name == fyne.KeyF4:
			free()
		case ev.Name == fyne.KeyEscape:
			s.closeModal()
		default:
			return false
		}
		return true
	}}
	prompt := widget.NewLabel(s.l.T("refund.scan"))
	prompt.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(prompt, entry, buttonRow(
		widget.NewButton(s.l.T("refund.find"), find),
		widget.NewButton(s.l.T("refund.free"), free),
		widget.NewButton(s.l.T("btn.cancel"), s.closeModal)))
	s.showModal(s.l.T("refund.title"), body, entry, nil, nil)
}

// canRefund checks what the screen knows before a return: no receipt being built, the shift open (it asks
// to open one, then runs again).
func (s *TillScreen) canRefund(again func()) bool {
	if !s.till.Cart().Empty() {
		s.fail(pos.ErrCartNotEmpty)
		return false
	}
	if _, open := s.till.Shift(); !open {
		s.askOpenShift(again)
		return false
	}
	return true
}

// refundByQR finds the receipt of a scanned QR code and shows its lines. A receipt this till does not
// know can still be returned without it.
func (s *TillScreen) refundByQR(qr string) {
	if !s.canRefund(func() { s.refundByQR(qr) }) {
		return
	}
	r, err := s.till.StartRefund(qr)
	switch {
	case errors.Is(err, pos.ErrReceiptNotFound):
		s.confirm(s.l.T("refund.title"), Explain(s.l, err).Text+" "+s.l.T("refund.free.ask"), s.refundWithoutReceipt)
	case err != nil:
		s.showError(err, nil)
	default:
		s.showRefund(newRefundView(s, r))
	}
}

func (s *TillScreen) refundWithoutReceipt() {
	r, err := s.till.StartRefundWithoutReceipt()
	if err != nil {
		s.showError(err, nil)
		return
	}
	s.showRefund(newRefundView(s, r))
}

// refundView is the return being prepared, as the dialog shows it.
type refundView struct {
	s        *TillScreen
	r        *checkout.Refund
	selected int
	table    *widget.Table
	total    *canvas.Text
	note     *widget.Label // what went wrong with the last input, or what to do
}

var refundColumns = []struct {
	key   string
	width float32
	align fyne.TextAlign
}{
	{"col.n", 40, fyne.TextAlignTrailing},
	{"col.name", 300, fyne.TextAlignLeading},
	{"col.price", 90, fyne.TextAlignTrailing},
	{"refund.col.sold", 80, fyne.TextAlignTrailing},
	{"refund.col.returned", 90, fyne.TextAlignTrailing},
	{"refund.col.qty", 90, fyne.TextAlignTrailing},
	{"col.sum", 100, fyne.TextAlignTrailing},
}

func newRefundView(s *TillScreen, r *checkout.Refund) *refundView {
	v := &refundView{s: s, r: r}
	v.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(v.r.Lines), len(refundColumns) },
		func() fyne.CanvasObject {
			return container.NewStack(canvas.NewRectangle(theme.Color(theme.ColorNameSelection)), widget.NewLabel("Молоко 3,2% 930 мл"))
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			st := o.(*fyne.Container)
			bg, label := st.Objects[0].(*canvas.Rectangle), st.Objects[1].(*widget.Label)
			if id.Row >= len(v.r.Lines) {
				return
			}
			label.Alignment = refundColumns[id.Col].align
			label.Truncation = fyne.TextTruncateEllipsis
			label.SetText(v.cell(id.Row, id.Col))
			bg.Hidden = id.Row != v.selected
			bg.Refresh()
		})
	v.table.ShowHeaderColumn = false
	v.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	}
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			l := o.(*widget.Label)
			l.Alignment = refundColumns[id.Col].align
			l.SetText(s.l.T(refundColumns[id.Col].key))
		}
	}
	for i, c := range refundColumns {
		v.table.SetColumnWidth(i, c.width)
	}
	v.table.OnSelected = func(id widget.TableCellID) {
		v.selected = id.Row
		v.table.UnselectAll()
		v.table.Refresh()
	}
	v.total = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	v.total.TextSize, v.total.TextStyle, v.total.Alignment = 28, fyne.TextStyle{Bold: true}, fyne.TextAlignTrailing
	v.note = widget.NewLabel("")
	v.note.Wrapping = fyne.TextWrapWord
	return v
}

func (v *refundView) cell(row, col int) string {
	l := v.r.Lines[row]
	known := v.r.Original != nil
	switch col {
	case 0:
		return itoa(row + 1)
	case 1:
		if l.Line.Cancelled {
			return v.s.l.T("line.cancelled", l.Line.CancelledAt.Format("15:04"), l.Line.Name)
		}
		return l.Line.Name
	case 2:
		return l.Line.Price.String()
	case 3:
		if !known {
			return "—"
		}
		return l.Line.Qty.String() + " " + l.Line.Unit.Short()
	case 4:
		if !known {
			return "—"
		}
		return l.Refunded.String()
	case 5:
		return l.Qty.String() + " " + l.Line.Unit.Short()
	default:
		return l.Sum().String()
	}
}

// refresh redraws the lines and the total.
func (v *refundView) refresh() {
	if v.selected >= len(v.r.Lines) {
		v.selected = len(v.r.Lines) - 1
	}
	v.total.Text = v.s.l.T("refund.total", v.r.Total().String())
	v.total.Refresh()
	v.table.Refresh()
	if v.selected >= 0 {
		v.table.ScrollTo(widget.TableCellID{Row: v.selected, Col: 0})
	}
}

// say puts err (or, with nil, the hint) on the dialog's note line.
func (v *refundView) say(err error) {
	if err == nil {
		v.note.Importance = widget.MediumImportance
		v.note.SetText(v.hint())
		return
	}
	m := Explain(v.s.l, err)
	v.note.Importance = widget.DangerImportance
	v.note.SetText(strings.TrimSpace(m.Text + " " + m.Action))
}

func (v *refundView) hint() string {
	if v.r.Original == nil {
		return v.s.l.T("refund.hint.free")
	}
	return v.s.l.T("refund.hint")
}

func (v *refundView) heading() string {
	o := v.r.Original
	if o == nil {
		return v.s.l.T("refund.without")
	}
	return v.s.l.T("refund.of", o.Fiscal.FDNumber, o.Fiscal.At.Format("02.01.2006 15:04"), o.Total.String())
}

// showRefund is the return's lines: ↑/↓ choose a line, a quantity and Enter set what goes back (n* and a
// code add a product, =price sets its price, when there is no receipt), + and − step by one piece, Enter
// on an empty line goes to paying back, Esc drops the return.
func (s *TillScreen) showRefund(v *refundView) {
	if v.selected < 0 && len(v.r.Lines) > 0 {
		v.selected = 0
	}
	entry := NewPosEntry(nil)
	entry.SetPlaceHolder(s.l.T("refund.entry"))
	next := func() {
		if v.r.Total() <= 0 {
			v.say(pos.ErrNothingToRefund)
			return
		}
		s.payRefund(v, nil)
	}
	entry.Router = refundKeys{v: v, entry: entry, next: next}
	v.say(nil)
	v.refresh()
	heading := widget.NewLabelWithStyle(v.heading(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(heading,
		container.NewGridWrap(fyne.NewSize(800, 260), v.table),
		v.total, v.note, entry,
		buttonRow(widget.NewButton(s.l.T("refund.next"), next), widget.NewButton(s.l.T("btn.cancel"), s.closeModal)))
	s.showModal(s.l.T("refund.title"), body, entry, nil, nil)
}

// refundKeys routes the keys of the return's entry.
type refundKeys struct {
	v     *refundView
	entry *PosEntry
	next  func()
}

func (k refundKeys) RouteKey(ev *fyne.KeyEvent) bool {
	v := k.v
	switch {
	case isEnter(ev):
		text := strings.TrimSpace(k.entry.Text)
		k.entry.SetText("")
		if text == "" {
			k.next()
			return true
		}
		v.say(v.input(text))
		v.refresh()
	case ev.Name == fyne.KeyEscape:
		v.s.closeModal()
	case ev.Name == fyne.KeyUp:
		v.move(-1)
	case ev.Name == fyne.KeyDown:
		v.move(1)
	case (ev.Name == fyne.KeyDelete || ev.Name == fyne.KeyF8) && v.r.Original == nil:
		v.say(v.r.Remove(v.selected))
		v.refresh()
	default:
		return false
	}
	return true
}

func (k refundKeys) RouteShortcut(fyne.Shortcut) bool { return false }

// RouteRune steps the selected line with + and − while nothing is typed.
func (k refundKeys) RouteRune(r rune, text string) bool {
	if text != "" || (r != '+' && r != '-') || k.v.selected < 0 {
		return false
	}
	v := k.v
	l := v.r.Lines[v.selected]
	q := l.Qty
	switch {
	case r == '-' && l.Line.Unit == pos.UnitKg:
		q = 0
	case r == '-':
		q = max(q-pos.QtyOne, 0)
	case l.Line.Unit == pos.UnitKg:
		q = l.Left()
	default:
		q += pos.QtyOne
	}
	if q == 0 && v.r.Original == nil {
		v.say(v.r.Remove(v.selected))
	} else {
		v.say(v.r.SetQty(v.selected, q))
	}
	v.refresh()
	return true
}

func (v *refundView) move(d int) {
	if n := len(v.r.Lines); n > 0 {
		v.selected = min(max(v.selected+d, 0), n-1)
		v.refresh()
	}
}

// input applies one line typed or scanned into the return's entry.
func (v *refundView) input(text string) error {
	if v.r.Original != nil {
		q, err := pos.ParseQty(strings.TrimSuffix(text, "*"))
		if err != nil {
			return pos.ErrBadAmount
		}
		return v.r.SetQty(v.selected, q)
	}
	if price, ok := strings.CutPrefix(text, "="); ok {
		m, err := pos.ParseMoney(price)
		if err != nil {
			return pos.ErrBadAmount
		}
		return v.r.SetPrice(v.selected, m)
	}
	var qty pos.Qty
	if qText, code, ok := strings.Cut(text, "*"); ok {
		q, err := pos.ParseQty(qText)
		if err != nil || q <= 0 {
			return pos.ErrBadQuantity
		}
		if code = strings.TrimSpace(code); code == "" {
			return v.r.SetQty(v.selected, q)
		}
		qty, text = q, code
	}
	i, err := v.s.till.AddToRefund(v.r, text, qty)
	if err == nil {
		v.selected = i
	}
	return err
}
