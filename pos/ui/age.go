package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
)

// Age-restricted goods (18+): alcohol, tobacco and energy drinks are not sold to minors. The till asks once
// per receipt, at its first 18+ product, whether the cashier checked the buyer's document: Enter adds the
// product (and the receipt's later 18+ products without asking), Esc leaves it off. The pickup desk asks
// the same before handing over an order with 18+ goods; "no" refuses them.

var ageTexts = map[string][2]string{
	"age.title":    {"Товар 18+", "18+ product"},
	"age.question": {"Товар 18+. Проверьте документ покупателя: ему есть 18 лет?", "18+ product. Check the buyer's ID: are they 18 or older?"},
	"age.question.n": {"Товар %d+. Проверьте документ покупателя: ему исполнилось %d?",
		"%d+ product. Check the buyer's ID: are they %d or older?"},
	"age.product":   {"«%s»", "“%s”"},
	"age.basket":    {"В корзине товар 18+: «%s»", "The basket holds an 18+ product: “%s”"},
	"age.yes":       {"Enter — да, есть", "Enter — yes"},
	"age.no":        {"Esc — нет", "Esc — no"},
	"age.refused":   {"«%s» не добавлен: возраст покупателя не подтверждён", "“%s” not added: the buyer's age is not confirmed"},
	"age.skipped":   {"%s (18+: возраст не подтверждён)", "%s (18+: age not confirmed)"},
	"age.badge":     {"[18+]", "[18+]"},
	"pk.age.warn":   {"В заказе товар 18+: перед выдачей проверьте документ покупателя", "The order holds 18+ goods: check the buyer's ID before the hand-over"},
	"pk.age.items":  {"Товары 18+: %s", "18+ goods: %s"},
	"pk.age.no":     {"Esc — нет: отказ от товаров 18+", "Esc — no: refuse the 18+ goods"},
	"pk.age.reason": {"Нет 18 лет / не показан документ", "Under 18 / no ID shown"},
	"pk.age.refused": {"Товары 18+ не выдаются (позиций: %d): отказ, их предоплата вернётся.",
		"18+ goods are not handed over (%d lines): refused, their prepayment goes back."},
}

var ageErrTexts = []errText{
	{pos.ErrAgeUnchecked, "Товар 18+: сначала проверьте документ покупателя.", "Подтвердите возраст (Enter) или уберите товар 18+.",
		"An 18+ product: check the buyer's ID first.", "Confirm the age (Enter) or leave the 18+ product off."},
	{pos.ErrAgeRefused, "Возраст покупателя не подтверждён: товар 18+ продавать нельзя.", "Пробейте остальные товары.",
		"The buyer's age is not confirmed: the 18+ product may not be sold.", "Ring up the other goods."},
}

func init() {
	for k, v := range ageTexts {
		texts[k] = v
	}
	errTexts = append(append([]errText(nil), ageErrTexts...), errTexts...)
}

// ageQuestion is the question for a product of age limit n.
func ageQuestion(l Lang, n uint8) string {
	if n == 18 || n == 0 {
		return l.T("age.question")
	}
	return l.T("age.question.n", int(n), int(n))
}

// ageDialog is the age question's content: the question, what it is about, and the two answers.
func ageDialog(l Lang, n uint8, about, no string, yes, refuse func()) fyne.CanvasObject {
	q := widget.NewLabelWithStyle(ageQuestion(l, n), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	q.Wrapping = fyne.TextWrapWord
	what := widget.NewLabel(about)
	what.Wrapping = fyne.TextWrapWord
	yesBtn := widget.NewButton(l.T("age.yes"), yes)
	yesBtn.Importance = widget.HighImportance
	return container.NewVBox(q, what, buttonRow(yesBtn, widget.NewButton(l.T(no), refuse)))
}

// askAgeFor opens the age question when err says an 18+ product waits for it. Yes confirms the buyer's age
// for the receipt and runs again (the scan or the search pick that was refused); no runs no, or, when nil,
// leaves the product off the receipt.
func (s *TillScreen) askAgeFor(err error, again, no func()) bool {
	var need *pos.AgeCheckNeeded
	if !errors.As(err, &need) {
		return false
	}
	p := need.Product
	about := s.l.T("age.product", p.Name)
	if need.Basket {
		about = s.l.T("age.basket", p.Name)
	}
	yes := func() {
		s.closeModal()
		s.till.ConfirmAge()
		again()
	}
	refuse := func() {
		s.closeModal()
		if no != nil {
			no()
			return
		}
		s.pendingQty = 0
		s.qtyLabel.SetText("")
		s.info(s.l.T("age.refused", p.Name))
	}
	s.info(ageQuestion(s.l, p.AgeLimit))
	s.showModal(s.l.T("age.title"), ageDialog(s.l, p.AgeLimit, about, "age.no", yes, refuse), nil, yes, refuse)
	return true
}

// basketWithoutAge is "no" to a basket's age question: the basket goes on without its 18+ products.
func (s *TillScreen) basketWithoutAge(err error, text string) func() {
	var need *pos.AgeCheckNeeded
	if !errors.As(err, &need) || !need.Basket {
		return nil
	}
	return func() {
		res, err := s.till.ScanDecliningAge(text)
		if err != nil {
			s.fail(err)
			return
		}
		s.showBasket(res)
	}
}

// ageSkipped names a basket product left off for its age, or "" for another reason.
func (s *TillScreen) ageSkipped(name string, reason error) string {
	if !errors.Is(reason, pos.ErrAgeRefused) {
		return ""
	}
	return s.l.T("age.skipped", name)
}
