package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2/canvas"

	"github.com/kassa-pos/kassa/pos"
)

// SlipPrinter prints the till's non-fiscal slips on the receipt printer. A slip that did not print returns
// an error that wraps pos.ErrPaperOut when the printer has no paper, and that has a method
// PrinterOffline() bool answering true when the printer cannot be reached (cable, power, no answer).
type SlipPrinter interface {
	PrintShiftSummary(ctx context.Context, shift int) error
}

// printerOffline is how a slip error tells that the printer could not be reached.
type printerOffline interface{ PrinterOffline() bool }

var slipTexts = map[string][2]string{
	"service.summary": {"Печать сводки смены", "Print the shift summary"},
	"slip.printing":   {"Печать сводки смены…", "Printing the shift summary…"},
	"slip.printed":    {"Сводка смены № %d напечатана", "Summary of shift #%d printed"},
	"slip.failed": {"Сводка смены № %d не напечатана: %s. Напечатать снова: F12 → «Печать сводки смены».",
		"Summary of shift #%d not printed: %s. To print it again: F12 → “Print the shift summary”."},
	"slip.paper":   {"в принтере чеков нет бумаги, заправьте ленту", "the receipt printer is out of paper, load a roll"},
	"slip.offline": {"принтер чеков не отвечает, проверьте его кабель и питание", "the receipt printer does not respond, check its cable and power"},
	"slip.error":   {"ошибка принтера чеков (%s)", "receipt printer error (%s)"},
}

func init() {
	for k, v := range slipTexts {
		texts[k] = v
	}
}

// printShiftSummary prints a shift's summary off the UI goroutine. A failure never undoes what came
// before (the Z report): the message line says the slip is missing, why, and how to print it again.
// before is the message it follows, kept in front of the outcome.
func (s *TillScreen) printShiftSummary(shift int, before string) {
	if s.d.Slips == nil || shift <= 0 {
		return
	}
	s.background(s.l.T("slip.printing"), func(ctx context.Context) error {
		return s.d.Slips.PrintShiftSummary(ctx, shift)
	}, func(err error) {
		if before != "" {
			before += ". "
		}
		if err != nil {
			s.alert(before + s.l.T("slip.failed", shift, s.slipReason(err)))
			return
		}
		s.info(before + s.l.T("slip.printed", shift))
	})
}

// slipReason says in a few words why a slip did not print.
func (s *TillScreen) slipReason(err error) string {
	var off printerOffline
	switch {
	case errors.Is(err, pos.ErrPaperOut):
		return s.l.T("slip.paper")
	case errors.As(err, &off) && off.PrinterOffline():
		return s.l.T("slip.offline")
	}
	return s.l.T("slip.error", err.Error())
}

// summaryShift is the shift F12 prints the summary of: the open one, or else the last one closed; 0 when
// no shift was ever opened.
func (s *TillScreen) summaryShift() int {
	sh, _ := s.till.Shift()
	return sh.Number
}

// reprintShiftSummary is the F12 item.
func (s *TillScreen) reprintShiftSummary() {
	s.closeModal()
	s.printShiftSummary(s.summaryShift(), "")
}

// alert shows a plain text as an error on the message line.
func (s *TillScreen) alert(text string) {
	s.message.SetText(text)
	s.messageBox.Objects[0].(*canvas.Rectangle).FillColor = errorBackground
	s.messageBox.Refresh()
	s.messageBox.Show()
}
