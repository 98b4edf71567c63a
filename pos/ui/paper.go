package ui

import (
	"context"
	"errors"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
)

var paperTexts = map[string][2]string{
	"paper.title":    {"Нет бумаги", "Out of paper"},
	"paper.prompt":   {"Закончилась бумага в ККТ. Вставьте новый рулон и нажмите Enter", "The register is out of paper. Load a new roll and press Enter"},
	"paper.hint":     {"Чек не потерян: ККТ допечатает его после заправки ленты. Esc — отменить оплату.", "The receipt is kept: the register finishes it once the roll is in. Esc cancels the payment."},
	"paper.continue": {"Enter — бумага заправлена", "Enter — paper loaded"},
	"paper.giveup":   {"Esc — отменить", "Esc — cancel"},
}

func init() {
	for k, v := range paperTexts {
		texts[k] = v
	}
}

// errPaperGivenUp: the cashier closed the paper prompt with Esc; the register's refusal stands.
var errPaperGivenUp = errors.New("the cashier cancelled waiting for paper")

// paperPrompt is the state of the "out of paper" modal between the register's goroutine and the UI.
type paperPrompt struct {
	waiting atomic.Bool // the modal is up and waits for the cashier (tests watch it)
}

// AwaitPaper is the fiscal register's paper hook (fiscal.Config.AwaitPaper): called off the UI goroutine
// while the register works for the till, it asks the cashier to load a new roll and returns nil on Enter,
// an error wrapping pos.ErrPaperOut on Esc, or ctx's error when the operation's time runs out.
func (s *TillScreen) AwaitPaper(ctx context.Context) error {
	answer := make(chan error, 1)
	fyne.Do(func() { s.showPaperPrompt(answer) })
	select {
	case err := <-answer:
		return err
	case <-ctx.Done():
		fyne.Do(func() {
			if s.paper.waiting.CompareAndSwap(true, false) {
				s.closeModal()
			}
		})
		return ctx.Err()
	}
}

// PaperWaiting reports whether the "out of paper" prompt waits for the cashier.
func (s *TillScreen) PaperWaiting() bool { return s.paper.waiting.Load() }

func (s *TillScreen) showPaperPrompt(answer chan<- error) {
	reply := func(err error) {
		if !s.paper.waiting.CompareAndSwap(true, false) {
			return // answered already, or given up on by the register
		}
		s.closeModal()
		answer <- err
	}
	loaded := func() { reply(nil) }
	giveUp := func() { reply(errors.Join(pos.ErrPaperOut, errPaperGivenUp)) }
	prompt := widget.NewLabelWithStyle(s.l.T("paper.prompt"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	prompt.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(s.l.T("paper.hint"))
	hint.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(prompt, hint, buttonRow(
		widget.NewButton(s.l.T("paper.continue"), loaded), widget.NewButton(s.l.T("paper.giveup"), giveUp)))
	s.showModal(s.l.T("paper.title"), body, nil, loaded, giveUp)
	s.paper.waiting.Store(true)
}
