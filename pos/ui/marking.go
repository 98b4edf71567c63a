package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/barcode"
	"github.com/kassa-pos/kassa/pos/checkout"
)

// Marked goods (ФФД 1.2, Честный знак): the till asks for the DataMatrix on a marked product's pack, marks
// such lines in the cart, and explains a code the register refused with a way out (storno of the line).

var markingTexts = map[string][2]string{
	"marking.title":          {"Код маркировки", "Marking code"},
	"marking.prompt":         {"Отсканируйте код маркировки (DataMatrix) с упаковки: %s", "Scan the marking code (DataMatrix) on the pack: %s"},
	"marking.hint":           {"Квадратный код DataMatrix, не штрихкод EAN. Enter — добавить, Esc — отмена", "The square DataMatrix, not the EAN barcode. Enter adds, Esc cancels"},
	"marking.ask":            {"Маркированный товар «%s»: отсканируйте код маркировки (DataMatrix) с упаковки", "Marked product “%s”: scan the marking code (DataMatrix) on the pack"},
	"marking.cancelled":      {"«%s» не добавлен: нет кода маркировки", "“%s” not added: no marking code"},
	"marking.badge":          {"[КМ]", "[KM]"},
	"marking.rejected.title": {"Код маркировки отклонён", "Marking code refused"},
	"marking.rejected.line":  {"Позиция %d: %s", "Line %d: %s"},
	"marking.rejected.next":  {"Чек не пробит. Сторнируйте позицию, возьмите другую упаковку и оплатите снова.", "The receipt was not printed. Void the line, take another pack and pay again."},
	"marking.rejected.void":  {"Enter — сторно позиции", "Enter — void the line"},
}

var markingErrTexts = []errText{
	{pos.ErrMarkingRejected, "Код маркировки отклонён: этот товар продавать нельзя.", "Сторнируйте позицию (F8) и возьмите другую упаковку. Чек сохранён.",
		"The marking code was refused: this item may not be sold.", "Void the line (F8) and take another pack. The receipt is kept."},
	{pos.ErrNeedsMarking, "Товар маркирован: нужен код маркировки (DataMatrix) с упаковки.", "Отсканируйте квадратный код DataMatrix, а не штрихкод EAN.",
		"This item is marked: its marking code (DataMatrix) is needed.", "Scan the square DataMatrix, not the EAN barcode."},
	{pos.ErrMarkingDuplicate, "Этот код маркировки уже есть в чеке.", "У каждой упаковки свой код: отсканируйте DataMatrix следующей упаковки.",
		"This marking code is on the receipt already.", "Every pack has its own code: scan the next pack's DataMatrix."},
	{pos.ErrMarkingLimit, "В чеке уже 128 кодов маркировки — больше ФН не принимает.", "Оплатите этот чек, остальное пробейте следующим.",
		"The receipt holds 128 marking codes, the most the ФН takes.", "Pay this receipt and ring up the rest on the next one."},
	{pos.ErrMarkingMismatch, "Код маркировки от другого товара.", "Отсканируйте DataMatrix на упаковке именно этого товара.",
		"The marking code is of another product.", "Scan the DataMatrix on this product's pack."},
	{pos.ErrMarkedQuantity, "Маркированный товар продаётся поштучно: у каждой упаковки свой код.", "Отсканируйте DataMatrix каждой упаковки по очереди, без n*.",
		"Marked goods are sold piece by piece: each pack has its own code.", "Scan each pack's DataMatrix in turn, without n*."},
}

func init() {
	for k, v := range markingTexts {
		texts[k] = v
	}
	// Before the general errors: a refused code comes wrapped in ErrNotFiscalised.
	errTexts = append(append([]errText(nil), markingErrTexts...), errTexts...)
}

// isGSShortcut reports Ctrl+], the key chord that types GS (0x1D) on a keyboard and that keyboard-wedge
// scanners send for the separator of a DataMatrix.
func isGSShortcut(sc fyne.Shortcut) bool {
	cs, ok := sc.(*desktop.CustomShortcut)
	return ok && cs.KeyName == fyne.KeyRightBracket && cs.Modifier == fyne.KeyModifierControl
}

// wedgeText repairs what a keyboard-wedge scanner typed (the GS substitute, the Russian layout).
func (s *TillScreen) wedgeText(text string, code bool) string {
	w := s.d.Wedge
	w.FixLayout = w.FixLayout || code // a marking code is never Russian words
	return w.Repair(text)
}

// askMarkingFor opens the marking prompt when err says a marked product needs its code.
func (s *TillScreen) askMarkingFor(err error) bool {
	var need *pos.MarkingNeeded
	if !errors.As(err, &need) {
		return false
	}
	s.pendingQty = 0
	s.qtyLabel.SetText("")
	s.askMarking(need.Product)
	return true
}

// askMarking asks for the DataMatrix on the pack of p and adds p with it. A wrong scan keeps the prompt
// open with the reason; Esc leaves p off the receipt.
func (s *TillScreen) askMarking(p pos.Product) {
	s.info(s.l.T("marking.ask", p.Name))
	s.askCode(s.l.T("marking.prompt", p.Name),
		func(text string) (checkout.ScanResult, error) { return s.till.ScanMarking(p, text) },
		nil,
		func() { s.info(s.l.T("marking.cancelled", p.Name)) })
}

// askCode is the marking prompt both a marked product and a basket's marked packs use: scan adds the pack
// with the code read (repaired as a wedge scan), a refusal keeps the prompt with the reason, a good scan
// closes it, shows the line and calls next (if any); Esc closes it and calls cancelled.
func (s *TillScreen) askCode(title string, scan func(text string) (checkout.ScanResult, error), next, cancelled func()) {
	entry := NewPosEntry(nil)
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	status.Importance = widget.DangerImportance
	add := func() {
		text := s.wedgeText(entry.Text, true)
		entry.SetText("")
		res, err := scan(text)
		if err != nil {
			m := Explain(s.l, err)
			status.SetText(m.Text + " " + m.Action)
			return
		}
		s.closeModal()
		s.showAdded(res.Line)
		if next != nil {
			next()
		}
	}
	cancel := func() {
		s.closeModal()
		cancelled()
	}
	entry.Router = keyFunc{
		key: func(ev *fyne.KeyEvent) bool {
			switch {
			case isEnter(ev):
				add()
			case ev.Name == fyne.KeyEscape:
				cancel()
			default:
				return false
			}
			return true
		},
		shortcut: func(sc fyne.Shortcut) bool {
			if isGSShortcut(sc) {
				entry.TypedRune(barcode.GS)
				return true
			}
			return false
		},
	}
	prompt := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	prompt.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(s.l.T("marking.hint"))
	hint.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(prompt, hint, entry, status, buttonRow(
		widget.NewButton(s.l.T("btn.ok"), add), widget.NewButton(s.l.T("btn.cancel"), cancel)))
	s.showModal(s.l.T("marking.title"), body, entry, nil, nil)
}

// markBadge is the cart's sign of a line sold with its marking code.
func (s *TillScreen) markBadge(l pos.Line) string {
	if l.Marking == "" {
		return ""
	}
	return " " + s.l.T("marking.badge")
}

// showMarkingRejected explains a code the register refused at payment, with the reason it gave, and voids
// the line on Enter so the cashier can take another pack.
func (s *TillScreen) showMarkingRejected(me *pos.MarkingError) {
	reason := widget.NewLabelWithStyle(me.Reason, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	reason.Wrapping = fyne.TextWrapWord
	line := widget.NewLabel(s.l.T("marking.rejected.line", me.Line+1, me.Name))
	line.Wrapping = fyne.TextWrapWord
	next := widget.NewLabel(s.l.T("marking.rejected.next"))
	next.Wrapping = fyne.TextWrapWord
	void := func() {
		s.closeModal()
		s.selected = me.Line
		s.afterCartChange(s.till.CancelLine(me.Line))
	}
	body := container.NewVBox(reason, line, next, buttonRow(
		widget.NewButton(s.l.T("marking.rejected.void"), void), widget.NewButton(s.l.T("btn.back"), s.closeModal)))
	s.fail(me)
	s.showModal(s.l.T("marking.rejected.title"), body, nil, void, s.closeModal)
}
