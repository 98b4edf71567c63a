// Package display drives a two-line, 20-column customer pole display (VFD or LCD) over any io.Writer: the
// common CD5220 command set (the default) or Epson's ESC/POS customer-display set (DM-D). Cyrillic goes
// through a single-byte code page, CP866 unless configured otherwise. An Emulator interprets the same bytes
// for tests and demos. It knows nothing of the till's domain types: callers pass ready strings.
//
// Commands used (CD5220 and DM-D user manuals, as published by several display vendors): ESC @ (1B 40)
// initialise; CLR (0C) clear; ESC t n (1B 74 n) select the character table; CD5220 ESC Q A … CR and
// ESC Q B … CR (1B 51 41/42, 20 characters, 0D) write the upper/lower line; DM-D US SOH (1F 01) overwrite
// mode and US $ x y (1F 24 x y, 1-based) move the cursor. Unverified: the table number of CP866, which
// differs between display makers (17 is its number in Epson's ESC/POS table list; set Config.CodeTable to
// what the display's manual says), and that a CD5220 display honours ESC t at all (many take the code page
// from DIP switches: set CodeTable to -1 for those).
package display

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Columns is the width of one line.
const Columns = 20

// Control bytes and command prefixes.
const (
	ESC byte = 0x1B
	US  byte = 0x1F
	CLR byte = 0x0C
	CR  byte = 0x0D
)

// Mode selects the command set.
type Mode int

const (
	// ModeCD5220 writes whole lines with ESC Q A / ESC Q B (the default).
	ModeCD5220 Mode = iota
	// ModeEpson positions the cursor with US $ and writes in overwrite mode (Epson DM-D).
	ModeEpson
)

func (m Mode) String() string {
	if m == ModeEpson {
		return "Epson"
	}
	return "CD5220"
}

// DefaultCodeTable is the ESC t number sent for CP866 when Config.CodeTable is zero.
const DefaultCodeTable = 17

// Config tunes a Display; the zero value is a CD5220 display with CP866 as table 17.
type Config struct {
	Mode Mode
	// CodePage encodes the text; CP866 when nil. Runes it lacks are shown as '?'.
	CodePage *charmap.Charmap
	// CodeTable is the n of ESC t n that selects CodePage on the display; DefaultCodeTable when zero, and
	// no ESC t is sent when negative.
	CodeTable int
}

// Display is one pole display. Its methods are safe for concurrent use.
type Display struct {
	w   io.Writer
	cfg Config

	mu     sync.Mutex
	inited bool
}

// New wraps w (a serial port in production); nothing is sent before the first call.
func New(w io.Writer, cfg Config) *Display {
	if cfg.CodePage == nil {
		cfg.CodePage = charmap.CodePage866
	}
	if cfg.CodeTable == 0 {
		cfg.CodeTable = DefaultCodeTable
	}
	return &Display{w: w, cfg: cfg}
}

// Init resets the display and selects the code page. Show calls it once by itself; call it again after the
// display was unplugged or power-cycled, since it then forgets the code page.
func (d *Display) Init(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.init(ctx)
}

func (d *Display) init(ctx context.Context) error {
	if err := d.send(ctx, d.initBytes()); err != nil {
		return err
	}
	d.inited = true
	return nil
}

func (d *Display) initBytes() []byte {
	out := []byte{ESC, '@'}
	if d.cfg.CodeTable > 0 && d.cfg.CodeTable <= 0xFF {
		out = append(out, ESC, 't', byte(d.cfg.CodeTable))
	}
	if d.cfg.Mode == ModeEpson {
		out = append(out, US, 0x01) // overwrite mode: a full line must not scroll the other one away
	}
	return out
}

// Show puts upper and lower on the two lines, each cut or padded to Columns.
func (d *Display) Show(ctx context.Context, upper, lower string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.inited {
		if err := d.init(ctx); err != nil {
			return err
		}
	}
	return d.send(ctx, d.showBytes(upper, lower))
}

func (d *Display) showBytes(upper, lower string) []byte {
	out := make([]byte, 0, 2*(Columns+4))
	for row, text := range [2]string{upper, lower} {
		if d.cfg.Mode == ModeEpson {
			out = append(out, US, '$', 1, byte(row+1))
			out = append(out, d.encode(text)...)
			continue
		}
		out = append(out, ESC, 'Q', 'A'+byte(row))
		out = append(out, d.encode(text)...)
		out = append(out, CR)
	}
	return out
}

// Clear blanks both lines (and, on a CD5220 display, leaves string mode).
func (d *Display) Clear(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.send(ctx, []byte{CLR})
}

// send writes b in one call; a serial write cannot be interrupted, so ctx is checked only before it.
func (d *Display) send(ctx context.Context, b []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := d.w.Write(b); err != nil {
		return fmt.Errorf("display: write: %w", err)
	}
	return nil
}

// lookalikes stand in for common runes the code pages lack, so that prices and names stay readable.
var lookalikes = map[rune]rune{
	'\u00A0': ' ', '\u202F': ' ', '\u2009': ' ', '–': '-', '—': '-', '−': '-', '«': '"', '»': '"', '„': '"',
	'“': '"', '”': '"', '‘': '\'', '’': '\'', '…': '.', 'ё': 'е', 'Ё': 'Е',
}

// encode fits s to Columns display cells of the code page: one byte per rune, control characters become
// spaces (they would be taken for commands), runes the code page lacks become '?'.
func (d *Display) encode(s string) []byte {
	out := make([]byte, 0, Columns)
	for _, r := range fit(s) {
		if r < 0x20 || r == 0x7F {
			r = ' '
		}
		b, ok := d.cfg.CodePage.EncodeRune(r)
		if !ok {
			if alt, found := lookalikes[r]; found {
				b, ok = d.cfg.CodePage.EncodeRune(alt)
			}
		}
		if !ok || b < 0x20 || b == 0x7F {
			b = '?'
		}
		out = append(out, b)
	}
	return out
}

// fit cuts s to Columns runes or pads it with spaces.
func fit(s string) []rune {
	r := []rune(s)
	if len(r) > Columns {
		return r[:Columns]
	}
	for len(r) < Columns {
		r = append(r, ' ')
	}
	return r
}

// Line puts left at the start and right (typically an amount) flush against the end of one Columns-wide
// line. When both do not fit, left is cut, keeping one space between them; right alone is never cut on its
// left side, which holds the significant digits, unless it is wider than the line.
func Line(left, right string) string {
	if right == "" {
		return string(fit(left))
	}
	rw := utf8.RuneCountInString(right)
	if rw >= Columns {
		return string([]rune(right)[:Columns])
	}
	room := Columns - rw
	lr := []rune(left)
	if len(lr) > room-1 {
		if room-1 <= 0 {
			lr = nil
		} else {
			lr = lr[:room-1]
		}
	}
	return string(lr) + strings.Repeat(" ", room-len(lr)) + right
}
