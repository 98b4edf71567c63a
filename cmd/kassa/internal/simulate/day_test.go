package simulate

import (
	"context"
	"testing"
)

func TestZReader(t *testing.T) {
	tape := []string{
		"КАССОВЫЙ ЧЕК                     ПРИХОД", "ИТОГ                           =89,90",
		"        ОТЧЁТ О ЗАКРЫТИИ СМЕНЫ", "СМЕНА                                 12",
		"ЧЕКОВ ЗА СМЕНУ                         3", "ПРИХОД                      =1 234,50",
		"ВОЗВРАТ ПРИХОДА                 =89,90", "НАЛИЧНЫМИ                      =100,00",
		"НЕОБНУЛЯЕМАЯ СУММА         =99 999,99", "ПРИХОД                         =5,00",
		"ОТЧЁТ О ЗАКРЫТИИ СМЕНЫ", "СМЕНА 13", "ЧЕКОВ ЗА СМЕНУ 0", "ПРИХОД =0,00", "ВОЗВРАТ ПРИХОДА =0,00",
	}
	var z zReader
	for _, l := range tape {
		z.line(l)
	}
	want := []ZReport{{Shift: 12, Receipts: 3, Income: 123450, Returns: 8990}, {Shift: 13}}
	got := z.all()
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("report %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestParseKopecks(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0,00", 0, true}, {"1 234,50", 123450, true}, {" 5,07 ", 507, true},
		{"5", 0, false}, {"5,1", 0, false}, {"-1,00", 0, false}, {"x,00", 0, false},
	}
	for _, tc := range tests {
		got, err := parseKopecks(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseKopecks(%q) = %d, %v; want %d ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// A day with shift closes and register faults: every sale the register fiscalised is in a Z report, and
// the Z reports add up to what the hub received.
func TestRunDayWithFaultsAndZReports(t *testing.T) {
	h := newTestHub(t)
	dir := t.TempDir()
	o := Options{Hub: h.srv.URL, Token: h.token, Terminal: "till-1", Data: dir, Sales: 9, Seed: 1,
		ShiftSales: 3, FaultEvery: 4}
	sum, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.ZReports) != 3 || sum.Faults != 2 {
		t.Fatalf("summary %+v: want 3 Z reports (after 3, 6 and 9 sales) and 2 faults", sum)
	}
	var income int64
	receipts := 0
	for _, z := range sum.ZReports {
		income += z.Income - z.Returns
		receipts += z.Receipts
	}
	if income != sum.Total || receipts != sum.Sales || sum.Sales+sum.Cancelled != 9 {
		t.Errorf("Z reports: %d receipts %d kop; journal %d sales %d kop, %d cancelled", receipts, income,
			sum.Sales, sum.Total, sum.Cancelled)
	}
	checkExactlyOnce(t, h, dir, sum)
}
