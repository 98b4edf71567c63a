package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/staff"
)

// CardRefunder is an integrated bank terminal that can also pay money back to a card (the bank's return
// operation). Without it the cashier runs the return on a standalone terminal and types its approval code.
type CardRefunder interface {
	RefundCard(ctx context.Context, amount pos.Money) (approval string, err error)
}

// payRefund is the money going back: Enter pays the typed amount (or the rest) in cash, Ctrl+Enter the
// rest to a card, Shift+Enter the rest back to a click&collect prepayment when the receipt had one; Esc
// goes back to the lines. Of a known receipt, the money goes back the way it came (the till checks it).
func (s *TillScreen) payRefund(v *refundView, earlier []pos.Payment) {
	p := &payment{due: v.r.Total(), tenders: append([]pos.Payment(nil), earlier...)}
	big := func(size float32, c fyne.ThemeColorName) *canvas.Text {
		t := canvas.NewText("", theme.Color(c))
		t.TextSize, t.TextStyle, t.Alignment = size, fyne.TextStyle{Bold: true}, fyne.TextAlignTrailing
		return t
	}
	dueText, restText := big(32, theme.ColorNameForeground), big(24, theme.ColorNamePrimary)
	dueText.Text, restText.Text = p.due.String()+" ₽", p.rest().String()+" ₽"
	tenders := make([]string, 0, len(p.tenders))
	for _, t := range p.tenders {
		tenders = append(tenders, s.tenderText(t))
	}
	paidLabel := widget.NewLabel(s.l.T("pay.paid") + ": " + strings.Join(tenders, " + "))
	paidLabel.Hidden = len(tenders) == 0
	prepaid := v.r.PaidBack[pos.PayPrepaid] > 0
	limits := widget.NewLabel("")
	limits.Wrapping = fyne.TextWrapWord
	if v.r.PaidBack != nil {
		limits.SetText(s.l.T("refund.limits", max(v.r.PaidBack[pos.PayCash], 0).String(),
			max(v.r.PaidBack[pos.PayCard], 0).String(), max(v.r.PaidBack[pos.PayPrepaid], 0).String()))
	}
	amount := NewPosEntry(nil)
	amount.SetPlaceHolder(p.rest().String())
	add := func(t pos.Payment) {
		p.tenders = append(p.tenders, t)
		if p.paid() >= p.due {
			s.doRefund(v, p.tenders)
			return
		}
		s.payRefund(v, p.tenders)
	}
	cash := func() {
		m := p.rest()
		if t := strings.TrimSpace(amount.Text); t != "" {
			x, err := pos.ParseMoney(t)
			if err != nil || x <= 0 || x > m {
				s.flashEntryError(amount, pos.ErrBadAmount)
				return
			}
			m = x
		}
		add(pos.Payment{Method: pos.PayCash, Amount: m})
	}
	card := func() { s.refundToCard(v, p.rest(), p.tenders) }
	toPrepaid := func() {
		if prepaid {
			add(pos.Payment{Method: pos.PayPrepaid, Amount: p.rest()})
		}
	}
	amount.Router = keyFunc{
		key: func(ev *fyne.KeyEvent) bool {
			switch {
			case isEnter(ev):
				cash()
			case ev.Name == fyne.KeyEscape:
				s.showRefund(v)
			default:
				return false
			}
			return true
		},
		shortcut: func(sc fyne.Shortcut) bool {
			cs, ok := sc.(*desktop.CustomShortcut)
			if !ok || (cs.KeyName != fyne.KeyReturn && cs.KeyName != fyne.KeyEnter) {
				return false
			}
			switch cs.Modifier {
			case fyne.KeyModifierControl:
				card()
			case fyne.KeyModifierShift:
				toPrepaid()
			default:
				return false
			}
			return true
		},
	}
	buttons := []*widget.Button{widget.NewButton(s.l.T("refund.cash"), cash), widget.NewButton(s.l.T("refund.card"), card)}
	if prepaid {
		buttons = append(buttons, widget.NewButton(s.l.T("refund.prepaid"), toPrepaid))
	}
	buttons = append(buttons, widget.NewButton(s.l.T("refund.back"), func() { s.showRefund(v) }))
	form := container.NewVBox(row(s.l.T("refund.due"), dueText), paidLabel, row(s.l.T("pay.rest"), restText), limits,
		widget.NewLabel(s.l.T("refund.cash.entry")), amount, buttonRow(buttons...))
	s.showModal(s.l.T("refund.pay.title"), form, amount, nil, nil)
}

func (s *TillScreen) tenderText(t pos.Payment) string {
	switch t.Method {
	case pos.PayCard:
		return s.l.T("pay.tender.card", t.Amount.String())
	case pos.PayPrepaid:
		return s.l.T("refund.tender.prepaid", t.Amount.String())
	}
	return s.l.T("pay.tender.cash", t.Amount.String())
}

// refundToCard pays amount back to a card. The register is asked first whether it can fiscalise the return
// now, so a card is never credited for a return it would refuse.
func (s *TillScreen) refundToCard(v *refundView, amount pos.Money, earlier []pos.Payment) {
	tenders := append([]pos.Payment(nil), earlier...)
	s.background(s.l.T("card.check"), s.till.CheckRefundReady, func(err error) {
		if err != nil {
			s.showError(err, func() { s.payRefund(v, tenders) })
			return
		}
		if ref, ok := s.d.Card.(CardRefunder); ok {
			var approval string
			s.background(s.l.T("card.charging"), func(ctx context.Context) (err error) {
				approval, err = ref.RefundCard(ctx, amount)
				return err
			}, func(err error) {
				if err != nil {
					s.showError(err, func() { s.payRefund(v, tenders) })
					return
				}
				s.doRefund(v, append(tenders, pos.Payment{Method: pos.PayCard, Amount: amount, Approval: approval}))
			})
			return
		}
		s.askRefundApproval(v, amount, tenders)
	})
}

// askRefundApproval is the standalone bank terminal: the cashier runs its return operation and types the
// approval code it printed.
func (s *TillScreen) askRefundApproval(v *refundView, amount pos.Money, tenders []pos.Payment) {
	code := NewPosEntry(nil)
	code.SetPlaceHolder("123456")
	ok := func() {
		c := strings.ToUpper(strings.TrimSpace(code.Text))
		if !validApproval(c) {
			code.SetText("")
			code.SetPlaceHolder(s.l.T("card.bad"))
			return
		}
		s.doRefund(v, append(tenders, pos.Payment{Method: pos.PayCard, Amount: amount, Approval: c}))
	}
	failed := func() {
		s.payRefund(v, tenders)
		s.info(s.l.T("refund.card.failed"))
	}
	code.Router = enterEsc(ok, failed)
	prompt := widget.NewLabelWithStyle(s.l.T("refund.card.prompt", amount.String()), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	hint := widget.NewLabel(s.l.T("refund.card.code"))
	hint.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(prompt, hint, code, buttonRow(
		widget.NewButton(s.l.T("btn.ok"), ok), widget.NewButton(s.l.T("btn.cancel"), failed)))
	s.showModal(s.l.T("refund.card.title"), body, code, nil, nil)
}

// doRefund fiscalises the return off the UI goroutine, in the till's durability order.
func (s *TillScreen) doRefund(v *refundView, tenders []pos.Payment) {
	var sale pos.Sale
	s.background(s.l.T("refund.progress"), func(ctx context.Context) (err error) {
		sale, err = s.till.Refund(ctx, v.r, tenders)
		return err
	}, func(err error) {
		switch {
		case err == nil:
			s.refunded(sale)
		case errors.Is(err, pos.ErrShiftClosed):
			s.askOpenShift(func() { s.showRefund(v) })
		case errors.Is(err, pos.ErrSalePending), errors.Is(err, pos.ErrOutcomeUnknown):
			s.showError(err, s.resolvePendingRefund)
		default:
			s.showError(err, func() { s.showRefund(v) }) // the return is kept: fix and pay back again
		}
	})
}

// resolvePendingRefund asks the register about a return whose answer was lost.
func (s *TillScreen) resolvePendingRefund() {
	var sale pos.Sale
	s.background(s.l.T("service.resolve"), func(ctx context.Context) (err error) {
		sale, err = s.till.ResolvePending(ctx)
		return err
	}, func(err error) {
		_, still := s.till.Pending()
		switch {
		case err != nil && still:
			s.showError(err, s.resolvePendingRefund)
		case err != nil:
			s.showError(err, nil)
		case sale.Kind == pos.KindRefund:
			s.refunded(sale)
		default:
			s.showSold(sale)
		}
	})
}

// refunded shows the cash to hand back big and the return receipt's fiscal attributes.
func (s *TillScreen) refunded(sale pos.Sale) {
	s.selected = -1
	s.lastLabel.SetText("")
	s.change.Text = ""
	if c := sale.Paid(pos.PayCash); c > 0 {
		s.change.Text = s.l.T("refund.give", c.String())
	}
	s.change.Refresh()
	s.showCustomer(s.l.T("refund.display"), displayLine(s.l.T("display.total"), sale.Total.String()))
	if sale.Fiscal != nil {
		s.info(s.l.T("refund.done", sale.Fiscal.FDNumber, sale.Fiscal.FiscalSign, sale.Total.String()))
	}
	s.redraw()
	// The refund's PIN is asked before the receipt is scanned, so its entry has no sale; a second entry,
	// refund_done, completes it once the return is fiscalised (entries are append-only: the first one
	// is already queued for the hub and is never rewritten).
	if err := s.gate.done(staff.ActRefund, staff.ActRefundDone, refundAudit(sale)); err != nil {
		s.showError(err, nil)
	}
}

// refundAudit is a fiscalised return's context: the original sale (none for a return without the
// receipt), the return's own sale id, amount and fiscal document number.
func refundAudit(sale pos.Sale) staff.Context {
	d := fmt.Sprintf("refund=%s amount=%s", sale.ID, sale.Total.Plain())
	if sale.Fiscal != nil {
		d += fmt.Sprintf(" fd=%d", sale.Fiscal.FDNumber)
	}
	return staff.Context{Receipt: sale.RefundOf, Detail: d}
}
