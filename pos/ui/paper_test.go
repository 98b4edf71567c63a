package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/kassa-pos/kassa/pos"
)

// waitPaperPrompt waits for the register's goroutine to put the "out of paper" prompt up.
func (r *uiRig) waitPaperPrompt(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !r.screen.PaperWaiting() {
		if time.Now().After(deadline) {
			t.Fatal("no paper prompt")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestAwaitPaper(t *testing.T) {
	for _, c := range []struct {
		name string
		key  fyne.KeyName // pressed on the prompt; "" lets the context end
		want error
	}{
		{"Enter: paper loaded", fyne.KeyReturn, nil},
		{"keypad Enter", fyne.KeyEnter, nil},
		{"Esc: the cashier gives up", fyne.KeyEscape, pos.ErrPaperOut},
		{"the operation's time runs out", "", context.Canceled},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newUIRig(t, Russian)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- r.screen.AwaitPaper(ctx) }()
			r.waitPaperPrompt(t)
			if !strings.Contains(textsOf(r.w.Canvas().Overlays().Top()), "Закончилась бумага в ККТ. Вставьте новый рулон и нажмите Enter") {
				t.Errorf("prompt: %s", textsOf(r.w.Canvas().Overlays().Top()))
			}
			if c.key != "" {
				r.w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: c.key})
			} else {
				cancel()
			}
			err := <-done
			if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
				t.Errorf("AwaitPaper = %v, want %v", err, c.want)
			}
			if r.screen.PaperWaiting() || r.w.Canvas().Overlays().Top() != nil {
				t.Error("the prompt stayed up")
			}
		})
	}
}

func TestPaperOutWhilePaying(t *testing.T) {
	for _, c := range []struct {
		name string
		key  fyne.KeyName
	}{
		{"new roll, Enter: the sale goes through", fyne.KeyReturn},
		{"Esc: refused as out of paper, the receipt is kept", fyne.KeyEscape},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newFiscalRig(t, nil)
			r.scan("4607001771401")
			r.dev.SetPaper(false)
			r.screen.Input().TypedRune('+')
			r.focusedEntry(t).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			r.waitPaperPrompt(t)
			if c.key == fyne.KeyReturn {
				r.dev.SetPaper(true)
			}
			r.w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: c.key})
			r.waitIdle(t)

			sales, err := r.store.RecentSales(1)
			if err != nil || len(sales) != 1 {
				t.Fatalf("journal = %+v, %v", sales, err)
			}
			if c.key == fyne.KeyReturn {
				if sales[0].Status != pos.SaleFiscalised || len(r.screen.Lines()) != 0 {
					t.Errorf("sale %s, cart %+v", sales[0].Status, r.screen.Lines())
				}
				return
			}
			if sales[0].Status != pos.SaleCancelled || len(r.screen.Lines()) != 1 {
				t.Errorf("sale %s, cart %+v", sales[0].Status, r.screen.Lines())
			}
			if msg := textsOf(r.w.Canvas().Overlays().Top()); !strings.Contains(msg, "закончилась бумага") {
				t.Errorf("error dialog: %s", msg)
			}
		})
	}
}
