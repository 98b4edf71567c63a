package ui

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/pos"
)

// Scale reads a stable weight in grams; cmd wiring adapts the serial scale driver and maps its errors to
// pos.ErrScaleUnstable, pos.ErrScaleOverload and pos.ErrScaleOffline.
type Scale interface {
	StableWeight(ctx context.Context, timeout time.Duration) (grams int64, err error)
}

// CustomerDisplay is the two-line display facing the customer.
type CustomerDisplay interface {
	Show(ctx context.Context, upper, lower string) error
}

// scaleWait is how long the scale may take to settle before the cashier is told.
const scaleWait = 3 * time.Second

// weigh reads the scale off the UI goroutine and hands the weight to then.
func (s *TillScreen) weigh(then func(q pos.Qty)) {
	if s.d.Scale == nil {
		s.fail(pos.ErrNeedsWeight)
		return
	}
	var grams int64
	s.background(s.l.T("scale.reading"), func(ctx context.Context) (err error) {
		grams, err = s.d.Scale.StableWeight(ctx, scaleWait)
		return err
	}, func(err error) {
		switch {
		case err != nil:
			s.fail(err)
		case grams <= 0:
			s.fail(pos.ErrScaleOverload)
		default:
			then(pos.Qty(grams)) // grams are thousandths of a kilogram
		}
	})
}

// addWeighed retries adding a product that needed a weight, once the scale has given one.
func (s *TillScreen) addWeighed(err error, add func(q pos.Qty)) bool {
	if !errors.Is(err, pos.ErrNeedsWeight) {
		return false
	}
	s.weigh(add)
	return true
}

// displayCols is the width of a pole display line.
const displayCols = 20

// displayLine puts right flush against the 20th column and cuts left to fit before it.
func displayLine(left, right string) string {
	room := displayCols - utf8.RuneCountInString(right) - 1
	if room < 0 {
		return string([]rune(right)[:displayCols])
	}
	l := []rune(left)
	if len(l) > room {
		l = l[:room]
	}
	return string(l) + strings.Repeat(" ", displayCols-len(l)-utf8.RuneCountInString(right)) + right
}

// startDisplay runs the customer display off the UI goroutine: only the newest text matters, so a slow
// serial line never holds the till back and never shows stale lines last.
func (s *TillScreen) startDisplay(ctx context.Context) {
	if s.d.Display == nil {
		return
	}
	s.displayCh = make(chan [2]string, 1)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case lines := <-s.displayCh:
				dctx, cancel := context.WithTimeout(ctx, 2*time.Second)
				_ = s.d.Display.Show(dctx, lines[0], lines[1]) // a dead display must not stop the sale
				cancel()
			}
		}
	}()
	s.showCustomer(s.l.T("display.welcome"), "")
}

// showCustomer replaces what waits to be shown with these lines.
func (s *TillScreen) showCustomer(upper, lower string) {
	if s.displayCh == nil {
		return
	}
	for {
		select {
		case s.displayCh <- [2]string{upper, lower}:
			return
		default:
			select {
			case <-s.displayCh: // drop the older text
			default:
			}
		}
	}
}

// customerLine shows the last line and the total.
func (s *TillScreen) customerLine(l pos.Line, total pos.Money) {
	s.showCustomer(displayLine(l.Name, l.Sum.String()), displayLine(s.l.T("display.total"), total.String()))
}
