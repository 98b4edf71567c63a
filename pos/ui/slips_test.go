package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kassa-pos/kassa/pos"
)

// fakeSlips is a receipt printer that fails as told.
type fakeSlips struct {
	mu     sync.Mutex
	err    error
	shifts []int
}

func (f *fakeSlips) PrintShiftSummary(_ context.Context, shift int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shifts = append(f.shifts, shift)
	return f.err
}

func (f *fakeSlips) printed() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int(nil), f.shifts...)
}

// offlineErr is a printer that cannot be reached, as the terminal's wiring reports it.
type offlineErr struct{}

func (offlineErr) Error() string        { return "receipt printer not responding: port offline" }
func (offlineErr) PrinterOffline() bool { return true }

// tapServiceItem opens F12 and taps the item whose label holds text.
func (r *uiRig) tapServiceItem(t *testing.T, text string) {
	t.Helper()
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF12})
	for _, o := range r.w.Canvas().Overlays().List() {
		for _, obj := range test.LaidOutObjects(o) {
			if b, ok := obj.(*widget.Button); ok && strings.Contains(b.Text, text) {
				if b.Disabled() {
					t.Fatalf("service item %q is disabled", b.Text)
				}
				test.Tap(b)
				return
			}
		}
	}
	t.Fatalf("no service item %q", text)
}

// TestShiftSummaryAfterZReport: the Z report prints the shift summary; a printer failure leaves the shift
// closed and says, in Russian, that the slip is missing, why, and how to print it again from F12.
func TestShiftSummaryAfterZReport(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"printed", nil, []string{"Смена № 1 закрыта", "Сводка смены № 1 напечатана"}},
		{"paper out", fmt.Errorf("shift summary: %w: escpos: paper out", pos.ErrPaperOut),
			[]string{"Смена № 1 закрыта", "Сводка смены № 1 не напечатана", "нет бумаги", "F12 → «Печать сводки смены»"}},
		{"printer unplugged", fmt.Errorf("shift summary: %w", offlineErr{}),
			[]string{"Смена № 1 закрыта", "не напечатана", "принтер чеков не отвечает", "F12"}},
		{"other failure", errors.New("escpos: malformed status byte: 0xFF"),
			[]string{"не напечатана", "ошибка принтера чеков (escpos: malformed status byte: 0xFF)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newUIRig(t, Russian)
			slips := &fakeSlips{err: tt.err}
			r.screen.d.Slips = slips
			r.tapServiceItem(t, "Закрыть смену")
			r.w.Canvas().Focused().(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // confirm
			r.waitIdle(t)
			if _, open := r.screen.till.Shift(); open {
				t.Fatal("the shift is still open")
			}
			if got := slips.printed(); len(got) != 1 || got[0] != 1 {
				t.Fatalf("summaries printed for shifts %v, want [1]", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.screen.Message(), w) {
					t.Errorf("message %q does not say %q", r.screen.Message(), w)
				}
			}

			slips.mu.Lock()
			slips.err = nil // paper loaded, cable back
			slips.mu.Unlock()
			r.tapServiceItem(t, "Печать сводки смены")
			r.waitIdle(t)
			if got := slips.printed(); len(got) != 2 || got[1] != 1 {
				t.Fatalf("reprint from F12 printed shifts %v, want [1 1]", got)
			}
			if want := "Сводка смены № 1 напечатана"; !strings.Contains(r.screen.Message(), want) {
				t.Errorf("after the reprint the message is %q, want %q", r.screen.Message(), want)
			}
			if r.w.Canvas().Focused() != r.screen.Input() {
				t.Error("focus did not come back to the scan field")
			}
		})
	}
}

func TestNoSummaryItemWithoutAPrinter(t *testing.T) {
	r := newUIRig(t, Russian)
	r.screen.Input().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF12})
	if strings.Contains(markupOf(r.w), "Печать сводки смены") {
		t.Error("F12 offers the shift summary on a till without a receipt printer")
	}
}
