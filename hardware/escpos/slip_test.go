package escpos

import (
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestColumns(t *testing.T) {
	tests := []struct {
		left, right string
		width       int
		want        []string
	}{
		{"Молоко", "89,90", 20, []string{"Молоко         89,90"}},
		{"Кофе молотый Арабика 250 г", "349,00", 20, []string{"Кофе молотый Арабика", "250 г         349,00"}},
		{"Сыр Российский весовой", "767,49", 20, []string{"Сыр Российский", "весовой       767,49"}},
		{"Шоколад молочный", "1 234,00", 20, []string{"Шоколад молочный", "            1 234,00"}},
		{"Суперкалифрагилистикэкспиалидоциус", "", 10, []string{"Суперкалиф", "рагилистик", "экспиалидо", "циус"}},
		{"", "12,00", 8, []string{"   12,00"}},
		{"Итого", "1 000 ₽", 16, []string{"Итого   1 000 р."}},
		{"  картой", "5,00", 16, []string{"  картой    5,00"}},
		{"   ", "", 16, []string{""}},
		{"Налог", "очень длинное значение", 10, []string{"Налог", "очень", "длинное", "значение"}},
	}
	for _, tc := range tests {
		got := Columns(tc.left, tc.right, tc.width)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Columns(%q, %q, %d) = %q, want %q", tc.left, tc.right, tc.width, got, tc.want)
		}
		for _, l := range got {
			if Width(l) > tc.width {
				t.Errorf("line %q is wider than %d", l, tc.width)
			}
		}
	}
}

func TestKopecks(t *testing.T) {
	tests := map[int64]string{0: "0,00", 5: "0,05", 123450: "1 234,50", -99: "-0,99", 100000000: "1 000 000,00"}
	for k, want := range tests {
		if got := Kopecks(k); got != want {
			t.Errorf("Kopecks(%d) = %q, want %q", k, got, want)
		}
	}
}

var sampleSlip = Slip{
	Title: "Возврат товара",
	Lines: []SlipLine{
		{"Молоко 3,2% 1 л", "2 x 89,90"},
		{"Кофе молотый «Арабика» 250 г", "349,00"},
		{"Сыр Российский (весовой) 0,512 кг", "767,49"},
		{"Итого", "1 116,49 ₽"},
	},
	Footer: []string{"Спасибо за покупку!", "Не является фискальным документом"},
	QR:     fnsQR,
}

var sampleShift = Shift{
	Shop: `ООО "КАССА", г. Москва`, Number: 42, Cashier: "Иванова А.",
	Opened: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
	Closed: time.Date(2026, 3, 2, 21, 5, 0, 0, time.UTC),
	Sales:  128, Refunds: 2, Revenue: 12345600, Refund: 45000, Cash: 4000050, Card: 8300550,
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file:\n%s", name, got)
	}
}

// hexDump is 32 bytes a line, so that a diff points at the spot.
func hexDump(b []byte) []byte {
	var s strings.Builder
	for len(b) > 0 {
		n := min(len(b), 32)
		s.WriteString(hex.EncodeToString(b[:n]))
		s.WriteByte('\n')
		b = b[n:]
	}
	return []byte(s.String())
}

func TestSlipGolden(t *testing.T) {
	tests := []struct {
		name string
		doc  *Document
		hex  bool
	}{
		{"slip_58mm", SlipDocument(Clone58, sampleSlip), true},
		{"slip_80mm_native_qr", SlipDocument(EpsonTMT20, sampleSlip), true},
		{"shift_rp326", ShiftSummary(RongtaRP326, sampleShift), false},
		{"test_slip_58mm", TestSlip(Clone58, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.doc.Err() != nil {
				t.Fatal(tc.doc.Err())
			}
			dec, err := Decode(tc.doc.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if tc.hex {
				golden(t, tc.name+".hex", hexDump(tc.doc.Bytes()))
			}
			golden(t, tc.name+".txt", []byte(dec.String()))
			cols := tc.doc.Profile().Columns
			for _, e := range dec.Elements {
				if e.Kind == KindText && Width(e.Text)*e.Width > cols {
					t.Errorf("line %q overflows %d columns", e.Text, cols)
				}
			}
			if last := dec.Elements[len(dec.Elements)-1]; last.Kind != KindCut {
				t.Errorf("document ends with %v, not a cut", last)
			}
		})
	}
}

func TestSlipQRScans(t *testing.T) {
	dec, err := Decode(SlipDocument(Clone58, sampleSlip).Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if imgs := dec.Images(); len(imgs) != 1 || scanQR(t, imgs[0]) != fnsQR {
		t.Errorf("slip QR not found or wrong: %v", dec)
	}
}
