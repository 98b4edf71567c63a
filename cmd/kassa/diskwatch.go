package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos/ui"
)

// watchDisk probes the data folder in the background and covers the window with a modal notice while
// the disk is full or read-only; the till's store refuses sales meanwhile anyway (terminal/disk.go).
func (s session) watchDisk(w fyne.Window) {
	notice := s.diskNotice(w)
	go s.term.Disk.Watch(s.ctx, s.term.Disk.Every, func(err error) {
		if err != nil {
			s.log.Error("data folder", "err", err)
		} else {
			s.log.Info("data folder writable")
		}
		fyne.Do(func() { notice(err) })
	})
}

// diskNotice returns what shows (err != nil) or lifts (nil) the notice; call it on the UI thread.
func (s session) diskNotice(w fyne.Window) func(err error) {
	l := ui.Lang(s.cfg.Language)
	var pop *widget.PopUp
	return func(err error) {
		if pop != nil {
			pop.Hide()
			pop = nil
		}
		if err == nil {
			return
		}
		m := ui.Explain(l, err)
		title := widget.NewLabelWithStyle(l.T("disk.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		text, action := widget.NewLabel(m.Text), widget.NewLabel(m.Action)
		text.Wrapping, action.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
		box := container.NewVBox(title, text, action, widget.NewLabel(l.T("disk.waiting")))
		pop = widget.NewModalPopUp(container.NewGridWrap(fyne.NewSize(560, 260), box), w.Canvas())
		pop.Show()
	}
}
