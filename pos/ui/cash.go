package ui

import (
	"context"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/staff"
)

// CashDrawer registers cash put into or taken out of the drawer on the register; *fiscal.Register
// implements it.
type CashDrawer interface {
	CashIn(ctx context.Context, amount pos.Money) error
	CashOut(ctx context.Context, amount pos.Money) error
}

// CashJournal is a CashDrawer that also journals each operation with the cashier who made it (the
// terminal's cash book: the shift summary and the hub see it); the till prefers it when Cash has it.
type CashJournal interface {
	RecordCash(ctx context.Context, out bool, amount pos.Money, cashier string) error
}

// cashItems are F12's «Внесение» and «Изъятие» (the latter needs a senior), with an open shift.
func (s *TillScreen) cashItems() []menuItem {
	if s.d.Cash == nil {
		return nil
	}
	_, open := s.till.Shift()
	return []menuItem{
		{"service.cashin", func() { s.openCash(false) }, open},
		{"service.cashout", func() { s.openCash(true) }, open},
	}
}

// openCash asks for the amount, then (for a withdrawal) a senior's PIN, then prints the document. A lost
// answer is not retried by itself: the cashier checks the register's report first, so money is never
// counted twice.
func (s *TillScreen) openCash(out bool) {
	title := s.l.T("service.cashin")
	if out {
		title = s.l.T("service.cashout")
	}
	amount := NewPosEntry(nil)
	amount.SetPlaceHolder("0,00")
	apply := func() {
		v, err := pos.ParseMoney(amount.Text)
		if err == nil && v <= 0 {
			err = pos.ErrBadAmount
		}
		if err != nil {
			s.flashEntryError(amount, err)
			return
		}
		s.closeModal()
		cashier := s.d.Cashier
		run := func() {
			s.background(title, func(ctx context.Context) error {
				if j, ok := s.d.Cash.(CashJournal); ok {
					return j.RecordCash(ctx, out, v, cashier)
				}
				if out {
					return s.d.Cash.CashOut(ctx, v)
				}
				return s.d.Cash.CashIn(ctx, v)
			}, func(err error) {
				if err != nil {
					s.showError(err, nil)
					return
				}
				key := "cash.in.done"
				if out {
					key = "cash.out.done"
				}
				s.info(s.l.T(key, v.String()))
			})
		}
		if out {
			s.gate.guarded(staff.ActCashOut, staff.Context{Detail: v.String() + " ₽"}, run)
			return
		}
		run()
	}
	amount.Router = enterEsc(apply, s.closeModal)
	body := container.NewVBox(widget.NewLabel(s.l.T("cash.amount")), amount,
		buttonRow(widget.NewButton(s.l.T("btn.ok"), apply), widget.NewButton(s.l.T("btn.cancel"), s.closeModal)))
	s.showModal(title, body, amount, nil, nil)
}
