package fiscal

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/pos"
)

// prepaymentReturnOf is the return of the prepayment of refused goods as the pickup desk makes it: lines
// at the calculated VAT rate, a line's Discount the part of its price that was not prepaid, paid back with
// pos.PayOnline.
func prepaymentReturnOf(lines ...pos.Line) pos.Sale {
	s := pos.Sale{ID: "0190c6b0-0000-7000-8000-0000000000p1", Terminal: "till-1", Cashier: "Петров", Shift: 1,
		CreatedAt: start, Kind: pos.KindRefund, Status: pos.SalePending}
	for _, l := range lines {
		s.Lines = append(s.Lines, l)
		s.Total += l.Sum
	}
	s.Payments = []pos.Payment{{Method: pos.PayOnline, Amount: s.Total}}
	return s
}

func TestPrepaymentReturn(t *testing.T) {
	full := pos.Line{ProductID: "100002", Name: "Кофе молотый 250 г", Price: 34900, Qty: pos.Pieces(2), VAT: pos.VAT22_122, Sum: 69800}
	part := pos.Line{ProductID: "300001", Name: "Книга «Азбука»", Price: 45000, Qty: pos.QtyOne, VAT: pos.VATNone, Sum: 20000, Discount: 25000}
	tests := []struct {
		name        string
		sale        pos.Sale
		wantMethods []byte
		wantTape    []string
	}{
		{name: "prepaid in full: предоплата 100 %", sale: prepaymentReturnOf(full),
			wantMethods: []byte{kkt.MethodFullPrepayment}, wantTape: []string{"ВОЗВРАТ ПРИХОДА", "ПРЕДОПЛАТА 100%"}},
		{name: "part of a partial prepayment: предоплата", sale: prepaymentReturnOf(full, part),
			wantMethods: []byte{kkt.MethodFullPrepayment, kkt.MethodPrepayment}, wantTape: []string{"ВОЗВРАТ ПРИХОДА", "ПРЕДОПЛАТА"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBench(t, benchOpts{})
			b.openShift(t)
			items, err := b.reg.items(tt.sale)
			if err != nil {
				t.Fatal(err)
			}
			var methods []byte
			for _, it := range items {
				if it.Op != kkt.OpIncomeReturn || it.PaymentObject != objectGoods {
					t.Errorf("position %+v: want возврат прихода of goods", it)
				}
				methods = append(methods, it.PaymentMethod)
			}
			if string(methods) != string(tt.wantMethods) {
				t.Errorf("1214 of the positions = %v, want %v", methods, tt.wantMethods)
			}
			res, err := b.reg.Fiscalise(context.Background(), tt.sale)
			if err != nil {
				t.Fatalf("Fiscalise: %v", err)
			}
			doc, err := b.reg.FindDocument(context.Background(), res.FDNumber)
			if err != nil || !doc.RefundReceipt || doc.Sum != tt.sale.Total {
				t.Errorf("FindDocument = %+v, %v; want a return receipt of %s", doc, err, tt.sale.Total)
			}
			tot := b.dev.Snapshot().Totals
			if tot.ShiftReturns != int64(tt.sale.Total) || tot.ShiftCard != -int64(tt.sale.Total) || tot.ShiftCash != 0 || tot.ShiftPrepaid != 0 {
				t.Errorf("register totals %+v: want %s returned электронными", tot, tt.sale.Total)
			}
			tape := b.dev.Tape()
			for _, w := range tt.wantTape {
				if !strings.Contains(tape, w) {
					t.Errorf("the tape lacks %q:\n%s", w, tape)
				}
			}
		})
	}
}

func TestPrepaymentReturnRefused(t *testing.T) {
	line := pos.Line{ProductID: "100002", Name: "Кофе молотый 250 г", Price: 34900, Qty: pos.QtyOne, VAT: pos.VAT22_122, Sum: 34900}
	tests := []struct {
		name string
		sale func() pos.Sale
	}{
		{"online tender on a sale", func() pos.Sale { s := prepaymentReturnOf(line); s.Kind = pos.KindSale; return s }},
		{"online and cash", func() pos.Sale {
			s := prepaymentReturnOf(line)
			s.Payments = []pos.Payment{{Method: pos.PayOnline, Amount: 30000}, {Method: pos.PayCash, Amount: 4900}}
			return s
		}},
		{"marking code on a prepayment", func() pos.Sale {
			l := line
			l.Marking = "0104690421631110215WtrDemo00001\x1d93Demo"
			return prepaymentReturnOf(l)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBench(t, benchOpts{})
			b.openShift(t)
			_, err := b.reg.Fiscalise(context.Background(), tt.sale())
			if !errors.Is(err, pos.ErrNotFiscalised) {
				t.Fatalf("Fiscalise = %v, want ErrNotFiscalised", err)
			}
			if n := b.dev.Snapshot().Totals.ShiftReceipts; n != 0 {
				t.Errorf("the register made %d receipts", n)
			}
		})
	}
}
