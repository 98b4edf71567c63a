package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/pickup"
)

// handOver is F10: checks the order is verified, takes what is due at the desk, then settles it.
func (s *PickupScreen) handOver() {
	if s.v == nil {
		return
	}
	v := s.v
	if v.Resume != nil {
		s.settle(nil)
		return
	}
	if err := v.Verify(); err != nil {
		s.fail(err)
		return
	}
	if v.AgeRestricted() && !v.AgeConfirmed() { // 18+ goods: the buyer's document first (pickupage.go)
		s.askAge(v)
		return
	}
	a := v.Amounts()
	if a.Handed == 0 {
		s.fail(pickup.ErrNothingToHandOver)
		return
	}
	toHand, _, _ := v.Counts()
	lines := []string{s.l.T("pk.give.goods", toHand, a.Handed.String())}
	if a.Offset > 0 {
		lines = append(lines, s.l.T("pk.give.offset", a.Offset.String()))
	}
	if a.Refund > 0 {
		lines = append(lines, s.l.T("pk.give.refund", a.Refund.String()))
	}
	if a.Due > 0 {
		lines = append(lines, s.l.T("pk.give.due", a.Due.String()))
		s.payDue(a.Due, strings.Join(lines, "\n"))
		return
	}
	body := widget.NewLabel(strings.Join(lines, "\n"))
	body.Wrapping = fyne.TextWrapWord
	s.confirm(s.l.T("pk.give.title", v.Order.Number), body, func() { s.settle(nil) })
}

// payDue takes what the prepayment leaves: cash typed (Enter; change given) or the remainder by card
// (Ctrl+Enter, then the standalone terminal's approval code).
func (s *PickupScreen) payDue(due pos.Money, summary string) {
	amount := NewPosEntry(nil)
	amount.SetPlaceHolder(due.String())
	errLabel := widget.NewLabel("")
	errLabel.Importance = widget.DangerImportance
	errLabel.Hide()
	cash := func() {
		m := due
		if t := strings.TrimSpace(amount.Text); t != "" {
			v, err := pos.ParseMoney(t)
			if err != nil || v < due {
				amount.SetText("")
				errLabel.SetText(Explain(s.l, pos.ErrUnderpaid).Text)
				errLabel.Show()
				return
			}
			m = v
		}
		s.settle([]pos.Payment{{Method: pos.PayCash, Amount: m}})
	}
	card := func() { s.askCard(due) }
	amount.Router = payKeys(cash, card, s.closeModal, nil)
	info := widget.NewLabel(summary)
	info.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(info, widget.NewLabel(s.l.T("pay.cash.entry")), amount, errLabel, buttonRow(
		widget.NewButton(s.l.T("pay.cash"), cash), widget.NewButton(s.l.T("pay.card"), card),
		widget.NewButton(s.l.T("pay.back"), s.closeModal)))
	s.showModal(s.l.T("pk.give.title", s.v.Order.Number), body, amount, nil, nil)
}

// askCard is the standalone bank terminal: the staff confirms the approval with its code.
func (s *PickupScreen) askCard(due pos.Money) {
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
		s.settle([]pos.Payment{{Method: pos.PayCard, Amount: due, Approval: c}})
	}
	failed := func() { s.closeModal(); s.info(s.l.T("card.cancelled")) }
	code.Router = enterEsc(ok, failed)
	body := container.NewVBox(widget.NewLabelWithStyle(s.l.T("card.prompt", due.String()), fyne.TextAlignLeading,
		fyne.TextStyle{Bold: true}), hint, code, buttonRow(widget.NewButton(s.l.T("btn.ok"), ok),
		widget.NewButton(s.l.T("btn.cancel"), failed)))
	s.showModal(s.l.T("card.title"), body, code, nil, nil)
}

// settle hands the order over at the register, off the UI goroutine.
func (s *PickupScreen) settle(payments []pos.Payment) {
	v := s.v
	var res pickup.Result
	s.background(s.l.T("pk.give.progress"), func(ctx context.Context) (err error) {
		res, err = s.desk.HandOver(ctx, v, payments)
		return err
	}, func(err error) {
		if err != nil {
			if errors.Is(err, pickup.ErrAbandoned) || errors.Is(err, pickup.ErrAlreadyCollected) {
				s.v = nil
				s.reload()
			} else {
				s.redraw()
			}
			s.showError(err, s.retryAfter(err, payments))
			return
		}
		s.done(v.Order, res)
	})
}

// retryAfter is what Enter does after a failed hand-over: try again (an unfinished one resumes without
// fiscalising anything twice), unless the order cannot be handed over any more.
func (s *PickupScreen) retryAfter(err error, payments []pos.Payment) func() {
	if s.v == nil || errors.Is(err, pickup.ErrNotVerified) || errors.Is(err, pos.ErrUnderpaid) ||
		errors.Is(err, pos.ErrCardOverpay) || errors.Is(err, pos.ErrBadTender) {
		return nil
	}
	return func() { s.settle(payments) }
}

func (s *PickupScreen) done(o pickup.Order, res pickup.Result) {
	s.last = &handedOver{res: res, order: o}
	s.v = nil
	s.reload()
	fd := uint32(0)
	if res.Sale.Fiscal != nil {
		fd = res.Sale.Fiscal.FDNumber
	}
	msg := s.l.T("pk.done", res.Handover.Number, fd)
	if r := res.Refund; r != nil && r.Fiscal != nil {
		msg += s.l.T("pk.done.refund", r.Total.String(), r.Fiscal.FDNumber)
	}
	if res.Change > 0 {
		msg += s.l.T("pk.done.change", res.Change.String())
	}
	s.info(msg)
	if s.d.Slips != nil {
		s.printSlip(msg)
	}
}

// reprint is F9: the slip of the last hand-over again.
func (s *PickupScreen) reprint() {
	switch {
	case s.d.Slips == nil:
		s.info(s.l.T("pk.print.noprinter"))
	case s.last == nil:
		s.info(s.l.T("pk.print.none"))
	default:
		s.printSlip("")
	}
}

func (s *PickupScreen) printSlip(before string) {
	h := s.last
	s.background(s.l.T("pk.print.progress"), func(ctx context.Context) error {
		return s.d.Slips.PrintPickupSlip(ctx, h.res.Slip(h.order))
	}, func(err error) {
		if before != "" {
			before += ". "
		}
		if err != nil {
			var off printerOffline
			reason := s.l.T("slip.error", err.Error())
			switch {
			case errors.Is(err, pos.ErrPaperOut):
				reason = s.l.T("slip.paper")
			case errors.As(err, &off) && off.PrinterOffline():
				reason = s.l.T("slip.offline")
			}
			s.setMessage(before+s.l.T("pk.print.failed", reason), errorBackground)
			return
		}
		s.info(before + s.l.T("pk.print.done", h.res.Handover.Number))
	})
}
