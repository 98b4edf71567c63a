package display

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pad is n spaces in hex.
func pad(n int) string { return strings.Repeat("20", n) }

func TestCommandBytes(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		cfg  Config
		run  func(d *Display) error
		want string
	}{
		{"init CD5220", Config{}, func(d *Display) error { return d.Init(ctx) }, "1B 40 1B 74 11"},
		{"init Epson", Config{Mode: ModeEpson}, func(d *Display) error { return d.Init(ctx) }, "1B 40 1B 74 11 1F 01"},
		{"init own table", Config{CodeTable: 7}, func(d *Display) error { return d.Init(ctx) }, "1B 40 1B 74 07"},
		{"init without ESC t", Config{CodeTable: -1}, func(d *Display) error { return d.Init(ctx) }, "1B 40"},
		{"clear", Config{}, func(d *Display) error { return d.Clear(ctx) }, "0C"},
		{"show CD5220 inits first", Config{}, func(d *Display) error { return d.Show(ctx, "AB", "") },
			"1B 40 1B 74 11 1B 51 41 4142" + pad(18) + "0D 1B 51 42" + pad(20) + "0D"},
		{"show twice inits once", Config{}, func(d *Display) error {
			if err := d.Show(ctx, "", ""); err != nil {
				return err
			}
			return d.Show(ctx, "1", "2")
		}, "1B 40 1B 74 11 1B 51 41" + pad(20) + "0D 1B 51 42" + pad(20) + "0D" +
			"1B 51 41 31" + pad(19) + "0D 1B 51 42 32" + pad(19) + "0D"},
		{"show Epson", Config{Mode: ModeEpson}, func(d *Display) error { return d.Show(ctx, "A", "B") },
			"1B 40 1B 74 11 1F 01 1F 24 01 01 41" + pad(19) + "1F 24 01 02 42" + pad(19)},
		{"Cyrillic CP866", Config{CodeTable: -1}, func(d *Display) error { return d.Show(ctx, "Итого", "Ёж") },
			"1B 40 1B 51 41 88 E2 AE A3 AE" + pad(15) + "0D 1B 51 42 F0 A6" + pad(18) + "0D"},
		{"Cyrillic CP1251", Config{CodePage: charmap.Windows1251, CodeTable: 46},
			func(d *Display) error { return d.Show(ctx, "Сыр", "") },
			"1B 40 1B 74 2E 1B 51 41 D1 FB F0" + pad(17) + "0D 1B 51 42" + pad(20) + "0D"},
		{"cut at 20", Config{CodeTable: -1}, func(d *Display) error {
			return d.Show(ctx, "123456789012345678901234", "")
		}, "1B 40 1B 51 41 3132333435363738393031323334353637383930 0D 1B 51 42" + pad(20) + "0D"},
		{"controls become spaces", Config{CodeTable: -1}, func(d *Display) error { return d.Show(ctx, "a\rb\x1bc\x0c", "") },
			"1B 40 1B 51 41 61 20 62 20 63 20" + pad(14) + "0D 1B 51 42" + pad(20) + "0D"},
		{"missing runes", Config{CodeTable: -1}, func(d *Display) error { return d.Show(ctx, "1 234₽ «Сыр» — 5", "") },
			"1B 40 1B 51 41 31 20 32 33 34 3F 20 22 91 EB E0 22 20 2D 20 35" + pad(4) + "0D 1B 51 42" + pad(20) + "0D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w bytes.Buffer
			if err := tt.run(New(&w, tt.cfg)); err != nil {
				t.Fatal(err)
			}
			if want := unhex(t, tt.want); !bytes.Equal(w.Bytes(), want) {
				t.Errorf("wrote\n% X\nwant\n% X", w.Bytes(), want)
			}
		})
	}
}

func TestLine(t *testing.T) {
	tests := []struct{ left, right, want string }{
		{"Итого", "1 234,50", "Итого       1 234,50"},
		{"", "5,00", "                5,00"},
		{"Сыр Российский весовой", "767,49", "Сыр Российски 767,49"},
		{"Молоко", "", "Молоко              "},
		{"Длинное название товара", "", "Длинное название тов"},
		{"X", "1234567890123456789", " 1234567890123456789"},
		{"X", "12345678901234567890", "12345678901234567890"},
		{"X", "123456789012345678901", "12345678901234567890"},
	}
	for _, tt := range tests {
		got := Line(tt.left, tt.right)
		if got != tt.want {
			t.Errorf("Line(%q, %q) = %q, want %q", tt.left, tt.right, got, tt.want)
		}
		if n := len([]rune(got)); n != Columns {
			t.Errorf("Line(%q, %q) is %d columns", tt.left, tt.right, n)
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("gone") }

func TestErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var w bytes.Buffer
	if err := New(&w, Config{}).Show(ctx, "a", "b"); !errors.Is(err, context.Canceled) || w.Len() != 0 {
		t.Errorf("cancelled Show = %v, wrote %d bytes", err, w.Len())
	}
	err := New(failWriter{}, Config{}).Clear(context.Background())
	if err == nil || !strings.Contains(err.Error(), "display: write: gone") {
		t.Errorf("Clear on a failing writer = %v", err)
	}
}
