package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
)

var buyerTexts = map[string][2]string{
	"key.buyer":     {"F9 Эл. чек", "F9 E-receipt"},
	"buyer.title":   {"Электронный чек", "Electronic receipt"},
	"buyer.prompt":  {"Телефон или e-mail покупателя: ОФД пришлёт чек туда", "The buyer's phone or e-mail: the ОФД sends the receipt there"},
	"buyer.hint":    {"+7 916 123-45-67 или name@mail.ru; пустое поле — без электронного чека. Enter — сохранить, Esc — отмена", "+7 916 123-45-67 or name@mail.ru; empty for none. Enter saves, Esc cancels"},
	"buyer.label":   {"Эл. чек: %s", "E-receipt: %s"},
	"buyer.set":     {"Электронный чек будет отправлен: %s", "The electronic receipt goes to %s"},
	"buyer.cleared": {"Электронный чек не отправляется", "No electronic receipt"},
	"buyer.none":    {"Эл. чек: нет (только бумажный)", "E-receipt: none (paper only)"},
}

func init() {
	for k, v := range buyerTexts {
		texts[k] = v
	}
	errTexts = append(errTexts, errText{pos.ErrBadBuyerContact,
		"Это не номер мобильного телефона и не адрес e-mail.", "Введите телефон +7 9XX XXX-XX-XX или адрес почты name@mail.ru.",
		"That is neither a mobile phone number nor an e-mail address.", "Type a phone +7 9XX XXX-XX-XX or an address name@mail.ru."})
}

// openBuyer is F9 (on the till and in the payment dialog): the buyer's phone or e-mail for the electronic
// receipt of this sale (tag 1008). then, when not nil, runs after the dialog closes (back to the payment).
func (s *TillScreen) openBuyer(then func()) {
	back := func() {
		s.closeModal()
		if then != nil {
			then()
		}
	}
	entry := NewPosEntry(nil)
	entry.SetText(s.till.Buyer())
	entry.SetPlaceHolder("+7 916 123-45-67")
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	status.Importance = widget.DangerImportance
	save := func() {
		if err := s.till.SetBuyer(entry.Text); err != nil {
			m := Explain(s.l, err)
			status.SetText(m.Text + " " + m.Action)
			return
		}
		s.showBuyer()
		if b := s.till.Buyer(); b != "" {
			s.info(s.l.T("buyer.set", b))
		} else {
			s.info(s.l.T("buyer.cleared"))
		}
		back()
	}
	entry.Router = enterEsc(save, back)
	prompt := widget.NewLabelWithStyle(s.l.T("buyer.prompt"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	prompt.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(s.l.T("buyer.hint"))
	hint.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(prompt, entry, status, hint, buttonRow(
		widget.NewButton(s.l.T("btn.ok"), save), widget.NewButton(s.l.T("btn.cancel"), back)))
	s.showModal(s.l.T("buyer.title"), body, entry, nil, nil)
}

// buyerRow is the payment dialog's line for the electronic receipt: the contact and the F9 button.
func (s *TillScreen) buyerRow(open func()) (fyne.CanvasObject, *widget.Button) {
	label := widget.NewLabel(s.l.T("buyer.none"))
	if b := s.till.Buyer(); b != "" {
		label.SetText(s.l.T("buyer.label", b))
	}
	button := widget.NewButton(s.l.T("key.buyer"), open)
	return container.NewBorder(nil, nil, nil, button, label), button
}

// showBuyer shows the electronic receipt's contact under the totals, or nothing without one.
func (s *TillScreen) showBuyer() {
	b := s.till.Buyer()
	if b == "" {
		s.buyerLabel.Hide()
		return
	}
	s.buyerLabel.SetText(s.l.T("buyer.label", b))
	s.buyerLabel.Show()
}
