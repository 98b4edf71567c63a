package pgstore

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/sync/hub"
)

var cursorTests = []struct {
	cursor  string
	want    int64
	wantErr bool
}{
	{"", 0, false},
	{"a1b2c3d4e5f6.0", 0, false},
	{"a1b2c3d4e5f6.42", 42, false},
	{"0000feedbeef.42", 0, false}, // another database: start over
	{"a1b2c3d4e5f6.18446744073709551615", 0, false},
	{"a1b2c3d4e5f6.-1", 0, true},
	{"a1b2c3d4e5f6", 0, true},
	{".5", 0, true},
	{strings.Repeat("e", 33) + ".5", 0, true},
	{"a1b2c3d4e5f6.5x", 0, true},
}

func TestParseCursor(t *testing.T) {
	s := &Store{epoch: "a1b2c3d4e5f6"}
	for _, tc := range cursorTests {
		got, err := s.parseCursor(tc.cursor)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("parseCursor(%q) = %d, %v; want %d, error %v", tc.cursor, got, err, tc.want, tc.wantErr)
		}
		if err != nil && !errors.Is(err, hub.ErrBadCursor) {
			t.Errorf("parseCursor(%q): %v is not ErrBadCursor", tc.cursor, err)
		}
	}
}

// FuzzParseCursor: any cursor parses or is ErrBadCursor, never negative; one this database handed out
// parses back to its number.
func FuzzParseCursor(f *testing.F) {
	for _, tc := range cursorTests {
		f.Add(tc.cursor)
	}
	s := &Store{epoch: "a1b2c3d4e5f6"}
	f.Fuzz(func(t *testing.T, c string) {
		n, err := s.parseCursor(c)
		if err != nil && !errors.Is(err, hub.ErrBadCursor) || n < 0 {
			t.Fatalf("parseCursor(%q) = %d, %v", c, n, err)
		}
		if err == nil && n > 0 {
			back, err := s.parseCursor(s.epoch + "." + strconv.FormatInt(n, 10))
			if err != nil || back != n {
				t.Fatalf("cursor %d does not round-trip: %d, %v", n, back, err)
			}
		}
	})
}
