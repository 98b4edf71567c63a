// Package escpos drives ESC/POS receipt printers (Epson TM series, Rongta, 58/80 mm Chinese clones) for
// non-fiscal documents: a Document builder that produces the bytes, a Printer that sends them and reads
// the paper sensor over any io.ReadWriter (a serial port, a USB printer device file), slips built from plain
// data, and the printer side for tests and emulators: an Emulator and a Decode that turns the bytes back into
// text lines, images and cuts. Text is always sent in CP866, the code page every supported model has; the
// model-specific parts (its ESC t number, paper width, native QR) live in a Profile.
package escpos

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Command prefixes.
const (
	lf  = 0x0A
	esc = 0x1B
	gs  = 0x1D
	fs  = 0x1C
	dle = 0x10
	eot = 0x04
)

// Align is a justification (ESC a n).
type Align byte

const (
	Left Align = iota
	Center
	Right
)

func (a Align) String() string {
	switch a {
	case Left:
		return "L"
	case Center:
		return "C"
	case Right:
		return "R"
	}
	return fmt.Sprintf("Align(%d)", byte(a))
}

// CutMode is a paper cut.
type CutMode byte

const (
	// CutFull cuts the paper through.
	CutFull CutMode = iota
	// CutPartial leaves a hinge, so the receipt does not fall.
	CutPartial
)

func (c CutMode) String() string {
	if c == CutPartial {
		return "partial"
	}
	return "full"
}

// Document accumulates ESC/POS bytes. Its methods return the document so that calls chain; the first error
// (a QR code that does not fit the paper) is kept and reported by Err and by Printer.Print.
type Document struct {
	p     Profile
	buf   []byte
	align Align
	err   error
}

// NewDocument starts an empty document for the profile; a zero profile means a 58 mm Epson-compatible
// printer with CP866 at ESC t 17.
func NewDocument(p Profile) *Document { return &Document{p: p.normalized()} }

// Profile is the profile the document is built for.
func (d *Document) Profile() Profile { return d.p }

// Bytes returns the ESC/POS bytes built so far.
func (d *Document) Bytes() []byte { return append([]byte(nil), d.buf...) }

// Err is the first error met while building.
func (d *Document) Err() error { return d.err }

// Raw appends bytes as they are, for commands the builder does not know.
func (d *Document) Raw(b ...byte) *Document { d.buf = append(d.buf, b...); return d }

// Init resets the printer (ESC @) and selects CP866 (FS . first on profiles that need Kanji cancelled),
// since ESC @ restores the model's default code page.
func (d *Document) Init() *Document {
	d.buf = append(d.buf, esc, '@')
	d.align = Left
	if d.p.CancelKanji {
		d.buf = append(d.buf, fs, '.')
	}
	return d.CodePage(d.p.CodePage)
}

// CodePage selects character code table n (ESC t n). Text is still encoded as CP866, so n must be the
// model's number for CP866; Init sends the profile's.
func (d *Document) CodePage(n byte) *Document { return d.Raw(esc, 't', n) }

// Align sets the justification of the following lines; it applies from the start of a line.
func (d *Document) Align(a Align) *Document {
	if a > Right {
		a = Left
	}
	d.align = a
	return d.Raw(esc, 'a', byte(a))
}

// Bold turns emphasised mode on or off (ESC E n).
func (d *Document) Bold(on bool) *Document {
	var n byte
	if on {
		n = 1
	}
	return d.Raw(esc, 'E', n)
}

// Size sets the character magnification (GS ! n), 1–8 times in width and height; out-of-range values
// are clamped. A double-width line holds half the profile's columns.
func (d *Document) Size(w, h int) *Document {
	return d.Raw(gs, '!', byte(clamp(w, 1, 8)-1)<<4|byte(clamp(h, 1, 8)-1))
}

// Text appends text without ending the line: '\n' becomes LF, runes CP866 lacks become '?' (after a few
// substitutions such as ₽ → "р."), and other control characters become '?' so that text cannot smuggle
// in commands.
func (d *Document) Text(s string) *Document {
	d.buf = appendCP866(d.buf, s)
	return d
}

// Line appends text and ends the line.
func (d *Document) Line(s string) *Document { return d.Text(s).Raw(lf) }

// Feed prints n empty lines (ESC d n), at most 255.
func (d *Document) Feed(n int) *Document { return d.Raw(esc, 'd', byte(clamp(n, 0, 255))) }

// Cut feeds the paper by feed units (so the last line clears the cutter) and cuts: GS V 65 n for a full cut,
// GS V 66 n for a partial one. Cut(CutFull, 3) is escpos-php's default `1D 56 41 03`.
func (d *Document) Cut(mode CutMode, feed int) *Document {
	m := byte('A')
	if mode == CutPartial {
		m = 'B'
	}
	return d.Raw(gs, 'V', m, byte(clamp(feed, 0, 255)))
}

func (d *Document) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

// substitutes maps runes that receipts use but CP866 lacks to look-alikes.
var substitutes = map[rune]string{
	'₽': "р.", '«': "\"", '»': "\"", '„': "\"", '“': "\"", '”': "\"", '‘': "'", '’': "'",
	'—': "-", '–': "-", '−': "-", '…': "...", '\u00a0': " ", '\u202f': " ", '\t': " ",
}

// Normalize applies the substitutions Text makes before encoding, so that layout code can count the
// characters that will actually print (one byte per rune after this).
func Normalize(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { _, ok := substitutes[r]; return ok }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if sub, ok := substitutes[r]; ok {
			b.WriteString(sub)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func appendCP866(buf []byte, s string) []byte {
	for _, r := range Normalize(s) {
		switch {
		case r == '\n':
			buf = append(buf, lf)
		case r < 0x20 || r == 0x7F || r == utf8.RuneError:
			buf = append(buf, '?')
		default:
			c, ok := charmap.CodePage866.EncodeRune(r)
			if !ok || c < 0x20 {
				c = '?'
			}
			buf = append(buf, c)
		}
	}
	return buf
}

// Width is the number of printed characters s takes (runes after Normalize).
func Width(s string) int { return utf8.RuneCountInString(Normalize(s)) }
