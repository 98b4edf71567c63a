package pos

import (
	"fmt"
	"testing"
	"time"
)

func TestFiscalResultQR(t *testing.T) {
	f := FiscalResult{FDNumber: 163, FiscalSign: 776727275, FNSerial: "9999078900012345",
		At: time.Date(2026, 3, 24, 20, 53, 41, 0, time.UTC)}
	tests := []struct {
		kind SaleKind
		want string
	}{
		{KindSale, "t=20260324T2053&s=200.00&fn=9999078900012345&i=163&fp=776727275&n=1"},
		{KindRefund, "t=20260324T2053&s=200.00&fn=9999078900012345&i=163&fp=776727275&n=2"},
	}
	for _, tt := range tests {
		if got := f.QRFor(tt.kind, 20000); got != tt.want {
			t.Errorf("QRFor(%q) = %q, want %q", tt.kind, got, tt.want)
		}
	}
	if f.QR(20000) != tests[0].want {
		t.Errorf("QR = %q, want the sale's", f.QR(20000))
	}
}

func TestRefundedLines(t *testing.T) {
	orig := Sale{ID: "s", Lines: []Line{
		{ProductID: "a", Qty: Pieces(3), Sum: 29999},
		{ProductID: "b", Qty: 1500, Unit: UnitKg, Sum: 15000},
		{ProductID: "c", Qty: QtyOne, Sum: 100, Cancelled: true},
	}}
	refund := func(id string, st SaleStatus, qty ...Qty) Sale {
		r := Sale{ID: id, Kind: KindRefund, RefundOf: "s", Status: st}
		for i, l := range orig.Lines {
			l.Qty, l.Sum, l.Cancelled = 0, 0, false
			if i < len(qty) {
				l.Qty, l.Sum = qty[i], Money(qty[i]/10)
			}
			r.Lines = append(r.Lines, l)
		}
		return r
	}
	other := refund("x", SaleFiscalised, QtyOne)
	other.RefundOf = "t"
	short := refund("y", SalePending, QtyOne)
	short.Lines = short.Lines[:2]
	swapped := refund("z", SalePending, QtyOne)
	swapped.Lines[1].ProductID = "a"
	tests := []struct {
		name    string
		refunds []Sale
		wantQty []Qty
		wantSum []Money
		wantErr bool
	}{
		{name: "none", wantQty: []Qty{0, 0, 0}, wantSum: []Money{0, 0, 0}},
		{name: "pending and fiscalised count", refunds: []Sale{refund("r1", SaleFiscalised, QtyOne), refund("r2", SalePending, QtyOne, 500)},
			wantQty: []Qty{Pieces(2), 500, 0}, wantSum: []Money{200, 50, 0}},
		{name: "cancelled does not", refunds: []Sale{refund("r1", SaleCancelled, Pieces(3)), refund("r2", SaleFiscalised, 0, 1500)},
			wantQty: []Qty{0, 1500, 0}, wantSum: []Money{0, 150, 0}},
		{name: "refund of another sale", refunds: []Sale{other}, wantErr: true},
		{name: "lines missing", refunds: []Sale{short}, wantErr: true},
		{name: "lines out of order", refunds: []Sale{swapped}, wantErr: true},
		{name: "a sale, not a refund", refunds: []Sale{{ID: "q", Lines: orig.Lines}}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qty, sum, err := RefundedLines(orig, tt.refunds)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("RefundedLines = %v, %v; want an error", qty, sum)
				}
				return
			}
			if err != nil || fmt.Sprint(qty) != fmt.Sprint(tt.wantQty) || fmt.Sprint(sum) != fmt.Sprint(tt.wantSum) {
				t.Errorf("RefundedLines = %v, %v, %v; want %v, %v", qty, sum, err, tt.wantQty, tt.wantSum)
			}
		})
	}
}
