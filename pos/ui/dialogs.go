package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/staff"
)

// background runs device work (register, scale, card terminal) off the UI goroutine while the till waits
// (keys are held, the cart is not touched), then calls done on the UI goroutine with its error. done may
// start the next job: jobs chain, and the till counts as idle only when the last one has drawn its result.
func (s *TillScreen) background(title string, work func(ctx context.Context) error, done func(error)) {
	s.closeModal()
	s.busy.Add(1)
	s.jobs.Add(1)
	progress := dialog.NewCustomWithoutButtons(title, widget.NewProgressBarInfinite(), s.w)
	progress.Show()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), payTimeout)
		defer cancel()
		err := work(ctx)
		fyne.Do(func() {
			defer s.jobs.Add(-1) // last: whoever sees the till idle sees the screen already updated
			progress.Hide()
			s.busy.Add(-1) // the work is over: the cart is the UI's again
			s.redraw()
			done(err)
		})
	}()
}

func (s *TillScreen) askOpenShift(then func()) {
	s.confirm(s.l.T("service.open"), s.l.T("shift.ask", s.d.Cashier), func() { s.openShift(then) })
}

func (s *TillScreen) openShift(then func()) {
	s.background(s.l.T("service.open"), func(ctx context.Context) error {
		return s.till.OpenShift(ctx, s.d.Cashier)
	}, func(err error) {
		if err != nil {
			s.showError(err, func() { s.openShift(then) })
			return
		}
		sh, _ := s.till.Shift()
		s.info(s.l.T("shift.opened", sh.Number))
		if then != nil {
			then()
		}
	})
}

func (s *TillScreen) closeShift() {
	sh, _ := s.till.Shift()
	s.background(s.l.T("service.close"), s.till.CloseShift, func(err error) {
		if err != nil {
			s.showError(err, s.closeShift)
			return
		}
		s.info(s.l.T("shift.closed", sh.Number))
		s.printShiftSummary(sh.Number, s.l.T("shift.closed", sh.Number))
	})
}

// openService is F12: shift, register and sync operations, by number or by touch.
func (s *TillScreen) openService() {
	_, open := s.till.Shift()
	_, pending := s.till.Pending()
	items := []menuItem{
		{"service.open", func() { s.closeModal(); s.openShift(nil) }, !open},
		{"service.close", func() {
			s.gate.guarded(staff.ActCloseShift, staff.Context{}, func() {
				s.confirm(s.l.T("service.close"), s.l.T("service.close")+"?", s.closeShift)
			})
		}, open},
		{"service.resolve", func() { s.closeModal(); s.resolvePending() }, pending},
		{"service.status", s.showRegisterStatus, true},
	}
	if s.d.SyncNow != nil {
		items = append(items, menuItem{"service.sync", func() { s.closeModal(); s.d.SyncNow() }, true})
	}
	if s.d.DeadLetters != nil {
		items = append(items, menuItem{"service.dead", func() { s.closeModal(); s.openDeadLetters() }, true})
	}
	if s.d.Slips != nil {
		items = append(items, menuItem{"service.summary", s.reprintShiftSummary, s.summaryShift() > 0})
	}
	items = append(items, s.cashItems()...)   // cash.go: Внесение, Изъятие
	items = append(items, s.deviceItems()...) // devices.go: Настройки оборудования
	if s.gate != nil {
		items = append(items, menuItem{"service.lock", s.lockScreen, true})
	}
	content, focus := numberedMenu(s.l, items, s.closeModal)
	s.showModal(s.l.T("service.title"), content, focus, nil, nil)
}

func (s *TillScreen) showRegisterStatus() {
	var st pos.RegisterState
	s.background(s.l.T("service.status"), func(ctx context.Context) (err error) {
		st, err = s.till.RegisterState(ctx)
		return err
	}, func(err error) {
		if err != nil {
			s.showError(err, s.showRegisterStatus)
			return
		}
		shift := s.l.T("kkt.shift.closed")
		switch {
		case st.ShiftExpired:
			shift = s.l.T("kkt.shift.expired")
		case st.ShiftOpen:
			shift = s.l.T("kkt.shift.open")
		}
		s.regState, s.regErr, s.regKnown = st, nil, true
		s.info(s.l.T("kkt.status", shift, st.LastFD, st.FNSerial))
	})
}

// confirmStorno is F8: cancel the selected line; it stays visible as СТОРНО.
func (s *TillScreen) confirmStorno() {
	if s.selected < 0 || s.selected >= len(s.lines) {
		s.fail(pos.ErrLineNotFound)
		return
	}
	i := s.selected
	if s.subtotal && !s.gate.allowed(staff.ActStornoSubtotal, staff.Context{Line: i + 1, Detail: s.lines[i].Name}, s.confirmStorno) {
		return
	}
	s.confirm(s.l.T("key.storno"), s.l.T("storno.confirm", i+1, s.lines[i].Name), func() {
		s.afterCartChange(s.till.CancelLine(i))
	})
}

// openDiscount is F7 (selected line) and Ctrl+F7 (whole receipt): an absolute amount in rubles.
func (s *TillScreen) openDiscount(receipt bool) {
	target := s.l.T("discount.receipt")
	if !receipt {
		if s.selected < 0 || s.selected >= len(s.lines) {
			s.fail(pos.ErrLineNotFound)
			return
		}
		target = s.l.T("discount.line", s.selected+1, s.lines[s.selected].Name)
	}
	amount := NewPosEntry(nil)
	amount.SetPlaceHolder("0,00")
	apply := func() {
		v, err := pos.ParseMoney(amount.Text)
		if err != nil {
			s.flashEntryError(amount, err)
			return
		}
		s.closeModal()
		if receipt {
			err = s.till.Cart().SetReceiptDiscount(v)
		} else {
			err = s.till.Cart().SetLineDiscount(s.selected, v)
		}
		s.afterCartChange(err)
	}
	amount.Router = enterEsc(apply, s.closeModal)
	body := container.NewVBox(widget.NewLabel(target), widget.NewLabel(s.l.T("discount.amount")), amount,
		buttonRow(widget.NewButton(s.l.T("btn.ok"), apply), widget.NewButton(s.l.T("btn.cancel"), s.closeModal)))
	s.showModal(s.l.T("discount.title"), body, amount, nil, nil)
}

// enterEsc routes Enter and Esc of a dialog's entry.
func enterEsc(enter, esc func()) KeyRouter {
	return keyFunc{key: func(ev *fyne.KeyEvent) bool {
		switch {
		case isEnter(ev):
			enter()
		case ev.Name == fyne.KeyEscape:
			esc()
		default:
			return false
		}
		return true
	}}
}

// showHelp is F1: the hotkey table.
func (s *TillScreen) showHelp() {
	rows := [][2]string{
		{"Enter", s.l.T("input.hint")},
		{"n *", "количество для следующего товара (или выбранной строки + Enter)"},
		{"+", "подытог и оплата: Enter — наличные, Ctrl+Enter — картой"},
		{"F2", "поиск товара по названию или коду"},
		{"F4", "возврат: по QR-коду чека или без чека (QR чека можно просто отсканировать)"},
		{"F5 / Shift+F5", "отложенные чеки / отложить текущий"},
		{"F7 / Ctrl+F7", "скидка на строку / на чек"},
		{"F8, Del", "сторно выбранной строки"},
		{"F9", "покупатель: карта лояльности, QR приложения или телефон; F9 ещё раз — электронный чек (и в окне оплаты)"},
		{"Ctrl+F9", "списать баллы покупателя (или вернуть списанные)"},
		{"↑ ↓ PgUp PgDn", "выбор строки"},
		{"F12", "сервис: смена, Z-отчёт, ККТ, отправка данных"},
		{"Ctrl+L", "смена кассира: касса ждёт вход по PIN; возврат, сторно после подытога и Z-отчёт — с PIN старшего кассира"},
		{"Esc", "очистить ввод или закрыть окно"},
	}
	if s.l == English {
		rows = [][2]string{
			{"Enter", s.l.T("input.hint")},
			{"n *", "quantity for the next item (or the selected line + Enter)"},
			{"+", "subtotal and payment: Enter cash, Ctrl+Enter card"},
			{"F2", "find a product by name or code"},
			{"F4", "return: by the receipt's QR code or without the receipt (or just scan the receipt QR)"},
			{"F5 / Shift+F5", "deferred receipts / defer this one"},
			{"F7 / Ctrl+F7", "discount on the line / on the receipt"},
			{"F8, Del", "void the selected line"},
			{"F9", "customer: loyalty card, app QR or phone; F9 again is the electronic receipt (also in the payment dialog)"},
			{"Ctrl+F9", "redeem the customer's points (or give them back)"},
			{"↑ ↓ PgUp PgDn", "select a line"},
			{"F12", "service: shift, Z report, register, sync"},
			{"Ctrl+L", "change cashier: the till waits for a PIN; refunds, voids after the subtotal and the Z report need a senior's PIN"},
			{"Esc", "clear the input or close a window"},
		}
	}
	grid := container.NewGridWithColumns(2)
	for _, r := range rows {
		grid.Add(widget.NewLabelWithStyle(r[0], fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Monospace: true}))
		l := widget.NewLabel(r[1])
		l.Wrapping = fyne.TextWrapWord
		grid.Add(l)
	}
	body := container.NewVBox(grid, widget.NewButton(s.l.T("btn.close"), s.closeModal))
	s.showModal(s.l.T("help.title"), body, nil, s.closeModal, s.closeModal)
}
