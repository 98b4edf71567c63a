package store

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kassa-pos/kassa/pos"
)

// journalSale is one sale of the report fixture: what it was and how it ended.
type journalSale struct {
	shift    int
	kind     pos.SaleKind
	status   pos.SaleStatus
	total    pos.Money
	pay      []pos.Payment
	change   pos.Money
	fdBefore uint32
	fd       uint32
}

func TestShiftReport(t *testing.T) {
	s := openTemp(t)
	opened := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for n := 1; n <= 3; n++ {
		at := opened.Add(time.Duration(n-1) * 24 * time.Hour)
		if err := s.OpenShift(pos.Shift{Number: n, Cashier: fmt.Sprintf("Кассир %d", n), OpenedAt: at}); err != nil {
			t.Fatal(err)
		}
		if n < 3 {
			if err := s.CloseShift(n, at.Add(10*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
	}
	cash := func(m pos.Money) pos.Payment { return pos.Payment{Method: pos.PayCash, Amount: m} }
	card := func(m pos.Money) pos.Payment { return pos.Payment{Method: pos.PayCard, Amount: m} }
	prepaid := func(m pos.Money) pos.Payment { return pos.Payment{Method: pos.PayPrepaid, Amount: m} }
	fixture := []journalSale{
		{shift: 1, status: pos.SaleFiscalised, total: 10000, pay: []pos.Payment{cash(10000)}, fdBefore: 9, fd: 10},
		{shift: 2, status: pos.SaleFiscalised, total: 15000, pay: []pos.Payment{cash(20000)}, change: 5000, fdBefore: 20, fd: 21},
		{shift: 2, status: pos.SaleFiscalised, total: 30000, pay: []pos.Payment{cash(10000), card(20000)}, fdBefore: 21, fd: 22},
		{shift: 2, status: pos.SaleCancelled, total: 4000, pay: []pos.Payment{card(4000)}, fdBefore: 22},
		{shift: 2, status: pos.SaleFiscalised, total: 12000, pay: []pos.Payment{prepaid(7000), card(5000)}, fdBefore: 22, fd: 23},
		{shift: 2, kind: pos.KindRefund, status: pos.SaleFiscalised, total: 3000, pay: []pos.Payment{cash(3000)}, fd: 24},
		{shift: 2, kind: pos.KindRefund, status: pos.SaleFiscalised, total: 2500, pay: []pos.Payment{card(2500)}, fdBefore: 24, fd: 25},
		{shift: 2, status: pos.SalePending, total: 999, pay: []pos.Payment{cash(999)}, fdBefore: 25},
		{shift: 3, status: pos.SaleFiscalised, total: 7000, pay: []pos.Payment{card(7000)}, fdBefore: 26, fd: 28},
	}
	for i, f := range fixture {
		sale := pos.Sale{
			ID: fmt.Sprintf("0195a1b2-0000-7000-8000-%012d", i+1), Terminal: "T1", Shift: f.shift,
			CreatedAt: opened.Add(time.Duration(i) * time.Minute), Total: f.total, Payments: f.pay, Change: f.change,
			Status: pos.SalePending, FDBefore: f.fdBefore, Kind: f.kind,
			Lines: []pos.Line{{Name: "Товар", Price: f.total, Qty: pos.QtyOne, VAT: pos.VAT20, Sum: f.total}},
		}
		if err := s.BeginSale(sale); err != nil {
			t.Fatal(err)
		}
		switch f.status {
		case pos.SaleFiscalised:
			if _, err := s.CompleteSale(sale.ID, pos.FiscalResult{FDNumber: f.fd, FiscalSign: 1, At: sale.CreatedAt}); err != nil {
				t.Fatal(err)
			}
		case pos.SaleCancelled:
			if err := s.CancelSale(sale.ID, "register refused"); err != nil {
				t.Fatal(err)
			}
		}
	}

	tests := []struct {
		shift   int
		want    ShiftReport
		net     pos.Money
		netCash pos.Money
	}{
		{
			shift: 1,
			want: ShiftReport{
				Shift: pos.Shift{Number: 1, Cashier: "Кассир 1", OpenedAt: opened, ClosedAt: opened.Add(10 * time.Hour)},
				Sales: TenderTotals{Count: 1, Total: 10000, Cash: 10000}, FirstFD: 10, LastFD: 10,
			},
			net: 10000, netCash: 10000,
		},
		{
			shift: 2,
			want: ShiftReport{
				Shift: pos.Shift{Number: 2, Cashier: "Кассир 2", OpenedAt: opened.Add(24 * time.Hour),
					ClosedAt: opened.Add(34 * time.Hour)},
				Sales:   TenderTotals{Count: 3, Total: 57000, Cash: 25000, Card: 25000, Prepaid: 7000},
				Refunds: TenderTotals{Count: 2, Total: 5500, Cash: 3000, Card: 2500},
				Pending: 1, Cancelled: 1, FirstFD: 21, LastFD: 25,
			},
			net: 51500, netCash: 22000,
		},
		{
			shift: 3,
			want: ShiftReport{
				Shift: pos.Shift{Number: 3, Cashier: "Кассир 3", OpenedAt: opened.Add(48 * time.Hour)},
				Sales: TenderTotals{Count: 1, Total: 7000, Card: 7000}, FirstFD: 27, LastFD: 28,
			},
			net: 7000,
		},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("shift ", tt.shift), func(t *testing.T) {
			got, err := s.ShiftReport(tt.shift)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Shift.OpenedAt.Equal(tt.want.Shift.OpenedAt) || !got.Shift.ClosedAt.Equal(tt.want.Shift.ClosedAt) {
				t.Errorf("shift times %v–%v, want %v–%v", got.Shift.OpenedAt, got.Shift.ClosedAt,
					tt.want.Shift.OpenedAt, tt.want.Shift.ClosedAt)
			}
			got.Shift.OpenedAt, got.Shift.ClosedAt = tt.want.Shift.OpenedAt, tt.want.Shift.ClosedAt
			if got != tt.want {
				t.Errorf("report\n got %+v\nwant %+v", got, tt.want)
			}
			if got.Net() != tt.net || got.NetCash() != tt.netCash {
				t.Errorf("net %s cash %s, want %s cash %s", got.Net(), got.NetCash(), tt.net, tt.netCash)
			}
		})
	}
}

func TestShiftReportOfUnknownShift(t *testing.T) {
	s := openTemp(t)
	if _, err := s.ShiftReport(1); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ShiftReport of a shift never opened = %v, want ErrNotFound", err)
	}
}
