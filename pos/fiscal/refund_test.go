package fiscal

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kassa-pos/kassa/hardware/kkt"
	"github.com/kassa-pos/kassa/pos"
)

// refund turns a sale built by saleOf into a refund paying back the same way.
func refund(s pos.Sale) pos.Sale {
	s.ID, s.Kind, s.RefundOf, s.Change = "0190c6b0-0000-7000-8000-0000000000r1", pos.KindRefund, "orig", 0
	return s
}

func TestFiscaliseRefund(t *testing.T) {
	tests := []struct {
		name     string
		drawer   pos.Money // cash put in the drawer by an earlier sale
		items    []item
		discount pos.Money
		pay      func(pos.Money) []pos.Payment
		wantCode int // a refusal by the register; 0 = fiscalised
	}{
		{name: "one piece back in cash", drawer: 100000, items: []item{{p: bread, qty: pos.Pieces(1)}}, pay: cash(0)},
		{name: "discounted lines back by card", items: []item{{p: bread, qty: pos.Pieces(3), discount: 100},
			{p: cheese, qty: 512, discount: 749}}, discount: 1000, pay: card},
		{name: "weighed, cash and card", drawer: 5000, items: []item{{p: potato, qty: 10000}, {p: book, qty: pos.Pieces(1)}},
			pay: func(total pos.Money) []pos.Payment {
				return []pos.Payment{{Method: pos.PayCash, Amount: 5000}, {Method: pos.PayCard, Amount: total - 5000}}
			}},
		{name: "more cash than the drawer holds", drawer: 1000, items: []item{{p: coffee, qty: pos.Pieces(1)}}, pay: cash(0),
			wantCode: 0x46},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBench(t, benchOpts{})
			b.openShift(t)
			ctx := context.Background()
			if tt.drawer > 0 {
				in := saleOf(t, []item{{p: pos.Product{ID: "x", Name: "Пакет", Price: tt.drawer, VAT: pos.VAT22}, qty: pos.QtyOne}}, 0, cash(0))
				if _, err := b.reg.Fiscalise(ctx, in); err != nil {
					t.Fatal(err)
				}
			}
			r := refund(saleOf(t, tt.items, tt.discount, tt.pay))
			res, err := b.reg.Fiscalise(ctx, r)
			if tt.wantCode != 0 {
				var re *pos.RegisterError
				if !errors.Is(err, pos.ErrNotFiscalised) || !errors.As(err, &re) || re.Code != tt.wantCode {
					t.Fatalf("Fiscalise = %+v, %v; want a refusal 0x%02X", res, err, tt.wantCode)
				}
				if b.dev.Snapshot().ReceiptOpen() {
					t.Error("the refused refund was left open in the register")
				}
				return
			}
			if err != nil {
				t.Fatalf("Fiscalise: %v", err)
			}
			doc, err := b.reg.FindDocument(ctx, res.FDNumber)
			want := pos.FiscalDocument{FDNumber: res.FDNumber, FiscalSign: res.FiscalSign, At: res.At, Sum: r.Total,
				RefundReceipt: true}
			if err != nil || doc != want {
				t.Errorf("FindDocument = %+v, %v; want %+v", doc, err, want)
			}
			if got := b.dev.Snapshot().Totals.ShiftReturns; got != int64(r.Total) {
				t.Errorf("register's returns = %d, want %d", got, r.Total)
			}
			if tape := b.dev.Tape(); !strings.Contains(tape, "ВОЗВРАТ ПРИХОДА") {
				t.Errorf("the tape shows no return receipt:\n%s", tape)
			}
		})
	}
}

func TestPrepaidSettlement(t *testing.T) {
	tests := []struct {
		name                        string
		items                       []item
		pay                         func(pos.Money) []pos.Payment
		wantCash, wantCard, wantPre int64
	}{
		{name: "paid online in full", items: []item{{p: coffee, qty: pos.Pieces(2)}},
			pay:     func(total pos.Money) []pos.Payment { return []pos.Payment{{Method: pos.PayPrepaid, Amount: total}} },
			wantPre: 2 * 34900},
		{name: "prepaid order and an extra item in cash", items: []item{{p: coffee, qty: pos.Pieces(1)}, {p: bread, qty: pos.Pieces(1)}},
			pay: func(total pos.Money) []pos.Payment {
				return []pos.Payment{{Method: pos.PayPrepaid, Amount: 34900}, {Method: pos.PayCash, Amount: 10000}}
			},
			wantCash: 6290, wantPre: 34900},
		{name: "prepaid and card", items: []item{{p: book, qty: pos.Pieces(2)}},
			pay: func(total pos.Money) []pos.Payment {
				return []pos.Payment{{Method: pos.PayPrepaid, Amount: 45000}, {Method: pos.PayCard, Amount: 45000}}
			},
			wantCard: 45000, wantPre: 45000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBench(t, benchOpts{})
			b.openShift(t)
			s := saleOf(t, tt.items, 0, cash(0))
			s.Payments = tt.pay(s.Total) // pos/cart settles cash and card only; the pickup desk settles prepaid
			var paid pos.Money
			for _, p := range s.Payments {
				paid += p.Amount
			}
			s.Change = paid - s.Total
			items, err := b.reg.items(s)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if it.PaymentMethod != kkt.MethodFull || it.Op != kkt.OpIncome {
					t.Errorf("position %+v: want 1214 = 4 (полный расчёт), приход", it)
				}
			}
			if _, err := b.reg.Fiscalise(context.Background(), s); err != nil {
				t.Fatalf("Fiscalise: %v", err)
			}
			tot := b.dev.Snapshot().Totals
			if tot.ShiftCash != tt.wantCash || tot.ShiftCard != tt.wantCard || tot.ShiftPrepaid != tt.wantPre ||
				tot.ShiftIncome != int64(s.Total) {
				t.Errorf("register totals %+v; want cash %d card %d prepaid %d income %d", tot, tt.wantCash, tt.wantCard,
					tt.wantPre, s.Total)
			}
			if tape := b.dev.Tape(); !strings.Contains(tape, "ЗАЧЕТ ПРЕДОПЛАТЫ") {
				t.Errorf("the tape shows no prepayment:\n%s", tape)
			}
		})
	}
}

func TestReceiptOperations(t *testing.T) {
	tests := []struct {
		kind     pos.SaleKind
		wantKind kkt.ReceiptKind
		wantOp   byte
		wantErr  bool
	}{
		{pos.KindSale, kkt.Sale, kkt.OpIncome, false},
		{pos.KindRefund, kkt.SaleReturn, kkt.OpIncomeReturn, false},
		{"purchase", 0, 0, true},
	}
	b := newBench(t, benchOpts{})
	for _, tt := range tests {
		s := saleOf(t, []item{{p: bread, qty: pos.Pieces(2)}}, 0, card)
		s.Kind = tt.kind
		items, err := b.reg.items(s)
		if tt.wantErr {
			if err == nil {
				t.Errorf("kind %q: items = %+v, want an error", tt.kind, items)
			}
			if _, err := b.reg.Fiscalise(context.Background(), s); !errors.Is(err, pos.ErrNotFiscalised) {
				t.Errorf("kind %q: Fiscalise = %v, want ErrNotFiscalised", tt.kind, err)
			}
			continue
		}
		if err != nil || len(items) != 1 || items[0].Op != tt.wantOp || receiptKind(tt.kind) != tt.wantKind {
			t.Errorf("kind %q: items %+v, %v; receipt kind %d", tt.kind, items, err, receiptKind(tt.kind))
		}
	}
}
