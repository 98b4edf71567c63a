package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
)

// payTimeout bounds a whole payment at the register: the longest answer the vendor allows plus the ENQ
// recovery. The till never gives up on the sale itself; it only stops waiting and asks again.
const payTimeout = 3 * time.Minute

// payment is the state of the Подытог dialog: tenders so far and what remains.
type payment struct {
	due     pos.Money
	tenders []pos.Payment
}

func (p *payment) paid() pos.Money {
	var t pos.Money
	for _, x := range p.tenders {
		t += x.Amount
	}
	return t
}

func (p *payment) rest() pos.Money { return max(p.due-p.paid(), 0) }

// openPayment is Подытог (UI.md §1.3): type the cash handed over and press Enter, or Ctrl+Enter to charge
// the remainder to a card. A cash amount below the remainder is a partial tender and the dialog loops on
// the rest (split tender).
func (s *TillScreen) openPayment() {
	if s.till.Cart().Empty() {
		s.fail(pos.ErrEmptyCart)
		return
	}
	if _, open := s.till.Shift(); !open {
		s.askOpenShift(s.openPayment)
		return
	}
	s.subtotal = true // from now on a storno needs a senior's PIN
	p := &payment{due: s.till.Cart().Totals().Total}
	big := func(size float32, c fyne.ThemeColorName) *canvas.Text {
		t := canvas.NewText("", theme.Color(c))
		t.TextSize, t.TextStyle, t.Alignment = size, fyne.TextStyle{Bold: true}, fyne.TextAlignTrailing
		return t
	}
	dueText, restText := big(32, theme.ColorNameForeground), big(24, theme.ColorNamePrimary)
	tendersLabel := widget.NewLabel("")
	var buyerButton *widget.Button
	update := func() {
		dueText.Text = p.due.String() + " ₽"
		restText.Text = p.rest().String() + " ₽"
		var parts []string
		for _, t := range p.tenders {
			key := "pay.tender.cash"
			if t.Method == pos.PayCard {
				key = "pay.tender.card"
			}
			parts = append(parts, s.l.T(key, t.Amount.String()))
		}
		tendersLabel.SetText(s.l.T("pay.paid") + ": " + strings.Join(parts, " + "))
		tendersLabel.Hidden = len(parts) == 0
		if buyerButton != nil && len(p.tenders) > 0 {
			buyerButton.Disable() // set the contact before the first tender: F9 starts the payment over
		}
		dueText.Refresh()
		restText.Refresh()
	}
	amount := NewPosEntry(nil)
	amount.SetPlaceHolder(p.due.String())
	cash := func() {
		m := p.rest()
		if t := strings.TrimSpace(amount.Text); t != "" {
			v, err := pos.ParseMoney(t)
			if err != nil || v <= 0 {
				s.flashEntryError(amount, pos.ErrBadAmount)
				return
			}
			m = v
		}
		amount.SetText("")
		p.tenders = append(p.tenders, pos.Payment{Method: pos.PayCash, Amount: m})
		if p.paid() >= p.due {
			s.pay(p.tenders)
			return
		}
		update()
	}
	card := func() { s.chargeCard(p.rest(), p.tenders) }
	buyer := func() { // the contact for the electronic receipt, then back to a fresh Подытог
		if len(p.tenders) == 0 {
			s.openBuyer(s.openPayment)
		}
	}
	buyerLine, buyerButton := s.buyerRow(buyer)
	amount.Router = payKeys(cash, card, s.closeModal, buyer)
	form := container.NewVBox(
		row(s.l.T("pay.due"), dueText),
		tendersLabel,
		row(s.l.T("pay.rest"), restText),
		widget.NewLabel(s.l.T("pay.cash.entry")),
		amount,
		buyerLine,
		buttonRow(
			widget.NewButton(s.l.T("pay.cash"), cash),
			widget.NewButton(s.l.T("pay.card"), card),
			widget.NewButton(s.l.T("pay.back"), s.closeModal)),
	)
	update()
	s.showModal(s.l.T("pay.title"), form, amount, nil, nil)
}

// chargeCard takes the remainder by card. The register is asked first whether it can fiscalise now, so
// the customer is never charged for a receipt it would refuse; then the integrated terminal charges, or
// with a standalone terminal the cashier types the approval code the bank printed.
func (s *TillScreen) chargeCard(amount pos.Money, earlier []pos.Payment) {
	tenders := append([]pos.Payment(nil), earlier...)
	s.background(s.l.T("card.check"), s.till.CheckReady, func(err error) {
		if err != nil {
			s.showError(err, func() { s.chargeCard(amount, tenders) })
			return
		}
		if s.d.Card != nil {
			s.chargeIntegrated(amount, tenders)
			return
		}
		s.askApproval(amount, tenders)
	})
}

func (s *TillScreen) chargeIntegrated(amount pos.Money, tenders []pos.Payment) {
	var approval string
	s.background(s.l.T("card.charging"), func(ctx context.Context) (err error) {
		approval, err = s.d.Card.Charge(ctx, amount)
		return err
	}, func(err error) {
		if err != nil {
			s.showError(err, func() { s.chargeCard(amount, tenders) })
			return
		}
		s.pay(append(tenders, pos.Payment{Method: pos.PayCard, Amount: amount, Approval: approval}))
	})
}

// askApproval is the standalone bank terminal: the cashier confirms the approval with its code.
func (s *TillScreen) askApproval(amount pos.Money, tenders []pos.Payment) {
	code := NewPosEntry(nil)
	code.SetPlaceHolder("123456")
	hint := widget.NewLabel(s.l.T("card.code"))
	hint.Wrapping = fyne.TextWrapWord
	ok := func() {
		c := strings.ToUpper(strings.TrimSpace(code.Text))
		if !validApproval(c) {
			code.SetText("")
			code.SetPlaceHolder(s.l.T("card.bad"))
			return
		}
		s.pay(append(tenders, pos.Payment{Method: pos.PayCard, Amount: amount, Approval: c}))
	}
	failed := func() {
		s.closeModal()
		s.info(s.l.T("card.cancelled"))
	}
	code.Router = enterEsc(ok, failed)
	prompt := widget.NewLabelWithStyle(s.l.T("card.prompt", amount.String()), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := container.NewVBox(prompt, hint, code, buttonRow(
		widget.NewButton(s.l.T("btn.ok"), ok), widget.NewButton(s.l.T("btn.cancel"), failed)))
	s.showModal(s.l.T("card.title"), body, code, nil, nil)
}

// validApproval accepts an authorisation code (6 characters) or an RRN (12 digits), and what banks print
// in between: 4–20 Latin letters and digits.
func validApproval(c string) bool {
	if len(c) < 4 || len(c) > 20 {
		return false
	}
	for _, r := range c {
		if (r < '0' || r > '9') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

func row(label string, value fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, nil, widget.NewLabel(label), nil, value)
}

func (s *TillScreen) flashEntryError(e *PosEntry, err error) {
	e.SetText("")
	e.SetPlaceHolder(Explain(s.l, err).Text)
}

// pay runs the payment at the register off the UI goroutine. The till is busy meanwhile: keys wait and the
// cart stays as it is until the register has answered.
func (s *TillScreen) pay(tenders []pos.Payment) {
	var sale pos.Sale
	s.background(s.l.T("pay.progress"), func(ctx context.Context) (err error) {
		sale, err = s.till.Pay(ctx, tenders)
		return err
	}, func(err error) { s.afterPayment(sale, err, tenders) })
}

func (s *TillScreen) afterPayment(sale pos.Sale, err error, tenders []pos.Payment) {
	s.redraw()
	var me *pos.MarkingError
	switch {
	case err == nil:
		s.showSold(sale)
	case errors.As(err, &me):
		s.showMarkingRejected(me)
	case errors.Is(err, pos.ErrShiftClosed):
		s.askOpenShift(s.openPayment)
	case errors.Is(err, pos.ErrSalePending), errors.Is(err, pos.ErrOutcomeUnknown):
		s.showError(err, s.resolvePending)
	default:
		s.showError(err, func() { s.pay(tenders) })
	}
}

// showSold shows the change big and the fiscal attributes; the next scan clears them.
func (s *TillScreen) showSold(sale pos.Sale) {
	s.selected = -1
	s.lastLabel.SetText("")
	s.change.Text = ""
	if sale.Change > 0 {
		s.change.Text = s.l.T("change", sale.Change.String())
	}
	s.change.Refresh()
	s.showCustomer(s.l.T("display.thanks"), displayLine(s.l.T("display.change"), sale.Change.String()))
	if sale.Fiscal != nil {
		s.info(s.l.T("sold", sale.Fiscal.FDNumber, sale.Fiscal.FiscalSign, sale.Total.String()))
	}
	s.redraw()
}

// resolvePending asks the register about the unfinished sale, off the UI goroutine.
func (s *TillScreen) resolvePending() {
	if _, ok := s.till.Pending(); !ok {
		return
	}
	var sale pos.Sale
	s.background(s.l.T("service.resolve"), func(ctx context.Context) (err error) {
		sale, err = s.till.ResolvePending(ctx)
		return err
	}, func(err error) {
		if err != nil {
			if _, still := s.till.Pending(); still {
				s.showError(err, s.resolvePending)
			} else {
				s.showError(err, nil) // cancelled: the cart is back, pay again
			}
			return
		}
		s.showSold(sale)
	})
}

// payKeys routes the keys of a payment's amount entry, at the till and at the pickup desk alike: Enter pays
// cash, Ctrl+Enter pays by card, Esc backs out, and F9 asks for the buyer's contact where buyer is not nil.
func payKeys(cash, card, back, buyer func()) keyFunc {
	return keyFunc{
		key: func(ev *fyne.KeyEvent) bool {
			switch {
			case isEnter(ev):
				cash()
			case ev.Name == fyne.KeyEscape:
				back()
			case ev.Name == fyne.KeyF9 && buyer != nil:
				buyer()
			default:
				return false
			}
			return true
		},
		shortcut: func(sc fyne.Shortcut) bool {
			if cs, ok := sc.(*desktop.CustomShortcut); ok && cs.Modifier == fyne.KeyModifierControl &&
				(cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) {
				card()
				return true
			}
			return false
		},
	}
}
