package terminal

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/hardware/escpos"
	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/store"
)

var updateGolden = flag.Bool("update-slips", false, "rewrite the slip golden files under testdata/")

// TestShiftSlipLayout pins what the summary prints, as the printer decodes it, for the ways the
// comparison with the register can end.
func TestShiftSlipLayout(t *testing.T) {
	opened := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	rep := store.ShiftReport{
		Shift:     pos.Shift{Number: 7, Cashier: "Иванова А. В.", OpenedAt: opened, ClosedAt: opened.Add(11*time.Hour + 5*time.Minute)},
		Sales:     store.TenderTotals{Count: 41, Total: 2345670, Cash: 1200000, Card: 1095670, Prepaid: 50000},
		Refunds:   store.TenderTotals{Count: 2, Total: 15990, Cash: 15990},
		Pending:   1,
		Cancelled: 3,
		FirstFD:   120, LastFD: 166,
		Cash: store.CashTotals{InCount: 1, In: 500000, OutCount: 2, Out: 1000000, Pending: 1},
	}
	agrees := RegisterCheck{FirstFD: 120, LastFD: 166, Sales: 41, SalesSum: 2345670, Refunds: 2, RefundsSum: 15990}
	differs := agrees
	differs.Sales, differs.SalesSum = 42, 2355670 // one receipt the journal does not have
	head := SlipHeader{Shop: "Продукты у дома", Terminal: "till-1", Printed: opened.Add(11*time.Hour + 6*time.Minute)}
	tests := []struct {
		name  string
		check RegisterCheck
		cols  int
	}{
		{"shift_agrees_32", agrees, 32},
		{"shift_differs_48", differs, 48},
		{"shift_register_offline_32", RegisterCheck{Skipped: "ККТ не отвечает", FirstFD: 120, LastFD: 166}, 32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prof, err := PrinterOptions{Width: tt.cols}.Profile()
			if err != nil {
				t.Fatal(err)
			}
			if tt.check.Skipped == "" && tt.check.Agrees(rep) != (tt.name == "shift_agrees_32") {
				t.Errorf("Agrees = %v", tt.check.Agrees(rep))
			}
			dec, err := escpos.Decode(escpos.SlipDocument(prof, ShiftSlip(rep, tt.check, head)).Bytes())
			if err != nil {
				t.Fatal(err)
			}
			lines := dec.Lines()
			for _, l := range lines {
				if n := len([]rune(l)); n > tt.cols {
					t.Errorf("line %q is %d characters, the paper has %d", l, n, tt.cols)
				}
			}
			golden(t, tt.name+".txt", []byte(strings.Join(lines, "\n")+"\n"))
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update-slips to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n%s", name, got)
	}
}
