package barcode

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrBadLayout is wrapped by the error WeightLayout.Validate returns for an impossible layout.
var ErrBadLayout = errors.New("bad weight label layout")

// maxShownRunes bounds the text an *Error keeps: enough to recognise a DataMatrix code on screen,
// short enough for one line of the till's message area.
const maxShownRunes = 48

// Error is a classification failure. Err is pos.ErrInvalidBarcode or pos.ErrUnknownBarcode (possibly
// joined with a recognizer's own error), so callers test it with errors.Is; errors.As gives the UI the
// text to show.
type Error struct {
	// Text is the offending input, cut to maxShownRunes runes and with control characters replaced by
	// their visible Unicode pictures (GS becomes "␝"), ready to display.
	Text string
	// Reason says what is wrong, in lowercase English for logs.
	Reason string
	// Err is the wrapped cause.
	Err error
}

func newError(text string, err error, reason string) *Error {
	return &Error{Text: printable(text), Reason: reason, Err: err}
}

// Error implements error: `invalid barcode "4607001771409": wrong EAN-13 check digit 9, want 1`.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("barcode")
	}
	if e.Text != "" {
		b.WriteString(" \"")
		b.WriteString(e.Text)
		b.WriteString("\"")
	}
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	return b.String()
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// printable makes s safe to put on screen and into a log line: valid UTF-8, no control characters,
// and not longer than maxShownRunes runes.
func printable(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == maxShownRunes {
			b.WriteString("…")
			break
		}
		switch {
		case r < 0x20:
			r = 0x2400 + r // Unicode "control pictures" block: ␝ for GS, ␍ for CR.
		case r == 0x7f:
			r = '␡'
		case r == utf8.RuneError, r >= 0x80 && r < 0xa0, unicode.In(r, unicode.Cf):
			// Invalid bytes, C1 controls and format characters (bidi overrides) could garble the screen.
			r = '\uFFFD'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
