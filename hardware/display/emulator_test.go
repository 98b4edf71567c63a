package display_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kassa-pos/kassa/hardware/display"
	"github.com/kassa-pos/kassa/hardware/serialport"
)

func row(s string) string { return s + strings.Repeat(" ", display.Columns-utf8.RuneCountInString(s)) }

// parserCases are byte streams and what the display shows after them; they seed the fuzz target too.
var parserCases = []struct {
	name  string
	in    string
	upper string
	lower string
}{
	{"plain text wraps to line 2", "12345678901234567890AB", "12345678901234567890", "AB"},
	{"ESC Q A/B", "\x1bQAupper\r\x1bQBlower\r", "upper", "lower"},
	{"ESC Q replaces the line", "\x1bQAlong line here\r\x1bQAshort\r", "short", ""},
	{"ESC Q cut at 20", "\x1bQA" + strings.Repeat("x", 25) + "\r", strings.Repeat("x", 20), ""},
	{"CLR leaves string mode", "\x1bQAabc\x0cdef", "def", ""},
	{"ESC @ clears", "abc\x1b@", "", ""},
	{"US $ positions", "\x1f$\x05\x02X\x1f$\x01\x01Y", "Y", "    X"},
	{"ESC l positions", "\x1bl\x14\x01Z", "                   Z", ""},
	{"bad position ignored", "\x1f$\x00\x03A", "A", ""},
	{"CR and LF", "abc\rX\nY", "Xbc", " Y"},
	{"CAN clears the cursor line", "abc\nxyz\x18Q", "abc", "Q"},
	{"HOM and BS", "abc\x0bZ\x08Y", "Ybc", ""},
	{"ESC [ moves", "\x1b[KW\x1b[HV", "V", "                   W"},
	{"CP866 after ESC t 17", "\x1bt\x11\x88\xe2\xae\xa3\xae", "Итого", ""},
	{"PC437 after power-on", "\x9c", "£", ""},
	{"unknown table", "\x1bt\x63\x88", "?", ""},
	{"ESC @ resets the table", "\x1bt\x11\x1b@\x9c", "£", ""},
	{"skipped commands keep their parameters", "\x1b*\x04\x1b_\x00\x1f\x01\x1fE\x05ok", "ok", ""},
	{"unknown ESC drops one byte", "\x1bZok", "ok", ""},
}

func TestEmulatorParser(t *testing.T) {
	for _, tt := range parserCases {
		t.Run(tt.name, func(t *testing.T) {
			e := display.NewEmulator()
			// Byte by byte: the parser must not depend on how reads split the stream.
			for i := range len(tt.in) {
				e.Write([]byte{tt.in[i]})
			}
			if got, want := e.Lines(), [2]string{row(tt.upper), row(tt.lower)}; got != want {
				t.Errorf("Lines = %q, want %q", got, want)
			}
		})
	}
}

// TestRoundTripOverSerialPort drives the emulator through a pseudo-terminal in both modes.
func TestRoundTripOverSerialPort(t *testing.T) {
	for _, mode := range []display.Mode{display.ModeCD5220, display.ModeEpson} {
		t.Run(fmt.Sprint(mode), func(t *testing.T) {
			pt, err := serialport.OpenPTY()
			if err != nil {
				t.Fatal(err)
			}
			defer pt.Close()
			port, err := serialport.Open(serialport.Config{Path: pt.Path})
			if err != nil {
				t.Fatal(err)
			}
			defer port.Close()
			emu := display.NewEmulator()
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := emu.Serve(ctx, pt.Master); err != nil {
					t.Errorf("Serve: %v", err)
				}
			}()
			defer func() { cancel(); wg.Wait() }()

			d := display.New(port, display.Config{Mode: mode})
			screens := [][2]string{
				{display.Line("Сыр Российский", "767,49"), display.Line("Итого:", "1 296,29")},
				{"Добро пожаловать!", "Касса №2 — «Центр»"},
				{"", display.Line("Сдача", "8 351,00")},
			}
			for _, s := range screens {
				if err := d.Show(ctx, s[0], s[1]); err != nil {
					t.Fatal(err)
				}
				want := [2]string{row(s[0]), row(strings.NewReplacer("—", "-", "«", `"`, "»", `"`).Replace(s[1]))}
				waitLines(t, emu, want)
			}
			if err := d.Clear(ctx); err != nil {
				t.Fatal(err)
			}
			waitLines(t, emu, [2]string{row(""), row("")})
			if emu.Table() != display.DefaultCodeTable {
				t.Errorf("table %d, want %d", emu.Table(), display.DefaultCodeTable)
			}
		})
	}
}

// waitLines waits for the bytes to cross the pty; the limit only bounds a failing test.
func waitLines(t *testing.T, e *display.Emulator, want [2]string) {
	t.Helper()
	limit := time.Now().Add(5 * time.Second)
	for e.Lines() != want {
		if time.Now().After(limit) {
			t.Fatalf("Lines = %q, want %q", e.Lines(), want)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func FuzzEmulator(f *testing.F) {
	for _, c := range parserCases {
		f.Add([]byte(c.in))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e := display.NewEmulator()
		e.Write(b)
		for i, l := range e.Lines() {
			if n := utf8.RuneCountInString(l); n != display.Columns || !utf8.ValidString(l) {
				t.Fatalf("line %d = %q (%d runes)", i, l, n)
			}
		}
		// Whatever came before, the driver's own bytes put the display in a known state.
		var out strings.Builder
		d := display.New(&out, display.Config{})
		if err := d.Show(context.Background(), "Итого", "1 234,50"); err != nil {
			t.Fatal(err)
		}
		// CLRs end a pending ESC Q string and fill any parameters still awaited (at most 4), as Clear would.
		e.Write([]byte(strings.Repeat("\x0c", 8)))
		e.Write([]byte(out.String()))
		if got, want := e.Lines(), [2]string{row("Итого"), row("1 234,50")}; got != want {
			t.Fatalf("after % X: Lines = %q, want %q", b, got, want)
		}
	})
}
