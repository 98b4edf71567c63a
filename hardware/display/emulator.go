package display

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// Emulator is a pole display that understands the commands of both modes, as far as a till uses them:
// ESC @, CLR, CAN, ESC t n, ESC Q A/B/D … CR, ESC l x y, US $ x y, ESC [ X and the single-byte cursor
// moves. Other ESC and US commands are skipped with their parameters. Text is written in overwrite mode.
type Emulator struct {
	mu     sync.Mutex
	lines  [2][Columns]rune
	row    int // 0 or 1
	col    int // 0..Columns-1
	table  int
	st     state
	params []byte
	want   int // parameters still expected
	strRow int // line of the ESC Q string being collected
	str    []rune
}

type state int

const (
	stText state = iota
	stESC
	stUS
	stParams  // collecting want bytes for cmd
	stQ       // after ESC Q
	stString  // ESC Q x … CR
	stBracket // after ESC [
)

// emulatorTables are the ESC t numbers the emulator decodes; any other number shows bytes above 0x7F as '?'.
var emulatorTables = map[int]*charmap.Charmap{0: charmap.CodePage437, DefaultCodeTable: charmap.CodePage866}

// NewEmulator returns a blank display with table 0 (PC437) selected, as after power-on.
func NewEmulator() *Emulator {
	e := &Emulator{}
	e.reset()
	return e
}

// Lines returns what the two lines show, each Columns runes wide.
func (e *Emulator) Lines() [2]string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return [2]string{string(e.lines[0][:]), string(e.lines[1][:])}
}

// Table is the number of the selected character table.
func (e *Emulator) Table() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.table
}

// Write interprets b; it never fails, as a display never answers.
func (e *Emulator) Write(b []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, c := range b {
		e.feed(c)
	}
	return len(b), nil
}

// Serve interprets everything read from r until ctx ends or r is closed. An io.ReadWriter such as a
// pseudo-terminal master will do; a display sends nothing back.
func (e *Emulator) Serve(ctx context.Context, r io.Reader) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if dl, ok := r.(interface{ SetReadDeadline(time.Time) error }); ok {
		_ = dl.SetReadDeadline(time.Time{})
		stop := context.AfterFunc(ctx, func() { _ = dl.SetReadDeadline(time.Now()) })
		defer stop()
	}
	buf := make([]byte, 256)
	for {
		n, err := r.Read(buf)
		_, _ = e.Write(buf[:n])
		switch {
		case ctx.Err() != nil:
			return nil
		case err == nil:
		case errors.Is(err, io.EOF), errors.Is(err, os.ErrClosed), errors.Is(err, io.ErrClosedPipe):
			return nil
		default:
			return fmt.Errorf("display emulator: read: %w", err)
		}
	}
}

func (e *Emulator) reset() {
	e.clear()
	e.table = 0
	e.st = stText
}

func (e *Emulator) clear() {
	for r := range e.lines {
		e.clearLine(r)
	}
	e.row, e.col = 0, 0
}

func (e *Emulator) clearLine(r int) {
	for c := range e.lines[r] {
		e.lines[r][c] = ' '
	}
}

func (e *Emulator) decode(c byte) rune {
	if c < 0x80 {
		return rune(c)
	}
	if cm, ok := emulatorTables[e.table]; ok {
		return cm.DecodeByte(c)
	}
	return '?'
}

// feed advances the parser by one byte.
func (e *Emulator) feed(c byte) {
	switch e.st {
	case stESC:
		e.escape(c)
	case stUS:
		e.unit(c)
	case stParams:
		e.params = append(e.params, c)
		if len(e.params) == e.want {
			e.st = stText
			e.command()
		}
	case stQ:
		e.st, e.str = stString, e.str[:0]
		e.strRow = 0
		if c == 'B' {
			e.strRow = 1
		}
	case stString:
		e.stringByte(c)
	case stBracket:
		e.st = stText
		e.move(c)
	default:
		e.text(c)
	}
}

func (e *Emulator) text(c byte) {
	switch c {
	case ESC:
		e.st = stESC
	case US:
		e.st = stUS
	case CLR:
		e.clear()
	case 0x18: // CAN
		e.clearLine(e.row)
		e.col = 0
	case CR:
		e.col = 0
	case 0x0A: // LF
		e.row = 1
	case 0x0B: // HOM
		e.row, e.col = 0, 0
	case 0x08: // BS
		e.col = max(e.col-1, 0)
	case 0x09: // HT
		e.col = min(e.col+1, Columns-1)
	default:
		if c < 0x20 || c == 0x7F {
			return
		}
		e.lines[e.row][e.col] = e.decode(c)
		if e.col++; e.col == Columns {
			e.row, e.col = (e.row+1)%2, 0
		}
	}
}

// stringByte collects ESC Q text; CLR and CAN leave string mode, as the manuals say.
func (e *Emulator) stringByte(c byte) {
	switch c {
	case CR:
		e.st = stText
		e.clearLine(e.strRow)
		copy(e.lines[e.strRow][:], e.str)
	case CLR, 0x18:
		e.st = stText
		e.text(c)
	default:
		if len(e.str) < Columns && c >= 0x20 && c != 0x7F {
			e.str = append(e.str, e.decode(c))
		}
	}
}

// escParams is how many parameter bytes follow ESC x for the commands the emulator skips or runs.
var escParams = map[byte]int{'t': 1, 'l': 2, '*': 1, '_': 1, '=': 1, 'f': 1, 'c': 1, '%': 1, '?': 1, 'W': 4}

func (e *Emulator) escape(c byte) {
	e.st = stText
	switch c {
	case '@':
		e.reset()
	case 'Q':
		e.st = stQ
	case '[':
		e.st = stBracket
	default:
		if n, ok := escParams[c]; ok {
			e.expect(ESC, c, n)
		}
	}
}

// usParams is the same for US x.
var usParams = map[byte]int{'$': 2, 'E': 1, 'X': 1, 'r': 1, 'C': 1}

func (e *Emulator) unit(c byte) {
	e.st = stText
	switch c {
	case 0x0A:
		e.row = 0
	case CR:
		e.col = Columns - 1
	case 'B':
		e.row, e.col = 1, Columns-1
	default:
		if n, ok := usParams[c]; ok {
			e.expect(US, c, n)
		}
	}
}

func (e *Emulator) expect(prefix, cmd byte, n int) {
	e.params = append(e.params[:0], prefix, cmd)
	e.want, e.st = n+2, stParams
}

// command runs a command whose parameters are all in.
func (e *Emulator) command() {
	p := e.params
	switch {
	case p[0] == ESC && p[1] == 't':
		e.table = int(p[2])
	case p[0] == ESC && p[1] == 'l', p[0] == US && p[1] == '$':
		x, y := int(p[2]), int(p[3])
		if x >= 1 && x <= Columns && (y == 1 || y == 2) {
			e.col, e.row = x-1, y-1
		}
	}
}

// move runs ESC [ X.
func (e *Emulator) move(c byte) {
	switch c {
	case 'D':
		e.col = max(e.col-1, 0)
	case 'C':
		e.col = min(e.col+1, Columns-1)
	case 'A':
		e.row = 0
	case 'B':
		e.row = 1
	case 'H':
		e.row, e.col = 0, 0
	case 'L':
		e.col = 0
	case 'R':
		e.col = Columns - 1
	case 'K':
		e.row, e.col = 1, Columns-1
	}
}
