package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// showModal shows content as a dialog without Fyne's buttons, focuses focus (or a key catcher mapping
// Enter/Esc to onEnter/onEsc) and gives the focus back to the scan field when it closes.
func (s *PickupScreen) showModal(title string, content fyne.CanvasObject, focus fyne.Focusable, onEnter, onEsc func()) {
	showDialog(s.w, &s.modal, title, content, focus, onEnter, onEsc, 640, s.focusInput)
}

func (s *PickupScreen) closeModal() {
	if s.modal != nil {
		s.modal.Hide()
	}
}

// showError explains err in a dialog; retry (if not nil) runs on Enter.
func (s *PickupScreen) showError(err error, retry func()) {
	m := explainPickup(s.l, err)
	text := widget.NewLabelWithStyle(m.Text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text.Wrapping = fyne.TextWrapWord
	action := widget.NewLabel(m.Action)
	action.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(text, action)
	if m.Detail != "" {
		detail := widget.NewLabel(m.Detail)
		detail.SizeName = theme.SizeNameCaptionText
		body.Add(detail)
	}
	onEnter := s.closeModal
	var buttons []*widget.Button
	if retry != nil {
		onEnter = func() { s.closeModal(); retry() }
		buttons = append(buttons, widget.NewButton(s.l.T("btn.retry"), onEnter))
	}
	buttons = append(buttons, widget.NewButton(s.l.T("btn.back"), s.closeModal))
	body.Add(buttonRow(buttons...))
	s.showModal(s.l.T("err.title"), body, nil, onEnter, s.closeModal)
}

// confirm asks a yes/no question: Enter = yes, Esc = no.
func (s *PickupScreen) confirm(title string, body fyne.CanvasObject, yes func()) {
	ok := func() { s.closeModal(); yes() }
	content := container.NewVBox(body, buttonRow(
		widget.NewButton(s.l.T("btn.ok"), ok),
		widget.NewButton(s.l.T("btn.cancel"), s.closeModal)))
	s.showModal(title, content, nil, ok, s.closeModal)
}

// background runs register or printer work off the UI goroutine with a progress dialog; keys wait
// meanwhile. done runs on the UI goroutine and may start the next job.
func (s *PickupScreen) background(title string, work func(ctx context.Context) error, done func(error)) {
	s.closeModal()
	s.jobs.Add(1)
	progress := dialog.NewCustomWithoutButtons(title, widget.NewProgressBarInfinite(), s.w)
	progress.Show()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), payTimeout)
		defer cancel()
		err := work(ctx)
		fyne.Do(func() {
			defer s.jobs.Add(-1) // last: whoever sees the desk idle sees the screen updated
			progress.Hide()
			done(err)
			s.focusInput()
		})
	}()
}

// openService is F12: close the shift (Z report) when it is over 24 hours, sync now, finish unfinished
// hand-overs.
func (s *PickupScreen) openService() {
	open := false
	if s.d.Till != nil {
		_, open = s.d.Till.Shift()
	}
	unfinished, _ := s.desk.Unfinished()
	items := []menuItem{
		{"service.close", func() {
			s.closeModal()
			s.gate.guarded(actCloseShift, noContext, s.closeShift) // pickup_staff.go
		}, open},
		{"pk.service.unfinished", func() { s.closeModal(); s.recoverNow() }, len(unfinished) > 0 && s.v == nil},
	}
	if s.d.SyncNow != nil {
		items = append(items, menuItem{"service.sync", func() { s.closeModal(); s.d.SyncNow() }, true})
	}
	if s.gate != nil {
		items = append(items, menuItem{"service.lock", s.lockScreen, true})
	}
	content, focus := numberedMenu(s.l, items, s.closeModal)
	s.showModal(s.l.T("service.title"), content, focus, nil, nil)
}

func (s *PickupScreen) closeShift() {
	sh, _ := s.d.Till.Shift()
	s.background(s.l.T("service.close"), s.d.Till.CloseShift, func(err error) {
		if err != nil {
			s.showError(err, s.closeShift)
			return
		}
		s.info(s.l.T("shift.closed", sh.Number))
		s.refreshHeader()
	})
}

func (s *PickupScreen) recoverNow() {
	var rep = s.d.Recovery
	s.background(s.l.T("service.resolve"), func(ctx context.Context) (err error) {
		rep, err = s.desk.Recover(ctx)
		return err
	}, func(err error) {
		s.reportRecovery(rep, err)
		s.reload()
	})
}
